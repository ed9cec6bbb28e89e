// Redeploys while token requests are in flight and under load, and edits of the credentials: no
// unhandled rejection, no request after close, the new credentials used at once.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { at, configNode, delay, demoCredentials, getTokenNode, secretsOf, until } from "../support/flows";
import { helper } from "../support/node-red";
import { Evidence, FORBIDDEN_PATTERNS } from "./evidence";
import { shapesOf } from "../support/secret-shapes";
import { NODES } from "./runner";

type DeployType = "full" | "flows" | "nodes";
const DEPLOY_TYPES: DeployType[] = ["full", "flows", "nodes"];
const EDITED = { clientId: "edited-client-id-0042", clientSecret: "edited client&secret+/=%:9f8e7d-ö" };

describe("lifecycle: redeploy and credential edits", function () {
  this.timeout(30_000);
  let sim: ProviderSimulator;
  const evidence = new Evidence();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  before(async () => {
    sim = await ProviderSimulator.start();
    sim.addAccount("oneaccess", EDITED);
    process.on("unhandledRejection", onRejection);
  });
  after(async () => {
    process.off("unhandledRejection", onRejection);
    await sim.close();
  });
  /** Where this test's evidence starts: each test sweeps its own (see afterEach), so it stands alone. */
  let from = 0;
  beforeEach(() => {
    from = evidence.size;
  });
  afterEach(async () => {
    evidence.captureRuntime();
    assert.ok(evidence.size - from > 3, `collected ${evidence.size - from} items`);
    evidence.assertFree([...secretsOf(sim), ...shapesOf(EDITED.clientSecret), ...FORBIDDEN_PATTERNS], from);
    await helper.unload();
    sim.reset();
    sim.addAccount("oneaccess", EDITED);
    assert.deepEqual(rejections.splice(0), [], "no unhandled rejection");
  });

  /** get token -> out, Catch -> caught; `revision` changes the credentials node so any deploy type restarts it. */
  function flow(
    revision = 0,
    credentials?: Record<string, string>,
    scope: "flow" | "none" = "flow",
  ): Array<Record<string, unknown>> {
    const cfg = configNode("oneaccess", sim.url, "cfg", { timeout: 10 + revision });
    if (credentials) cfg.credentials = credentials; // as the editor sends edited credentials
    return [
      { id: "tab1", type: "tab", label: "lifecycle" },
      cfg,
      getTokenNode({ provider: "oneaccess", scope }),
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
  }

  const demo = () => ({ cfg: demoCredentials(sim, "oneaccess") });

  /** Count what the current out / caught nodes receive. */
  function sink(): { out: Array<Record<string, any>>; caught: Array<Record<string, any>> } {
    const result = { out: [] as Array<Record<string, any>>, caught: [] as Array<Record<string, any>> };
    helper.getNode("out").on("input", (msg: Record<string, any>) => result.out.push(msg));
    helper.getNode("caught").on("input", (msg: Record<string, any>) => result.caught.push(msg));
    return result;
  }

  const send = (count: number, phase = "", refreshToken = false) => {
    for (let i = 0; i < count; i++) helper.getNode("get").receive({ payload: `${phase}${i}`, refreshToken });
  };
  const ofPhase = (messages: Array<Record<string, any>>, phase: string) =>
    messages.filter((m) => String(m.payload).startsWith(phase));

  for (const type of DEPLOY_TYPES) {
    it(`a "${type}" redeploy during an in-flight request aborts it, and nothing is asked afterwards`, async () => {
      sim.fail("oneaccess.token", { kind: "slow", ms: 1_500 }, 1);
      await helper.load(NODES, flow(), demo());
      const old = sink();
      send(5);
      await until("the token request to arrive", () => sim.count("oneaccess.token") === 1);
      await helper.setFlows(flow(1), type, demo());
      await delay(300);
      evidence.add([...old.out, ...old.caught]);
      assert.equal(old.out.length, 0, "no message left the stopped node with a token");
      assert.equal(sim.count("oneaccess.token"), 1, "no request after close");

      const fresh = sink();
      send(3);
      await until("3 messages after the redeploy", () => fresh.out.length === 3);
      assert.equal(fresh.caught.length, 0);
      assert.equal(sim.count("oneaccess.token"), 2, "one new request for the new flow");
      await delay(200);
      assert.equal(sim.count("oneaccess.token"), 2, "counts stay put");
    });
  }

  it("redeploys under load (every deploy type, slow vendor): the new flow serves every message, no stray request", async () => {
    // No context mirror: each redeployed flow starts cold and must ask the vendor itself.
    await helper.load(NODES, flow(0, undefined, "none"), demo());
    for (const [round, type] of DEPLOY_TYPES.entries()) {
      const requestsBefore = sim.count("oneaccess.token");
      sim.fail("oneaccess.token", { kind: "slow", ms: 300 }, 1);
      const old = sink();
      // Bounded: 5 batches of 20 messages 10 ms apart, all waiting on one slow (forced) request ...
      for (let batch = 0; batch < 5; batch++) {
        send(20, `old${round}-`, true);
        await delay(10);
      }
      // ... when the flow is redeployed; the new flow gets the same again.
      await helper.setFlows(flow(round + 1, undefined, "none"), type, demo());
      const next = sink();
      for (let batch = 0; batch < 5; batch++) {
        send(20, `new${round}-`);
        await delay(10);
      }
      await until(
        `round ${round}: 100 messages through the redeployed flow`,
        () => ofPhase(next.out, `new${round}-`).length === 100,
      );
      assert.equal(ofPhase(next.caught, `new${round}-`).length, 0, next.caught[0]?.error?.message);
      // In-flight messages of a stopped flow end with it (its Catch node is gone too), as in any Node-RED node.
      assert.equal(ofPhase([...old.out, ...next.out], `old${round}-`).length, 0, "the stopped node sent nothing on");
      assert.equal(sim.count("oneaccess.token"), requestsBefore + 2, "one aborted request, one for the new flow");
      evidence.add([...old.caught, ...next.out.slice(0, 3)]);
    }
    const settled = sim.count("oneaccess.token");
    await delay(400);
    assert.equal(sim.count("oneaccess.token"), settled, "no request after the last redeploy settled");
  });

  for (const type of ["full", "nodes"] as const) {
    it(`editing the credentials ("${type}" deploy) drops the cached token at once`, async () => {
      await helper.load(NODES, flow(), demo());
      let received = sink();
      send(1);
      await until("the first token", () => received.out.length === 1);
      const first = received.out[0].token as string;
      const entry = helper.getNode("get").context().flow.get("accessToken");
      assert.ok(entry.account.includes(sim.accounts.oneaccess.clientId));

      // Same node ids, same settings, other credentials: exactly what the editor deploys.
      if (type === "full") await helper.setFlows(flow(), "full", { cfg: EDITED });
      else await helper.setFlows(flow(0, EDITED), "nodes");
      received = sink();
      send(1);
      await until("a token after the edit", () => received.out.length + received.caught.length === 1);
      assert.equal(received.caught.length, 0, received.caught[0]?.error?.message);
      assert.notEqual(received.out[0].token, first, "a new token, not the cached one");
      assert.equal(sim.count("oneaccess.token"), 2, "a new request with the new account");
      const edited = helper.getNode("get").context().flow.get("accessToken");
      assert.ok(edited.account.includes(EDITED.clientId), edited.account);
      evidence.add([first, received.out, edited]);
    });
  }
});
