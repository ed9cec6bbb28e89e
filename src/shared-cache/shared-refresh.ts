// The refresh path when instances share a token: adopt the shared token if it will do; otherwise
// take the lock and be the one instance that asks the vendor, or wait for the one that holds it,
// woken when it shares (pub/sub), looking again now and then only as the fallback. Every store
// failure falls back to asking the vendor ourselves: a shared cache that is down may cost one
// request per instance, never a failed message. A lock we took is released whatever happens, and
// settled() lets the owner wait for that before it closes the connection.
import { isFresh, type Token } from "../token";
import type { SharedCache, Wanted } from "../token-source";
import type { OutageReporter } from "./outage-log";
import type { SharedTokenStore } from "./shared-token-store";

export { OutageLog, type OutageReporter } from "./outage-log";

export interface SharedRefreshOptions {
  store: SharedTokenStore;
  outage: OutageReporter;
  /** How long a lock holder may take (its HTTP timeout and some): a dead holder's lock expires after this. */
  lockTtlMs: number;
  /** How often a waiter looks again without a notification (a holder that died, a lost message). */
  pollMs?: number;
  now?: () => number;
}

/** The lock outlives the holder's slowest vendor request (its HTTP timeout) plus a few Redis round trips. */
export function lockTtlFor(httpTimeoutMs: number): number {
  return httpTimeoutMs + 5_000;
}

const FAILED = Symbol("store failed");
type Outcome<T> = T | typeof FAILED;

export class SharedRefresh implements SharedCache {
  private readonly store: SharedTokenStore;
  private readonly outage: OutageReporter;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  /** Locks held now, each until its release has been answered (or failed). */
  private readonly holding = new Set<Promise<void>>();

  constructor(options: SharedRefreshOptions) {
    this.store = options.store;
    this.outage = options.outage;
    this.lockTtlMs = options.lockTtlMs;
    this.pollMs = options.pollMs ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Resolves once every lock taken so far is released: call after aborting, before closing the connection. */
  async settled(): Promise<void> {
    while (this.holding.size > 0) await Promise.allSettled([...this.holding]);
  }

  async obtain(account: string, wanted: Wanted, signal: AbortSignal, fetch: () => Promise<Token>): Promise<Token> {
    const first = await this.call(signal, () => this.store.read(account, wanted.macKey));
    if (first === FAILED) return fetch();
    if (this.adoptable(first, wanted)) return first;
    const wake = new Wake(this.store, account);
    let fence: number;
    try {
      // Bounded: a holder's lock expires after lockTtlMs, and then tryLock succeeds; the deadline only
      // guards against a store whose clock or expiry misbehaves.
      const deadline = this.now() + this.lockTtlMs + 2 * this.pollMs;
      for (;;) {
        const lock = await this.call(signal, () => this.store.tryLock(account, this.lockTtlMs));
        if (lock === FAILED) return await fetch();
        if (lock !== undefined) {
          fence = lock;
          break;
        }
        if (this.now() >= deadline) return await fetch();
        await wake.next(this.pollMs, signal);
        const seen = await this.call(signal, () => this.store.read(account, wanted.macKey));
        if (seen === FAILED) return await fetch();
        if (this.adoptable(seen, wanted)) return seen;
      }
    } finally {
      wake.stop();
    }
    return this.fetchAsHolder(account, fence, wanted, signal, fetch);
  }

  private async fetchAsHolder(
    account: string,
    fence: number,
    wanted: Wanted,
    signal: AbortSignal,
    fetch: () => Promise<Token>,
  ): Promise<Token> {
    let released!: () => void;
    const held = new Promise<void>((resolve) => (released = resolve));
    this.holding.add(held);
    let shared = false;
    try {
      // Another instance may have shared a token between our read and our lock.
      const again = await this.call(signal, () => this.store.read(account, wanted.macKey));
      if (again !== FAILED && this.adoptable(again, wanted)) return again;
      const token = await fetch();
      const ttlMs = token.expiresAt - this.now();
      if (ttlMs > 0) {
        const done = await this.call(signal, () => this.store.share(account, fence, token, wanted.macKey, ttlMs));
        shared = done !== FAILED;
      }
      return token;
    } finally {
      // share() released the lock (or found it no longer ours); otherwise release it now, even when
      // closing: the waiters take it at once instead of waiting out its TTL.
      if (!shared) await this.call(signal, () => this.store.unlock(account, fence));
      this.holding.delete(held);
      released();
    }
  }

  private adoptable(token: Token | undefined, wanted: Wanted): token is Token {
    if (!token) return false;
    const now = this.now();
    if (!isFresh(token, now, wanted.marginMs)) return false;
    if (wanted.stale !== undefined)
      return token.value !== wanted.stale && token.obtainedAt >= (wanted.staleObtainedAt ?? -Infinity);
    return !wanted.forced || token.obtainedAt >= wanted.startedAt;
  }

  /** A store call whose failure is reported (once per outage) and turned into FAILED, never thrown. */
  private async call<T>(signal: AbortSignal, operation: () => Promise<T>): Promise<Outcome<T>> {
    try {
      const result = await operation();
      this.outage.ok();
      return result;
    } catch (err) {
      // After close the client is gone on purpose: that is no outage.
      if (!signal.aborted) this.outage.failed(err instanceof Error ? err : new Error(String(err)));
      return FAILED;
    }
  }
}

/** A waiter's wake-ups: a notification since the last look ends the next wait at once. */
class Wake {
  private pending = false;
  private resume?: () => void;
  private readonly unwatch: () => void;

  constructor(store: SharedTokenStore, account: string) {
    this.unwatch = store.watch(account, () => {
      this.pending = true;
      this.resume?.();
    });
  }

  /** Until a notification, pollMs, or the abort (rejects). Leaves no timer or listener behind. */
  next(pollMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortReason(signal));
      if (this.pending) {
        this.pending = false;
        return resolve();
      }
      const done = (error?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.resume = undefined;
        this.pending = false;
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => done(abortReason(signal));
      const timer = setTimeout(done, pollMs);
      this.resume = () => done();
      // No `once`: done() removes it, on every way out.
      signal.addEventListener("abort", onAbort);
    });
  }

  stop(): void {
    this.resume = undefined;
    this.unwatch();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("aborted");
}
