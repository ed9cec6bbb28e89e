// Several "instances" (each a TokenSource with its own Redis connection) sharing one account
// through a real redis-server and the simulator: one vendor request between them, a lock that
// outlives a dead holder, forced refreshes coordinated, and Redis trouble never failing a call.
import assert from "node:assert/strict";
import * as net from "node:net";
import { TokenError } from "../../src/errors";
import { HttpClient } from "../../src/http";
import { providers } from "../../src/providers";
import { openRedis } from "../../src/shared-cache/redis-connection";
import { RedisTokenStore } from "../../src/shared-cache/redis-token-store";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { OutageLog, SharedRefresh } from "../../src/shared-cache/shared-refresh";
import { TokenSource } from "../../src/token-source";
import { simulatorHttp } from "../support/simulator-http";
import { redisFrame, startRedis } from "./redis-server";

interface Instance {
  source: TokenSource;
  logged: { warn: string[]; info: string[] };
  shared: SharedRefresh;
  store: RedisTokenStore;
}

describe("shared refresh between instances", function () {
  this.timeout(20_000);
  const closers: Array<() => Promise<void>> = [];
  // Registered first, so its afterEach runs first: the instances close before the simulator resets.
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const vendor = simulatorHttp();
  const cache = redisFrame();

  function instance(url = cache.server.url, options: { lockTtlMs?: number; timeoutMs?: number } = {}): Instance {
    const client = openRedis(readSharedCacheSetting({ redis: url, timeoutMs: options.timeoutMs ?? 500 })!);
    const logged = { warn: [] as string[], info: [] as string[] };
    const outage = new OutageLog(
      "redis test",
      { warn: (t) => logged.warn.push(t), info: (t) => logged.info.push(t) },
      undefined,
      () => client.lastError,
    );
    const shared = new SharedRefresh({
      store: new RedisTokenStore(client, { prefix: "t", onForged: (key) => outage.forged(key) }),
      outage,
      lockTtlMs: options.lockTtlMs ?? 5_000,
    });
    const http = new HttpClient();
    const { appid, secret } = vendor.sim.accounts.orionstar;
    const source = new TokenSource({
      provider: providers.orionstar.bind(vendor.sim.url, { appid, secret }),
      http,
      shared,
    });
    closers.push(async () => {
      source.close();
      await shared.settled();
      await Promise.all([http.close(), client.close()]);
    });
    return { source, logged, shared, store: shared["store"] as RedisTokenStore };
  }
  const count = () => vendor.sim.count("orionstar.token");
  const many = (inst: Instance, n: number, options = {}) =>
    Promise.all(Array.from({ length: n }, () => inst.source.get(options)));

  it("three cold instances, 50 callers each: one vendor request, one token", async () => {
    vendor.sim.fail("orionstar.token", { kind: "slow", ms: 300 }, 3);
    const instances = [instance(), instance(), instance()];
    const tokens = (await Promise.all(instances.map((i) => many(i, 50)))).flat();
    assert.equal(count(), 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
    assert.ok(instances.every((i) => i.logged.warn.length === 0));
  });

  it("an instance started later adopts the shared token without a request", async () => {
    const first = await instance().source.get();
    const late = await instance().source.get();
    assert.equal(late.value, first.value);
    assert.equal(late.expiresAt, first.expiresAt);
    assert.equal(count(), 1);
  });

  it("a forced refresh is coordinated: instances holding the stale token adopt the newer one", async () => {
    const instances = [instance(), instance(), instance()];
    const [old] = await Promise.all(instances.map((i) => i.source.get()));
    vendor.sim.fail("orionstar.token", { kind: "slow", ms: 300 }, 3);
    const forced = (
      await Promise.all(instances.map((i) => many(i, 20, { forceRefresh: true, staleToken: old.value })))
    ).flat();
    assert.equal(count(), 2);
    assert.equal(new Set(forced.map((t) => t.value)).size, 1);
    assert.notEqual(forced[0].value, old.value);
    // Someone with no token of its own who was handed the old one adopts the new one too.
    assert.equal((await instance().source.get({ forceRefresh: true, staleToken: old.value })).value, forced[0].value);
    assert.equal(count(), 2);
  });

  it("waits for a holder that died until its lock expires, then asks the vendor itself", async () => {
    const inst = instance(cache.server.url, { lockTtlMs: 5_000 });
    const store = inst.store;
    const deadTtlMs = 700;
    assert.ok(await store.tryLock(inst.source.account, deadTtlMs), "a holder that will never write");
    const lockKey = store.lockKey(inst.source.account);
    const pending = inst.source.get();
    // Ordering, not time: the vendor count is read first, then the lock; a lock with at most the
    // dead holder's TTL left was still the dead holder's, so nobody had asked the vendor yet.
    let looks = 0;
    for (;;) {
      const asked = count();
      const ttl = await cache.admin.pTTL(lockKey);
      if (ttl <= 0 || ttl > deadTtlMs) break;
      assert.equal(asked, 0, `the vendor was asked while the dead holder's lock had ${ttl} ms left`);
      looks++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(looks > 0, "looked while the lock was held");
    const token = await pending;
    assert.ok(token.value);
    assert.equal(count(), 1);
    assert.deepEqual(await store.read(inst.source.account, inst.source["macKey"]), token, "and shared what it got");
  });

  it("an entry planted without the credentials is not served: the vendor is asked, the log warns once with its key", async () => {
    const inst = instance();
    const account = inst.source.account;
    const key = inst.store.tokenKey(account);
    const now = Date.now();
    // A well-formed entry, its mark beside it, and a MAC of the right length made without the key.
    const mac = Buffer.alloc(32, 1).toString("base64url");
    const plant = async () => {
      await cache.admin.set(
        key,
        JSON.stringify({ v: 2, token: "planted", expiresAt: now + 60_000, obtainedAt: now, fence: 1, mac }),
      );
      await cache.admin.set(inst.store.writtenKey(account), `1:${mac}`);
    };
    await plant();
    const token = await inst.source.get();
    assert.notEqual(token.value, "planted");
    assert.equal(count(), 1, "asked the vendor");
    assert.deepEqual(inst.logged.warn, [
      `[access-token] ignored a token entry in the shared cache that fails its integrity check (written by someone without these credentials, or by another version): redis test ${key}`,
    ]);
    await plant();
    assert.equal(await inst.store.read(account, inst.source["macKey"]), undefined);
    assert.equal(inst.logged.warn.length, 1, "once per key");
  });

  it("when the holder's request fails, the others try in turn: two requests, not one per caller", async () => {
    vendor.sim.fail("orionstar.token", { kind: "status", status: 500 }, 1);
    const instances = [instance(), instance(), instance()];
    const results = await Promise.allSettled(instances.map((i) => i.source.get()));
    const failed = results.filter((r) => r.status === "rejected");
    const tokens = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.value] : []));
    assert.equal(failed.length, 1);
    assert.ok((failed[0] as PromiseRejectedResult).reason instanceof TokenError);
    assert.equal(tokens.length, 2);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(count(), 2);
  });

  it("Redis down: each instance asks the vendor itself, nothing fails, one warning per outage", async () => {
    const own = await startRedis();
    try {
      const instances = [instance(own.url), instance(own.url)];
      const [first] = await Promise.all(instances.map((i) => i.source.get()));
      assert.equal(count(), 1);
      await own.kill();
      // Each instance now holds its own token: each forces a refresh of the one it holds.
      const stale = instances.map(() => first.value);
      for (let round = 0; round < 3; round++) {
        const tokens = await Promise.all(
          instances.map((i, n) => many(i, 10, { forceRefresh: true, staleToken: stale[n] })),
        );
        tokens.forEach((mine, n) => {
          assert.equal(new Set(mine.map((t) => t.value)).size, 1);
          assert.notEqual(mine[0].value, stale[n]);
          stale[n] = mine[0].value;
        });
      }
      assert.equal(count(), 1 + 3 * 2, "one request per instance and round");
      for (const i of instances) {
        assert.equal(i.logged.warn.length, 1, i.logged.warn.join("\n"));
        assert.match(i.logged.warn[0], /shared token cache unavailable/);
      }
      await own.restart();
      // The client reconnects in the background (backing off up to 2 s): refresh until it is back.
      for (let tries = 0; tries < 100 && instances[0].logged.info.length === 0; tries++) {
        await instances[0].source.get({ forceRefresh: true });
        if (instances[0].logged.info.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(instances[0].logged.info.length, 1, "recovery is logged once");
      assert.equal(instances[0].logged.warn.length, 1);
    } finally {
      await own.kill();
    }
  });

  it("Redis that accepts but never answers: falls back after its timeout", async () => {
    // resume(): a socket nobody reads never sees the client's FIN, and close() would wait for it.
    const silent = net.createServer((socket) => socket.on("error", () => undefined).resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const inst = instance(`redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, { timeoutMs: 300 });
      // This Redis never answers: only the command timeout's fallback can give a token at all.
      assert.ok((await inst.source.get()).value);
      assert.equal(count(), 1, "asked the vendor itself");
      assert.equal(inst.logged.warn.length, 1);
    } finally {
      await closers.splice(0).reduce((p, close) => p.then(close), Promise.resolve());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("closing an instance that waits for another's lock ends the wait at once, quietly", async () => {
    const inst = instance();
    assert.ok(await inst.store.tryLock(inst.source.account, 10_000));
    const pending = inst.source.get().then(
      () => assert.fail("expected the wait to be aborted"),
      (err: TokenError) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
    // Ordering, not a time bound: the lock is held for 10 s, so only the close can end the wait
    // before the lock expires (TTL still positive when the wait has ended).
    inst.source.close();
    assert.equal((await pending).kind, "aborted");
    assert.ok(
      (await cache.admin.pTTL(inst.store.lockKey(inst.source.account))) > 0,
      "ended while the lock was still held",
    );
    assert.equal(inst.logged.warn.length, 0);
    assert.equal(count(), 0);
  });

  it("a shared token already inside the refresh margin is not adopted", async () => {
    const inst = instance();
    const now = Date.now();
    // Signed with this account's key, valid for 60 s more: fine for the vendor, inside a 120 s margin.
    const fence = (await inst.store.tryLock(inst.source.account, 5_000))!;
    const aging = { value: "aging-shared-token", obtainedAt: now - 600_000, expiresAt: now + 60_000 };
    assert.ok(await inst.store.share(inst.source.account, fence, aging, inst.source["macKey"], 60_000));
    const token = await inst.source.get({ marginMs: 120_000 });
    assert.notEqual(token.value, aging.value, "the aging token was not adopted");
    assert.equal(count(), 1, "the vendor was asked");
    // And outside a smaller margin the same shared token is adopted with no request (the test can tell).
    const other = instance();
    const again = (await other.store.tryLock(other.source.account, 5_000))!;
    assert.ok(await other.store.share(other.source.account, again, aging, other.source["macKey"], 60_000));
    assert.equal((await other.source.get({ marginMs: 10_000 })).value, aging.value);
    assert.equal(count(), 1);
  });

  it("a shared token older than a forced refresh is not adopted", async () => {
    const inst = instance();
    const now = Date.now();
    const fence = (await inst.store.tryLock(inst.source.account, 5_000))!;
    const older = { value: "older-shared-token", obtainedAt: now - 1_000, expiresAt: now + 3_600_000 };
    assert.ok(await inst.store.share(inst.source.account, fence, older, inst.source["macKey"], 3_600_000));
    // Nothing held, nothing named stale: only a token obtained since the forced refresh began will do.
    const token = await inst.source.get({ forceRefresh: true });
    assert.notEqual(token.value, older.value);
    assert.equal(count(), 1);
    // Without forcing, the same shared token is adopted (so the assertion above can fail).
    assert.equal((await instance().source.get()).value, token.value, "and the new one was shared");
  });

  it("closing the holder in the middle of its vendor request leaves no lock behind", async () => {
    vendor.sim.fail("orionstar.token", { kind: "slow", ms: 2_000 }, 1);
    const inst = instance();
    const pending = inst.source.get().catch((err: TokenError) => err);
    const lockKey = inst.store.lockKey(inst.source.account);
    for (let i = 0; i < 100 && (await cache.admin.get(lockKey)) === null; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(await cache.admin.get(lockKey), "the instance holds the lock");
    // As a deploy closes it: abort, wait for the holder's release, then close the connection.
    await closers.splice(0).reduce((p, close) => p.then(close), Promise.resolve());
    assert.equal(((await pending) as TokenError).kind, "aborted");
    assert.equal(await cache.admin.get(lockKey), null, "no lock left for its TTL");
  });

  it("keeps no secret in Redis: keys are hashes, values hold only the token and its times", async () => {
    await Promise.all([instance(), instance()].map((i) => i.source.get()));
    const { appid, secret } = vendor.sim.accounts.orionstar;
    const keys = await cache.admin.keys("*");
    assert.ok(keys.length > 0);
    for (const key of keys) {
      const value = key.endsWith(":token") ? ((await cache.admin.get(key)) ?? "") : "";
      for (const text of [key, value]) {
        assert.ok(!text.includes(secret), "the secret is not in Redis");
        assert.ok(!text.includes(encodeURIComponent(secret)));
      }
      assert.ok(!key.includes(appid));
      if (key.endsWith(":token"))
        assert.deepEqual(Object.keys(JSON.parse(value)).sort(), [
          "expiresAt",
          "fence",
          "mac",
          "obtainedAt",
          "token",
          "v",
        ]);
    }
  });
});
