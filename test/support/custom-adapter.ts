// Shared by the custom adapter's rule-by-rule suites: settings over Node-RED's own JSONata, an
// answer, a rejection read as a TokenError, and an evaluator that records what it evaluates.
import { custom, type CustomSettings } from "../../src/providers/custom";
import type { ExpressionEvaluator } from "../../src/providers/expressions";
import type { RawResponse } from "../../src/providers/types";
import { expressionEvaluator as evaluator } from "./expressions";

export { rejection } from "./token-errors";

export const credentials = { key: "k-1", secret: "s&1 é" };
export const TOKEN_URL = "https://iot.example.com/token";

export const settingsOf = (
  extra: Record<string, unknown> = {},
  using: ExpressionEvaluator = evaluator,
): CustomSettings => custom.settings({ tokenUrl: TOKEN_URL, token: "body.token", ...extra }, using);

export const answer = (body: unknown, status = 200, headers: RawResponse["headers"] = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** The evaluator, counting the expressions it evaluates. */
export function countingEvaluator(): { evaluator: ExpressionEvaluator; evaluated: string[] } {
  const evaluated: string[] = [];
  return {
    evaluated,
    evaluator: {
      check: (source) => evaluator.check(source),
      evaluate: (source, input, context) => {
        evaluated.push(source);
        return evaluator.evaluate(source, input, context);
      },
    },
  };
}
