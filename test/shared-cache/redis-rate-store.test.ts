// The shared call budget in a real Redis, in process (the two-process suite,
// rate-limit/shared-rate-limit, shows it across instances but runs outside the mutation run): one
// sorted set per account in its token keys' hash slot, a call counted while in flight and for a
// period after its answer, a refused call leaving no member, and when to ask again, on a clock the
// test sets; and a server that answers a count no Redis gives lets no call through.
import assert from "node:assert/strict";
import { openRedis, type RedisConnection } from "../../src/shared-cache/redis-connection";
import { RedisRateStore } from "../../src/shared-cache/redis-rate-store";
import { RedisTokenStore } from "../../src/shared-cache/redis-token-store";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { oddRedis } from "./odd-redis";
import { redisFrame } from "./redis-server";

const ACCOUNT = "tuya https://openapi.tuyacn.com/v1.0/token client-1 0123456789abcdef";
const PERIOD = 1_000;
const HOLD = 10_000;

describe("RedisRateStore", function () {
  this.timeout(20_000);
  const cache = redisFrame();
  let connection: RedisConnection;
  let clock: number;
  let store: RedisRateStore;

  before(() => {
    connection = openRedis(readSharedCacheSetting({ redis: cache.server.url })!);
  });
  after(() => connection?.close());
  beforeEach(() => {
    clock = 1_700_000_000_000;
    store = new RedisRateStore(connection, "rate-test", () => clock);
  });

  /** The account's members and their scores, flat: [member, score, ...] (RESP2 or RESP3 alike). */
  const members = async () =>
    ((await cache.admin.sendCommand(["ZRANGE", store.callsKey(ACCOUNT), "0", "-1", "WITHSCORES"])) as unknown[])
      .flat()
      .map(String);
  const acquire = (by = store, limit = 2) => by.acquire(ACCOUNT, limit, PERIOD, HOLD);

  it("keeps the calls in the account's hash slot, beside its token", () => {
    const tokens = new RedisTokenStore(connection, { prefix: "rate-test", onForged: () => {}, onReplayed: () => {} });
    const tag = /\{[^}]+\}/;
    assert.equal(store.callsKey(ACCOUNT).match(tag)?.[0], tokens.tokenKey(ACCOUNT).match(tag)?.[0]);
    assert.match(store.callsKey(ACCOUNT), /^rate-test:\{[0-9a-f]{64}\}:calls$/);
    assert.notEqual(store.callsKey(ACCOUNT), store.callsKey(`${ACCOUNT}x`));
  });

  it("lets `limit` calls go, each counted until its start + period + hold; the next is told when the first stops", async () => {
    const first = await acquire();
    clock += 200;
    const second = await acquire();
    assert.ok(first.id && second.id && first.id !== second.id, "two distinct members");
    assert.deepEqual(await members(), [
      first.id,
      String(1_700_000_000_000 + PERIOD + HOLD),
      second.id,
      String(clock + PERIOD + HOLD),
    ]);
    clock += 300;
    const third = await acquire();
    assert.equal(third.id, undefined);
    // The earliest member (the first call's) stops counting at its start + period + hold.
    assert.equal(third.retryInMs, 1_700_000_000_000 + PERIOD + HOLD - clock);
    assert.equal((await members()).length, 4, "the refused call left no member");
    const ttl = Number(await cache.admin.sendCommand(["PTTL", store.callsKey(ACCOUNT)]));
    assert.ok(
      ttl > PERIOD + HOLD && ttl <= PERIOD + HOLD + 1_000,
      `the key expires after the longest a member counts (${ttl})`,
    );
  });

  it("a call whose answer is in counts a period from then; released, it frees its place on time", async () => {
    const first = await acquire(store, 1);
    clock += 100;
    await store.release(ACCOUNT, first.id!, PERIOD);
    assert.deepEqual(await members(), [first.id, String(clock + PERIOD)]);
    clock += PERIOD - 1;
    const early = await acquire(store, 1);
    assert.deepEqual(early, { retryInMs: 1 });
    clock += 1;
    assert.ok((await acquire(store, 1)).id, "a period after the answer, the place is free");
  });

  it("a member whose time has passed stops counting, whatever its score (even one before 1970, written by hand)", async () => {
    const key = store.callsKey(ACCOUNT);
    await cache.admin.sendCommand(["ZADD", key, "-1", "by-hand", String(clock - 1), "stale"]);
    const first = await acquire(store, 1);
    assert.ok(first.id, "neither old member takes the only place");
    assert.deepEqual(await members(), [first.id, String(clock + PERIOD + HOLD)]);
  });

  it("a release after the member expired does not bring it back; a cancelled call stops counting at once", async () => {
    const first = await acquire(store, 1);
    await store.cancel(ACCOUNT, first.id!);
    assert.deepEqual(await members(), []);
    await store.release(ACCOUNT, first.id!, PERIOD);
    assert.deepEqual(await members(), [], "ZADD XX: no member made by a late release");
    assert.ok((await acquire(store, 1)).id);
  });

  it("instances share one budget: their members never collide", async () => {
    const other = new RedisRateStore(connection, "rate-test", () => clock);
    const mine = await acquire(store, 2);
    const theirs = await acquire(other, 2);
    assert.ok(mine.id && theirs.id);
    assert.notEqual(mine.id.split(":")[0], theirs.id.split(":")[0], "each instance names its members");
    assert.equal((await acquire(other, 2)).id, undefined, "the third call of the account waits, whoever asks");
    assert.equal((await acquire(new RedisRateStore(connection, "rate-other", () => clock), 2)).id !== undefined, true);
  });

  it("with a limit of 0 nothing goes, and a call is told to wait until its own member would have stopped", async () => {
    const refused = await acquire(store, 0);
    assert.deepEqual(refused, { retryInMs: PERIOD + HOLD });
    assert.deepEqual(await members(), []);
  });
});

describe("RedisRateStore and a count Redis cannot give", () => {
  // After its own ZADD a ZCARD is at least 1 and whole: anything else is no count to trust.
  for (const [what, count] of [
    ["0", ":0\r\n"],
    ["-1", ":-1\r\n"],
    ["1.5", "$3\r\n1.5\r\n"],
  ]) {
    it(`a ZCARD of ${what} lets no call go, and the call's member is taken back`, async () => {
      // EXEC of MULTI ZREMRANGEBYSCORE ZADD ZCARD ZRANGE PEXPIRE, its ZCARD answered with `count`.
      const odd = await oddRedis((args, queued) => {
        const name = args[0].toUpperCase();
        if (queued && name !== "EXEC") return "+QUEUED\r\n";
        if (name === "EXEC") return `*5\r\n:0\r\n:1\r\n${count}*2\r\n$5\r\nother\r\n$13\r\n1700000005000\r\n:1\r\n`;
        return name === "ZREM" ? ":1\r\n" : "+OK\r\n";
      });
      const connection = openRedis(readSharedCacheSetting({ redis: odd.url })!);
      try {
        const store = new RedisRateStore(connection, "rate-test", () => 1_700_000_000_000);
        const answer = await store.acquire(ACCOUNT, 2, PERIOD, HOLD);
        assert.equal(answer.id, undefined, JSON.stringify(answer));
        assert.equal(answer.retryInMs, 5_000, "asks again when the earliest member stops counting");
        const added = odd.commands.find((args) => args[0] === "ZADD")!;
        assert.deepEqual(odd.commands.at(-1), ["ZREM", store.callsKey(ACCOUNT), added[3]]);
      } finally {
        await connection.close();
        await odd.close();
      }
    });
  }
});
