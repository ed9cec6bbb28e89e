// What a custom-token-credentials node describes, in the order its dialog groups it: the token
// request, the token answer, the refresh, what every request carries (sign, auth header) and how
// API answers are read. Read once per deploy, each expression checked for syntax, nothing changed after.
import type { ExpressionEvaluator } from "./expressions";
import { PRESET_IDS } from "./preset-ids";
import { SettingsReader } from "./settings";
import type { ConfigProperties, FormProperty } from "./types";
import { API_HOSTS, API_URL } from "./url";

export const CUSTOM_VENDOR = "Custom token";
export const METHODS = ["POST", "GET"] as const;
const BODY_TYPES = ["json", "form", "none"] as const;
const DEFAULT_LIFETIME_SECONDS = 3600;
/**
 * The defaults the dialog shows for `ok`, `authValue`, `apiExpired` and `apiOk`. Left as they are (or
 * cleared), they are applied without JSONata: the same result, and no evaluation per token or call.
 */
const DEFAULT_OK = "statusCode < 300";
const DEFAULT_AUTH_VALUE = '"Bearer " & $token';
const DEFAULT_API_EXPIRED = "statusCode = 401";
const DEFAULT_API_OK = "statusCode < 400";
/** The auth header a new node starts with; an empty one means none (the token goes where sign puts it). */
export const DEFAULT_AUTH_HEADER = "Authorization";
/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface CustomSettings {
  /** "" = no token endpoint: every API call is proven by `sign` alone. */
  readonly tokenUrl: string;
  readonly method: (typeof METHODS)[number];
  readonly bodyType: (typeof BODY_TYPES)[number];
  readonly request?: string;
  /** Where the token is in the answer; "" without a token endpoint. */
  readonly token: string;
  readonly expiresIn?: string;
  readonly lifetime: number;
  readonly ok?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Where the answer names the API's base URL (EZVIZ's areaDomain). */
  readonly apiBase?: string;
  /** Where a refresh token is in a token answer. */
  readonly refreshToken?: string;
  /** The request for a new token with the refresh token ($refreshToken). */
  readonly refreshRequest?: string;
  /** Evaluated for every request to the vendor: {headers, query, body} to add. */
  readonly sign?: string;
  /** "" = no auth header. */
  readonly authHeader: string;
  readonly authValue?: string;
  readonly apiExpired?: string;
  readonly apiOk?: string;
  readonly apiErrorCode?: string;
  readonly apiErrorMessage?: string;
  /** Values beyond the key and secret a vendor needs (Huawei's domain and project): $params in every expression. */
  readonly params?: string;
  /** The preset the node was started from ("" = blank): for help and docs; the runtime reads the fields alone. */
  readonly preset: string;
  readonly evaluator: ExpressionEvaluator;
}

/** The settings that are JSONata expressions (errors name them). */
export type ExpressionField =
  | "request"
  | "token"
  | "expiresIn"
  | "ok"
  | "errorCode"
  | "errorMessage"
  | "apiBase"
  | "refreshToken"
  | "refreshRequest"
  | "sign"
  | "authValue"
  | "apiExpired"
  | "apiOk"
  | "apiErrorCode"
  | "apiErrorMessage"
  | "params";

const jsonata = (name: ExpressionField, byDefault = "", required = false): FormProperty => ({
  name,
  input: { kind: "jsonata" },
  default: byDefault,
  required,
});

