// The custom provider's token requests and how their answers are read: the token request the
// `request` expression describes, the refresh request `refreshRequest` describes, and one reading of
// either answer (`ok`, `errorCode`, `errorMessage`, `token`, `expiresIn`, `refreshToken`).
import { TokenError } from "../errors";
import { newStamp, requestBindings, secretForms } from "./custom-bindings";
import { evaluate, expressionFailed, stringRecord } from "./custom-evaluate";
import { CUSTOM_VENDOR, METHODS, type CustomSettings } from "./custom-settings";
import { asRecord, codeOf, httpError, isTransientStatus, textOf, validToken } from "./parse";
import type { Credentials, ParsedToken, RawResponse, RequestStamp, TokenRequest } from "./types";

export async function tokenRequest(
  settings: CustomSettings,
  credentials: Credentials,
  now: number,
): Promise<TokenRequest> {
  const stamp = newStamp(now);
  const input = { url: settings.tokenUrl, method: settings.method };
  const described = await evaluate(settings, "request", input, requestBindings(credentials, stamp), credentials);
  if (described !== undefined && !asRecord(described)) {
    throw expressionFailed("request", "it must give an object {query, headers, body}");
  }
  return describedRequest(settings, asRecord(described) ?? {}, settings.tokenUrl, settings.method, stamp, [
    ...secretForms(credentials.secret ?? ""),
  ]);
}

/** The refresh request: `refreshRequest` over the token request's URL and method, with $refreshToken. */
export async function refreshRequest(
  settings: CustomSettings,
  credentials: Credentials,
  refreshToken: string,
  now: number,
): Promise<TokenRequest> {
  const stamp = newStamp(now);
  const input = { url: settings.tokenUrl, method: settings.method };
  const context = { ...requestBindings(credentials, stamp), refreshToken };
  const described = await evaluate(settings, "refreshRequest", input, context, credentials);
  const parts = asRecord(described);
  if (!parts) throw expressionFailed("refreshRequest", "it must give an object {url, method, query, headers, body}");
  const method =
    parts.method === undefined
      ? settings.method
      : typeof parts.method === "string"
        ? parts.method.toUpperCase()
        : parts.method;
  if (!(METHODS as readonly unknown[]).includes(method)) {
    throw expressionFailed("refreshRequest", `its method must be one of ${METHODS.join(", ")}`);
  }
  // The refresh token is as secret as the credentials: masked wherever the answer could quote it.
  const secrets = [...secretForms(credentials.secret ?? ""), ...secretForms(refreshToken)];
  const url = refreshUrl(parts.url, settings.tokenUrl);
  return describedRequest(settings, parts, url, method as (typeof METHODS)[number], stamp, secrets);
}

/** `url` of a refresh: absent = the token URL; "/path" on the token URL's origin; else absolute. */
function refreshUrl(value: unknown, tokenUrl: string): string {
  if (value === undefined || value === null || value === "") return tokenUrl;
  if (typeof value !== "string") throw expressionFailed("refreshRequest", "its url must be a text");
  try {
    return new URL(value, new URL(tokenUrl).origin).toString();
  } catch {
    throw expressionFailed("refreshRequest", "its url must be a path or an absolute URL");
  }
}

function describedRequest(
  settings: CustomSettings,
  parts: Record<string, unknown>,
  baseUrl: string,
  method: (typeof METHODS)[number],
  stamp: RequestStamp,
  secrets: string[],
): TokenRequest {
  const url = new URL(baseUrl);
  for (const [name, value] of Object.entries(stringRecord(parts.query))) url.searchParams.append(name, value);
  const { body, type } = requestBody(settings, method, parts.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (type) headers["content-type"] = type;
  Object.assign(headers, stringRecord(parts.headers));
  return { method, url: url.toString(), headers, body, secrets, stamp };
}

function requestBody(
  settings: CustomSettings,
  method: (typeof METHODS)[number],
  body: unknown,
): { body?: string; type?: string } {
  if (method === "GET" || settings.bodyType === "none" || body === undefined) return {};
  if (settings.bodyType === "form") {
    return { body: new URLSearchParams(stringRecord(body)).toString(), type: "application/x-www-form-urlencoded" };
  }
  return { body: JSON.stringify(body), type: "application/json" };
}

/** The answer as the expressions see it: the body parsed when it is JSON, else its text. */
export function answerInput(response: RawResponse): {
  statusCode: number;
  headers: RawResponse["headers"];
  body: unknown;
} {
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body);
  } catch {
    // Not JSON: the expressions get the text.
  }
  return { statusCode: response.status, headers: response.headers, body };
}

/** A token answer or a refresh answer, read by the same expressions. */
export async function parseToken(
  response: RawResponse,
  settings: CustomSettings,
  credentials: Credentials,
  receivedAt: number,
): Promise<ParsedToken> {
  const input = answerInput(response);
  // In the answer's expressions $timestamp is when it arrived: an absolute expiry minus $timestamp.
  const context = requestBindings(credentials, newStamp(receivedAt));
  const ok = settings.ok ? Boolean(await evaluate(settings, "ok", input, context, credentials)) : response.status < 300;
  if (!ok) {
    const code = codeOf(await evaluate(settings, "errorCode", input, context, credentials));
    const msg = textOf(await evaluate(settings, "errorMessage", input, context, credentials));
    if (isTransientStatus(response.status) || (code === undefined && msg === undefined && response.status >= 400)) {
      throw httpError(CUSTOM_VENDOR, response, undefined, code);
    }
    throw new TokenError({
      kind: "vendor",
      vendor: CUSTOM_VENDOR,
      key: "vendor-code",
      code: code ?? String(response.status),
      httpStatus: response.status,
      params: { msg: msg ?? "" },
    });
  }
  const token = await evaluate(settings, "token", input, context, credentials);
  const expiry = settings.expiresIn
    ? await evaluate(settings, "expiresIn", input, context, credentials)
    : settings.lifetime;
  const parsed = validToken(CUSTOM_VENDOR, response, token, expiry, { token: "token", expiry: "expiresIn" });
  const apiBase = await evaluate(settings, "apiBase", input, context, credentials);
  const refreshToken = await evaluate(settings, "refreshToken", input, context, credentials);
  return { ...parsed, ...baseUrlOf(apiBase), ...refreshTokenOf(refreshToken) };
}

/** apiBase's value: an http(s) URL (the HTTPS rule applies when it is called), or nothing. */
function baseUrlOf(value: unknown): { apiBase?: string } {
  if (value === undefined || value === null || value === "") return {};
  const text = typeof value === "string" ? value.trim() : "";
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw expressionFailed("apiBase", "it must give an http(s) URL, or nothing");
  }
  return { apiBase: text.replace(/\/+$/, "") };
}

function refreshTokenOf(value: unknown): { refreshToken?: string } {
  if (value === undefined || value === null || value === "") return {};
  if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
    throw expressionFailed("refreshToken", "it must give a text without line breaks, or nothing");
  }
  return { refreshToken: value };
}
