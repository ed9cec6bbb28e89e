// get token and its context store in a real runtime against the simulator: a store that fails to
// read or write (warned, the message still answered, the write tried again), two nodes on one
// credentials node and one context entry after a restart (neither writes what is already there),
// a token adopted from context that the custom provider's authValue has not seen yet, and every
// node on a credentials node shown the token another one fetched.
import assert from "node:assert/strict";
import type { ProviderId } from "../../src/providers";
import { logged, simulatorSuite } from "../support/simulator-suite";
import {
  apiRequestNode,
  at,
  configNode,
  demoCredentials,
  getTokenNode,
  nextMessage,
  statuses,
  until,
} from "../support/flows";
import { countingStore } from "../support/counting-store";
import { exampleConfig, onSimulator } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("get token and its context store", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  const warnings = () => logged("warn");

  /** Two get token nodes ("get", "get2") on one credentials node, both writing flow context key accessToken. */
  function twoNodes(
    config: Record<string, unknown> = configNode("oneaccess", suite.sim.url),
    provider: ProviderId = "oneaccess",
  ) {
    return [
      { id: "tab1", type: "tab", label: "one" },
      config,
      getTokenNode({ provider }),
      getTokenNode({ provider, id: "get2", wires: [["out2"]] }),
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "out2", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
  }

  async function start(
    store: { module: unknown },
    flow: unknown[],
    credentials: Record<string, string>,
  ): Promise<void> {
    helper.settings({ contextStorage: { default: { module: store.module } } });
    await helper.load(NODES, [], {});
    await helper._redNodes.loadContextsPlugin();
    await helper.setFlows(flow, "full", { cfg: credentials });
  }

  async function send(id: string, out: string): Promise<Record<string, any>> {
    const answered = nextMessage(out);
    helper.getNode(id).receive({});
    return answered;
  }

  it("a store that cannot write: warned with its reason, the message still answered, the write tried again", async () => {
    const store = countingStore();
    const inner = store.module(undefined) as { set: (...args: unknown[]) => unknown };
    let failing = true;
    const failingSet = (scope: string, key: string, value: unknown, callback?: (err: Error | null) => void) => {
      if (!failing) return inner.set(scope, key, value, callback);
      store.writes.push({ scope, key, value });
      process.nextTick(() => callback?.(new Error("disk full")));
    };
    await start({ module: () => ({ ...inner, set: failingSet }) }, twoNodes(), demoCredentials(suite.sim, "oneaccess"));
    const first = await send("get", "out");
    assert.ok(first.token);
    assert.deepEqual(
      warnings().filter((line) => /context/.test(line)),
      ["could not store the token in context: disk full"],
    );
    failing = false;
    const second = await send("get", "out");
    assert.equal(second.token, first.token);
    const writes = store.writes.filter((write) => write.key === "accessToken");
    assert.equal(writes.length, 2, "the failed write is tried again with the next message");
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("a store whose write error quotes the entry: the token is masked in the warning", async () => {
    const store = countingStore();
    const inner = store.module(undefined) as Record<string, unknown>;
    const quotingSet = (_scope: string, _key: string, value: unknown, callback?: (err: Error | null) => void) => {
      process.nextTick(() => callback?.(new Error(`cannot store ${JSON.stringify(value)}`)));
    };
    await start({ module: () => ({ ...inner, set: quotingSet }) }, twoNodes(), demoCredentials(suite.sim, "oneaccess"));
    const msg = await send("get", "out");
    const [warning] = warnings().filter((line) => /could not store/.test(line));
    assert.match(String(warning), /^could not store the token in context: cannot store \{.*"\*\*\*"/);
    assert.ok(!String(warning).includes(msg.token as string), warning);
  });

  it("a store that cannot read: each node warns with the reason, the token is fetched from the vendor", async () => {
    const store = countingStore();
    const inner = store.module(undefined) as Record<string, unknown>;
    const failingGet = (_scope: string, _key: string, callback?: (err: Error | null) => void) => {
      process.nextTick(() => callback?.(new Error("store offline")));
    };
    await start({ module: () => ({ ...inner, get: failingGet }) }, twoNodes(), demoCredentials(suite.sim, "oneaccess"));
    const msg = await send("get", "out");
    assert.ok(msg.token);
    const read = warnings().filter((line) => /could not read the stored token/.test(line));
    assert.deepEqual(read, [
      "could not read the stored token from context: store offline",
      "could not read the stored token from context: store offline",
    ]);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("after a restart, two nodes sharing the entry adopt it and neither writes it again", async () => {
    const store = countingStore();
    await start(store, twoNodes(), demoCredentials(suite.sim, "oneaccess"));
    const before = await send("get", "out");
    await helper.unload();
    const written = store.writes.length;
    await start(store, twoNodes(), demoCredentials(suite.sim, "oneaccess"));
    const [one, two] = [await send("get", "out"), await send("get2", "out2")];
    assert.equal(one.token, before.token);
    assert.equal(two.token, before.token);
    assert.equal(suite.sim.count("oneaccess.token"), 1, "no request after the restart");
    assert.equal(store.writes.length, written, "nothing written again");
  });

  it("after a restart, a node whose entry holds an older token than the one adopted writes the next token, the older value again too", async () => {
    const store = countingStore();
    const flow = twoNodes().map((node) => (node.id === "get2" ? { ...node, key: "older" } : node));
    await start(store, flow, demoCredentials(suite.sim, "oneaccess"));
    const older = (await send("get", "out")).token;
    await send("get2", "out2");
    const readNewer = nextMessage("out");
    helper.getNode("get").receive({ refreshToken: true });
    assert.notEqual((await readNewer).token, older);
    await helper.unload();
    store.reads.length = 0;
    // get adopts the newer token; get2's entry holds the older one, which it must not take as written.
    await start(store, flow, demoCredentials(suite.sim, "oneaccess"));
    await until("both nodes read the context", () => store.reads.length >= 2);
    // A vendor that hands that older value out again, with a new lifetime.
    suite.sim.fail("oneaccess.token", { kind: "token", token: older, expiresIn: 7200 });
    const again = nextMessage("out2");
    helper.getNode("get2").receive({ refreshToken: true });
    assert.equal((await again).token, older);
    const entries = store.writes
      .filter((write) => write.key === "older")
      .map((write) => write.value as { token: string; expiresAt: number });
    assert.equal(entries.length, 2, "written again");
    assert.equal(entries[1].token, older);
    assert.ok(entries[1].expiresAt > Date.now() + 3_600_000, "with its new lifetime");
  });

  it("custom provider: a token adopted from context gets its authValue evaluated before the first answer", async () => {
    const store = countingStore();
    const config = { ...onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim), id: "cfg", name: "" };
    const keys = { key: suite.sim.accounts.homemade.appKey, secret: suite.sim.accounts.homemade.appSecret };
    await start(store, twoNodes(config, "custom"), keys);
    const before = await send("get", "out");
    const header = Object.entries(before.headers as Record<string, string>).find(([, value]) =>
      value.includes(before.token),
    );
    assert.ok(header, JSON.stringify(before.headers));
    await helper.unload();
    store.reads.length = 0;
    await start(store, twoNodes(config, "custom"), keys);
    // Both nodes have read and adopted the entry before the message: it may be answered at once,
    // and must not be before authValue was evaluated for the adopted token.
    await until("both nodes read the context", () => store.reads.length >= 2);
    await new Promise((resolve) => setImmediate(resolve));
    const after = await send("get", "out");
    assert.equal(after.token, before.token, "adopted from context");
    assert.equal(after.headers[header[0]], header[1]);
    assert.equal(suite.sim.count("homemade.token"), 1);
  });

  it("every node on the credentials node shows the token another one fetched", async () => {
    const flow = [
      ...twoNodes(),
      { ...apiRequestNode({ provider: "oneaccess", url: "/api/v2/tenant/users" }), wires: [[]] },
    ];
    await start(countingStore(), flow, demoCredentials(suite.sim, "oneaccess"));
    for (const id of ["get2", "api"]) {
      assert.deepEqual(statuses(id).at(-1), { fill: "grey", shape: "dot", text: "no token yet" });
    }
    await send("get", "out");
    for (const id of ["get2", "api"]) {
      const shown = statuses(id).at(-1);
      assert.equal(shown?.fill, "green", id);
      assert.match(String(shown?.text), /^valid until /);
    }
  });
});
