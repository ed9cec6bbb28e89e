// settings.js `accessTokenSharedCache` as docs/shared-cache.md describes it: every refused shape
// with the exact text the Node-RED log shows (the setting's name, what to fix, never a password),
// the shapes it accepts (defaults, db 0, IPv6 nodes, { host } alone) and the label that names
// the Redis in the outage lines. (Turned into client options: redis-options.test.ts.)
import assert from "node:assert/strict";
import { readSharedCacheSetting } from "../../src/shared-cache/setting";

const EXAMPLE = `{ redis: "redis://127.0.0.1:6379/0" }, { sentinel: { name, nodes: ["host:26379"] } } or { cluster: ["redis://host:7000"] }`;
const CREDENTIALS = "put credentials in .password (and .username), not in the address";

/** A setting that is fine but for the part given (one server unless it names another kind). */
const server = (extra: Record<string, unknown>) => ({ redis: "redis://127.0.0.1:6379/0", ...extra });
const sentinel = (extra: Record<string, unknown>) => ({ sentinel: { name: "mymaster", nodes: ["h:26379"], ...extra } });

const refused: [string, unknown, string][] = [
  ["a string", "redis://u:pw-123@h", ` must be an object like ${EXAMPLE}`],
  ["a list", [{ redis: "redis://h" }], ` must be an object like ${EXAMPLE}`],
  ["no kind", { prefix: "p" }, ` needs exactly one of redis, sentinel or cluster, like ${EXAMPLE}`],
  ["two kinds", server({ cluster: ["h:1"] }), ` needs exactly one of redis, sentinel or cluster, like ${EXAMPLE}`],
  ["an empty prefix", server({ prefix: "" }), ".prefix must be a non-empty string"],
  ["a prefix that is no string", server({ prefix: 5 }), ".prefix must be a non-empty string"],
  ["a negative timeout", server({ timeoutMs: -1 }), ".timeoutMs must be a positive number"],
  ["an endless timeout", server({ timeoutMs: Infinity }), ".timeoutMs must be a positive number"],
  ["tls: true", server({ tls: true }), ".tls must be an object"],
  ["tls: null", server({ tls: null }), ".tls must be an object"],
  ["a numeric username", server({ username: 5 }), ".username must be a string"],
  ["a numeric password", server({ password: 5 }), ".password must be a string"],
  ["a negative db", server({ db: -1 }), ".db must be a whole number"],
  ["a fractional db", server({ db: 1.5 }), ".db must be a whole number"],
  ["a db given as text", server({ db: "1" }), ".db must be a whole number"],
  ["redis: a number", { redis: 5 }, ".redis must be a redis://, rediss:// or unix:// URL"],
  ["redis: empty", { redis: "" }, ".redis must be a redis://, rediss:// or unix:// URL"],
  ["redis: no URL", { redis: "pw-123@h" }, ".redis is not a valid URL (expected redis://host:port/db)"],
  ["redis: http", { redis: "http://u:pw-123@h" }, ".redis must start with redis://, rediss:// or unix://"],
  ["redis: no host", { redis: "redis:///0" }, ".redis has no host"],
  ["rediss: no host", { redis: "rediss://" }, ".redis has no host"],
  ["unix: no path", { redis: "unix://" }, ".redis has no socket path"],
  ["cluster: empty", { cluster: [] }, ".cluster must be a list of node addresses"],
  ["cluster: one address", { cluster: "h:7000" }, ".cluster must be a list of node addresses"],
  ["cluster: a number", { cluster: [5] }, ".cluster has an entry that is not an address"],
  ["cluster: null", { cluster: [null] }, ".cluster has an entry that is not an address"],
  ["cluster: an empty address", { cluster: [""] }, ".cluster has an entry that is not an address"],
  [
    "cluster: port as text",
    { cluster: [{ host: "h", port: "7000" }] },
    ".cluster has an entry that is not { host, port }",
  ],
  ["cluster: no host", { cluster: [{ port: 7000 }] }, ".cluster has an entry that is not { host, port }"],
  ["cluster: a bad port", { cluster: ["h:port"] }, ".cluster has an entry that is not a host:port address"],
  ["cluster: a password", { cluster: ["redis://u:pw-123@h:7000"] }, `.cluster: ${CREDENTIALS}`],
  ["cluster: a user", { cluster: ["redis://u@h:7000"] }, `.cluster: ${CREDENTIALS}`],
  ["cluster: no host in a URL", { cluster: ["redis:///7000"] }, ".cluster has an entry without a host"],
  ["sentinel: a string", { sentinel: "h:26379" }, '.sentinel must be { name, nodes: ["host:26379"] }'],
  ["sentinel: null", { sentinel: null }, '.sentinel must be { name, nodes: ["host:26379"] }'],
  [
    "sentinel: no name",
    { sentinel: { nodes: ["h:26379"] } },
    ".sentinel.name must be the master's name (sentinel monitor <name>)",
  ],
  [
    "sentinel: empty name",
    sentinel({ name: "" }),
    ".sentinel.name must be the master's name (sentinel monitor <name>)",
  ],
  ["sentinel: no nodes", { sentinel: { name: "m" } }, ".sentinel.nodes must be a list of sentinel addresses"],
  ["sentinel: empty nodes", sentinel({ nodes: [] }), ".sentinel.nodes must be a list of sentinel addresses"],
  ["sentinel: a numeric username", sentinel({ username: 5 }), ".sentinel.username must be a string"],
  ["sentinel: a numeric password", sentinel({ password: 5 }), ".sentinel.password must be a string"],
  ["sentinel: a number as node", sentinel({ nodes: [26379] }), ".sentinel.nodes has an entry that is not an address"],
  [
    "sentinel: a password in a node",
    sentinel({ nodes: ["redis://:pw-123@h:26379"] }),
    `.sentinel.nodes: ${CREDENTIALS}`,
  ],
];

