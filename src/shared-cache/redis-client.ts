// A small Redis client over node:net / node:tls, enough for the shared token cache: one lazily
// opened connection, AUTH and SELECT from the URL, a timeout on connecting and on every command.
// Our own rather than a registry client because we need five commands, and a dependency that
// reconnects and queues on its own would hide outages we must notice (we fall back instead).
import * as net from "node:net";
import * as tls from "node:tls";
import { encodeCommand, RedisReplyError, RespDecoder, type RespValue } from "./resp";

export interface RedisAddress {
  tls: boolean;
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
}

export interface RedisClientOptions {
  /** `redis://[user:pass@]host[:port][/db]` or `rediss://...` (TLS). */
  url: string;
  /** Longest wait for one command's reply. */
  timeoutMs?: number;
  /** Longest wait for a connection, handshake (AUTH, SELECT) included. */
  connectTimeoutMs?: number;
  /** After a failed connect, calls fail at once for this long rather than each trying again. */
  retryDelayMs?: number;
  /** Extra options for rediss:// (ca, cert, key, rejectUnauthorized ...). */
  tls?: tls.ConnectionOptions;
}

/** Every failure of this client: the message names host:port, never the URL (it may hold a password). */
export class RedisError extends Error {
  constructor(where: string, detail: string) {
    super(`Redis ${where}: ${detail}`);
    this.name = "RedisError";
  }
}

export function parseRedisUrl(url: string): RedisAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("the Redis URL is not a valid URL (expected redis://host:port/db)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError("the Redis URL must start with redis:// or rediss://");
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new TypeError("the Redis URL has no host");
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0)
    throw new TypeError("the Redis URL's database must be a number (redis://host:port/0)");
  return {
    tls: parsed.protocol === "rediss:",
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
  };
}

interface Waiter {
  resolve(value: RespValue): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One socket and the replies it owes, in order. Once dead it stays dead; the client opens another. */
class Connection {
  private readonly decoder = new RespDecoder();
  private readonly waiters: Waiter[] = [];
  private error?: Error;
  readonly ended: Promise<void>;

  constructor(
    private readonly socket: net.Socket,
    private readonly where: string,
    private readonly onDead: (error: Error) => void,
  ) {
    this.ended = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (err) => this.destroy(new RedisError(where, err.message)));
    socket.on("close", () => this.destroy(new RedisError(where, "connection closed")));
  }

  get dead(): boolean {
    return this.error !== undefined;
  }

  send(args: readonly (string | number)[], timeoutMs: number): Promise<RespValue> {
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      // A reply that is late leaves the stream out of step: the connection is given up, not reused.
      const timer = setTimeout(
        () => this.destroy(new RedisError(this.where, `no reply within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({ resolve, reject, timer });
      this.socket.write(encodeCommand(args));
    });
  }

  destroy(error: Error): void {
    if (this.error) return;
    this.error = error;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.socket.destroy();
    this.onDead(error);
  }

  private receive(chunk: Buffer): void {
    let replies: ReturnType<RespDecoder["push"]>;
    try {
      replies = this.decoder.push(chunk);
    } catch (err) {
      this.destroy(new RedisError(this.where, (err as Error).message));
      return;
    }
    for (const reply of replies) {
      const waiter = this.waiters.shift();
      if (!waiter) {
        this.destroy(new RedisError(this.where, "reply to no command"));
        return;
      }
      clearTimeout(waiter.timer);
      if (reply instanceof RedisReplyError) waiter.reject(reply);
      else waiter.resolve(reply);
    }
  }
}

export class RedisClient {
  readonly address: RedisAddress;
  /** host:port/db, safe to show in a log. */
  readonly label: string;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly tlsOptions: tls.ConnectionOptions;
  private connection?: Connection;
  private ready?: Promise<Connection>;
  private retryAt = 0;
  private lastError?: Error;
  private closed = false;

  constructor(options: RedisClientOptions) {
    this.address = parseRedisUrl(options.url);
    const { host, port, db } = this.address;
    this.label = `${host.includes(":") ? `[${host}]` : host}:${port}/${db}`;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? this.timeoutMs;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.tlsOptions = options.tls ?? {};
  }

  /** Send one command; resolves with its reply, rejects on an error reply, a timeout or a lost connection. */
  async command(...args: Array<string | number>): Promise<RespValue> {
    const connection = await this.connect();
    return connection.send(args, this.timeoutMs);
  }

  /** Drop the connection and refuse further calls; resolves once the socket is closed. */
  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    this.ready = undefined;
    if (!connection) return;
    connection.destroy(new RedisError(this.label, "client closed"));
    await connection.ended;
  }

  private connect(): Promise<Connection> {
    if (this.closed) return Promise.reject(new RedisError(this.label, "client closed"));
    if (this.ready) return this.ready;
    if (this.lastError && Date.now() < this.retryAt) return Promise.reject(this.lastError);
    const ready = this.open();
    this.ready = ready;
    ready.then(
      () => {
        this.lastError = undefined;
      },
      (err: Error) => {
        if (this.ready === ready) this.ready = undefined;
        this.lastError = err;
        this.retryAt = Date.now() + this.retryDelayMs;
      },
    );
    return ready;
  }

  private open(): Promise<Connection> {
    const { host, port, username, password, db } = this.address;
    const socket = this.address.tls
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...this.tlsOptions })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const connection = new Connection(socket, this.label, (error) => {
        clearTimeout(timer);
        if (this.connection === connection) {
          this.connection = undefined;
          this.ready = undefined;
        }
        if (!settled) {
          settled = true;
          reject(error);
        }
      });
      this.connection = connection;
      timer = setTimeout(
        () => connection.destroy(new RedisError(this.label, `not connected within ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      socket.once(this.address.tls ? "secureConnect" : "connect", () => {
        const handshake: Array<Array<string | number>> = [];
        if (password !== undefined)
          handshake.push(username !== undefined ? ["AUTH", username, password] : ["AUTH", password]);
        if (db !== 0) handshake.push(["SELECT", db]);
        Promise.all(handshake.map((args) => connection.send(args, this.connectTimeoutMs))).then(
          () => {
            clearTimeout(timer);
            settled = true;
            resolve(connection);
          },
          (err: Error) => connection.destroy(err instanceof RedisError ? err : new RedisError(this.label, err.message)),
        );
      });
    });
  }
}
