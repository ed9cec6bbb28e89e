// What the api request node sends for a message: its settings (read once, from the saved config)
// and the call they make of a message: method, URL with msg.query, request headers and the exact
// body bytes (which EnOS signs). Pure: the node glue sends it.
import { TokenError } from "../errors";
import { asRecord } from "../providers/parse";
import { joinUrl } from "../providers/url";
import { serializeBody } from "./api-call";
import type { NodeDef, NodeMessage } from "./node-red";
import { isResponseHeaders } from "./response-headers";

export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];
/** Methods whose call carries msg.payload as its body (as the core http request node sends it). */
const WITH_BODY: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

export interface ApiRequestSettings {
  /** A fixed method, or "use": take msg.method. */
  method: ApiMethod | "use";
  /** An absolute URL, a path resolved against the credentials' URL, or "" to take msg.url. */
  url: string;
  /** msg.payload of the answer: parsed JSON, text, or a Buffer. */
  ret: "obj" | "txt" | "bin";
  /** One forced refresh and one resend when the vendor says the token is no longer valid. */
  retry: boolean;
  /** A vendor error goes to Catch nodes, or is sent on with its status for a switch to handle. */
  errors: "catch" | "output";
}

function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === "string" && (API_METHODS as readonly string[]).includes(value);
}

export function readApiRequestSettings(config: NodeDef): ApiRequestSettings {
  return {
    method: config.method === "use" || isApiMethod(config.method) ? config.method : "GET",
    url: typeof config.url === "string" ? config.url.trim() : "",
    ret: config.ret === "txt" || config.ret === "bin" ? config.ret : "obj",
    retry: config.retry !== false,
    errors: config.errors === "output" ? "output" : "catch",
  };
}

/** One call as it goes out (before its auth headers, which depend on the token). */
export interface PlannedCall {
  method: ApiMethod;
  url: string;
  /** Method and path only, for messages: a query value may be an id or a secret. */
  label: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** What a call is planned from: a message's method, URL, query, headers and payload (or a next page's). */
export interface CallParts {
  readonly method: ApiMethod;
  readonly url: unknown;
  readonly query: unknown;
  readonly headers: unknown;
  readonly payload: unknown;
}

/** The parts of the call a message asks for: the node's method and URL, else the message's. */
export function callParts(settings: ApiRequestSettings, msg: NodeMessage, vendor: string): CallParts {
  const method = settings.method === "use" ? methodOf(msg.method, vendor) : settings.method;
  return { method, url: settings.url || msg.url, query: msg.query, headers: msg.headers, payload: msg.payload };
}

export function planCall(settings: ApiRequestSettings, msg: NodeMessage, baseUrl: string, vendor: string): PlannedCall {
  return planParts(callParts(settings, msg, vendor), baseUrl, vendor);
}

export function planParts(parts: CallParts, baseUrl: string, vendor: string): PlannedCall {
  const { method } = parts;
  const url = withQuery(resolveUrl(parts.url, baseUrl, vendor), parts.query, vendor);
  const headers = requestHeaders(parts.headers);
  const body = sendsBody(method) ? bodyOf(parts.payload, headers, vendor) : undefined;
  return { method, url: url.toString(), label: `${method} ${url.pathname}`, headers: stringHeaders(headers), body };
}

/** Whether a call of this method carries msg.payload as its body. */
export function sendsBody(method: ApiMethod): boolean {
  return WITH_BODY.has(method);
}

function methodOf(value: unknown, vendor: string): ApiMethod {
  const method = typeof value === "string" ? value.trim().toUpperCase() : "";
  if (isApiMethod(method)) return method;
  throw new TokenError({ kind: "config", vendor, key: "api-method", params: { methods: API_METHODS.join(", ") } });
}

/** "/path" joins the credentials' API URL (its path prefix kept); anything else must be an absolute URL. */
function resolveUrl(value: unknown, baseUrl: string, vendor: string): URL {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw new TokenError({ kind: "config", vendor, key: "api-url" });
  // oauth2 and custom with no API URL: only absolute URLs (to their API hosts).
  if (text.startsWith("/") && !baseUrl) throw new TokenError({ kind: "config", vendor, key: "no-api-url" });
  try {
    return new URL(text.startsWith("/") ? joinUrl(baseUrl, text) : text);
  } catch {
    throw new TokenError({ kind: "config", vendor, key: "bad-url" });
  }
}

/** msg.query's entries added to the URL's own, encoded; an array repeats its name. */
function withQuery(url: URL, query: unknown, vendor: string): URL {
  if (query === undefined || query === null) return url;
  const entries = asRecord(query);
  if (!entries) throw new TokenError({ kind: "config", vendor, key: "api-query" });
  for (const [name, value] of Object.entries(entries)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined || item === null) continue;
      const text = primitiveText(item);
      if (text === undefined) throw new TokenError({ kind: "config", vendor, key: "api-query" });
      url.searchParams.append(name, text);
    }
  }
  return url;
}

/** msg.headers as request headers: a response's headers left by an earlier request node are not. */
function requestHeaders(value: unknown): Record<string, unknown> {
  const given = asRecord(value);
  return given && !isResponseHeaders(given) ? { ...given } : {};
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value.map(primitiveText).join(", ") : primitiveText(value);
    if (text !== undefined) result[name] = text;
  }
  return result;
}

function bodyOf(payload: unknown, headers: Record<string, unknown>, vendor: string): string | Buffer | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload === "string" || Buffer.isBuffer(payload)) return payload;
  try {
    return serializeBody(payload, headers);
  } catch {
    // JSON.stringify throws on a circular object or a BigInt.
    throw new TokenError({ kind: "config", vendor, key: "api-body" });
  }
}

/** A string, number, boolean or bigint as text; undefined for anything else (null, objects). */
export function primitiveText(value: unknown): string | undefined {
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean" || typeof value === "bigint"
      ? String(value)
      : undefined;
}
