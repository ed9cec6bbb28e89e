// The settings.js option `accessTokenSharedCache` turned into one Redis connection per runtime,
// shared by every credentials config node and closed when the last of them closes (reference
// count), so a deploy or a stop leaves no socket or timer behind and ten config nodes do not open
// ten connections. The connection (and @redis/client) is created on the first lease only.
import { formatMessage, type MessageParams } from "../messages";
import { OutageLog } from "./outage-log";
import { openRedis, type RedisConnection } from "./redis-connection";
import { RedisRateStore } from "./redis-rate-store";
import { RedisTokenStore } from "./redis-token-store";
import type { SharedCacheSetting } from "./setting";
import type { SharedTokenStore } from "./shared-token-store";

export { readSharedCacheSetting, SHARED_CACHE_SETTING, DEFAULT_PREFIX, type SharedCacheSetting } from "./setting";

/** The runtime's language (RED._) for the outage lines; English outside Node-RED. */
type Translate = (key: string, params: MessageParams) => string;

export interface RuntimeLog {
  warn(text: string): void;
  info(text: string): void;
}

export interface SharedCacheLease {
  readonly store: SharedTokenStore;
  /** The accounts' call budgets (a credentials node's rate limit). */
  readonly rates: RedisRateStore;
  readonly outage: OutageLog;
  /** Give the lease back; the last one closes the connection. Call after the user's locks are released. */
  release(): Promise<void>;
}

interface Entry {
  connection: RedisConnection;
  outage: OutageLog;
  users: number;
}

/** Keyed by everything that makes a connection (the password included, in process memory only). */
const connections = new Map<string, Entry>();

function identity(setting: SharedCacheSetting): string {
  const { prefix: _prefix, ...connection } = setting;
  return JSON.stringify(connection);
}

/** A lease on the runtime's connection for this setting (opened on first use, connecting in the background). */
export function acquireSharedCache(
  setting: SharedCacheSetting,
  log: RuntimeLog,
  translate: Translate = formatMessage,
): SharedCacheLease {
  const id = identity(setting);
  let entry = connections.get(id);
  if (!entry) {
    const connection = openRedis(setting);
    const outage = new OutageLog(`redis ${setting.label}`, log, translate, () => connection.lastError);
    entry = { connection, outage, users: 0 };
    connections.set(id, entry);
  }
  const held = entry;
  held.users += 1;
  let released = false;
  return {
    store: new RedisTokenStore(held.connection, {
      prefix: setting.prefix,
      onForged: (key) => held.outage.forged(key),
      onReplayed: (key) => held.outage.replayed(key),
    }),
    rates: new RedisRateStore(held.connection, setting.prefix),
    outage: held.outage,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      // Still the map's entry: it leaves the map the moment its last lease goes, and is never put back.
      connections.delete(id);
      await held.connection.close();
    },
  };
}

/** How many runtime connections are open (tests check that closing every config node closes it). */
export function openSharedClients(): number {
  return connections.size;
}
