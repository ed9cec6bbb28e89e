// A strict RFC 6749 server of the client credentials (4.4), password (4.3) and authorization code
// (4.1 with PKCE, oauth2-authorize.ts) grants, with refresh tokens (6) that work once (each refresh answers a new one), and a resource API (RFC 6750). Client
// authentication as 2.3.1: HTTP Basic with the form-urlencoded id and secret, or both in the body,
// never both, for every grant; errors as 5.2; answers as 5.1 with a lower-case token_type, with or
// without expires_in.
import { randomBytes } from "node:crypto";
import { bearerToken, isReply, json, mediaType } from "./http-util";
import { authorize, idToken, redeemCode } from "./oauth2-authorize";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { OAuth2Account, Reply, SimRequest } from "./types";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
const ERROR_URI = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2";
/** How long a refresh token of the password grant lives (it also ends when used). */
const REFRESH_LIFETIME_SECONDS = 86_400;

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error, error_description: description, error_uri: ERROR_URI }, { ...NO_STORE, ...headers });
}

function invalidClient(basic: boolean): Reply {
  // 5.2: 401 with WWW-Authenticate when the client tried HTTP Basic.
  return oauthError(
    401,
    "invalid_client",
    "Client authentication failed",
    basic ? { "www-authenticate": 'Basic realm="simulator"' } : {},
  );
}

/** application/x-www-form-urlencoded decoding (Appendix B), strict: a bad %-escape is an error. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, " "));
}

type Client = { id: string; secret: string; basic: boolean };

function client(req: SimRequest, form: URLSearchParams): Client | Reply {
  const auth = req.headers.authorization;
  if (auth !== undefined && /^Basic /i.test(auth)) {
    if (form.has("client_secret")) {
      return oauthError(400, "invalid_request", "The client used more than one authentication method");
    }
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return invalidClient(true);
    try {
      return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)), basic: true };
    } catch {
      return invalidClient(true);
    }
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  if (!id || secret === null) return invalidClient(false);
  return { id, secret, basic: false };
}

function token(state: SimState, req: SimRequest): Reply {
  if (mediaType(req.headers) !== "application/x-www-form-urlencoded") {
    return oauthError(400, "invalid_request", "The request must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(req.body.toString("utf8"));
  const grant = form.get("grant_type");
  if (!grant) return oauthError(400, "invalid_request", "grant_type is missing");
  const who = client(req, form);
  if (isReply(who)) return who;
  const account = state.oauth2.get(who.id);
  if (!account || account.clientSecret !== who.secret) return invalidClient(who.basic);
  if (grant === "password") return passwordGrant(state, account, form);
  if (grant === "refresh_token") return refreshGrant(state, account, form);
  if (grant === "authorization_code") return codeGrant(state, account, form, req);
  if (grant !== "client_credentials") return oauthError(400, "unsupported_grant_type", `grant_type ${grant}`);
  if (!account.clientCredentials) {
    return oauthError(400, "unauthorized_client", "The client may not use the client credentials grant");
  }
  const asked = askedScopes(form);
  const refused = asked.filter((scope) => !account.scopes.includes(scope));
  if (refused.length) return oauthError(400, "invalid_scope", `Scope not allowed: ${refused.join(" ")}`);
  const rec = state.issue("oauth2", account.clientId);
  return json(200, successBody(rec.token, state.lifetimes.oauth2, account, asked), NO_STORE);
}

const askedScopes = (form: URLSearchParams) => (form.get("scope") ?? "").split(" ").filter(Boolean);

/** 4.3.2: the user's username and password, each exactly once; a token and a refresh token. */
function passwordGrant(state: SimState, account: OAuth2Account, form: URLSearchParams): Reply {
  if (account.username === undefined)
    return oauthError(400, "unauthorized_client", "The client may not use the password grant");
  const username = form.getAll("username");
  const password = form.getAll("password");
  if (username.length !== 1 || password.length !== 1) {
    return oauthError(400, "invalid_request", "username and password are each required once");
  }
  if (username[0] !== account.username || password[0] !== account.password) {
    return oauthError(400, "invalid_grant", "The resource owner credentials are invalid");
  }
  const asked = askedScopes(form);
  const refused = asked.filter((scope) => !account.scopes.includes(scope));
  if (refused.length) return oauthError(400, "invalid_scope", `Scope not allowed: ${refused.join(" ")}`);
  return withRefreshToken(state, account, asked);
}

