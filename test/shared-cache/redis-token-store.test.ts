// The token store in a real Redis: hash-tagged keys, a MAC-signed entry that expires with its token,
// planted entries ignored and reported once, older genuine entries put back refused (the mark of the
// last write names another), a fenced lock that a holder whose lock expired can neither delete nor
// overwrite (also when its lock changes hands between its check and its write), watchers woken on
// the documented channel, all of it for a Redis user without script permission too.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { openRedis, type ExclusiveClient, type RedisConnection } from "../../src/shared-cache/redis-connection";
import { encodeEntry } from "../../src/shared-cache/redis-entry";
import { RedisTokenStore } from "../../src/shared-cache/redis-token-store";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { MAX_LIFETIME_MS } from "../../src/token";
import { oddRedis } from "./odd-redis";
import { until } from "./redis-processes";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";

const ACL_PASSWORD = "acl-pw-5e3c";
const PREFIX = "test-prefix";

/** What names an account in Redis, as docs/shared-cache.md gives it: the sha256 of the account (in its keys' hash tag). */
const hashOf = (account: string) => createHash("sha256").update(account).digest("hex");

/**
 * The real connection, `between` run once right after the next transaction's GET of the lock (the
 * holder's check) and before its MULTI/EXEC: another client's writes land in that gap. Every
 * command still goes to Redis.
 */
function interleaved(connection: RedisConnection, between: () => Promise<void>): RedisConnection {
  let pending: (() => Promise<void>) | undefined = between;
  const exclusive: RedisConnection["exclusive"] = (key, task) =>
    connection.exclusive(key, (client) => {
      const gapped: ExclusiveClient = {
        sendCommand: async (args) => {
          const reply = await client.sendCommand(args);
          const run = args[0] === "GET" ? pending : undefined;
          if (run) {
            pending = undefined;
            await run();
          }
          return reply;
        },
        multi: () => client.multi(),
      };
      return task(gapped);
    });
  return withCalls(connection, { exclusive });
}

/** The real connection with some of its calls wrapped by the test (each still made on the real one). */
function withCalls(connection: RedisConnection, calls: Partial<RedisConnection>): RedisConnection {
  return Object.assign(Object.create(connection) as RedisConnection, calls);
}

