// A home-made token endpoint described in JSONata, the language of Node-RED's change and switch
// nodes: the request ({query, headers, body}), where the token and its lifetime are in the answer,
// what success looks like and how the token is presented on API calls. The expressions see $key,
// $secret, $timestamp (ms), $nonce and the functions of ./custom-bindings.ts.
import { createHash } from "node:crypto";
import { TokenError } from "../errors";
import { redactText } from "../redact";
import { bearerVerdict } from "./api-answer";
import { accountBindings, bindings, secretForms } from "./custom-bindings";
import { EXPRESSION_TIMEOUT_SETTING, ExpressionLimitError } from "./expression-limits";
import type { ExpressionEvaluator } from "./expressions";
import { asRecord, codeOf, httpError, isTransientStatus, textOf, validToken } from "./parse";
import { expressionMessage, SettingsReader } from "./settings";
import { accountParts, headerAuthorize } from "./bound";
import type {
  BoundProvider,
  ConfigProperties,
  Credentials,
  ParsedToken,
  ProviderAdapter,
  RawResponse,
  TokenRequest,
} from "./types";
import { API_HOSTS, API_URL } from "./url";

const VENDOR = "Custom token";
const METHODS = ["POST", "GET"] as const;
const BODY_TYPES = ["json", "form", "none"] as const;
const DEFAULT_LIFETIME_SECONDS = 3600;
/**
 * The defaults the dialog shows for `ok` and `authValue`. Left as they are (or cleared), they are
 * applied without JSONata: the same result, and an API call's header needs no evaluation per token.
 */
const DEFAULT_OK = "statusCode < 300";
const DEFAULT_AUTH_VALUE = '"Bearer " & $token';
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface CustomSettings {
  readonly tokenUrl: string;
  readonly method: (typeof METHODS)[number];
  readonly bodyType: (typeof BODY_TYPES)[number];
  readonly request?: string;
  readonly token: string;
  readonly expiresIn?: string;
  readonly lifetime: number;
  readonly ok?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly authHeader: string;
  readonly authValue?: string;
  readonly evaluator: ExpressionEvaluator;
}

/** authValue as evaluated for one token. */
interface PreparedAuth {
  readonly token: string;
  readonly value: string;
}

type ExpressionField = "request" | "token" | "expiresIn" | "ok" | "errorCode" | "errorMessage" | "authValue";

/** Evaluate one of the settings' expressions; a failure names the field, JSONata's message redacted. */
async function evaluate(
  settings: CustomSettings,
  field: ExpressionField,
  input: unknown,
  context: Record<string, unknown>,
  credentials: Credentials,
): Promise<unknown> {
  const source = settings[field];
  if (source === undefined) return undefined;
  try {
    return await settings.evaluator.evaluate(source, input, context);
  } catch (err) {
    if (err instanceof ExpressionLimitError) throw limitError(field, err);
    throw new TokenError({
      kind: "config",
      vendor: VENDOR,
      key: "expression-failed",
      params: { field, detail: redactText(expressionMessage(err), secretForms(credentials.secret ?? "")) },
    });
  }
}

/** The error of each bound an evaluation can be stopped at. */
const LIMIT_KEYS = { timeout: "expression-timeout", depth: "expression-depth", size: "expression-size" } as const;

/** An expression stopped at a bound of its evaluation: the field and the bound, to find the runaway part. */
function limitError(field: ExpressionField, stopped: ExpressionLimitError): TokenError {
  // ms and nested steps as numbers; the size bound (1 MiB) in MiB.
  const limit = stopped.limit === "size" ? `${stopped.value / (1024 * 1024)} MiB` : stopped.value;
  return new TokenError({
    kind: "config",
    vendor: VENDOR,
    key: LIMIT_KEYS[stopped.limit],
    params: { field, limit, setting: EXPRESSION_TIMEOUT_SETTING },
  });
}

function stringRecord(value: unknown): Record<string, string> {
  const record = asRecord(value) ?? {};
  const strings: Record<string, string> = {};
  for (const [name, item] of Object.entries(record)) {
    if (item === undefined || item === null) continue;
    // Numbers and booleans come out as String() gives them too; objects and arrays as JSON.
    strings[name] = typeof item === "string" ? item : JSON.stringify(item);
  }
  return strings;
}

