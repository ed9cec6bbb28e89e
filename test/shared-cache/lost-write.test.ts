// An older genuine entry back in Redis, put there two ways. A Sentinel failover can lose the last
// write: a token shared to the old master in the moment after the replica was promoted is gone, and
// the new master still holds the token before it, with its mark (the write's MULTI replicates
// whole). A forced refresh of the newer token must not adopt that older one (the caller's stale token
// is newer than it, so it is at least as stale): it asks the vendor, and nothing is wrong with
// Redis. Someone who can write to Redis can put an older entry back on its own (a replay): a cold
// instance refuses it, asks the vendor, and warns once. Both made deterministic here with raw SETs
// into a real Redis.
import assert from "node:assert/strict";
import { basicFlow, demoCredentials, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { redisFrame } from "./redis-server";

const PREFIX = "lost-write-test";

describe("shared cache with an older entry back in Redis", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const cache = redisFrame();

  /** An instance that starts cold: a new runtime connection, nothing in its cache nor in context. */
  async function start(): Promise<void> {
    helper.settings({ accessTokenSharedCache: { redis: cache.server.url, prefix: PREFIX } });
    await helper.load(
      [accessTokenNodes, coreNode(CORE.catch)],
      basicFlow("oneaccess", suite.sim.url, { scope: "none" }),
      {
        cfg: demoCredentials(suite.sim, "oneaccess"),
      },
    );
  }
  async function token(msg: Record<string, unknown> = {}): Promise<string> {
    const out = nextMessage("out");
    helper.getNode("get").receive(msg);
    return (await out).token as string;
  }
  /** The account's entry and its mark as Redis holds them now, and a way to put them back. */
  async function snapshot(): Promise<{ key: string; put(keys: "entry" | "entry and mark"): Promise<void> }> {
    const [key] = await cache.admin.keys(`${PREFIX}:*:token`);
    assert.ok(key, "a token was shared");
    const markKey = key.replace(/:token$/, ":written");
    const [entry, mark, ttl] = [
      await cache.admin.get(key),
      await cache.admin.get(markKey),
      await cache.admin.pTTL(key),
    ];
    assert.ok(entry && mark, "the entry and its mark");
    return {
      key,
      async put(keys) {
        await cache.admin.set(key, entry, { PX: ttl });
        if (keys === "entry and mark") await cache.admin.set(markKey, mark);
      },
    };
  }
  const replayWarnings = () => logged("warn").filter((line) => /older token entry put back/.test(line));

  it("a forced refresh does not go back to the older token the new master still holds", async () => {
    await start();
    const first = await token();
    const older = await snapshot();
    const second = await token({ refreshToken: true, token: first });
    assert.notEqual(second, first);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    // The failover: the new master never saw the second token; it holds the first one's entry and mark.
    await older.put("entry and mark");

    const third = await token({ refreshToken: true, token: second });
    assert.notEqual(third, first, "the token refreshed away before came back");
    assert.notEqual(third, second);
    assert.equal(suite.sim.count("oneaccess.token"), 3);
    assert.deepEqual(replayWarnings(), [], "an entry written under the lock, with its mark, is no replay");
  });

  it("an older entry put back on its own is not adopted by a cold instance: it asks the vendor, and warns once", async () => {
    await start();
    const first = await token();
    const older = await snapshot();
    assert.notEqual(await token({ refreshToken: true, token: first }), first);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    await helper.unload();
    // Someone who can write to Redis puts the first entry back (raw SET), the mark still names the second.
    await older.put("entry");

    await start();
    const third = await token();
    assert.notEqual(third, first, "the cold instance adopted the entry put back");
    assert.equal(suite.sim.count("oneaccess.token"), 3, "it asked the vendor");
    // Again, and a forced refresh reads it twice more (before and under the lock): still one warning.
    await older.put("entry");
    assert.notEqual(await token({ refreshToken: true, token: third }), first);
    assert.equal(suite.sim.count("oneaccess.token"), 4);
    const warnings = replayWarnings();
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.ok(warnings[0].includes(older.key), "names the account's key");
    assert.ok(!warnings[0].includes(first), "never the token");
  });
});
