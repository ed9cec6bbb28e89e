// The queue in front of an account's API calls: each call waits its turn, first in, first out, for
// a slot of the account's budget (budget.ts) and for the end of a pause a busy vendor asked for
// (Retry-After). None is dropped: past `maxQueue` waiting calls a new one is refused at once with
// an error that says so. One pump per account asks the budget for the head of the queue only, so
// the order holds and a shared budget is asked once at a time. close() rejects every waiting call
// and leaves no timer.
import { TokenError } from "../errors";
import type { Budget, Slot } from "./budget";

export interface LimiterOptions {
  /** Without one, calls wait only for a pause. */
  budget?: Budget;
  maxQueue: number;
  /** For the queue-full error: the limit as the user set it. */
  limit?: number;
  periodMs?: number;
  now?: () => number;
}

export interface TurnOptions {
  signal: AbortSignal;
  /** How errors name the vendor. */
  vendor: string;
  /** The call's place in line (reserve()): a call sent again keeps it, ahead of later ones. */
  place: Place;
  /** Told when the call has to wait in the queue. */
  onQueued?: () => void;
}

/** A call's place in line, taken when the call starts (before it waits for its token). */
export interface Place {
  readonly ticket: number;
  /** Whether it has come to the queue once (a call sent again is never refused). */
  entered: boolean;
}

interface Waiter {
  readonly ticket: number;
  grant(slot: Slot): void;
  fail(): void;
  /** Told once that it waits (the status shows it). */
  queued(): void;
}

const FREE: Slot = { end: () => undefined, cancel: () => undefined };

export class Limiter {
  private readonly budget?: Budget;
  private readonly maxQueue: number;
  private readonly now: () => number;
  private readonly queue: Waiter[] = [];
  private nextTicket = 0;
  /** Places taken by calls still on their way to the queue (fetching a token): later calls wait for them. */
  private readonly reserved = new Set<number>();
  private pausedUntil = 0;
  private timer?: NodeJS.Timeout;
  private pumping = false;
  private pumpAgain = false;
  private closed = false;

  constructor(private readonly options: LimiterOptions) {
    this.budget = options.budget;
    this.maxQueue = options.maxQueue;
    this.now = options.now ?? Date.now;
  }

  /** Calls waiting for their turn now. */
  get queued(): number {
    return this.queue.length;
  }

  /** Ms left of the pause a busy vendor asked for (0: none). */
  get pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /**
   * A place in line for a call that starts now: calls let go in the order they started, whatever
   * each still had to wait for before its turn (a token). settle() it when the call is done.
   */
  reserve(): Place {
    const place = { ticket: ++this.nextTicket, entered: false };
    this.reserved.add(place.ticket);
    return place;
  }

  /** The call is done, or ended before its turn: the calls behind it no longer wait for it. */
  settle(place: Place): void {
    if (this.reserved.delete(place.ticket) && this.queue.length > 0) this.pump();
  }

  /** Let no call go for `ms` (the vendor's Retry-After): every call of the account waits, not only the refused one. */
  pause(ms: number): void {
    if (this.closed) return;
    const until = this.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.pump();
  }

  /** `work` run in the call's turn: once it is at the head of the queue, unpaused, with a slot of the budget. */
  async run<T>(work: () => Promise<T>, options: TurnOptions): Promise<T> {
    const free = !this.budget && this.queue.length === 0 && this.pausedUntil <= this.now();
    if (free && !this.closed) this.enter(options.place);
    const slot = free && !this.closed ? FREE : await this.turn(options);
    try {
      return await work();
    } finally {
      // Counted as sent even when it failed before going out (a token request that failed): the safe side.
      slot.end();
      if (this.queue.length > 0) this.pump();
    }
  }

