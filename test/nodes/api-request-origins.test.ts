// Where api request sends the token (issue #23, 5): only to its credentials node's API origins, the
// API URL's and those listed in API hosts. In a real runtime against the simulator and a loopback
// server of the test's own on another port, which records what reached it: a call anywhere else
// goes to Catch before a token is fetched or a call signed, and that server receives nothing. (A
// node saved before oauth2 and custom had an API URL keeps working: config-version.test.ts.)
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderId } from "../../src/providers";
import { apiFlow, demoCredentials, nextMessage, statuses } from "../support/flows";
import { exampleConfig, onSimulator } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("api request sends the token only to its API origins", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  /** Another origin than the simulator's: the same host, another port. */
  let other: http.Server;
  let otherUrl: string;
  /** The requests the other server received, with their headers. */
  let received: http.IncomingHttpHeaders[] = [];
  /** How it answers: the headers it saw, unless a test says otherwise. */
  let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  before(async () => {
    other = http.createServer((req, res) => {
      received.push(req.headers);
      reply(req, res);
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  after(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });
  beforeEach(() => {
    received = [];
    reply = (req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ seen: req.headers }));
  });

  /** api request -> out, catch -> caught, on credentials `cfg` of this provider with these properties. */
  async function load(
    provider: ProviderId,
    properties: Record<string, unknown>,
    url = "",
    keys = demoCredentials(suite.sim, provider),
  ): Promise<void> {
    const base = properties.tokenUrl === undefined ? suite.sim.url : "";
    await helper.load(NODES, apiFlow(provider, base, { url, method: "use" }, properties), { cfg: keys });
  }

  /** What comes out of the node for this message: its output, or what Catch got. */
  async function call(
    msg: Record<string, unknown>,
  ): Promise<{ out?: Record<string, any>; caught?: Record<string, any> }> {
    const out = nextMessage("out").then((m) => ({ out: m }));
    const caught = nextMessage("caught").then((m) => ({ caught: m }));
    helper.getNode("api").receive({ method: "GET", ...msg });
    return Promise.race([out, caught]);
  }

  const tokenRequests = () =>
    (["orionstar", "enos", "oneaccess", "oauth2"] as const).reduce(
      (sum, id) => sum + suite.sim.count(`${id}.token`),
      0,
    );

  it("an absolute msg.url to another origin goes to Catch, and that host receives nothing: no token, no EnOS signature", async () => {
    for (const provider of ["oneaccess", "enos"] as const) {
      await load(provider, { name: `${provider} account` });
      // "http:host/x" is read as URL reads it: the same other origin.
      for (const url of [`${otherUrl}/steal?x=1`, `http:${otherUrl.slice("http://".length)}/steal`]) {
        const { caught } = await call({ url });
        assert.equal(
          caught?.error.message,
          `the token of ${provider} account is sent only to ${suite.sim.url}; add ${otherUrl} to its API hosts`,
          url,
        );
      }
      assert.equal(statuses("api").at(-1)?.fill, "red");
      await helper.unload();
    }
    assert.deepEqual(received, [], "the other server received no request");
    assert.equal(tokenRequests(), 0, "no token was even fetched");
  });

  it("the refusal names the credentials node by its name as shown, or by its type when it has none", async () => {
    for (const [name, shown] of [
      ["  Plant A  ", "Plant A"],
      ["   ", "OneAccess credentials"],
      [undefined, "OneAccess credentials"],
    ]) {
      await load("oneaccess", { name });
      const { caught } = await call({ url: `${otherUrl}/x` });
      assert.equal(
        caught?.error.message,
        `the token of ${shown} is sent only to ${suite.sim.url}; add ${otherUrl} to its API hosts`,
        JSON.stringify(name),
      );
      await helper.unload();
    }
    assert.deepEqual(received, []);
  });

  it("the API URL's own origin, however written, gets the call with the token", async () => {
    await load("oneaccess", {});
    const url = `${suite.sim.url.replace("http://", "HTTP://")}/api/v2/tenant/users`;
    const { out, caught } = await call({ url });
    assert.equal(caught, undefined, caught?.error.message);
    assert.equal(out?.statusCode, 200);
    assert.equal(suite.sim.count("oneaccess.users"), 1);
  });

  it("an origin listed in API hosts gets the call with the token (EnOS: signed)", async () => {
    await load("oneaccess", { apiHosts: `https://files.example.com, ${otherUrl}` });
    const { out } = await call({ url: `${otherUrl}/data` });
    assert.match(out?.payload.seen.authorization, /^Bearer \S+$/);
    await helper.unload();
    await load("enos", { apiHosts: otherUrl });
    const { out: signed } = await call({ url: `${otherUrl}/data?b=2&a=1` });
    assert.ok(signed?.payload.seen["apim-accesstoken"], "the token");
    assert.match(signed?.payload.seen["apim-signature"], /^[0-9a-f]{64}$/);
    assert.equal(received.length, 2);
  });

  it("a port or scheme that differs from every API origin is refused", async () => {
    const [scheme, rest] = otherUrl.split("://");
    const otherPort = `${scheme}://${rest.split(":")[0]}:${Number(rest.split(":")[1]) + 1}`;
    await load("oneaccess", { name: "tenant", apiHosts: `https://${rest}` });
    for (const [url, origin] of [
      [`${otherUrl}/data`, otherUrl],
      [`${otherPort}/data`, otherPort],
    ]) {
      const { caught } = await call({ url });
      assert.equal(
        caught?.error.message,
        `the token of tenant is sent only to ${suite.sim.url}, https://${rest}; add ${origin} to its API hosts`,
      );
    }
    assert.deepEqual(received, []);
  });

  it("the HTTPS rule still applies to an API hosts origin: plain http:// only to loopback", async () => {
    await load("oneaccess", { apiHosts: "http://api.example.com" });
    const { caught } = await call({ url: "http://api.example.com/data" });
    assert.equal(caught?.error.message.startsWith("OneAccess: api.example.com is reached over plain HTTP."), true);
  });

  it("oauth2 and custom with no API URL: a path is an error, a full URL of an API host works", async () => {
    const tokenUrl = `${suite.sim.url}/oauth2/token`;
    const example = onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim);
    const homemade = { ...example, id: "cfg", apiUrl: "", version: 2 };
    for (const [provider, properties, vendor] of [
      ["oauth2", { tokenUrl, apiUrl: "", version: 2 }, "OAuth2"],
      ["custom", homemade, "Custom token endpoint"],
    ] as const) {
      const keys =
        provider === "custom"
          ? { key: suite.sim.accounts.homemade.appKey, secret: suite.sim.accounts.homemade.appSecret }
          : undefined;
      await load(provider, properties, "/api/things", keys);
      const { caught } = await call({});
      assert.equal(
        caught?.error.message,
        `${vendor}: a path such as /v1/... needs the API URL of the credentials node, and it has none. Fill in its API URL (such as https://api.example.com), or call a full https:// URL of one of its API hosts.`,
      );
      await helper.unload();
    }
    assert.equal(tokenRequests() + suite.sim.count("homemade.token"), 0);
    // Unnamed: named by its type. Not even its token URL's origin is an API origin now.
    await load("oauth2", { tokenUrl, apiUrl: "", version: 2 });
    const refused = await call({ url: `${suite.sim.url}/oauth2/api/things` });
    assert.equal(
      refused.caught?.error.message,
      `the token of OAuth2 credentials is sent to no host yet: set its API URL, or add ${suite.sim.url} to its API hosts`,
    );
    await helper.unload();
    await load("oauth2", { tokenUrl, apiUrl: "", apiHosts: suite.sim.url, version: 2 });
    const { out } = await call({ url: `${suite.sim.url}/oauth2/api/things` });
    assert.equal(out?.statusCode, 200);
    assert.equal(suite.sim.count("oauth2.api"), 1);
  });

  it("an API hosts entry that is not an origin stops the credentials node on deploy, naming the entry", async () => {
    await load("oneaccess", { apiHosts: "https://ok.example api.example.com/v1" });
    const { caught } = await call({ url: `${suite.sim.url}/api/v2/tenant/users` });
    assert.equal(
      caught?.error.message,
      'OneAccess: "api.example.com/v1" in API hosts of the credentials node is not an origin. Write each host as https://host or https://host:port (no path), separated by commas or spaces.',
    );
    assert.equal(tokenRequests(), 0);
  });

  it("a redirect from the API to another host is not followed: that host receives nothing", async () => {
    // The other server, an API host, redirects to the simulator's users list.
    await load("oneaccess", { apiHosts: otherUrl });
    reply = (_req, res) => res.writeHead(302, { location: `${suite.sim.url}/api/v2/tenant/users` }).end();
    const { out, caught } = await call({ url: `${otherUrl}/moved` });
    assert.equal((out ?? caught)?.statusCode, 302);
    assert.equal(received.length, 1);
    assert.equal(suite.sim.count("oneaccess.users"), 0, "the redirect's target received nothing");
  });
});
