// The oauth2 and custom providers in a real Node-RED runtime: get token -> core http request to the
// simulator's APIs, one token request for many messages, every error to a Catch node with a red
// status, and no secret in any message, status or log line.
import assert from "node:assert/strict";
import { delay, nextMessage, nextMessages, statuses } from "../support/flows";
import { exampleConfig, genericFlow, onSimulator } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { shapesOf } from "../support/secret-shapes";
import { simulatorSuite } from "../support/simulator-suite";
import type { ProviderId } from "../../src/providers";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpRequest)];

describe("get token with the oauth2 and custom providers", function () {
  this.timeout(20_000);
  /** Wrong secrets the tests send: swept for (in every shape) with the accounts' secrets after each test. */
  const secrets = ["Wr0ng:Secret%", "hm-wrong-secret"];
  // Before the frame's afterEach (which unloads the flow): every status shown goes to the sweep too.
  afterEach(() => {
    for (const id of ["get", "cfg"]) {
      if (helper.getNode(id)) suite.remember(statuses(id));
    }
  });
  const suite = simulatorSuite({ forbidden: () => secrets.flatMap(shapesOf) });

  const oauth2 = (extra: Record<string, unknown> = {}) => ({ tokenUrl: `${suite.sim.url}/oauth2/token`, ...extra });
  const oauth2Keys = () => ({
    clientId: suite.sim.accounts.oauth2.clientId,
    clientSecret: suite.sim.accounts.oauth2.clientSecret,
  });
  const homemade = (extra: Record<string, unknown> = {}) => ({
    ...onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim),
    ...extra,
  });
  const homemadeKeys = () => ({
    key: suite.sim.accounts.homemade.appKey,
    secret: suite.sim.accounts.homemade.appSecret,
  });

  async function load(provider: ProviderId, config: Record<string, unknown>, credentials: Record<string, string>) {
    await helper.load(NODES, genericFlow(provider, config), { cfg: credentials });
  }

  async function caughtError(msg: Record<string, unknown> = { payload: "p" }): Promise<Record<string, any>> {
    const caught = nextMessage("caught");
    helper.getNode("get").receive(msg);
    const error = await caught;
    suite.remember(error);
    assert.equal(error.payload, "p", "the original message reaches Catch");
    assert.equal(error.error.source.id, "get");
    const last = statuses("get").at(-1);
    assert.equal(last?.fill, "red");
    return error.error;
  }

  it("oauth2: msg.token and Authorization: Bearer, which the API accepts; one token request for three messages", async () => {
    await load("oauth2", oauth2({ scope: "read" }), oauth2Keys());
    const out = nextMessages("out", 3);
    const api = nextMessages("api", 3);
    for (let i = 0; i < 3; i++) helper.getNode("get").receive({ url: `${suite.sim.url}/oauth2/api/things` });
    const messages = await out;
    assert.equal(messages[0].headers.Authorization, `Bearer ${messages[0].token}`);
    for (const answer of await api) {
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.payload.things.length, 2);
    }
    assert.equal(suite.sim.count("oauth2.token"), 1);
    assert.equal(suite.sim.count("oauth2.api"), 3);
    // (The status spy is Node.prototype's: the http request node's statuses are in the list too.)
    assert.ok(statuses("get").some((status) => status.fill === "green" && /valid until/.test(String(status.text))));
  });

  it("custom: the home-made endpoint's token in X-Access-Token, which its API accepts, cached for the next message", async () => {
    await load("custom", homemade(), homemadeKeys());
    const api = nextMessages("api", 2);
    helper.getNode("get").receive({ url: `${suite.sim.url}/openapi/v3/devices` });
    const first = await nextMessage("out");
    assert.equal(first.headers["X-Access-Token"], first.token);
    assert.equal(first.headers.Authorization, undefined);
    helper.getNode("get").receive({ url: `${suite.sim.url}/openapi/v3/devices` });
    for (const answer of await api) assert.equal(answer.payload.result.devices.length, 2);
    assert.equal(suite.sim.count("homemade.token"), 1);
  });

  it("custom: the default auth header is Authorization: Bearer", async () => {
    await load("custom", homemade({ authHeader: undefined, authValue: "" }), homemadeKeys());
    helper.getNode("get").receive({});
    const msg = await nextMessage("out");
    assert.equal(msg.headers.Authorization, `Bearer ${msg.token}`);
  });

  it("custom: an empty auth header means none (the token goes where sign puts it)", async () => {
    await load("custom", homemade({ authHeader: "", authValue: "" }), homemadeKeys());
    helper.getNode("get").receive({ headers: { "x-kept": "1" } });
    const msg = await nextMessage("out");
    assert.equal(typeof msg.token, "string");
    assert.deepEqual(msg.headers, { "x-kept": "1" });
  });

  it("oauth2: a wrong client secret reaches Catch as invalid_client with its hint", async () => {
    await load("oauth2", oauth2(), { ...oauth2Keys(), clientSecret: secrets[0] });
    const error = await caughtError();
    assert.equal(error.code, "invalid_client");
    assert.match(error.message, /client ID and client secret/);
    assert.match(String(statuses("get").at(-1)?.text), /invalid_client/);
  });

  it("oauth2: a refused scope reaches Catch as invalid_scope", async () => {
    await load("oauth2", oauth2({ scope: "admin" }), oauth2Keys());
    const error = await caughtError();
    assert.equal(error.code, "invalid_scope");
    assert.match(error.message, /Scope not allowed: admin/);
  });

  it("custom: the home-made endpoint's error reaches Catch with its errno and errmsg", async () => {
    await load("custom", homemade(), { ...homemadeKeys(), secret: secrets[1] });
    const error = await caughtError();
    assert.equal(error.code, "40103");
    assert.match(error.message, /signature mismatch/);
  });

  it("custom: an expression that fails at run time reaches Catch naming the field, the secret redacted", async () => {
    await load("custom", homemade({ token: `$error("no token for " & $secret)` }), homemadeKeys());
    const error = await caughtError();
    assert.match(error.message, /Token/, "the field, by its label");
    assert.match(error.message, /no token for \*\*\*/);
    assert.ok(!error.message.includes(suite.sim.accounts.homemade.appSecret));
  });

  it("custom: a token answer the token expression finds nothing in names that field by its label, as expression errors do", async () => {
    await load("custom", homemade({ token: "body.no_such_field" }), homemadeKeys());
    const error = await caughtError();
    assert.equal(error.message, "Custom token answered HTTP 200 without a token in Token.");
  });

  it("custom: bad JSONata syntax is refused on deploy, naming the field; no request is sent", async () => {
    await load("custom", homemade({ expiresIn: "body.result.(" }), homemadeKeys());
    assert.equal(statuses("get").at(-1)?.fill, "red", "shown on deploy");
    const error = await caughtError();
    assert.match(error.message, /Expires in/);
    assert.match(error.message, /does not parse/);
    await delay(20);
    assert.equal(suite.sim.count("homemade.token"), 0);
  });

  it("oauth2 and custom: a missing token URL names it", async () => {
    await load("oauth2", { tokenUrl: "" }, oauth2Keys());
    assert.match((await caughtError()).message, /Token URL/);
  });
});
