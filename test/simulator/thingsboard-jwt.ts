// ThingsBoard's tokens are HS512 JWTs (docs/vendors/thingsboard.md): the expiry is only in the
// `exp` claim (epoch seconds), so a client has to read the payload. The simulator signs them with
// a key of its own; they are also registered in the state, which is what the API checks.
import { createHmac, randomUUID } from "node:crypto";
import { THINGSBOARD_NULL_CUSTOMER, thingsboardTenantId, thingsboardUserId } from "./cloud-data";

/** `JWT_REFRESH_TOKEN_EXPIRATION_TIME`'s default: one week. */
export const REFRESH_LIFETIME_SECONDS = 604_800;
export const ISSUER = "thingsboard.io";
const SIGNING_KEY = "thingsboard-simulator-signing-key";

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** A compact JWS, `{"alg":"HS512"}` as its header. */
export function mintJwt(claims: Record<string, unknown>): string {
  const unsigned = `${b64url({ alg: "HS512" })}.${b64url(claims)}`;
  return `${unsigned}.${createHmac("sha512", SIGNING_KEY).update(unsigned).digest("base64url")}`;
}

/** The payload of a JWT (not verified: what any client can read). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

export interface JwtPair {
  token: string;
  refreshToken: string;
}

/** An access and a refresh token for a tenant administrator, issued at `nowMs` (the vendor's clock). */
export function mintPair(username: string, nowMs: number, lifetimeSeconds: number): JwtPair {
  const iat = Math.floor(nowMs / 1000);
  const userId = thingsboardUserId(username);
  const sessionId = randomUUID();
  const common = { sub: username, userId, sessionId, iss: ISSUER, iat, isPublic: false };
  return {
    token: mintJwt({
      ...common,
      scopes: ["TENANT_ADMIN"],
      exp: iat + lifetimeSeconds,
      enabled: true,
      tenantId: thingsboardTenantId(username),
      customerId: THINGSBOARD_NULL_CUSTOMER,
    }),
    refreshToken: mintJwt({ ...common, scopes: ["REFRESH_TOKEN"], exp: iat + REFRESH_LIFETIME_SECONDS }),
  };
}
