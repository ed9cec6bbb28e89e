// openRedis in this process against each real topology (one server by URL, a unix socket, TLS, a
// Sentinel set, a three-master Cluster): a command, a WATCH/MULTI/EXEC transaction on an exclusive
// client, a message through subscribe, close (no timer left behind); the Cluster transaction that
// meets a moved slot is run again on its new owner once, one that fails otherwise never again. The
// topology suites run the same through Node-RED processes; this one runs in the mutation run, so the
// connect code of every topology is mutated and checked.
import assert from "node:assert/strict";
import { openRedis, type RedisConnection } from "../../src/shared-cache/redis-connection";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";
import { delay } from "../support/flows";
import { startCluster, type RedisCluster } from "./redis-cluster";
import { requireTopologyTools } from "./redis-processes";
import { requireRedis } from "./redis-server";
import { startSentinelSet, type SentinelSet } from "./redis-sentinel-set";
import { startTlsRedis, startUnixRedis, type TlsRedis, type UnixRedis } from "./redis-topologies";

/** The connection's round trip: SET and GET, a transaction on an exclusive client, a published message. */
async function roundTrip(connection: RedisConnection, key: string): Promise<void> {
  assert.equal(await connection.command(key, ["SET", key, "one"]), "OK");
  assert.equal(await connection.command(key, ["GET", key]), "one");
  const replies = await connection.exclusive(key, async (client) => {
    await client.sendCommand(["WATCH", key]);
    const transaction = client.multi();
    transaction.addCommand(["SET", key, "two"]);
    transaction.addCommand(["GET", key]);
    return transaction.exec();
  });
  assert.deepEqual(replies, ["OK", "two"]);
  const channel = `${key}:channel`;
  const received = new Promise<string>((resolve) => void connection.subscribe(channel, resolve));
  // A subscription is live once SUBSCRIBE's reply is in: publish until the message arrives.
  let message: string | undefined;
  void received.then((text) => (message = text));
  for (let i = 0; i < 50 && message === undefined; i++) {
    await connection.command(channel, ["PUBLISH", channel, "hello"]);
    await delay(50);
  }
  assert.equal(await received, "hello");
  assert.equal(connection.lastError, undefined, "no connection error on the way");
}

describe("openRedis on each topology, in this process", function () {
  this.timeout(60_000);
  let open: RedisConnection[] = [];
  const connect = (option: Record<string, unknown>): RedisConnection => {
    const connection = openRedis(readSharedCacheSetting({ timeoutMs: 3_000, ...option })!);
    open.push(connection);
    return connection;
  };
  before(function () {
    requireRedis(this);
  });
  afterEach(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    open = [];
  });

  describe("one server", () => {
    let tls: TlsRedis;
    let unix: UnixRedis;
    before(async () => {
      [tls, unix] = await Promise.all([startTlsRedis(), startUnixRedis()]);
    });
    after(async () => {
      await Promise.all([tls?.stop(), unix?.stop()]);
    });

    it("rediss:// with the CA: every operation; without the CA refused", async () => {
      await roundTrip(connect({ redis: tls.url, tls: { ca: tls.ca } }), "tls-key");
      await assert.rejects(connect({ redis: tls.url }).command("k", ["PING"]));
    });

    it("unix://: every operation through the socket", async () => {
      await roundTrip(connect({ redis: unix.url }), "unix-key");
    });

    it("leaves no timer behind: connections opened, used and closed", async () => {
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      await delay(1); // mocha starts this test's own timeout timer once the test returns its promise
      const before = timers();
      for (let i = 0; i < 3; i++) {
        // Connecting is bounded by timeoutMs: that bound ends with the connect, not a minute later.
        const connection = connect({ redis: unix.url, timeoutMs: 60_000 });
        await connection.command("k", ["PING"]);
        await connection.subscribe("c", () => undefined);
        await connection.close();
      }
      // The sockets close (and their own timers end) on the next turns of the event loop.
      for (let i = 0; i < 100 && timers() > before; i++) await delay(10);
      assert.equal(timers(), before);
    });

    it("close ends every socket: a command after it fails at once", async () => {
      const connection = connect({ redis: unix.url });
      await connection.subscribe("c", () => undefined);
      await connection.close();
      await assert.rejects(connection.command("k", ["PING"]));
    });
  });

  describe("Sentinel", () => {
    let sentinel: SentinelSet;
    before(async function () {
      requireTopologyTools(this);
      this.timeout(60_000);
      sentinel = await startSentinelSet(1);
    });
    after(async () => {
      await sentinel?.stop();
    });
    const option = (sentinelPassword: string) => ({
      sentinel: {
        name: sentinel.name,
        nodes: sentinel.sentinels.map(({ host, port }) => `${host}:${port}`),
        password: sentinelPassword,
      },
      password: sentinel.password,
    });

    it("finds the master through the Sentinels (their own password) and does every operation there", async () => {
      await roundTrip(connect(option(sentinel.sentinelPassword)), "sentinel-key");
      const master = await sentinel.master();
      try {
        assert.equal(String(await master.get("sentinel-key")), "two", "written on the master");
      } finally {
        master.destroy();
      }
    });
  });

  describe("Cluster", () => {
    let cluster: RedisCluster;
    before(async function () {
      requireTopologyTools(this);
      this.timeout(60_000);
      cluster = await startCluster(3);
    });
    after(async () => {
      await cluster?.stop();
    });
    const option = () => ({ cluster: [`127.0.0.1:${cluster.ports[0]}`] });

    it("one root node: keys routed to their masters, every operation", async () => {
      const connection = connect(option());
      for (const key of ["{a}k", "{b}k", "{c}k"]) await roundTrip(connection, key);
    });

    it("a transaction that fails for another reason than a moved slot is not run again", async () => {
      const connection = connect(option());
      const [list, text] = ["{once}list", "{once}text"];
      assert.equal(await connection.command(text, ["SET", text, "not a number"]), "OK");
      let runs = 0;
      const failing = connection.exclusive(list, async (client) => {
        runs++;
        await client.sendCommand(["RPUSH", list, "written"]);
        return client.sendCommand(["INCR", text]);
      });
      await assert.rejects(failing, /not an integer/);
      assert.equal(runs, 1);
      assert.equal(await connection.command(list, ["LLEN", list]), 1, "its writes made once");
    });

    it("a transaction after its slot moved runs once on the new owner", async () => {
      const connection = connect(option());
      const key = "{moving}token";
      assert.equal(await connection.command(key, ["SET", key, "before"]), "OK");
      await connection.exclusive(key, async (client) => client.sendCommand(["GET", key])); // the client maps the slot
      const owner = await cluster.moveSlotOf(key);
      let runs = 0;
      const value = await connection.exclusive(key, async (client) => {
        runs++;
        return client.sendCommand(["GET", key]);
      });
      assert.equal(value, "before");
      assert.equal(runs, 2, "refused by the old owner (MOVED), then run on the new one");
      const node = await cluster.node(owner);
      try {
        assert.equal(String(await node.get(key)), "before", "the key lives on the new owner");
      } finally {
        node.destroy();
      }
    });
  });
});
