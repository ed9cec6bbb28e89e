// An in-memory SharedTokenStore with the Redis store's semantics (fenced lock with expiry, share and
// release only while the lock is ours, wake-ups), on the injected clock: the coordination's
// interleavings run on fake timers in milliseconds, next to the real-Redis tests.
import type { SharedTokenStore } from "../../src/shared-cache/shared-token-store";
import type { Token } from "../../src/token";

export class MemoryTokenStore implements SharedTokenStore {
  tokens = new Map<string, { token: Token; until: number }>();
  locks = new Map<string, { fence: number; until: number }>();
  private fence = 0;
  private readonly listeners = new Map<string, Set<() => void>>();
  /** Set to make every call fail, as a Redis that went away. */
  down = false;

  constructor(private readonly now: () => number) {}

  private check(): void {
    if (this.down) throw new Error("store down");
  }

  lockOf(account: string): number | undefined {
    const lock = this.locks.get(account);
    return lock && lock.until > this.now() ? lock.fence : undefined;
  }

  async read(account: string): Promise<Token | undefined> {
    this.check();
    const entry = this.tokens.get(account);
    return entry && entry.until > this.now() ? entry.token : undefined;
  }

  async tryLock(account: string, ttlMs: number): Promise<number | undefined> {
    this.check();
    this.fence += 1;
    if (this.lockOf(account) !== undefined) return undefined;
    this.locks.set(account, { fence: this.fence, until: this.now() + ttlMs });
    return this.fence;
  }

  async share(account: string, fence: number, token: Token, _macKey: Buffer, ttlMs: number): Promise<boolean> {
    this.check();
    if (this.lockOf(account) !== fence) return false;
    this.tokens.set(account, { token, until: this.now() + ttlMs });
    this.locks.delete(account);
    this.wake(account);
    return true;
  }

  async unlock(account: string, fence: number): Promise<void> {
    this.check();
    if (this.lockOf(account) !== fence) return;
    this.locks.delete(account);
    this.wake(account);
  }

  watch(account: string, listener: () => void): () => void {
    let set = this.listeners.get(account);
    if (!set) this.listeners.set(account, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** How many waiters watch this account now (each stops watching when its wait ends). */
  watching(account: string): number {
    return this.listeners.get(account)?.size ?? 0;
  }

  private wake(account: string): void {
    this.listeners.get(account)?.forEach((listener) => listener());
  }
}

type Operation = "read" | "tryLock" | "share" | "unlock";

/**
 * One instance's connection to a shared store: each call reaches the store at once and its answer
 * comes back latencyMs later (on the fake clock), so a notification can land while a call is out.
 * Counts the calls, and can lose the next one of an operation (a command that timed out).
 */
export class RoundTrips implements SharedTokenStore {
  readonly calls: Record<Operation, number> = { read: 0, tryLock: 0, share: 0, unlock: 0 };
  private losing?: Operation;

  constructor(
    private readonly store: SharedTokenStore,
    private readonly latencyMs: number,
  ) {}

  loseNext(operation: Operation): void {
    this.losing = operation;
  }

  read(account: string, macKey: Buffer): Promise<Token | undefined> {
    return this.answer("read", () => this.store.read(account, macKey));
  }

  tryLock(account: string, ttlMs: number): Promise<number | undefined> {
    return this.answer("tryLock", () => this.store.tryLock(account, ttlMs));
  }

  share(account: string, fence: number, token: Token, macKey: Buffer, ttlMs: number): Promise<boolean> {
    return this.answer("share", () => this.store.share(account, fence, token, macKey, ttlMs));
  }

  unlock(account: string, fence: number): Promise<void> {
    return this.answer("unlock", () => this.store.unlock(account, fence));
  }

  watch(account: string, listener: () => void): () => void {
    return this.store.watch(account, listener);
  }

  private async answer<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    this.calls[operation] += 1;
    const lost = this.losing === operation;
    if (lost) this.losing = undefined;
    // Settled now (the store acts on arrival), handed back after the latency.
    const outcome = lost
      ? Promise.resolve({ error: new Error(`${operation} timed out`) })
      : call().then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const settled = await outcome;
    if ("error" in settled) throw settled.error;
    return settled.value;
  }
}
