// The shared token store in Redis. Keys carry a SHA-256 of the account name, not the name (it holds
// the app id); the value is {token, expiresAt, obtainedAt} and expires with the token (PX). The lock
// is SET NX PX with a random id, released only by its owner (compare-and-delete in one EVAL).
import { createHash, randomUUID } from "node:crypto";
import type { Token } from "../token";
import type { RedisClient } from "./redis-client";
import type { SharedTokenStore } from "./shared-token-store";

export const DEFAULT_PREFIX = "node-red-access-token";

const UNLOCK_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

export class RedisTokenStore implements SharedTokenStore {
  constructor(
    private readonly client: Pick<RedisClient, "command">,
    private readonly prefix: string = DEFAULT_PREFIX,
  ) {}

  tokenKey(account: string): string {
    return `${this.prefix}:token:${digest(account)}`;
  }

  lockKey(account: string): string {
    return `${this.prefix}:lock:${digest(account)}`;
  }

  async read(account: string): Promise<Token | undefined> {
    const reply = await this.client.command("GET", this.tokenKey(account));
    return typeof reply === "string" ? parseEntry(reply) : undefined;
  }

  async tryLock(account: string, ttlMs: number): Promise<string | undefined> {
    const id = randomUUID();
    const reply = await this.client.command("SET", this.lockKey(account), id, "PX", wholeMs(ttlMs), "NX");
    return reply === "OK" ? id : undefined;
  }

  async write(account: string, token: Token, ttlMs: number): Promise<void> {
    const entry = JSON.stringify({ token: token.value, expiresAt: token.expiresAt, obtainedAt: token.obtainedAt });
    await this.client.command("SET", this.tokenKey(account), entry, "PX", wholeMs(ttlMs));
  }

  async unlock(account: string, lockId: string): Promise<void> {
    await this.client.command("EVAL", UNLOCK_SCRIPT, 1, this.lockKey(account), lockId);
  }
}

function digest(account: string): string {
  return createHash("sha256").update(account).digest("hex");
}

/** PX takes a positive integer. */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/** Another version of this package (or anyone) may have written the key: accept only a well-formed entry. */
function parseEntry(text: string): Token | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== "object") return undefined;
  const { token, expiresAt, obtainedAt } = entry as Record<string, unknown>;
  if (typeof token !== "string" || !token) return undefined;
  if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) return undefined;
  if (typeof obtainedAt !== "number" || !Number.isFinite(obtainedAt) || obtainedAt > expiresAt) return undefined;
  return { value: token, expiresAt, obtainedAt };
}
