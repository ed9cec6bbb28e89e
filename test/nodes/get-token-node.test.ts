// The get token node in a real Node-RED runtime (node-red-node-test-helper) against the simulator
// over real HTTP: each provider end to end, vendor errors to Catch, one request for many messages,
// sharing across tabs, refresh, msg.refreshToken, close during a request, and no secret anywhere.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import {
  basicFlow,
  configNode,
  delay,
  demoCredentials,
  getTokenNode,
  at,
  nextMessage,
  nextMessages,
  secretsOf,
  statuses,
} from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import type { ProviderId } from "../../src/providers";
import { countingStore } from "../support/counting-store";
import { shapesOf } from "../support/secret-shapes";
import { VENDOR_IDS } from "../support/vendors";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
/** A wrong secret with the characters whose encoded shapes differ. */
const WRONG_SECRET = "wrong secret&+/=%:é";

describe("get token node", function () {
  this.timeout(20_000);
  let clock: sinon.SinonFakeTimers | undefined;
  // Before the frame's afterEach, as the clock was restored before the flows were unloaded.
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  /**
   * After each test the frame sweeps every log line and what the test remembered (the messages
   * get token sends on may hold its token; no secret, nor the wrong one the tests send, nor "secret=").
   */
  const suite = simulatorSuite({ forbidden: () => [...shapesOf(WRONG_SECRET), "secret="] });
  const remember = <T>(value: T): T => suite.remember(value);
  const rememberWithToken = <T>(value: T): T => suite.remember(value, { tokenAllowed: true });

  async function load(
    provider: ProviderId,
    options = {},
    credentials = demoCredentials(suite.sim, provider),
  ): Promise<void> {
    await helper.load(NODES, basicFlow(provider, suite.sim.url, options), { cfg: credentials });
  }

  for (const provider of VENDOR_IDS) {
    it(`${provider}: sets msg.token and the provider's header, keeping other headers`, async () => {
      await load(provider);
      const out = nextMessage("out");
      const msg: Record<string, unknown> = { payload: "keep me", headers: { "x-trace": "1" } };
      if (provider === "enos")
        Object.assign(msg, { url: `${suite.sim.url}/asset-service/v2.1/assets?action=get&orgId=o1&assetId=a1` });
      helper.getNode("get").receive(msg);
      const result = rememberWithToken(await out);
      assert.equal(typeof result.token, "string");
      assert.ok(result.token.length >= 16);
      assert.equal(result.payload, "keep me");
      assert.equal(result.headers["x-trace"], "1");
      if (provider === "enos") {
        assert.equal(result.headers["apim-accesstoken"], result.token);
        assert.match(result.headers["apim-signature"], /^[0-9a-f]{64}$/);
      } else {
        assert.equal(result.headers.Authorization, `Bearer ${result.token}`);
      }
      assert.equal(suite.sim.count(`${provider}.token`), 1);
      const last = statuses("get").at(-1);
      assert.equal(last?.fill, "green");
      assert.match(String(last?.text), /valid until/);
    });
  }

  it("with headers off, sets only msg.token", async () => {
    await load("oneaccess", { headers: false });
    const out = nextMessage("out");
    helper.getNode("get").receive({ payload: 1 });
    const msg = rememberWithToken(await out);
    assert.ok(msg.token);
    assert.equal(msg.headers, undefined);
  });

  const vendorErrors: Array<[ProviderId, string, () => void, Record<string, string> | undefined]> = [
    ["orionstar", "101009", () => undefined, { appid: "demo", secret: "wrong" }],
    ["orionstar", "101025", () => suite.sim.setIpAllowed(false), undefined],
    [
      "orionstar",
      "101002",
      () => suite.sim.fail("orionstar.token", { kind: "vendor-error", code: 101002, msg: "grant_type invalid" }),
      undefined,
    ],
    ["enos", "1002", () => undefined, { appKey: "nobody", appSecret: "x" }],
    ["enos", "1003", () => undefined, { appKey: "__demo__", appSecret: WRONG_SECRET }],
    ["enos", "1004", () => suite.sim.setClockSkew(3_600_000), undefined],
    ["oneaccess", "invalid_client", () => undefined, { clientId: "__demo__", clientSecret: WRONG_SECRET }],
  ];
  for (const [provider, code, arrange, badCredentials] of vendorErrors) {
    it(`${provider}: vendor error ${code} reaches a Catch node with the code, and nothing is sent on`, async () => {
      const credentials = { ...demoCredentials(suite.sim, provider), ...badCredentials };
      for (const [field, value] of Object.entries(credentials)) {
        if (value === "__demo__") credentials[field] = demoCredentials(suite.sim, provider)[field];
      }
      if (badCredentials && provider === "orionstar" && badCredentials.appid === "demo")
        credentials.appid = suite.sim.accounts.orionstar.appid;
      arrange();
      await load(provider, {}, credentials);
      let sent = 0;
      helper.getNode("out").on("input", () => sent++);
      const caught = nextMessage("caught");
      const msg: Record<string, unknown> = { payload: "p" };
      if (provider === "enos") msg.url = `${suite.sim.url}/asset-service/v2.1/assets?action=get`;
      helper.getNode("get").receive(msg);
      const error = remember(await caught);
      assert.equal(error.payload, "p", "the original message reaches Catch");
      assert.equal(error.error.code, code);
      assert.match(error.error.message, new RegExp(code));
      assert.equal(error.error.source.id, "get");
      assert.equal(typeof error.error.statusCode, "number", "the vendor's HTTP status in msg.error.statusCode");
      assert.equal(error.error.statusCode, error.error.cause.statusCode);
      const last = statuses("get").at(-1);
      assert.equal(last?.fill, "red");
      assert.equal(last?.shape, "ring");
      assert.match(String(last?.text), new RegExp(code));
      await delay(50);
      assert.equal(sent, 0);
    });
  }

  it("a credentials node without a secret gives an error naming the field", async () => {
    await load("oneaccess", {}, { clientId: "only-id" });
    const caught = nextMessage("caught");
    helper.getNode("get").receive({ payload: 1 });
    const error = remember(await caught);
    assert.match(error.error.message, /Client secret/);
    assert.ok(!("statusCode" in error.error), "no HTTP status for an error before any request");
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });

  it("takes the URL from an environment variable written as ${NAME}", async () => {
    process.env.ACCESS_TOKEN_TEST_URL = suite.sim.url;
    try {
      const flow = basicFlow("oneaccess", "${ACCESS_TOKEN_TEST_URL}");
      await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
      const out = nextMessage("out");
      helper.getNode("get").receive({});
      assert.equal(typeof (await out).token, "string");
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    } finally {
      delete process.env.ACCESS_TOKEN_TEST_URL;
    }
  });

  it("takes the id and the secret from environment variables written as ${NAME} (Docker, Kubernetes)", async () => {
    const { clientId, clientSecret } = demoCredentials(suite.sim, "oneaccess");
    process.env.ACCESS_TOKEN_TEST_ID = clientId;
    process.env.ACCESS_TOKEN_TEST_SECRET = clientSecret;
    try {
      await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), {
        cfg: { clientId: "${ACCESS_TOKEN_TEST_ID}", clientSecret: "${ACCESS_TOKEN_TEST_SECRET}" },
      });
      const out = nextMessage("out");
      helper.getNode("get").receive({});
      assert.equal(typeof (await out).token, "string");
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    } finally {
      delete process.env.ACCESS_TOKEN_TEST_ID;
      delete process.env.ACCESS_TOKEN_TEST_SECRET;
    }
  });

  it("says on deploy, before any message, that the credentials are incomplete", async () => {
    await load("oneaccess", {}, { clientId: "only-id" });
    assert.deepEqual(statuses("get").at(-1), { fill: "red", shape: "ring", text: "OneAccess: credentials incomplete" });
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });

  it("says on deploy that no credentials node is chosen", async () => {
    await load("oneaccess", { config: "" });
    assert.deepEqual(statuses("get").at(-1), {
      fill: "red",
      shape: "ring",
      text: "OneAccess: no credentials selected",
    });
  });

  it("turns the green dot into a grey ring when the token expires with no message asking", async () => {
    suite.sim.setTokenLifetime("orionstar", 1);
    await load("orionstar");
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    assert.equal(statuses("get").at(-1)?.fill, "green");
    await delay(1_300);
    const last = statuses("get").at(-1);
    assert.equal(last?.fill, "grey");
    assert.match(String(last?.text), /^expired at /);
    // The next message fetches a new token and the dot is green again.
    const again = nextMessage("out");
    helper.getNode("get").receive({});
    await again;
    assert.equal(statuses("get").at(-1)?.fill, "green");
    assert.equal(suite.sim.count("orionstar.token"), 2);
  });

  it("EnOS without msg.url says what to set", async () => {
    await load("enos");
    const caught = nextMessage("caught");
    helper.getNode("get").receive({ payload: 1 });
    const error = remember(await caught);
    assert.match(error.error.message, /msg\.url/);
  });

  it("150 concurrent messages on a cold cache make one vendor request", async () => {
    await load("orionstar");
    const out = nextMessages("out", 150);
    const node = helper.getNode("get");
    for (let i = 0; i < 150; i++) node.receive({ payload: i });
    const messages = await out;
    assert.equal(suite.sim.count("orionstar.token"), 1);
    assert.equal(new Set(messages.map((m) => m.token)).size, 1);
    assert.deepEqual(
      messages.map((m) => m.payload).sort((a, b) => a - b),
      Array.from({ length: 150 }, (_, i) => i),
    );
  });

  it("two get token nodes on two tabs sharing a credentials node make one request", async () => {
    const flow = [
      { id: "tab1", type: "tab", label: "one" },
      { id: "tab2", type: "tab", label: "two" },
      configNode("oneaccess", suite.sim.url),
      getTokenNode({ id: "get1", z: "tab1", provider: "oneaccess", wires: [["out1"]] }),
      getTokenNode({ id: "get2", z: "tab2", provider: "oneaccess", wires: [["out2"]] }),
      { id: "out1", type: "helper", z: "tab1", ...at() },
      { id: "out2", type: "helper", z: "tab2", ...at() },
    ];
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
    const one = nextMessages("out1", 20);
    const two = nextMessages("out2", 20);
    for (let i = 0; i < 20; i++) {
      helper.getNode("get1").receive({ payload: i });
      helper.getNode("get2").receive({ payload: i });
    }
    const [a, b] = await Promise.all([one, two]);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.equal(a[0].token, b[0].token);
  });

  it("refreshes the token once the margin before expiry is reached", async () => {
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    suite.sim.setTokenLifetime("oneaccess", 1800);
    await load("oneaccess", { margin: 300 });
    const node = helper.getNode("get");
    const first = nextMessage("out");
    node.receive({});
    const token1 = (await first).token;
    clock.tick(1400_000);
    const second = nextMessage("out");
    node.receive({});
    assert.equal((await second).token, token1);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    clock.tick(110_000); // 290 s left: inside the 300 s margin
    const third = nextMessage("out");
    node.receive({});
    assert.notEqual((await third).token, token1);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("msg.refreshToken forces one new request for many messages, and is removed", async () => {
    await load("orionstar");
    const node = helper.getNode("get");
    const first = nextMessage("out");
    node.receive({});
    const old = (await first).token;
    const forced = nextMessages("out", 30);
    for (let i = 0; i < 30; i++) node.receive({ refreshToken: true, token: old });
    const messages = await forced;
    assert.equal(suite.sim.count("orionstar.token"), 2);
    assert.ok(messages.every((m) => m.token !== old && m.refreshToken === undefined));
  });

  it("msg.refreshToken with an older msg.token is answered with the newer held token, without a request", async () => {
    await load("orionstar");
    const node = helper.getNode("get");
    const first = nextMessage("out");
    node.receive({});
    const held = (await first).token;
    const retried = nextMessage("out");
    // A retry of a message that carried a token from before the held one: the held one is already newer.
    node.receive({ refreshToken: true, token: "an-older-token-than-the-held-one" });
    const msg = await retried;
    assert.equal(msg.token, held);
    assert.equal(suite.sim.count("orionstar.token"), 1, "no new request: msg.token was passed as the stale token");
    assert.equal("refreshToken" in msg, false);
  });

  it("msg.refreshToken false (or set to undefined) is removed on the cached path too", async () => {
    await load("orionstar");
    const node = helper.getNode("get");
    const first = nextMessage("out");
    node.receive({});
    const held = (await first).token;
    const cached = nextMessages("out", 3);
    node.receive({ refreshToken: false });
    node.receive({ refreshToken: "yes" });
    node.receive({ refreshToken: undefined });
    const messages = await cached;
    assert.equal(suite.sim.count("orionstar.token"), 1, "answered from the cache");
    for (const msg of messages) {
      assert.equal(msg.token, held);
      assert.equal("refreshToken" in msg, false, JSON.stringify(msg));
    }
  });

  it("writes the token to flow context once, as {token, expiresAt, provider, account}", async () => {
    await load("oneaccess", { scope: "flow", key: "myToken" });
    const node = helper.getNode("get");
    const out = nextMessages("out", 5);
    for (let i = 0; i < 5; i++) node.receive({});
    const messages = await out;
    const entry = node.context().flow.get("myToken");
    assert.equal(entry.token, messages[0].token);
    assert.equal(entry.provider, "oneaccess");
    assert.ok(entry.expiresAt > Date.now() + 1_700_000);
    assert.ok(entry.account.includes(suite.sim.accounts.oneaccess.clientId));
    assert.ok(!JSON.stringify(entry).includes(suite.sim.accounts.oneaccess.clientSecret));
  });

  it("writes to the context store once for many messages, concurrent and later, on both paths", async () => {
    const store = countingStore();
    helper.settings({ contextStorage: { default: { module: store.module } } });
    try {
      await helper.load(NODES, [], {});
      await helper._redNodes.loadContextsPlugin();
      await helper.setFlows(basicFlow("oneaccess", suite.sim.url, { scope: "flow", key: "myToken" }), "full", {
        cfg: demoCredentials(suite.sim, "oneaccess"),
      });
      const node = helper.getNode("get");
      // Concurrent messages on a cold cache all wait for the one request: each would write if not checked.
      const cold = nextMessages("out", 5);
      for (let i = 0; i < 5; i++) node.receive({});
      const [first] = await cold;
      const later = nextMessages("out", 6);
      for (let i = 0; i < 6; i++) node.receive(i % 2 === 0 ? {} : { refreshToken: true, token: "an-older-token" });
      const messages = await later;
      assert.ok(messages.every((m) => m.token === first.token));
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      const writes = store.writes.filter((write) => write.key === "myToken");
      assert.equal(writes.length, 1, `written ${writes.length} times`);
      assert.equal((writes[0].value as { token: string }).token, first.token);
    } finally {
      helper.settings({});
    }
  });

  // The common case, a held token already in context, needs no promise: what a message costs at
  // a few hundred thousand a second. The first message waits for the context entry to be read.
  it("a fresh token held and already in context answers a message before receive() returns", async () => {
    await load("oneaccess", { scope: "flow" });
    const node = helper.getNode("get");
    const sent: Array<Record<string, any>> = [];
    const send = node.send.bind(node);
    node.send = (msg: Record<string, any>) => {
      sent.push(msg);
      send(msg);
    };
    const first = nextMessage("out");
    node.receive({});
    assert.equal(sent.length, 0, "the first message waits for the token and the context entry");
    const { token } = rememberWithToken(await first);
    const second = nextMessage("out");
    node.receive({ payload: 2 });
    assert.equal(sent.length, 2, "answered at once");
    assert.equal(sent[1].token, token);
    assert.equal((await second).payload, 2);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("close during an in-flight request: no message, no unhandled rejection, no later request", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      suite.sim.fail("oneaccess.token", { kind: "slow", ms: 2_000 });
      await load("oneaccess");
      let sent = 0;
      helper.getNode("out").on("input", () => sent++);
      for (let i = 0; i < 10; i++) helper.getNode("get").receive({});
      await delay(200);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      await helper.unload();
      await delay(300);
      assert.equal(sent, 0);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      assert.deepEqual(rejections, []);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });

  it("credentials are absent from the exported flow", async () => {
    await load("orionstar");
    const flows = JSON.stringify(helper._redNodes.getFlows());
    remember(flows);
    assert.ok(flows.includes("orionstar-credentials"));
    for (const secret of secretsOf(suite.sim)) assert.ok(!flows.includes(secret));
    assert.ok(!flows.includes(suite.sim.accounts.orionstar.appid), "credential fields stay in the credential store");
  });
});
