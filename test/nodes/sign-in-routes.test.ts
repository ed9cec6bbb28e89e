// The sign-in's two admin routes (src/nodes/sign-in-routes.ts) in a real runtime against the
// simulator's RFC 6749 server: what authorize answers (the redirect and its headers, the redirect
// URI from the request or the dialog, under an admin root and over HTTPS, the pages that say why
// there is no redirect, HTTPS to the authorization server) and what the callback answers (signed
// in, the vendor's refusal cut to size, no code, a redeploy meanwhile, a refused exchange, an
// unexpected failure), the page's language and the log line. (The whole sign-in against
// oidc-provider, its page's script and the kept refresh token: oauth2-sign-in.test.ts.)
import assert from "node:assert/strict";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { Agent, fetch } from "undici";
import { AUTHORIZE_PATH, CALLBACK_PATH } from "../../src/admin-api";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { accessTokenNodes, helper, nodeRedPath, translationFails } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { selfSignedCertificate } from "../support/tls";

/** Where Node-RED mounts its admin app when settings.js sets httpAdminRoot. */
const ADMIN_ROOT = "/red";
const NOT_A_CALLBACK =
  "The redirect URI does not name this Node-RED's callback: start the sign-in with Sign in in the credentials dialog.";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Express as Node-RED itself loads it (its own dependency): the admin app mounted under a root, as Node-RED does. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Node-RED's own express, not one of ours
