// Real Redis topologies for the shared-cache tests, each in a temporary directory of its own and
// killed (SIGKILL, then the directory removed) by stop(): one server over TLS, one on a unix socket,
// a master with a replica watched by Sentinels (passwords on the data nodes and on the Sentinels),
// and a three-master Cluster made by `redis-cli --cluster create`. A process left behind by a test
// that forgot stop() is killed when the test process exits.
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type * as RedisClientModule from "@redis/client";
import { freePort } from "../support/ports";
import { selfSignedCertificate } from "../support/tls";

const run = promisify(execFile);
const START_LIMIT_MS = 15_000;

const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((child) => child.kill("SIGKILL")));

/** Start redis-server or redis-sentinel and wait for the line that says it is serving. */
function launch(binary: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`${binary} did not start: ${output}`)), START_LIMIT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => fail(new Error(`${binary} exited (${code}): ${output}`)));
    child.once("error", fail);
  });
}

const SERVER_READY = /ready to accept connections/i; // "... at <socket>" when only a unix socket

/** Nothing persisted; loopback only; files (sockets, nodes.conf) in `dir`. */
function serverArgs(dir: string, ...extra: string[]): string[] {
  return ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir, ...extra];
}

/** Processes and a temporary directory, ended together. */
class Group {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-redis-"));
  private readonly children = new Set<ChildProcess>();

