// How an API call's answer is read: ok, "the token is no longer valid" (refresh once and resend),
// or a vendor error with its code and text. Two shapes cover the providers: a `code` in a JSON body
// that may come with HTTP 200 (OrionStar, EnOS), and plain HTTP statuses with an OAuth2-style
// body (OneAccess, RFC 6750 servers).
import { asRecord, codeOf, headerValue, parseRetryAfter, textOf } from "./parse";
import type { ApiVerdict, RawResponse } from "./types";

/** The body as a JSON object, or undefined (not JSON, or not an object): error bodies need not be JSON. */
function jsonBody(response: RawResponse): Record<string, unknown> | undefined {
  const text = response.body.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function httpFailure(response: RawResponse, code: string | undefined, text: string | undefined): ApiVerdict {
  const retryAfterMs = parseRetryAfter(headerValue(response, "retry-after"));
  return { outcome: "error", code, text, retryAfterMs };
}

export interface CodeInBody {
  /** The body field that holds the code; 0 (or "0") is success. */
  codeField: string;
  messageField: string;
  /** Codes that say the token is no longer valid. */
  rejectedCodes: readonly string[];
  /** HTTP statuses that say the same (EnOS's gateway answers 401). */
  rejectedStatuses?: readonly number[];
}

/** OrionStar and EnOS: `{code, msg, ...}`, errors as a non-zero code, often with HTTP 200. */
export function codeInBodyVerdict(response: RawResponse, shape: CodeInBody): ApiVerdict {
  const body = jsonBody(response);
  const code = body && codeOf(body[shape.codeField]);
  const text = body && textOf(body[shape.messageField]);
  if ((code !== undefined && shape.rejectedCodes.includes(code)) || shape.rejectedStatuses?.includes(response.status)) {
    return { outcome: "token-rejected", code, text };
  }
  if (response.status >= 400) return httpFailure(response, code === "0" ? undefined : code, text);
  if (code !== undefined && code !== "0") return { outcome: "error", code, text };
  return { outcome: "ok" };
}

/**
 * OAuth2 resource servers (RFC 6750 3.1): 401 means the token is not (or no longer) accepted, with
 * or without `WWW-Authenticate: Bearer error="invalid_token"`; other errors by status, their code
 * and text from `{error, error_description}` or OneAccess's `{error_code, error_msg}`.
 */
export function bearerVerdict(response: RawResponse): ApiVerdict {
  if (response.status < 400) return { outcome: "ok" };
  const body = jsonBody(response);
  const code = body && (codeOf(body.error_code) ?? codeOf(body.error));
  const text = body && (textOf(body.error_msg) ?? textOf(body.error_description));
  if (response.status === 401) {
    // The code from the body, else from the challenge (RFC 6750 3: error="invalid_token").
    const challenge = /\berror="([^"]*)"/.exec(headerValue(response, "www-authenticate") ?? "")?.[1];
    return { outcome: "token-rejected", code: code ?? (challenge || undefined), text };
  }
  return httpFailure(response, code, text);
}

/** RFC 6750 2.1: the token in the Authorization header, as OrionStar, OneAccess and OAuth2 servers take it. */
export function bearerHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