/** 4.1.3: the code, the same redirect_uri and the PKCE verifier; a token, a refresh token and, with openid, an ID token. */
function codeGrant(state: SimState, account: OAuth2Account, form: URLSearchParams, req: SimRequest): Reply {
  const redeemed = redeemCode(state, account, form);
  if ("refused" in redeemed) return oauthError(400, "invalid_grant", redeemed.refused);
  const { code } = redeemed;
  const asked = code.scopes.filter((scope) => scope !== "openid");
  const reply = withRefreshToken(state, account, asked);
  const body = JSON.parse(String(reply.body)) as Record<string, unknown>;
  code.refreshToken = String(body.refresh_token);
  if (code.scopes.includes("openid")) body.id_token = idToken(`http://${req.headers.host}`, account, code.username);
  return json(200, body, NO_STORE);
}

/** 6: a refresh token of this client, unused and unexpired; it ends here, and a new one comes with the token. */
function refreshGrant(state: SimState, account: OAuth2Account, form: URLSearchParams): Reply {
  const value = form.get("refresh_token");
  if (!value) return oauthError(400, "invalid_request", "refresh_token is missing");
  const rec = state.findRefresh("oauth2", value);
  if (!rec || rec.accountId !== account.clientId || rec.used || state.isRefreshExpired(rec)) {
    return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used");
  }
  rec.used = true;
  return withRefreshToken(state, account, askedScopes(form));
}

function withRefreshToken(state: SimState, account: OAuth2Account, asked: string[]): Reply {
  const rec = state.issue("oauth2", account.clientId);
  const refresh = state.issueRefresh(rec, `rt-${randomBytes(18).toString("hex")}`, REFRESH_LIFETIME_SECONDS);
  const body = successBody(rec.token, state.lifetimes.oauth2, account, asked);
  return json(200, { ...body, refresh_token: refresh.token }, NO_STORE);
}

function successBody(value: string, expiresIn: unknown, account: OAuth2Account, asked: string[]): object {
  const scope = (asked.length ? asked : account.scopes).join(" ");
  return account.omitExpiresIn
    ? { access_token: value, token_type: "bearer", scope }
    : { access_token: value, token_type: "bearer", expires_in: expiresIn, scope };
}

/** RFC 6750 3.1: a resource that answers 401 invalid_token for an unknown or expired token. */
function api(state: SimState, req: SimRequest): Reply {
  const value = bearerToken(req.headers);
  const rec = state.find("oauth2", value);
  if (!rec || state.isExpired(rec)) {
    return json(
      401,
      { error: "invalid_token", error_description: "The access token is invalid or expired" },
      { "www-authenticate": 'Bearer error="invalid_token"' },
    );
  }
  return json(200, {
    things: [
      { id: "thing-1", name: "Pump 1" },
      { id: "thing-2", name: "Pump 2" },
    ],
  });
}

export const oauth2: ProviderModule = {
  handle(state, req) {
    if (req.endpoint === "oauth2.authorize") return authorize(state, req);
    return req.endpoint === "oauth2.token" ? token(state, req) : api(state, req);
  },
  sample(state, req, t) {
    if (req.endpoint === "oauth2.api") return t === null ? {} : { things: [] };
    if (t === null) return { token_type: "bearer" };
    const v = t ?? { value: "sim-oauth2-token", expiresIn: state.lifetimes.oauth2 };
    return successBody(v.value, v.expiresIn, { ...state.demo.oauth2, omitExpiresIn: false }, []);
  },
  vendorError(_req, code, msg, httpStatus) {
    return oauthError(httpStatus ?? (code === "invalid_client" ? 401 : 400), String(code), msg ?? "simulated error");
  },
  accountFor(state) {
    return state.demo.oauth2.clientId;
  },
};
