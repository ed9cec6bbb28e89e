// One error type for everything that can go wrong while obtaining a token. It carries what a
// user needs to act (vendor, HTTP status, vendor code, request id, a hint) and a catalog key so the
// Node-RED side can show it in the editor's language. It never carries a secret: messages are
// built from catalog templates and non-secret parameters only, and `cause` is never attached.
import { formatMessage, type MessageParams } from "./messages";

/**
 * Every key a TokenError can carry, by kind: a closed set, each with a text in every catalog
 * (errors.<key>) and a short status reason (access-token.status.reason.<key>). A provider's hints for
 * its own codes are the one open end (HintKey): each provider lists its own.
 */
export const ERROR_KEYS = {
  /** The vendor answered with an error code. */
  vendor: ["vendor-code"],
  /** The answer could not be understood (HTML, bad JSON, missing token ...). */
  response: [
    "html",
    "empty-body",
    "not-json",
    "wrong-shape",
    "no-code",
    "no-token",
    "bad-token",
    "no-expiry",
    "bad-expiry",
    "short-expiry",
    "bad-token-type",
    "unexpected",
  ],
  /** An HTTP error status without a vendor code. */
  http: ["http-status", "rate-limited", "server-error"],
  /** Connection refused, DNS, TLS, reset. */
  network: ["connection-refused", "dns", "tls", "connection-reset", "proxy", "proxy-unreachable", "network"],
  timeout: ["timeout"],
  "too-large": ["too-large"],
  /** Our own configuration is unusable (bad URL, plain HTTP, missing credential, a JSONata expression that fails). */
  config: [
    "bad-url",
    "https-required",
    "missing-field",
    "no-credentials",
    "sign-needs-url",
    // Credentials without a token endpoint sign each API call: they have no token to give.
    "no-token-endpoint",
    // A saved setting the editor would have refused (a hand-edited or imported flow).
    "context-key",
    "margin",
    "proxy-url",
    // OAuth2 client authentication: a private key that cannot be read, a TLS node without a client certificate.
    "private-key",
    "client-certificate",
    // The api request node's input: what a message (or the node's settings) asked for cannot be sent.
    "api-method",
    "api-url",
    "api-query",
    "api-body",
    // Where an api request may send the token: its credentials' API URL and API hosts.
    "no-api-url",
    "api-origin",
    "api-origin-none",
    "bad-api-host",
    // The generic providers' settings and JSONata expressions.
    "bad-setting",
    "bad-expression",
    "expression-failed",
    // An expression stopped at a bound of its evaluation (time, nesting depth, result size).
    "expression-timeout",
    "expression-depth",
    "expression-size",
    // The api request node's pages: no convention to page by, its expressions, their answer.
    "api-paginate-preset",
    "api-max-pages-setting",
    "api-page-expression",
    "api-next-page",
    // The api request node's busy "wait": a maxWait it cannot use.
    "api-max-wait-setting",
    // A sign-in was asked of credentials whose grant has none (only authorization_code has one).
    "no-sign-in",
  ],
  /** An API call made by the api request node was refused by the vendor. */
  api: ["api-code", "api-status", "api-rate-limited", "api-token-rejected", "api-token-expired", "api-max-pages"],
  /** The credentials node's rate limit: more calls waiting than its maxQueue allows. */
  queue: ["queue-full"],
  /** The node was closed while the request was in flight. */
  aborted: ["aborted"],
  /** Credentials of a user's sign-in (authorization code) without one: never signed in, or the server ended it. */
  "sign-in": ["sign-in-required"],
} as const;

export type TokenErrorKind = keyof typeof ERROR_KEYS;
export type ErrorKey = (typeof ERROR_KEYS)[TokenErrorKind][number];
/** A provider's hint for one of its codes, "<provider>.<code>" ("orionstar.101025"), listed in its `hints`. */
export type HintKey = `${string}.${string}`;

interface CommonDetails {
  vendor: string;
  params?: MessageParams;
  httpStatus?: number;
  code?: string;
  requestId?: string;
  /** The vendor asked us to wait this long before trying again (Retry-After). */
  retryAfterMs?: number;
  /** The page of a list (the api request node's pages, from 1) the error happened on. */
  page?: number;
}

/** A kind with one of its own keys; vendor codes and HTTP statuses may instead carry a provider's hint. */
export type TokenErrorDetails = {
  [K in TokenErrorKind]: CommonDetails & {
    kind: K;
    key: (typeof ERROR_KEYS)[K][number] | (K extends "vendor" | "http" ? HintKey : never);
  };
}[TokenErrorKind];

export class TokenError extends Error {
  readonly kind: TokenErrorKind;
  readonly vendor: string;
  readonly key: ErrorKey | HintKey;
  readonly params: MessageParams;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly page?: number;
  /** What it was made from: a copy with some details changed (redaction) starts from these. */
  readonly details: TokenErrorDetails;

  constructor(details: TokenErrorDetails) {
    const params: MessageParams = {
      vendor: details.vendor,
      status: details.httpStatus,
      code: details.code,
      ...details.params,
    };
    super(composeMessage(details.key, params, details.requestId, details.page));
    this.name = "TokenError";
    this.kind = details.kind;
    this.vendor = details.vendor;
    this.key = details.key;
    this.params = params;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.page = details.page;
    this.details = details;
  }

  /** Re-render the message with another catalog (the Node-RED runtime's language). */
  localize(translate: (key: string, params: MessageParams) => string): string {
    return composeMessage(this.key, this.params, this.requestId, this.page, translate);
  }
}

/**
 * Values quoted from a vendor answer or a setting (`value`, `type`) are kept whole in the params and
 * cut only here, when the text is composed: redaction (redact.ts) works on the whole value and composes
 * anew, so a cut can never leave half a secret unmasked.
 */
const QUOTED_PARAMS = ["value", "type"];
export const MAX_QUOTE_LENGTH = 40;

function clipQuotes(params: MessageParams): MessageParams {
  const clipped = { ...params };
  for (const name of QUOTED_PARAMS) {
    const value = clipped[name];
    if (typeof value === "string" && value.length > MAX_QUOTE_LENGTH)
      clipped[name] = `${value.slice(0, MAX_QUOTE_LENGTH)}…`;
  }
  return clipped;
}

function composeMessage(
  key: string,
  params: MessageParams,
  requestId: string | undefined,
  page: number | undefined,
  translate: (key: string, params: MessageParams) => string = formatMessage,
): string {
  const text = translate(`errors.${key}`, clipQuotes(params));
  const onPage = page === undefined ? text : `${text} ${translate("errors.page", { page })}`;
  return requestId ? `${onPage} ${translate("errors.request-id", { requestId })}` : onPage;
}

/**
 * Credentials of a user's sign-in that have none: never signed in, or the authorization server
 * refused the refresh token (invalid_grant). `name`: the credentials node's, so that the user knows
 * where to sign in again.
 */
export function signInRequired(vendor: string, name?: string): TokenError {
  return new TokenError({ kind: "sign-in", vendor, key: "sign-in-required", params: { name } });
}