function requestBody(settings: CustomSettings, body: unknown): { body?: string; type?: string } {
  if (settings.method === "GET" || settings.bodyType === "none" || body === undefined) return {};
  if (settings.bodyType === "form") {
    return { body: new URLSearchParams(stringRecord(body)).toString(), type: "application/x-www-form-urlencoded" };
  }
  return { body: JSON.stringify(body), type: "application/json" };
}

/** The answer as the expressions see it: the body parsed when it is JSON, else its text. */
function answer(response: RawResponse): { statusCode: number; headers: RawResponse["headers"]; body: unknown } {
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body);
  } catch {
    // Not JSON: the expressions get the text.
  }
  return { statusCode: response.status, headers: response.headers, body };
}

function fingerprint(settings: CustomSettings): string {
  const described = [settings.method, settings.bodyType, settings.request, settings.token].join("\n");
  return createHash("sha256").update(described).digest("hex").slice(0, 8);
}

export const custom = {
  id: "custom" as const,
  configType: "custom-token-credentials",
  form: {
    urlProperty: "tokenUrl",
    apiUrlProperty: "apiUrl",
    defaultBaseUrl: "",
    properties: [
      { name: "method", input: { kind: "select", options: METHODS }, default: "POST", required: true },
      { name: "bodyType", input: { kind: "select", options: BODY_TYPES }, default: "json", required: true },
      { name: "request", input: { kind: "jsonata" }, default: "", required: false },
      { name: "token", input: { kind: "jsonata" }, default: "body.access_token", required: true },
      { name: "expiresIn", input: { kind: "jsonata" }, default: "body.expires_in", required: false },
      { name: "lifetime", input: { kind: "number", min: 1 }, default: DEFAULT_LIFETIME_SECONDS, required: true },
      { name: "ok", input: { kind: "jsonata" }, default: DEFAULT_OK, required: false },
      { name: "errorCode", input: { kind: "jsonata" }, default: "", required: false },
      { name: "errorMessage", input: { kind: "jsonata" }, default: "", required: false },
      { name: "authHeader", input: { kind: "text" }, default: "Authorization", required: false },
      { name: "authValue", input: { kind: "jsonata" }, default: DEFAULT_AUTH_VALUE, required: false },
      API_URL,
      API_HOSTS,
    ],
  },
  vendor: VENDOR,
  credentialFields: ["key", "secret"],
  secretFields: ["secret"],
  hints: [],
  signsApiCalls: false,

  settings(config: ConfigProperties, evaluator: ExpressionEvaluator): CustomSettings {
    const read = new SettingsReader(VENDOR, config);
    const authHeader = read.text("authHeader") || "Authorization";
    if (!HEADER_NAME.test(authHeader)) throw read.bad("authHeader", authHeader);
    const token = read.expression("token", evaluator);
    if (token === undefined) read.required("token");
    return {
      tokenUrl: read.required("tokenUrl"),
      method: read.choice("method", METHODS),
      bodyType: read.choice("bodyType", BODY_TYPES),
      request: read.expression("request", evaluator),
      token: token!,
      expiresIn: read.expression("expiresIn", evaluator),
      lifetime: read.seconds("lifetime", DEFAULT_LIFETIME_SECONDS),
      ok: unlessDefault(read.expression("ok", evaluator), DEFAULT_OK),
      errorCode: read.expression("errorCode", evaluator),
      errorMessage: read.expression("errorMessage", evaluator),
      authHeader,
      authValue: unlessDefault(read.expression("authValue", evaluator), DEFAULT_AUTH_VALUE),
      evaluator,
    };
  },

  bind(settings: CustomSettings, credentials: Credentials): BoundProvider {
    // The one thing that changes after binding: authValue as evaluated for the token in hand.
    let prepared: PreparedAuth | undefined;
    const prepare = async (token: string) => {
      if (prepared?.token !== token) prepared = { token, value: await authValue(settings, credentials, token) };
    };
    return {
      ...accountParts(custom, credentials),
      accountId: `custom ${settings.tokenUrl} ${credentials.key ?? ""} ${fingerprint(settings)}`,
      tokenRequest: (now) => tokenRequest(settings, credentials, now),
      parseToken: (response, receivedAt) => parseToken(response, settings, credentials, receivedAt),
      // Without an authValue expression the header needs no work per token.
      ...(settings.authValue ? { prepare } : {}),
      authorize: headerAuthorize((token) => authHeaders(settings, token, prepared)),
      judgeApiResponse: bearerVerdict,
    };
  },
} satisfies ProviderAdapter<CustomSettings>;

