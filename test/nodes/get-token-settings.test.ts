// How the get token node reads its saved settings, in a real Node-RED runtime against the
// simulator: where the token is mirrored (scope, store, key, each trimmed or defaulted), the refresh
// margin in seconds (absent means 300, anything but a number >= 0 is refused), headers on unless
// switched off, and a node that names no provider.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { simulatorSuite } from "../support/simulator-suite";
import { basicFlow, demoCredentials, nextMessage, nextMessages, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
type Context = { get(key: string, store?: string): unknown; keys(store?: string): string[] };

describe("get token node: saved settings", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  /** Deploy get token with these saved properties (raw: not the builder's defaults) on two memory stores. */
  async function deploy(properties: Record<string, unknown>): Promise<void> {
    helper.settings({ contextStorage: { default: { module: "memory" }, other: { module: "memory" } } });
    await helper.load(NODES, [], {});
    await helper._redNodes.loadContextsPlugin();
    const flow = basicFlow("oneaccess", suite.sim.url).map((node) =>
      node.id === "get" ? { ...node, ...properties } : node,
    );
    // undefined stands for a property the saved config lacks.
    for (const node of flow)
      for (const [name, value] of Object.entries(node)) if (value === undefined) delete node[name];
    await helper.setFlows(flow, "full", { cfg: demoCredentials(suite.sim, "oneaccess") });
  }

  async function oneMessage(msg: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const out = nextMessage("out");
    helper.getNode("get").receive(msg);
    return out;
  }

  /** Messages one after the other: how many token requests they cost. */
  async function requestsFor(count: number): Promise<number> {
    for (let i = 0; i < count; i++) await oneMessage();
    return suite.sim.count("oneaccess.token");
  }

  const contexts = () => helper.getNode("get").context() as { flow: Context; global: Context };

  it("scope global, store and key trimmed: the entry is in that store of global context only", async () => {
    await deploy({ scope: "global", store: " other ", key: "  tokens.orion " });
    const msg = await oneMessage();
    const { flow, global } = contexts();
    assert.equal((global.get("tokens.orion", "other") as { token: string }).token, msg.token);
    assert.equal(global.get("tokens.orion"), undefined, "not in the default store");
    assert.equal(flow.get("tokens.orion", "other"), undefined, "not in flow context");
  });

  it("an empty or blank key is accessToken; an absent scope is flow; a blank store the default one", async () => {
    await deploy({ scope: undefined, store: "  ", key: "   " });
    const msg = await oneMessage();
    assert.equal((contexts().flow.get("accessToken") as { token: string }).token, msg.token);
    assert.equal(contexts().global.get("accessToken"), undefined);
  });

  it("scope none: no context entry anywhere, even with a key no property expression allows", async () => {
    await deploy({ scope: "none", key: "my key" });
    const msg = await oneMessage();
    assert.ok(msg.token);
    assert.equal(statuses("get").at(-1)?.fill, "green");
    for (const context of [contexts().flow, contexts().global]) {
      assert.deepEqual(context.keys(), []);
      assert.deepEqual(context.keys("other"), []);
    }
  });

  it("an unknown scope is flow", async () => {
    await deploy({ scope: "tab", key: "t" });
    const msg = await oneMessage();
    assert.equal((contexts().flow.get("t") as { token: string }).token, msg.token);
  });

  for (const [margin, seconds] of [
    [undefined, 300],
    [null, 300],
    ["120", 120],
  ] as const) {
    it(`a margin of ${JSON.stringify(margin)} refreshes ${seconds} s before expiry, not sooner`, async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        suite.sim.setTokenLifetime("oneaccess", 1800);
        await deploy({ margin });
        const first = (await oneMessage()).token;
        clock.tick((1800 - seconds - 10) * 1000);
        assert.equal((await oneMessage()).token, first, "10 s outside the margin: the held token");
        clock.tick(20_000);
        assert.notEqual((await oneMessage()).token, first, "10 s inside the margin: a new token");
        assert.equal(suite.sim.count("oneaccess.token"), 2);
      } finally {
        clock.restore();
      }
    });
  }

  for (const margin of ["", true, "soon", null]) {
    const refused = margin !== null;
    it(`a margin of ${JSON.stringify(margin)} is ${refused ? "refused" : "the default"}`, async () => {
      await deploy({ margin });
      if (!refused) {
        assert.equal(await requestsFor(2), 1);
        return;
      }
      assert.deepEqual(statuses("get").at(-1), {
        fill: "red",
        shape: "ring",
        text: "OneAccess: invalid refresh margin",
      });
      const caught = nextMessage("caught");
      helper.getNode("get").receive({});
      assert.match((await caught).error.message, /refresh margin must be a number of seconds/);
      assert.equal(suite.sim.count("oneaccess.token"), 0);
    });
  }

  it("a margin of 0 is valid: the token is used to its end", async () => {
    await deploy({ margin: 0 });
    assert.equal(await requestsFor(2), 1);
    assert.equal(statuses("get").at(-1)?.fill, "green");
  });

  it("headers absent from the saved config: on", async () => {
    await deploy({ headers: undefined });
    const msg = await oneMessage();
    assert.equal(msg.headers.Authorization, `Bearer ${msg.token}`);
  });

  it("no provider or an unknown one: 'get token: no credentials' on deploy and per message, no request", async () => {
    for (const provider of [undefined, "acme"]) {
      await deploy({ provider });
      assert.deepEqual(statuses("get").at(-1), {
        fill: "red",
        shape: "ring",
        text: "get token: no credentials selected",
      });
      const caught = nextMessages("caught", 1);
      helper.getNode("get").receive({});
      const [msg] = await caught;
      assert.match(msg.error.message, /^get token: no credentials node is selected/);
      assert.equal(msg.error.source.type, "access-token");
      await helper.unload();
    }
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });
});