describe("accessTokenSharedCache: what it refuses and accepts", () => {
  for (const [what, value, detail] of refused) {
    it(`refuses ${what} with the text that says what to fix`, () => {
      assert.throws(
        () => readSharedCacheSetting(value),
        (err: Error) => {
          assert.ok(err instanceof TypeError, String(err));
          assert.equal(err.message, `accessTokenSharedCache${detail}`);
          assert.ok(!err.message.includes("pw-123"), "never a password");
          return true;
        },
      );
    });
  }

  it("accepts db 0, a Sentinel without passwords, nodes given as { host } alone, and IPv6 nodes", () => {
    assert.equal(readSharedCacheSetting(server({ db: 0 }))!.db, 0);
    const watched = readSharedCacheSetting({
      sentinel: { name: "m", nodes: [{ host: "10.0.0.1" }, "[fd00::1]:26380"] },
    })!;
    assert.deepEqual(watched.target, {
      kind: "sentinel",
      name: "m",
      sentinels: [
        { host: "10.0.0.1", port: 26379 },
        { host: "fd00::1", port: 26380 },
      ],
      sentinelUsername: undefined,
      sentinelPassword: undefined,
    });
    const cluster = readSharedCacheSetting({
      cluster: [{ host: "10.0.0.1" }, "redis://[::1]", { host: "h", port: 7001 }],
    })!;
    assert.deepEqual(cluster.target, {
      kind: "cluster",
      rootNodes: [
        { host: "10.0.0.1", port: 6379 },
        { host: "::1", port: 6379 },
        { host: "h", port: 7001 },
      ],
    });
  });

  it("names the Redis in log lines by its addresses: every node, the master's name, the database", () => {
    const label = (value: unknown) => readSharedCacheSetting(value)!.label;
    assert.equal(
      label({ sentinel: { name: "mymaster", nodes: ["10.0.0.1", "10.0.0.2:26380"], password: "pw-123" } }),
      "sentinel mymaster (10.0.0.1:26379,10.0.0.2:26380)",
    );
    assert.equal(
      label({ cluster: ["redis://10.0.0.1:7000", "10.0.0.2"], password: "pw-123" }),
      "cluster 10.0.0.1:7000,10.0.0.2:6379",
    );
    assert.equal(label({ redis: "redis://u:pw-123@h:1/" }), "h:1/0", "no database in the URL: database 0");
    assert.equal(label({ redis: "redis://h:1/3" }), "h:1/3");
    assert.equal(label({ redis: "rediss://h" }), "h:6379/0");
  });
});
