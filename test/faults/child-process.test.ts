// What only a separate process can show: that a runtime which redeployed and stopped with token
// requests in flight (direct and through a proxy) leaves no timer or socket behind, and that heavy
// load leaves the heap where it was. The simulator and proxy stay here, in the parent, so the
// child's sockets are closed by the child or not at all.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { delay, secretsOf } from "../support/flows";
import { TestProxy } from "../support/proxy";
import { runChild } from "./child";
import { Evidence, FORBIDDEN_PATTERNS } from "./evidence";

/** Heap growth tolerated after 110,000 messages (the V8 heap settles within a few MB of its start). */
const HEAP_TOLERANCE_BYTES = 8 * 1024 * 1024;

describe("child processes: exit by itself, memory back to baseline", function () {
  this.timeout(120_000);
  let sim: ProviderSimulator;
  let proxy: TestProxy;

  before(async () => {
    sim = await ProviderSimulator.start();
    proxy = await TestProxy.start("exit-user:exit-password-3c9a");
  });
  after(async () => {
    await proxy.close();
    await sim.close();
  });

  const accountEnv = () => ({
    FAULTS_SIM_URL: sim.url,
    FAULTS_ONEACCESS_ID: sim.accounts.oneaccess.clientId,
    FAULTS_ONEACCESS_SECRET: sim.accounts.oneaccess.clientSecret,
    FAULTS_ORIONSTAR_ID: sim.accounts.orionstar.appid,
    FAULTS_ORIONSTAR_SECRET: sim.accounts.orionstar.secret,
  });

  it("a runtime stopped after a redeploy with requests in flight exits by itself, and asks nothing more", async () => {
    // Far longer than the child's limit: only aborting the requests lets the child end in time.
    sim.fail("oneaccess.token", { kind: "slow", ms: 60_000 }, 2);
    sim.fail("orionstar.token", { kind: "slow", ms: 60_000 }, 2);
    const result = await runChild<{ rejections: string[]; out: number }>("redeploy-exit", {
      env: {
        ...accountEnv(),
        FAULTS_PROXY_URL: proxy.url,
        FAULTS_PROXY_USER: "exit-user",
        FAULTS_PROXY_PASSWORD: "exit-password-3c9a",
      },
      limitMs: 20_000,
    });
    assert.equal(result.killed, false, `the child did not exit within 20 s: ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.report, { rejections: [], out: 0 });
    const evidence = new Evidence();
    evidence.add(result.output);
    evidence.assertFree([...secretsOf(sim), "exit-password-3c9a", ...FORBIDDEN_PATTERNS]);
    assert.equal(sim.count("oneaccess.token"), 2, "one request per deployment, direct");
    assert.equal(sim.count("orionstar.token"), 2, "one request per deployment, through the proxy");
    assert.equal(proxy.counts.tunnels, 2);
    await delay(300);
    assert.equal(sim.count("oneaccess.token") + sim.count("orionstar.token"), 4, "nothing after the exit");
    sim.reset();
  });

  it("10,000 concurrent messages on a cold cache and 100,000 cached: no error, one request, heap back to baseline", async () => {
    const result = await runChild<{
      gc: boolean;
      baseline: number;
      after: number;
      out: number;
      caught: number;
      afterCold: { out: number; caught: number };
      statusCalls: number;
    }>("load", { env: accountEnv(), nodeArgs: ["--expose-gc"], limitMs: 110_000 });
    assert.equal(result.killed, false, `the load run did not finish: ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    const report = result.report!;
    assert.equal(report.caught, 0, "no error");
    assert.deepEqual(report.afterCold, { out: 5_000 + 10_000, caught: 0 }, "the cold burst all went through");
    assert.equal(report.out, 5_000 + 10_000 + 100_000);
    assert.equal(sim.count("oneaccess.token"), 2, "one request for the warm-up node, one for 110,000 messages");
    assert.ok(report.statusCalls <= 3, `status updated ${report.statusCalls} times for 110,000 messages`);
    assert.ok(report.gc, "the child runs with --expose-gc");
    const growth = report.after - report.baseline;
    console.log(
      `      heap: baseline ${(report.baseline / 1048576).toFixed(1)} MB, after ${(report.after / 1048576).toFixed(1)} MB`,
    );
    assert.ok(growth < HEAP_TOLERANCE_BYTES, `heap grew by ${(growth / 1048576).toFixed(1)} MB`);
  });
});
