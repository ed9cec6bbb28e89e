// The rate limit shared through Redis by two real Node-RED processes on one OAuth2 account, against
// the simulator's strict limit on that account: bursts at both get 0 answers of 429. Redis is
// started with an ACL user that may not run scripts (-@scripting), as the token lock needs. With
// Redis gone each instance keeps the whole budget on its own and says so once; once Redis is back,
// the instances share the budget again (0 answers of 429 at the shared limit) and say so.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { InstanceGroup } from "../shared-cache/instance-group";
import type { NodeRedInstance } from "../shared-cache/node-red-instance";
import {
  adminClient,
  requireRedis,
  startRedis,
  type AdminClient,
  type RedisServer,
} from "../shared-cache/redis-server";
import { rateFlows } from "./rate-flows";

const PREFIX = "nr-rate-test";
const ACL_PASSWORD = "rate-acl-password";
const LIMIT = 20;
const PERIOD_MS = 500;

describe("a rate limit shared by two Node-RED instances through Redis", function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let sim: ProviderSimulator;
  let admin: AdminClient;
  let group: InstanceGroup | undefined;
  let instances: NodeRedInstance[] = [];

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
    redis = await startRedis(["--user", "app", "on", `>${ACL_PASSWORD}`, "~*", "&*", "+@all", "-@scripting"]);
    admin = await adminClient(redis.url);
    const sharedCache = { redis: `redis://app:${ACL_PASSWORD}@127.0.0.1:${redis.port}/0`, prefix: PREFIX };
    group = await InstanceGroup.start(sim, sharedCache, {
      flowsOf: (started) => rateFlows(started, { rateLimit: LIMIT, ratePeriod: PERIOD_MS / 1000 }),
    });
    instances = group.instances;
  });

  after(async () => {
    await group?.stop();
    admin?.destroy();
    await redis?.kill();
    await sim?.close();
  });

  beforeEach(() => sim.reset());

  /** `n` calls at each instance at once; the answers' statuses, all instances together. */
  async function burst(n: number): Promise<string[]> {
    const answers = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: n }, () => instance.get("/call"))),
    );
    return answers.map((answer) => (answer.status === 200 ? answer.body : `HTTP ${answer.status} ${answer.body}`));
  }
  const localWarning = /shared rate limit unavailable/g;
  const sharedAgain = /shared rate limit \(Redis\) available again/g;

  it("bursts at both instances: every call answered, none with 429, the account's calls in one sorted set", async () => {
    sim.rateLimit("oauth2", { calls: LIMIT, periodMs: PERIOD_MS });
    const statuses = await burst(60);
    assert.deepEqual(
      statuses,
      statuses.map(() => "200"),
    );
    assert.deepEqual(sim.pacingStatsOf("oauth2"), { accepted: 120, refused: 0, busy: 0 });
    const keys = await admin.keys(`${PREFIX}:*:calls`);
    assert.equal(keys.length, 1, "one budget for the account, whichever instance calls");
    assert.equal(await admin.type(keys[0]), "zset");
  });

  it("the same bursts without sharing (each instance on its own budget) earn 429s", async () => {
    // What the shared budget prevents: a limit of LIMIT on each instance lets 2 x LIMIT through.
    await Promise.all(
      instances.map((i) => i.deploy(rateFlows(sim, { rateLimit: LIMIT, ratePeriod: PERIOD_MS / 1000 }))),
    );
    await redis.kill();
    sim.rateLimit("oauth2", { calls: LIMIT, periodMs: PERIOD_MS });
    const statuses = await burst(60);
    assert.ok(statuses.includes("429"), "the vendor refuses what the instances let through together");
    await redis.restart();
  });

  it("Redis down: each instance keeps the whole budget, says so once; Redis back: shared again, 0 answers of 429", async () => {
    await Promise.all(
      instances.map((i) => i.deploy(rateFlows(sim, { rateLimit: LIMIT, ratePeriod: PERIOD_MS / 1000 }))),
    );
    const from = instances.map((i) => i.lineCount);
    await redis.kill();
    // Each instance alone holds its limit: twice the limit in all.
    sim.rateLimit("oauth2", { calls: 2 * LIMIT, periodMs: PERIOD_MS });
    const alone = await burst(60);
    assert.deepEqual(
      alone,
      alone.map(() => "200"),
    );
    assert.equal(sim.pacingStatsOf("oauth2").refused, 0, "each instance holds its own budget");
    for (const [index, instance] of instances.entries()) {
      const said = instance.linesSince(from[index]).join("\n");
      assert.equal((said.match(localWarning) ?? []).length, 1, `instance ${index} says it once:\n${said}`);
    }
    await redis.restart();
    sim.clear();
    sim.rateLimit("oauth2", { calls: LIMIT, periodMs: PERIOD_MS });
    // Back on the shared budget once each instance has asked Redis again (every 2 s while down).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const shared = await burst(60);
    assert.deepEqual(
      shared,
      shared.map(() => "200"),
    );
    assert.equal(sim.pacingStatsOf("oauth2").refused, 0, "shared again: no call over the limit");
    for (const [index, instance] of instances.entries()) {
      const said = instance.linesSince(from[index]).join("\n");
      assert.equal((said.match(sharedAgain) ?? []).length, 1, `instance ${index} says Redis is back:\n${said}`);
      assert.equal((said.match(localWarning) ?? []).length, 1, "still the one warning");
    }
  });
});
