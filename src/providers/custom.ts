// A home-made token endpoint, or a cloud that signs every call, described in JSONata (the
// language of Node-RED's change and switch nodes): the token request and its answer
// (custom-token.ts), a refresh with a refresh token, what every request carries (custom-sign.ts)
// and how API answers read (custom-api.ts). The expressions see $key, $secret, $timestamp (ms),
// $nonce and the functions of ./custom-bindings.ts; the settings are read by custom-settings.ts.
import { createHash } from "node:crypto";
import { TokenError } from "../errors";
import { bearerVerdict } from "./api-answer";
import { accountParts, replaceHeaders } from "./bound";
import { accountBindings } from "./custom-bindings";
import { customVerdict, readsApiAnswers } from "./custom-api";
import { evaluate, expressionFailed } from "./custom-evaluate";
import { CUSTOM_PROPERTIES, CUSTOM_VENDOR, readCustomSettings, type CustomSettings } from "./custom-settings";
import { signRequest } from "./custom-sign";
import { parseToken, refreshRequest, tokenRequest } from "./custom-token";
import type { ExpressionEvaluator } from "./expressions";
import { presetPagination } from "./preset-pagination";
import { PRESET_IDS, PRESET_VENDORS, type PresetId } from "./preset-ids";
import type {
  BoundProvider,
  ConfigProperties,
  Credentials,
  ProviderAdapter,
  RawResponse,
  VendorRequest,
} from "./types";

export type { CustomSettings } from "./custom-settings";

/** authValue as evaluated for one token. */
interface PreparedAuth {
  readonly token: string;
  readonly value: string;
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
    properties: CUSTOM_PROPERTIES,
  },
  vendor: CUSTOM_VENDOR,
  credentialFields: ["key", "secret"],
  secretFields: ["secret"],
  hints: [],
  signsApiCalls: false,

  settings(config: ConfigProperties, evaluator: ExpressionEvaluator): CustomSettings {
    return readCustomSettings(config, evaluator);
  },

  bind(settings: CustomSettings, credentials: Credentials): BoundProvider {
    // The one thing that changes after binding: authValue as evaluated for the token in hand.
    let prepared: PreparedAuth | undefined;
    const prepare = async (token: string) => {
      if (prepared?.token !== token) prepared = { token, value: await authValue(settings, credentials, token) };
    };
    const withAuth = (request: VendorRequest, token: string | undefined): VendorRequest => {
      if (request.purpose !== "api" || token === undefined || !settings.authHeader) return request;
      return { ...request, headers: replaceHeaders({ ...request.headers }, authHeaders(settings, token, prepared)) };
    };
    const { sign, refreshRequest: refreshes, refreshToken } = settings;
    const vendor = vendorOf(settings);
    const named = labelled(vendor);
    const authorize: BoundProvider["authorize"] = sign
      ? (request, token, now) => signRequest(settings, credentials, withAuth(request, token), token, now)
      : withAuth;
    return {
      ...accountParts(custom, credentials),
      vendor,
      // sign sees every API call's method, URL and body: get token builds them from the message.
      signsApiCalls: sign !== undefined,
      tokenless: settings.tokenUrl === "",
      givesApiBase: settings.apiBase !== undefined,
      pagination: presetPagination(settings.preset),
      accountId: `custom ${settings.tokenUrl} ${credentials.key ?? ""} ${fingerprint(settings)}`,
      tokenRequest: named((now: number) => tokenRequest(settings, credentials, now)),
      ...(refreshes && refreshToken
        ? { refreshRequest: named((token: string, now: number) => refreshRequest(settings, credentials, token, now)) }
        : {}),
      parseToken: named((response: RawResponse, receivedAt: number) =>
        parseToken(response, settings, credentials, receivedAt),
      ),
      // Without an authValue expression the header needs no work per token.
      ...(settings.authValue ? { prepare: named(prepare) } : {}),
      authorize: named(authorize),
      judgeApiResponse: readsApiAnswers(settings)
        ? named((response: RawResponse) => customVerdict(settings, credentials, response))
        : bearerVerdict,
    };
  },
} satisfies ProviderAdapter<CustomSettings>;

/**
 * The name errors, statuses and logs give the vendor: the cloud's for a node started from a preset
 * (its users know it as Tuya, not as a custom token endpoint), else "Custom token".
 */
function vendorOf(settings: CustomSettings): string {
  const preset = PRESET_IDS.find((id): id is PresetId => id === settings.preset);
  return preset ? PRESET_VENDORS[preset] : CUSTOM_VENDOR;
}

/** A step whose errors (thrown or rejected) name `vendor`: the expressions' own errors name the custom provider. */
function labelled(vendor: string) {
  const relabel = (error: unknown) =>
    error instanceof TokenError && error.vendor === CUSTOM_VENDOR
      ? new TokenError({ ...error.details, vendor })
      : error;
  return <A extends unknown[], R>(step: (...args: A) => R): ((...args: A) => R) => {
    if (vendor === CUSTOM_VENDOR) return step;
    return (...args) => {
      try {
        const result = step(...args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw relabel(error);
        }) as R;
      } catch (error) {
        throw relabel(error);
      }
    };
  };
}

function authHeaders(
  settings: CustomSettings,
  token: string,
  prepared: PreparedAuth | undefined,
): Record<string, string> {
  if (!settings.authValue) return { [settings.authHeader]: `Bearer ${token}` };
  if (prepared?.token !== token) throw expressionFailed("authValue", "not evaluated for this token");
  return { [settings.authHeader]: prepared.value };
}

/** The header value authValue gives for this token. */
async function authValue(settings: CustomSettings, credentials: Credentials, token: string): Promise<string> {
  const context = { ...accountBindings(credentials), token };
  const value = await evaluate(settings, "authValue", { token }, context, credentials);
  if (typeof value !== "string" || value === "" || /[\r\n\0]/.test(value)) {
    throw expressionFailed("authValue", "it must give a header value (text without line breaks)");
  }
  return value;
}