async function tokenRequest(settings: CustomSettings, credentials: Credentials, now: number): Promise<TokenRequest> {
  // A new timestamp and nonce for every request, the same in every expression of it.
  const context = bindings(credentials, now);
  const input = { url: settings.tokenUrl, method: settings.method };
  const described = await evaluate(settings, "request", input, context, credentials);
  if (described !== undefined && !asRecord(described)) {
    throw new TokenError({
      kind: "config",
      vendor: VENDOR,
      key: "expression-failed",
      params: { field: "request", detail: "it must give an object {query, headers, body}" },
    });
  }
  const parts = asRecord(described) ?? {};
  const url = new URL(settings.tokenUrl);
  for (const [name, value] of Object.entries(stringRecord(parts.query))) url.searchParams.append(name, value);
  const { body, type } = requestBody(settings, parts.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (type) headers["content-type"] = type;
  Object.assign(headers, stringRecord(parts.headers));
  return {
    method: settings.method,
    url: url.toString(),
    headers,
    body,
    secrets: secretForms(credentials.secret ?? ""),
  };
}

async function parseToken(
  response: RawResponse,
  settings: CustomSettings,
  credentials: Credentials,
  receivedAt: number,
): Promise<ParsedToken> {
  const input = answer(response);
  // In the answer's expressions $timestamp is when it arrived: an absolute expiry minus $timestamp.
  const context = bindings(credentials, receivedAt);
  const ok = settings.ok ? Boolean(await evaluate(settings, "ok", input, context, credentials)) : response.status < 300;
  if (!ok) {
    const code = codeOf(await evaluate(settings, "errorCode", input, context, credentials));
    const msg = textOf(await evaluate(settings, "errorMessage", input, context, credentials));
    if (isTransientStatus(response.status) || (code === undefined && msg === undefined && response.status >= 400)) {
      throw httpError(VENDOR, response, undefined, code);
    }
    throw new TokenError({
      kind: "vendor",
      vendor: VENDOR,
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
  return validToken(VENDOR, response, token, expiry, { token: "token", expiry: "expiresIn" });
}

function authHeaders(
  settings: CustomSettings,
  token: string,
  prepared: PreparedAuth | undefined,
): Record<string, string> {
  if (!settings.authValue) return { [settings.authHeader]: `Bearer ${token}` };
  if (prepared?.token !== token) {
    throw new TokenError({
      kind: "config",
      vendor: VENDOR,
      key: "expression-failed",
      params: { field: "authValue", detail: "not evaluated for this token" },
    });
  }
  return { [settings.authHeader]: prepared.value };
}

/** The header value authValue gives for this token. */
async function authValue(settings: CustomSettings, credentials: Credentials, token: string): Promise<string> {
  const context = { ...accountBindings(credentials), token };
  const value = await evaluate(settings, "authValue", { token }, context, credentials);
  if (typeof value !== "string" || value === "" || /[\r\n\0]/.test(value)) {
    throw new TokenError({
      kind: "config",
      vendor: VENDOR,
      key: "expression-failed",
      params: { field: "authValue", detail: "it must give a header value (text without line breaks)" },
    });
  }
  return value;
}

/** An expression exactly as its default (outer spaces aside) is left to the built-in equivalent. */
function unlessDefault(expression: string | undefined, byDefault: string): string | undefined {
  return expression?.trim() === byDefault ? undefined : expression;
}
