// The auth headers a message needs for the API call that follows. For EnOS that call is signed over
// its exact body, so an object payload is serialized here, once, and the http request node then
// sends those very bytes.
import * as querystring from "node:querystring";
import { TokenError } from "../errors";
import { asRecord } from "../providers/parse";
import type { ApiCall, ProviderAdapter } from "../providers/types";
import type { NodeMessage } from "./node-red";

/** The core http request node sends no body for these (its default "ignore" payload option). */
const BODYLESS = new Set(["GET", "HEAD"]);
/**
 * The core http request node puts the response's headers in msg.headers and marks them with this
 * header. Such a set is not a request's: merged into, it would send the response's content-length
 * (and transfer-encoding, date, ...) with the next call, which then hangs waiting for a body that
 * never comes. That is exactly the message a "token expired, refresh and retry" loop sends back.
 */
const RESPONSE_HEADERS_MARK = "x-node-red-request-node";

/** Who makes the auth headers: the credentials config node, which keeps the secret they may be signed with. */
export interface AuthHeaderSource {
  readonly adapter: ProviderAdapter;
  authHeaders(token: string, call: ApiCall | undefined, now: number): Record<string, string>;
}

export function applyAuthHeaders(msg: NodeMessage, source: AuthHeaderSource, token: string, now: number): void {
  const given = asRecord(msg.headers);
  const headers: Record<string, unknown> = given && !(RESPONSE_HEADERS_MARK in given) ? { ...given } : {};
  const call = source.adapter.signsApiCalls ? signedCall(msg, headers, source.adapter) : undefined;
  // Replace any earlier value of the same header whatever its case (a retried message has one).
  const auth = source.authHeaders(token, call, now);
  const existing = Object.keys(headers);
  if (existing.length > 0) {
    for (const name of Object.keys(auth)) {
      const lower = name.toLowerCase();
      for (const header of existing) if (header.toLowerCase() === lower) delete headers[header];
    }
  }
  msg.headers = Object.assign(headers, auth);
}

function signedCall(msg: NodeMessage, headers: Record<string, unknown>, adapter: ProviderAdapter): ApiCall {
  if (typeof msg.url !== "string" || !/^https?:\/\//i.test(msg.url)) {
    throw new TokenError({ kind: "config", vendor: adapter.vendor, key: "sign-needs-url" });
  }
  const method = (typeof msg.method === "string" && msg.method ? msg.method : "GET").toUpperCase();
  if (BODYLESS.has(method) || msg.payload === undefined) {
    return { method, url: msg.url, body: "" };
  }
  if (typeof msg.payload === "string") return { method, url: msg.url, body: msg.payload };
  if (Buffer.isBuffer(msg.payload)) return { method, url: msg.url, body: msg.payload };
  // Serialize here, as the http request node would, so that the bytes signed are the bytes sent.
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  const isObject = typeof msg.payload === "object";
  const body = !isObject
    ? String(msg.payload) // eslint-disable-line @typescript-eslint/no-base-to-string -- a number or boolean: objects take the branches below
    : contentType === "application/x-www-form-urlencoded"
      ? querystring.stringify(msg.payload as querystring.ParsedUrlQueryInput)
      : JSON.stringify(msg.payload);
  msg.payload = body;
  if (isObject && contentType === undefined) headers["content-type"] = "application/json";
  return { method, url: msg.url, body };
}
