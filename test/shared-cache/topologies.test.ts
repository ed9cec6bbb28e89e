// The accessTokenSharedCache topologies the issue names, each a real Redis: rediss:// with the CA
// given in the setting's tls option, a unix socket, and a three-master Cluster made by redis-cli
// --cluster create. In each, two Node-RED processes asked together make one vendor request and
// serve one token, which Redis holds. (Sentinel, with a failover mid-refresh: sentinel.test.ts.)
import assert from "node:assert/strict";
import { openRedis } from "../../src/shared-cache/redis-connection";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { ProviderSimulator } from "../simulator";
import { InstanceGroup } from "./instance-group";
import { requireRedis } from "./redis-server";
import { startCluster, type RedisCluster } from "./redis-cluster";
import { requireTopologyTools } from "./redis-processes";
import { startTlsRedis, startUnixRedis, type TlsRedis, type UnixRedis } from "./redis-topologies";

const PREFIX = "nr-topology-test";
const count = (sim: ProviderSimulator) => sim.count("orionstar.token");

type Client = { keys(p: string): Promise<string[]>; get(k: string): Promise<string | null>; destroy(): void };

/** The token Redis holds under our prefix, read through a client of its own (its MAC and fence are the store's business). */
async function heldToken(open: () => Promise<Client>): Promise<string> {
  const client = await open();
  try {
    const keys = (await client.keys(`${PREFIX}:*:token`)).map(String);
    assert.equal(keys.length, 1, keys.join(", "));
    return (JSON.parse(String(await client.get(keys[0]))) as { token: string }).token;
  } finally {
    client.destroy();
  }
}

/** Many requests at both instances while the vendor is slow: one request, one token everywhere. */
async function sharesOneToken(sim: ProviderSimulator, group: InstanceGroup): Promise<string> {
  sim.fail("orionstar.token", { kind: "slow", ms: 500 }, 2); // both instances are mid-refresh together
  const token = InstanceGroup.single(await group.burst(() => "/token", 20));
  assert.equal(count(sim), 1);
  return token;
}

