// The coordination (shared-refresh.ts) on an in-memory store with fake timers: a holder that dies,
// an aborted holder, waiters woken at once by the share (not after a poll), a forced refresh, and
// the store failing while a lock is held. Runs in milliseconds.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import * as sinon from "sinon";
import { OutageLog, SharedRefresh } from "../../src/shared-cache/shared-refresh";
import type { Token } from "../../src/token";
import type { Wanted } from "../../src/token-source";
import type { SharedTokenStore } from "../../src/shared-cache/shared-token-store";
import { MemoryTokenStore, RoundTrips } from "./memory-store";

const LOCK_TTL = 15_000;
const LIFETIME = 3_600_000;
const POLL = 500;
/** A store round trip in the tests that let something happen while a call is out. */
const LATENCY = 10;
/** The real one, captured before the clock is faked: lets pending rejections surface. */
const realSetImmediate = setImmediate;

describe("shared refresh interleavings (in-memory store, fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  let store: MemoryTokenStore;
  let outages: string[];
  let issued: number;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000 });
    store = new MemoryTokenStore(() => Date.now());
    outages = [];
    issued = 0;
  });
  afterEach(() => clock.restore());

  const instance = (over: SharedTokenStore = store) =>
    new SharedRefresh({
      store: over,
      outage: { failed: (e) => outages.push(e.message), ok: () => undefined },
      lockTtlMs: LOCK_TTL,
    });
  const wanted = (extra: Partial<Wanted> = {}): Wanted => ({
    marginMs: 300_000,
    forced: false,
    startedAt: Date.now(),
    macKey: Buffer.alloc(32),
    ...extra,
  });
  /** An instance with a runtime log of its own (the real OutageLog): its warnings and "back" lines. */
  const logged = () => {
    const log = { warn: [] as string[], info: [] as string[] };
    const shared = new SharedRefresh({
      store,
      outage: new OutageLog("memory", { warn: (t) => log.warn.push(t), info: (t) => log.info.push(t) }),
      lockTtlMs: LOCK_TTL,
      pollMs: POLL,
    });
    return { shared, log };
  };
  /** A token another instance shared (through the store's own lock and share). */
  const plant = async (value: string, obtainedAt: number): Promise<Token> => {
    const token = { value, obtainedAt, expiresAt: obtainedAt + LIFETIME };
    const fence = await store.tryLock("acct", LOCK_TTL);
    assert.ok(fence !== undefined && (await store.share("acct", fence, token, Buffer.alloc(32), LIFETIME)));
    return token;
  };
  /** Nothing left behind by a wait: no poll timer, no abort listener, no watch on the store. */
  const nothingLeft = (signal: AbortSignal) => {
    assert.equal(clock.countTimers(), 0, "no timer left");
    assert.equal(getEventListeners(signal, "abort").length, 0, "no abort listener left");
    assert.equal(store.watching("acct"), 0, "no watch left");
  };
  /** Whether a promise has settled by now (and how), without waiting for it. */
  const state = <T>(promise: Promise<T>) => {
    const seen: { settled?: "resolved" | "rejected"; value?: T; reason?: unknown } = {};
    promise.then(
      (value) => Object.assign(seen, { settled: "resolved", value }),
      (reason: unknown) => Object.assign(seen, { settled: "rejected", reason }),
    );
    return seen;
  };
  /** An instance waiting (over its own connection) for the lock another instance holds; how often it asked the vendor. */
  const waiterBehindALock = async (signal: AbortSignal) => {
    assert.ok(await store.tryLock("acct", LOCK_TTL), "another instance holds the lock");
    const connection = new RoundTrips(store, LATENCY);
    let asked = 0;
    const fetch = vendor(100);
    const waiting = state(instance(connection).obtain("acct", wanted(), signal, () => (asked++, fetch())));
    return { connection, waiting, asked: () => asked };
  };
  /** A vendor request that never answers: it fails when the signal aborts. */
  const untilAborted = (signal: AbortSignal) => (): Promise<Token> =>
    new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
  /** A vendor request that answers after `ms` on the fake clock. */
  const vendor = (ms: number) => (): Promise<Token> =>
    new Promise((resolve) =>
      setTimeout(() => {
        issued += 1;
        resolve({ value: `token-${issued}`, obtainedAt: Date.now(), expiresAt: Date.now() + LIFETIME });
      }, ms),
    );

  it("waiters are woken by the share itself: done when the holder's request is, not a poll later", async () => {
    const signal = new AbortController().signal;
    const holder = instance().obtain("acct", wanted(), signal, vendor(300));
    await clock.tickAsync(1);
    const finished: number[] = [];
    const waiters = [instance(), instance()].map((i) =>
      i.obtain("acct", wanted(), signal, vendor(300)).then((t) => (finished.push(Date.now()), t)),
    );
    const started = Date.now();
    await clock.tickAsync(299);
    // Checked before awaiting them: waiters that were not woken fail here instead of hanging.
    assert.equal(finished.length, 2, "both waiters answered with the share");
    const tokens = await Promise.all([holder, ...waiters]);
    assert.equal(issued, 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
    assert.deepEqual(
      finished.map((at) => at - started),
      [299, 299],
      "woken in the same tick as the share",
    );
    nothingLeft(signal);
  });

  it("a holder that dies: waiters take the lock once it expires, one request", async () => {
    const signal = new AbortController().signal;
    assert.equal(await store.tryLock("acct", LOCK_TTL), 1, "a holder that will never share");
    const waiters = [instance(), instance()].map((i) => i.obtain("acct", wanted(), signal, vendor(100)));
    await clock.tickAsync(LOCK_TTL - 1);
    assert.equal(issued, 0, "nobody asks while the dead holder's lock lasts");
    await clock.tickAsync(LOCK_TTL);
    const tokens = await Promise.all(waiters);
    assert.equal(issued, 1);
    assert.equal(tokens[0].value, tokens[1].value);
  });

  it("an aborted holder releases its lock at once; settled() resolves after that", async () => {
    const controller = new AbortController();
    const shared = instance();
    const holder = shared
      .obtain("acct", wanted(), controller.signal, untilAborted(controller.signal))
      .catch((err: Error) => err);
    await clock.tickAsync(1);
    assert.equal(store.lockOf("acct"), 1);
    controller.abort();
    await shared.settled();
    assert.equal(store.lockOf("acct"), undefined, "released, not left for its TTL");
    assert.match(((await holder) as Error).message, /aborted/);
    assert.equal(clock.countTimers(), 0, "no timer left behind");
  });

  it("a forced refresh is coordinated: one request, and holders of the stale token adopt the newer one", async () => {
    const signal = new AbortController().signal;
    const old = await plant("old-token", Date.now() - 1_000);
    const forced = [instance(), instance(), instance()].map((i) =>
      i.obtain("acct", wanted({ forced: true, stale: old.value }), signal, vendor(300)),
    );
    await clock.tickAsync(300);
    const tokens = await Promise.all(forced);
    assert.equal(issued, 1, "one vendor request for three forced refreshes");
    assert.deepEqual(
      tokens.map((t) => t.value),
      ["token-1", "token-1", "token-1"],
    );
    // A late caller still holding the old token adopts the new one, at once and without a request.
    const late = await instance().obtain("acct", wanted({ forced: true, stale: old.value }), signal, vendor(300));
    assert.equal(late.value, "token-1");
    // One that found the new token stale asks again: "stale" is what decides, not "forced".
    const again = instance().obtain("acct", wanted({ forced: true, stale: "token-1" }), signal, vendor(300));
    await clock.tickAsync(300);
    assert.equal((await again).value, "token-2");
    assert.equal(issued, 2);
  });

  it("a forced refresh with nothing named stale adopts only a token obtained since it began", async () => {
    const signal = new AbortController().signal;
    await plant("older-token", Date.now() - 1_000);
    const first = instance().obtain("acct", wanted({ forced: true }), signal, vendor(100));
    await clock.tickAsync(50);
    // Begun while the first one's request is out: the token that request brings is newer than this call.
    const second = instance().obtain("acct", wanted({ forced: true }), signal, vendor(100));
    await clock.tickAsync(50);
    assert.deepEqual(
      (await Promise.all([first, second])).map((t) => t.value),
      ["token-1", "token-1"],
    );
    assert.equal(issued, 1, "the older shared token was not adopted; the newer one was, by both");
  });

  it("the store failing while a lock is held: the waiter asks the vendor itself a poll later, not a lock TTL later", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const signal = new AbortController().signal;
      const holder = logged();
      const waiter = logged();
      const lockedAt = Date.now();
      const held = holder.shared.obtain("acct", wanted(), signal, vendor(2_000));
      await clock.tickAsync(1);
      assert.equal(store.lockOf("acct"), 1, "the holder has the lock and is asking the vendor");
      let answeredAt: number | undefined;
      const waiting = waiter.shared.obtain("acct", wanted(), signal, vendor(100)).then((token) => {
        answeredAt = Date.now();
        return token;
      });
      await clock.tickAsync(1);
      store.down = true;
      const downAt = Date.now();
      await clock.tickAsync(POLL + 100);
      assert.notEqual(answeredAt, undefined, "answered within a poll and a vendor request of the outage");
      assert.equal((await waiting).value, "token-1", "its own request");
      assert.ok(answeredAt! - downAt <= POLL + 100);
      // The holder's answer arrives while the store is still down: it cannot share or release, and
      // serves its token all the same.
      await clock.tickAsync(2_000);
      assert.equal((await held).value, "token-2");
      await holder.shared.settled();
      for (const { log } of [holder, waiter]) {
        assert.equal(log.warn.length, 1, log.warn.join("\n"));
        assert.match(log.warn[0], /store down/);
      }
      assert.equal(clock.countTimers(), 0, "no poll or timer left behind");
      await new Promise((resolve) => realSetImmediate(resolve));
      assert.deepEqual(unhandled, [], "no unhandled rejection");
      // The lock it could not release ends with its TTL; after that the store serves as before.
      store.down = false;
      clock.setSystemTime(lockedAt + LOCK_TTL);
      assert.equal(store.lockOf("acct"), undefined);
      const next = waiter.shared.obtain("acct", wanted(), signal, vendor(100));
      await clock.tickAsync(100);
      assert.equal((await next).value, "token-3");
      assert.equal(store.lockOf("acct"), undefined, "released by its share");
      assert.deepEqual(
        waiter.log.info,
        ["[access-token] shared token cache (memory) available again"],
        "one line when the store is back, naming it",
      );
      assert.equal(waiter.log.warn.length, 1);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("an outage that ends before the holder's answer: the holder shares and releases as usual", async () => {
    const signal = new AbortController().signal;
    const holder = logged();
    const waiter = logged();
    const held = holder.shared.obtain("acct", wanted(), signal, vendor(2_000));
    await clock.tickAsync(1);
    const waiting = waiter.shared.obtain("acct", wanted(), signal, vendor(100));
    store.down = true;
    await clock.tickAsync(POLL + 100);
    assert.equal((await waiting).value, "token-1", "the waiter fell back to its own request");
    store.down = false;
    await clock.tickAsync(2_000);
    assert.equal((await held).value, "token-2");
    assert.equal(store.lockOf("acct"), undefined, "released at once, not left for its TTL");
    assert.equal((await store.read("acct"))?.value, "token-2", "and shared");
    assert.deepEqual(holder.log.warn, [], "the holder never met the outage");
    assert.equal(waiter.log.warn.length, 1);
    assert.equal(clock.countTimers(), 0);
  });

  it("a waiter behind a live lock looks once per poll; an abort ends the wait at once, leaving nothing behind", async () => {
    const controller = new AbortController();
    const { connection, waiting, asked } = await waiterBehindALock(controller.signal);
    await clock.tickAsync(2 * POLL);
    assert.equal(connection.calls.read, 2, "one look when it starts, one a poll later");
    const reason = new Error("node closed");
    controller.abort(reason);
    await clock.tickAsync(0);
    assert.equal(waiting.settled, "rejected", "ended by the abort, not by the next poll");
    assert.equal(waiting.reason, reason);
    assert.equal(connection.calls.read, 2, "no look after the abort");
    assert.equal(asked(), 0);
    nothingLeft(controller.signal);
  });

  it("a release that lands while the waiter asks for the lock is not missed: it looks again at once, then waits", async () => {
    const signal = new AbortController().signal;
    const first = (await store.tryLock("acct", LOCK_TTL))!;
    const connection = new RoundTrips(store, LATENCY);
    const began = Date.now();
    const waiting = state(instance(connection).obtain("acct", wanted(), signal, vendor(100)));
    await clock.tickAsync(LATENCY + LATENCY / 2);
    assert.deepEqual([connection.calls.read, connection.calls.tryLock], [1, 1], "its tryLock is out");
    // The holder gives up (its request failed) and another instance takes the lock at once.
    await store.unlock("acct", first);
    const second = (await store.tryLock("acct", LOCK_TTL))!;
    await clock.tickAsync(began + POLL - Date.now());
    assert.equal(connection.calls.read, 2, "looked again at once after the release, then waited for news");
    const token = { value: "theirs", obtainedAt: Date.now(), expiresAt: Date.now() + LIFETIME };
    assert.ok(await store.share("acct", second, token, Buffer.alloc(32), LIFETIME));
    await clock.tickAsync(LATENCY);
    assert.equal(waiting.value?.value, "theirs", "woken by the share");
    assert.equal(issued, 0);
    nothingLeft(signal);
  });

  it("a lock that never expires (a store whose expiry misbehaves): the waiter asks the vendor itself at its deadline", async () => {
    const signal = new AbortController().signal;
    store.locks.set("acct", { fence: 1, until: Infinity });
    const deadline = Date.now() + LOCK_TTL + 2 * POLL;
    let askedAt: number | undefined;
    const fetch = vendor(100);
    const waiting = instance().obtain("acct", wanted(), signal, () => ((askedAt = Date.now()), fetch()));
    await clock.tickAsync(deadline - 1 - Date.now());
    assert.equal(askedAt, undefined, "not before the lock's TTL and two polls");
    await clock.tickAsync(1);
    assert.equal(askedAt, deadline, "at that deadline");
    await clock.tickAsync(100);
    assert.equal((await waiting).value, "token-1");
    assert.equal(clock.countTimers(), 0);
    assert.equal(store.watching("acct"), 0);
  });

  it("a holder whose share is lost still releases the lock: the next instance asks at once, not a lock TTL later", async () => {
    const signal = new AbortController().signal;
    const connection = new RoundTrips(store, LATENCY);
    connection.loseNext("share");
    const held = state(instance(connection).obtain("acct", wanted(), signal, vendor(100)));
    await clock.tickAsync(100 + 5 * LATENCY);
    assert.equal(held.value?.value, "token-1", "served its token all the same");
    assert.deepEqual(outages, ["share timed out"]);
    assert.equal(store.lockOf("acct"), undefined, "released, not left for its TTL");
    const next = instance().obtain("acct", wanted(), signal, vendor(100));
    await clock.tickAsync(100);
    assert.equal((await next).value, "token-2", "nothing was shared: asked at once");
  });

  it("a token obtained in the same millisecond counts as newer: forced refreshes adopt it", async () => {
    const signal = new AbortController().signal;
    const now = Date.now();
    // Another instance's token, obtained in the very millisecond the caller's stale one was.
    await plant("theirs", now);
    const named = state(
      instance().obtain("acct", wanted({ forced: true, stale: "mine", staleObtainedAt: now }), signal, vendor(100)),
    );
    // And with nothing named stale: obtained in the millisecond the forced refresh began.
    const unnamed = state(instance().obtain("acct", wanted({ forced: true, startedAt: now }), signal, vendor(100)));
    await clock.tickAsync(0);
    assert.equal(named.value?.value, "theirs");
    assert.equal(unnamed.value?.value, "theirs");
    assert.equal(issued, 0);
  });

  it("an abort while the waiter's store call is out ends it with the answer, as an Error even for a reason that is none", async () => {
    const controller = new AbortController();
    const { connection, waiting, asked } = await waiterBehindALock(controller.signal);
    await clock.tickAsync(LATENCY + LATENCY / 2);
    assert.equal(connection.calls.tryLock, 1, "its tryLock is out");
    controller.abort("redeployed");
    await clock.tickAsync(LATENCY / 2);
    assert.equal(waiting.settled, "rejected", "ended when the answer came, not a poll later");
    assert.ok(waiting.reason instanceof Error);
    assert.equal(waiting.reason.message, "aborted");
    assert.equal(asked(), 0, "never asked the vendor");
    nothingLeft(controller.signal);
  });

  it("a store gone after the abort (closed with the node) is no outage", async () => {
    const controller = new AbortController();
    const holder = logged();
    const held = holder.shared
      .obtain("acct", wanted(), controller.signal, untilAborted(controller.signal))
      .catch((err: Error) => err);
    await clock.tickAsync(1);
    assert.equal(store.lockOf("acct"), 1, "holds the lock, its vendor request out");
    controller.abort();
    store.down = true;
    await holder.shared.settled();
    assert.match(((await held) as Error).message, /aborted/);
    assert.deepEqual(holder.log.warn, [], "no outage warning");
  });
});
