// The custom provider's expression limits as settings.js sets them: the time budget of one evaluation
// (accessTokenExpressionTimeoutMs); the depth and result size are fixed.
import {
  DEFAULT_EXPRESSION_LIMITS,
  EXPRESSION_TIMEOUT_SETTING,
  type ExpressionLimits,
} from "../providers/expression-limits";
import type { Translate } from "./translate";

/** The limits with settings.js's time budget; a value that is no positive number is reported and the default used. */
export function expressionLimits(
  settings: Record<string, unknown>,
  warn: (text: string) => void,
  t: Translate,
): ExpressionLimits {
  const value = settings[EXPRESSION_TIMEOUT_SETTING];
  if (value === undefined) return DEFAULT_EXPRESSION_LIMITS;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: value };
  }
  const ms = DEFAULT_EXPRESSION_LIMITS.timeoutMs;
  warn(t("access-token.warn.expression-timeout", { setting: EXPRESSION_TIMEOUT_SETTING, ms }));
  return DEFAULT_EXPRESSION_LIMITS;
}
