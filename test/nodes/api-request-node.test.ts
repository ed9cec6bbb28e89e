// The api request node in a real Node-RED runtime against the simulator over real HTTP: each
// vendor's calls (GET with msg.query, POST with an object body, EnOS signatures checked by the
// simulator's own verifier), a revoked token refreshed once for 100 concurrent messages, a second
// refusal to Catch, errors sent on, each `ret`, a relative and an absolute URL, the body cap, and
// no token or secret in any error or log line.
import assert from "node:assert/strict";
import { RESPONSE_HEADERS_MARK } from "../../src/nodes/response-headers";
import { apiFlow, demoCredentials, nextMessage, nextMessages, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper, runtimeHooks } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import { CATCH_STATUS_HOOK } from "../../src/nodes/catch-status-code";
import type { ProviderId } from "../../src/providers";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("api request node", function () {
  this.timeout(20_000);
  // After each test the frame sweeps the log and every message and error handed to suite.remember.
  const suite = simulatorSuite();
  const remember = <T>(value: T): T => suite.remember(value);

  async function load(provider: ProviderId, options = {}): Promise<void> {
    await helper.load(NODES, apiFlow(provider, suite.sim.url, options), { cfg: demoCredentials(suite.sim, provider) });
  }

  async function call(msg: Record<string, unknown>, id = "out"): Promise<Record<string, any>> {
    const out = nextMessage(id);
    helper.getNode("api").receive(msg);
    return remember(await out);
  }

  it("OrionStar: GET a path of the credentials' URL with msg.query, and answers as the http request node does", async () => {
    await load("orionstar", { url: "/v1/robot/robot_list" });
    const corp = suite.sim.accounts.orionstar.corpId;
    const msg = await call({ query: { ov_corpid: corp, page: 1, page_rows: 20 }, token: undefined });
    assert.equal(msg.statusCode, 200);
    assert.equal(msg.payload.code, 0);
    assert.ok(msg.payload.data.robot_list.length >= 1, "the robots of the query's corp");
    assert.equal(msg.responseUrl, `${suite.sim.url}/v1/robot/robot_list?ov_corpid=${corp}&page=1&page_rows=20`);
    assert.match(String(msg.headers["content-type"]), /json/);
    assert.ok(RESPONSE_HEADERS_MARK in msg.headers, "response headers marked for the next request node");
    assert.equal(msg.token, undefined, "no token on the message");
    assert.equal(suite.sim.count("orionstar.token"), 1);
    assert.equal(suite.sim.count("orionstar.robot_list"), 1);
    assert.equal(statuses("api").at(-1)?.fill, "green");
  });

  it("EnOS: a signed GET with msg.query, verified by the simulator", async () => {
    await load("enos", { url: "/asset-service/v2.1/assets" });
    const { orgId, assetId } = suite.sim.accounts.enos;
    const msg = await call({ query: { action: "get", orgId, assetId } });
    assert.equal(msg.statusCode, 200);
    assert.equal(msg.payload.code, 0, JSON.stringify(msg.payload));
    assert.equal(msg.payload.data.assetId, assetId);
  });

  it("EnOS: a signed POST of an object body (sent and signed as the same JSON bytes)", async () => {
    await load("enos", { method: "POST", url: "/connect-service/v2.1/devices" });
    const { orgId } = suite.sim.accounts.enos;
    const msg = await call({
      query: { action: "search", orgId },
      payload: { pagination: { pageNo: 1, pageSize: 10 } },
    });
    assert.equal(msg.statusCode, 200);
    assert.equal(msg.payload.code, 0, JSON.stringify(msg.payload));
    assert.ok(Array.isArray(msg.payload.data));
  });

  it("OneAccess: GET with msg.query; msg.url and msg.method when the node leaves them to the message", async () => {
    await load("oneaccess", { method: "use", url: "" });
    const msg = await call({
      method: "get",
      url: "/api/v2/tenant/users",
      query: { org_id: suite.sim.accounts.oneaccess.orgId, offset: 0, limit: 10 },
    });
    assert.equal(msg.statusCode, 200);
    assert.ok(Array.isArray(msg.payload.users) && msg.payload.users.length > 0);
  });

  it("takes an absolute URL as it is", async () => {
    await load("oneaccess", { url: `${suite.sim.url}/api/v2/tenant/users?offset=0&limit=2` });
    const msg = await call({});
    assert.equal(msg.payload.users.length, 2);
  });

  it("returns text or a buffer when asked", async () => {
    await load("oneaccess", { url: "/api/v2/tenant/users", ret: "txt" });
    const text = await call({});
    assert.equal(typeof text.payload, "string");
    assert.ok(Array.isArray(JSON.parse(text.payload).users));
    await helper.unload();
    await load("oneaccess", { url: "/api/v2/tenant/users", ret: "bin" });
    const bin = await call({});
    assert.ok(Buffer.isBuffer(bin.payload));
    assert.deepEqual(JSON.parse(bin.payload.toString("utf8")), JSON.parse(text.payload));
  });

  it("a revoked token: 100 concurrent messages cause one new token request and each call is sent again once", async () => {
    await load("orionstar", { url: "/v1/robot/robot_list" });
    const query = { ov_corpid: suite.sim.accounts.orionstar.corpId, page: 1, page_rows: 5 };
    await call({ query });
    assert.equal(suite.sim.count("orionstar.token"), 1);
    suite.sim.expireTokens("orionstar");
    // Hundreds of calls in flight are normal: no "possible memory leak" warning on Node-RED's console.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    const out = nextMessages("out", 100);
    for (let i = 0; i < 100; i++) helper.getNode("api").receive({ query, n: i });
    const msgs = remember(await out);
    await new Promise(setImmediate);
    process.off("warning", onWarning);
    assert.deepEqual(warnings, []);
    assert.ok(msgs.every((m) => m.statusCode === 200 && m.payload.code === 0));
    assert.equal(suite.sim.count("orionstar.token"), 2, "one refresh for all of them");
    assert.equal(suite.sim.count("orionstar.robot_list"), 1 + 100 + 100, "each sent, refused, and sent again once");
  });

  it("a second refusal goes to Catch, naming the call without its query values", async () => {
    await load("orionstar", { url: "/v1/robot/robot_list" });
    suite.sim.fail("orionstar.robot_list", { kind: "vendor-error", code: 101024, msg: "access_token expire" }, 2);
    const caught = await call({ query: { ov_corpid: "corp-secret-value", page: 1, page_rows: 5 } }, "caught");
    assert.equal(suite.sim.count("orionstar.token"), 2, "refreshed once");
    assert.equal(suite.sim.count("orionstar.robot_list"), 2, "sent twice, no more");
    assert.equal(caught.error.code, "101024");
    assert.equal(caught.error.cause.statusCode, 200);
    assert.equal(caught.error.statusCode, 200, "msg.error.statusCode");
    assert.match(caught.error.message, /^OrionStar: GET \/v1\/robot\/robot_list refused a newly fetched token/);
    assert.ok(!caught.error.message.includes("corp-secret-value"), "no query value in the error");
    assert.equal(statuses("api").at(-1)?.fill, "red");
  });

  it("without retry, an expired token goes to Catch and says how to refresh", async () => {
    await load("oneaccess", { url: "/api/v2/tenant/users", retry: false });
    await call({});
    suite.sim.expireTokens("oneaccess");
    const caught = await call({}, "caught");
    assert.match(caught.error.message, /no longer valid/);
    assert.equal(caught.error.cause.statusCode, 401);
    assert.equal(caught.error.statusCode, 401, "msg.error.statusCode");
    assert.equal(suite.sim.count("oneaccess.token"), 1, "no refresh");
  });

  it("a vendor error: to Catch with the vendor, call, code and text; or sent on with errors: output", async () => {
    await load("orionstar", { url: "/v1/robot/robot_info" });
    const caught = await call({ query: { robot_sn: "nope" } }, "caught");
    assert.equal(caught.error.code, "101009");
    assert.equal(caught.error.statusCode, 200, "a vendor code in an HTTP 200: msg.error.statusCode 200");
    assert.match(
      caught.error.message,
      /^OrionStar: GET \/v1\/robot\/robot_info failed with code 101009: robot_sn acl deny/,
    );
    await helper.unload();
    await load("orionstar", { url: "/v1/robot/robot_info", errors: "output" });
    const sent = await call({ query: { robot_sn: "nope" } });
    assert.equal(sent.statusCode, 200);
    assert.equal(sent.payload.code, 101009);
  });

  it("an HTTP error with Retry-After says how long to wait", async () => {
    await load("oneaccess", { url: "/api/v2/tenant/users" });
    suite.sim.fail("oneaccess.users", { kind: "status", status: 429, retryAfter: 30 });
    const caught = await call({}, "caught");
    assert.match(caught.error.message, /HTTP 429 .*wait 30 s/);
    assert.equal(caught.error.cause.statusCode, 429);
    assert.equal(caught.error.statusCode, 429, "msg.error.statusCode");
    assert.equal(runtimeHooks.has(CATCH_STATUS_HOOK), false, "the hook is gone once the error is handed over");
  });

  it("refuses an answer larger than accessTokenRequestMaxBytes", async () => {
    helper.settings({ accessTokenRequestMaxBytes: 2048 });
    await load("oneaccess", { url: "/api/v2/tenant/users" });
    suite.sim.fail("oneaccess.users", { kind: "huge-body", bytes: 64 * 1024 });
    const caught = await call({}, "caught");
    assert.match(caught.error.message, /more than 2 KiB/);
  });

  it("bad input: a method, a query or a missing URL each get a clear error", async () => {
    await load("oneaccess", { method: "use", url: "" });
    const noUrl = await call({ method: "GET" }, "caught");
    assert.match(noUrl.error.message, /no URL to call/);
    const badMethod = await call({ method: "TRACE", url: "/api/v2/tenant/users" }, "caught");
    assert.match(badMethod.error.message, /msg.method must be one of GET, POST, PUT, PATCH, DELETE/);
    const badQuery = await call({ method: "GET", url: "/api/v2/tenant/users", query: "offset=0" }, "caught");
    assert.match(badQuery.error.message, /msg.query must be an object/);
    assert.equal(suite.sim.count("oneaccess.users"), 0, "nothing was sent");
  });

  it("does not send the response headers an earlier request node left on the message", async () => {
    await load("oneaccess", { url: "/api/v2/tenant/users" });
    const first = await call({});
    // The answer goes round again, as in a loop: its content-length must not be sent with the call.
    const again = await call({ ...first, payload: undefined });
    assert.equal(again.statusCode, 200);
    assert.ok(Array.isArray(again.payload.users));
  });
});
