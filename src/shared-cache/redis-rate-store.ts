// An account's call budget in Redis, shared by every instance: one sorted set per account,
// {prefix}:{<sha256 of the account>}:calls (the same hash slot as its token keys), one member per
// call, scored with the time it stops counting: while the call is in flight, its start plus the
// period plus the longest a call may take (an instance that dies frees its slots then); once its
// answer is in, the answer's time plus the period (ZADD XX). A call is let go when, in one
// MULTI/EXEC, dropping the members that stopped counting and adding its own leaves at most `limit`;
// otherwise its member is removed at once. A refused try may make another instance wait a little,
// never let one call too many go. No script: the ACL rules of the token lock (-@scripting) do.
// Scores are epoch ms of each instance: keep their clocks in sync (as the token's expiry needs).
import { randomBytes } from "node:crypto";
import type { RateStore } from "../rate-limit/shared-budget";
import type { RedisConnection } from "./redis-connection";
import { accountHash } from "./redis-token-store";

export class RedisRateStore implements RateStore {
  /** Makes this instance's members unique among the instances'. */
  private readonly owner = randomBytes(6).toString("hex");
  private counter = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  callsKey(account: string): string {
    return `${this.prefix}:{${accountHash(account)}}:calls`;
  }

  acquire(account: string, limit: number, periodMs: number, holdMs: number) {
    const key = this.callsKey(account);
    const id = `${this.owner}:${(this.counter += 1)}`;
    const now = this.now();
    return this.redis.exclusive(key, async (client) => {
      const multi = client.multi();
      multi.addCommand(["ZREMRANGEBYSCORE", key, "-inf", String(now)]);
      multi.addCommand(["ZADD", key, String(now + periodMs + holdMs), id]);
      multi.addCommand(["ZCARD", key]);
      multi.addCommand(["ZRANGE", key, "0", "0", "WITHSCORES"]);
      multi.addCommand(["PEXPIRE", key, String(Math.ceil(periodMs + holdMs + 1_000))]);
      const replies = (await multi.exec()) as unknown[] | null;
      const counted = Number(replies?.[2]);
      if (Number.isInteger(counted) && counted > 0 && counted <= limit) return { id };
      await client.sendCommand(["ZREM", key, id]);
      // The earliest member stops counting first; a score that is no number (never ours) means "soon".
      const earliest = earliestScore(replies?.[3]);
      return { retryInMs: Number.isFinite(earliest) ? Math.max(1, earliest - this.now()) : undefined };
    });
  }

  async release(account: string, id: string, periodMs: number): Promise<void> {
    const key = this.callsKey(account);
    // XX: an entry that expired meanwhile is not brought back.
    await this.redis.command(key, ["ZADD", key, "XX", String(this.now() + periodMs), id]);
  }

  async cancel(account: string, id: string): Promise<void> {
    const key = this.callsKey(account);
    await this.redis.command(key, ["ZREM", key, id]);
  }
}

/** ZRANGE 0 0 WITHSCORES: [member, score] in RESP2, [[member, score]] in RESP3 (the connection's). */
function earliestScore(reply: unknown): number {
  const first = Array.isArray(reply) && Array.isArray(reply[0]) ? (reply[0] as unknown[]) : reply;
  return Array.isArray(first) ? Number(first[1]) : Number.NaN;
}
