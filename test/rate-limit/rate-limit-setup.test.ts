// The credentials node's call queue as rate-limit-setup.ts makes it, on fake timers: with the shared
// cache, the budget is the lease's store, and the node's log hears an outage once (a warning with the
// limit and the reason) and the store's return once (a log line). The same with two real Node-RED
// processes and a real redis-server: shared-rate-limit.test.ts.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { limiterFor } from "../../src/nodes/rate-limit-setup";
import type { SharedCacheLease } from "../../src/shared-cache/runtime-cache";
import { call, MemoryRateStore } from "./rate-test-kit";
import { keyText as t } from "../support/key-text";

describe("rate-limit setup: the shared budget's outages in the node's log (fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  it("warns once with the limit and the reason when the store fails; logs once when it answers again", async () => {
    const store = new MemoryRateStore(Date.now);
    const warned: string[] = [];
    const logged: string[] = [];
    const lease = { rates: store } as unknown as SharedCacheLease;
    const log = { warn: (text: string) => warned.push(text), log: (text: string) => logged.push(text) };
    const limiter = limiterFor({ limit: 5, periodMs: 1_000, maxQueue: 10 }, lease, 0, log, t)("acct");
    const went: string[] = [];
    const through = async (name: string) => {
      const one = call(limiter, went, name);
      await clock.tickAsync(0);
      one.answer();
      await one.done;
    };

    store.down = true;
    await through("while down");
    await through("still down");
    assert.deepEqual(warned, ['access-token.warn.rate-limit-local {"limit":5,"detail":"offline"}']);
    assert.deepEqual(logged, []);

    store.down = false;
    await clock.tickAsync(2_000); // the store is asked again after its retry time
    await through("back");
    assert.deepEqual(logged, ["access-token.warn.rate-limit-shared"]);
    assert.equal(warned.length, 1, "no second warning");
    assert.deepEqual(went, ["while down", "still down", "back"]);
    assert.equal(store.acquires, 2, "asked while down once, then again after the retry time");
    limiter.close();
  });
});
