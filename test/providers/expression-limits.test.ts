// The bounds of every JSONata evaluation (providers/expression-limits.ts): depth counts nesting,
// not steps; a bound gone past is reported even when JSONata wraps the error; the result's size is
// its JSON's; and in a runtime: a result over 1 MiB and accessTokenExpressionTimeoutMs at Catch,
// a bad setting said once. (The runaway expressions: expression-runaway.test.ts.)
import assert from "node:assert/strict";
import { jsonataEvaluator } from "../../src/nodes/jsonata";
import {
  DEFAULT_EXPRESSION_LIMITS,
  EvaluationGuard,
  EXPRESSION_TIMEOUT_SETTING,
  ExpressionLimitError,
  jsonLargerThan,
} from "../../src/providers/expression-limits";
import { jsonataUtil } from "../support/expressions";
import { getTokenNode, at, nextMessage, statuses } from "../support/flows";
import { exampleConfig, onSimulator } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";

const MIB = 1024 * 1024;
/** No time limit to speak of: these cases are about depth and size. */
const evaluator = jsonataEvaluator(jsonataUtil, {}, () => ({ ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 600_000 }));

async function stoppedBy(source: string): Promise<ExpressionLimitError> {
  const error = await evaluator.evaluate(source, {}, {}).then(
    (value) => assert.fail(`not stopped: ${JSON.stringify(value)?.slice(0, 80)}`),
    (err: unknown) => err,
  );
  assert.ok(error instanceof ExpressionLimitError, String(error));
  return error;
}

describe("expression limits: the evaluator", () => {
  it("depth counts nesting, not steps: a tail loop of 600 calls ends, a recursion 200 deep is stopped at 500", async () => {
    assert.equal(DEFAULT_EXPRESSION_LIMITS.maxDepth, 500);
    const loop = "($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(600, 0))";
    assert.equal(await evaluator.evaluate(loop, {}, {}), 600);
    const shallow = "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20))";
    assert.equal(await evaluator.evaluate(shallow, {}, {}), 20);
    const deep = await stoppedBy("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(200))");
    assert.deepEqual([deep.limit, deep.value], ["depth", 500]);
  });

  it("a bound gone past is reported as such even where JSONata wraps the error ($eval)", async () => {
    const wrapped = await stoppedBy('$eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(200))")');
    assert.deepEqual([wrapped.limit, wrapped.value], ["depth", 500]);
  });

  it("a result of exactly 1 MiB as JSON passes; one byte more is refused", async () => {
    assert.equal(DEFAULT_EXPRESSION_LIMITS.maxResultBytes, MIB);
    // A text of n characters is n + 2 bytes of JSON (its quotes).
    const text = (await evaluator.evaluate(`$pad("", ${MIB - 2}, "x")`, {}, {})) as string;
    assert.equal(text.length, MIB - 2);
    const over = await stoppedBy(`$pad("", ${MIB - 1}, "x")`);
    assert.deepEqual([over.limit, over.value], ["size", MIB]);
    const items = await stoppedBy("[1..300000]");
    assert.equal(items.limit, "size");
  });

  it("the size is the JSON's, in UTF-8 bytes; a huge array or a cycle ends the walk", () => {
    const value = { name: "é€", list: [1, true, null, "a", { deep: [] }], empty: {}, n: -1.5 };
    const bytes = Buffer.byteLength(JSON.stringify(value));
    assert.equal(jsonLargerThan(value, bytes), false);
    assert.equal(jsonLargerThan(value, bytes - 1), true);
    assert.equal(jsonLargerThan(new Array(10_000_000).fill(0), MIB), true);
    const cycle: Record<string, unknown> = { a: [] };
    (cycle.a as unknown[]).push(cycle);
    assert.equal(jsonLargerThan(cycle, 1000), true);
  });

  it("an empty array or object is 2 bytes, a big integer its digits", () => {
    assert.equal(jsonLargerThan([], 2), false);
    assert.equal(jsonLargerThan({}, 2), false);
    assert.equal(jsonLargerThan({}, 1), true);
    assert.equal(jsonLargerThan(10n ** 20n, 21), false);
    assert.equal(jsonLargerThan(10n ** 20n, 20), true);
  });
});

