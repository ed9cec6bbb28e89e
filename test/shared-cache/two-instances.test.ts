// The headline: two real Node-RED processes with the same OrionStar credentials behind one Redis.
// Many concurrent requests at both make one vendor token request between them and both serve the
// same token; a forced refresh is shared too; with Redis gone both keep working on their own
// caches, nothing fails and each logs one warning; Redis never holds the secret.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import type { NodeRedInstance } from "./node-red-instance";
import { InstanceGroup } from "./instance-group";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";

const PREFIX = "nr-shared-test";
describe("two Node-RED instances sharing tokens through Redis", function () {
  this.timeout(90_000);
  let redis: RedisServer;
  let sim: ProviderSimulator;
  let admin: AdminClient;
  let group: InstanceGroup | undefined;
  let instances: NodeRedInstance[] = [];

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
    redis = await startRedis();
    admin = await adminClient(redis.url);
    group = await InstanceGroup.start(sim, { redis: redis.url, prefix: PREFIX });
    instances = group.instances;
    assert.equal(sim.count("orionstar.token"), 0, "deploying asks the vendor nothing");
  });

  after(async () => {
    await group?.stop();
    admin?.destroy();
    await redis?.kill();
    await sim?.close();
  });

  const burst = (pathAndQuery: (index: number) => string, n: number) => group!.burst(pathAndQuery, n);
  const count = () => sim.count("orionstar.token");
  /** What the editor's state panel of the credentials node shows, from each instance's admin route. */
  const states = () =>
    Promise.all(
      instances.map(async (instance) => {
        const reply = await instance.get("/access-token/credentials/cfg/state");
        assert.equal(reply.status, 200, reply.body);
        return JSON.parse(reply.body) as { origin?: string; sharedCache?: string; redisReachable?: boolean };
      }),
    );
  const warnings = (instance: NodeRedInstance) => instance.output.match(/shared token cache unavailable/g) ?? [];

  let shared: string;

  it("many concurrent requests at both: one vendor request, the same token everywhere", async () => {
    sim.fail("orionstar.token", { kind: "slow", ms: 500 }, 2); // both instances are mid-refresh together
    const bodies = await burst(() => "/token", 40);
    assert.equal(count(), 1);
    const tokens = new Set(bodies.flat());
    assert.equal(tokens.size, 1, "both instances serve one token");
    shared = [...tokens][0];
    assert.ok(shared.length > 0);
    // One instance asked the vendor, the other took the token from Redis; both reached it.
    const seen = await states();
    assert.deepEqual(seen.map((state) => state.origin).sort(), ["shared", "vendor"]);
    for (const state of seen) assert.deepEqual([state.sharedCache, state.redisReachable], ["configured", true]);
  });

  it("a forced refresh at both makes one request, and both adopt the new token", async () => {
    sim.fail("orionstar.token", { kind: "slow", ms: 500 }, 2);
    const bodies = await burst(() => `/refresh?stale=${encodeURIComponent(shared)}`, 20);
    assert.equal(count(), 2);
    const tokens = new Set(bodies.flat());
    assert.equal(tokens.size, 1);
    assert.ok(!tokens.has(shared));
    shared = [...tokens][0];
    assert.deepEqual(new Set((await burst(() => "/token", 5)).flat()), new Set([shared]));
    assert.equal(count(), 2);
  });

  it("Redis holds the token, never the secret", async () => {
    const { appid, secret } = sim.accounts.orionstar;
    const keys = await admin.keys("*");
    assert.ok(
      keys.some((key) => key.startsWith(`${PREFIX}:{`) && key.endsWith("}:token")),
      keys.join(", "),
    );
    for (const key of keys) {
      assert.ok(key.startsWith(`${PREFIX}:`));
      const value = String(await admin.get(key));
      for (const text of [key, value]) {
        assert.ok(!text.includes(secret) && !text.includes(encodeURIComponent(secret)), `secret found in ${key}`);
      }
      assert.ok(!key.includes(appid));
      if (key.endsWith(":token")) {
        const entry = JSON.parse(value);
        assert.deepEqual(Object.keys(entry).sort(), ["expiresAt", "fence", "mac", "obtainedAt", "token", "v"]);
        assert.equal(entry.token, shared);
      }
    }
  });

  it("with Redis killed both keep working on their own caches; one warning each per outage", async () => {
    admin.destroy();
    await redis.kill();
    const before = count();
    // Still valid: served from each instance's own cache, no request, no Redis.
    assert.deepEqual(new Set((await burst(() => "/token", 10)).flat()), new Set([shared]));
    assert.equal(count(), before);
    // Forced refreshes now go to the vendor from each instance: one request each per round.
    const stale = instances.map(() => shared);
    for (let round = 1; round <= 2; round++) {
      const bodies = await burst((index) => `/refresh?stale=${encodeURIComponent(stale[index])}`, 10);
      bodies.forEach((mine, index) => {
        assert.equal(new Set(mine).size, 1, `instance ${index} serves one token`);
        assert.notEqual(mine[0], stale[index]);
        stale[index] = mine[0];
      });
      assert.equal(count(), before + 2 * round);
    }
    for (const instance of instances) assert.equal(warnings(instance).length, 1, instance.output);
    for (const state of await states())
      assert.deepEqual([state.sharedCache, state.redisReachable], ["configured", false]);
  });
});
