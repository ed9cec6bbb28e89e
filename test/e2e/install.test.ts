// The packed module installed into a fresh user directory as the palette manager installs it, run
// in a real `node-red` process (Node-RED 4 on Node.js 20, or 5 on 24 under the matrix), checked
// through the admin HTTP API: registration, editor files, examples, deploy with credentials,
// encryption at rest, and a restart that keeps both the credentials and the cached token.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ProviderSimulator } from "../simulator";
import { getJson, nodeSets, request } from "./support/admin";
import {
  configId,
  contextKey,
  credentialValuesOf,
  endpoint,
  API_ENDPOINT,
  installFlow,
  persists,
  PROVIDER_IDS,
  secretsOf,
  TAB,
} from "./support/e2e-flows";
import { freePort } from "../support/ports";
import { NodeRedProcess, nodeRedVersion } from "./support/node-red-process";
import { packTarball, repoRoot, type Tarball } from "./support/package-tarball";
import { allFiles, createUserDir, removeDir } from "./support/userdir";
import { NODE_TYPES } from "../support/node-types";

const MODULE = "@iot-token/node-red-access-token";
const NODE_SET = `${MODULE}/access-token`;
const TYPES = NODE_TYPES;

describe(`e2e: install the packed module into Node-RED ${nodeRedVersion()} on Node.js ${process.versions.node}`, function () {
  this.timeout(120_000);
  let sim: ProviderSimulator;
  let tarball: Tarball;
  let userDir: string | undefined;
  let red: NodeRedProcess | undefined;
  /** Tokens GET /token/<provider> answered before the restart. */
  const firstTokens: Record<string, string> = {};

  before(async () => {
    sim = await ProviderSimulator.start();
    tarball = await packTarball();
    const port = await freePort();
    userDir = await createUserDir(tarball, { port });
    red = new NodeRedProcess(userDir, port);
    await red.start();
  });

  after(async () => {
    await red?.stop();
    removeDir(userDir);
    await sim?.close();
  });

  afterEach(function () {
    // A failure in a separate process is opaque without its log.
    if (this.currentTest?.state === "failed" && red)
      console.log(`node-red output:\n${red.lines.slice(-60).join("\n")}`);
  });

  const url = () => (red as NodeRedProcess).url;

  it("records the module in the user directory's package.json as the palette manager does", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(userDir as string, "package.json"), "utf8"));
    assert.ok(pkg.dependencies?.[MODULE], "the module is a dependency of the user directory");
    const installed = fs
      .readdirSync(path.join(userDir as string, "node_modules"))
      .filter((name) => !name.startsWith("."));
    // Only our scope and the two runtime dependencies (@redis/client has none of its own): nothing
    // else was pulled in. @redis/client is installed, and loaded only when the shared cache is set.
    assert.deepEqual(installed.sort(), ["@iot-token", "@redis", "undici"]);
    assert.deepEqual(fs.readdirSync(path.join(userDir as string, "node_modules", "@redis")), ["client"]);
  });

  it("registers every node type, enabled and loaded, with no load warning", async () => {
    const sets = (await nodeSets(url())).filter((set) => set.module === MODULE);
    assert.equal(sets.length, 1, "one node set");
    const [set] = sets;
    assert.equal(set.id, NODE_SET);
    assert.deepEqual([...set.types].sort(), [...TYPES].sort());
    assert.equal(set.enabled, true);
    assert.equal(set.local, true, "loaded from the user directory");
    // What the palette manager lists as installed (and can remove): recorded in package.json.
    const info = await getJson(url(), `/nodes/${MODULE}`);
    assert.equal(info.user, true, "a user-installed module");
    assert.equal(info.version, tarball.version);
    assert.ok(!set.err, `load error: ${JSON.stringify(set.err)}`);
    assert.equal(set.version, tarball.version);
    const problems = (red as NodeRedProcess).problems([MODULE, "access-token", "-credentials", "undici"]);
    assert.deepEqual(problems, [], "no warning or error about the module in the log");
    assert.ok(!(red as NodeRedProcess).lines.some((l) => /Failed to register|Waiting for missing types/.test(l)));
  });

  it("serves the editor side: node definitions, help and both message catalogs", async () => {
    // The browser test checks the definitions themselves (RED.nodes.getType); here: all delivered.
    const html = await request(url(), "GET", "/nodes", {
      headers: { Accept: "text/html", "Accept-Language": "en-US" },
    });
    assert.equal(html.status, 200);
    assert.match(html.text, /RED\.nodes\.registerType\(/);
    for (const type of TYPES) {
      assert.match(html.text, new RegExp(`data-template-name=["']${type}["']`), `edit dialog of ${type}`);
      assert.match(html.text, new RegExp(`data-help-name=["']${type}["']`), `help text of ${type}`);
    }
    const zhHtml = await request(url(), "GET", "/nodes", {
      headers: { Accept: "text/html", "Accept-Language": "zh-CN" },
    });
    const zhHelp = /data-help-name=["']access-token["'][^>]*>([\s\S]*?)<\/script>/.exec(zhHtml.text)?.[1] ?? "";
    assert.match(zhHelp, /[\u4e00-\u9fff]/, "the help text in zh-CN is Chinese");
    for (const lng of ["en-US", "zh-CN"]) {
      const catalog = await getJson(url(), `/locales/${NODE_SET}?lng=${lng}`);
      assert.equal(typeof catalog["access-token"]?.paletteLabel, "string", `${lng} catalog has the palette label`);
      assert.equal(typeof catalog.errors?.["missing-field"], "string", `${lng} catalog has the error texts`);
    }
    const zh = await getJson(url(), `/locales/${NODE_SET}?lng=zh-CN`);
    assert.match(zh["access-token"].paletteLabel, /[\u4e00-\u9fff]/, "the zh-CN palette label is Chinese");
    const icon = await request(url(), "GET", `/icons/${MODULE}/iot-token-access-token.svg`, {
      headers: { Accept: "*/*" },
    });
    assert.equal(icon.status, 200, "the icon is served");
    assert.match(icon.text, /<svg/);
    // The editor validates URLs as the runtime does, so it sees the plain-HTTP opt-in (and nothing else of ours).
    const settings = await getJson(url(), "/settings");
    assert.equal(settings.accessTokenAllowHttp, false, "accessTokenAllowHttp exported with its default");
    assert.deepEqual(
      Object.keys(settings).filter((key) => key.startsWith("accessToken")),
      ["accessTokenAllowHttp"],
    );
  });

  it("lists every flow in examples/ for Import > Examples", async () => {
    const expected = fs
      .readdirSync(path.join(repoRoot, "examples"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
    assert.ok(expected.length > 0, "examples/ holds at least one flow");
    const modules = await getJson<string[]>(url(), "/library/examples/flows/");
    assert.ok(modules.includes(MODULE), `examples library lists the module (got ${JSON.stringify(modules)})`);
    const entries = await getJson<Array<{ fn?: string } | string>>(url(), `/library/examples/flows/${MODULE}`);
    const listed = entries.flatMap((e) => (typeof e === "object" && e.fn ? [e.fn] : [])).sort();
    assert.deepEqual(listed, expected);
    for (const name of listed) {
      const flow = await getJson<unknown[]>(url(), `/library/examples/flows/${MODULE}/${encodeURIComponent(name)}`);
      assert.ok(Array.isArray(flow) && flow.length > 0, `${name} is a flow`);
    }
  });

  it("deploys a flow with each credentials node and a get token node per provider", async () => {
    await (red as NodeRedProcess).deploy(installFlow(sim.url, sim.accounts));
    const flows = await getJson<Array<Record<string, unknown>>>(url(), "/flows", { "Node-RED-API-Version": "v1" });
    for (const provider of PROVIDER_IDS)
      assert.ok(
        flows.some((n) => n.id === configId(provider)),
        `${provider} credentials deployed`,
      );
    assert.deepEqual((red as NodeRedProcess).problems(), [], "no warning or error after the deploy");
  });

  it("answers GET /token/<provider> with a vendor token for every provider", async () => {
    for (const provider of PROVIDER_IDS) {
      const reply = await request(url(), "GET", endpoint(provider), { headers: { Accept: "*/*" } });
      assert.equal(reply.status, 200, `${provider}: ${reply.text}`);
      assert.ok(reply.text.length >= 16, `${provider} token`);
      firstTokens[provider] = reply.text;
      assert.equal(sim.count(`${provider}.token`), 1);
    }
  });

  it("keeps credentials encrypted at rest and out of GET /flows", async () => {
    const dir = userDir as string;
    const cred = JSON.parse(fs.readFileSync(path.join(dir, "flows_cred.json"), "utf8"));
    assert.deepEqual(Object.keys(cred), ["$"], "flows_cred.json holds only the encrypted blob");
    const flowsFile = fs.readFileSync(path.join(dir, "flows.json"), "utf8");
    const apiFlows = (await request(url(), "GET", "/flows", { headers: { "Node-RED-API-Version": "v2" } })).text;
    for (const value of credentialValuesOf(sim.accounts)) {
      assert.ok(!flowsFile.includes(value), "flows.json holds no credential");
      assert.ok(!apiFlows.includes(value), "GET /flows holds no credential");
    }
    // What the editor shows when it opens a credentials node: the id, and only has_secret.
    const os = await getJson(url(), `/credentials/orionstar-credentials/${configId("orionstar")}`);
    assert.deepEqual(os, { appid: sim.accounts.orionstar.appid, has_secret: true });
    const secrets = secretsOf(sim.accounts);
    for (const file of allFiles(dir)) {
      const content = fs.readFileSync(file, "latin1");
      for (const secret of secrets)
        assert.ok(!content.includes(secret), `${path.relative(dir, file)} holds a plaintext secret`);
    }
    for (const secret of secrets)
      assert.ok(!(red as NodeRedProcess).lines.some((l) => l.includes(secret)), "the log holds no secret");
  });

  it("after a restart, the stored credentials and the file-context tokens still work", async () => {
    await (red as NodeRedProcess).restart();
    const stored = JSON.parse(fs.readFileSync(path.join(userDir as string, "context", TAB, "flow.json"), "utf8"));
    for (const provider of PROVIDER_IDS) {
      const reply = await request(url(), "GET", endpoint(provider), { headers: { Accept: "*/*" } });
      assert.equal(reply.status, 200, `${provider}: ${reply.text}`);
      if (persists(provider)) {
        // Adopted from the "file" context store: the same token, no new vendor request.
        assert.equal(stored[contextKey(provider)]?.token, firstTokens[provider], `${provider}: token on disk`);
        assert.equal(reply.text, firstTokens[provider], `${provider}: the token from before the restart`);
        assert.equal(sim.count(`${provider}.token`), 1, `${provider}: no new token request`);
      } else {
        // No stored token: a new vendor request, which succeeds only with the decrypted credentials.
        assert.notEqual(reply.text, firstTokens[provider]);
        assert.equal(sim.count(`${provider}.token`), 2, `${provider}: one new token request`);
      }
    }
    assert.deepEqual((red as NodeRedProcess).problems(), [], "no warning or error after the restart");
  });

  it("api request answers; a refused call reaches Catch with msg.error.statusCode", async () => {
    const ok = await request(url(), "GET", API_ENDPOINT, { headers: { Accept: "application/json" } });
    assert.equal(ok.status, 200, ok.text);
    assert.ok(Array.isArray(JSON.parse(ok.text).users), "OneAccess's users");
    sim.fail("oneaccess.users", { kind: "status", status: 429, retryAfter: 30 });
    const refused = await request(url(), "GET", API_ENDPOINT, { headers: { Accept: "application/json" } });
    assert.equal(refused.status, 502, refused.text);
    // Set by this package's onReceive hook in the real runtime, not by Node-RED's handleError.
    assert.equal(JSON.parse(refused.text).statusCode, 429);
  });
});
