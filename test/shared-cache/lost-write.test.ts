// A Sentinel failover can lose the last write: a token shared to the old master in the moment after
// the replica was promoted is gone, and the new master still holds the token before it. A forced
// refresh of the newer token must not adopt that older one (the caller's stale token is newer than
// it, so it is at least as stale): it asks the vendor. Made deterministic here by putting the older
// entry back into a real Redis, as the promoted replica would hold it.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { basicFlow, demoCredentials, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { adminClient, requireRedis, startRedis, type AdminClient, type RedisServer } from "./redis-server";

const PREFIX = "lost-write-test";

describe("shared cache after a failover that lost the last shared token", function () {
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

  async function token(msg: Record<string, unknown> = {}): Promise<string> {
    const out = nextMessage("out");
    helper.getNode("get").receive(msg);
    return (await out).token as string;
  }

  it("a forced refresh does not go back to the older token the new master still holds", async () => {
    helper.settings({ accessTokenSharedCache: { redis: redis.url, prefix: PREFIX } });
    await helper.load([accessTokenNodes, coreNode(CORE.catch)], basicFlow("oneaccess", sim.url, { scope: "none" }), {
      cfg: demoCredentials(sim, "oneaccess"),
    });
    const first = await token();
    const [key] = await admin.keys(`${PREFIX}:*:token`);
    assert.ok(key, "the first token was shared");
    const older = String(await admin.get(key));
    const ttl = await admin.pTTL(key);

    const second = await token({ refreshToken: true, token: first });
    assert.notEqual(second, first);
    assert.equal(sim.count("oneaccess.token"), 2);
    // The failover: the new master never saw the second token; it holds the first one's entry.
    await admin.set(key, older, { PX: ttl });

    const third = await token({ refreshToken: true, token: second });
    assert.notEqual(third, first, "the token refreshed away before came back");
    assert.notEqual(third, second);
    assert.equal(sim.count("oneaccess.token"), 3);
  });
});
