// What the limiter's unit suites share: an in-memory RateStore and a call through a Limiter.
import type { Limiter } from "../../src/rate-limit/limiter";
import { SharedBudget, type RateStore } from "../../src/rate-limit/shared-budget";

/**
 * An in-memory RateStore that counts as Redis does (members until their score), fails on demand,
 * and can hold its answers to acquire (a slow round trip) until `open()`.
 */
export class MemoryRateStore implements RateStore {
  down = false;
  /** Times acquire was asked. */
  acquires = 0;
  /** The most acquires waiting for their answer at once. */
  mostPending = 0;
  private pending = 0;
  private gate?: { promise: Promise<void>; open: () => void };
  private readonly members = new Map<string, number>();
  private next = 0;
  constructor(private readonly now: () => number) {}
  /** Hold every answer to acquire until open(). */
  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }
  open(): void {
    this.gate?.open();
    this.gate = undefined;
  }
  async acquire(_account: string, limit: number, periodMs: number, holdMs: number) {
    this.acquires += 1;
    this.pending += 1;
    this.mostPending = Math.max(this.mostPending, this.pending);
    try {
      if (this.gate) await this.gate.promise;
    } finally {
      this.pending -= 1;
    }
    if (this.down) throw new Error("offline");
    const now = this.now();
    for (const [id, until] of this.members) if (until <= now) this.members.delete(id);
    const id = String((this.next += 1));
    if (this.members.size >= limit) return { retryInMs: Math.min(...this.members.values()) - now };
    this.members.set(id, now + periodMs + holdMs);
    return { id };
  }
  release(_account: string, id: string, periodMs: number) {
    if (this.down) return Promise.reject(new Error("offline"));
    if (this.members.has(id)) this.members.set(id, this.now() + periodMs);
    return Promise.resolve();
  }
  cancel(_account: string, id: string) {
    this.members.delete(id);
    return Promise.resolve();
  }
  get counted(): number {
    return this.members.size;
  }
}

/** A shared budget of `limit` calls a second on a MemoryRateStore; `said` logs its outages. */
export function sharedBudget(limit: number, retryStoreMs?: number) {
  const store = new MemoryRateStore(Date.now);
  const said: string[] = [];
  const budget = new SharedBudget(limit, 1_000, {
    account: "acct",
    store,
    holdMs: 10_000,
    retryStoreMs,
    outage: { down: (e) => said.push(`down ${e.message}`), up: () => said.push("up") },
  });
  return { store, budget, said };
}

/**
 * A call through the limiter that ends when its `answer` is called: `log` gets its name once it is
 * let go, `queued` counts the times it was told it waits.
 */
export function call(limiter: Limiter, log: string[], name: string, controller = new AbortController()) {
  const place = limiter.reserve();
  let answer!: () => void;
  const told = { queued: 0 };
  const done = limiter
    .run(
      () =>
        new Promise<void>((resolve) => {
          log.push(name);
          answer = resolve;
        }),
      { signal: controller.signal, vendor: "Test", place, onQueued: () => (told.queued += 1) },
    )
    .finally(() => limiter.settle(place));
  return { done, answer: () => answer(), place, told };
}
