// Checks shared by the adapters' response parsers: what makes a body JSON, a token usable and an
// expiry believable. Each throws a TokenError that names the vendor, the HTTP status and the code.
import { TokenError, type HintKey } from "../errors";
import { believedLifetimeMs, isTokenValue } from "../token";
import type { ParsedToken, RawResponse } from "./types";

/** A provider's hints: the catalog keys "<provider>.<code>" (errors.*) of the codes it explains itself. */
export interface Hints<P extends string, C extends string> {
  readonly keys: ReadonlyArray<`${P}.${C}` & HintKey>;
  /** The hint key for this code, or undefined when the provider has no hint for it. */
  forCode(code: string): (`${P}.${C}` & HintKey) | undefined;
}

export function hints<P extends string, C extends string>(provider: P, codes: readonly C[]): Hints<P, C> {
  const keys = codes.map((code) => `${provider}.${code}` as const);
  return {
    keys,
    forCode: (code) => keys.find((key) => key === `${provider}.${code}`),
  };
}

export function headerValue(response: Pick<RawResponse, "headers">, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parse the body as a JSON object; anything else (HTML error page, truncated JSON) is an error. */
export function parseJsonObject(vendor: string, response: RawResponse): Record<string, unknown> {
  const text = response.body.trim();
  const type = headerValue(response, "content-type") ?? "";
  if (text.startsWith("<") || /text\/html/i.test(type)) {
    throw new TokenError({ kind: "response", vendor, key: "html", httpStatus: response.status });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TokenError({
      kind: "response",
      vendor,
      key: text === "" ? "empty-body" : "not-json",
      httpStatus: response.status,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TokenError({ kind: "response", vendor, key: "wrong-shape", httpStatus: response.status });
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parse the body, but when it is no JSON object and the status is an error, report the status:
 * a gateway's HTML or empty page on a 502 is first of all a 502.
 */
export function parseJsonOrHttpError(vendor: string, response: RawResponse): Record<string, unknown> {
  try {
    return parseJsonObject(vendor, response);
  } catch (err) {
    if (response.status !== 200) throw httpError(vendor, response);
    throw err;
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A vendor code as text: numbers and strings alike, undefined when absent. */
export function codeOf(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  return undefined;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** An HTTP error status (with the vendor's code if the body had one): 429 and 5xx say when to come back. */
export function httpError(vendor: string, response: RawResponse, requestId?: string, code?: string): TokenError {
  const retryAfterMs = parseRetryAfter(headerValue(response, "retry-after"));
  return new TokenError({
    kind: "http",
    vendor,
    key: httpErrorKey(response.status),
    httpStatus: response.status,
    requestId,
    retryAfterMs,
    code,
  });
}

/** Rate limits and server errors are transient whatever the body says: they get the backoff wording. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function httpErrorKey(status: number): "rate-limited" | "server-error" | "http-status" {
  return status === 429 ? "rate-limited" : status >= 500 ? "server-error" : "http-status";
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turn the vendor's token and expiry fields into a ParsedToken, or say exactly what is wrong. */
export function validToken(
  vendor: string,
  response: RawResponse,
  token: unknown,
  expiry: unknown,
  fields: { token: string; expiry: string },
  requestId?: string,
): ParsedToken {
  const base = { kind: "response" as const, vendor, httpStatus: response.status, requestId };
  if (typeof token !== "string" || token.trim() === "") {
    throw new TokenError({ ...base, key: "no-token", params: { field: fields.token } });
  }
  // A token goes into an HTTP header: control characters or spaces there would corrupt the request.
  if (!isTokenValue(token)) {
    throw new TokenError({ ...base, key: "bad-token", params: { field: fields.token } });
  }
  const seconds = typeof expiry === "string" && /^\s*\d+(\.\d+)?\s*$/.test(expiry) ? Number(expiry) : expiry;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TokenError({
      ...base,
      key: expiry === undefined || expiry === null ? "no-expiry" : "bad-expiry",
      params: { field: fields.expiry, value: String(JSON.stringify(expiry)) },
    });
  }
  // The same lifetime rule as a token read from Redis or context (token.ts): at least a second, at most a day.
  const lifetime = believedLifetimeMs(seconds);
  if (!lifetime) {
    throw new TokenError({ ...base, key: "short-expiry", params: { field: fields.expiry, value: String(seconds) } });
  }
  return lifetime.capped
    ? { token, expiresIn: lifetime.ms / 1000, cappedFrom: seconds }
    : { token, expiresIn: lifetime.ms / 1000 };
}
