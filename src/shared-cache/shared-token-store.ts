// Where instances that use the same credentials share one token, and the lock that lets only one
// of them ask the vendor. Implemented over Redis (redis-token-store.ts); an interface so the
// coordination (shared-refresh.ts) is tested without a server and another backend is one file.
import type { Token } from "../token";

export interface SharedTokenStore {
  /** The token an instance shared for this account (valid or not), or undefined when there is none. */
  read(account: string): Promise<Token | undefined>;
  /** Take the account's refresh lock for ttlMs: resolves with the lock's id, or undefined when another instance holds it. */
  tryLock(account: string, ttlMs: number): Promise<string | undefined>;
  /** Share a token for ttlMs (its remaining lifetime). Holds the token and its times, never a credential. */
  write(account: string, token: Token, ttlMs: number): Promise<void>;
  /** Release the lock if it is still ours (an expired lock may since belong to another instance). */
  unlock(account: string, lockId: string): Promise<void>;
}
