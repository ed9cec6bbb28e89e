// A refresh token is a secret of this instance: the shared cache carries access tokens only. With
// Redis configured, a ThingsBoard login (access + refresh token) and a refresh that rotates both
// leave every refresh token out of every key Redis holds, while the access token is shared there.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { apiFlow, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";
import { THINGSBOARD_CUSTOM as THINGSBOARD } from "../support/custom-thingsboard";

const PREFIX = "refresh-token-test";

describe("shared cache and refresh tokens", function () {
  this.timeout(20_000);
  let sim: ProviderSimulator;
  let redis: RedisServer;
  let admin: AdminClient;

  before(async function () {
    requireRedis(this);
    sim = await ProviderSimulator.start();
    redis = await startRedis();
    admin = await adminClient(redis.url);
  });
  after(async () => {
    await helper.unload();
    helper.settings({});
    admin?.destroy();
    await redis?.kill();
    await sim?.close();
  });

  /** Every value Redis holds, whatever its type, as text. */
  async function everythingInRedis(): Promise<string> {
    const texts: string[] = [];
    for (const key of await admin.keys("*")) {
      texts.push(key);
      const type = await admin.type(key);
      if (type === "string") texts.push((await admin.get(key)) ?? "");
      else if (type === "hash") texts.push(JSON.stringify(await admin.hGetAll(key)));
      else if (type === "list") texts.push(...(await admin.lRange(key, 0, -1)));
      else if (type === "set") texts.push(...(await admin.sMembers(key)));
      else if (type === "zset") texts.push(...(await admin.zRange(key, 0, -1)));
      else assert.fail(`a key of type ${type} this test cannot read: ${key}`);
    }
    return texts.join("\n");
  }

  it("a login and a rotating refresh: the access token is shared, no refresh token is in Redis", async () => {
    helper.settings({ accessTokenSharedCache: { redis: redis.url, prefix: PREFIX } });
    const { username, password } = sim.accounts.thingsboard;
    const flow = apiFlow(
      "custom",
      "",
      { method: "GET", url: "/api/tenant/devices?pageSize=2&page=0" },
      { ...THINGSBOARD, tokenUrl: `${sim.url}/api/auth/login`, apiUrl: sim.url },
    );
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], flow, { cfg: { key: username, secret: password } });
    const call = async () => {
      const out = nextMessage("out");
      helper.getNode("api").receive({});
      assert.equal((await out).statusCode, 200);
    };
    await call();
    sim.expireTokens("thingsboard");
    await call();
    assert.equal(sim.count("thingsboard.token"), 1, "one login");
    assert.equal(sim.count("thingsboard.refresh"), 1, "then one refresh");

    const refreshTokens = sim.issuedRefreshTokens();
    assert.equal(refreshTokens.length, 2, "the login's and the refresh's");
    const held = await everythingInRedis();
    assert.ok(held.includes(`${PREFIX}:`), "the account's entry is in Redis");
    const accessTokens = sim.issuedTokens().filter((token) => !refreshTokens.includes(token));
    assert.ok(
      accessTokens.some((token) => held.includes(token)),
      "an access token is shared (the check reads Redis's values)",
    );
    for (const token of refreshTokens) assert.ok(!held.includes(token), "a refresh token is in Redis");
  });
});
