// A user's sign-in (oauth2-credentials, grant authorization_code with PKCE) in a real runtime against
// a real authorization server (panva's oidc-provider, test/support/oidc-server.ts): the authorize
// route's redirect, the server's own login and consent pages (walked over HTTP here; in Chromium
// in test/e2e/oauth2-sign-in.test.ts), the callback's code exchange, the name in the state, an API
// call with the token, refresh rotation kept encrypted in the user directory, a restart that needs
// no new sign-in, invalid_grant -> "sign in again" at Catch and in the status, and refused states;
// the callback's page (its security headers, its script run as a browser runs it).
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { ADMIN_ROOT, AUTHORIZE_PATH, CALLBACK_PATH, SIGN_IN_CHANNEL } from "../../src/admin-api";
import { fetch } from "undici";
import { REFRESH_TOKEN_DIR, RefreshTokenFile, refreshTokenFile } from "../../src/refresh-token-store";
import { apiRequestNode, at, nextMessage, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { startOidcServer, type OidcServer } from "../support/oidc-server";
import { logged, simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const CLIENT_ID = "node-red-home";
const CLIENT_SECRET = "client-secret-for-sign-in-7f3a";
const CREDENTIAL_SECRET = "credential-secret-of-this-runtime";
const NAME = "Home thermostat";

describe("oauth2 sign-in (authorization code with PKCE) against oidc-provider", function () {
  this.timeout(30_000);
  let server: OidcServer;
  let userDir: string;
  /**
   * The admin API at a port of its own, as a browser reaches Node-RED (the redirect URI names its
   * host; request() gives each request another port): the admin app of the current load.
   */
  let admin: http.Server;
  let adminUrl = "";
  /** Every refresh token the server issued (it forgets them on revokeAll): none may leak. */
  const issued = new Set<string>();
  const suite = simulatorSuite({ forbidden: () => [CLIENT_SECRET, CREDENTIAL_SECRET, ...issued] });
  const redirectUri = () => `${adminUrl}${CALLBACK_PATH}`;

  before(async () => {
    admin = http.createServer((req, res) => helper._httpAdmin(req, res));
    await new Promise<void>((resolve) => admin.listen(0, "127.0.0.1", resolve));
    adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
    server = await startOidcServer({
      clients: [{ id: CLIENT_ID, auth: "client_secret_basic", secret: CLIENT_SECRET, redirectUris: [redirectUri()] }],
    });
  });
  after(async () => {
    await server.close();
    admin.closeAllConnections();
    await new Promise((resolve) => admin.close(resolve));
  });
  beforeEach(async () => {
    userDir = await fs.mkdtemp(path.join(os.tmpdir(), "sign-in-userdir-"));
    server.requests.length = 0;
  });
  afterEach(async () => {
    for (const { value } of server.refreshTokens()) issued.add(value);
    await fs.rm(userDir, { recursive: true, force: true });
  });

  function flow(): Record<string, unknown>[] {
    return [
      { id: "tab1", type: "tab", label: "sign-in" },
      {
        id: "cfg",
        type: "oauth2-credentials",
        name: NAME,
        tokenUrl: server.tokenUrl,
        grant: "authorization_code",
        authorizationUrl: server.authorizationUrl,
        clientAuth: "basic",
        scope: "openid profile",
        apiUrl: server.issuer,
        timeout: 10,
        version: 2,
      },
      apiRequestNode({ provider: "oauth2", url: "/me" }),
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
  }

  /**
   * A GET as the browser sends it, to the runtime's own address (the redirect URI names its host):
   * the status, the headers and the text.
   */
  async function browse(route: string, query: Record<string, string> = {}) {
    const url = new URL(`${adminUrl}${route}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const res = await fetch(url, { redirect: "manual" });
    const text = suite.remember(await res.text());
    return { status: res.status, headers: Object.fromEntries(res.headers), text };
  }

  async function deploy(): Promise<void> {
    helper.settings({ userDir, credentialSecret: CREDENTIAL_SECRET });
    await helper.load(NODES, flow(), { cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
  }

  /** Authorize -> the server's login and consent pages -> the callback's URL (not yet opened). */
  async function authorize(login = "alice"): Promise<{ location: URL; back: URL }> {
    const res = await browse(AUTHORIZE_PATH, { id: "cfg", redirect_uri: redirectUri() });
    assert.equal(res.status, 302, res.text);
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    const location = new URL(res.headers.location!);
    const back = await server.signIn(location.href, login);
    return { location, back };
  }

  async function callback(back: URL, status: number): Promise<string> {
    const res = await browse(`${CALLBACK_PATH}${back.search}`);
    assert.equal(res.status, status, res.text);
    assert.match(res.headers["content-type"]!, /^text\/html/);
    assert.equal(res.headers["cache-control"], "no-store");
    return res.text;
  }

  async function signIn(login = "alice"): Promise<void> {
    const { back } = await authorize(login);
    const page = await callback(back, 200);
    assert.match(page, new RegExp(`Signed in as ${login}`));
    await keptWhen((entry) => entry?.accountName === login);
  }

  async function state(): Promise<Record<string, any>> {
    const res = await helper.request().get(`${ADMIN_ROOT}/cfg/state`).expect(200);
    return suite.remember(res.body);
  }

  /**
   * The refresh token kept in the user directory, read as the node reads it, once it is what
   * `wanted` says (the write follows the answer: it is not awaited by the request).
   */
  async function keptWhen(
    wanted: (entry: { refreshToken: string; accountName?: string } | undefined) => boolean,
  ): Promise<{ refreshToken: string; accountName?: string } | undefined> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const entry = await kept();
      if (wanted(entry) || Date.now() > deadline) return entry;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function kept(): Promise<{ refreshToken: string; accountName?: string } | undefined> {
    const reports: string[] = [];
    const account = `oauth2 ${server.tokenUrl} ${CLIENT_ID} openid profile|| authorization_code cfg`;
    const store = new RefreshTokenFile({
      userDir,
      nodeId: "cfg",
      secret: CREDENTIAL_SECRET,
      account,
      report: (r) => reports.push(r),
    });
    return store.load().then((entry) => {
      assert.deepEqual(reports, []);
      return entry;
    });
  }

  async function callApi(): Promise<Record<string, any>> {
    const out = nextMessage("out");
    helper.getNode("api").receive({ payload: "" });
    return (await out).payload;
  }

  const grants = () => server.requests.map((r) => `${r.grantType}${r.error ? ` ${r.error}` : ""}`);

  it("sends the browser to the server with PKCE S256, signs in, shows the name and calls an API with the token", async () => {
    await deploy();
    assert.deepEqual(await state().then((s) => [s.signedIn, s.tokenHeld]), [false, false]);
    const { location, back } = await authorize();
    assert.equal(location.origin + location.pathname, server.authorizationUrl);
    const query = Object.fromEntries(location.searchParams);
    assert.equal(query.response_type, "code");
    assert.equal(query.client_id, CLIENT_ID);
    assert.equal(query.redirect_uri, redirectUri());
    assert.equal(query.scope, "openid profile");
    assert.equal(query.code_challenge_method, "S256");
    assert.match(query.code_challenge!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(query.state!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(back.searchParams.get("state"), query.state);
    const page = await callback(back, 200);
    assert.match(page, /Signed in as alice/);
    assert.ok(!page.includes(back.searchParams.get("code")!), "the page never shows the code");
    const signedIn = await state();
    assert.equal(signedIn.signedIn, true);
    assert.equal(signedIn.signedInAs, "alice");
    assert.equal(signedIn.tokenHeld, true);
    assert.deepEqual(grants(), ["authorization_code"]);
    assert.deepEqual(await callApi(), { sub: "alice", name: "alice" });
    // The refresh token is kept, encrypted, in the user directory; nowhere in the flow's files.
    assert.equal((await keptWhen(Boolean))?.accountName, "alice");
    assert.deepEqual(await fs.readdir(path.join(userDir, REFRESH_TOKEN_DIR)), ["cfg.json"]);
  });

  it("refuses a reused state and an unknown one: nothing is sent to the server", async () => {
    await deploy();
    const { back } = await authorize();
    await callback(back, 200);
    const again = await callback(back, 400);
    assert.match(again, /unknown, was already used, or is older than 10 minutes/);
    const forged = new URL(back);
    forged.searchParams.set("state", "A".repeat(43));
    assert.match(await callback(forged, 400), /unknown, was already used/);
    const none = new URL(back);
    none.searchParams.delete("state");
    await callback(none, 400);
    assert.deepEqual(grants(), ["authorization_code"], "one exchange: the first callback's");
  });

  it("a vendor's refusal on the callback is shown, and the state is used up", async () => {
    await deploy();
    const res = await browse(AUTHORIZE_PATH, { id: "cfg", redirect_uri: redirectUri() });
    const stateValue = new URL(res.headers.location!).searchParams.get("state")!;
    const refused = new URL(redirectUri());
    refused.searchParams.set("state", stateValue);
    refused.searchParams.set("error", "access_denied");
    refused.searchParams.set("error_description", "<b>the user said no</b>");
    const page = await callback(refused, 400);
    assert.match(page, /access_denied &#60;b&#62;the user said no&#60;\/b&#62;/);
    await callback(refused, 400);
    assert.deepEqual(grants(), []);
  });

  /**
   * What the sign-in window's page does, as a browser runs it: its script (only one whose nonce the
   * page's CSP names runs) with Node's BroadcastChannel, which delivers within the process as a
   * browser does within an origin; and what the dialog's listener and window.opener receive.
   */
  async function runPage(page: { headers: Record<string, string>; text: string }) {
    const csp = page.headers["content-security-policy"] ?? "";
    const scripts = [...page.text.matchAll(/<script nonce="([^"]*)">([\s\S]*?)<\/script>/g)];
    const allowed = scripts.filter(([, nonce]) => csp.includes(`script-src 'nonce-${nonce}';`));
    assert.equal(allowed.length, scripts.length, "every script is allowed by the page's CSP");
    const listener = new BroadcastChannel(SIGN_IN_CHANNEL);
    const broadcast: unknown[] = [];
    listener.onmessage = (event) => broadcast.push((event as MessageEvent).data);
    const opener: unknown[][] = [];
    const window = {
      opener: { postMessage: (...args: unknown[]) => opener.push(args) },
      location: { origin: adminUrl },
    };
    for (const [, , source] of allowed) vm.runInNewContext(source!, { BroadcastChannel, window });
    // A message posted on a channel arrives at the others later: each script that ran posts one.
    for (let i = 0; i < 400 && broadcast.length < allowed.length; i++) await new Promise((r) => setTimeout(r, 5));
    listener.close();
    const result = /<h1 data-result="([^"]*)">/.exec(page.text)?.[1];
    const visible = /<body>([\s\S]*)<\/body>/
      .exec(page.text)![1]!
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    // The vm's objects have its own prototypes: compared as the data they are.
    const data = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
    return { result, broadcast: data(broadcast), opener: data(opener), visible, scripts: scripts.length };
  }

  it("the callback's page: an HTML page that leaks nothing and tells the dialog by channel and opener", async () => {
    await deploy();
    const { back } = await authorize();
    const page = await browse(`${CALLBACK_PATH}${back.search}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(page.headers["referrer-policy"], "no-referrer", "the callback's URL holds the code");
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    const nonce = /<script nonce="([^"]+)">/.exec(page.text)?.[1];
    assert.match(nonce ?? "", /^[A-Za-z0-9+/]{22}==$/);
    assert.equal(
      page.headers["content-security-policy"],
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    const told = { type: SIGN_IN_CHANNEL, id: "cfg", ok: true };
    assert.deepEqual(await runPage(page), {
      result: "signed-in",
      broadcast: [told],
      opener: [[told, adminUrl]],
      visible: "Signed in Signed in as alice. You can close this window.",
      scripts: 1,
    });
    // Another page, another nonce.
    const again = await authorize();
    const second = await browse(`${CALLBACK_PATH}${again.back.search}`);
    assert.notEqual(/<script nonce="([^"]+)">/.exec(second.text)?.[1], nonce);
  });

  it("the callback's page of a refusal tells the dialog it failed; one of an unknown state has no script", async () => {
    // A node id a flow file may hold: the page's script carries it whole, and it closes no tag.
    const id = "cfg</script><!--<b>";
    helper.settings({ userDir, credentialSecret: CREDENTIAL_SECRET });
    await helper.load(NODES, [flow()[0]!, { ...flow()[1]!, id }], {
      [id]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    const start = await browse(AUTHORIZE_PATH, { id, redirect_uri: redirectUri() });
    const state = new URL(start.headers.location!).searchParams.get("state")!;
    const refused = await browse(CALLBACK_PATH, { state, error: "access_denied" });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers["content-type"], "text/html; charset=utf-8");
    const told = { type: SIGN_IN_CHANNEL, id, ok: false };
    assert.deepEqual(await runPage(refused), {
      result: "failed",
      broadcast: [told],
      opener: [[told, adminUrl]],
      visible: "Sign-in failed The authorization server did not sign in: access_denied",
      scripts: 1,
    });
    const unknown = await browse(CALLBACK_PATH, { state });
    assert.equal(unknown.status, 400);
    assert.equal(
      unknown.headers["content-security-policy"]?.startsWith("default-src 'none'; script-src 'nonce-"),
      true,
    );
    const shown = await runPage(unknown);
    assert.deepEqual([shown.result, shown.broadcast, shown.opener, shown.scripts], ["failed", [], [], 0]);
    assert.equal(
      shown.visible,
      "Sign-in failed This sign-in is unknown, was already used, or is older than 10 minutes: nothing was done. Start it again with Sign in in the credentials dialog.",
    );
  });

  it("answers a page, not a redirect, for a node not deployed, of another grant, or a foreign redirect URI", async () => {
    await deploy();
    const page = async (query: Record<string, string>, status: number, text: RegExp) => {
      const res = await browse(AUTHORIZE_PATH, query);
      assert.deepEqual([res.status, res.headers.location], [status, undefined]);
      assert.match(res.text, text);
    };
    await page({ id: "nope" }, 404, /not deployed/);
    await page({ id: "cfg", redirect_uri: "https://evil.example/access-token/oauth2/callback" }, 400, /redirect URI/);
    await page({ id: "cfg", redirect_uri: `${redirectUri()}?x=1` }, 400, /redirect URI/);
    // Without one, the request's own host and the callback beside the route.
    const own = await browse(AUTHORIZE_PATH, { id: "cfg" });
    assert.equal(new URL(own.headers.location!).searchParams.get("redirect_uri"), redirectUri());
  });

  it("refreshes with the kept refresh token (the sidebar's Refresh), rotated as the server rotates it", async () => {
    await deploy();
    await signIn();
    const first = (await keptWhen(Boolean))!.refreshToken;
    const refreshed = await helper.request().post(`${ADMIN_ROOT}/cfg/refresh`).expect(200);
    assert.equal(suite.remember(refreshed.body).ok, true, refreshed.body.message);
    const second = (await keptWhen((entry) => entry?.refreshToken !== first))!.refreshToken;
    assert.notEqual(second, first);
    const tokens = server.refreshTokens();
    assert.equal(tokens.find((t) => t.value === first)?.consumed, true, "the server rotated the first");
    assert.equal(tokens.find((t) => t.value === second)?.consumed, false);
    assert.deepEqual(grants(), ["authorization_code", "refresh_token"]);
    assert.deepEqual(await callApi(), { sub: "alice", name: "alice" });
  });

  it("keeps the sign-in across a restart: no new sign-in, no deploy, a refresh first", async () => {
    await deploy();
    await signIn();
    // A restart: the runtime's nodes stop and start again from the same flows and user directory.
    await helper.unload();
    helper.settings({ userDir, credentialSecret: CREDENTIAL_SECRET });
    await helper.load(NODES, flow(), { cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
    // The node reads its file as it starts: the state route says so once it is read.
    let restored = await state();
    for (let i = 0; i < 100 && !restored.signedIn; i++) restored = await state();
    assert.equal(restored.signedIn, true);
    assert.equal(restored.signedInAs, "alice");
    assert.equal(restored.tokenHeld, false, "no access token yet: the next request refreshes first");
    server.requests.length = 0;
    assert.deepEqual(await callApi(), { sub: "alice", name: "alice" });
    assert.deepEqual(grants(), ["refresh_token"]);
  });

  it("invalid_grant on refresh: Catch gets 'sign in again' with the credentials' name, the status says so", async () => {
    await deploy();
    await signIn();
    server.revokeAll();
    const caught = nextMessage("caught");
    helper.getNode("api").receive({ payload: "" });
    const error = suite.remember((await caught).error);
    assert.match(error.message, new RegExp(`sign in again with the credentials "${NAME}"`));
    const status = statuses("api").at(-1)!;
    assert.deepEqual([status.fill, status.text], ["red", "OAuth2: sign in again"]);
    assert.deepEqual(grants(), ["authorization_code", "refresh_token invalid_grant"], "no other token request");
    assert.equal(
      await keptWhen((entry) => !entry),
      undefined,
      "the refused refresh token is gone from the user directory",
    );
    const signedOut = await state();
    assert.equal(signedOut.signedIn, false);
    // A new sign-in works again.
    await signIn("bob");
    assert.deepEqual(await callApi(), { sub: "bob", name: "bob" });
  });

  it("a runtime without a credential secret says once that a sign-in is kept in memory only; other grants say nothing", async () => {
    helper.settings({ userDir, credentialSecret: false });
    const machine = { ...flow()[1]!, id: "cc", name: "Machine", grant: "client_credentials" };
    await helper.load(NODES, [...flow(), machine], {
      cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      cc: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    assert.deepEqual(
      logged("warn").filter((text) => text.includes("kept in memory only")),
      [
        `${NAME}: the sign-in is kept in memory only (no credential secret to encrypt it with: credentialSecret is false in settings.js, or no user directory); a restart of Node-RED needs a new sign-in.`,
      ],
    );
  });

  it("without a sign-in: 'sign in again' at once, nothing sent", async () => {
    await deploy();
    const caught = nextMessage("caught");
    helper.getNode("api").receive({ payload: "" });
    assert.match((await caught).error.message, /sign in again/);
    assert.deepEqual(grants(), []);
  });

  it("a deleted node's kept sign-in goes with it; a redeploy keeps it", async () => {
    await deploy();
    await signIn();
    const file = refreshTokenFile(userDir, "cfg");
    await helper.setFlows(flow(), "nodes", { cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
    await fs.access(file);
    await helper.setFlows(
      flow().filter((node) => node.id !== "cfg"),
      "full",
    );
    const exists = () =>
      fs.access(file).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 500 && (await exists()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(await exists(), false, "the deleted node's file is gone");
  });
});
