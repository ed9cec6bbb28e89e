// Shared types of the provider simulator. The public names here are re-exported by index.ts and
// other engineers code against them: change only in a backward-compatible way.
import type { IncomingHttpHeaders } from "node:http";

export interface SimulatorOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
}

export type ProviderId = "orionstar" | "enos" | "oneaccess";
/** The IoT clouds that the custom provider's presets meet (issue #26); ids as the presets' `preset`. */
export type CloudId = "tuya" | "huawei-iam" | "thingsboard" | "ezviz" | "hikvision-artemis" | "aliyun-iot";
/** The clouds that sign every call instead of handing out a token. */
export type TokenlessCloudId = "hikvision-artemis" | "aliyun-iot";
/**
 * Every server the simulator runs: the three vendors, a strict RFC 6749 client-credentials server
 * ("oauth2"), a home-made token endpoint ("homemade") for the generic providers, and the six clouds.
 */
export type ServerId = ProviderId | "oauth2" | "homemade" | CloudId;
/** The servers that issue tokens (they have a token lifetime). */
export type TokenServerId = Exclude<ServerId, TokenlessCloudId>;

/** Every simulated endpoint, named `<server>.<call>`; each has its own request counter. */
export const ENDPOINTS = [
  "orionstar.token",
  "orionstar.robot_list",
  "orionstar.robot_info",
  "orionstar.myip",
  "enos.token",
  "enos.refresh",
  "enos.asset",
  "enos.device_get",
  "enos.device_search",
  "oneaccess.token",
  "oneaccess.users",
  "oauth2.token",
  "oauth2.authorize",
  "oauth2.api",
  "homemade.token",
  "homemade.api",
  "tuya.token",
  "tuya.refresh",
  "tuya.devices",
  "huawei-iam.token",
  "huawei-iam.devices",
  "thingsboard.token",
  "thingsboard.refresh",
  "thingsboard.devices",
  "ezviz.token",
  "ezviz.device_list",
  "hikvision-artemis.cameras",
  // Alibaba's RPC endpoint `/`: every Action goes there.
  "aliyun-iot.api",
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const PROVIDERS: readonly ProviderId[] = ["orionstar", "enos", "oneaccess"];
export const TOKENLESS_CLOUDS: readonly TokenlessCloudId[] = ["hikvision-artemis", "aliyun-iot"];
export const CLOUDS: readonly CloudId[] = ["tuya", "huawei-iam", "thingsboard", "ezviz", ...TOKENLESS_CLOUDS];
export const SERVERS: readonly ServerId[] = [...PROVIDERS, "oauth2", "homemade", ...CLOUDS];

export function isTokenServer(server: ServerId): server is TokenServerId {
  return !(TOKENLESS_CLOUDS as readonly ServerId[]).includes(server);
}

/** Endpoints that hand out tokens (the "token" / "missing-fields" faults change their token fields). */
export const TOKEN_ENDPOINTS: readonly Endpoint[] = [
  "orionstar.token",
  "enos.token",
  "enos.refresh",
  "oneaccess.token",
  "oauth2.token",
  "homemade.token",
  "tuya.token",
  "tuya.refresh",
  "huawei-iam.token",
  "thingsboard.token",
  "thingsboard.refresh",
  "ezviz.token",
];

export type Fault =
  | { kind: "status"; status: number; retryAfter?: number; body?: string }
  | { kind: "slow"; ms: number }
  | { kind: "html" }
  | { kind: "truncated-json" }
  | { kind: "missing-fields" }
  /** `shape` is an addition: pick the array (default) or the string form. */
  | { kind: "wrong-shape"; shape?: "array" | "string" }
  | { kind: "huge-body"; bytes?: number }
  | { kind: "reset" }
  | { kind: "token"; token?: string; expiresIn?: unknown }
  | { kind: "vendor-error"; code: string | number; msg?: string; httpStatus?: number };

export interface OrionStarAccount {
  appid: string;
  secret: string;
  corpId: string;
  robotSn: string;
}
export interface EnosAccount {
  appKey: string;
  appSecret: string;
  orgId: string;
  assetId: string;
}
export interface OneAccessAccount {
  clientId: string;
  clientSecret: string;
  orgId: string;
}

/** A client of the RFC 6749 server. */
export interface OAuth2Account {
  clientId: string;
  clientSecret: string;
  /** The scopes it may ask for; no scope asked = all of them. */
  scopes: string[];
  /** Answer without expires_in (RFC 6749 5.1 makes it RECOMMENDED, not REQUIRED). */
  omitExpiresIn: boolean;
  /** false: the client may not use the client credentials grant (unauthorized_client). */
  clientCredentials: boolean;
  /** The resource owner of the password grant (RFC 6749 4.3); none: that grant is unauthorized_client. */
  username?: string;
  password?: string;
  /**
   * Where the authorization code grant (4.1) may send the user back: exactly, or a loopback one on
   * any port (RFC 8252 7.3). The code is given to the password grant's user.
   */
  redirectUris: string[];
}
/** One code handed out, until it is exchanged or expires. */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  username: string;
  expiresAt: number;
  used: boolean;
  /** The refresh token issued for it: revoked when the code is presented again (RFC 6749 4.1.2). */
  refreshToken?: string;
}
/** An account of the home-made endpoint (HMAC-signed JSON request). */
export interface HomemadeAccount {
  appKey: string;
  appSecret: string;
}

