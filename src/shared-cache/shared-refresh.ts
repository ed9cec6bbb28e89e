// The refresh path when instances share a token: adopt the shared token if it will do; otherwise
// take the lock and be the one instance that asks the vendor, or wait for the one that holds it.
// Every store failure falls back to asking the vendor ourselves: a shared cache that is down may
// cost one request per instance, never a failed message.
import { formatMessage, type MessageParams } from "../messages";
import { isFresh, type Token } from "../token";
import type { SharedCache, Wanted } from "../token-source";
import type { SharedTokenStore } from "./shared-token-store";

/** Tells the runtime's log when the shared store goes away and comes back: once per outage, not per message. */
export interface OutageReporter {
  failed(error: Error): void;
  ok(): void;
}

export interface SharedRefreshOptions {
  store: SharedTokenStore;
  outage: OutageReporter;
  /** How long a lock holder may take (its HTTP timeout and some): a dead holder's lock expires after this. */
  lockTtlMs: number;
  /** How often a waiting instance looks for the holder's token. */
  pollMs?: number;
  now?: () => number;
}

const FAILED = Symbol("store failed");
type Outcome<T> = T | typeof FAILED;

export class SharedRefresh implements SharedCache {
  private readonly store: SharedTokenStore;
  private readonly outage: OutageReporter;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(options: SharedRefreshOptions) {
    this.store = options.store;
    this.outage = options.outage;
    this.lockTtlMs = options.lockTtlMs;
    this.pollMs = options.pollMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  async obtain(account: string, wanted: Wanted, signal: AbortSignal, fetch: () => Promise<Token>): Promise<Token> {
    const first = await this.call(signal, () => this.store.read(account));
    if (first === FAILED) return fetch();
    if (this.adoptable(first, wanted)) return first;
    // Bounded: a holder's lock expires after lockTtlMs, and then tryLock succeeds; the deadline only
    // guards against a store whose clock or expiry misbehaves.
    const deadline = this.now() + this.lockTtlMs + 2 * this.pollMs;
    let lockId: string | undefined;
    for (;;) {
      const lock = await this.call(signal, () => this.store.tryLock(account, this.lockTtlMs));
      if (lock === FAILED) return fetch();
      if (lock !== undefined) {
        lockId = lock;
        break;
      }
      if (this.now() >= deadline) return fetch();
      await sleep(this.pollMs, signal);
      const seen = await this.call(signal, () => this.store.read(account));
      if (seen === FAILED) return fetch();
      if (this.adoptable(seen, wanted)) return seen;
    }
    return this.fetchAsHolder(account, lockId, wanted, signal, fetch);
  }

  private async fetchAsHolder(
    account: string,
    lockId: string,
    wanted: Wanted,
    signal: AbortSignal,
    fetch: () => Promise<Token>,
  ): Promise<Token> {
    try {
      // Another instance may have shared a token between our read and our lock.
      const again = await this.call(signal, () => this.store.read(account));
      if (again !== FAILED && this.adoptable(again, wanted)) return again;
      const token = await fetch();
      const ttlMs = token.expiresAt - this.now();
      if (ttlMs > 0) await this.call(signal, () => this.store.write(account, token, ttlMs));
      return token;
    } finally {
      // On success the waiters find the token; on failure they take the lock and try themselves.
      await this.call(signal, () => this.store.unlock(account, lockId));
    }
  }

  private adoptable(token: Token | undefined, wanted: Wanted): token is Token {
    if (!token) return false;
    const now = this.now();
    if (!isFresh(token, now, wanted.marginMs)) return false;
    if (wanted.stale !== undefined) return token.value !== wanted.stale;
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

/** Wait, or stop at once when the token source closes. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) {
      aborted();
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      aborted();
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Logs the first failure of an outage and the recovery; silent in between. */
export class OutageLog implements OutageReporter {
  private down = false;

  constructor(
    private readonly where: string,
    private readonly log: { warn(text: string): void; info(text: string): void },
    private readonly translate: (key: string, params: MessageParams) => string = formatMessage,
  ) {}

  failed(error: Error): void {
    if (this.down) return;
    this.down = true;
    // The client's errors already name host:port; a bare error reply does not.
    const detail = error.name === "RedisError" ? error.message : `${this.where}: ${error.message}`;
    this.log.warn(this.translate("access-token.warn.shared-cache-down", { detail }));
  }

  ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info(this.translate("access-token.warn.shared-cache-up", { where: this.where }));
  }
}