describe("expression limits: the guard of one evaluation", () => {
  const limits = { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 600_000 };

  it("names the bound it stopped at", () => {
    const error = new ExpressionLimitError("depth", 500);
    assert.equal(error.name, "ExpressionLimitError");
    assert.equal(error.message, "expression stopped at its depth limit (500)");
  });

  it("maxDepth steps nest, one more is stopped; once stopped, every later step is, however shallow", () => {
    const guard = new EvaluationGuard({ ...limits, maxDepth: 2 });
    try {
      assert.equal(guard.enter(), undefined);
      guard.enter();
      assert.throws(() => guard.enter(), { name: "ExpressionLimitError", message: /depth limit \(2\)/ });
      assert.equal(guard.tripped?.limit, "depth");
      // The language may swallow the error and go on (a wrapped $eval): back at depth 0, still stopped.
      guard.leave();
      guard.leave();
      guard.leave();
      assert.throws(
        () => guard.enter(),
        (err) => err === guard.tripped,
      );
    } finally {
      guard.finish();
    }
  });

  it("hands the event loop back every few ms of steps, not at every step", () => {
    const guard = new EvaluationGuard(limits);
    try {
      assert.equal(guard.enter(), undefined, "no yield at the first step");
      guard.leave();
      const started = performance.now();
      let yielded: Promise<void> | undefined;
      let steps = 0;
      while (!yielded && performance.now() - started < 1_000) {
        yielded = guard.enter();
        guard.leave();
        steps += 1;
      }
      assert.ok(yielded instanceof Promise, "a step after 10 ms of work yields");
      assert.ok(steps > 1, "the steps before it did not");
      assert.equal(guard.enter(), undefined, "nor does the step right after a yield");
    } finally {
      guard.finish();
    }
  });
});

describe("expression limits in a runtime", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const NODES = [accessTokenNodes, coreNode(CORE.catch)];

  /** The example's home-made endpoint with its request expression wrapped (`<request>` is the original). */
  async function load(wrap: string): Promise<void> {
    const config = onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim);
    const flow = [
      { id: "tab1", type: "tab", label: "limits" },
      { ...config, id: "cfg", z: undefined, request: wrap.replace("<request>", String(config.request)) },
      getTokenNode({ provider: "custom" }),
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
    const { appKey, appSecret } = suite.sim.accounts.homemade;
    await helper.load(NODES, flow, { cfg: { key: appKey, secret: appSecret } });
  }

  /** The next message's fate: "out" with a token, or the error Catch got. */
  async function outcome(msg: Record<string, unknown> = {}): Promise<{ token?: string; error?: string }> {
    const out = nextMessage("out").then((answered) => ({ token: String(answered.token) }));
    const caught = nextMessage("caught").then((answered) => ({ error: String(answered.error.message) }));
    helper.getNode("get").receive({ payload: "p", ...msg });
    return Promise.race([out, caught]);
  }

  it("a request over 1 MiB is refused before it is sent: Catch names Request and 1 MiB", async () => {
    await load(`($merge([<request>, {"body": {"padding": $pad("", ${MIB}, "x")}}]))`);
    const { error } = await outcome();
    assert.match(
      String(error),
      /^Custom token: the JSONata expression Request gave a result over 1 MiB, its size limit/,
    );
    assert.equal(statuses("get").at(-1)?.fill, "red");
    assert.equal(suite.sim.count("homemade.token"), 0);
  });

  it(`${EXPRESSION_TIMEOUT_SETTING} is the time budget: 1 ms stops an expression that 60 s lets finish`, async () => {
    assert.equal(EXPRESSION_TIMEOUT_SETTING, "accessTokenExpressionTimeoutMs");
    const slow = "($count([1..2000][$ % 7 = 0]); <request>)";
    helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: 60_000 });
    await load(slow);
    const finished = await outcome();
    assert.ok(finished.token, `finished within 60 s: ${finished.error}`);
    assert.equal(suite.sim.count("homemade.token"), 1);
    await helper.unload();
    helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: 1 });
    await load(slow);
    const { error } = await outcome();
    assert.match(
      String(error),
      /expression Request was stopped after 1 ms, its time limit \(accessTokenExpressionTimeoutMs/,
    );
    assert.equal(suite.sim.count("homemade.token"), 1, "the stopped one sent nothing");
  });

  it("a setting that is no positive number is said once, and the 1 s default used", async () => {
    for (const bad of [0, -5, "500", Number.NaN]) {
      helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: bad });
      await load("<request>");
      assert.ok((await outcome()).token, String(bad));
      assert.ok((await outcome({ refreshToken: true })).token, "evaluated again");
      assert.equal(suite.sim.count("homemade.token"), 2);
      const said = logged("warn").filter((line) => line.includes(EXPRESSION_TIMEOUT_SETTING));
      assert.deepEqual(said, [`${EXPRESSION_TIMEOUT_SETTING} must be a positive number of milliseconds; using 1000`]);
      await helper.unload();
      suite.sim.reset();
    }
  });
});
