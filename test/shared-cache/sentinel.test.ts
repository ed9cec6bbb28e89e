// accessTokenSharedCache through Sentinel, every node with a password (the data nodes' requirepass
// and masterauth, the Sentinels' own requirepass): two Node-RED processes share one token; a
// failover in the middle of a shared refresh still ends with one vendor request and one token, and
// the processes keep sharing through the new master afterwards.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { InstanceGroup } from "./instance-group";
import { requireRedis } from "./redis-server";
import { requireTopologyTools, until } from "./redis-processes";
import { startSentinelSet, type SentinelSet } from "./redis-sentinel-set";

const PREFIX = "nr-sentinel-test";

describe("shared cache through Sentinel, with passwords", function () {
  this.timeout(120_000);
  let sim: ProviderSimulator;
  let sentinel: SentinelSet;
  let group: InstanceGroup;
  const count = () => sim.count("orionstar.token");

  /** The token entry on the current master (what a third instance would adopt). */
  async function sharedToken(): Promise<string> {
    const master = await sentinel.master();
    try {
      const keys = await master.keys(`${PREFIX}:*:token`);
      assert.equal(keys.length, 1, keys.join(", "));
      return (JSON.parse(String(await master.get(keys[0]))) as { token: string }).token;
    } finally {
      master.destroy();
    }
  }

  before(async function () {
    requireRedis(this);
    requireTopologyTools(this);
    sim = await ProviderSimulator.start();
    sentinel = await startSentinelSet(3);
    group = await InstanceGroup.start(sim, {
      sentinel: {
        name: sentinel.name,
        nodes: sentinel.sentinels.map(({ host, port }) => `${host}:${port}`),
        password: sentinel.sentinelPassword,
      },
      password: sentinel.password,
      prefix: PREFIX,
    });
  });
  after(async () => {
    await group?.stop();
    await sentinel?.stop();
    await sim?.close();
  });

  let shared: string;

  it("two Node-RED processes share one token through the master the Sentinels name", async () => {
    sim.clear();
    sim.fail("orionstar.token", { kind: "slow", ms: 500 });
    shared = InstanceGroup.single(await group.burst(() => "/token", 20));
    assert.equal(count(), 1);
    assert.equal(await sharedToken(), shared);
  });

  it("a failover in the middle of a refresh: still one vendor request and one token", async () => {
    const before = count();
    const oldMaster = await sentinel.masterPort();
    // The holder waits 3 s for the vendor; the failover happens meanwhile, with the lock taken.
    sim.clear();
    sim.fail("orionstar.token", { kind: "slow", ms: 3_000 });
    const refreshing = group.burst(() => `/refresh?stale=${encodeURIComponent(shared)}`, 10);
    let settled = false;
    refreshing.then(
      () => (settled = true),
      () => (settled = true),
    ); // awaited below; not unhandled while the failover runs
    await until("the holder's request at the vendor", async () => count() > before, 10_000);
    const newMaster = await sentinel.failover();
    assert.notEqual(newMaster, oldMaster);
    assert.equal(settled, false, "the failover was over while the holder still waited for the vendor");
    const token = InstanceGroup.single(await refreshing);
    assert.notEqual(token, shared);
    assert.equal(count(), before + 1, "one vendor request for the refresh, failover or not");
    shared = token;
  });

  it("after the failover both keep sharing through the new master", async () => {
    const before = count();
    sim.clear();
    sim.fail("orionstar.token", { kind: "slow", ms: 500 });
    const token = InstanceGroup.single(await group.burst(() => `/refresh?stale=${encodeURIComponent(shared)}`, 10));
    assert.notEqual(token, shared);
    assert.equal(count(), before + 1);
    assert.equal(await sharedToken(), token, "the new master holds the shared token");
  });
});
