// The limiter's queue at its edges, on fake timers: a call without a budget waits only for a pause;
// a later pause never shortens one; a call that leaves or a limiter that closes while a shared
// budget is asked gives its slot back and leaves no timer and no listener on the call's signal; the
// shared budget is asked once at a time and no sooner than it says; each call is told once that it
// waits. The common cases: limiter.test.ts.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import * as sinon from "sinon";
import type { TokenError } from "../../src/errors";
import { LocalBudget } from "../../src/rate-limit/budget";
import { Limiter } from "../../src/rate-limit/limiter";
import { call, sharedBudget, type MemoryRateStore } from "./rate-test-kit";

/** The real one: fake timers replace it in each test. */
const realSetImmediate = setImmediate;

describe("rate limiter queue (fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  const signal = new AbortController().signal;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail("the call went"),
      (err: TokenError) => err,
    );
  /** A call that leaves (aborted) while the store holds its answer; then the store answers. */
  async function leaveWhileAsked(limiter: Limiter, store: MemoryRateStore) {
    const controller = new AbortController();
    store.hold();
    const leaving = call(limiter, [], "leaving", controller);
    await clock.tickAsync(0);
    controller.abort();
    assert.equal((await failure(leaving.done)).kind, "aborted");
    store.open();
    await clock.tickAsync(0);
  }

  describe("without a budget", () => {
    it("a call waits only for a pause: not for an earlier call still fetching its token, from the pause's very end", async () => {
      const limiter = new Limiter({ maxQueue: 10 });
      const log: string[] = [];
      limiter.pause(1_000);
      await clock.tickAsync(1_000);
      limiter.reserve(); // fetching its token, never comes
      const now = call(limiter, log, "now");
      await clock.tickAsync(0);
      assert.deepEqual(log, ["now"]);
      assert.equal(now.told.queued, 0);
      limiter.close();
    });

    it("a call that comes while others still wait after a pause goes behind them", async () => {
      const limiter = new Limiter({ maxQueue: 10 });
      const log: string[] = [];
      limiter.pause(1_000);
      const first = limiter.reserve(); // started first, still fetching its token
      call(limiter, log, "second");
      await clock.tickAsync(1_000);
      assert.equal(log.length, 0, "second waits for the call that started before it");
      call(limiter, log, "third");
      await clock.tickAsync(0);
      assert.equal(log.length, 0, "third waits behind second");
      await limiter.run(async () => void log.push("first"), { signal, vendor: "Test", place: first });
      limiter.settle(first);
      await clock.tickAsync(0);
      // Let go in the same step: the vendor sees them at once.
      assert.deepEqual(log.sort(), ["first", "second", "third"]);
      limiter.close();
    });

    it("a call let go at once holds none of the later calls up while it runs", async () => {
      const limiter = new Limiter({ maxQueue: 10 });
      const log: string[] = [];
      call(limiter, log, "running"); // never answers
      limiter.pause(1_000);
      call(limiter, log, "after the pause");
      await clock.tickAsync(1_000);
      assert.deepEqual(log, ["running", "after the pause"]);
      limiter.close();
    });

    it("a closed limiter lets no call go", async () => {
      const limiter = new Limiter({ maxQueue: 10 });
      const log: string[] = [];
      limiter.close();
      const late = call(limiter, log, "late");
      await clock.tickAsync(0);
      assert.equal(log.length, 0);
      assert.equal((await failure(late.done)).kind, "aborted");
    });

    it("queue-full without a rate limit names none", async () => {
      const limiter = new Limiter({ maxQueue: 0 });
      limiter.pause(1_000);
      const error = await failure(call(limiter, [], "refused").done);
      assert.equal(error.key, "queue-full");
      assert.deepEqual([error.params.limit, error.params.period], ["-", "-"]);
      assert.match(error.message, /\(- calls per - s\)/);
      limiter.close();
    });
  });

  it("a later, shorter pause does not shorten the one running", async () => {
    const limiter = new Limiter({ maxQueue: 10 });
    const log: string[] = [];
    limiter.pause(3_000);
    call(limiter, log, "waiting");
    await clock.tickAsync(500);
    limiter.pause(1_000);
    await clock.tickAsync(2_499);
    assert.equal(log.length, 0);
    await clock.tickAsync(1);
    assert.deepEqual(log, ["waiting"]);
    limiter.close();
  });

  it("each waiting call is told once that it waits; a pause tells the head waiting for an earlier call", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(1, 1_000), maxQueue: 10 });
    const log: string[] = [];
    const first = call(limiter, log, "first");
    const second = call(limiter, log, "second");
    await clock.tickAsync(0);
    limiter.pause(500);
    first.answer();
    await clock.tickAsync(1_000);
    assert.deepEqual(log, ["first", "second"]);
    assert.deepEqual([first.told.queued, second.told.queued], [0, 1]);
    second.answer();
    await second.done;
    // "later" waits for "earlier", still fetching its token: a pause says it waits.
    await clock.tickAsync(1_000);
    limiter.reserve();
    const later = call(limiter, log, "later");
    await clock.tickAsync(0);
    limiter.pause(1_000);
    assert.equal(later.told.queued, 1);
    limiter.close();
  });

  it("leaves no listener on a call's signal: let go, aborted, or ended by close()", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(1, 1_000), maxQueue: 10 });
    const log: string[] = [];
    const [granted, aborted, closed] = [new AbortController(), new AbortController(), new AbortController()];
    const first = call(limiter, log, "first");
    const second = call(limiter, log, "second", granted);
    const third = call(limiter, log, "third", aborted);
    const fourth = call(limiter, log, "fourth", closed);
    await clock.tickAsync(0);
    assert.equal(getEventListeners(granted.signal, "abort").length, 1, "waiting: it listens");
    first.answer();
    await clock.tickAsync(1_000);
    assert.deepEqual(log, ["first", "second"]);
    assert.equal(getEventListeners(granted.signal, "abort").length, 0, "let go");
    aborted.abort();
    assert.equal((await failure(third.done)).kind, "aborted");
    assert.equal(getEventListeners(aborted.signal, "abort").length, 0, "aborted");
    limiter.close();
    assert.equal((await failure(fourth.done)).kind, "aborted");
    assert.equal(getEventListeners(closed.signal, "abort").length, 0, "closed");
    second.answer();
    await second.done;
  });

  describe("on a shared budget", () => {
    it("asks the store once at a time", async () => {
      const { store, budget } = sharedBudget(5);
      const limiter = new Limiter({ budget, maxQueue: 10 });
      const log: string[] = [];
      store.hold();
      for (const name of ["a", "b", "c"]) call(limiter, log, name);
      await clock.tickAsync(0);
      assert.equal(store.mostPending, 1);
      store.open();
      await clock.tickAsync(0);
      assert.deepEqual(log, ["a", "b", "c"]);
      assert.equal(store.mostPending, 1);
      limiter.close();
    });

    it("asks the store again when it said, not sooner", async () => {
      const { store, budget } = sharedBudget(1);
      await store.acquire("acct", 1, 1_000, 10_000); // another instance's call, in flight
      const limiter = new Limiter({ budget, maxQueue: 10 });
      const log: string[] = [];
      call(limiter, log, "waiting");
      await clock.tickAsync(999);
      assert.equal(store.acquires, 2, "the other call ends a period from now at the soonest");
      await clock.tickAsync(1);
      assert.equal(store.acquires, 3);
      assert.equal(log.length, 0);
      limiter.close();
    });

    it("a call that leaves while the store is asked gives its slot back: the next call goes", async () => {
      const { store, budget } = sharedBudget(1);
      const limiter = new Limiter({ budget, maxQueue: 10 });
      const log: string[] = [];
      await leaveWhileAsked(limiter, store);
      assert.equal(store.counted, 0, "the store's entry is cancelled");
      call(limiter, log, "next");
      await clock.tickAsync(0);
      assert.deepEqual(log, ["next"], "and the local slot is free");
      limiter.close();
    });

    it("a call that leaves while the store refuses: no unhandled rejection (it would end Node-RED), the limiter keeps working", async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      const { store, budget } = sharedBudget(1);
      const other = await store.acquire("acct", 1, 1_000, 10_000);
      const limiter = new Limiter({ budget, maxQueue: 10 });
      const log: string[] = [];
      await leaveWhileAsked(limiter, store);
      await new Promise((resolve) => realSetImmediate(resolve)); // Node reports unhandled rejections after the microtasks
      process.off("unhandledRejection", onUnhandled);
      assert.deepEqual(unhandled, []);
      await store.cancel("acct", other.id!);
      call(limiter, log, "next");
      await clock.tickAsync(0);
      assert.deepEqual(log, ["next"]);
      limiter.close();
    });

    it("a pause that comes while the store is asked: the slot goes back and the call waits the pause out", async () => {
      const { store, budget } = sharedBudget(1);
      const limiter = new Limiter({ budget, maxQueue: 10 });
      const log: string[] = [];
      store.hold();
      call(limiter, log, "asked");
      await clock.tickAsync(0);
      limiter.pause(1_000); // another call's 429 with Retry-After: 1
      store.open();
      await clock.tickAsync(999);
      assert.deepEqual(log, [], "not let go during the pause");
      assert.equal(store.counted, 0, "its slot given back meanwhile");
      await clock.tickAsync(1);
      assert.deepEqual(log, ["asked"], "let go when the pause ends");
      limiter.close();
    });

    it("close() while the store is asked: the slot goes back and no timer is left", async () => {
      const { store, budget } = sharedBudget(1);
      const limiter = new Limiter({ budget, maxQueue: 10 });
      store.hold();
      const closing = call(limiter, [], "closing");
      await clock.tickAsync(0);
      limiter.close();
      assert.equal((await failure(closing.done)).kind, "aborted");
      store.open();
      await clock.tickAsync(0);
      assert.equal(store.counted, 0, "the store's entry is cancelled");
      // The store refuses while the limiter closes: no timer to ask again.
      const { store: full, budget: fullBudget } = sharedBudget(1);
      await full.acquire("acct", 1, 1_000, 10_000);
      const refused = new Limiter({ budget: fullBudget, maxQueue: 10 });
      full.hold();
      const waiting = call(refused, [], "waiting");
      await clock.tickAsync(0);
      refused.close();
      await failure(waiting.done);
      full.open();
      await clock.tickAsync(0);
      assert.equal(clock.countTimers(), 0);
    });
  });
});
