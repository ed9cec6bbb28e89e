// The budget every instance shares through a store (Redis: shared-cache/redis-rate-store.ts). The
// instance's own calls are a part of the account's, so its local budget is asked first (no round
// trip while it is full) and keeps counting them, which makes the fallback seamless: while the store
// is down each instance keeps the whole budget locally, says so once, and asks the store again
// every few seconds; the first answer puts it back on the shared budget.
import { LocalBudget, type Budget, type Slot, type Take } from "./budget";

/** Where instances count an account's calls (one entry per call, until it stops counting). */
export interface RateStore {
  /**
   * Count a call in the account's window of `periodMs` if fewer than `limit` count now; it counts
   * until `release` or, if that never comes, `holdMs` after the period. Resolves its id, or when
   * to ask again (undefined: soon).
   */
  acquire(
    account: string,
    limit: number,
    periodMs: number,
    holdMs: number,
  ): Promise<{ readonly id: string } | { readonly id?: undefined; readonly retryInMs?: number }>;
  /** The call's answer is in: it counts until `periodMs` from now. */
  release(account: string, id: string, periodMs: number): Promise<void>;
  /** The call was never sent: it stops counting now. */
  cancel(account: string, id: string): Promise<void>;
}

/** Reports the store's outages: once when it goes away, once when it is back. */
export interface RateOutage {
  down(error: Error): void;
  up(): void;
}

export interface SharedBudgetOptions {
  account: string;
  store: RateStore;
  outage: RateOutage;
  /** The longest a call may take (its HTTP timeout and some): an instance that dies frees its slots after this. */
  holdMs: number;
  /** How long to count on the local budget alone after the store failed. */
  retryStoreMs?: number;
  /** When the store does not say when its earliest entry stops counting: how soon to ask again. */
  pollMs?: number;
  now?: () => number;
}

export class SharedBudget implements Budget {
  private readonly local: LocalBudget;
  private readonly retryStoreMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private downUntil?: number;

  constructor(
    readonly limit: number,
    readonly periodMs: number,
    private readonly options: SharedBudgetOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.local = new LocalBudget(limit, periodMs, this.now);
    this.retryStoreMs = options.retryStoreMs ?? 2_000;
    this.pollMs = options.pollMs ?? 50;
  }

  async take(): Promise<Take> {
    const local = this.local.take();
    if (!local.slot) return local;
    if (this.downUntil !== undefined && this.now() < this.downUntil) return local;
    const { account, store, holdMs } = this.options;
    try {
      const shared = await store.acquire(account, this.limit, this.periodMs, holdMs);
      this.reached();
      if (shared.id === undefined) {
        local.slot.cancel();
        // The earliest entry stops counting first. An entry still in flight stops no sooner than a
        // period from now, and an entry whose answer is in has its exact time: no need to look sooner.
        return { retryInMs: Math.min(shared.retryInMs ?? this.pollMs, this.periodMs) };
      }
      return { slot: this.both(local.slot, shared.id) };
    } catch (err) {
      this.failed(err);
      return local;
    }
  }

  private both(local: Slot, id: string): Slot {
    const { account, store, periodMs } = { ...this.options, periodMs: this.periodMs };
    // A release that fails leaves the entry to expire after holdMs: never counted short.
    const quietly = (operation: Promise<void>) => operation.catch((err: unknown) => this.failed(err));
    return {
      end: () => {
        local.end();
        void quietly(store.release(account, id, periodMs));
      },
      cancel: () => {
        local.cancel();
        void quietly(store.cancel(account, id));
      },
    };
  }

  private reached(): void {
    if (this.downUntil === undefined) return;
    this.downUntil = undefined;
    this.options.outage.up();
  }

  private failed(err: unknown): void {
    const first = this.downUntil === undefined;
    this.downUntil = this.now() + this.retryStoreMs;
    if (first) this.options.outage.down(err instanceof Error ? err : new Error(String(err)));
  }
}
