// The budgets at their edges, on fake timers: a clock set back, a slot freed twice, the shared
// budget's store asked again only every retryStoreMs while it is down (said once however often it
// fails), and a release that fails counted as an outage. The common cases: limiter.test.ts.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { LocalBudget } from "../../src/rate-limit/budget";
import { sharedBudget } from "./rate-test-kit";

describe("rate budgets (fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  describe("LocalBudget", () => {
    it("a clock set back: the call that stops counting first is freed first", () => {
      const budget = new LocalBudget(2, 1_000);
      const first = budget.take().slot!;
      const second = budget.take().slot!;
      first.end(); // counts until 1_001_000
      clock.setSystemTime(990_000);
      second.end(); // counts until 991_000
      clock.setSystemTime(990_500);
      assert.deepEqual(budget.take(), { retryInMs: 500 });
      clock.setSystemTime(991_000);
      assert.ok(budget.take().slot, "the second call no longer counts");
    });

    it("a slot freed twice counts once", () => {
      const budget = new LocalBudget(1, 1_000);
      const slot = budget.take().slot!;
      slot.cancel();
      slot.cancel();
      assert.ok(budget.take().slot);
      assert.equal(budget.take().slot, undefined, "one slot, not two");
    });
  });

  describe("SharedBudget", () => {
    it("while the store is down, asks it again every retryStoreMs, and says so once", async () => {
      const { store, budget, said } = sharedBudget(2, 2_000);
      store.down = true;
      for (let i = 0; i < 3; i += 1) {
        (await budget.take()).slot!.cancel();
        assert.equal(store.acquires, i + 1);
        clock.tick(1_999);
        (await budget.take()).slot!.cancel();
        assert.equal(store.acquires, i + 1, "the local budget alone");
        clock.tick(1);
      }
      assert.deepEqual(said, ["down offline"]);
    });

    it("a release that fails is an outage: the local budget alone until the store is asked again", async () => {
      const { store, budget, said } = sharedBudget(2, 2_000);
      const slot = (await budget.take()).slot!;
      store.down = true;
      slot.end();
      await clock.tickAsync(0);
      assert.deepEqual(said, ["down offline"]);
      store.down = false;
      (await budget.take()).slot!.cancel();
      assert.equal(store.acquires, 1);
    });
  });
});
