// Huawei Cloud OneAccess tenant token (OAuth2 client credentials) and the users API.
// Two error shapes, as the vendor has: `{error_code, error_msg}` for parameters and
// `{error, error_description}` for OAuth errors.
import { usersOf } from "./data";
import { bearerToken, intParam, isReply, json, mediaType, randomHex } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { OneAccessAccount, Reply, SimRequest } from "./types";

const MAX_LIMIT = 100;
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function paramError(msg: string): Reply {
  return json(400, { error_code: "USER.0033", error_msg: msg });
}

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error, error_description: description }, headers);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** A JWT-looking id_token (not verifiable; clients must not depend on it). */
function idToken(clientId: string, lifetime: number): string {
  const iat = Math.floor(Date.now() / 1000);
  return `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url({ iss: "https://oneaccess.simulator", sub: clientId, aud: clientId, iat, exp: iat + lifetime })}.${randomHex(32)}`;
}

interface ClientCredentials {
  id?: string;
  secret?: string;
  basic: boolean;
}

/** RFC 6749 2.3.1: HTTP Basic with form-urlencoded id and secret, or both in the body. */
function clientCredentials(req: SimRequest, form: URLSearchParams): ClientCredentials | Reply {
  const auth = req.headers.authorization;
  if (auth === undefined || !/^Basic /i.test(auth)) {
    return { id: form.get("client_id") ?? undefined, secret: form.get("client_secret") ?? undefined, basic: false };
  }
  const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return badClient(true);
  let id: string;
  let secret: string;
  try {
    // The id and secret are form-urlencoded before base64 (RFC 6749 2.3.1).
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    id = unform(decoded.slice(0, colon));
    secret = unform(decoded.slice(colon + 1));
  } catch {
    return badClient(true);
  }
  // RFC 6749: one authentication method per request.
  if (form.has("client_secret")) return oauthError(400, "invalid_request", "Multiple client authentication methods");
  if (form.has("client_id") && form.get("client_id") !== id)
    return oauthError(400, "invalid_request", "client_id does not match");
  return { id, secret, basic: true };
}

function badClient(basic: boolean): Reply {
  return oauthError(
    401,
    "invalid_client",
    "Bad client credentials",
    basic ? { "www-authenticate": 'Basic realm="oneaccess"' } : {},
  );
}

function token(state: SimState, req: SimRequest): Reply {
  if (mediaType(req.headers) !== "application/x-www-form-urlencoded") {
    return paramError("Content-Type must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(req.body.toString("utf8"));
  const grant = form.get("grant_type");
  if (!grant) return paramError("grant_type is required");
  if (grant !== "client_credentials")
    return oauthError(400, "unsupported_grant_type", `Unsupported grant type: ${grant}`);
  const creds = clientCredentials(req, form);
  if (isReply(creds)) return creds;
  if (!creds.id) return paramError("client_id is required");
  if (!creds.secret) return paramError("client_secret is required");
  const account = state.oneaccess.get(creds.id);
  if (!account || account.clientSecret !== creds.secret) return badClient(creds.basic);
  // Each call is a new token; earlier ones stay valid until they expire (as documented).
  const rec = state.issue("oneaccess", account.clientId);
  const lifetime = state.lifetimes.oneaccess;
  return json(200, successBody(rec.token, lifetime, account.clientId, lifetime), NO_STORE);
}

function successBody(accessToken: string, expiresIn: unknown, clientId: string, lifetime: number): object {
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expiresIn,
    scope: "all",
    id_token: idToken(clientId, lifetime),
  };
}

function invalidToken(description: string): Reply {
  return oauthError(401, "invalid_token", description, { "www-authenticate": `Bearer error="invalid_token"` });
}

function authorize(state: SimState, req: SimRequest): OneAccessAccount | Reply {
  const value = bearerToken(req.headers);
  if (value === undefined) return invalidToken("Access token is missing");
  const rec = state.find("oneaccess", value);
  const account = rec && state.oneaccess.get(rec.accountId);
  if (!rec || !account) return invalidToken("Invalid access token");
  if (state.isExpired(rec)) return invalidToken("Access token expired");
  return account;
}

function users(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  const offset = intParam(req.url, "offset", 0);
  const limit = intParam(req.url, "limit", 10);
  if (offset === undefined) return paramError("offset is invalid");
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) return paramError(`limit must be 1..${MAX_LIMIT}`);
  const orgId = req.url.searchParams.get("org_id");
  // A filter, like the real API: another org's id just matches nobody.
  const total = orgId && orgId !== account.orgId ? 0 : state.listSizes.oneaccess;
  return json(200, { total, users: usersOf(account.orgId, total, offset, offset + limit) });
}

export const oneaccess: ProviderModule = {
  handle(state, req) {
    return req.endpoint === "oneaccess.token" ? token(state, req) : users(state, req);
  },

  sample(state, req, t) {
    if (req.endpoint === "oneaccess.users") {
      if (t === null) return {};
      const all = usersOf(state.demo.oneaccess.orgId);
      return { total: all.length, users: all.slice(0, 10) };
    }
    const lifetime = state.lifetimes.oneaccess;
    if (t === null) return { token_type: "Bearer", scope: "all" };
    const v = t ?? { value: randomHex(24), expiresIn: lifetime };
    return successBody(v.value, v.expiresIn, state.demo.oneaccess.clientId, lifetime);
  },

  vendorError(_req, code, msg, httpStatus) {
    // Lower-case words are OAuth error names; anything else is a OneAccess error_code.
    if (typeof code === "string" && /^[a-z_]+$/.test(code)) {
      const status = httpStatus ?? (code === "invalid_client" || code === "invalid_token" ? 401 : 400);
      return oauthError(status, code, msg ?? "simulated vendor error");
    }
    return json(httpStatus ?? 400, { error_code: String(code), error_msg: msg ?? "simulated vendor error" });
  },

  accountFor(state, req) {
    const id = new URLSearchParams(req.body.toString("utf8")).get("client_id");
    return id && state.oneaccess.has(id) ? id : state.demo.oneaccess.clientId;
  },
};
