// What a vendor quotes back is masked wherever it surfaces: the account's secret or the token a call
// sent, put in an error code (OAuth2 `error`, OneAccess `error_code`, EnOS `code`, a Bearer
// challenge's error="..."), in the vendor's text, or HTML-escaped in a token endpoint's error. Each
// case runs in a real Node-RED runtime: the token comes from the simulator, the API answers from a
// loopback server of the test's own; msg.error (message, code, cause), the node's status, every
// log line, the state route and the Test answer are searched for the secret and every token issued.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_ROOT } from "../../src/admin-api";
import type { ProviderId } from "../../src/providers";
import { apiFlow, demoCredentials, nextMessage, secretsOf, statuses, until } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

/** How the loopback API answers a call. */
type Reply = (req: http.IncomingMessage) => { status: number; headers?: Record<string, string>; body: unknown };

describe("api request node: a secret or token the vendor quotes back is masked", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  let server: http.Server;
  let url: string;
  let reply: Reply;

  before(async () => {
    server = http.createServer((req, res) => {
      const { status, headers, body } = reply(req);
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** The api request node calling the loopback API; without `caught`, no Catch node: the runtime logs the error. */
  async function load(provider: ProviderId, caught = true): Promise<void> {
    // The loopback API is one of the credentials' API hosts (the token goes nowhere else).
    const flow = apiFlow(provider, suite.sim.url, { url: `${url}/api` }, { apiHosts: url }).filter(
      (node) => caught || node.id !== "catch",
    );
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, provider) });
  }

  /** The message a Catch node gets for one call. */
  async function caught(): Promise<Record<string, any>> {
    const message = nextMessage("caught");
    helper.getNode("api").receive({});
    return message;
  }

  /**
   * Neither the forbidden texts nor any secret or token the simulator issued are in msg.error, the
   * node's statuses or the runtime's log; returns all of that as one text for further checks.
   */
  function assertMasked(error: unknown, forbidden: readonly string[], more: readonly string[] = []): void {
    const log = (helper.log() as { getCalls(): Array<{ args: unknown[] }> }).getCalls().map((call) => call.args);
    const text = [JSON.stringify(error), JSON.stringify(statuses("api")), JSON.stringify(log), ...more].join("\n");
    for (const value of [...forbidden, ...secretsOf(suite.sim), ...suite.sim.issuedTokens()]) {
      assert.ok(!text.includes(value), `${JSON.stringify(value)} surfaced in: ${text}`);
    }
  }

  const tokenOf = (req: http.IncomingMessage) => String(req.headers.authorization).replace(/^Bearer /, "");

  it('400 {"error":"x <secret>"}: the code is masked in msg.error, the status and the log', async () => {
    const secret = suite.sim.accounts.oneaccess.clientSecret;
    reply = () => ({ status: 400, body: { error: `x ${secret}` } });
    await load("oneaccess");
    const msg = await caught();
    assert.equal(msg.error.code, "x ***");
    assert.match(msg.error.message, /failed with code x \*\*\*/);
    assert.equal(msg.error.cause.statusCode, 400);
    assert.match(String(statuses("api").at(-1)?.text), /x \*\*\*$/);
    assertMasked(msg.error, [secret]);
  });

  it("the token in error_code: masked in the code, the message and the status", async () => {
    let token = "";
    reply = (req) => {
      token = tokenOf(req);
      return { status: 400, body: { error_code: token, error_msg: "rejected" } };
    };
    await load("oneaccess");
    const msg = await caught();
    assert.ok(token, "the call carried a token");
    assert.equal(msg.error.code, "***");
    assert.match(msg.error.message, /failed with code \*\*\*: rejected \(HTTP 400\)/);
    assertMasked(msg.error, [token]);
  });

  it("with no Catch node the runtime logs the error: the token in its code is masked there", async () => {
    let token = "";
    reply = (req) => {
      token = tokenOf(req);
      return { status: 403, body: { error: token, error_description: `token ${token} may not` } };
    };
    await load("oneaccess", false);
    helper.getNode("api").receive({});
    await until("the error is logged", () => logged("error").length > 0);
    assert.match(logged("error")[0], /failed with code \*\*\*: token \*\*\* may not/);
    assertMasked(undefined, [token]);
  });

  it('401 with WWW-Authenticate: Bearer error="<token>": the refreshed token and the stale one are masked', async () => {
    const seen: string[] = [];
    reply = (req) => {
      seen.push(tokenOf(req));
      // The challenge names the token of this call; the text quotes the first one the server saw.
      return {
        status: 401,
        headers: { "www-authenticate": `Bearer error="${seen.at(-1)}"` },
        body: { error_description: `first was ${seen[0]}` },
      };
    };
    await load("oneaccess");
    const msg = await caught();
    assert.equal(seen.length, 2, "sent, refused, sent again with a new token");
    assert.notEqual(seen[0], seen[1]);
    assert.equal(msg.error.code, "***");
    assert.match(msg.error.message, /first was \*\*\*/);
    assertMasked(msg.error, seen);
  });

  it("EnOS: the token in the body's code is masked", async () => {
    let token = "";
    reply = (req) => {
      token = String(req.headers["apim-accesstoken"]);
      return { status: 200, body: { code: token, msg: `no such token ${token}` } };
    };
    await load("enos");
    const msg = await caught();
    assert.ok(token, "the call carried a token");
    assert.equal(msg.error.code, "***");
    assert.match(msg.error.message, /no such token \*\*\*/);
    assertMasked(msg.error, [token]);
  });

  it("a token endpoint's error with the secret HTML-escaped: masked at Catch, in the state route and the Test answer", async () => {
    const secret = suite.sim.accounts.oneaccess.clientSecret;
    const escaped = secret.replace(/&/g, "&amp;");
    assert.notEqual(escaped, secret, "the sample must have a character HTML escapes");
    const body = JSON.stringify({ error: `x ${escaped}`, error_description: `for ${escaped}` });
    suite.sim.fail("oneaccess.token", { kind: "status", status: 400, body }, 2);
    await load("oneaccess");
    const msg = await caught();
    assert.equal(msg.error.code, "x ***");
    const state = await helper.request().get(`${ADMIN_ROOT}/cfg/state`).expect(200);
    assert.match(String(state.body.lastError), /x \*\*\*/);
    const test = await helper.request().post(`${ADMIN_ROOT}/test`).send({ id: "cfg" }).expect(200);
    assert.equal(test.body.code, "x ***");
    assertMasked(msg.error, [escaped, secret], [state.text, test.text]);
  });
});