  /** Start one more process; if it does not start, the whole group ends (processes and directory). */
  async start(binary: string, args: string[], ready: RegExp): Promise<ChildProcess> {
    try {
      const child = await launch(binary, args, ready);
      this.children.add(child);
      return child;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  subdir(name: string): string {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children].map(killChild));
    this.children.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

type RedisModule = typeof RedisClientModule;
type Client = ReturnType<RedisModule["createClient"]>;

/** A @redis/client connection for a test's own look (no reconnects, errors ignored: the test asserts). */
export async function connect(options: Parameters<RedisModule["createClient"]>[0]): Promise<Client> {
  const { createClient } = await import("@redis/client");
  const client = createClient({ ...options, socket: { ...options?.socket, reconnectStrategy: false } } as never);
  client.on("error", () => undefined);
  await client.connect();
  return client as Client;
}

export interface TlsRedis {
  /** rediss://127.0.0.1:<tls port>/0 */
  url: string;
  /** The self-signed certificate the server presents, in PEM: the CA to trust. */
  ca: string;
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** A redis-server that speaks only TLS (no plain port), with a fresh self-signed certificate. */
export async function startTlsRedis(): Promise<TlsRedis> {
  const certificate = selfSignedCertificate();
  if (!certificate) throw new Error("openssl is not installed: apt-get install openssl");
  const group = new Group();
  const cert = path.join(group.dir, "cert.pem");
  const key = path.join(group.dir, "key.pem");
  fs.writeFileSync(cert, certificate.cert);
  fs.writeFileSync(key, certificate.key, { mode: 0o600 });
  const port = await freePort();
  await group.start(
    "redis-server",
    serverArgs(
      group.dir,
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--tls-cert-file",
      cert,
      "--tls-key-file",
      key,
    ).concat(["--tls-ca-cert-file", cert, "--tls-auth-clients", "no"]),
    SERVER_READY,
  );
  const url = `rediss://127.0.0.1:${port}/0`;
  return {
    url,
    ca: certificate.cert,
    admin: () => connect({ url, socket: { tls: true, ca: certificate.cert } }),
    stop: () => group.stop(),
  };
}

export interface UnixRedis {
  /** unix:///tmp/.../redis.sock */
  url: string;
  socketPath: string;
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** A redis-server on a unix socket only (port 0: no TCP at all). */
export async function startUnixRedis(): Promise<UnixRedis> {
  const group = new Group();
  const socketPath = path.join(group.dir, "redis.sock");
  await group.start(
    "redis-server",
    serverArgs(group.dir, "--port", "0", "--unixsocket", socketPath, "--unixsocketperm", "700"),
    SERVER_READY,
  );
  return {
    url: `unix://${socketPath}`,
    socketPath,
    admin: () => connect({ socket: { path: socketPath, tls: false } }),
    stop: () => group.stop(),
  };
}

export const MASTER_NAME = "mymaster";

export interface SentinelSet {
  name: string;
  /** The data nodes' password (requirepass and masterauth). */
  password: string;
  /** The Sentinels' own password (their requirepass). */
  sentinelPassword: string;
  sentinels: { host: string; port: number }[];
  /** The data nodes' ports, the master first at the start. */
  dataPorts: number[];
  /** The port the Sentinels name as the master now. */
  masterPort(): Promise<number>;
  /** A client on the current master. */
  master(): Promise<Client>;
  /** SENTINEL FAILOVER, resolved once every Sentinel names the replica as master; returns the new master's port. */
  failover(): Promise<number>;
  stop(): Promise<void>;
}

/** One master, one replica, `count` Sentinels (quorum 1), every node with a password. */
export async function startSentinelSet(count = 1): Promise<SentinelSet> {
  const group = new Group();
  const password = "data-pw:+/%";
  const sentinelPassword = "sentinel-pw:+/%";
  try {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    const auth = ["--requirepass", password, "--masterauth", password];
    await group.start(
      "redis-server",
      serverArgs(group.subdir("m"), "--port", String(masterPort), ...auth),
      SERVER_READY,
    );
    const replicaArgs = ["--port", String(replicaPort), "--replicaof", "127.0.0.1", String(masterPort), ...auth];
    await group.start("redis-server", serverArgs(group.subdir("r"), ...replicaArgs), SERVER_READY);
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const file = path.join(group.subdir(`s${i}`), "sentinel.conf");
      fs.writeFileSync(
        file,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${path.dirname(file)}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
          `sentinel auth-pass ${MASTER_NAME} ${password}`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 5000`,
          `requirepass ${sentinelPassword}`,
          `sentinel sentinel-pass ${sentinelPassword}`,
          "",
        ].join("\n"),
      );
      await group.start("redis-sentinel", [file], /\+monitor master/);
      ports.push(port);
    }
    const sentinels = ports.map((port) => ({ host: "127.0.0.1", port }));
    const sentinel = (port: number) => connect({ socket: { host: "127.0.0.1", port }, password: sentinelPassword });
    const data = (port: number) => connect({ socket: { host: "127.0.0.1", port }, password });
    const masterPortNow = async (port = ports[0]) => {
      const client = await sentinel(port);
      try {
        const reply = (await client.sendCommand(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME])) as string[];
        return Number(reply[1]);
      } finally {
        client.destroy();
      }
    };
    // Ready when the replica is in sync and every Sentinel knows it as a candidate for promotion.
    await until("the replica in sync and known to the Sentinels", async () => {
      const master = await data(masterPort);
      const info = await master.info("replication").finally(() => master.destroy());
      if (!/slave0:.*state=online/.test(info)) return false;
      for (const port of ports) {
        const client = await sentinel(port);
        try {
          const replicas = (await client.sendCommand(["SENTINEL", "REPLICAS", MASTER_NAME])) as unknown[];
          if (!replicas.some((fields) => field(fields, "flags") === "slave")) return false;
        } finally {
          client.destroy();
        }
      }
      return true;
    });
    return {
      name: MASTER_NAME,
      password,
      sentinelPassword,
      sentinels,
      dataPorts: [masterPort, replicaPort],
      masterPort: () => masterPortNow(),
      master: async () => data(await masterPortNow()),
      async failover() {
        const before = await masterPortNow();
        const client = await sentinel(ports[0]);
        try {
          await until("SENTINEL FAILOVER accepted", async () => {
            try {
              return String(await client.sendCommand(["SENTINEL", "FAILOVER", MASTER_NAME])) === "OK";
            } catch {
              return false; // NOGOODSLAVE or INPROG a moment after the last failover
            }
          });
        } finally {
          client.destroy();
        }
        let after = before;
        await until("every Sentinel naming the new master", async () => {
          const named = await Promise.all(ports.map((port) => masterPortNow(port)));
          after = named[0];
          return named.every((port) => port === after && port !== before);
        });
        return after;
      },
      stop: () => group.stop(),
    };
  } catch (err) {
    await group.stop();
    throw err;
  }
}

export interface RedisCluster {
  /** The masters' client ports. */
  ports: number[];
  /** A client on one master (for CLUSTER KEYSLOT, KEYS, CLUSTER NODES). */
  node(port: number): Promise<Client>;
  /** Move `key`'s slot, with its keys, to another master (as a resharding does); returns the new owner's port. */
  moveSlotOf(key: string): Promise<number>;
  stop(): Promise<void>;
}

/** Three masters (cluster-enabled, no replicas) joined by `redis-cli --cluster create --cluster-yes`. */
export async function startCluster(masters = 3): Promise<RedisCluster> {
  const group = new Group();
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) {
      // The bus port is chosen too: the default (port + 10000) may be taken or past 65535.
      const [port, bus] = [await freePort(), await freePort()];
      const clusterArgs = ["--port", String(port), "--cluster-enabled", "yes", "--cluster-port", String(bus)];
      const args = [...clusterArgs, "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"];
      await group.start("redis-server", serverArgs(group.subdir(`n${i}`), ...args), SERVER_READY);
      ports.push(port);
    }
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-yes"], { timeout: 30_000 });
    const node = (port: number) => connect({ socket: { host: "127.0.0.1", port } });
    await until("cluster_state:ok on every node, each knowing all masters", async () => {
      for (const port of ports) {
        const client = await node(port);
        try {
          const info = String(await client.sendCommand(["CLUSTER", "INFO"]));
          if (!info.includes("cluster_state:ok") || !info.includes(`cluster_known_nodes:${masters}`)) return false;
        } finally {
          client.destroy();
        }
      }
      return true;
    });
    const moveSlotOf = async (key: string): Promise<number> => {
      const clients = await Promise.all(ports.map(node));
      try {
        const ids = await Promise.all(clients.map(async (c) => String(await c.sendCommand(["CLUSTER", "MYID"]))));
        const slot = String(await clients[0].sendCommand(["CLUSTER", "KEYSLOT", key]));
        const owners = await Promise.all(
          clients.map(async (c) => Number(await c.sendCommand(["CLUSTER", "COUNTKEYSINSLOT", slot])) > 0),
        );
        const from = owners.indexOf(true);
        if (from < 0) throw new Error(`no keys in slot ${slot}`);
        const to = (from + 1) % ports.length;
        // The documented resharding steps (CLUSTER SETSLOT): importing, migrating, MIGRATE the keys, assign.
        await clients[to].sendCommand(["CLUSTER", "SETSLOT", slot, "IMPORTING", ids[from]]);
        await clients[from].sendCommand(["CLUSTER", "SETSLOT", slot, "MIGRATING", ids[to]]);
        for (;;) {
          const keys = (await clients[from].sendCommand(["CLUSTER", "GETKEYSINSLOT", slot, "100"])) as string[];
          if (keys.length === 0) break;
          const target = ["127.0.0.1", String(ports[to]), "", "0", "5000", "KEYS", ...keys.map(String)];
          await clients[from].sendCommand(["MIGRATE", ...target]);
        }
        for (const client of [clients[to], clients[from], ...clients])
          await client.sendCommand(["CLUSTER", "SETSLOT", slot, "NODE", ids[to]]);
        return ports[to];
      } finally {
        clients.forEach((c) => c.destroy());
      }
    };
    return { ports, node, moveSlotOf, stop: () => group.stop() };
  } catch (err) {
    await group.stop();
    throw err;
  }
}

/** A field of a Sentinel reply entry: a flat [name, value, ...] list (RESP2) or a map (RESP3). */
function field(entry: unknown, name: string): string | undefined {
  if (Array.isArray(entry)) {
    const at = entry.findIndex((item) => String(item) === name);
    return at >= 0 ? String(entry[at + 1]) : undefined;
  }
  if (entry instanceof Map) return entry.has(name) ? String(entry.get(name)) : undefined;
  const value = (entry as Record<string, unknown> | null)?.[name];
  return value === undefined ? undefined : String(value);
}

/** Poll `check` every 100 ms until true; fail with `what` after the limit. */
export async function until(what: string, check: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited ${limitMs} ms for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Call from a `before` hook: skips the suite (fails it in CI) without redis-sentinel or redis-cli. */
export function requireTopologyTools(context: Mocha.Context): void {
  const missing = ["redis-sentinel", "redis-cli"].filter(
    (binary) => spawnSync(binary, ["--version"], { stdio: "ignore", timeout: 10_000 }).error,
  );
  if (missing.length === 0) return;
  const install = "apt-get install redis-sentinel redis-tools";
  if (process.env.CI) throw new Error(`${missing.join(" and ")} not installed, and CI is set: ${install}`);
  console.log(`      ${missing.join(" and ")} not installed: topology tests skipped (${install})`);
  context.skip();
}
