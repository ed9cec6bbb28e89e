// An expression that never ends, in a separate process (a runtime it froze or killed would take
// mocha with it): the tail-recursive form runs until its time budget, the other until its depth
// limit; either way a config error naming `request` and the limit reaches Catch and the Test route,
// the node's ring turns red, no request is sent, and the admin API answers while the expression is
// being stopped (its answer comes before the stopped one: order, not time). A runtime stopped while
// one runs ends it: the process exits by itself.
import assert from "node:assert/strict";
import { runChild } from "../faults/child";
import { simulatorHttp } from "../support/simulator-http";

/** Both forms from the issue: a tail call (JSONata loops without nesting) and a nested recursion. */
const RUNAWAYS = [
  // Runs its whole second: the admin API must be answered meanwhile.
  { form: "tail-recursive", request: "($f := function($x){ $f($x + 1) }; $f(0))", limit: /after 1000 ms/ },
  // Reaches its depth in a few ms, maybe before the first pause: the order is not told here.
  { form: "non-tail-recursive", request: "($f := function($x){ 1 + $f($x + 1) }; $f(0))", limit: /at 500 nested/ },
];

interface Report {
  events: string[];
  error: { message: string; source: { id: string } };
  status: { fill: string; text: string };
  stateAnswer: { tokenHeld: boolean };
  test: { ok: boolean; message: string };
  after: { tokenHeld: boolean; lastError: string };
}

describe("an expression that never ends is stopped, and the runtime keeps answering", function () {
  this.timeout(90_000);
  // The simulator only: the runtime runs in the child process (see test/faults/child.ts).
  const suite = simulatorHttp();

  /** The child's simulator, account and request expression. */
  const childEnv = (request: string) => ({
    RUNAWAY_SIM_URL: suite.sim.url,
    RUNAWAY_KEY: suite.sim.accounts.homemade.appKey,
    RUNAWAY_SECRET: suite.sim.accounts.homemade.appSecret,
    RUNAWAY_REQUEST: request,
  });

  for (const { form, request, limit } of RUNAWAYS) {
    it(`${form}: Catch, the status and the Test answer name Request and the limit`, async () => {
      const result = await runChild<Report>("runaway-expression", { env: childEnv(request), limitMs: 40_000 });
      assert.equal(result.killed, false, `the runtime hung on the expression and was killed: ${result.stderr}`);
      assert.equal(result.code, 0, `the runtime died: ${result.stderr}`);
      const report = result.report!;
      if (form === "tail-recursive") {
        assert.deepEqual(report.events, ["admin", "caught"], "the admin API answered while the expression ran");
      }
      assert.deepEqual([...report.events].sort(), ["admin", "caught"]);
      assert.equal(report.stateAnswer.tokenHeld, false);
      assert.equal(report.error.source.id, "get");
      for (const message of [report.error.message, report.test.message]) {
        assert.match(message, /^Custom token: the JSONata expression Request was stopped /);
        assert.match(message, limit);
      }
      // The state route's last error names the field by its property name (as for any expression error).
      assert.match(report.after.lastError, /expression request was stopped /);
      assert.match(report.after.lastError, limit);
      assert.equal(report.test.ok, false);
      assert.equal(report.status.fill, "red");
      assert.match(report.status.text, /expression/);
      assert.ok(!result.output.includes(suite.sim.accounts.homemade.appSecret), "the secret stayed out of every line");
      assert.equal(suite.sim.count("homemade.token"), 0, "no request was sent");
    });
  }

  it("a runtime stopped while an expression runs (a minute's budget) ends it and exits by itself", async () => {
    const result = await runChild<{ rejections: string[] }>("runaway-expression", {
      env: { ...childEnv(RUNAWAYS[0].request), RUNAWAY_STOP: "1" },
      limitMs: 20_000,
    });
    assert.equal(result.killed, false, `the expression outlived the runtime: ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.report, { rejections: [] });
    assert.equal(suite.sim.count("homemade.token"), 0);
  });
});
