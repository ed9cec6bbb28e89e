// The simulator's vendor pacing, spoken to over HTTP: a strict limit per account on a server's API
// (the token endpoint apart, each account counted on its own, 429 with Retry-After above it, a
// refused call not counted), busy spells of 429 or 503 with Retry-After in seconds or as a date,
// and the same through the control API that other processes use.
import assert from "node:assert/strict";
import { simulatorHttp } from "../support/simulator-http";

describe("simulator: rate limits and busy spells", () => {
  const suite = simulatorHttp();
  const form = { "content-type": "application/x-www-form-urlencoded" };

  async function token(clientId: string, clientSecret: string): Promise<string> {
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    const answer = await suite.call("/oauth2/token", { method: "POST", headers: form, body: body.toString() });
    assert.equal(answer.status, 200);
    return answer.body.access_token as string;
  }
  const things = (value: string) => suite.call("/oauth2/api/things", { headers: { authorization: `Bearer ${value}` } });

  it("lets `calls` through per account in any period, then 429 with Retry-After; the token endpoint is not limited", async () => {
    const { clientId, clientSecret } = suite.sim.accounts.oauth2;
    suite.sim.addAccount("oauth2", { clientId: "second-client", clientSecret: "second-secret" });
    suite.sim.rateLimit("oauth2", { calls: 3, periodMs: 2_000 });
    const first = await token(clientId, clientSecret);
    const again = await token(clientId, clientSecret);
    const other = await token("second-client", "second-secret");
    const statuses = [];
    for (const value of [first, again, first, first]) statuses.push((await things(value)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429], "two tokens of one account share its count");
    const refused = await things(first);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get("retry-after") ?? "", /^[12]$/);
    assert.equal(refused.body.error, "too_many_requests");
    assert.equal((await things(other)).status, 200, "another account has its own count");
    assert.deepEqual(suite.sim.pacingStatsOf("oauth2"), { accepted: 4, refused: 2, busy: 0 });
    assert.equal(suite.sim.acceptedCalls("oauth2").length, 4);
  });

  it("answers 503 or 429 to everyone during a busy spell, Retry-After in seconds or as a date, then serves again", async () => {
    const { clientId, clientSecret } = suite.sim.accounts.oauth2;
    const value = await token(clientId, clientSecret);
    suite.sim.busy("oauth2.api", { status: 503, ms: 300 });
    const busy = await things(value);
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), null);
    suite.sim.busy("oauth2.api", { status: 429, ms: 300, retryAfter: 5, retryAfterDate: true });
    const dated = await things(value);
    assert.equal(dated.status, 429);
    const wait = Date.parse(dated.headers.get("retry-after") ?? "") - Date.now();
    assert.ok(wait > 3_000 && wait <= 5_000, `an HTTP date about 5 s ahead (${wait} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal((await things(value)).status, 200);
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 2);
  });

  it("is driven by the control API too, with its arguments checked", async () => {
    const post = (name: string, body: unknown) =>
      suite.call(`/__simulator/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    assert.equal((await post("rate-limit", { server: "orionstar", calls: 1, periodMs: 1_000 })).status, 200);
    assert.equal((await post("rate-limit", { server: "orionstar", calls: 0, periodMs: 1_000 })).status, 400);
    assert.equal((await post("busy", { endpoint: "orionstar.robot_list", status: 500, ms: 10 })).status, 400);
    assert.equal((await post("busy", { endpoint: "orionstar.robot_list", status: 503, ms: 1_000 })).status, 200);
    const robots = await suite.call("/v1/robot/robot_list");
    assert.equal(robots.status, 503);
    const stats = await suite.call("/__simulator/pacing-stats");
    assert.deepEqual(stats.body, { orionstar: { accepted: 0, refused: 0, busy: 1 } });
  });
});
