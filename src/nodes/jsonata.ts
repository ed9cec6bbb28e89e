// The custom provider's expression evaluator over Node-RED's own JSONata (RED.util): the same
// language version and extensions as the change node and the editor's expression tester.
import type { ExpressionEvaluator } from "../providers/expressions";

interface PreparedExpression {
  assign(name: string, value: unknown): void;
}

/** The two RED.util functions used here. */
export interface JsonataUtil {
  prepareJSONataExpression(source: string, node: object): PreparedExpression;
  evaluateJSONataExpression(
    expression: PreparedExpression,
    input: unknown,
    callback: (err: unknown, value: unknown) => void,
  ): void;
}

export function jsonataEvaluator(util: JsonataUtil, node: object): ExpressionEvaluator {
  return {
    check(source) {
      util.prepareJSONataExpression(source, node);
    },
    evaluate(source, input, bindings) {
      // Prepared per evaluation: bindings are assigned to the expression, and two evaluations at
      // once (a token request and an authValue) must not see each other's $timestamp.
      const expression = util.prepareJSONataExpression(source, node);
      for (const [name, value] of Object.entries(bindings)) expression.assign(name, value);
      return new Promise((resolve, reject) => {
        util.evaluateJSONataExpression(expression, input, (err, value) => {
          if (err) reject(err instanceof Error ? err : new Error(messageOf(err)));
          else resolve(value);
        });
      });
    },
  };
}

function messageOf(err: unknown): string {
  if (err !== null && typeof err === "object" && "message" in err && typeof err.message === "string") {
    const code = "code" in err && typeof err.code === "string" ? `${err.code}: ` : "";
    return code + err.message;
  }
  return String(err);
}
