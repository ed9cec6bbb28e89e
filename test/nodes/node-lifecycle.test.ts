// What a user meets around deploys, in a real Node-RED runtime against the simulator: a status that
// is true from the moment a node starts (in both directions), saved settings the editor would refuse
// reported once and clearly, a proxy URL that does not parse, a message whose getter throws, and a
// redeploy with many messages waiting that logs one line, not one per message.
import assert from "node:assert/strict";
import {
  apiRequestNode,
  basicFlow,
  configNode,
  delay,
  demoCredentials,
  nextMessage,
  statuses,
  until,
} from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpProxy)];

describe("node lifecycle: status, refused settings, redeploys", function () {
  this.timeout(30_000);
  const suite = simulatorSuite();

  const logged = () =>
    ((helper.log() as { getCalls?: () => Array<{ args: unknown[] }> }).getCalls?.() ?? []).map((call) =>
      JSON.stringify(call.args),
    );

  it("shows its true state from start: a redeploy with a wrong secret does not keep the green dot, a fix does not keep the red ring", async () => {
    const good = demoCredentials(suite.sim, "oneaccess");
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: good });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    assert.equal(statuses("get").at(-1)?.fill, "green");

    await helper.unload();
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: { ...good, clientSecret: "wrong" } });
    assert.deepEqual(statuses("get").at(-1), { fill: "grey", shape: "dot", text: "no token yet" }, "not the old green");
    const caught = nextMessage("caught");
    helper.getNode("get").receive({});
    await caught;
    assert.equal(statuses("get").at(-1)?.fill, "red");

    await helper.unload();
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: good });
    assert.deepEqual(statuses("get").at(-1), { fill: "grey", shape: "dot", text: "no token yet" }, "not the old red");
  });

  it("a context key the editor would refuse: a red ring on deploy, a clear error per message, no context warnings", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url, { key: "my key" }), {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
    assert.deepEqual(statuses("get").at(-1), { fill: "red", shape: "ring", text: "OneAccess: invalid context key" });
    for (let i = 0; i < 3; i++) {
      const caught = nextMessage("caught");
      helper.getNode("get").receive({});
      assert.match((await caught).error.message, /context key "my key" is not a valid property name/);
    }
    assert.equal(suite.sim.count("oneaccess.token"), 0, "no token is fetched for a node that cannot work");
    assert.ok(!logged().some((line) => /could not store the token/.test(line)), "no per-message context warning");
  });

  it("a negative refresh margin is refused, not silently replaced", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url, { margin: -5 }), {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
    assert.deepEqual(statuses("get").at(-1), { fill: "red", shape: "ring", text: "OneAccess: invalid refresh margin" });
    const caught = nextMessage("caught");
    helper.getNode("get").receive({});
    assert.match((await caught).error.message, /refresh margin must be a number of seconds, 0 or more/);
  });

  it("a proxy node URL that does not parse: a config error that holds neither the URL nor its password", async () => {
    const flow = basicFlow("oneaccess", suite.sim.url);
    flow.splice(1, 1, configNode("oneaccess", suite.sim.url, "cfg", { proxy: "proxy" }));
    flow.push({ id: "proxy", type: "http proxy", name: "", url: "http://user:s3cr3t-pw@bad host:80", noproxy: [] });
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
    assert.deepEqual(statuses("get").at(-1), { fill: "red", shape: "ring", text: "OneAccess: invalid proxy URL" });
    const caught = nextMessage("caught");
    helper.getNode("get").receive({});
    const error = (await caught).error.message as string;
    assert.match(error, /URL of the selected http proxy node is not a valid URL/);
    assert.ok(!JSON.stringify(logged()).includes("s3cr3t-pw") && !error.includes("s3cr3t-pw"));
  });

  it("a message whose getter throws (when Catch clones it) leaves the process up, with no unhandled rejection", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
      const msg: Record<string, unknown> = {};
      Object.defineProperty(msg, "headers", {
        enumerable: true,
        get() {
          throw new Error("getter says no");
        },
      });
      helper.getNode("get").receive(msg);
      await until("the message was handled", () => suite.sim.count("oneaccess.token") === 1);
      await delay(100);
      assert.deepEqual(rejections, []);
      // The node still works.
      const out = nextMessage("out");
      helper.getNode("get").receive({});
      assert.ok((await out).token);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });

  it("a redeploy with 1,000 messages waiting for a token logs one line with the count", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    suite.sim.fail("oneaccess.token", { kind: "slow", ms: 3_000 });
    for (let i = 0; i < 1_000; i++) helper.getNode("get").receive({ n: i });
    await until("the token request is in flight", () => suite.sim.count("oneaccess.token") === 1);
    const before = logged().length;
    // A full deploy of another flow: the waiting messages' node is stopped (the log spy stays).
    await helper.setFlows(basicFlow("enos", suite.sim.url), "full", { cfg: demoCredentials(suite.sim, "enos") });
    await delay(50);
    // Warnings and errors only (Node-RED levels: error 20, warn 30); info, debug and trace are the runtime's own.
    const lines = logged()
      .slice(before)
      .filter((line) => ((JSON.parse(line) as Array<{ level?: number }>)[0]?.level ?? 99) <= 30);
    assert.deepEqual(
      lines.filter((line) => /message\(s\) waiting/.test(line)).length,
      1,
      `one line for all of them: ${lines.join("\n")}`,
    );
    assert.ok(
      lines.some((line) => line.includes("1000 message(s) waiting")),
      lines.join("\n"),
    );
    assert.ok(lines.length < 5, `no line per message (${lines.length} lines):\n${lines.slice(0, 8).join("\n")}`);
  });

  it("a deploy stops the nodes' expiry timers: no status from a removed node when its token runs out", async () => {
    suite.sim.setTokenLifetime("oneaccess", 2);
    const flow = [
      ...basicFlow("oneaccess", suite.sim.url),
      { ...apiRequestNode({ provider: "oneaccess", url: "/api/v2/tenant/users" }), wires: [[]] },
    ];
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    const nodes = ["get", "api"].map((id) => helper.getNode(id) as { status: (status: unknown) => void });
    await helper.unload();
    // Watched from here: unload restores the test helper's own status spies.
    const late: unknown[] = [];
    for (const node of nodes) node.status = (status) => late.push(status);
    await delay(2_500); // past the token's expiry, when a running timer would grey the status out
    assert.deepEqual(late, []);
  });
});
