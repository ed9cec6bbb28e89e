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
/**
 * Every token server the simulator runs: the three vendors plus a strict RFC 6749 client-credentials
 * server ("oauth2") and a home-made token endpoint ("homemade") for the generic providers.
 */
export type ServerId = ProviderId | "oauth2" | "homemade";

export type Endpoint =
  | "orionstar.token"
  | "orionstar.robot_list"
  | "orionstar.robot_info"
  | "orionstar.myip"
  | "enos.token"
  | "enos.refresh"
  | "enos.asset"
  | "enos.device_get"
  | "enos.device_search"
  | "oneaccess.token"
  | "oneaccess.users"
  | "oauth2.token"
  | "oauth2.api"
  | "homemade.token"
  | "homemade.api";

export const ENDPOINTS: readonly Endpoint[] = [
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
  "oauth2.api",
  "homemade.token",
  "homemade.api",
];

export const PROVIDERS: readonly ProviderId[] = ["orionstar", "enos", "oneaccess"];
export const SERVERS: readonly ServerId[] = [...PROVIDERS, "oauth2", "homemade"];

/** Endpoints that hand out tokens (the "token" / "missing-fields" faults change their token fields). */
export const TOKEN_ENDPOINTS: readonly Endpoint[] = [
  "orionstar.token",
  "enos.token",
  "enos.refresh",
  "oneaccess.token",
  "oauth2.token",
  "homemade.token",
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
}
/** An account of the home-made endpoint (HMAC-signed JSON request). */
export interface HomemadeAccount {
  appKey: string;
  appSecret: string;
}

export interface Accounts {
  orionstar: OrionStarAccount;
  enos: EnosAccount;
  oneaccess: OneAccessAccount;
  oauth2: OAuth2Account;
  homemade: HomemadeAccount;
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
