// The settings.js option `accessTokenSharedCache` turned into one Redis client per runtime, shared
// by every credentials config node and closed when the last of them closes (reference count), so
// a deploy or a stop leaves no socket behind and ten config nodes do not open ten connections.
import type { ConnectionOptions } from "node:tls";
import { formatMessage, type MessageParams } from "../messages";
import { RedisClient } from "./redis-client";
import { DEFAULT_PREFIX, RedisTokenStore } from "./redis-token-store";
import { OutageLog } from "./shared-refresh";
import type { SharedTokenStore } from "./shared-token-store";

export const SHARED_CACHE_SETTING = "accessTokenSharedCache";

export interface SharedCacheSetting {
  /** `redis://[user:pass@]host:port/db` or `rediss://...`. */
  redis: string;
  /** Key prefix, so several applications can share one Redis database. */
  prefix?: string;
  /** Longest wait for Redis per command (and for connecting), in ms. */
  timeoutMs?: number;
  /** TLS options for rediss:// (ca, cert, key ...). */
  tls?: ConnectionOptions;
}

/** The runtime's language (RED._) for the outage lines; English outside Node-RED. */
type Translate = (key: string, params: MessageParams) => string;

export interface RuntimeLog {
  warn(text: string): void;
  info(text: string): void;
}

export interface SharedCacheLease {
  readonly store: SharedTokenStore;
  readonly outage: OutageLog;
  /** Give the lease back; the last one closes the client. */
  release(): Promise<void>;
}

interface Entry {
  client: RedisClient;
  outage: OutageLog;
  users: number;
}

/** Keyed by the URL: the same Redis is one client, whatever prefix each user asks for. */
const clients = new Map<string, Entry>();

/** Check the option; throws a TypeError that names the setting (and never echoes the URL, which may hold a password). */
export function readSharedCacheSetting(value: unknown): SharedCacheSetting | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== "object")
    throw new TypeError(`${SHARED_CACHE_SETTING} must be an object like { redis: "redis://127.0.0.1:6379/0" }`);
  const { redis, prefix, timeoutMs, tls } = value as Record<string, unknown>;
  if (typeof redis !== "string" || !redis)
    throw new TypeError(`${SHARED_CACHE_SETTING}.redis must be a redis:// or rediss:// URL`);
  if (prefix !== undefined && (typeof prefix !== "string" || !prefix))
    throw new TypeError(`${SHARED_CACHE_SETTING}.prefix must be a non-empty string`);
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0))
    throw new TypeError(`${SHARED_CACHE_SETTING}.timeoutMs must be a positive number`);
  if (tls !== undefined && (tls === null || typeof tls !== "object"))
    throw new TypeError(`${SHARED_CACHE_SETTING}.tls must be an object`);
  return { redis, prefix, timeoutMs, tls: tls as ConnectionOptions | undefined };
}

/** A lease on the runtime's client for this setting (created on first use; connects lazily). */
export function acquireSharedCache(
  setting: SharedCacheSetting,
  log: RuntimeLog,
  translate: Translate = formatMessage,
): SharedCacheLease {
  let entry = clients.get(setting.redis);
  if (!entry) {
    const client = new RedisClient({
      url: setting.redis,
      timeoutMs: setting.timeoutMs,
      tls: setting.tls,
      retryDelayMs: 5_000,
    });
    entry = { client, outage: new OutageLog(`redis ${client.label}`, log, translate), users: 0 };
    clients.set(setting.redis, entry);
  }
  const held = entry;
  held.users += 1;
  let released = false;
  return {
    store: new RedisTokenStore(held.client, setting.prefix ?? DEFAULT_PREFIX),
    outage: held.outage,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      if (clients.get(setting.redis) === held) clients.delete(setting.redis);
      await held.client.close();
    },
  };
}

/** How many runtime clients are open (tests check that closing every config node closes the client). */
export function openSharedClients(): number {
  return clients.size;
}
