// The authorization code grant (RFC 6749 4.1) with PKCE S256 (RFC 7636) of the simulator's RFC 6749
// server: an authorization endpoint with a minimal sign-in page (the demo user prefilled), and the
// code's exchange at the token endpoint. Strict: the redirect URI must be registered (exactly, the
// port aside for a loopback one, RFC 8252 7.3) and named again at the exchange, the code is
// single-use and lives 60 s, S256 is the only method and the verifier must hash to the challenge.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { SimState } from "./state";
import type { AuthorizationCode, OAuth2Account, Reply, SimRequest } from "./types";

/** RFC 6749 4.1.2: "a maximum authorization code lifetime of 10 minutes is RECOMMENDED"; shorter here. */
export const CODE_LIFETIME_MS = 60_000;
/** RFC 7636 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A redirect URI the client registered: exactly, or a loopback one on any port (RFC 8252 7.3). */
export function registeredRedirect(account: OAuth2Account, uri: string): boolean {
  let given: URL;
  try {
    given = new URL(uri);
  } catch {
    return false;
  }
  return account.redirectUris.some((registered) => {
    if (registered === uri) return true;
    const expected = new URL(registered);
    const loopback = ["127.0.0.1", "[::1]", "localhost"].includes(expected.hostname) && expected.protocol === "http:";
    return (
      loopback &&
      given.protocol === "http:" &&
      given.hostname === expected.hostname &&
      given.pathname === expected.pathname &&
      given.search === expected.search &&
      given.hash === ""
    );
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, body: string): Reply {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto;padding:0 1em}label{display:block;margin:.8em 0}input[type=text],input[type=password]{width:100%;padding:.4em}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY" },
    body: html,
  };
}

/** 4.1.2.1: a bad client or redirect URI is told to the user, never sent to an unchecked URI. */
const refusedPage = (text: string) => page(400, "Authorization request refused", `<p>${escapeHtml(text)}</p>`);

function redirect(to: string, params: Record<string, string | null>): Reply {
  const url = new URL(to);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return { status: 302, headers: { location: url.href, "cache-control": "no-store" }, body: "" };
}

/** The authorization request's parameters, from the query (GET) or the sign-in form (POST). */
function params(req: SimRequest): URLSearchParams {
  if (req.method === "POST") return new URLSearchParams(req.body.toString("utf8"));
  return req.url.searchParams;
}

const ASKED = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
];

/** GET: the sign-in page for a valid request; POST: the user's answer, then back to the client with a code. */
export function authorize(state: SimState, req: SimRequest): Reply {
  const form = params(req);
  const account = state.oauth2.get(form.get("client_id") ?? "");
  if (!account) return refusedPage("Unknown client_id.");
  const redirectUri = form.get("redirect_uri") ?? "";
  if (!registeredRedirect(account, redirectUri))
    return refusedPage("The redirect_uri is not registered for this client.");
  const back = (params: Record<string, string | null>) =>
    redirect(redirectUri, { ...params, state: form.get("state") });
  if (form.get("response_type") !== "code") return back({ error: "unsupported_response_type" });
  if (account.username === undefined) return back({ error: "unauthorized_client" });
  const challenge = form.get("code_challenge") ?? "";
  if (form.get("code_challenge_method") !== "S256" || !CHALLENGE.test(challenge)) {
    return back({ error: "invalid_request", error_description: "PKCE with code_challenge_method S256 is required" });
  }
  const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
  const refused = scopes.filter((scope) => scope !== "openid" && !account.scopes.includes(scope));
  if (refused.length)
    return back({ error: "invalid_scope", error_description: `Scope not allowed: ${refused.join(" ")}` });
  const username = form.get("username");
  if (req.method === "POST" && form.get("decision") === "deny") return back({ error: "access_denied" });
  if (req.method === "POST" && username === account.username && form.get("password") === account.password) {
    const code = randomBytes(24).toString("base64url");
    state.authorizationCodes.set(code, {
      clientId: account.clientId,
      redirectUri,
      challenge,
      scopes,
      username,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      used: false,
    });
    return back({ code });
  }
  const hidden = ASKED.map(
    (name) => `<input type="hidden" name="${name}" value="${escapeHtml(form.get(name) ?? "")}">`,
  );
  const wrong = req.method === "POST" ? `<p class="error">Wrong username or password.</p>` : "";
  return page(
    req.method === "POST" ? 401 : 200,
    "Sign in to the simulator",
    `<p>The client <b>${escapeHtml(account.clientId)}</b> asks for access to your account${
      scopes.length ? ` (${escapeHtml(scopes.join(" "))})` : ""
    }.</p>${wrong}
<form method="post" action="/oauth2/authorize">${hidden.join("")}
<label>Username <input type="text" name="username" value="${escapeHtml(account.username)}"></label>
<label>Password <input type="password" name="password" value="${escapeHtml(account.password ?? "")}"></label>
<button type="submit" name="decision" value="allow">Sign in and allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** What the token endpoint answers for a code: the reason it is refused, or the code's grant. */
export function redeemCode(
  state: SimState,
  account: OAuth2Account,
  form: URLSearchParams,
): { refused: string } | { code: AuthorizationCode } {
  const value = form.get("code");
  const verifier = form.get("code_verifier") ?? "";
  if (!value) return { refused: "code is missing" };
  const code = state.authorizationCodes.get(value);
  if (!code || code.clientId !== account.clientId) return { refused: "The code is invalid" };
  if (code.used) {
    // 4.1.2: a code presented twice revokes what it gave.
    if (code.refreshToken) {
      const refresh = state.findRefresh("oauth2", code.refreshToken);
      if (refresh) refresh.used = true;
    }
    return { refused: "The code was already used" };
  }
  code.used = true;
  if (Date.now() > code.expiresAt) return { refused: "The code expired" };
  if (form.get("redirect_uri") !== code.redirectUri)
    return { refused: "redirect_uri differs from the authorization request's" };
  if (!VERIFIER.test(verifier)) return { refused: "code_verifier is missing or malformed" };
  const hashed = createHash("sha256").update(verifier, "ascii").digest("base64url");
  if (hashed !== code.challenge) return { refused: "code_verifier does not match the code_challenge" };
  return { code };
}

/** An OpenID Connect ID token for the signed-in user, HS256 with the client secret (OIDC Core 10.1). */
export function idToken(issuer: string, account: OAuth2Account, username: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = { iss: issuer, sub: username, aud: account.clientId, iat: now, exp: now + 3600, name: username };
  const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${signed}.${createHmac("sha256", account.clientSecret).update(signed).digest("base64url")}`;
}