const express = require(require.resolve("express", { paths: [nodeRedPath] })) as () => Handler & {
  use(path: string, handler: Handler): void;
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe("sign-in routes: authorize and callback answers", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  /** The admin app at a port of its own (the redirect URI names the browser's host), at the root and under ADMIN_ROOT. */
  let plain: http.Server;
  let host = "";
  let rooted: http.Server;
  let rootedHost = "";

  before(async () => {
    plain = http.createServer((req, res) => helper._httpAdmin(req, res));
    host = await listen(plain);
    const app = express();
    app.use(ADMIN_ROOT, (req, res) => helper._httpAdmin(req, res));
    rooted = http.createServer(app);
    rootedHost = await listen(rooted);
  });
  after(async () => {
    await close(plain);
    await close(rooted);
  });

  const callbackUri = (scheme = "http", at = host) => `${scheme}://${at}${CALLBACK_PATH}`;

  function credentialsNode(id: string, settings: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id,
      type: "oauth2-credentials",
      name: "",
      tokenUrl: `${suite.sim.url}/oauth2/token`,
      grant: "authorization_code",
      authorizationUrl: `${suite.sim.url}/oauth2/authorize`,
      clientAuth: "basic",
      scope: "read",
      apiUrl: "",
      timeout: 10,
      proxy: "",
      tls: "",
      version: CONFIG_VERSION,
      ...settings,
    };
  }

  const secrets = () => {
    const { clientId, clientSecret } = suite.sim.accounts.oauth2;
    return { clientId, clientSecret };
  };

  /** The sign-in node `cfg`, and `cc` of another grant, deployed. */
  function flow(settings: Record<string, unknown> = {}): Record<string, unknown>[] {
    return [credentialsNode("cfg", settings), credentialsNode("cc", { grant: "client_credentials" })];
  }

  async function deploy(nodes = flow(), load: unknown = accessTokenNodes): Promise<void> {
    const credentials = Object.fromEntries(nodes.map((node) => [node.id, secrets()]));
    await helper.load([load], nodes, credentials);
  }

  /** A GET as the browser sends it: status, headers and text (remembered for the sweep). */
  async function browse(url: string, query: Record<string, string> = {}, dispatcher?: Agent) {
    const target = new URL(url);
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    // Every route answers: one left hanging fails here, not at the suite's timeout.
    const res = await fetch(target, { redirect: "manual", dispatcher, signal: AbortSignal.timeout(5_000) });
    const text = suite.remember(await res.text());
    return { status: res.status, headers: Object.fromEntries(res.headers), text };
  }

  const authorize = (query: Record<string, string>, base = `http://${host}`) =>
    browse(`${base}${AUTHORIZE_PATH}`, query);
  const callback = (query: Record<string, string>) => browse(`http://${host}${CALLBACK_PATH}`, query);

  /** A page's visible text and its language. */
  function shown(page: { text: string }): { lang: string | undefined; text: string } {
    const lang = /<html lang="([^"]*)">/.exec(page.text)?.[1];
    const body = /<body>([\s\S]*)<\/body>/.exec(page.text)?.[1] ?? "";
    const text = body
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .trim();
    return { lang, text };
  }

  /** A page, not a redirect: its status, language and text. */
  function page(res: { status: number; headers: Record<string, string>; text: string }) {
    assert.equal(res.headers.location, undefined, "no redirect");
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    return { status: res.status, ...shown(res) };
  }

  const failed = (status: number, text: string, lang = "en") => ({ status, lang, text: `Sign-in failed ${text}` });

  /** Authorize `cfg`: the redirect to the authorization server. */
  async function start(query: Record<string, string> = {}): Promise<URL> {
    const res = await authorize({ id: "cfg", ...query });
    assert.equal(res.status, 302, res.text);
    return new URL(res.headers.location!);
  }

  /** The user signs in at the simulator's page: the callback's query it sends the browser back with. */
  async function signInAtVendor(location: URL): Promise<Record<string, string>> {
    const form = new URLSearchParams(location.searchParams);
    form.set("username", suite.sim.accounts.oauth2.username!);
    form.set("password", suite.sim.accounts.oauth2.password!);
    form.set("decision", "allow");
    const res = await fetch(`${suite.sim.url}/oauth2/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    const back = new URL(res.headers.get("location")!);
    assert.equal(back.origin + back.pathname, callbackUri());
    return Object.fromEntries(back.searchParams);
  }

  it("authorize: a 302 to the server, neither cached nor telling the referrer, with the request's own callback", async () => {
    await deploy();
    const res = await authorize({ id: "cfg" });
    assert.equal(res.status, 302, res.text);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    const location = new URL(res.headers.location!);
    assert.equal(location.origin + location.pathname, `${suite.sim.url}/oauth2/authorize`);
    assert.equal(location.searchParams.get("redirect_uri"), callbackUri());
  });

  it("authorize: the dialog's redirect URI when it names this host's callback (https behind a TLS proxy too)", async () => {
    await deploy();
    for (const given of [callbackUri(), callbackUri("https")]) {
      assert.equal((await start({ redirect_uri: given })).searchParams.get("redirect_uri"), given);
    }
    const refused = [
      "not a URL",
      `ftp://${host}${CALLBACK_PATH}`,
      `http://${host}/access-token/oauth2/elsewhere`,
      `http://${host}${CALLBACK_PATH}#x`,
      `http://user:pass@${host}${CALLBACK_PATH}`,
    ];
    for (const given of refused) {
      assert.deepEqual(page(await authorize({ id: "cfg", redirect_uri: given })), failed(400, NOT_A_CALLBACK), given);
    }
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("authorize under an admin root: the callback under the same root; another path to the route names none", async () => {
    await deploy();
    const location = await authorize({ id: "cfg" }, `http://${rootedHost}${ADMIN_ROOT}`);
    assert.equal(location.status, 302, location.text);
    assert.equal(
      new URL(location.headers.location!).searchParams.get("redirect_uri"),
      `http://${rootedHost}${ADMIN_ROOT}${CALLBACK_PATH}`,
    );
    // Express also routes a trailing slash and another letter case here: no callback path follows from those.
    for (const route of [`${AUTHORIZE_PATH}/`, AUTHORIZE_PATH.toUpperCase()]) {
      const res = await browse(`http://${host}${route}`, { id: "cfg" });
      assert.deepEqual(page(res), failed(400, NOT_A_CALLBACK), route);
    }
  });

  it("authorize without a Host header (HTTP/1.0) names no callback", async () => {
    await deploy();
    const [address, port] = host.split(":");
    const socket = net.connect(Number(port), address);
    socket.write(`GET ${AUTHORIZE_PATH}?id=cfg HTTP/1.0\r\n\r\n`);
    let answer = "";
    socket.setEncoding("utf8");
    for await (const chunk of socket) answer += chunk as string;
    suite.remember(answer);
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.ok(answer.includes(NOT_A_CALLBACK.replace("'", "&#39;")), answer);
  });

  it("authorize over HTTPS without a redirect URI names an https callback", async function () {
    const certificate = selfSignedCertificate();
    if (!certificate) this.skip();
    await deploy();
    const server = https.createServer(certificate, (req, res) => helper._httpAdmin(req, res));
    const agent = new Agent({ connect: { ca: certificate.cert } });
    try {
      const at = await listen(server);
      const res = await browse(`https://${at}${AUTHORIZE_PATH}`, { id: "cfg" }, agent);
      assert.equal(res.status, 302, res.text);
      assert.equal(new URL(res.headers.location!).searchParams.get("redirect_uri"), callbackUri("https", at));
    } finally {
      await agent.close();
      await close(server);
    }
  });

  it("authorize: a page for credentials of another grant, and for a server reached over plain HTTP elsewhere", async () => {
    const elsewhere = "auth.example:8080";
    await deploy([
      ...flow(),
      credentialsNode("plain", { authorizationUrl: `http://${elsewhere}/authorize` }),
      credentialsNode("tls", { authorizationUrl: `https://${elsewhere}/authorize` }),
    ]);
    assert.deepEqual(
      page(await authorize({ id: "cc" })),
      failed(
        400,
        'These credentials do not sign in: choose the grant "Authorization code", deploy, then click Sign in.',
      ),
    );
    assert.deepEqual(
      page(await authorize({ id: "plain" })),
      failed(
        400,
        `OAuth2: ${elsewhere} is reached over plain HTTP. Use an https:// URL (plain HTTP is allowed only for 127.0.0.1/localhost, unless accessTokenAllowHttp: true is set in settings.js).`,
      ),
    );
    const res = await authorize({ id: "tls" });
    assert.equal(res.status, 302, res.text);
    assert.equal(new URL(res.headers.location!).host, elsewhere);
  });

  it("authorize: plain HTTP to another host when settings.js allows it", async () => {
    helper.settings({ accessTokenAllowHttp: true });
    await deploy([credentialsNode("plain", { authorizationUrl: "http://auth.example/authorize" })]);
    const res = await authorize({ id: "plain" });
    assert.equal(res.status, 302, res.text);
    assert.equal(new URL(res.headers.location!).origin, "http://auth.example");
  });

  it("the page's language is the runtime's when it is a language tag, else en", async () => {
    const cases: [unknown, string][] = [
      [undefined, "en"],
      ["de", "de"],
      ["zh-CN", "zh-CN"],
      ["sr-Latn-RS", "sr-Latn-RS"],
      ["1de", "en"],
      ["d", "en"],
      ["de-C", "en"],
      ['de"><b>', "en"],
    ];
    for (const [lang, expected] of cases) {
      helper.settings(lang === undefined ? {} : { lang });
      await deploy();
      assert.equal(page(await authorize({ id: "cc" })).lang, expected, String(lang));
      assert.equal(page(await callback({ state: "unknown" })).lang, expected, String(lang));
      await helper.unload();
    }
  });

  it("callback: signed in, a page without a name when the answer names nobody; the log names the node and no user", async () => {
    await deploy();
    const back = await signInAtVendor(await start());
    assert.deepEqual(page(await callback(back)), {
      status: 200,
      lang: "en",
      text: "Signed in The credentials are signed in. You can close this window.",
    });
    assert.ok(
      logged("info").includes("[access-token] credentials cfg signed in (started by the user -)"),
      logged("info").join("\n"),
    );
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });

  it("callback: the server's refusal, its code and description cut to 60 and 300 characters", async () => {
    await deploy();
    const { state } = Object.fromEntries((await start()).searchParams);
    const res = await callback({
      state: state!,
      error: `${"e".repeat(59)}EX`,
      error_description: `${"d".repeat(299)}DX`,
    });
    assert.deepEqual(
      page(res),
      failed(400, `The authorization server did not sign in: ${"e".repeat(59)}E ${"d".repeat(299)}D`),
    );
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("callback: no code, nothing sent", async () => {
    await deploy();
    const { state } = Object.fromEntries((await start()).searchParams);
    assert.deepEqual(
      page(await callback({ state: state! })),
      failed(400, "The authorization server sent no code back: start the sign-in again."),
    );
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("callback: credentials redeployed with other settings, or removed, meanwhile: nothing sent", async () => {
    await deploy();
    const redeployed =
      "The credentials node was redeployed with other settings, or removed, while signing in: click Sign in again.";
    const first = await signInAtVendor(await start());
    const second = await signInAtVendor(await start());
    await helper.setFlows(flow({ scope: "read write" }), "full", { cfg: secrets(), cc: secrets() });
    assert.deepEqual(page(await callback(first)), failed(409, redeployed));
    await helper.setFlows(flow().slice(1), "full", { cc: secrets() });
    assert.deepEqual(page(await callback(second)), failed(409, redeployed));
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("callback: a code the server refuses is a failure, with the server's answer", async () => {
    await deploy();
    const back = await signInAtVendor(await start());
    const res = page(await callback({ ...back, code: "not-the-code" }));
    assert.equal(res.status, 502);
    assert.equal(
      res.text,
      'Sign-in failed OAuth2 error invalid_grant "The code is invalid (https://www.rfc-editor.org/rfc/rfc6749#section-5.2)" (HTTP 400).',
    );
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });

  it("callback: a failure nothing expects is a 500 page of an unexpected failure, answered", async () => {
    const failing = new Set(["access-token.sign-in.unknown-state"]);
    await deploy(flow(), (RED: Record<string, unknown>) => accessTokenNodes(translationFails(RED, failing)));
    assert.deepEqual(
      page(await callback({ state: "unknown" })),
      failed(500, "OAuth2: unexpected failure: cannot render access-token.sign-in.unknown-state"),
    );
  });
});
