// A refresh token is a secret of this instance: the shared cache carries access tokens only. With
// Redis configured, a ThingsBoard login (access + refresh token) and a refresh that rotates both
// leave every refresh token out of every key Redis holds, while the access token is shared there.
import assert from "node:assert/strict";
import { apiFlow, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import { redisFrame } from "./redis-server";
import { THINGSBOARD_CUSTOM as THINGSBOARD } from "../support/custom-thingsboard";

const PREFIX = "refresh-token-test";

describe("shared cache and refresh tokens", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const cache = redisFrame();

  /** Every value Redis holds, whatever its type, as text. */
  async function everythingInRedis(): Promise<string> {
    const texts: string[] = [];
    for (const key of await cache.admin.keys("*")) {
      texts.push(key);
      const type = await cache.admin.type(key);
      if (type === "string") texts.push((await cache.admin.get(key)) ?? "");
      else if (type === "hash") texts.push(JSON.stringify(await cache.admin.hGetAll(key)));
      else if (type === "list") texts.push(...(await cache.admin.lRange(key, 0, -1)));
      else if (type === "set") texts.push(...(await cache.admin.sMembers(key)));
      else if (type === "zset") texts.push(...(await cache.admin.zRange(key, 0, -1)));
      else assert.fail(`a key of type ${type} this test cannot read: ${key}`);
    }
    return texts.join("\n");
  }

  it("a login and a rotating refresh: the access token is shared, no refresh token is in Redis", async () => {
    helper.settings({ accessTokenSharedCache: { redis: cache.server.url, prefix: PREFIX } });
    const { username, password } = suite.sim.accounts.thingsboard;
    const flow = apiFlow(
      "custom",
      "",
      { method: "GET", url: "/api/tenant/devices?pageSize=2&page=0" },
      { ...THINGSBOARD, tokenUrl: `${suite.sim.url}/api/auth/login`, apiUrl: suite.sim.url },
    );
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], flow, { cfg: { key: username, secret: password } });
    const call = async () => {
      const out = nextMessage("out");
      helper.getNode("api").receive({});
      assert.equal((await out).statusCode, 200);
    };
    await call();
    suite.sim.expireTokens("thingsboard");
    await call();
    assert.equal(suite.sim.count("thingsboard.token"), 1, "one login");
    assert.equal(suite.sim.count("thingsboard.refresh"), 1, "then one refresh");

    const refreshTokens = suite.sim.issuedRefreshTokens();
    assert.equal(refreshTokens.length, 2, "the login's and the refresh's");
    const held = await everythingInRedis();
    assert.ok(held.includes(`${PREFIX}:`), "the account's entry is in Redis");
    const accessTokens = suite.sim.issuedTokens().filter((token) => !refreshTokens.includes(token));
    assert.ok(
      accessTokens.some((token) => held.includes(token)),
      "an access token is shared (the check reads Redis's values)",
    );
    for (const token of refreshTokens) assert.ok(!held.includes(token), "a refresh token is in Redis");
  });
});
