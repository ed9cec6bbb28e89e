// The steps that pace an API call, wrapping the attempt as call.ts's steps do: inTurn sends it in
// its turn at the account's limiter (rate limit, a busy vendor's pause), with a token still fresh
// after the wait; waitWhenBusy, on 429 or 503, pauses every call of the account for the vendor's
// Retry-After (1, 2, 4 ... s without one) and sends again, as long as the call's wait stays within
// maxWait. Token requests take no turn: vendors limit API calls, and their token endpoints apart.
import type { Limiter, Place } from "../rate-limit/limiter";
import type { Token } from "../token";
import type { Attempt, CallStep } from "./call";

export interface PaceOptions {
  signal: AbortSignal;
  vendor: string;
  onQueued?: () => void;
}

/**
 * Each try of `attempt` in its turn, at the call's place in line (taken when the call started, kept
 * between tries); `fresh` gives the token to send with once it is its turn (the one it waited with
 * may have neared its expiry).
 */
export function inTurn(
  attempt: CallStep,
  limiter: Limiter,
  place: Place,
  fresh: (token: Token | undefined) => Promise<Token | undefined>,
  options: PaceOptions,
): CallStep {
  return (token) => limiter.run(async () => attempt(await fresh(token)), { ...options, place });
}

export interface BusyOptions {
  /** The longest a call waits in all, from its first busy answer. */
  maxWaitMs: number;
  /** Hold every call of the account for this long. */
  pause(ms: number): void;
  /** Told of each wait (for a node's status). */
  onWait?: (ms: number) => void;
  now?: () => number;
}

/** A vendor asking to wait: 429 Too Many Requests, 503 Service Unavailable. */
export function isBusy(attempt: Attempt): boolean {
  const { status } = attempt.answer;
  return attempt.verdict.outcome === "error" && (status === 429 || status === 503);
}

/** The first wait without Retry-After; each next one doubles. */
const FIRST_BACKOFF_MS = 1000;

export function waitWhenBusy(attempt: CallStep, busy: BusyOptions | undefined): CallStep {
  if (!busy) return attempt;
  const now = busy.now ?? Date.now;
  return async (token) => {
    let since: number | undefined;
    for (let tries = 0; ; tries += 1) {
      const result = await attempt(token);
      if (!isBusy(result)) return result;
      const asked = result.verdict.outcome === "error" ? result.verdict.retryAfterMs : undefined;
      const waitMs = asked ?? FIRST_BACKOFF_MS * 2 ** tries;
      since ??= now();
      // Past maxWait the answer goes to the node as it came (to Catch, as with busy "catch").
      if (now() - since + waitMs > busy.maxWaitMs) return result;
      busy.pause(waitMs);
      busy.onWait?.(waitMs);
    }
  };
}
