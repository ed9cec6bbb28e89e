// The token store in a real Redis: hashed keys, an entry that expires with its token and holds
// nothing but the token and its times, a lock only its owner releases.
import assert from "node:assert/strict";
import { RedisClient } from "../../src/shared-cache/redis-client";
import { RedisTokenStore } from "../../src/shared-cache/redis-token-store";
import { requireRedis, startRedis, type RedisServer } from "./redis-server";

describe("RedisTokenStore", function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let client: RedisClient;
  let store: RedisTokenStore;
  const account = "orionstar http://127.0.0.1:1/ app-123 1a2b3c4d";

  before(async function () {
    requireRedis(this);
    redis = await startRedis();
    client = new RedisClient({ url: redis.url });
    store = new RedisTokenStore(client, "test-prefix");
  });
  after(async () => {
    await client?.close();
    await redis?.kill();
  });
  beforeEach(async () => {
    await client.command("FLUSHALL");
  });

  it("shares a token under a hashed key, expiring with the token", async () => {
    const now = Date.now();
    const token = { value: "tok-1", obtainedAt: now, expiresAt: now + 60_000 };
    assert.equal(await store.read(account), undefined);
    await store.write(account, token, 60_000);
    assert.deepEqual(await store.read(account), token);
    const keys = (await client.command("KEYS", "*")) as string[];
    assert.deepEqual(keys, [store.tokenKey(account)]);
    assert.match(keys[0], /^test-prefix:token:[0-9a-f]{64}$/);
    assert.ok(!keys[0].includes("app-123"), "the key does not name the account");
    const pttl = (await client.command("PTTL", keys[0])) as number;
    assert.ok(pttl > 59_000 && pttl <= 60_000, `PTTL ${pttl}`);
    assert.deepEqual(JSON.parse((await client.command("GET", keys[0])) as string), {
      token: "tok-1",
      expiresAt: token.expiresAt,
      obtainedAt: now,
    });
  });

  it("keeps accounts apart", async () => {
    const now = Date.now();
    await store.write(account, { value: "a", obtainedAt: now, expiresAt: now + 60_000 }, 60_000);
    assert.equal(await store.read(`${account}x`), undefined);
    assert.equal(await new RedisTokenStore(client, "other-prefix").read(account), undefined);
  });

  it("ignores an entry it did not write", async () => {
    for (const value of [
      "not json",
      "null",
      '{"token":""}',
      '{"token":"t","expiresAt":"soon","obtainedAt":1}',
      '{"token":"t","expiresAt":1,"obtainedAt":2}',
    ]) {
      await client.command("SET", store.tokenKey(account), value);
      assert.equal(await store.read(account), undefined, value);
    }
  });

  it("gives the lock to one caller at a time, for its TTL", async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => store.tryLock(account, 300)));
    const owners = ids.filter((id) => id !== undefined);
    assert.equal(owners.length, 1);
    const pttl = (await client.command("PTTL", store.lockKey(account))) as number;
    assert.ok(pttl > 0 && pttl <= 300);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.ok(await store.tryLock(account, 300), "an expired lock can be taken again");
  });

  it("releases the lock only for its owner", async () => {
    const first = await store.tryLock(account, 10_000);
    assert.ok(first);
    await store.unlock(account, "someone-else");
    assert.equal(await store.tryLock(account, 10_000), undefined, "still held");
    await store.unlock(account, first);
    assert.ok(await store.tryLock(account, 10_000));
  });
});
