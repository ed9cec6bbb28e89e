// The token store in a real Redis: hash-tagged keys, a MAC-signed entry that expires with its token,
// planted entries ignored and reported once, older genuine entries put back refused (the mark of the
// last write names another), a fenced lock that a holder whose lock expired can neither delete nor
// overwrite, all of it for a Redis user without script permission too.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { openRedis, type RedisConnection } from "../../src/shared-cache/redis-connection";
import { encodeEntry } from "../../src/shared-cache/redis-entry";
import { RedisTokenStore } from "../../src/shared-cache/redis-token-store";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";

const ACL_PASSWORD = "acl-pw-5e3c";

describe("RedisTokenStore", function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let admin: AdminClient;
  let connection: RedisConnection;
  let store: RedisTokenStore;
  let forged: string[];
  let replayed: string[];
  const account = "orionstar http://127.0.0.1:1/ app-123 1a2b3c4d5e6f7a8b";
  const macKey = Buffer.alloc(32, 7);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async function () {
    requireRedis(this);
    // The store's user may not run scripts (ACL -@scripting): it must release locks all the same.
    redis = await startRedis(["--user", "app", "on", `>${ACL_PASSWORD}`, "~*", "&*", "+@all", "-@scripting"]);
    admin = await adminClient(redis.url);
    connection = openRedis(readSharedCacheSetting({ redis: `redis://app:${ACL_PASSWORD}@127.0.0.1:${redis.port}/0` })!);
    store = new RedisTokenStore(connection, {
      prefix: "test-prefix",
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

  it("shares a signed token under keys of one hash slot, expiring with the token, releasing the lock", async () => {
    const now = Date.now();
    const token = { value: "tok-1", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.read(account, macKey), undefined);
    const fence = await store.tryLock(account, 10_000);
    assert.ok(fence);
    assert.equal(await store.share(account, fence, token, macKey, 60_000), true);
    assert.deepEqual(await store.read(account, macKey), token);
    const keys = (await admin.keys("*")).sort();
    const written = [store.fenceKey(account), store.tokenKey(account), store.writtenKey(account)];
    assert.deepEqual(keys, written.sort(), "the lock is gone");
    assert.match(store.tokenKey(account), /^test-prefix:\{[0-9a-f]{64}\}:token$/);
    const tag = (key: string) => /\{(.*)\}/.exec(key)?.[1];
    assert.equal(tag(store.lockKey(account)), tag(store.tokenKey(account)), "one hash slot");
    assert.equal(tag(store.writtenKey(account)), tag(store.tokenKey(account)), "one hash slot");
    assert.ok(!keys.some((key) => key.includes("app-123")), "keys do not name the account");
    const pttl = await admin.pTTL(store.tokenKey(account));
    assert.ok(pttl > 59_000 && pttl <= 60_000, `PTTL ${pttl}`);
    assert.ok((await admin.pTTL(store.writtenKey(account))) >= pttl, "the mark outlives its entry");
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
    const other = new RedisTokenStore(connection, { prefix: "test-prefix" });
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
});