describe("RedisTokenStore", function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let admin: AdminClient;
  let connection: RedisConnection;
  let store: RedisTokenStore;
  let forged: string[];
  let replayed: string[];
  /** Connections a test opened for other instances: closed after it. */
  let others: RedisConnection[] = [];
  const account = "orionstar http://127.0.0.1:1/ app-123 1a2b3c4d5e6f7a8b";
  const macKey = Buffer.alloc(32, 7);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async function () {
    requireRedis(this);
    // The store's user may not run scripts (ACL -@scripting): it must release locks all the same.
    redis = await startRedis(["--user", "app", "on", `>${ACL_PASSWORD}`, "~*", "&*", "+@all", "-@scripting"]);
    admin = await adminClient(redis.url);
    connection = openRedis(setting());
    store = new RedisTokenStore(connection, {
      prefix: PREFIX,
      onForged: (key) => forged.push(key),
      onReplayed: (key) => replayed.push(key),
    });
  });
  after(async () => {
    await connection?.close();
    admin?.destroy();
    await redis?.kill();
  });
  beforeEach(async () => {
    forged = [];
    replayed = [];
    await admin.flushAll();
  });
  afterEach(async () => {
    await Promise.all(others.map((other) => other.close()));
    others = [];
  });

  /** The shared cache option of every instance here: the suite's server, as the user that may not script. */
  const setting = (option: Record<string, unknown> = {}) =>
    readSharedCacheSetting({ redis: `redis://app:${ACL_PASSWORD}@127.0.0.1:${redis.port}/0`, ...option })!;
  /** A connection of another instance, closed after the test. */
  function another(option: Record<string, unknown> = {}): RedisConnection {
    const opened = openRedis(setting(option));
    others.push(opened);
    return opened;
  }
  /** Another instance's release as it goes over the wire: the account's hash on `<prefix>:shared` (docs/shared-cache.md). */
  const announce = (name: string, via: AdminClient = admin) => via.publish(`${PREFIX}:shared`, hashOf(name));
  /** Announce `name` until `done` (a store subscribes on its first watch, in the background). */
  const announceUntil = (what: string, name: string, done: () => boolean) =>
    until(
      what,
      async () => {
        if (!done()) await announce(name);
        await sleep(20);
        return done();
      },
      5_000,
    );

  /** Redis restarted with nothing persisted: the lock, the entry, its mark and the fence counter are gone. */
  async function restartEmpty(): Promise<void> {
    admin.destroy();
    await redis.restart();
    admin = await adminClient(redis.url);
  }
  /** The account's lock, taken once the connection is back (it reconnects in the background: offline until then). */
  async function lockOnceBack(by: RedisTokenStore): Promise<number> {
    for (let tries = 0; ; tries++) {
      const taken = await by
        .tryLock(account, 10_000)
        .catch((err: Error) => (tries < 100 ? undefined : Promise.reject(err)));
      if (taken !== undefined) return taken;
      await sleep(50);
    }
  }
  /** Share a token of this value as the lock's holder; resolves with the entry as Redis holds it. */
  async function shareAs(value: string, fence?: number): Promise<string> {
    const now = Date.now();
    const token = { value, obtainedAt: now, expiresAt: now + 60_000 };
    assert.ok(await store.share(account, fence ?? (await store.tryLock(account, 10_000))!, token, macKey, 60_000));
    return String(await admin.get(store.tokenKey(account)));
  }

  it("runs as a user that may not script: EVAL is refused to it", async () => {
    await assert.rejects(connection.command("k", ["EVAL", "return 1", "0"]), /NOPERM|permission/i);
  });

  it("shares a signed token under the documented keys of one hash slot, expiring with the token, releasing the lock", async () => {
    const now = Date.now();
    const token = { value: "tok-1", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.read(account, macKey), undefined);
    const fence = await store.tryLock(account, 10_000);
    assert.ok(fence);
    // The names every instance (and every version) must agree on, one hash tag: one Cluster slot.
    const named = (part: string) => `${PREFIX}:{${hashOf(account)}}:${part}`;
    assert.deepEqual((await admin.keys("*")).sort(), [named("fence"), named("lock")]);
    assert.equal(await store.share(account, fence, token, macKey, 60_000), true);
    assert.deepEqual(await store.read(account, macKey), token);
    const keys = (await admin.keys("*")).sort();
    assert.deepEqual(keys, [named("fence"), named("token"), named("written")], "the lock is gone");
    assert.ok(!keys.some((key) => key.includes("app-123")), "keys do not name the account");
    const pttl = await admin.pTTL(named("token"));
    assert.ok(pttl > 59_000 && pttl <= 60_000, `PTTL ${pttl}`);
    // The mark is kept a day (docs: "for a day"), as long as any token may live: it outlives every entry it names.
    const markTtl = await admin.pTTL(named("written"));
    assert.ok(markTtl > MAX_LIFETIME_MS - 60_000 && markTtl <= MAX_LIFETIME_MS, `mark PTTL ${markTtl}`);
    assert.equal(await store.read(account, Buffer.alloc(32, 8)), undefined, "another key does not verify it");
  });

  it("keeps accounts and prefixes apart", async () => {
    const now = Date.now();
    const fence = (await store.tryLock(account, 10_000))!;
    await store.share(account, fence, { value: "a", obtainedAt: now, expiresAt: now + 60_000 }, macKey, 60_000);
    assert.equal(await store.read(`${account}x`, macKey), undefined);
    assert.equal(await new RedisTokenStore(connection, { prefix: "other" }).read(account, macKey), undefined);
  });

  it("ignores every planted entry, and reports each key once", async () => {
    const now = Date.now();
    const key = store.tokenKey(account);
    const sign = (fields: Record<string, unknown>, withKey = macKey) => {
      const mac = createHmac("sha256", withKey)
        .update(JSON.stringify([fields.v, key, fields.token, fields.expiresAt, fields.obtainedAt, fields.fence]))
        .digest("base64url");
      return JSON.stringify({ ...fields, mac });
    };
    const valid = { v: 2, token: "planted", expiresAt: now + 60_000, obtainedAt: now, fence: 1 };
    const planted = [
      "not json",
      "null",
      "2",
      '"text"',
      JSON.stringify([2, "planted"]),
      // A MAC of another length than a SHA-256 one: refused, not compared (timingSafeEqual would throw).
      JSON.stringify({ ...valid, mac: "c2hvcnQ" }),
      JSON.stringify({ ...valid, mac: `${String(JSON.parse(sign(valid)).mac)}AAAA` }),
      JSON.stringify({ token: "planted", expiresAt: now + 60_000, obtainedAt: now }), // the old, unsigned shape
      sign(valid, Buffer.alloc(32, 9)), // signed without the credentials
      JSON.stringify({ ...JSON.parse(sign(valid)), expiresAt: Date.parse("2036-01-01") }), // altered after signing
      // Signed with the right key (say, by an older version) but outside the token rules:
      sign({ ...valid, expiresAt: Date.parse("2036-01-01") }),
      sign({ ...valid, token: "x".repeat(1024 * 1024) }),
      sign({ ...valid, token: "a\r\nX-Injected: 1" }),
      sign({ ...valid, obtainedAt: now + 30_000, expiresAt: now + 20_000 }),
    ];
    for (const value of planted) {
      await admin.set(key, value);
      assert.equal(await store.read(account, macKey), undefined, value.slice(0, 80));
    }
    assert.equal(forged.length, planted.length, "each read reported to the store's owner");
    assert.deepEqual(replayed, [], "none of them reported as a replay");
    const encoded = encodeEntry({ value: "planted", expiresAt: valid.expiresAt, obtainedAt: now }, 1, { key, macKey });
    await admin.set(key, sign(valid));
    await admin.set(store.writtenKey(account), encoded.mark);
    assert.equal((await store.read(account, macKey))?.value, "planted", "the test's own signing matches the store's");
    assert.equal(encoded.text, sign(valid));
  });

  it("gives the lock to one caller at a time, with a fence that grows", async () => {
    const fences = await Promise.all(Array.from({ length: 10 }, () => store.tryLock(account, 300)));
    const owners = fences.filter((fence) => fence !== undefined);
    assert.equal(owners.length, 1);
    const pttl = await admin.pTTL(store.lockKey(account));
    assert.ok(pttl > 0 && pttl <= 300);
    await sleep(350);
    const next = await store.tryLock(account, 300);
    assert.ok(next !== undefined && next > owners[0]!, "an expired lock is taken again, with a higher fence");
  });

  it("a holder whose lock expired neither deletes nor overwrites the next holder's", async () => {
    const now = Date.now();
    const old = (await store.tryLock(account, 200))!;
    await sleep(250);
    const next = (await store.tryLock(account, 10_000))!;
    assert.ok(next > old);
    const standing = await admin.get(store.lockKey(account));
    assert.ok(standing?.startsWith(`${next}:`), "the lock holds the next holder's fence");
    const late = { value: "late", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.share(account, old, late, macKey, 60_000), false);
    await store.unlock(account, old);
    assert.equal(await admin.get(store.lockKey(account)), standing, "the next holder's lock stands");
    assert.equal(await store.read(account, macKey), undefined, "the late token was not written");
    const fresh = { value: "fresh", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.share(account, next, fresh, macKey, 60_000), true);
    assert.equal((await store.read(account, macKey))?.value, "fresh");
  });

  it("a holder from before a Redis restart neither releases nor overwrites the lock taken after it", async () => {
    const now = Date.now();
    const other = new RedisTokenStore(connection, { prefix: PREFIX });
    const before = (await store.tryLock(account, 10_000))!;
    await restartEmpty();
    const taken = await lockOnceBack(other);
    assert.equal(taken, before, "the same fence number again, so the number alone cannot tell the holders apart");
    const standing = await admin.get(other.lockKey(account));
    const late = { value: "late", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.share(account, before, late, macKey, 60_000), false);
    await store.unlock(account, before);
    assert.equal(await admin.get(other.lockKey(account)), standing, "the new holder's lock stands");
    assert.equal(await store.read(account, macKey), undefined, "the late token was not written");
    const fresh = { value: "fresh", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await other.share(account, taken, fresh, macKey, 60_000), true);
    assert.equal((await store.read(account, macKey))?.value, "fresh");
  });

  it("refuses a genuine entry that is not the last one written (put back, or with no mark), and reports it", async () => {
    const older = await shareAs("older");
    const newer = await shareAs("newer");
    assert.equal((await store.read(account, macKey))?.value, "newer");
    await admin.set(store.tokenKey(account), older); // a raw SET by someone who can write to Redis
    assert.equal(await store.read(account, macKey), undefined, "the older entry put back");
    await admin.del(store.writtenKey(account));
    await admin.set(store.tokenKey(account), newer);
    assert.equal(await store.read(account, macKey), undefined, "an entry with no mark beside it");
    assert.deepEqual(replayed, [store.tokenKey(account), store.tokenKey(account)], "each read reported");
    assert.deepEqual(forged, [], "not as forged: the MAC is fine");
  });

  it("refuses the entry written, altered in any signed field (its MAC and mark left as they were), as forged", async () => {
    const written = JSON.parse(await shareAs("genuine")) as Record<string, unknown>;
    const alterations: Array<Record<string, unknown>> = [
      { token: "another-valid-token" },
      { expiresAt: (written.expiresAt as number) - 1_000 },
      { obtainedAt: (written.obtainedAt as number) - 1_000 },
      { fence: (written.fence as number) + 1 },
    ];
    for (const alteration of alterations) {
      await admin.set(store.tokenKey(account), JSON.stringify({ ...written, ...alteration }));
      assert.equal(await store.read(account, macKey), undefined, JSON.stringify(alteration));
    }
    // Copied to another account's key, with its mark: the MAC binds the entry to its key.
    const other = `${account}-other`;
    await admin.set(store.tokenKey(other), JSON.stringify(written));
    await admin.set(store.writtenKey(other), String(await admin.get(store.writtenKey(account))));
    assert.equal(await store.read(other, macKey), undefined, "copied to another key");
    assert.equal(forged.length, alterations.length + 1);
    await admin.set(store.tokenKey(account), JSON.stringify(written));
    assert.equal((await store.read(account, macKey))?.value, "genuine", "unaltered, it is adopted");
  });

  it("after a Redis restarted empty, refuses an entry from before, even one with the fence number of a new write", async () => {
    const before = await shareAs("before-restart");
    await restartEmpty();
    const fence = await lockOnceBack(store);
    await admin.set(store.tokenKey(account), before);
    assert.equal(await store.read(account, macKey), undefined, "put back with no mark");
    const after = await shareAs("after-restart", fence);
    assert.equal(JSON.parse(after).fence, JSON.parse(before).fence, "the fence counter started over");
    await admin.set(store.tokenKey(account), before);
    assert.equal(await store.read(account, macKey), undefined, "the same fence number, but not the entry written");
    assert.equal(replayed.length, 2);
  });

  it("the last entry written stays adopted while later locks come and go unwritten", async () => {
    const written = await shareAs("newest");
    // A holder's second read, after taking the lock (another instance may have shared just before).
    const holder = (await store.tryLock(account, 10_000))!;
    assert.equal((await store.read(account, macKey))?.value, "newest");
    // Waiters count the fence up with every try.
    const waiters = await Promise.all([1, 2, 3].map(() => store.tryLock(account, 10_000)));
    assert.ok(
      waiters.every((fence) => fence === undefined),
      "held by the holder",
    );
    await store.unlock(account, holder);
    // A holder that crashed before writing: its lock expires, nothing written.
    assert.ok(await store.tryLock(account, 100));
    await sleep(150);
    assert.ok(Number(await admin.get(store.fenceKey(account))) >= JSON.parse(written).fence + 5, "the fence moved on");
    assert.equal((await store.read(account, macKey))?.value, "newest");
    assert.deepEqual(replayed, []);
  });

  it("unlock releases only our own lock, and wakes the watchers", async () => {
    const fence = (await store.tryLock(account, 10_000))!;
    let woken = 0;
    const stop = store.watch(account, () => (woken += 1));
    try {
      await sleep(100); // the subscription is made on first watch
      await store.unlock(account, fence + 1);
      assert.equal(await store.tryLock(account, 10_000), undefined, "still held");
      await store.unlock(account, fence);
      assert.ok((await store.tryLock(account, 10_000)) !== undefined);
      for (let i = 0; i < 50 && woken === 0; i++) await sleep(10);
      assert.equal(woken, 1, "woken by the release, not by the refused one");
    } finally {
      stop();
    }
  });

  it("a holder whose lock runs out and is taken between its check and its EXEC deletes and overwrites nothing", async () => {
    const now = Date.now();
    const next = new RedisTokenStore(another(), { prefix: PREFIX }); // another instance
    const lockKey = store.lockKey(account);
    /** In the gap after the stalled holder's GET: its lock runs out and the next instance takes it. */
    const expireAndTake = (standing: string[]) => async () => {
      await admin.pExpire(lockKey, 1);
      await until("the stalled holder's lock to run out", async () => (await admin.exists(lockKey)) === 0);
      assert.ok(await next.tryLock(account, 10_000), "the next instance takes the lock");
      standing.push(String(await admin.get(lockKey)));
    };
    const late = { value: "late", obtainedAt: now, expiresAt: now + 60_000 };
    const taken: string[] = [];
    const sharing = new RedisTokenStore(interleaved(connection, expireAndTake(taken)), { prefix: PREFIX });
    assert.equal(await sharing.share(account, (await sharing.tryLock(account, 10_000))!, late, macKey, 60_000), false);
    assert.equal(taken.length, 1, "the lock changed hands between the GET and the EXEC");
    assert.equal(await admin.get(lockKey), taken[0], "the next holder's lock stands");
    const written = [store.tokenKey(account), store.writtenKey(account)];
    assert.equal(await admin.exists(written), 0, "the late token and its mark were not written");

    await admin.del(lockKey);
    const released: string[] = [];
    const releasing = new RedisTokenStore(interleaved(connection, expireAndTake(released)), { prefix: PREFIX });
    await releasing.unlock(account, (await releasing.tryLock(account, 10_000))!);
    assert.equal(released.length, 1, "the lock changed hands between the GET and the EXEC");
    assert.equal(await admin.get(lockKey), released[0], "the next holder's lock stands");
    const fresh = { value: "fresh", obtainedAt: now, expiresAt: now + 60_000 };
    const fence = Number(released[0]!.split(":")[0]);
    assert.equal(await next.share(account, fence, fresh, macKey, 60_000), true, "the next holder shares");
    assert.equal((await store.read(account, macKey))?.value, "fresh");
  });

  it("a transaction that fails for another reason (its connection closed before EXEC) is an error, not a lost lock", async () => {
    const now = Date.now();
    const own = another();
    const holder = new RedisTokenStore(
      interleaved(own, () => own.close()),
      { prefix: PREFIX },
    );
    const fence = (await holder.tryLock(account, 10_000))!;
    const token = { value: "unsent", obtainedAt: now, expiresAt: now + 60_000 };
    // An error reaches the caller (an outage to report); false would say another holder has the lock.
    await assert.rejects(holder.share(account, fence, token, macKey, 60_000), /closed/i);
    assert.ok((await admin.get(store.lockKey(account)))?.startsWith(`${fence}:`), "the lock is still the holder's");
  });

  it("wakes every watcher of an account on the documented channel, and only those still watching", async () => {
    const woken = { first: 0, second: 0, again: 0, other: 0 };
    const otherAccount = `${account}-other`;
    const stopOther = store.watch(otherAccount, () => woken.other++);
    const stopFirst = store.watch(account, () => woken.first++);
    const stopSecond = store.watch(account, () => woken.second++);
    let stopAgain = () => undefined as void;
    try {
      await announceUntil("both watchers woken", account, () => woken.first > 0 && woken.second > 0);
      stopFirst();
      Object.assign(woken, { first: 0, second: 0 });
      await announceUntil("the watcher left woken", account, () => woken.second > 0);
      assert.equal(woken.first, 0, "not the one that stopped watching");
      stopSecond();
      // Watched anew after every watcher left: stopping the earlier ones again leaves the new one be.
      stopAgain = store.watch(account, () => woken.again++);
      stopFirst();
      stopSecond();
      await announceUntil("the new watcher woken", account, () => woken.again > 0);
      assert.equal(woken.other, 0, "another account's watcher sleeps through");
      await announceUntil("the other account's watcher woken", otherAccount, () => woken.other > 0);
    } finally {
      stopAgain();
      stopOther();
    }
  });

  it("a waiter that could not subscribe (Redis down) leaves the subscription to the next waiter once Redis is back", async () => {
    const down = await startRedis();
    try {
      await down.kill();
      const attempts: Array<Promise<void>> = [];
      const own = openRedis(readSharedCacheSetting({ redis: down.url, timeoutMs: 300 })!);
      others.push(own);
      const subscribe: RedisConnection["subscribe"] = (channel, listener) => {
        const attempt = own.subscribe(channel, listener);
        attempts.push(attempt);
        return attempt;
      };
      const waiter = new RedisTokenStore(withCalls(own, { subscribe }), { prefix: PREFIX });
      waiter.watch(account, () => undefined)(); // a waiter came and went while Redis was down
      await assert.rejects(attempts[0]!, "not subscribed while Redis is down");
      await down.restart();
      const client = await adminClient(down.url);
      try {
        let woken = 0;
        // Each waiter (one after another, as refreshes come) watches, and is woken once subscribed.
        await until(
          "a waiter woken once Redis is back",
          async () => {
            const stop = waiter.watch(account, () => woken++);
            try {
              await announce(account, client);
              await sleep(50);
              return woken > 0;
            } finally {
              stop();
            }
          },
          10_000,
        );
      } finally {
        client.destroy();
      }
    } finally {
      await down.kill();
    }
  });
});

describe("RedisTokenStore and a reply Redis cannot give", () => {
  it("an MGET answered with no array reads as no token: nothing adopted, nothing called forged", async () => {
    const odd = await oddRedis((args) => (args[0].toUpperCase() === "MGET" ? "+not-a-list\r\n" : "+OK\r\n"));
    const connection = openRedis(readSharedCacheSetting({ redis: odd.url })!);
    const forged: string[] = [];
    try {
      const store = new RedisTokenStore(connection, { prefix: "odd", onForged: (key) => forged.push(key) });
      assert.equal(await store.read("acct", Buffer.alloc(32, 7)), undefined);
      assert.ok(
        odd.commands.some((args) => args[0] === "MGET"),
        "the store asked",
      );
      assert.deepEqual(forged, []);
    } finally {
      await connection.close();
      await odd.close();
    }
  });
});
