// The api request node's edges in a real Node-RED runtime against the simulator: the body cap from
// settings.js (a bad value reported once, the default used; a fraction of a byte cut), a node with
// no credentials, msg.refreshToken, the status while a token is fetched, and what a message keeps
// on an error sent to Catch.
import assert from "node:assert/strict";
import { DEFAULT_MAX_BYTES, MAX_BYTES_SETTING } from "../../src/nodes/api-request-node";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { apiFlow, apiRequestNode, demoCredentials, nextMessage, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const USERS = "/api/v2/tenant/users";

describe("api request node: settings and edges", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  const warnings = () => logged("warn");

  async function load(options: Record<string, unknown> = {}, provider: "oneaccess" | "orionstar" = "oneaccess") {
    await helper.load(NODES, apiFlow(provider, suite.sim.url, { url: USERS, ...options }), {
      cfg: demoCredentials(suite.sim, provider),
    });
  }

  async function call(msg: Record<string, unknown>, id = "out"): Promise<Record<string, any>> {
    const out = nextMessage(id);
    helper.getNode("api").receive(msg);
    return out;
  }

  it("the body cap defaults to 10 MiB, is read as whole bytes, and a bad value is said once and replaced", async () => {
    assert.equal(DEFAULT_MAX_BYTES, 10 * 1024 * 1024);
    assert.equal(MAX_BYTES_SETTING, "accessTokenRequestMaxBytes");
    for (const bad of [0, -1, "2048", Number.POSITIVE_INFINITY]) {
      helper.settings({ [MAX_BYTES_SETTING]: bad });
      await load();
      const said = warnings().filter((line) => line.includes(MAX_BYTES_SETTING));
      assert.deepEqual(said, [`${MAX_BYTES_SETTING} must be a positive number of bytes; using 10485760`], String(bad));
      // The default holds: a 64 KiB answer passes.
      suite.sim.fail("oneaccess.users", { kind: "huge-body", bytes: 64 * 1024 });
      assert.equal((await call({})).statusCode, 200, String(bad));
      await helper.unload();
      suite.sim.reset();
    }
    helper.settings({ [MAX_BYTES_SETTING]: 2048.9 });
    await load();
    assert.deepEqual(
      warnings().filter((line) => line.includes(MAX_BYTES_SETTING)),
      [],
    );
    suite.sim.fail("oneaccess.users", { kind: "huge-body", bytes: 64 * 1024 });
    assert.match((await call({}, "caught")).error.message, /more than 2 KiB/);
  });

  it("no credentials chosen, or another provider's: 'api request' names it on deploy and per message", async () => {
    for (const provider of [undefined, "acme"]) {
      const flow = apiFlow("oneaccess", suite.sim.url, { url: USERS }).map((node) =>
        node.id === "api" ? { ...node, provider } : node,
      );
      await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
      assert.deepEqual(statuses("api").at(-1), {
        fill: "red",
        shape: "ring",
        text: "api request: no credentials selected",
      });
      const caught = await call({}, "caught");
      assert.match(caught.error.message, /^api request: no credentials node is selected/);
      await helper.unload();
    }
    const wrongType = apiFlow("oneaccess", suite.sim.url, { url: USERS }).map((node) =>
      node.id === "api" ? { ...node, provider: "orionstar", orionstar: "cfg" } : node,
    );
    await helper.load(NODES, wrongType, { cfg: demoCredentials(suite.sim, "oneaccess") });
    assert.match((await call({}, "caught")).error.message, /^OrionStar: no credentials node is selected/);
    assert.equal(suite.sim.count("oneaccess.token") + suite.sim.count("oneaccess.users"), 0);
  });

  it("msg.refreshToken true forces one new token and is removed; false or other values only removed", async () => {
    await load();
    await call({});
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    const kept = await call({ refreshToken: "yes" });
    assert.equal("refreshToken" in kept, false);
    const cached = await call({ refreshToken: false });
    assert.equal("refreshToken" in cached, false);
    const unset = await call({ refreshToken: undefined });
    assert.equal("refreshToken" in unset, false, "a key set to undefined is removed too");
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    const forced = await call({ refreshToken: true });
    assert.equal("refreshToken" in forced, false);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    assert.equal(suite.sim.count("oneaccess.users"), 5);
  });

  it("the status: grey 'no token yet', fetching while a token comes (first or forced), then green", async () => {
    await load();
    assert.deepEqual(statuses("api").at(-1), { fill: "grey", shape: "dot", text: "no token yet" });
    await call({});
    const shown = statuses("api").map((status) => `${status.fill}/${status.shape}`);
    assert.deepEqual(shown.slice(-2), ["yellow/ring", "green/dot"], JSON.stringify(statuses("api")));
    const before = statuses("api").length;
    await call({});
    assert.ok(
      statuses("api")
        .slice(before)
        .every((status) => status.fill === "green"),
      "a held token: no fetching status",
    );
    await call({ refreshToken: true });
    assert.deepEqual(
      statuses("api")
        .slice(-2)
        .map((status) => String(status.text).replace(/\d.*/, "")),
      ["fetching token", "valid until "],
    );
    // A failed call turns it red; the next call that succeeds with the held token turns it green again.
    suite.sim.fail("oneaccess.users", { kind: "status", status: 500 }, 1);
    await call({}, "caught");
    assert.equal(statuses("api").at(-1)?.fill, "red");
    await call({});
    assert.equal(statuses("api").at(-1)?.fill, "green");
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("a token another node fetched shows on every api request node of that credentials node", async () => {
    const flow = apiFlow("oneaccess", suite.sim.url, { url: USERS });
    flow.push(apiRequestNode({ id: "api2", provider: "oneaccess", url: USERS, wires: [[]] }));
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
    assert.equal(statuses("api2").at(-1)?.text, "no token yet");
    await call({});
    assert.equal(statuses("api2").at(-1)?.fill, "green", "api2 received no message but shows the token");
    assert.deepEqual(statuses("api2").at(-1), statuses("api").at(-1));
  });

  it("an error to Catch keeps the message's payload and sets msg.statusCode; errors sent on set all of the answer", async () => {
    await load();
    suite.sim.fail("oneaccess.users", { kind: "status", status: 500 });
    const caught = await call({ payload: "mine" }, "caught");
    assert.equal(caught.payload, "mine");
    assert.equal(caught.statusCode, 500);
    assert.equal(caught.responseUrl, undefined);
    await helper.unload();
    await load({ errors: "output" });
    suite.sim.fail("oneaccess.users", { kind: "status", status: 500 });
    const sent = await call({ payload: "mine" });
    assert.equal(sent.statusCode, 500);
    assert.equal(sent.responseUrl, `${suite.sim.url}${USERS}`);
    assert.notEqual(sent.payload, "mine");
  });
});
