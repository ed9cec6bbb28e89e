// The headline: two real Node-RED processes with the same OrionStar credentials behind one Redis.
// Many concurrent requests at both make one vendor token request between them and both serve the
// same token; a forced refresh is shared too; with Redis gone both keep working on their own
// caches, nothing fails and each logs one warning; Redis never holds the secret.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { NodeRedInstance } from "./node-red-instance";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";

const PREFIX = "nr-shared-test";
const LIFETIME_MS = 5 * 60_000;

function flows(sim: ProviderSimulator): unknown[] {
  const { appid, secret } = sim.accounts.orionstar;
  let y = 0;
  const at = () => ({ x: 200, y: (y += 60) });
  const httpIn = (id: string, url: string, next: string) => ({
    id,
    type: "http in",
    z: "tab",
    name: "",
    url,
    method: "get",
    upload: false,
    swaggerDoc: "",
    wires: [[next]],
    ...at(),
  });
  const change = (id: string, rules: unknown[], next: string) => ({
    id,
    type: "change",
    z: "tab",
    name: "",
    rules,
    action: "",
    property: "",
    from: "",
    to: "",
    reg: false,
    wires: [[next]],
    ...at(),
  });
  const set = (p: string, to: string, tot: string) => ({ t: "set", p, pt: "msg", to, tot });
  return [
    { id: "tab", type: "tab", label: "shared cache" },
    {
      id: "cfg",
      type: "orionstar-credentials",
      name: "",
      baseUrl: sim.url,
      proxy: "",
      tls: "",
      timeout: 10,
      credentials: { appid, secret },
    },
    httpIn("in-token", "/token", "get"),
    // GET /refresh?stale=<token>: msg.refreshToken with the token the caller found stale.
    httpIn("in-refresh", "/refresh", "mark"),
    change("mark", [set("refreshToken", "true", "bool"), set("token", "req.query.stale", "msg")], "get"),
    {
      id: "get",
      type: "access-token",
      z: "tab",
      name: "",
      provider: "orionstar",
      orionstar: "cfg",
      scope: "none",
      store: "",
      key: "accessToken",
      margin: 300,
      headers: false,
      wires: [["reply"]],
      ...at(),
    },
    change("reply", [set("payload", "token", "msg")], "res"),
    { id: "res", type: "http response", z: "tab", name: "", statusCode: "", headers: {}, wires: [], ...at() },
    { id: "catch", type: "catch", z: "tab", name: "", scope: null, uncaught: false, wires: [["fail"]], ...at() },
    change("fail", [set("statusCode", "500", "num"), set("payload", "error.message", "msg")], "res"),
  ];
}

describe("two Node-RED instances sharing tokens through Redis", function () {
  this.timeout(90_000);
  let redis: RedisServer;
  let sim: ProviderSimulator;
  let admin: AdminClient;
  let instances: NodeRedInstance[] = [];

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
    redis = await startRedis();
    admin = await adminClient(redis.url);
    const starting = [0, 1].map(() =>
      NodeRedInstance.start({ sharedCache: { redis: redis.url, prefix: PREFIX }, lifetimeMs: LIFETIME_MS }),
    );
    const settled = await Promise.allSettled(starting);
    instances = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    await Promise.all(instances.map((i) => i.deploy(flows(sim))));
    assert.equal(sim.count("orionstar.token"), 0, "deploying asks the vendor nothing");
  });

  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    admin?.destroy();
    await redis?.kill();
    await sim?.close();
  });

  /** n concurrent requests at every instance at once; each answer must be 200. Returns the bodies per instance. */
  async function burst(pathAndQuery: (index: number) => string, n: number): Promise<string[][]> {
    return Promise.all(
      instances.map(async (instance, index) => {
        const answers = await Promise.all(Array.from({ length: n }, () => instance.get(pathAndQuery(index))));
        for (const answer of answers) assert.equal(answer.status, 200, `instance ${index}: ${answer.body}`);
        return answers.map((a) => a.body);
      }),
    );
  }
  const count = () => sim.count("orionstar.token");
  const warnings = (instance: NodeRedInstance) => instance.output.match(/shared token cache unavailable/g) ?? [];

  let shared: string;

  it("many concurrent requests at both: one vendor request, the same token everywhere", async () => {
    sim.fail("orionstar.token", { kind: "slow", ms: 500 }, 2); // both instances are mid-refresh together
    const bodies = await burst(() => "/token", 40);
    assert.equal(count(), 1);
    const tokens = new Set(bodies.flat());
    assert.equal(tokens.size, 1, "both instances serve one token");
    shared = [...tokens][0];
    assert.ok(shared.length > 0);
  });

  it("a forced refresh at both makes one request, and both adopt the new token", async () => {
    sim.fail("orionstar.token", { kind: "slow", ms: 500 }, 2);
    const bodies = await burst(() => `/refresh?stale=${encodeURIComponent(shared)}`, 20);
    assert.equal(count(), 2);
    const tokens = new Set(bodies.flat());
    assert.equal(tokens.size, 1);
    assert.ok(!tokens.has(shared));
    shared = [...tokens][0];
    assert.deepEqual(new Set((await burst(() => "/token", 5)).flat()), new Set([shared]));
    assert.equal(count(), 2);
  });

  it("Redis holds the token, never the secret", async () => {
    const { appid, secret } = sim.accounts.orionstar;
    const keys = await admin.keys("*");
    assert.ok(
      keys.some((key) => key.startsWith(`${PREFIX}:{`) && key.endsWith("}:token")),
      keys.join(", "),
    );
    for (const key of keys) {
      assert.ok(key.startsWith(`${PREFIX}:`));
      const value = String(await admin.get(key));
      for (const text of [key, value]) {
        assert.ok(!text.includes(secret) && !text.includes(encodeURIComponent(secret)), `secret found in ${key}`);
      }
      assert.ok(!key.includes(appid));
      if (key.endsWith(":token")) {
        const entry = JSON.parse(value);
        assert.deepEqual(Object.keys(entry).sort(), ["expiresAt", "fence", "mac", "obtainedAt", "token", "v"]);
        assert.equal(entry.token, shared);
      }
    }
  });

  it("with Redis killed both keep working on their own caches; one warning each per outage", async () => {
    admin.destroy();
    await redis.kill();
    const before = count();
    // Still valid: served from each instance's own cache, no request, no Redis.
    assert.deepEqual(new Set((await burst(() => "/token", 10)).flat()), new Set([shared]));
    assert.equal(count(), before);
    // Forced refreshes now go to the vendor from each instance: one request each per round.
    const stale = instances.map(() => shared);
    for (let round = 1; round <= 2; round++) {
      const bodies = await burst((index) => `/refresh?stale=${encodeURIComponent(stale[index])}`, 10);
      bodies.forEach((mine, index) => {
        assert.equal(new Set(mine).size, 1, `instance ${index} serves one token`);
        assert.notEqual(mine[0], stale[index]);
        stale[index] = mine[0];
      });
      assert.equal(count(), before + 2 * round);
    }
    for (const instance of instances) assert.equal(warnings(instance).length, 1, instance.output);
  });
});
