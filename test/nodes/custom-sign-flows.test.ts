// The custom provider's per-request signing in a real Node-RED runtime against the simulator's
// clouds over real HTTP: EZVIZ (the token as a form field put there by sign, no auth header, its
// expiry said as HTTP 200 + code 10002 and read by apiExpired: one refresh for 100 concurrent calls)
// and ThingsBoard (a refresh token used before a new login, a refused one falling back to the login,
// and never seen in a message, a log line or context).
import assert from "node:assert/strict";
import { apiFlow, basicFlow, nextMessage, nextMessages } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { THINGSBOARD_CUSTOM as THINGSBOARD } from "../support/custom-thingsboard";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

/** EZVIZ written as a custom provider: what its preset will hold. */
const EZVIZ = {
  method: "POST",
  bodyType: "form",
  request: '{"body": {"appKey": $key, "appSecret": $secret}}',
  ok: 'body.code = "200"',
  errorCode: "body.code",
  errorMessage: "body.msg",
  token: "body.data.accessToken",
  expiresIn: "(body.data.expireTime - $timestamp) / 1000",
  authHeader: "",
  sign: '$purpose = "api" ? {"body": {"accessToken": $token}}',
  apiExpired: 'body.code = "10002"',
  apiOk: 'body.code = "200"',
  apiErrorCode: "body.code",
  apiErrorMessage: "body.msg",
};

