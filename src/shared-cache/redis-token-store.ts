// The shared token store in Redis. An account's keys share one hash tag, so they sit in one Cluster
// slot: {prefix}:{<sha256 of the account>}:token | :written | :lock | :fence (the account name holds
// the app id, so keys carry its hash). The token entry is MAC-signed (redis-entry.ts) and expires
// with the token. The lock is SET NX PX holding a fencing token from INCR and the store's own id; it
// is released (and the token written) with WATCH/MULTI/EXEC only while it still holds both: no
// script, so a Redis user without script permission (ACL -@scripting) releases it too. Waiters are
// woken over pub/sub.
// Replays: the write also sets :written, the mark of the entry it wrote, and only the entry that
// mark names is adopted; an older genuine entry put back is refused. The mark follows the last
// write, not the fence counter: every try for the lock counts the fence up (a waiter's too), and
// the entry before a holder's lock, found by its second read or left by a holder that crashed
// before writing, is still the newest token: refusing it would cost a vendor request each time.
import { createHash, randomBytes } from "node:crypto";
import { MAX_LIFETIME_MS, type Token } from "../token";
import { decodeEntry, encodeEntry } from "./redis-entry";
import type { ExclusiveClient, RedisConnection } from "./redis-connection";
import type { SharedTokenStore } from "./shared-token-store";

/** A fence counter outlives any lock by far; after a day idle it may start again. */
const FENCE_TTL_MS = 24 * 60 * 60 * 1000;

export interface RedisTokenStoreOptions {
  prefix: string;
  /** An entry failed its MAC or the token rules: logged once per key by the caller. */
  onForged?: (key: string) => void;
  /** A genuine entry that is not the last one written (an older one put back): logged once per key by the caller. */
  onReplayed?: (key: string) => void;
  now?: () => number;
}

export class RedisTokenStore implements SharedTokenStore {
  private readonly prefix: string;
  private readonly onForged: (key: string) => void;
  private readonly onReplayed: (key: string) => void;
  private readonly now: () => number;
  private readonly listeners = new Map<string, Set<() => void>>();
  private subscribed?: Promise<void>;
  /**
   * Written into our locks next to the fence: a Redis restarted with nothing persisted counts fences
   * from 1 again, and a holder from before the restart must not take a new holder's lock for its own.
   * (A store holds one lock per account at a time: its token source refreshes one at a time.)
   */
  private readonly owner = randomBytes(8).toString("hex");

  constructor(
    private readonly redis: RedisConnection,
    options: RedisTokenStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.onForged = options.onForged ?? (() => undefined);
    this.onReplayed = options.onReplayed ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** The channel that says "this account's token was shared or its lock released"; the message is the account's hash. */
  get channel(): string {
    return `${this.prefix}:shared`;
  }

  tokenKey(account: string): string {
    return `${this.prefix}:{${accountHash(account)}}:token`;
  }

  /** The mark of the entry last written under the lock (redis-entry.ts). */
  writtenKey(account: string): string {
    return `${this.prefix}:{${accountHash(account)}}:written`;
  }

  lockKey(account: string): string {
    return `${this.prefix}:{${accountHash(account)}}:lock`;
  }

  fenceKey(account: string): string {
    return `${this.prefix}:{${accountHash(account)}}:fence`;
  }

  async read(account: string, macKey: Buffer): Promise<Token | undefined> {
    const key = this.tokenKey(account);
    // One round trip for the entry and its mark (one slot: the keys share a hash tag).
    const reply = await this.redis.command(key, ["MGET", key, this.writtenKey(account)]);
    const [text, written] = Array.isArray(reply) ? reply : [];
    const token = decodeEntry(asText(text), asText(written), { key, macKey }, this.now());
    if (token === "forged") this.onForged(key);
    if (token === "replayed") this.onReplayed(key);
    return typeof token === "object" ? token : undefined;
  }

  async tryLock(account: string, ttlMs: number): Promise<number | undefined> {
    const fenceKey = this.fenceKey(account);
    const fence = Number(await this.redis.command(fenceKey, ["INCR", fenceKey]));
    await this.redis.command(fenceKey, ["PEXPIRE", fenceKey, String(FENCE_TTL_MS)]);
    const lockKey = this.lockKey(account);
    const reply = await this.redis.command(lockKey, [
      "SET",
      lockKey,
      this.lockValue(fence),
      "PX",
      wholeMs(ttlMs),
      "NX",
    ]);
    return reply === "OK" ? fence : undefined;
  }

  share(account: string, fence: number, token: Token, macKey: Buffer, ttlMs: number): Promise<boolean> {
    const tokenKey = this.tokenKey(account);
    const { text, mark } = encodeEntry(token, fence, { key: tokenKey, macKey });
    return this.whileHeld(account, fence, (multi) => {
      multi.addCommand(["SET", tokenKey, text, "PX", wholeMs(ttlMs)]);
      // Outlives its entry (a token lives a day at most): an entry never outlives its mark and is then refused.
      multi.addCommand(["SET", this.writtenKey(account), mark, "PX", wholeMs(Math.max(ttlMs, MAX_LIFETIME_MS))]);
    });
  }

  async unlock(account: string, fence: number): Promise<void> {
    await this.whileHeld(account, fence, () => undefined);
  }

  watch(account: string, listener: () => void): () => void {
    const hash = accountHash(account);
    let set = this.listeners.get(hash);
    if (!set) this.listeners.set(hash, (set = new Set()));
    set.add(listener);
    this.subscribed ??= this.redis
      .subscribe(this.channel, (message) => this.listeners.get(message)?.forEach((wake) => wake()))
      .catch(() => {
        // Not subscribed (Redis down): waiters poll; try again with the next waiter.
        this.subscribed = undefined;
      });
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(hash) === set) this.listeners.delete(hash);
    };
  }

  private lockValue(fence: number): string {
    return `${fence}:${this.owner}`;
  }

  /** MULTI (the extra commands), DEL lock, PUBLISH, EXEC: only while the lock holds our fence. */
  private whileHeld(
    account: string,
    fence: number,
    extra: (multi: ReturnType<ExclusiveClient["multi"]>) => void,
  ): Promise<boolean> {
    const lockKey = this.lockKey(account);
    return this.redis.exclusive(lockKey, async (client) => {
      await client.sendCommand(["WATCH", lockKey]);
      if ((await client.sendCommand(["GET", lockKey])) !== this.lockValue(fence)) {
        await client.sendCommand(["UNWATCH"]);
        return false;
      }
      const multi = client.multi();
      extra(multi);
      multi.addCommand(["DEL", lockKey]);
      multi.addCommand(["PUBLISH", this.channel, accountHash(account)]);
      try {
        return (await multi.exec()) !== null;
      } catch (err) {
        // The lock changed between our GET and EXEC (it expired and was taken): leave it alone.
        // (Matched by class name: importing the class would load @redis/client with this module.)
        if (err instanceof Error && err.constructor.name === "WatchError") return false;
        throw err;
      }
    });
  }
}

/** What an account's keys are named by: its name may hold an app id, which Redis never sees. */
export function accountHash(account: string): string {
  return createHash("sha256").update(account).digest("hex");
}

function asText(reply: unknown): string | null {
  return typeof reply === "string" ? reply : null;
}

/** PX takes a positive integer. */
function wholeMs(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)));
}
