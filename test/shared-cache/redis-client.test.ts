// The RESP2 client against a real redis-server: commands, AUTH and SELECT from the URL, TLS, and
// what happens when Redis is silent, gone or back. Plus the decoder on replies cut anywhere.
import assert from "node:assert/strict";
import { createHook } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { parseRedisUrl, RedisClient } from "../../src/shared-cache/redis-client";
import { encodeCommand, RedisReplyError, RespDecoder } from "../../src/shared-cache/resp";
import { requireRedis, startRedis, type RedisServer } from "./redis-server";
import { freePort as closedPort } from "../support/ports";

describe("RESP decoder", () => {
  it("decodes every reply type, however the bytes are cut", () => {
    const wire = Buffer.from(
      "+OK\r\n-ERR bad\r\n:42\r\n$4\r\nhé!\r\n$-1\r\n*2\r\n$1\r\na\r\n*1\r\n:7\r\n*-1\r\n$0\r\n\r\n",
    );
    for (const size of [1, 2, 3, 7, wire.length]) {
      const decoder = new RespDecoder();
      const replies = [];
      for (let i = 0; i < wire.length; i += size) replies.push(...decoder.push(wire.subarray(i, i + size)));
      assert.equal(replies.length, 8, `chunks of ${size}`);
      assert.equal(replies[0], "OK");
      assert.ok(replies[1] instanceof RedisReplyError && replies[1].message === "ERR bad");
      assert.deepEqual(replies.slice(2), [42, "hé!", null, ["a", [7]], null, ""]);
    }
  });

  it("encodes commands as binary-safe bulk strings", () => {
    assert.equal(
      encodeCommand(["SET", "k", "a\r\nb", 5]).toString(),
      "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n$1\r\n5\r\n",
    );
  });

  it("refuses a malformed stream", () => {
    assert.throws(() => new RespDecoder().push(Buffer.from("?what\r\n")), /malformed/);
  });
});

describe("Redis URL", () => {
  it("reads user, password, host, port, database and TLS", () => {
    assert.deepEqual(parseRedisUrl("redis://app:p%40ss@10.0.0.5:6380/3"), {
      tls: false,
      host: "10.0.0.5",
      port: 6380,
      username: "app",
      password: "p@ss",
      db: 3,
    });
    assert.deepEqual(parseRedisUrl("rediss://:pw@redis.example"), {
      tls: true,
      host: "redis.example",
      port: 6379,
      username: undefined,
      password: "pw",
      db: 0,
    });
    assert.equal(parseRedisUrl("redis://[::1]:7000").host, "::1");
  });

  it("refuses other schemes and bad databases without echoing the URL", () => {
    for (const url of ["http://u:hunter2@h", "redis://u:hunter2@h/x", "redis://u:hunter2@h/-1", "not a url hunter2"]) {
      assert.throws(
        () => parseRedisUrl(url),
        (err: Error) => !err.message.includes("hunter2"),
      );
    }
  });
});