/** A Tuya cloud project (docs/vendors/tuya.md): Access ID (client_id) and Access Secret. */
export interface TuyaAccount {
  accessId: string;
  accessSecret: string;
  /** The uid the token answer names (the project's user). */
  uid: string;
}
/** A Huawei Cloud IAM user with an IoTDA project (docs/vendors/huawei-iam.md). */
export interface HuaweiIamAccount {
  /** The account (domain) name the user belongs to. */
  domainName: string;
  userName: string;
  password: string;
  /** The project the token is scoped to: its name is the region. */
  projectName: string;
  projectId: string;
  /** The user's access key pair for AK/SK signing; empty when the user has none. */
  accessKey: string;
  secretKey: string;
}
/** A ThingsBoard tenant administrator (docs/vendors/thingsboard.md). */
export interface ThingsBoardAccount {
  username: string;
  password: string;
}
/** An EZVIZ application (docs/vendors/ezviz.md). */
export interface EzvizAccount {
  appKey: string;
  appSecret: string;
}
/** A Hikvision Artemis partner (docs/vendors/hikvision-artemis.md). */
export interface HikvisionArtemisAccount {
  appKey: string;
  appSecret: string;
}
/** An Alibaba Cloud AccessKey pair with an IoT product (docs/vendors/aliyun-iot.md). */
export interface AliyunIotAccount {
  accessKeyId: string;
  accessKeySecret: string;
  /** The product QueryDevice lists. */
  productKey: string;
}

export interface Accounts {
  orionstar: OrionStarAccount;
  enos: EnosAccount;
  oneaccess: OneAccessAccount;
  oauth2: OAuth2Account;
  homemade: HomemadeAccount;
  tuya: TuyaAccount;
  "huawei-iam": HuaweiIamAccount;
  thingsboard: ThingsBoardAccount;
  ezviz: EzvizAccount;
  "hikvision-artemis": HikvisionArtemisAccount;
  "aliyun-iot": AliyunIotAccount;
}

/** A request as the provider handlers see it: already routed, body fully read. */
export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Raw body bytes exactly as received (EnOS signs them). */
  body: Buffer;
  endpoint: Endpoint;
  /** The caller's IP as the vendor sees it (OrionStar's whitelist and /v1/myip). */
  remoteAddress: string;
}

/** What a handler answers; the server writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}
