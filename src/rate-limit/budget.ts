// An account's budget of API calls: at most `limit` calls in any window of `periodMs`, counted the
// strict way. A call holds its slot from the moment it is let go until `periodMs` after its answer:
// the vendor sees it arrive somewhere in between, so whatever window the vendor counts in, it never
// sees more than `limit` (a window that ends on the answer's arrival cannot be cheated by latency).
// LocalBudget is one instance's; shared-budget.ts adds the instances' common one in Redis.

/** A call's hold on the budget. */
export interface Slot {
  /** The call was sent and its answer (or failure) is in: it counts for one more period. */
  end(): void;
  /** The call was never sent (aborted before it went out): its slot is free at once. */
  cancel(): void;
}

/** A slot now, or when to ask again (`retryInMs` undefined: when a call of this instance ends). */
export type Take = { readonly slot: Slot } | { readonly slot?: undefined; readonly retryInMs?: number };

export interface Budget {
  take(): Take | Promise<Take>;
}

export class LocalBudget implements Budget {
  private inFlight = 0;
  /** When each ended call stops counting, oldest first. */
  private readonly ending: number[] = [];

  constructor(
    readonly limit: number,
    readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(): Take {
    const now = this.now();
    while (this.ending.length > 0 && this.ending[0] <= now) this.ending.shift();
    if (this.inFlight + this.ending.length >= this.limit)
      return { retryInMs: this.ending.length > 0 ? this.ending[0] - now : undefined };
    this.inFlight += 1;
    let held = true;
    const free = (until?: number) => {
      if (!held) return;
      held = false;
      this.inFlight -= 1;
      if (until !== undefined) this.remember(until);
    };
    return { slot: { end: () => free(this.now() + this.periodMs), cancel: () => free() } };
  }

  private remember(until: number): void {
    this.ending.push(until);
    // A clock set back: keep the order the pruning relies on.
    const last = this.ending.length - 1;
    if (last > 0 && this.ending[last - 1] > until) this.ending.sort((a, b) => a - b);
  }
}