describe("RedisClient", function () {
  this.timeout(20_000);
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  const client = (url: string, options: Partial<ConstructorParameters<typeof RedisClient>[0]> = {}) => {
    const c = new RedisClient({ url, timeoutMs: 1_000, retryDelayMs: 0, ...options });
    clients.push(c);
    return c;
  };

  before(async function () {
    requireRedis(this);
    redis = await startRedis();
  });
  after(async () => {
    await redis?.kill();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it("runs GET, SET PX NX and EVAL", async () => {
    const c = client(redis.url);
    assert.equal(await c.command("SET", "k1", "v1", "PX", 10_000, "NX"), "OK");
    assert.equal(await c.command("SET", "k1", "other", "PX", 10_000, "NX"), null, "NX keeps the first value");
    assert.equal(await c.command("GET", "k1"), "v1");
    const pttl = (await c.command("PTTL", "k1")) as number;
    assert.ok(pttl > 9_000 && pttl <= 10_000, `PTTL ${pttl}`);
    assert.equal(await c.command("EVAL", "return redis.call('DEL', KEYS[1])", 1, "k1"), 1);
    assert.equal(await c.command("GET", "k1"), null);
    await assert.rejects(c.command("NOSUCHCOMMAND"), RedisReplyError);
    assert.equal(await c.command("PING"), "PONG", "an error reply leaves the connection usable");
  });

  it("sends AUTH user password and SELECT db from the URL; a wrong password fails without showing it", async () => {
    const admin = client(redis.url);
    await admin.command("ACL", "SETUSER", "app", "on", ">s3cret-pw", "~*", "+@all");
    const app = client(`redis://app:s3cret-pw@127.0.0.1:${redis.port}/2`);
    await app.command("SET", "in-db-2", "yes");
    assert.equal(await admin.command("GET", "in-db-2"), null, "db 0 does not see it");
    assert.equal(await client(`redis://127.0.0.1:${redis.port}/2`).command("GET", "in-db-2"), "yes");
    const wrong = client(`redis://app:wrong-pw-123@127.0.0.1:${redis.port}/0`);
    await assert.rejects(
      wrong.command("PING"),
      (err: Error) => /WRONGPASS/.test(err.message) && !err.message.includes("wrong-pw-123"),
    );
  });

  it("times out a command when Redis does not answer, then reconnects lazily", async () => {
    const silent = await silentServer();
    try {
      const c = client(`redis://127.0.0.1:${silent.port}`, { timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(c.command("GET", "x"), /no reply within 300 ms/);
      assert.ok(Date.now() - started < 1_500);
      await assert.rejects(c.command("GET", "x"), /no reply/);
      assert.equal(silent.connections(), 2, "the late connection was given up and a new one opened");
    } finally {
      await silent.close();
    }
  });

  it("times out connecting (a TLS handshake nobody answers)", async () => {
    const silent = await silentServer();
    try {
      const c = client(`rediss://127.0.0.1:${silent.port}`, { connectTimeoutMs: 300 });
      await assert.rejects(c.command("PING"), /not connected within 300 ms/);
    } finally {
      await silent.close();
    }
  });

  it("fails fast while Redis is down and works again once it is back", async () => {
    const own = await startRedis();
    try {
      const c = client(own.url);
      assert.equal(await c.command("PING"), "PONG");
      await own.kill();
      await assert.rejects(c.command("PING"), /Redis 127\.0\.0\.1/);
      await assert.rejects(c.command("PING"), /ECONNREFUSED|closed/);
      await own.restart();
      assert.equal(await c.command("PING"), "PONG");
    } finally {
      await own.kill();
    }
  });

  it("waits retryDelayMs after a failed connect before trying again", async () => {
    const c = client(`redis://127.0.0.1:${await closedPort()}`, { retryDelayMs: 60_000 });
    await assert.rejects(c.command("PING"), /ECONNREFUSED/);
    const started = Date.now();
    await assert.rejects(c.command("PING"), /ECONNREFUSED/);
    assert.ok(Date.now() - started < 50, "the remembered failure is returned at once");
  });

  it("speaks TLS for rediss:// with the given CA", async function () {
    const certificate = selfSigned();
    if (!certificate) this.skip();
    const front = await tlsFront(redis.port, certificate!);
    try {
      const c = client(`rediss://127.0.0.1:${front.port}/0`, { tls: { ca: certificate!.cert } });
      assert.equal(await c.command("SET", "over-tls", "1"), "OK");
      assert.equal(await c.command("GET", "over-tls"), "1");
      const untrusted = client(`rediss://127.0.0.1:${front.port}/0`);
      await assert.rejects(untrusted.command("PING"), /self.signed|certificate/i);
    } finally {
      await front.close();
    }
  });

  it("close leaves no socket or timer behind and refuses further calls", async () => {
    const tracker = trackResources();
    try {
      const c = new RedisClient({ url: redis.url });
      await c.command("PING");
      assert.ok(tracker.live().includes("TCPWRAP"));
      await c.close();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(tracker.live(), []);
      await assert.rejects(c.command("PING"), /closed/);
    } finally {
      tracker.stop();
    }
  });
});

/** Sockets and timers created from here on (mocha's own timers left out) that are still open. */
function trackResources(): { live(): string[]; stop(): void } {
  const open = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (!["TCPWRAP", "TLSWRAP", "Timeout"].includes(type)) return;
      if (type === "Timeout" && /mocha[\\/]lib/.test(new Error().stack ?? "")) return;
      open.set(id, type);
    },
    destroy(id) {
      open.delete(id);
    },
  }).enable();
  return { live: () => [...open.values()], stop: () => hook.disable() };
}

/** Accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A self-signed certificate for 127.0.0.1 made now with the openssl CLI, or undefined without it. */
function selfSigned(): { cert: string; key: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redis-tls-"));
  try {
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore", timeout: 10_000 },
    );
    return { cert: fs.readFileSync(cert, "utf8"), key: fs.readFileSync(key, "utf8") };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** TLS in front of the plain redis-server, as a managed Redis with TLS would look. */
async function tlsFront(
  targetPort: number,
  certificate: { cert: string; key: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(certificate, (socket) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    socket.pipe(upstream).pipe(socket);
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
