// Evaluating one of a custom provider's expressions: a failure names the field, with JSONata's
// message and the secret masked out, and an evaluation stopped at a bound names the bound.
import { TokenError } from "../errors";
import { redactText } from "../redact";
import { absent } from "./custom-absent";
import { accountBindings, secretForms } from "./custom-bindings";
import { CUSTOM_VENDOR, type CustomSettings, type ExpressionField } from "./custom-settings";
import { EXPRESSION_TIMEOUT_SETTING, ExpressionLimitError } from "./expression-limits";
import { asRecord } from "./parse";
import { expressionMessage } from "./settings";
import type { Credentials } from "./types";

/** `params` as evaluated once per settings: every other expression sees it as $params. */
const paramsOf = new WeakMap<CustomSettings, Promise<Record<string, unknown>>>();

async function evaluateParams(settings: CustomSettings, credentials: Credentials): Promise<Record<string, unknown>> {
  const value = await evaluate(settings, "params", {}, accountBindings(credentials), credentials);
  if (value === undefined) return {};
  const params = asRecord(value);
  if (!params) throw expressionFailed("params", "it must give an object of named values");
  return params;
}

/** The value of one of the settings' expressions (undefined when it is not set). */
export async function evaluate(
  settings: CustomSettings,
  field: ExpressionField,
  input: unknown,
  context: Record<string, unknown>,
  credentials: Credentials,
): Promise<unknown> {
  const source = settings[field];
  if (source === undefined) return undefined;
  let bindings = context;
  if (field !== "params" && settings.params !== undefined) {
    let params = paramsOf.get(settings);
    if (!params) {
      params = evaluateParams(settings, credentials);
      paramsOf.set(settings, params);
      // A failure is said by each expression that needed it, and tried again next time.
      params.catch(() => paramsOf.delete(settings));
    }
    bindings = { ...context, params: await params };
  }
  try {
    return await settings.evaluator.evaluate(source, input, bindings);
  } catch (err) {
    if (err instanceof ExpressionLimitError) throw limitError(field, err);
    throw expressionFailed(field, redactText(expressionMessage(err), secretForms(credentials.secret)));
  }
}

/** An expression that ran but gave what its field cannot use; `detail` says what it must give. */
export function expressionFailed(field: ExpressionField, detail: string): TokenError {
  return new TokenError({ kind: "config", vendor: CUSTOM_VENDOR, key: "expression-failed", params: { field, detail } });
}

/** The error of each bound an evaluation can be stopped at. */
const LIMIT_KEYS = { timeout: "expression-timeout", depth: "expression-depth", size: "expression-size" } as const;

/** An expression stopped at a bound of its evaluation: the field and the bound, to find the runaway part. */
function limitError(field: ExpressionField, stopped: ExpressionLimitError): TokenError {
  // ms and nested steps as numbers; the size bound (1 MiB) in MiB.
  const limit = stopped.limit === "size" ? `${stopped.value / (1024 * 1024)} MiB` : stopped.value;
  return new TokenError({
    kind: "config",
    vendor: CUSTOM_VENDOR,
    key: LIMIT_KEYS[stopped.limit],
    params: { field, limit, setting: EXPRESSION_TIMEOUT_SETTING },
  });
}

/** A record's entries as texts (numbers and booleans as String() gives them, objects as JSON); null and undefined left out. */
export function stringRecord(value: unknown): Record<string, string> {
  const record = value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  const strings: Record<string, string> = {};
  for (const [name, item] of Object.entries(record as Record<string, unknown>)) {
    if (absent(item)) continue;
    strings[name] = typeof item === "string" ? item : JSON.stringify(item);
  }
  return strings;
}
