// The custom provider's expression evaluator over Node-RED's own JSONata (RED.util): the same
// language version and extensions as the change node and the editor's expression tester, each
// evaluation bounded (providers/expression-limits.ts) through JSONata's own evaluation hooks.
import { DEFAULT_EXPRESSION_LIMITS, EvaluationGuard, type ExpressionLimits } from "../providers/expression-limits";
import type { ExpressionEvaluator } from "../providers/expressions";

interface PreparedExpression {
  assign(name: string | symbol, value: unknown): void;
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

/** Prepared expressions kept per source for reuse, at most (one per evaluation running at once). */
const IDLE_PER_SOURCE = 4;

/** JSONata calls these (and awaits the first) around every step of an evaluation. */
const ENTRY_HOOK = Symbol.for("jsonata.__evaluate_entry");
const EXIT_HOOK = Symbol.for("jsonata.__evaluate_exit");

/**
 * `limits` is read at the first evaluation: a provider without expressions never reads (or reports)
 * them. `closing` ends every evaluation still running at its next step.
 */
export function jsonataEvaluator(
  util: JsonataUtil,
  node: object,
  limits: () => ExpressionLimits = () => DEFAULT_EXPRESSION_LIMITS,
  closing?: AbortSignal,
): ExpressionEvaluator {
  let bounds: ExpressionLimits | undefined;
  // Preparing is most of an evaluation's cost (Node-RED parses and sets up its functions): an
  // expression no evaluation is using is reused, its bindings and hooks assigned anew each time.
  const idle = new Map<string, PreparedExpression[]>();
  const release = (source: string, expression: PreparedExpression, names: readonly string[]) => {
    for (const name of names) expression.assign(name, undefined);
    const pool = idle.get(source);
    if (!pool) idle.set(source, [expression]);
    else if (pool.length < IDLE_PER_SOURCE) pool.push(expression);
  };
  return {
    check(source) {
      util.prepareJSONataExpression(source, node);
    },
    evaluate(source, input, bindings) {
      // One evaluation per prepared expression at a time: bindings are assigned to the expression,
      // and two evaluations at once (a token request and an authValue) must not see each other's
      // $timestamp or bounds.
      const expression = idle.get(source)?.pop() ?? util.prepareJSONataExpression(source, node);
      const names = Object.keys(bindings);
      for (const [name, value] of Object.entries(bindings)) expression.assign(name, value);
      bounds ??= limits();
      const guard = new EvaluationGuard(bounds, closing);
      expression.assign(ENTRY_HOOK, () => guard.enter());
      expression.assign(EXIT_HOOK, () => guard.leave());
      return new Promise((resolve, reject) => {
        try {
          util.evaluateJSONataExpression(expression, input, (err, value) => {
            guard.finish();
            release(source, expression, names);
            // A bound gone past wins over the error JSONata made of it ($eval wraps it in its own).
            const stopped = guard.tripped ?? (err ? undefined : guard.oversized(value));
            if (stopped) reject(stopped);
            else if (err) reject(err instanceof Error ? err : new Error(messageOf(err)));
            else resolve(value);
          });
        } catch (err) {
          guard.finish();
          throw err;
        }
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
