// What an api request node's status shows while its calls wait at the credentials node's queue:
// "waiting: 37 queued" (the account's queue, as it shrinks) or the wait a busy vendor asked for. At
// most a few updates a second, whatever the number of messages; the next answer shows the token
// again. No timer outlives close().
import type { Limiter } from "../rate-limit/limiter";
import type { TokenStatus } from "./token-status";

/** Updates at most this often. */
const INTERVAL_MS = 250;

export class CallStatus {
  private timer?: NodeJS.Timeout;
  /** This node's calls that wait now. */
  private waiting = 0;
  private closed = false;

  constructor(private readonly status: TokenStatus) {}

  /** A call of this node waits in `limiter`'s queue until `until` settles. */
  queued(limiter: Limiter, until: Promise<unknown>): void {
    if (this.closed) return;
    this.waiting += 1;
    this.show(limiter);
    void until
      .catch(() => undefined)
      .finally(() => {
        this.waiting -= 1;
      });
  }

  /** A call of this node waits `ms` for a busy vendor. */
  busy(ms: number): void {
    if (!this.closed) this.status.busy(Math.ceil(ms / 1000));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private show(limiter: Limiter): void {
    if (this.timer) return;
    this.status.waiting(limiter.queued);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiting > 0 && limiter.queued > 0 && !this.closed) this.show(limiter);
    }, INTERVAL_MS);
  }
}
