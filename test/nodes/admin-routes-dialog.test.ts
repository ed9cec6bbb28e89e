// What the Test route takes from a dialog, in a real runtime against the simulator: the provider's
// own properties, ${NAME} from the environment (unset: empty), credentials
// left out taken from the deployed node (a stored secret only with the client id as deployed: the
// rest of that rule is test/nodes/admin-routes-secret.test.ts); and the answers for a node that is not deployed.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ADMIN_ROOT } from "../../src/admin-api";
import { simulatorSuite } from "../support/simulator-suite";
import { basicFlow, demoCredentials } from "../support/flows";
import { pressTest } from "../support/test-button";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const NOT_DEPLOYED = "This credentials node is not deployed: deploy it, or test what the dialog holds.";

describe("admin routes: what a dialog test takes", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  const post = async (body: object) => (await pressTest(body)).answer;

  const oauth2 = (extra: Record<string, unknown> = {}) => ({
    type: "oauth2-credentials",
    tokenUrl: `${suite.sim.url}/oauth2/token`,
    timeout: 10,
    credentials: { clientId: suite.sim.accounts.oauth2.clientId, clientSecret: suite.sim.accounts.oauth2.clientSecret },
    ...extra,
  });

  it("a node that is not deployed: the Test route says so, the state route answers 404 with the same text", async () => {
    await helper.load(NODES, []);
    assert.deepEqual(await post({ id: "nope" }), { ok: false, vendor: "", message: NOT_DEPLOYED });
    assert.deepEqual(await post({}), { ok: false, vendor: "", message: NOT_DEPLOYED });
    assert.deepEqual(await post({ id: 7, type: "mqtt-broker" }), { ok: false, vendor: "", message: NOT_DEPLOYED });
    const res = await helper.request().get(`${ADMIN_ROOT}/nope/state`).expect(404);
    assert.deepEqual(res.body, { message: NOT_DEPLOYED });
  });

  it("uses the provider's own properties from the dialog (a scope the server refuses fails the test)", async () => {
    await helper.load(NODES, []);
    assert.equal((await post(oauth2())).ok, true);
    const refused = await post(oauth2({ scope: "not-granted" }));
    assert.equal(refused.ok, false);
    assert.equal(refused.code, "invalid_scope");
    assert.equal(suite.sim.count("oauth2.token"), 2);
  });

  it("custom: says which expressions the test used; without a token URL it evaluates sign for a sample call (signing only)", async () => {
    await helper.load(NODES, []);
    const { appKey, appSecret } = suite.sim.accounts.ezviz;
    const ezviz = {
      type: "custom-token-credentials",
      tokenUrl: `${suite.sim.url}/api/lapp/token/get`,
      bodyType: "form",
      request: '{"body": {"appKey": $key, "appSecret": $secret}}',
      ok: 'body.code = "200"',
      token: "body.data.accessToken",
      expiresIn: "",
      sign: '$purpose = "api" ? {"body": {"accessToken": $token}}',
      authValue: "",
      credentials: { key: appKey, secret: appSecret },
    };
    const fetched = await post(ezviz);
    assert.equal(fetched.ok, true, fetched.message);
    assert.deepEqual(fetched.fields, ["request", "sign", "token", "ok"]);
    assert.equal(fetched.signingOnly, undefined);
    const signing = await post({ ...ezviz, tokenUrl: "", sign: '{"headers": {"x-sig": $hmacSha256($secret, $path)}}' });
    assert.deepEqual(signing, { ok: true, vendor: "Custom token", signingOnly: true, fields: ["sign"] });
    const broken = await post({ ...ezviz, tokenUrl: "", sign: '{"headers": {"x-sig": $hmacSha256($secret)}}' });
    assert.equal(broken.ok, false);
    assert.match(broken.message, /Sign every request failed: \$hmacSha256 needs a text/);
    // The sample call is a GET to the API URL (a placeholder host without one).
    const said = '$error("sample " & $method & " " & $url)';
    for (const [apiUrl, url] of [
      ["https://api.example.com", "https://api.example.com/"],
      ["", "https://localhost/"],
    ]) {
      const sample = await post({ ...ezviz, tokenUrl: "", apiUrl, sign: said });
      assert.match(
        String(sample.message),
        new RegExp(`Sign every request failed: D3137: sample GET ${url}\\.`),
        JSON.stringify(sample),
      );
    }
    assert.equal(suite.sim.count("ezviz.token"), 1, "only the test with a token URL asked for a token");
  });

  it("no credentials in the dialog and no deployed node: the first field missing is named", async () => {
    await helper.load(NODES, []);
    const answer = await post(oauth2({ credentials: undefined }));
    assert.equal(answer.ok, false);
    assert.match(answer.message, /^OAuth2: the credentials node has no Client ID\./);
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("${NAME} in a dialog value is the environment's; an unset one is empty", async () => {
    await helper.load(NODES, []);
    process.env.ACCESS_TOKEN_DIALOG_ID = suite.sim.accounts.oauth2.clientId;
    try {
      const { clientSecret } = suite.sim.accounts.oauth2;
      const set = await post(oauth2({ credentials: { clientId: "${ACCESS_TOKEN_DIALOG_ID}", clientSecret } }));
      assert.equal(set.ok, true, set.message);
      const unset = await post(oauth2({ credentials: { clientId: "${ACCESS_TOKEN_DIALOG_UNSET}", clientSecret } }));
      assert.match(unset.message, /has no Client ID/);
      const literal = await post(oauth2({ credentials: { clientId: "$ACCESS_TOKEN_DIALOG_ID", clientSecret } }));
      assert.equal(literal.code, "invalid_client", "only ${NAME} is substituted");
    } finally {
      delete process.env.ACCESS_TOKEN_DIALOG_ID;
    }
  });

  it("a credential the dialog leaves out is the deployed node's; a typed one replaces it (the secret typed too)", async () => {
    const credentials = demoCredentials(suite.sim, "oneaccess");
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: credentials });
    const dialog = { type: "oneaccess-credentials", id: "cfg", baseUrl: suite.sim.url, timeout: 10 };
    const kept = await post({ ...dialog, credentials: { clientSecret: "__PWRD__" } });
    assert.equal(kept.ok, true, kept.message);
    for (const given of ["x", null]) {
      const noObject = await post({ ...dialog, credentials: given });
      assert.equal(noObject.ok, true, `credentials ${JSON.stringify(given)}: all from the deployed node`);
    }
    // Another client id goes out with the secret: the stored one is not used for it, a typed one is.
    const otherId = { clientId: "someone-else", clientSecret: "__PWRD__" };
    const refused = await post({ ...dialog, credentials: otherId });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /type the secret again/);
    assert.equal(suite.sim.count("oneaccess.token"), 3, "the vendor was not asked with the stored secret");
    const typed = await post({ ...dialog, credentials: { ...otherId, clientSecret: credentials.clientSecret } });
    assert.equal(typed.ok, false);
    assert.equal(typed.code, "invalid_client");
  });

  it("a dialog test leaves no connection open to the token endpoint", async () => {
    await helper.load(NODES, []);
    const open = new Set<Socket>();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "keep-alive": "timeout=600" });
      res.end(JSON.stringify({ access_token: "t-1", expires_in: 600 }));
    });
    server.keepAliveTimeout = 600_000;
    server.on("connection", (socket: Socket) => {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const answer = await post({
        type: "oauth2-credentials",
        tokenUrl,
        credentials: { clientId: "c", clientSecret: "s" },
      });
      assert.equal(answer.ok, true, answer.message);
      for (let i = 0; i < 200 && open.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal(open.size, 0, "the probe's connection was closed with it");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
