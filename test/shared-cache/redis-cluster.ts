// A Redis Cluster for the topology tests: masters with cluster-enabled (bus ports chosen, not port
// + 10000), joined by `redis-cli --cluster create --cluster-yes`, in a temporary directory; and a
// slot moved between masters the way a resharding does it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { freePort } from "../support/ports";
import { connect, Group, SERVER_READY, serverArgs, until, type Client } from "./redis-processes";

const run = promisify(execFile);

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
