// The authorization code grant with PKCE (RFC 6749 4.1, RFC 7636 S256): a user's sign-in. What the
// browser is sent to (4.1.1 with the code challenge), the exchange of the code (4.1.3 with the code
// verifier) and the account's name for display. Pure: random values come from node:crypto, no
// Node-RED, no I/O, no clock.
import { createHash, randomBytes } from "node:crypto";
import { parseJsonObject } from "./parse";
import type { RawResponse } from "./types";

/** The `grant` value of a user's sign-in. */
export const AUTHORIZATION_CODE = "authorization_code";

/**
 * A PKCE code verifier (RFC 7636 4.1): 32 random octets, base64url, 43 characters of the unreserved
 * set, the length the RFC recommends.
 */
export function newVerifier(): string {
  return randomBytes(32).toString("base64url");
}

/** The S256 challenge of a verifier (RFC 7636 4.2): base64url(SHA-256(ASCII(verifier))), no padding. */
export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** An unguessable, single-use `state` (RFC 6749 10.12): 32 random octets, base64url. */
export function newState(): string {
  return randomBytes(32).toString("base64url");
}

export interface AuthorizationParams {
  readonly authorizationUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** Space-separated, "" for none (the server's default scope). */
  readonly scope: string;
  readonly state: string;
  readonly verifier: string;
}

/**
 * Where the browser goes to sign in (4.1.1, RFC 7636 4.3). A query the endpoint's URL already has is
 * kept (3.1: "MUST be retained"); our parameters replace any of the same name.
 */
export function authorizationRedirect(params: AuthorizationParams): string {
  const url = new URL(params.authorizationUrl);
  const query = url.searchParams;
  query.set("response_type", "code");
  query.set("client_id", params.clientId);
  query.set("redirect_uri", params.redirectUri);
  if (params.scope) query.set("scope", params.scope);
  else query.delete("scope");
  query.set("state", params.state);
  query.set("code_challenge", challengeOf(params.verifier));
  query.set("code_challenge_method", "S256");
  return url.toString();
}

/** The grant's part of the token request body (4.1.3 and RFC 7636 4.5); the client authenticates as for any grant. */
export function codeExchangeForm(code: string, redirectUri: string, verifier: string): Record<string, string> {
  return { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier };
}

/** Longer names are cut: a display name, not data. */
const MAX_NAME_LENGTH = 200;
/** The claims that name an account, in the order they are preferred (OpenID Connect Core 5.1). */
const NAME_CLAIMS = ["name", "preferred_username", "email"] as const;

/**
 * The signed-in account's name for the editor, from a token answer: the ID token's claims (OpenID
 * Connect), else the answer's own fields of the same names. The ID token's signature is NOT checked:
 * the name is only shown to the user who just signed in, never used to decide anything, and the
 * answer came straight from the token endpoint over the client's own TLS connection (OIDC Core
 * 3.1.3.7 allows TLS server validation in place of the signature in this flow).
 */
export function accountNameOf(response: RawResponse): string | undefined {
  let body: Record<string, unknown>;
  try {
    body = parseJsonObject("", response);
  } catch {
    return undefined;
  }
  return nameIn(idTokenClaims(body.id_token)) ?? nameIn(body);
}

function idTokenClaims(idToken: unknown): Record<string, unknown> | undefined {
  if (typeof idToken !== "string") return undefined;
  const payload = idToken.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return claims !== null && typeof claims === "object" ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function nameIn(fields: Record<string, unknown> | undefined): string | undefined {
  if (!fields) return undefined;
  for (const claim of NAME_CLAIMS) {
    const value = fields[claim];
    if (typeof value !== "string") continue;
    // Shown as text, but a control character has no place in a name.
    const name = value.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
    if (name) return name.slice(0, MAX_NAME_LENGTH);
  }
  return undefined;
}
