// The EZVIZ preset (src/providers/presets/ezviz.ts) in a real Node-RED runtime against the
// simulator over real HTTP: the token from AppKey and AppSecret, the list call with the token as a
// form field (sign) and no auth header, on the host the token answer names, every page, a revoked token (HTTP 200 + code 10002) renewed
// once for 100 concurrent calls, a wrong secret's code 10030 at Catch with our hint, a call that is
// no form refused before it is sent; no secret or token in any message, error or log line.
import assert from "node:assert/strict";
import { presets } from "../../src/providers/presets";
import { EZVIZ_DEVICE_COUNT } from "../simulator/cloud-data";
import { apiFlow, basicFlow, nextMessage, nextMessages, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { walkPages } from "../support/preset-pages";
import { docsPage, missingCatalogKeys, presetConfig, presetText } from "../support/presets";
import { shapesOf } from "../support/secret-shapes";
import { logged, simulatorSuite } from "../support/simulator-suite";

const preset = presets.ezviz;
const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("preset ezviz (EZVIZ)", function () {
  this.timeout(30_000);

  it("its credentials, regions, parameters and help are labelled in every language, in the vendor's words", () => {
    assert.deepEqual(missingCatalogKeys(preset), []);
    assert.equal(presetText(preset, "en-US", "key"), "AppKey");
    assert.equal(presetText(preset, "en-US", "secret"), "AppSecret");
  });

  it("its docs show the preset's sign as it is", () => {
    for (const page of [docsPage("vendors/ezviz.md")])
      assert.ok(page.includes(String(preset.fields.sign)), "the sign expression, verbatim");
  });
  const suite = simulatorSuite();
  const account = () => suite.sim.accounts.ezviz;
  const config = () => presetConfig(preset, "cn", suite.sim.url);

  async function load(secret = account().appSecret, pages?: Record<string, unknown>) {
    const flow = apiFlow("custom", "", { method: preset.listCall.method, url: preset.listCall.path, pages }, config());
    await helper.load(NODES, flow, { cfg: { key: account().appKey, secret } });
  }

  const list = (payload: Record<string, unknown>, headers: Record<string, string> = FORM) => {
    const out = nextMessage("out");
    helper.getNode("api").receive({ payload, headers });
    return out;
  };

  /** Every text that left the runtime: the messages given, and what it logged. */
  const surfaced = (messages: unknown[]) =>
    [...messages.map((msg) => JSON.stringify(msg)), ...logged("warn"), ...logged("error")].join("\n");

  it("get token: the token from AppKey and AppSecret, its absolute expiry (expireTime, ms) read as a lifetime", async () => {
    suite.sim.setTokenLifetime("ezviz", 7200);
    const flow = basicFlow("custom", "", { headers: false });
    flow[1] = { ...flow[1], ...config() };
    await helper.load(NODES, flow, { cfg: { key: account().appKey, secret: account().appSecret } });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    const msg = await out;
    assert.match(msg.token, /^at\./);
    assert.equal(suite.sim.count("ezviz.token"), 1);
    const entry = helper.getNode("get").context().flow.get("accessToken") as { expiresAt: number; obtainedAt: number };
    assert.ok(Math.abs(entry.expiresAt - entry.obtainedAt - 7200 * 1000) < 5000, "two hours, as expireTime says");
  });

  it("the list call: the token as the accessToken form field, no auth header, answered", async () => {
    await load();
    const msg = await list({ pageStart: 0, pageSize: 5 });
    assert.equal(msg.statusCode, 200);
    assert.equal(msg.payload.code, "200");
    assert.equal(msg.payload.data.length, 5);
    assert.equal(msg.payload.page.total, EZVIZ_DEVICE_COUNT);
    assert.equal(suite.sim.count("ezviz.token"), 1);
    assert.equal(suite.sim.count("ezviz.device_list"), 1);
  });

  it("every page, walked with the preset's nextPage (pageStart from 0) until page.total", async () => {
    await load();
    const { items, pages } = await walkPages(
      preset,
      { url: preset.listCall.path, body: { pageStart: 0, pageSize: 10 } },
      (request) => list(request.body ?? {}),
    );
    assert.equal(pages, Math.ceil(EZVIZ_DEVICE_COUNT / 10));
    const serials = items.map((device) => (device as { deviceSerial: string }).deviceSerial);
    assert.equal(new Set(serials).size, EZVIZ_DEVICE_COUNT);
    assert.equal(suite.sim.count("ezviz.token"), 1, "one token for every page");
  });

  it("the api request node walks every page itself (paginate: preset): every device once, in one message", async () => {
    await load(undefined, { paginate: "preset", pageOutput: "all" });
    const msg = await list({ pageStart: 0, pageSize: 10 });
    const serials = msg.payload.map((device: { deviceSerial: string }) => device.deviceSerial);
    assert.equal(serials.length, EZVIZ_DEVICE_COUNT);
    assert.equal(new Set(serials).size, EZVIZ_DEVICE_COUNT);
    assert.equal(suite.sim.count("ezviz.device_list"), Math.ceil(EZVIZ_DEVICE_COUNT / 10));
    assert.equal(suite.sim.count("ezviz.token"), 1, "one token for every page");
  });

  it("a revoked token (HTTP 200, code 10002): one new token for 100 concurrent calls, each answered", async () => {
    await load();
    await list({ pageSize: 1 });
    suite.sim.expireTokens("ezviz");
    const all = nextMessages("out", 100);
    for (let i = 0; i < 100; i++) helper.getNode("api").receive({ payload: { pageSize: 1 }, headers: FORM });
    const messages = await all;
    assert.ok(messages.every((msg) => msg.payload.code === "200"));
    assert.equal(suite.sim.count("ezviz.token"), 2, "one refresh shared by every call that saw the expiry");
    const text = surfaced(messages);
    for (const issued of suite.sim.issuedTokens()) assert.ok(!text.includes(issued), "a token surfaced");
  });

  it("a wrong secret: EZVIZ's 10030 at Catch with its words and our hint; no secret anywhere", async () => {
    const wrong = "wrong ez&secret+1/2=3%4:5-é";
    await load(wrong);
    const caught = nextMessage("caught");
    helper.getNode("api").receive({ payload: { pageSize: 1 }, headers: FORM });
    const msg = await caught;
    assert.equal(msg.error.code, "10030");
    assert.match(msg.error.message, /^EZVIZ error 10030 "appKey and appSecret mismatched \(check the AppSecret/);
    assert.equal(suite.sim.count("ezviz.device_list"), 0, "no call without a token");
    const text = surfaced([msg, msg.error.message]);
    for (const secret of [wrong, account().appSecret].flatMap(shapesOf))
      assert.ok(!text.includes(secret), `a secret surfaced: ${secret}`);
  });

  it("a call that is no form: a config error naming what to send, before anything reaches the device list", async () => {
    await load();
    const caught = nextMessage("caught");
    helper.getNode("api").receive({ payload: { pageSize: 1 } });
    const { error } = await caught;
    assert.match(error.message, /EZVIZ calls are forms: set msg\.headers/);
    assert.equal(suite.sim.count("ezviz.device_list"), 0);
  });

  it("international: the calls go to the API host the token answer names (areaDomain), not the API URL", async () => {
    const flow = apiFlow(
      "custom",
      "",
      { method: preset.listCall.method, url: preset.listCall.path },
      {
        ...presetConfig(preset, "international", suite.sim.url),
        // The simulator names itself as the account's host: the configured API URL must not be used.
        apiUrl: preset.regions.international.apiUrl,
      },
    );
    await helper.load(NODES, flow, { cfg: { key: account().appKey, secret: account().appSecret } });
    const msg = await list({ pageSize: 2 });
    assert.equal(msg.payload.code, "200");
    assert.equal(msg.responseUrl, `${suite.sim.url}${preset.listCall.path}`);
    // The call waited for the token that names its host: the status said so meanwhile.
    assert.deepEqual(
      statuses("api").map((status) => `${status.fill} ${String(status.text).replace(/\d.*/, "")}`),
      ["grey no token yet", "yellow fetching token", "green valid until "],
    );
  });

  it("every region names EZVIZ's token endpoint and its API host", () => {
    for (const [name, urls] of Object.entries(preset.regions)) {
      assert.match(urls.tokenUrl, /^https:\/\/open\.(ys7|ezvizlife)\.com\/api\/lapp\/token\/get$/, name);
      assert.equal(urls.apiUrl, new URL(urls.tokenUrl).origin, name);
    }
  });
});
