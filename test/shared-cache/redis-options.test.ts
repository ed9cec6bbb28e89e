// The @redis/client options that accessTokenSharedCache turns into (redis-connection.ts), read as
// the client reads them: a Sentinel's or a Cluster's data nodes (discovered ones too) get the TLS
// options and the password, so the password never goes in clear text; no offline queue, bounded
// time and a capped reconnect delay everywhere. (topologies.test.ts connects over TLS for real.)
import assert from "node:assert/strict";
import { clientOptions, clusterOptions, sentinelOptions } from "../../src/shared-cache/redis-connection";
import { readSharedCacheSetting, type SharedCacheSetting } from "../../src/shared-cache/setting";

interface SocketOptions {
  tls?: boolean;
  ca?: string;
  connectTimeout?: number;
  reconnectStrategy?: (retries: number) => number;
  host?: string;
  port?: number;
  path?: string;
}

const TLS = { ca: "-----CA-----", cert: "-----CERT-----", key: "-----KEY-----", servername: "redis.internal" };
const setting = (option: Record<string, unknown>): SharedCacheSetting => readSharedCacheSetting(option)!;

/**
 * What every data node gets: the password, no offline queue, the command and connect bounds; and
 * TLS with the setting's options ("given"), TLS by the URL alone ("url") or none.
 */
function assertDataNode(options: Record<string, unknown>, socket: SocketOptions, tls: "given" | "url" | false): void {
  assert.equal(options.username, "app");
  assert.equal(options.password, "pw-1");
  assert.equal(options.disableOfflineQueue, true);
  assert.deepEqual(options.commandOptions, { timeout: 750 });
  assert.equal(socket.connectTimeout, 750);
  const delays = [0, 1, 4, 9, 10, 100].map((retries) => socket.reconnectStrategy!(retries));
  assert.deepEqual(delays, [200, 400, 1000, 2000, 2000, 2000], "200 ms more per retry, at most 2 s");
  // Exactly the setting's TLS options (the client passes the socket's other keys to tls.connect).
  const notTls = ["connectTimeout", "reconnectStrategy", "host", "port"];
  const secure = Object.fromEntries(Object.entries(socket).filter(([key]) => !notTls.includes(key)));
  const wanted = { given: { tls: true, ...TLS }, url: { tls: true }, none: {} }[tls || "none"];
  assert.deepEqual(secure, wanted, tls ? "TLS on, with exactly the options given" : "plain TCP");
}

describe("Redis connection options", () => {
  const common = { username: "app", password: "pw-1", timeoutMs: 750 };

  it("a Sentinel's data nodes get the TLS options and the password; the sentinels their own user", () => {
    const sentinel = { name: "mymaster", nodes: ["10.0.0.1:26379"], username: "watcher", password: "pw-2" };
    for (const tls of [true, false]) {
      const given = setting({ ...common, db: 3, sentinel, ...(tls ? { tls: TLS } : {}) });
      assert.equal(given.target.kind, "sentinel");
      if (given.target.kind !== "sentinel") return;
      const options = sentinelOptions(given, given.target);
      assert.equal(options.name, "mymaster");
      assert.deepEqual(options.sentinelRootNodes, [{ host: "10.0.0.1", port: 26379 }]);
      assertDataNode(options.nodeClientOptions, options.nodeClientOptions.socket, tls && "given");
      assert.equal(options.nodeClientOptions.database, 3);
      assert.equal(options.sentinelClientOptions.username, "watcher");
      assert.equal(options.sentinelClientOptions.password, "pw-2");
      assert.equal(options.sentinelClientOptions.socket.connectTimeout, 750);
      assert.equal(options.sentinelClientOptions.socket.reconnectStrategy(3), 800);
      assert.deepEqual(options.commandOptions, { timeout: 750 });
      assert.equal(options.passthroughClientErrorEvents, true, "a data node's error reaches our outage line");
    }
  });

  it("a Cluster's root nodes and the nodes it discovers get the TLS options and the password", () => {
    for (const tls of [true, false]) {
      const given = setting({
        ...common,
        cluster: ["10.0.0.1:7000", "redis://10.0.0.2:7001"],
        ...(tls ? { tls: TLS } : {}),
      });
      if (given.target.kind !== "cluster") return assert.fail(given.target.kind);
      const options = clusterOptions(given, given.target.rootNodes);
      assert.deepEqual(
        options.rootNodes.map(({ socket }) => [socket.host, socket.port]),
        [
          ["10.0.0.1", 7000],
          ["10.0.0.2", 7001],
        ],
      );
      for (const { socket } of options.rootNodes) assertDataNode(options.defaults, socket, tls && "given");
      assertDataNode(options.defaults, options.defaults.socket, tls && "given");
    }
  });

  it("one server: rediss:// turns TLS on by itself, redis:// stays plain unless tls is given, a unix socket never", () => {
    const secure = clientOptions(setting({ ...common, redis: "rediss://10.0.0.1:6380/2" }), "rediss://10.0.0.1:6380/2");
    assert.equal(secure.url, "rediss://10.0.0.1:6380/2");
    assertDataNode(secure as Record<string, unknown>, secure.socket as SocketOptions, "url");

    const plain = clientOptions(setting({ ...common, db: 1, redis: "redis://10.0.0.1:6379" }), "redis://10.0.0.1:6379");
    assertDataNode(plain as Record<string, unknown>, plain.socket as SocketOptions, false);
    assert.equal(plain.database, 1);

    const withTls = setting({ ...common, redis: "redis://10.0.0.1:6379", tls: TLS });
    const given = clientOptions(withTls, "redis://10.0.0.1:6379");
    assertDataNode(given as Record<string, unknown>, given.socket as SocketOptions, "given");

    const unix = clientOptions(setting({ ...common, redis: "unix:///run/redis.sock" }), "unix:///run/redis.sock");
    const socket = unix.socket as SocketOptions;
    assert.equal(socket.path, "/run/redis.sock");
    assert.equal(socket.tls, false);
    assert.equal(unix.url, undefined);
  });
});