  /** Reject every waiting call (the account is closing) and stop every timer. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reserved.clear();
    const waiting = this.queue.splice(0);
    for (const waiter of waiting) waiter.fail();
  }

  private turn(options: TurnOptions): Promise<Slot> {
    const { signal, vendor, place } = options;
    const aborted = () => new TokenError({ kind: "aborted", vendor, key: "aborted" });
    if (this.closed || signal.aborted) return Promise.reject(aborted());
    // A call sent again (busy vendor, expired token) keeps its place and is never refused: it was let in once.
    if (!place.entered && this.queue.length >= this.maxQueue) return Promise.reject(this.queueFull(vendor));
    this.enter(place);
    const ticket = place.ticket;
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        this.remove(waiter);
        reject(aborted());
      };
      const waiter: Waiter = {
        ticket,
        grant: (slot) => {
          signal.removeEventListener("abort", onAbort);
          resolve(slot);
        },
        fail: () => {
          signal.removeEventListener("abort", onAbort);
          reject(aborted());
        },
        queued: () => {
          if (told) return;
          told = true;
          options.onQueued?.();
        },
      };
      let told = false;
      signal.addEventListener("abort", onAbort, { once: true });
      // Behind another call, or paused: it waits. At the head it waits only if the pump finds no slot.
      if (this.queue.length > 0 || this.pausedFor > 0) waiter.queued();
      this.insert(waiter);
      this.pump();
    });
  }

  private enter(place: Place): void {
    place.entered = true;
    this.reserved.delete(place.ticket);
  }

  /** Whether a call that started before the head is still on its way to the queue. */
  private earlierOnItsWay(ticket: number): boolean {
    for (const reserved of this.reserved) if (reserved < ticket) return true;
    return false;
  }

  /** In ticket order: almost always at the end; a resend goes before every later call. */
  private insert(waiter: Waiter): void {
    let index = this.queue.length;
    while (index > 0 && this.queue[index - 1].ticket > waiter.ticket) index -= 1;
    this.queue.splice(index, 0, waiter);
  }

  private remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    // The head may have left: the next one asks.
    if (index === 0) this.pump();
  }

  /** Let the head of the queue go while it can; a call ending or a timer asks again. */
  readonly pump = (): void => {
    this.pumpAgain = true;
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.drain();
  };

  private async drain(): Promise<void> {
    try {
      while (this.pumpAgain && !this.closed) {
        this.pumpAgain = false;
        await this.grantWhileFree();
      }
    } finally {
      // In the same step as the last look at pumpAgain: a pump() from now on starts a new drain.
      this.pumping = false;
    }
  }

  private async grantWhileFree(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const paused = this.pausedFor;
      if (paused > 0) return this.wait(paused);
      // First in, first out: its enter() or settle() asks again.
      if (this.earlierOnItsWay(this.queue[0].ticket)) return;
      let slot: Slot | undefined = FREE;
      if (this.budget) {
        // A local budget answers at once: the head is let go in the same tick it came (the queue's length stays true).
        const asked = this.budget.take();
        const taken = asked instanceof Promise ? await asked : asked;
        if (!taken.slot) return this.wait(taken.retryInMs);
        slot = taken.slot;
        // A pause (another call's 429 or 503) that came while the shared budget was asked: the slot
        // goes back and the head waits the pause out.
        const pausedMeanwhile = this.pausedFor;
        if (pausedMeanwhile > 0) {
          slot.cancel();
          return this.wait(pausedMeanwhile);
        }
      }
      const head = this.queue.shift();
      // The last call left (aborted) or the limiter closed while the budget was asked: the slot goes
      // back, and no one is left to let go (a call behind the one that left is the head now).
      if (!head || this.closed) {
        slot.cancel();
        return;
      }
      head.grant(slot);
    }
  }

  /** The head waits: for `ms`, or (undefined) until a call of this instance ends. */
  private wait(ms: number | undefined): void {
    this.queue[0]?.queued();
    if (ms !== undefined) this.wake(ms);
  }

  private wake(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  private queueFull(vendor: string): TokenError {
    const { limit, periodMs } = this.options;
    return new TokenError({
      kind: "queue",
      vendor,
      key: "queue-full",
      params: {
        queued: this.queue.length,
        max: this.maxQueue,
        limit: limit ?? "-",
        period: periodMs === undefined ? "-" : periodMs / 1000,
      },
    });
  }
}
