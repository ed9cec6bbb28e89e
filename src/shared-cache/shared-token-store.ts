// Where instances that use the same credentials share one token, and the lock that lets only one
// of them ask the vendor. Implemented over Redis (redis-token-store.ts); an interface so the
// coordination (shared-refresh.ts) is also tested on an in-memory store with fake timers.
import type { Token } from "../token";

export interface SharedTokenStore {
  /** The token an instance shared for this account and signed with macKey (valid or not), or undefined. */
  read(account: string, macKey: Buffer): Promise<Token | undefined>;
  /**
   * Take the account's refresh lock for ttlMs: resolves with its fencing token (a number that grows
   * with every lock taken), or undefined when another instance holds it.
   */
  tryLock(account: string, ttlMs: number): Promise<number | undefined>;
  /**
   * Share a token (for ttlMs, its remaining lifetime) and release the lock, in one step and only
   * while the lock is still ours (fence): a holder whose lock expired never overwrites the next
   * holder's token. Wakes the waiters. Resolves false when the lock was no longer ours.
   */
  share(account: string, fence: number, token: Token, macKey: Buffer, ttlMs: number): Promise<boolean>;
  /** Release the lock if it is still ours (fence) and wake the waiters: they take it and try themselves. */
  unlock(account: string, fence: number): Promise<void>;
  /**
   * Be told when this account's token is shared or its lock released (pub/sub). Best effort: a
   * waiter also looks again now and then, for a holder that died or a notification that was lost.
   */
  watch(account: string, listener: () => void): () => void;
}
