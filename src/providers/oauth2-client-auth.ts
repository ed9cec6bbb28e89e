// How an OAuth2 client proves itself at the token endpoint (the `clientAuth` property): its secret
// in an HTTP Basic header (RFC 6749 2.3.1, client_secret_basic) or in the body (client_secret_post),
// a JWT signed with its private key (RFC 7523 2.2 and OpenID Connect Core 9, private_key_jwt), or
// the TLS client certificate the connection already presents (RFC 8705 2, tls_client_auth).
import * as crypto from "node:crypto";
import { TokenError } from "../errors";
import { signingKey, signJwt, UnreadableKey, type SigningKey } from "./jwt";
import type { Credentials } from "./types";

export const CLIENT_AUTH = ["basic", "body", "private_key_jwt", "tls_client_auth"] as const;
export type ClientAuth = (typeof CLIENT_AUTH)[number];

/** The client_assertion_type of a JWT client assertion (RFC 7523 2.2). */
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** A client assertion is good for this long: enough for one request, too short to be worth stealing. */
export const ASSERTION_LIFETIME_SECONDS = 60;

/** Which credentials each way needs besides the client ID: the dialog shows and requires only those. */
export const CLIENT_AUTH_CREDENTIALS: Readonly<Record<ClientAuth, readonly string[]>> = {
  basic: ["clientSecret"],
  body: ["clientSecret"],
  private_key_jwt: ["privateKey"],
  tls_client_auth: [],
};

/** What the client's proof adds to a token request: headers, form fields, and the values to mask. */
export interface ClientProof {
  readonly headers: Record<string, string>;
  readonly form: Record<string, string>;
  readonly secrets: string[];
}

export interface ClientAuthSettings {
  readonly clientAuth: ClientAuth;
  readonly tokenUrl: string;
  /** The assertion's `kid` header ("" for none). */
  readonly keyId: string;
  /** The assertion's `aud` ("" for the token URL). */
  readonly assertionAudience: string;
}

/** application/x-www-form-urlencoded, as RFC 6749 2.3.1 wants the id and secret before Basic. */
function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, "utf8").toString("base64");
}

/**
 * The client's proof for one account, made once per request: its key is read when bound, so a key
 * that cannot be read is a config error on deploy, not at the first request.
 */
export function clientAuthenticator(
  vendor: string,
  settings: ClientAuthSettings,
  credentials: Credentials,
): (now: number) => ClientProof {
  const clientId = credentials.clientId ?? "";
  switch (settings.clientAuth) {
    case "basic": {
      const secret = credentials.clientSecret ?? "";
      const basic = basicCredentials(clientId, secret);
      return () => ({ headers: { authorization: `Basic ${basic}` }, form: {}, secrets: [secret, basic] });
    }
    case "body": {
      const secret = credentials.clientSecret ?? "";
      return () => ({ headers: {}, form: { client_id: clientId, client_secret: secret }, secrets: [secret] });
    }
    case "private_key_jwt": {
      const key = readKey(vendor, credentials.privateKey ?? "");
      return (now) => {
        const assertion = clientAssertion(key, clientId, settings, now);
        return {
          headers: {},
          form: { client_id: clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion },
          // Whoever holds the assertion is the client until it expires.
          secrets: [assertion],
        };
      };
    }
    case "tls_client_auth":
      return () => ({ headers: {}, form: { client_id: clientId }, secrets: [] });
  }
}

/** The signed JWT of RFC 7523 2.2: iss = sub = the client ID, aud = the token URL unless set, a random jti. */
export function clientAssertion(key: SigningKey, clientId: string, settings: ClientAuthSettings, now: number): string {
  const iat = Math.floor(now / 1000);
  const payload = {
    iss: clientId,
    sub: clientId,
    aud: settings.assertionAudience || settings.tokenUrl,
    jti: crypto.randomUUID(),
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
  };
  return signJwt(key, payload, settings.keyId ? { kid: settings.keyId } : {});
}

function readKey(vendor: string, pem: string): SigningKey {
  try {
    return signingKey(pem);
  } catch (err) {
    if (!(err instanceof UnreadableKey)) throw err;
    throw new TokenError({ kind: "config", vendor, key: "private-key", params: { reason: err.message } });
  }
}
