// The limiter, its budgets and the busy step on fake timers: the strict count (a call holds its slot
// from the moment it is let go until a period after its answer), first in first out with places
// taken when calls start, maxQueue, a pause for every call, a resend that keeps its place, close
// leaving no timer, the shared budget's fallback to the local one (said once each way), and
// waitWhenBusy's 1, 2, 4 s and maxWait. Real-runtime tests: rate-limit-node.test.ts.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { waitWhenBusy } from "../../src/account/pacing";
import type { Attempt } from "../../src/account/call";
import type { TokenError } from "../../src/errors";
import { LocalBudget } from "../../src/rate-limit/budget";
import { Limiter } from "../../src/rate-limit/limiter";
import { readRateSettings } from "../../src/rate-limit/settings";
import { call, sharedBudget } from "./rate-test-kit";

describe("rate limiter (fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  const signal = new AbortController().signal;
  describe("LocalBudget", () => {
    it("holds a slot from the moment a call goes until a period after its answer", () => {
      const budget = new LocalBudget(2, 1_000);
      const first = budget.take();
      const second = budget.take();
      assert.ok(first.slot && second.slot);
      assert.deepEqual(budget.take(), { retryInMs: undefined }, "both in flight: ask again when one ends");
      clock.tick(5_000); // a slow answer: still counting
      assert.equal(budget.take().slot, undefined);
      first.slot.end();
      assert.deepEqual(budget.take(), { retryInMs: 1_000 });
      clock.tick(999);
      assert.equal(budget.take().slot, undefined);
      clock.tick(1);
      assert.ok(budget.take().slot, "a period after the answer");
    });

    it("a cancelled slot (never sent) is free at once", () => {
      const budget = new LocalBudget(1, 1_000);
      budget.take().slot!.cancel();
      assert.ok(budget.take().slot);
    });
  });

  it("lets calls go first in, first out, never more than the limit in a period", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(2, 1_000), maxQueue: 100 });
    const log: string[] = [];
    const calls = ["a", "b", "c", "d", "e"].map((name) => call(limiter, log, name));
    await clock.tickAsync(0);
    assert.deepEqual(log, ["a", "b"]);
    assert.equal(limiter.queued, 3);
    calls[1].answer();
    await clock.tickAsync(999);
    assert.deepEqual(log, ["a", "b"]);
    await clock.tickAsync(1);
    assert.deepEqual(log, ["a", "b", "c"]);
    calls[0].answer();
    calls[2].answer();
    await clock.tickAsync(1_000);
    assert.deepEqual(log, ["a", "b", "c", "d", "e"]);
    limiter.close();
  });

  it("keeps the order of the calls' start, whatever each waited for before its turn", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(1, 100), maxQueue: 100 });
    const log: string[] = [];
    // "slow" started first but fetches its token for 50 ms; "fast" comes to the queue at once.
    const slowPlace = limiter.reserve();
    const fast = call(limiter, log, "fast");
    await clock.tickAsync(10);
    assert.equal(log.length, 0, "fast waits for the call that started before it");
    const slow = limiter.run(async () => void log.push("slow"), { signal, vendor: "Test", place: slowPlace });
    await clock.tickAsync(0);
    assert.deepEqual(log, ["slow"]);
    await slow;
    limiter.settle(slowPlace);
    await clock.tickAsync(100);
    assert.deepEqual(log, ["slow", "fast"]);
    fast.answer();
    await fast.done;
    // A call that ends before its turn (its token request failed) holds no one up.
    const failed = limiter.reserve();
    const next = call(limiter, log, "next");
    limiter.settle(failed);
    await clock.tickAsync(100);
    assert.deepEqual(log, ["slow", "fast", "next"]);
    next.answer();
    await next.done;
    limiter.close();
  });

  it("refuses a call past maxQueue with queue-full; a call sent again is never refused", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(1, 1_000), maxQueue: 1, limit: 1, periodMs: 1_000 });
    const log: string[] = [];
    const first = call(limiter, log, "first");
    const second = call(limiter, log, "second");
    const third = call(limiter, log, "third");
    const error: TokenError = await third.done.then(
      () => assert.fail("refused"),
      (err: TokenError) => err,
    );
    assert.equal(error.kind, "queue");
    assert.equal(error.key, "queue-full");
    assert.deepEqual([error.params.queued, error.params.max, error.params.limit, error.params.period], [1, 1, 1, 1]);
    // The first call's place, sent again (a busy vendor): it goes ahead of the waiting one.
    first.answer();
    await first.done;
    const again = limiter.run(async () => void log.push("first again"), { signal, vendor: "Test", place: first.place });
    await clock.tickAsync(1_000);
    await again;
    assert.deepEqual(log, ["first", "first again"]);
    await clock.tickAsync(1_000);
    await clock.tickAsync(0);
    assert.deepEqual(log, ["first", "first again", "second"]);
    second.answer();
    await second.done;
    limiter.close();
  });

  it("a pause holds every call, even without a limit", async () => {
    const limiter = new Limiter({ maxQueue: 10 });
    const log: string[] = [];
    limiter.pause(2_000);
    const calls = ["a", "b"].map((name) => call(limiter, log, name));
    await clock.tickAsync(1_999);
    assert.equal(log.length, 0);
    assert.equal(limiter.queued, 2);
    await clock.tickAsync(1);
    assert.deepEqual(log, ["a", "b"]);
    calls.forEach((c) => c.answer());
    limiter.close();
  });

  it("close() ends every waiting call as aborted and leaves no timer; an aborted call leaves the queue", async () => {
    const limiter = new Limiter({ budget: new LocalBudget(1, 60_000), maxQueue: 10 });
    const log: string[] = [];
    const first = call(limiter, log, "first");
    const controller = new AbortController();
    const leaving = call(limiter, log, "leaving", controller);
    const waiting = call(limiter, log, "waiting");
    await clock.tickAsync(0);
    first.answer();
    await first.done;
    await clock.tickAsync(0);
    assert.ok(clock.countTimers() > 0, "the queue waits for the budget");
    controller.abort();
    assert.equal(((await leaving.done.catch((e: unknown) => e)) as TokenError).kind, "aborted");
    assert.equal(limiter.queued, 1);
    limiter.pause(30_000);
    limiter.close();
    assert.equal(((await waiting.done.catch((e: unknown) => e)) as TokenError).kind, "aborted");
    assert.equal(clock.countTimers(), 0);
    const late = await call(limiter, log, "late").done.catch((e: unknown) => e);
    assert.equal((late as TokenError).kind, "aborted", "nothing goes after close");
  });

  describe("SharedBudget", () => {
    it("counts on the store; while it is down, on the local budget alone, said once; back when it answers", async () => {
      const { store, budget, said } = sharedBudget(2);
      const first = await budget.take();
      assert.ok(first.slot);
      assert.equal(store.counted, 1);
      // Another instance takes the other slot: the store refuses, the local slot goes back.
      await store.acquire("acct", 2, 1_000, 10_000);
      // The other call is in flight: it stops counting a period after its answer, a period from now at the soonest.
      assert.deepEqual(await budget.take(), { retryInMs: 1_000 });
      first.slot.end();
      store.down = true;
      clock.tick(1_000);
      const alone = await budget.take();
      assert.ok(alone.slot, "the local budget alone");
      assert.ok((await budget.take()).slot);
      assert.equal((await budget.take()).slot, undefined, "the whole budget, not more");
      assert.deepEqual(said, ["down offline"]);
      store.down = false;
      clock.tick(2_000);
      alone.slot.end();
      clock.tick(1_000);
      assert.ok((await budget.take()).slot);
      assert.deepEqual(said, ["down offline", "up"]);
    });
  });

  describe("waitWhenBusy", () => {
    const answer = (status: number, retryAfterMs?: number): Attempt => ({
      answer: { status, headers: {}, body: Buffer.alloc(0) } as unknown as Attempt["answer"],
      verdict: status === 200 ? { outcome: "ok" } : { outcome: "error", retryAfterMs },
    });

    it("waits 1, 2, 4 s without Retry-After, pausing the account, and stops before passing maxWait", async () => {
      const pauses: number[] = [];
      let tries = 0;
      const step = waitWhenBusy(
        async () => {
          tries += 1;
          clock.tick(10);
          return answer(503);
        },
        { maxWaitMs: 7_100, pause: (ms) => pauses.push(ms), now: Date.now },
      );
      const last = await step(undefined);
      assert.equal(last.answer.status, 503);
      assert.deepEqual(pauses, [1_000, 2_000, 4_000], "8 s more would pass maxWait");
      assert.equal(tries, 4);
    });

    it("waits what Retry-After asks; a 429 past maxWait is handed back at once", async () => {
      const pauses: number[] = [];
      const answers = [answer(429, 3_000), answer(200)];
      const step = waitWhenBusy(async () => answers.shift()!, { maxWaitMs: 60_000, pause: (ms) => pauses.push(ms) });
      assert.equal((await step(undefined)).answer.status, 200);
      assert.deepEqual(pauses, [3_000]);
      const refused = waitWhenBusy(async () => answer(429, 61_000), {
        maxWaitMs: 60_000,
        pause: (ms) => pauses.push(ms),
      });
      assert.equal((await refused(undefined)).answer.status, 429);
      assert.deepEqual(pauses, [3_000]);
    });

    it("an error that is no 429 or 503 is handed back as it came", async () => {
      const pauses: number[] = [];
      const step = waitWhenBusy(async () => answer(500), { maxWaitMs: 60_000, pause: (ms) => pauses.push(ms) });
      assert.equal((await step(undefined)).answer.status, 500);
      assert.deepEqual(pauses, []);
    });
  });

  describe("settings", () => {
    it("reads rateLimit, ratePeriod and maxQueue; empty means none, 1 s and 1000", () => {
      assert.deepEqual(readRateSettings("Test", {}), { limit: undefined, periodMs: 1_000, maxQueue: 1_000 });
      assert.deepEqual(readRateSettings("Test", { rateLimit: "50", ratePeriod: "0.5", maxQueue: 0 }), {
        limit: 50,
        periodMs: 500,
        maxQueue: 0,
      });
      for (const bad of [{ rateLimit: "0" }, { rateLimit: "1.5" }, { ratePeriod: "-1" }, { maxQueue: "x" }]) {
        const error = (() => {
          try {
            readRateSettings("Test", bad);
          } catch (err) {
            return err as TokenError;
          }
        })();
        assert.equal(error?.key, "bad-setting", JSON.stringify(bad));
        assert.equal(error?.params.field, Object.keys(bad)[0]);
      }
    });
  });
});
