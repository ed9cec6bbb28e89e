// One connection to the configured Redis (one server, Sentinel or Cluster) on the official client,
// @redis/client, required here and only here, so a runtime without accessTokenSharedCache loads
// nothing of it. Offline queue off, bounded connect and command time, reconnects in the background:
// while Redis is down every command fails at once, and the caller falls back to its own cache.
import type * as RedisModule from "@redis/client";
import type { RedisClientOptions } from "@redis/client";
import type { HostPort, RedisTarget, SharedCacheSetting } from "./setting";

/** A raw command's reply, as far as we read it. */
type Reply = string | number | null | Reply[];

/** The part of a @redis/client client (or a Sentinel lease, or a Cluster node) that a WATCH/MULTI/EXEC needs. */
export interface ExclusiveClient {
  sendCommand(args: string[]): Promise<unknown>;
  multi(): { addCommand(args: string[]): unknown; exec(): Promise<unknown> };
}

export interface RedisConnection {
  readonly label: string;
  /** One command on the node that serves `key` (Cluster routes by it). */
  command(key: string, args: string[]): Promise<Reply>;
  /**
   * Run `task` with a client that no other transaction of ours uses meanwhile, on the node that
   * serves `key`: WATCH, GET, MULTI ... EXEC without another EXEC clearing our WATCH in between.
   */
  exclusive<T>(key: string, task: (client: ExclusiveClient) => Promise<T>): Promise<T>;
  /** Listen on a channel (a connection of its own, resubscribed after a reconnect). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** The last connection error, for the outage line (the client's offline error says only "offline"). */
  readonly lastError?: Error;
  /** Close every socket and stop reconnecting; resolves when done. */
  close(): Promise<void>;
}

interface Closable {
  on(event: "error", listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  destroy(): void;
}

/** Retry every 200 ms more, up to 2 s: quick to notice Redis is back, no busy loop while it is down. */
const reconnectStrategy = (retries: number): number => Math.min(200 * (retries + 1), 2_000);

/** What every data node's connection gets: credentials, no offline queue, bounded time, TLS. */
function commonOptions(setting: SharedCacheSetting) {
  const socket = { connectTimeout: setting.timeoutMs, reconnectStrategy, ...tlsOptions(setting) };
  const common = {
    username: setting.username,
    password: setting.password,
    disableOfflineQueue: true,
    commandOptions: { timeout: setting.timeoutMs },
  };
  return { socket, common };
}

/** createCluster's options: every node, the discovered ones too (defaults), with TLS and credentials. */
export function clusterOptions(setting: SharedCacheSetting, rootNodes: HostPort[]) {
  const { socket, common } = commonOptions(setting);
  return {
    rootNodes: rootNodes.map((node) => ({ socket: { ...socket, host: node.host, port: node.port } })),
    defaults: { ...common, socket },
  };
}

/** createSentinel's options: the data nodes with TLS and credentials, the sentinels with their own user. */
export function sentinelOptions(setting: SharedCacheSetting, target: Extract<RedisTarget, { kind: "sentinel" }>) {
  const { socket, common } = commonOptions(setting);
  return {
    name: target.name,
    sentinelRootNodes: target.sentinels,
    nodeClientOptions: { ...common, database: setting.db, socket },
    sentinelClientOptions: {
      username: target.sentinelUsername,
      password: target.sentinelPassword,
      socket: { connectTimeout: setting.timeoutMs, reconnectStrategy },
    },
    commandOptions: { timeout: setting.timeoutMs },
    passthroughClientErrorEvents: true,
  };
}

/** createClient's options for one server: a redis(s):// URL or a unix socket. */
export function clientOptions(setting: SharedCacheSetting, url: string): RedisClientOptions {
  const { socket, common } = commonOptions(setting);
  const parsed = new URL(url);
  return parsed.protocol === "unix:"
    ? { ...common, database: setting.db, socket: { ...socket, path: parsed.pathname, tls: false } }
    : { ...common, url, database: setting.db, socket: socket };
}

export function openRedis(setting: SharedCacheSetting): RedisConnection {
  // Loaded on first use: users without a shared cache never load (or need) @redis/client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require is the point: see above
  const redis = require("@redis/client") as typeof RedisModule;
  const { target, timeoutMs } = setting;
  let lastError: Error | undefined;
  const noted = (error: Error) => {
    lastError = error;
  };
  let mutex: Promise<unknown> = Promise.resolve();
  /** Our transactions one at a time: an EXEC clears every WATCH of its connection. */
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = mutex.then(task, task);
    mutex = run.catch(() => undefined);
    return run;
  };