describe("shared cache topologies", function () {
  this.timeout(120_000);
  let sim: ProviderSimulator;

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
  });
  after(async () => {
    await sim?.close();
  });
  beforeEach(() => sim.reset());

  describe("rediss:// with the CA in the setting", () => {
    let redis: TlsRedis;
    let group: InstanceGroup | undefined;
    before(async () => {
      redis = await startTlsRedis();
    });
    after(async () => {
      await group?.stop();
      await redis?.stop();
    });

    it("verifies the server against tls.ca: refused without it, connected with it", async () => {
      const ping = async (setting: Record<string, unknown>) => {
        const connection = openRedis(readSharedCacheSetting({ ...setting, timeoutMs: 2_000 })!);
        try {
          return await connection.command("k", ["PING"]);
        } finally {
          await connection.close();
        }
      };
      await assert.rejects(ping({ redis: redis.url }), "a self-signed server is not trusted by default");
      assert.equal(await ping({ redis: redis.url, tls: { ca: redis.ca } }), "PONG");
    });

    it("two Node-RED processes share one token over TLS", async () => {
      group = await InstanceGroup.start(sim, { redis: redis.url, tls: { ca: redis.ca }, prefix: PREFIX });
      const token = await sharesOneToken(sim, group);
      assert.equal(await heldToken(() => redis.admin()), token);
      assert.deepEqual(group.outages(), []);
    });
  });

  describe("unix socket", () => {
    let redis: UnixRedis;
    let group: InstanceGroup | undefined;
    before(async () => {
      redis = await startUnixRedis();
    });
    after(async () => {
      await group?.stop();
      await redis?.stop();
    });

    it("two Node-RED processes share one token through unix://", async () => {
      group = await InstanceGroup.start(sim, { redis: redis.url, prefix: PREFIX });
      const token = await sharesOneToken(sim, group);
      assert.equal(await heldToken(() => redis.admin()), token);
      assert.deepEqual(group.outages(), []);
    });
  });

  describe("three-master Cluster", () => {
    let cluster: RedisCluster;
    let group: InstanceGroup | undefined;
    before(async function () {
      requireTopologyTools(this);
      cluster = await startCluster(3);
    });
    after(async () => {
      await group?.stop();
      await cluster?.stop();
    });

    /** Every key under our prefix, with the port of the master that holds it. */
    async function keysByNode(): Promise<{ key: string; port: number }[]> {
      const found: { key: string; port: number }[] = [];
      for (const port of cluster.ports) {
        const client = await cluster.node(port);
        try {
          for (const key of await client.keys(`${PREFIX}:*`)) found.push({ key: String(key), port });
        } finally {
          client.destroy();
        }
      }
      return found;
    }

    let shared: string;

    it("two Node-RED processes given one root node share one token", async () => {
      // One root node only: the client must discover the other masters (and the slot's owner) itself.
      group = await InstanceGroup.start(sim, { cluster: [`redis://127.0.0.1:${cluster.ports[0]}`], prefix: PREFIX });
      const token = await sharesOneToken(sim, group);
      shared = token;
      const keys = await keysByNode();
      const tokenKey = keys.find(({ key }) => key.endsWith(":token"));
      assert.ok(tokenKey, JSON.stringify(keys));
      assert.equal(await heldToken(() => cluster.node(tokenKey.port)), token);
      assert.deepEqual(group.outages(), []);
    });

    it("keeps an account's keys in one hash slot (CLUSTER KEYSLOT on the real keys)", async () => {
      assert.ok(group, "needs the instances of the test before");
      // A forced refresh leaves the lock released, so hold one open: the lock key exists while the vendor is slow.
      sim.clear();
      sim.fail("orionstar.token", { kind: "slow", ms: 1_500 });
      const refresh = group.burst(() => `/refresh?stale=${encodeURIComponent(shared)}`, 5);
      refresh.catch(() => undefined); // awaited below
      let keys: { key: string; port: number }[] = [];
      const deadline = Date.now() + 10_000;
      while (!keys.some(({ key }) => key.endsWith(":lock")) && Date.now() < deadline) keys = await keysByNode();
      shared = InstanceGroup.single(await refresh); // both adopt the one new token
      const names = keys.map(({ key }) => key.slice(key.lastIndexOf(":") + 1)).sort();
      assert.deepEqual(names, ["fence", "lock", "token", "written"], JSON.stringify(keys));
      const client = await cluster.node(cluster.ports[0]);
      try {
        const slots = new Set<number>();
        for (const { key } of keys) slots.add(Number(await client.sendCommand(["CLUSTER", "KEYSLOT", key])));
        assert.equal(slots.size, 1, `one slot for ${keys.map((k) => k.key).join(", ")}`);
      } finally {
        client.destroy();
      }
      assert.equal(new Set(keys.map(({ port }) => port)).size, 1, "on one master");
    });

    it("the slot moved to another master in the middle of a refresh: one request, one token, no outage", async () => {
      assert.ok(group, "needs the instances of the tests before");
      const stale = shared;
      const before = count(sim);
      sim.clear();
      sim.fail("orionstar.token", { kind: "slow", ms: 2_000 });
      const refreshing = group.burst(() => `/refresh?stale=${encodeURIComponent(stale)}`, 10);
      let settled = false;
      refreshing.then(
        () => (settled = true),
        () => (settled = true),
      ); // awaited below
      let lock: { key: string; port: number } | undefined;
      const deadline = Date.now() + 10_000;
      while (!lock && Date.now() < deadline) lock = (await keysByNode()).find(({ key }) => key.endsWith(":lock"));
      assert.ok(lock, "the holder took the lock");
      // Resharding while the holder waits for the vendor: its release and share get MOVED.
      assert.notEqual(await cluster.moveSlotOf(lock.key), lock.port);
      assert.equal(settled, false, "the slot moved while the holder still waited for the vendor");
      const token = InstanceGroup.single(await refreshing);
      assert.notEqual(token, stale);
      assert.equal(count(sim), before + 1);
      assert.deepEqual(group.outages(), [], "a MOVED is no outage");
      assert.deepEqual(
        (await keysByNode()).filter(({ key }) => key.endsWith(":lock")),
        [],
        "the lock was released on the slot's new master",
      );
    });
  });
});
