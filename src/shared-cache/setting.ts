// The settings.js option `accessTokenSharedCache`: which Redis (one server, Sentinel or Cluster),
// its credentials, TLS, key prefix and time bounds. Checked here with errors that name the setting
// and never echo a URL or password; turned into @redis/client options in redis-connection.ts.
import type { ConnectionOptions } from "node:tls";

export const SHARED_CACHE_SETTING = "accessTokenSharedCache";
export const DEFAULT_PREFIX = "node-red-access-token";
export const DEFAULT_TIMEOUT_MS = 1_000;

export interface HostPort {
  host: string;
  port: number;
}

export type RedisTarget =
  /** One server: `redis://`, `rediss://` (TLS) or `unix:///path/to/redis.sock`. */
  | { kind: "single"; url: string }
  /** Sentinel: the master's name and the sentinels' addresses (their own ACL user and password apart). */
  | { kind: "sentinel"; name: string; sentinels: HostPort[]; sentinelUsername?: string; sentinelPassword?: string }
  /** Cluster: some of its nodes; the client discovers the rest. */
  | { kind: "cluster"; rootNodes: HostPort[] };

export interface SharedCacheSetting {
  target: RedisTarget;
  /** ACL user and password for the data nodes (a single server's URL may carry them instead). */
  username?: string;
  password?: string;
  /** Database number (one server and Sentinel; a Cluster has only 0). */
  db?: number;
  /** TLS for the data nodes (rediss:// implies it): ca, cert, key ... */
  tls?: ConnectionOptions;
  /** Key prefix, so several applications can share one Redis database. */
  prefix: string;
  /** Longest wait for Redis per command and for connecting, in ms. */
  timeoutMs: number;
  /** Names the Redis in log lines: addresses only, never a password. */
  label: string;
}

const EXAMPLE = `{ redis: "redis://127.0.0.1:6379/0" }, { sentinel: { name, nodes: ["host:26379"] } } or { cluster: ["redis://host:7000"] }`;

function fail(detail: string): never {
  throw new TypeError(`${SHARED_CACHE_SETTING}${detail}`);
}

/** Check the option; undefined when sharing is off. Throws a TypeError that names the setting and never a secret. */
export function readSharedCacheSetting(value: unknown): SharedCacheSetting | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) fail(` must be an object like ${EXAMPLE}`);
  const option = value as Record<string, unknown>;
  const kinds = ["redis", "sentinel", "cluster"].filter((key) => option[key] !== undefined);
  if (kinds.length !== 1) fail(` needs exactly one of redis, sentinel or cluster, like ${EXAMPLE}`);
  const { prefix, timeoutMs, tls, username, password, db } = option;
  if (prefix !== undefined && (typeof prefix !== "string" || !prefix)) fail(".prefix must be a non-empty string");
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs)))
    fail(".timeoutMs must be a positive number");
  if (tls !== undefined && (tls === null || typeof tls !== "object")) fail(".tls must be an object");
  if (username !== undefined && typeof username !== "string") fail(".username must be a string");
  if (password !== undefined && typeof password !== "string") fail(".password must be a string");
  if (db !== undefined && !(Number.isInteger(db) && (db as number) >= 0)) fail(".db must be a whole number");
  const target = readTarget(kinds[0], option[kinds[0]]);
  return {
    target,
    username: username,
    password: password,
    db: db as number | undefined,
    tls: tls as ConnectionOptions | undefined,
    prefix: prefix ?? DEFAULT_PREFIX,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    label: label(target),
  };
}

function readTarget(kind: string, value: unknown): RedisTarget {
  if (kind === "redis") {
    if (typeof value !== "string" || !value) fail(".redis must be a redis://, rediss:// or unix:// URL");
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      fail(".redis is not a valid URL (expected redis://host:port/db)");
    }
    if (!["redis:", "rediss:", "unix:"].includes(url.protocol))
      fail(".redis must start with redis://, rediss:// or unix://");
    if (url.protocol !== "unix:" && !url.hostname) fail(".redis has no host");
    if (url.protocol === "unix:" && !url.pathname) fail(".redis has no socket path");
    return { kind: "single", url: value };
  }
  if (kind === "cluster") {
    if (!Array.isArray(value) || value.length === 0) fail(".cluster must be a list of node addresses");
    return { kind: "cluster", rootNodes: value.map((node) => hostPort(node, 6379, ".cluster")) };
  }
  if (value === null || typeof value !== "object") fail('.sentinel must be { name, nodes: ["host:26379"] }');
  const { name, nodes, username, password } = value as Record<string, unknown>;
  if (typeof name !== "string" || !name) fail(".sentinel.name must be the master's name (sentinel monitor <name>)");
  if (!Array.isArray(nodes) || nodes.length === 0) fail(".sentinel.nodes must be a list of sentinel addresses");
  if (username !== undefined && typeof username !== "string") fail(".sentinel.username must be a string");
  if (password !== undefined && typeof password !== "string") fail(".sentinel.password must be a string");
  return {
    kind: "sentinel",
    name,
    sentinels: nodes.map((node) => hostPort(node, 26379, ".sentinel.nodes")),
    sentinelUsername: username,
    sentinelPassword: password,
  };
}

/** "host:port", "redis://host:port" or { host, port }; a password in a node address is refused (use .password). */
function hostPort(value: unknown, defaultPort: number, where: string): HostPort {
  if (value !== null && typeof value === "object") {
    const { host, port } = value as Record<string, unknown>;
    if (typeof host === "string" && host && (port === undefined || Number.isInteger(port)))
      return { host, port: (port as number | undefined) ?? defaultPort };
    fail(`${where} has an entry that is not { host, port }`);
  }
  if (typeof value !== "string" || !value) fail(`${where} has an entry that is not an address`);
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `redis://${value}`);
  } catch {
    fail(`${where} has an entry that is not a host:port address`);
  }
  if (url.username || url.password) fail(`${where}: put credentials in .password (and .username), not in the address`);
  if (!url.hostname) fail(`${where} has an entry without a host`);
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: url.port ? Number(url.port) : defaultPort };
}

function label(target: RedisTarget): string {
  const list = (nodes: HostPort[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(",");
  if (target.kind === "sentinel") return `sentinel ${target.name} (${list(target.sentinels)})`;
  if (target.kind === "cluster") return `cluster ${list(target.rootNodes)}`;
  const url = new URL(target.url);
  if (url.protocol === "unix:") return `unix:${url.pathname}`;
  return `${url.hostname}:${url.port || 6379}${url.pathname.length > 1 ? url.pathname : "/0"}`;
}
