// The custom provider's evaluator over Node-RED's own JSONata (src/nodes/jsonata.ts): a prepared
// expression is reused by the next evaluation of its source without carrying one evaluation's
// bindings into the next, a few are kept per source, and an evaluation that fails at once still
// ends its guard. Node-RED's util is the real one, wrapped to count what it prepares; the last case
// stands in a util that throws at once (Node-RED 4 and 5 do not: their evaluation is a promise).
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { jsonataEvaluator, type JsonataUtil } from "../../src/nodes/jsonata";
import {
  DEFAULT_EXPRESSION_LIMITS,
  EvaluationGuard,
  ExpressionLimitError,
} from "../../src/providers/expression-limits";
import { jsonataUtil } from "../support/expressions";

/** Node-RED's util, with the sources it was asked to prepare. */
function countingUtil(): { util: JsonataUtil; prepared: string[] } {
  const prepared: string[] = [];
  const util: JsonataUtil = {
    prepareJSONataExpression(source, node) {
      prepared.push(source);
      return jsonataUtil.prepareJSONataExpression(source, node);
    },
    evaluateJSONataExpression: (expression, input, callback) =>
      jsonataUtil.evaluateJSONataExpression(expression, input, callback),
  };
  return { util, prepared };
}

/** The promise's outcome if it settles before the event loop's next turn; a failure if it is still pending. */
async function settledAtOnce<T>(promise: Promise<T>): Promise<T> {
  const pending = new Promise<never>((_, reject) => setImmediate(() => reject(new Error("still pending"))));
  return Promise.race([promise, pending]);
}

describe("jsonata evaluator: prepared expressions reused", () => {
  it("a name bound for one evaluation is unbound at the next of the same expression: no message sees another's", async () => {
    const { util, prepared } = countingUtil();
    const evaluator = jsonataEvaluator(util, {});
    const source = '$exists($secret) ? "secret " & $secret : "none"';
    assert.equal(await evaluator.evaluate(source, {}, { secret: "s-1", timestamp: 1 }), "secret s-1");
    assert.equal(await evaluator.evaluate(source, {}, { timestamp: 2 }), "none");
    assert.equal(await evaluator.evaluate(source, {}, { secret: "s-2" }), "secret s-2");
    assert.deepEqual(prepared, [source], "one prepared expression served all three");
  });

  it("an expression is prepared once per evaluation running at once; four per source wait for the next ones", async () => {
    const { util, prepared } = countingUtil();
    const evaluator = jsonataEvaluator(util, {});
    const source = "$n + 1";
    const atOnce = (count: number) =>
      Promise.all(Array.from({ length: count }, (_, n) => evaluator.evaluate(source, {}, { n })));
    assert.deepEqual(await atOnce(1), [1]);
    assert.deepEqual(await atOnce(1), [1]);
    assert.equal(prepared.length, 1, "the second reused the first's");
    assert.deepEqual(await atOnce(6), [1, 2, 3, 4, 5, 6]);
    assert.equal(prepared.length, 6, "the idle one and five more");
    assert.deepEqual(await atOnce(6), [1, 2, 3, 4, 5, 6]);
    assert.equal(prepared.length, 8, "four of the six were kept, two more prepared");
    assert.equal(await evaluator.evaluate("$n + 2", {}, { n: 0 }), 2, "another source has its own");
    assert.deepEqual(prepared.slice(8), ["$n + 2"]);
  });
});

describe("jsonata evaluator: a util that throws at once", () => {
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => clock?.restore());

  /** The time a new evaluation runs before its 100 ms budget is gone: longer while others share the clock. */
  function msUntilStopped(fake: sinon.SinonFakeTimers): number {
    const guard = new EvaluationGuard({ ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 100 });
    try {
      for (let ms = 1; ms <= 10_000; ms++) {
        fake.tick(1);
        try {
          void guard.enter();
          guard.leave();
        } catch (err) {
          assert.ok(err instanceof ExpressionLimitError && err.limit === "timeout", String(err));
          return ms;
        }
      }
      return Infinity;
    } finally {
      guard.finish();
    }
  }

  it("fails the evaluation with its error, and the ended evaluation no longer shares the time budget", async () => {
    const broken: JsonataUtil = {
      prepareJSONataExpression: (source, node) => jsonataUtil.prepareJSONataExpression(source, node),
      evaluateJSONataExpression: () => {
        throw new Error("the util broke");
      },
    };
    clock = sinon.useFakeTimers({ toFake: ["performance"] });
    const before = msUntilStopped(clock);
    await assert.rejects(settledAtOnce(jsonataEvaluator(broken, {}).evaluate("1", {}, {})), /^Error: the util broke$/);
    // Within a ms (the clock adds fractions); an evaluation still counted would double it.
    const after = msUntilStopped(clock);
    assert.ok(Math.abs(after - before) <= 1, `${before} ms before, ${after} ms after`);
  });
});
