// The accessTokenSharedCache setting in a Node-RED runtime: checked, one Redis client for all
// credentials nodes, closed with the last of them; a bad option is reported and tokens stay local.
import assert from "node:assert/strict";
import * as net from "node:net";
import { acquireSharedCache, openSharedClients, readSharedCacheSetting } from "../../src/shared-cache/runtime-cache";
import { basicFlow, configNode, delay, demoCredentials, getTokenNode, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import { redisFrame } from "./redis-server";

const quiet = { warn: () => undefined, info: () => undefined };

describe("accessTokenSharedCache setting", () => {
  it("accepts nothing (sharing off), one server, Sentinel or Cluster", () => {
    assert.equal(readSharedCacheSetting(undefined), undefined);
    assert.equal(readSharedCacheSetting(false), undefined);
    const single = readSharedCacheSetting({ redis: "redis://u:pw-123@h:1/2", prefix: "p" })!;
    assert.deepEqual(single.target, { kind: "single", url: "redis://u:pw-123@h:1/2" });
    assert.equal(single.prefix, "p");
    assert.equal(single.label, "h:1/2");
    assert.equal(
      readSharedCacheSetting({ redis: "unix:///run/redis/redis.sock" })!.label,
      "unix:/run/redis/redis.sock",
    );
    assert.equal(readSharedCacheSetting({ redis: "rediss://h" })!.label, "h:6379/0");
    const sentinel = readSharedCacheSetting({
      sentinel: { name: "mymaster", nodes: ["10.0.0.1:26379", { host: "10.0.0.2", port: 26380 }], password: "spw" },
      password: "pw",
    })!;
    assert.deepEqual(sentinel.target, {
      kind: "sentinel",
      name: "mymaster",
      sentinels: [
        { host: "10.0.0.1", port: 26379 },
        { host: "10.0.0.2", port: 26380 },
      ],
      sentinelUsername: undefined,
      sentinelPassword: "spw",
    });
    assert.equal(sentinel.password, "pw");
    const cluster = readSharedCacheSetting({ cluster: ["redis://10.0.0.1:7000", "10.0.0.2:7001"] })!;
    assert.deepEqual(cluster.target, {
      kind: "cluster",
      rootNodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
    });
    for (const setting of [single, sentinel, cluster]) assert.ok(!/pw/.test(setting.label), setting.label);
  });

  it("refuses a malformed option, naming the setting and never the password", () => {
    for (const value of [
      "redis://u:pw-123@h",
      { redis: 5 },
      { redis: "http://u:pw-123@h" },
      { redis: "redis://u:pw-123@h", prefix: "" },
      { redis: "redis://u:pw-123@h", timeoutMs: -1 },
      { redis: "redis://u:pw-123@h", cluster: ["h:1"] },
      { cluster: ["redis://u:pw-123@h:7000"] },
      { sentinel: { name: "m", nodes: ["redis://:pw-123@h:26379"] } },
      { sentinel: { nodes: ["h:26379"] }, password: "pw-123" },
    ]) {
      assert.throws(
        () => readSharedCacheSetting(value),
        (err: Error) => /accessTokenSharedCache/.test(err.message) && !err.message.includes("pw-123"),
      );
    }
    assert.equal(openSharedClients(), 0);
  });

  it("hands out one client per URL and closes it when the last lease is released", async () => {
    const a = acquireSharedCache(readSharedCacheSetting({ redis: "redis://127.0.0.1:1/0", prefix: "a" })!, quiet);
    const b = acquireSharedCache(readSharedCacheSetting({ redis: "redis://127.0.0.1:1/0", prefix: "b" })!, quiet);
    assert.equal(openSharedClients(), 1);
    assert.equal(a.outage, b.outage, "one outage log: one warning per runtime, not per node");
    await a.release();
    await a.release(); // twice is harmless
    assert.equal(openSharedClients(), 1);
    await b.release();
    assert.equal(openSharedClients(), 0);
  });
});

describe("accessTokenSharedCache in a runtime", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const cache = redisFrame();

  it("shares one client between credentials nodes, stores their tokens, and closes it with them", async () => {
    helper.settings({ accessTokenSharedCache: { redis: cache.server.url, prefix: "runtime-test" } });
    const flow = [
      ...basicFlow("oneaccess", suite.sim.url),
      configNode("oneaccess", suite.sim.url, "cfg2"),
      getTokenNode({ id: "get2", provider: "oneaccess", config: "cfg2", wires: [["out2"]] }),
      { id: "out2", type: "helper", z: "tab1", x: 10, y: 10 },
    ];
    const credentials = demoCredentials(suite.sim, "oneaccess");
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], flow, { cfg: credentials, cfg2: credentials });
    assert.equal(openSharedClients(), 1);
    const first = nextMessage("out");
    helper.getNode("get").receive({});
    const token = (await first).token;
    // The second credentials node is another TokenSource in this runtime: it adopts the shared token.
    const second = nextMessage("out2");
    helper.getNode("get2").receive({});
    assert.equal((await second).token, token);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.equal((await cache.admin.keys("runtime-test:*:token")).length, 1);
    await helper.unload();
    assert.equal(openSharedClients(), 0, "closing the flows closed the Redis client");
  });

  it("a malformed option is reported and tokens are fetched as without it", async () => {
    helper.settings({ accessTokenSharedCache: { redis: "http://nope" } });
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], basicFlow("oneaccess", suite.sim.url), {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
    assert.equal(openSharedClients(), 0);
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    assert.ok((await out).token);
    const logged = JSON.stringify((helper.log() as { args: unknown[] }).args);
    assert.match(logged, /accessTokenSharedCache ignored/);
  });

  it("the lock outlasts the node's timeout: a node asking during a slow request waits for its token", async () => {
    // A generous command time: under load the first commands may wait for the connection.
    helper.settings({ accessTokenSharedCache: { redis: cache.server.url, prefix: "lock-ttl", timeoutMs: 10_000 } });
    const timeoutSeconds = 2;
    const flow = [
      ...basicFlow("oneaccess", suite.sim.url).map((node) =>
        node.id === "cfg" ? { ...node, timeout: timeoutSeconds } : node,
      ),
      configNode("oneaccess", suite.sim.url, "cfg2", { timeout: timeoutSeconds }),
      getTokenNode({ id: "get2", provider: "oneaccess", config: "cfg2", wires: [["out2"]] }),
      { id: "out2", type: "helper", z: "tab1", x: 10, y: 10 },
    ];
    const credentials = demoCredentials(suite.sim, "oneaccess");
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], flow, { cfg: credentials, cfg2: credentials });
    suite.sim.fail("oneaccess.token", { kind: "slow", ms: 1_000 }, 1);
    const first = nextMessage("out");
    helper.getNode("get").receive({});
    let locks: string[] = [];
    for (let i = 0; i < 100 && locks.length === 0; i++) {
      locks = await cache.admin.keys("lock-ttl:*:lock");
      if (locks.length === 0) await delay(10);
    }
    assert.equal(locks.length, 1, "the first node holds the lock while its request is out");
    assert.ok((await cache.admin.pTTL(locks[0])) > timeoutSeconds * 1000, "for longer than its request may take");
    const second = nextMessage("out2");
    helper.getNode("get2").receive({});
    assert.equal((await second).token, (await first).token, "the second node waited for the first one's token");
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    await helper.unload();
  });

  it("a deploy while the lock is held ends after the lock and the Redis client are released", async () => {
    helper.settings({ accessTokenSharedCache: { redis: cache.server.url, prefix: "deploy-lock", timeoutMs: 10_000 } });
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], basicFlow("oneaccess", suite.sim.url), {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
    suite.sim.fail("oneaccess.token", { kind: "slow", ms: 5_000 }, 1);
    helper.getNode("get").receive({});
    let locks: string[] = [];
    for (let i = 0; i < 100 && locks.length === 0; i++) {
      locks = await cache.admin.keys("deploy-lock:*:lock");
      if (locks.length === 0) await delay(10);
    }
    assert.equal(locks.length, 1, "the node holds the lock while its request is out");
    await helper.unload();
    // Asked as soon as the deploy ends: Node-RED starts the new flows then, and another instance may be waiting.
    assert.equal(openSharedClients(), 0, "the Redis client closed before the deploy ended");
    assert.deepEqual(await cache.admin.keys("deploy-lock:*:lock"), [], "the lock released before the deploy ended");
  });

  it("an unreachable server is named in the outage warning, and tokens are fetched as without it", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    helper.settings({ accessTokenSharedCache: { redis: `redis://127.0.0.1:${port}`, timeoutMs: 300 } });
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], basicFlow("oneaccess", suite.sim.url), {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    assert.ok((await out).token);
    const warnings = (helper.log() as { args: Array<Array<{ level?: number; msg?: unknown }>> }).args
      .map(([entry]) => String(entry?.msg))
      .filter((text) => text.includes("shared token cache unavailable"));
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.ok(warnings[0].includes(`redis 127.0.0.1:${port}/0: `), warnings[0]);
    await helper.unload();
    assert.equal(openSharedClients(), 0);
  });
});