  if (target.kind === "cluster") {
    const cluster = redis.createCluster(clusterOptions(setting, target.rootNodes));
    const first = start(cluster, noted, timeoutMs);
    return {
      label: setting.label,
      get lastError() {
        return lastError;
      },
      command: async (key, args) => (await first, cluster.sendCommand<Reply>(key, false, args)),
      exclusive: (key, task) =>
        serialized(async () => {
          await first;
          try {
            return await task(await cluster.getNodeClientForKey(key));
          } catch (err) {
            // The slot moved (resharding, a failover) since the client last mapped it: a node client
            // does not follow MOVED/ASK itself. Nothing ran (WATCH, GET or the queued commands were
            // refused), so learn the new owner through a routed command and run the task there once.
            if (!isRedirect(err)) throw err;
            await cluster.sendCommand(key, true, ["EXISTS", key]);
            return task(await cluster.getNodeClientForKey(key));
          }
        }),
      subscribe: async (channel, listener) => {
        await cluster.subscribe(channel, listener);
      },
      close: () => stop(cluster),
    };
  }

  if (target.kind === "sentinel") {
    const sentinel = redis.createSentinel(sentinelOptions(setting, target));
    const first = start(sentinel, noted, timeoutMs);
    return {
      label: setting.label,
      get lastError() {
        return lastError;
      },
      command: async (_key, args) => (await first, sentinel.sendCommand<Reply>(false, args)),
      exclusive: (_key, task) =>
        serialized(async () => {
          await first;
          // A Sentinel lease's sendCommand and addCommand take "is read-only" first: adapted, not cast.
          return sentinel.use((lease) =>
            task({
              sendCommand: (args) => lease.sendCommand(false, args),
              multi: () => {
                const transaction = lease.multi();
                return {
                  addCommand: (args: string[]) => transaction.addCommand(false, args),
                  exec: () => transaction.exec(),
                };
              },
            }),
          );
        }),
      subscribe: async (channel, listener) => {
        await sentinel.subscribe(channel, listener);
      },
      close: () => stop(sentinel),
    };
  }

  const client = redis.createClient(clientOptions(setting, target.url));
  const first = start(client, noted, timeoutMs);
  let subscriber: ReturnType<typeof client.duplicate> | undefined;
  return {
    label: setting.label,
    get lastError() {
      return lastError;
    },
    command: async (_key, args) => (await first, client.sendCommand<Reply>(args)),
    exclusive: (_key, task) =>
      serialized(async () => {
        await first;
        return task(client);
      }),
    subscribe: async (channel, listener) => {
      if (!subscriber) {
        subscriber = client.duplicate();
        await start(subscriber, noted, timeoutMs);
      }
      await subscriber.subscribe(channel, listener);
    },
    close: async () => {
      await Promise.all([stop(client), subscriber && stop(subscriber)]);
    },
  };
}

/**
 * A Cluster redirection: a MOVED or ASK reply on its own (a refused WATCH, GET or queued command
 * rejects the transaction with it) or among a transaction's replies (MultiErrorReply).
 */
export function isRedirect(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const replies = [err, ...((err as { replies?: unknown[] }).replies ?? [])];
  return replies.some((reply) => reply instanceof Error && /^(MOVED|ASK) /.test(reply.message));
}

/** rediss:// turns TLS on by itself; tls options (or a Sentinel/Cluster with tls) need `tls: true`. */
function tlsOptions(setting: SharedCacheSetting): Record<string, unknown> {
  const wanted =
    setting.tls !== undefined || (setting.target.kind === "single" && setting.target.url.startsWith("rediss:"));
  return wanted ? { tls: true, ...setting.tls } : {};
}

/**
 * Connect in the background: a failed first connect is an outage like any other, never an unhandled
 * rejection. Resolves (never rejects) when the first attempt has settled or timeoutMs has passed:
 * commands wait for that much, so the first messages after a deploy are not refused as "offline".
 */
function start(client: Closable, noted: (error: Error) => void, timeoutMs: number): Promise<void> {
  client.on("error", noted);
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect().then(
    () => undefined,
    (error: Error) => noted(error),
  );
  const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  return Promise.race([connecting, bounded]).finally(() => clearTimeout(timer));
}

async function stop(client: Closable): Promise<void> {
  // destroy(): closes the sockets now, pending commands rejected, no reconnect timer left behind.
  client.destroy();
  await Promise.resolve();
}
