// A Sentinel set for the topology tests: one master, one replica and Sentinels, every node with a
// password (the data nodes' requirepass and masterauth, the Sentinels' own requirepass), in a
// temporary directory; failover() runs SENTINEL FAILOVER and waits until every Sentinel agrees.
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "../support/ports";
import { connect, Group, SERVER_READY, serverArgs, until, type Client } from "./redis-processes";

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