/** The dialog's properties beyond the token URL, in its order. */
export const CUSTOM_PROPERTIES: readonly FormProperty[] = [
  { name: "preset", input: { kind: "select", options: ["", ...PRESET_IDS] }, default: "", required: false },
  jsonata("params"),
  // The token request.
  { name: "method", input: { kind: "select", options: METHODS }, default: "POST", required: true },
  { name: "bodyType", input: { kind: "select", options: BODY_TYPES }, default: "json", required: true },
  jsonata("request"),
  // The token answer.
  jsonata("token", "body.access_token", true),
  jsonata("expiresIn", "body.expires_in"),
  { name: "lifetime", input: { kind: "number", min: 1 }, default: DEFAULT_LIFETIME_SECONDS, required: true },
  jsonata("ok", DEFAULT_OK),
  jsonata("errorCode"),
  jsonata("errorMessage"),
  jsonata("apiBase"),
  // The refresh.
  jsonata("refreshToken"),
  jsonata("refreshRequest"),
  // Every request.
  jsonata("sign"),
  { name: "authHeader", input: { kind: "text" }, default: DEFAULT_AUTH_HEADER, required: false },
  jsonata("authValue", DEFAULT_AUTH_VALUE),
  // API answers.
  jsonata("apiExpired", DEFAULT_API_EXPIRED),
  jsonata("apiOk", DEFAULT_API_OK),
  jsonata("apiErrorCode"),
  jsonata("apiErrorMessage"),
  API_URL,
  API_HOSTS,
];

export function readCustomSettings(config: ConfigProperties, evaluator: ExpressionEvaluator): CustomSettings {
  const read = new SettingsReader(CUSTOM_VENDOR, config);
  // Absent: the default, as for every property; empty: no auth header.
  const authHeader = config.authHeader === undefined ? DEFAULT_AUTH_HEADER : read.text("authHeader");
  if (authHeader && !HEADER_NAME.test(authHeader)) throw read.bad("authHeader", authHeader);
  const tokenUrl = read.text("tokenUrl");
  const sign = read.expression("sign", evaluator);
  // Without a token endpoint the signature is all that proves a call: it must be there.
  if (!tokenUrl && sign === undefined) read.required("tokenUrl");
  // A blank token expression is refused as missing (required throws); without a token endpoint there is none.
  const token = tokenUrl ? (read.expression("token", evaluator) ?? read.required("token")) : "";
  return {
    tokenUrl,
    method: read.choice("method", METHODS),
    bodyType: read.choice("bodyType", BODY_TYPES),
    request: read.expression("request", evaluator),
    token,
    expiresIn: read.expression("expiresIn", evaluator),
    lifetime: read.seconds("lifetime", DEFAULT_LIFETIME_SECONDS),
    ok: unlessDefault(read.expression("ok", evaluator), DEFAULT_OK),
    errorCode: read.expression("errorCode", evaluator),
    errorMessage: read.expression("errorMessage", evaluator),
    apiBase: read.expression("apiBase", evaluator),
    refreshToken: read.expression("refreshToken", evaluator),
    refreshRequest: read.expression("refreshRequest", evaluator),
    sign,
    authHeader,
    authValue: unlessDefault(read.expression("authValue", evaluator), DEFAULT_AUTH_VALUE),
    apiExpired: unlessDefault(read.expression("apiExpired", evaluator), DEFAULT_API_EXPIRED),
    apiOk: unlessDefault(read.expression("apiOk", evaluator), DEFAULT_API_OK),
    apiErrorCode: read.expression("apiErrorCode", evaluator),
    apiErrorMessage: read.expression("apiErrorMessage", evaluator),
    params: read.expression("params", evaluator),
    // Another release's preset is only a name for help: kept as saved, never refused.
    preset: read.text("preset"),
    evaluator,
  };
}

/** The expressions a token request and its answer use, of those a config sets (what the dialog's Test says it used). */
export function usedFields(config: ConfigProperties): ExpressionField[] {
  const fields: ExpressionField[] = config.tokenUrl
    ? ["params", "request", "sign", "token", "expiresIn", "ok", "errorCode", "errorMessage", "apiBase", "refreshToken"]
    : ["params", "sign"];
  return fields.filter((field) => typeof config[field] === "string" && config[field].trim() !== "");
}

/** An expression exactly as its default (outer spaces aside) is left to the built-in equivalent. */
function unlessDefault(expression: string | undefined, byDefault: string): string | undefined {
  return expression?.trim() === byDefault ? undefined : expression;
}