describe("custom provider: signing every request, API verdicts, refresh tokens", function () {
  this.timeout(30_000);
  const suite = simulatorSuite();

  async function load(config: Record<string, unknown>, credentials: { key: string; secret: string }, api = {}) {
    const { sim } = suite;
    const flow = apiFlow("custom", "", { method: "POST", ...api }, { ...config, apiUrl: sim.url });
    await helper.load(NODES, flow, { cfg: credentials });
  }

  const ezviz = () => {
    const { appKey, appSecret } = suite.sim.accounts.ezviz;
    return load(
      { ...EZVIZ, tokenUrl: `${suite.sim.url}/api/lapp/token/get` },
      { key: appKey, secret: appSecret },
      { url: "/api/lapp/device/list" },
    );
  };
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("EZVIZ: sign puts the token into the form body beside the message's fields, and no auth header goes out", async () => {
    await ezviz();
    const out = nextMessage("out");
    helper.getNode("api").receive({ payload: { pageStart: 0, pageSize: 5 }, headers: form });
    const msg = await out;
    assert.equal(msg.statusCode, 200);
    assert.equal(msg.payload.code, "200");
    assert.equal(msg.payload.data.length, 5);
    assert.equal(suite.sim.count("ezviz.token"), 1);
  });

  it("EZVIZ: relative paths join the API host its token answer names (apiBase), an origin the token may go to", async () => {
    const { appKey, appSecret } = suite.sim.accounts.ezviz;
    const config = { ...EZVIZ, apiBase: "body.data.areaDomain", tokenUrl: `${suite.sim.url}/api/lapp/token/get` };
    const flow = apiFlow("custom", "", { method: "POST", url: "/api/lapp/device/list" }, config);
    // The configured API URL is EZVIZ's global host: the answer's regional one (the simulator) wins.
    flow[1].apiUrl = "https://open.ys7.com";
    await helper.load(NODES, flow, { cfg: { key: appKey, secret: appSecret } });
    const out = nextMessage("out");
    helper.getNode("api").receive({ payload: { pageSize: 2 }, headers: form });
    const msg = await out;
    assert.equal(msg.payload.code, "200");
    assert.equal(msg.responseUrl, `${suite.sim.url}/api/lapp/device/list`);
  });

  it("EZVIZ: code 10002 in an HTTP 200 answer is the expiry (apiExpired): one new token for 100 concurrent calls", async () => {
    await ezviz();
    const first = nextMessage("out");
    helper.getNode("api").receive({ payload: { pageSize: 1 }, headers: form });
    await first;
    suite.sim.expireTokens("ezviz");
    const all = nextMessages("out", 100);
    for (let i = 0; i < 100; i++) helper.getNode("api").receive({ payload: { pageSize: 1 }, headers: form });
    const messages = await all;
    assert.ok(messages.every((msg) => msg.payload.code === "200"));
    assert.equal(suite.sim.count("ezviz.token"), 2, "one refresh shared by every call that saw the expiry");
  });

  it("EZVIZ: a vendor error that is no expiry goes to Catch with apiErrorCode and apiErrorMessage", async () => {
    await ezviz();
    const caught = nextMessage("caught");
    // pageSize above EZVIZ's 50 is its "parameter" error.
    helper.getNode("api").receive({ payload: { pageSize: 500 }, headers: form });
    const msg = await caught;
    assert.equal(msg.error.code, "10001");
    assert.match(msg.error.message, /10001/);
    assert.equal(suite.sim.count("ezviz.token"), 1, "no refresh for an error that is no expiry");
  });

  it("get token with sign: the message's call is signed as api request would sign it (the token into its form)", async () => {
    const { appKey, appSecret } = suite.sim.accounts.ezviz;
    const flow = basicFlow("custom", "", { scope: "none" });
    Object.assign(flow[1], { ...EZVIZ, tokenUrl: `${suite.sim.url}/api/lapp/token/get`, apiUrl: suite.sim.url });
    await helper.load(NODES, flow, { cfg: { key: appKey, secret: appSecret } });
    const out = Promise.race([
      nextMessage("out"),
      nextMessage("caught").then((m) => assert.fail(JSON.stringify(m.error))),
    ]);
    const url = `${suite.sim.url}/api/lapp/device/list`;
    helper.getNode("get").receive({ url, method: "POST", payload: { pageSize: 2 }, headers: form });
    const msg = await out;
    assert.equal(typeof msg.token, "string");
    assert.equal(msg.payload, `pageSize=2&accessToken=${encodeURIComponent(msg.token)}`);
    assert.deepEqual(msg.headers, form, "no auth header: authHeader is empty");
    assert.equal(msg.url, url);

    // The token now held: later messages are signed the same, and one sign refuses goes to Catch alone.
    const again = nextMessage("out");
    helper.getNode("get").receive({ url, method: "POST", payload: { pageSize: 3 }, headers: form });
    assert.equal((await again).payload, `pageSize=3&accessToken=${encodeURIComponent(msg.token)}`);
    const caught = Promise.race([
      nextMessage("caught"),
      nextMessage("out").then((m) => assert.fail(`sent on: ${JSON.stringify(m.payload)}`)),
    ]);
    const text = { "content-type": "text/plain" };
    helper.getNode("get").receive({ url, method: "POST", payload: "no fields here", headers: text });
    const refused = await caught;
    assert.match(refused.error.message, /body fields need a form or JSON object body/);
    assert.equal(refused.token, undefined, "a refused message leaves unchanged");
    assert.equal(suite.sim.count("ezviz.token"), 1);
  });

  const thingsboard = () => {
    const { username, password } = suite.sim.accounts.thingsboard;
    return load(
      { ...THINGSBOARD, tokenUrl: `${suite.sim.url}/api/auth/login` },
      { key: username, secret: password },
      { method: "GET", url: "/api/tenant/devices?pageSize=2&page=0" },
    );
  };

  it("ThingsBoard: after the token expires the refresh token brings a new one, without a new login", async () => {
    await thingsboard();
    const first = nextMessage("out");
    helper.getNode("api").receive({});
    assert.equal((await first).statusCode, 200);
    suite.sim.expireTokens("thingsboard");
    const second = nextMessage("out");
    helper.getNode("api").receive({});
    assert.equal((await second).statusCode, 200);
    assert.equal(suite.sim.count("thingsboard.token"), 1, "one login");
    assert.equal(suite.sim.count("thingsboard.refresh"), 1, "then one refresh");
  });

  it("ThingsBoard: a refused refresh falls back to one full login, and the refresh token surfaces nowhere", async () => {
    await thingsboard();
    const first = nextMessage("out");
    helper.getNode("api").receive({});
    const seen = [JSON.stringify(await first)];
    suite.sim.fail("thingsboard.refresh", { kind: "status", status: 401 }, 1);
    suite.sim.expireTokens("thingsboard");
    const second = nextMessage("out");
    helper.getNode("api").receive({});
    seen.push(JSON.stringify(await second));
    assert.equal(suite.sim.count("thingsboard.refresh"), 1);
    assert.equal(suite.sim.count("thingsboard.token"), 2, "the refused refresh is followed by one login");
    seen.push(...logged("warn"), ...logged("error"));
    const text = seen.join("\n");
    for (const issued of suite.sim.issuedTokens())
      assert.ok(!text.includes(issued), "a token or refresh token surfaced");
  });
});
