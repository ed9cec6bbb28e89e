// What every request of a custom provider carries: the auth header (authHeader / authValue) on an
// API call, and what the `sign` expression adds to any request (token, refresh, API call): headers,
// query entries and body fields, from the request as it would be sent without them.
import { replaceHeaders } from "./bound";
import { evaluate, expressionFailed } from "./custom-evaluate";
import { HEADER_NAME, type CustomSettings } from "./custom-settings";
import { newStamp, requestBindings } from "./custom-bindings";
import { absent } from "./custom-absent";
import { asRecord } from "./parse";
import type { Credentials, VendorRequest } from "./types";

const FORM = "application/x-www-form-urlencoded";
/** What a header value may not hold (it would split the request). */
const LINE_BREAK = /[\r\n\0]/;

/** The request as it goes out, once sign's additions are made. */
export async function signRequest(
  settings: CustomSettings,
  credentials: Credentials,
  request: VendorRequest,
  token: string | undefined,
  now: number,
): Promise<VendorRequest> {
  const stamp = request.stamp ?? newStamp(now);
  const url = new URL(request.url);
  const body = bodyText(request.body);
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const seen = {
    purpose: request.purpose,
    method: request.method.toUpperCase(),
    url: url.toString(),
    path: url.pathname,
    query: queryObject(url.searchParams),
    body,
    headers,
    token: token ?? "",
  };
  const context = { ...requestBindings(credentials, stamp), ...seen };
  const signed = await evaluate(settings, "sign", seen, context, credentials);
  if (signed === undefined) return request;
  const parts = asRecord(signed);
  if (!parts) throw expressionFailed("sign", "it must give an object {headers, query, body}");
  const sent = replaceHeaders({ ...request.headers }, signedHeaders(parts.headers));
  // The body's type is what goes out: sign may set it (a form for a call that had no body).
  const merged = withFields(request, contentType(sent), body, parts.body);
  // A JSON body made from nothing says what it is, as the core http request node says it.
  if (merged.created && !contentType(sent)) sent["content-type"] = "application/json";
  return { ...request, url: withQuery(url, parts.query).toString(), headers: sent, body: merged.body };
}

function contentType(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
}

/** The body as text for $body: "" when none. */
function bodyText(body: VendorRequest["body"]): string {
  if (body === undefined) return "";
  return typeof body === "string" ? body : Buffer.from(body).toString("utf8");
}

/** Each name -> its decoded text, or an array of texts for a repeated name. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
}

function signedHeaders(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const given = asRecord(value);
  if (!given) throw expressionFailed("sign", "its headers must be an object of header names and texts");
  const headers: Record<string, string> = {};
  for (const [name, item] of Object.entries(given)) {
    if (absent(item)) continue;
    const text = scalarText(item);
    if (text === undefined || LINE_BREAK.test(text) || !HEADER_NAME.test(name)) {
      throw expressionFailed("sign", "its headers must be header names with texts (no line breaks)");
    }
    headers[name] = text;
  }
  return headers;
}

function withQuery(url: URL, value: unknown): URL {
  if (value === undefined) return url;
  const given = asRecord(value);
  if (!given) throw expressionFailed("sign", "its query must be an object of names and texts");
  for (const [name, item] of Object.entries(given)) {
    for (const one of Array.isArray(item) ? (item as unknown[]) : [item]) {
      if (absent(one)) continue;
      const text = scalarText(one);
      if (text === undefined)
        throw expressionFailed("sign", "its query values must be texts, numbers or lists of them");
      url.searchParams.append(name, text);
    }
  }
  return url;
}

/** sign's body fields merged into a form or JSON object body (a new JSON one when there is none), before it is written. */
function withFields(
  request: VendorRequest,
  type: string,
  text: string,
  value: unknown,
): { body: VendorRequest["body"]; created?: boolean } {
  if (value === undefined) return { body: request.body };
  const fields = asRecord(value);
  if (!fields) throw expressionFailed("sign", "its body must be an object of fields");
  if (type.toLowerCase().startsWith(FORM)) {
    const form = new URLSearchParams(text);
    for (const [name, item] of Object.entries(fields)) {
      if (!absent(item)) form.set(name, scalarText(item) ?? JSON.stringify(item));
    }
    return { body: form.toString() };
  }
  const created = text.trim() === "";
  const object = asRecord(created ? {} : parseJson(text));
  if (!object) throw expressionFailed("sign", "body fields need a form or JSON object body to go into");
  return { body: JSON.stringify({ ...object, ...fields }), created };
}

/** The JSON value of `text`, or undefined when it is no JSON. */
function parseJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No JSON: no value, and no object to merge fields into.
  }
  return parsed;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : undefined;
}
