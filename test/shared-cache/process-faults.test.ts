// Real Node-RED processes, a real redis-server and the simulator, with the faults the issue names:
// a full deploy or a stop while an instance holds the refresh lock in the middle of its vendor
// request, Redis stopped and started again under load, and a lock holder killed with SIGKILL.
import assert from "node:assert/strict";
import { lockTtlFor } from "../../src/shared-cache/shared-refresh";
import { ProviderSimulator } from "../simulator";
import { NodeRedInstance } from "./node-red-instance";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";
import { flows } from "./shared-flows";

const PREFIX = "nr-fault-test";
const LIFETIME_MS = 5 * 60_000;
/** A vendor answer slower than any test: it ends when the instance that asked drops the connection. */
const NEVER_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `check` holds; a bound for failing, not a timing assertion. */
async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${limitMs / 1000} s: ${what}`);
    await sleep(20);
  }
}

const warnings = (lines: string[]) => lines.filter((line) => /shared token cache unavailable/.test(line));
const backLines = (lines: string[]) => lines.filter((line) => /shared token cache \(.*\) available again/.test(line));
const problems = (lines: string[]) => lines.filter((line) => /\[(warn|error)\]|Error:/.test(line));

describe("two Node-RED instances sharing through Redis, under faults", function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let sim: ProviderSimulator;
  let admin: AdminClient;
  let a: NodeRedInstance;
  let b: NodeRedInstance;

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
    redis = await startRedis();
    admin = await adminClient(redis.url);
    const settled = await Promise.allSettled(
      [0, 1].map(() =>
        NodeRedInstance.start({ sharedCache: { redis: redis.url, prefix: PREFIX }, lifetimeMs: LIFETIME_MS }),
      ),
    );
    const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    [a, b] = started;
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) {
      await Promise.all(started.map((i) => i.stop()));
      throw failed.reason;
    }
  });

  after(async () => {
    await Promise.all([a, b].map((i) => i?.stop()));
    admin?.destroy();
    await redis?.kill();
    await sim?.close();
  });

  beforeEach(async () => {
    await admin.flushAll();
    sim.reset();
  });

  const count = () => sim.count("orionstar.token");
  const lockKeys = () => admin.keys(`${PREFIX}:*:lock`);
  /** A token answered by the instance: must be a 200 with a body. */
  async function token(instance: NodeRedInstance, pathAndQuery = "/token"): Promise<string> {
    const answer = await instance.get(pathAndQuery);
    assert.equal(answer.status, 200, answer.body);
    assert.ok(answer.body.length > 0);
    return answer.body;
  }
  const refresh = (instance: NodeRedInstance, stale: string) =>
    token(instance, `/refresh?stale=${encodeURIComponent(stale)}`);
  /** Deploy at both with this HTTP timeout (which sets the lock's TTL): fresh credentials nodes, nothing held. */
  const deployBoth = (timeoutS: number) => Promise.all([a, b].map((i) => i.deploy(flows(sim, timeoutS))));

  /** The instance asks the vendor (an answer that never comes) holding the lock: that lock's key and value. */
  async function holdLock(instance: NodeRedInstance): Promise<{ key: string; value: string | null }> {
    sim.fail("orionstar.token", { kind: "slow", ms: NEVER_MS }, 1);
    void instance.get("/token").catch(() => undefined); // the message the fault ends
    await until("the instance holds the lock and its vendor request is out", async () => {
      return count() === 1 && (await lockKeys()).length === 1;
    });
    const [key] = await lockKeys();
    return { key, value: await admin.get(key) };
  }
  /** Every try for an account's lock counts up its fence key: B's count shows that B has tried A's lock and waits. */
  async function triedAfter(lockKey: string, act: () => void): Promise<void> {
    const fenceKey = lockKey.replace(/:lock$/, ":fence");
    const before = Number(await admin.get(fenceKey));
    act();
    await until("the other instance has tried the lock", async () => Number(await admin.get(fenceKey)) > before);
  }

  it("a full deploy while A holds the lock mid-request releases it: A redeployed and B waiting get the next token long before its TTL", async () => {
    // A long HTTP timeout makes a long lock TTL: a lock left behind would hold both instances that long.
    const timeoutS = 120;
    const lockTtlMs = lockTtlFor(timeoutS * 1000);
    await deployBoth(timeoutS);
    // The lock is taken after this instant, so a lock left behind lives until lockedAfter + lockTtlMs at least.
    const lockedAfter = Date.now();
    const lock = await holdLock(a);
    let waiting!: Promise<string>;
    await triedAfter(lock.key, () => (waiting = token(b)));
    const from = a.lineCount;
    await a.deploy(flows(sim, timeoutS));
    assert.notEqual(await admin.get(lock.key), lock.value, "A's lock went with the deploy (real keys in Redis)");
    const [fromA, fromB] = await Promise.all([token(a), waiting]);
    const answeredAt = Date.now();
    assert.equal(fromA, fromB, "the redeployed A and B serve one shared token");
    assert.equal(count(), 2, "the request the deploy cut, and one more between both");
    assert.ok(
      answeredAt < lockedAfter + lockTtlMs,
      `answered ${answeredAt - lockedAfter} ms after the lock was taken: no one waited out its ${lockTtlMs} ms TTL`,
    );
    assert.deepEqual(await lockKeys(), [], "no lock left at all");
    // Closing on purpose is no outage: the release after the abort logs nothing.
    assert.deepEqual(warnings(a.linesSince(from)), []);
  });

  it("stopping Node-RED (SIGINT) while it holds the lock mid-request releases it: the waiting instance is served long before its TTL", async () => {
    const timeoutS = 120;
    const lockTtlMs = lockTtlFor(timeoutS * 1000);
    const c = await NodeRedInstance.start({
      sharedCache: { redis: redis.url, prefix: PREFIX },
      lifetimeMs: LIFETIME_MS,
    });
    try {
      await Promise.all([b, c].map((i) => i.deploy(flows(sim, timeoutS))));
      const lockedAfter = Date.now();
      const lock = await holdLock(c);
      let waiting!: Promise<string>;
      await triedAfter(lock.key, () => (waiting = token(b)));
      await c.stop();
      assert.notEqual(await admin.get(lock.key), lock.value, "C's lock went with it");
      await waiting;
      assert.ok(Date.now() < lockedAfter + lockTtlMs, `B did not wait out the ${lockTtlMs} ms TTL`);
      assert.equal(count(), 2, "C's cut request and B's own");
      assert.deepEqual(await lockKeys(), []);
    } finally {
      await c.stop();
    }
  });

  it("Redis stopped and started again under load: every message served, one warning and one 'back' line each, sharing resumes", async () => {
    await deployBoth(10);
    const from = [a.lineCount, b.lineCount];
    const first = await Promise.all([token(a), token(b)]);
    assert.equal(first[0], first[1]);
    assert.equal(count(), 1);
    // Messages flowing at both the whole time, every answer checked.
    let flowing = true;
    let served = 0;
    const failures: string[] = [];
    const load = [a, b].flatMap((instance, n) =>
      Array.from({ length: 3 }, async () => {
        while (flowing) {
          const answer = await instance.get("/token").catch((err: Error) => ({ status: 0, body: err.message }));
          if (answer.status === 200 && answer.body.length > 0) served += 1;
          else failures.push(`instance ${n}: ${answer.status} ${answer.body}`);
        }
      }),
    );
    try {
      admin.destroy();
      await redis.kill();
      // Forced refreshes meet the outage: each instance asks the vendor itself, one request each per round.
      const held = [...first];
      for (let round = 1; round <= 2; round++) {
        for (const [n, instance] of [a, b].entries()) {
          const fresh = await refresh(instance, held[n]);
          assert.notEqual(fresh, held[n]);
          held[n] = fresh;
        }
        assert.equal(count(), 1 + 2 * round);
      }
      await redis.restart(); // the same port, empty
      admin = await adminClient(redis.url);
      // The client reconnects in the background; the next store call that works says so, once.
      for (const [n, instance] of [a, b].entries()) {
        await until(`instance ${n} logs that Redis is back`, async () => {
          held[n] = await refresh(instance, held[n]);
          return backLines(instance.linesSince(from[n])).length > 0;
        });
      }
      // Sharing resumes: both force a refresh of the token they hold, together: one request between them.
      sim.fail("orionstar.token", { kind: "slow", ms: 300 }, 2);
      const before = count();
      const after = await Promise.all([a, b].map((instance, n) => refresh(instance, held[n])));
      assert.equal(count(), before + 1, "one vendor request for both");
      assert.equal(after[0], after[1], "both serve the token one of them asked for");
      assert.ok(!held.includes(after[0]));
    } finally {
      flowing = false;
      await Promise.all(load);
    }
    assert.deepEqual(failures, [], "no message failed");
    assert.ok(served > 0);
    for (const [n, instance] of [a, b].entries()) {
      const lines = instance.linesSince(from[n]);
      assert.equal(warnings(lines).length, 1, `one warning for the outage:\n${lines.join("\n")}`);
      assert.equal(backLines(lines).length, 1, "one line when it is back");
    }
  });

  it("a holder killed with SIGKILL: the other waits for its lock to expire, no longer, then asks once", async () => {
    // An HTTP timeout long enough that A's own request cannot end before the kill: a lock of ten seconds.
    await deployBoth(5);
    const { key: lockKey, value: lockOfA } = await holdLock(a);
    await a.kill();
    assert.equal(await admin.get(lockKey), lockOfA, "the dead holder's lock is still there");
    const from = b.lineCount;
    let settled = false;
    const answer = b.get("/token").finally(() => (settled = true));
    // Watch B wait: count first, then the lock, so a request seen while A's lock is still there is one made under it.
    let sawWaiting = false;
    let askedUnderDeadLock = false;
    while (!settled) {
      const asked = count();
      if ((await admin.get(lockKey)) === lockOfA) {
        sawWaiting = true;
        if (asked > 1) askedUnderDeadLock = true;
      }
      await sleep(25);
    }
    const reply = await answer;
    assert.equal(reply.status, 200, reply.body);
    assert.ok(reply.body.length > 0);
    assert.ok(sawWaiting, "B waited while the dead holder's lock lived");
    assert.ok(!askedUnderDeadLock, "B did not ask the vendor before that lock expired");
    assert.equal(count(), 2, "one request from B");
    assert.deepEqual(problems(b.linesSince(from)), [], "nothing failed or warned in B");
    assert.deepEqual(await lockKeys(), [], "B's own lock released with its share");
  });
});
