// The credentials dialog's Test button (the Test route) with oauth2's other modes, in a real
// runtime: the password grant against the simulator, private_key_jwt against oidc-provider with a
// key typed in the dialog or kept from the deployed node, and tls_client_auth with the dialog's TLS
// node; what a hidden credential does (nothing) and what a missing one says.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { refreshTokenFile } from "../../src/refresh-token-store";
import { nextMessage, tlsConfigNode } from "../support/flows";
import { genericFlow } from "../support/generic-flows";
import { pressTest } from "../support/test-button";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { startOidcServer, type OidcServer } from "../support/oidc-server";
import { simulatorSuite } from "../support/simulator-suite";
import { mutualTlsCertificates } from "../support/tls";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpRequest), coreNode(CORE.tls)];
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const privatePem = ec.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const publicPem = ec.publicKey.export({ format: "pem", type: "spki" }).toString();

describe("admin routes: the Test button with oauth2's grants and client authentications", function () {
  this.timeout(30_000);
  let server: OidcServer | undefined;
  const suite = simulatorSuite({ forbidden: () => privatePem.split("\n").filter((line) => line.length >= 40) });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const post = async (body: object) => suite.remember((await pressTest(body)).answer, { tokenAllowed: true });

  it("password grant: the user's username and password from the dialog; a missing password is named", async () => {
    await helper.load(NODES, []);
    const { clientId, clientSecret, username, password } = suite.sim.accounts.oauth2;
    const dialog = {
      type: "oauth2-credentials",
      tokenUrl: `${suite.sim.url}/oauth2/token`,
      grant: "password",
      timeout: 10,
      credentials: { clientId, clientSecret, username, password },
    };
    const ok = await post(dialog);
    assert.equal(ok.ok, true, ok.message);
    const missing = await post({ ...dialog, credentials: { clientId, clientSecret, username } });
    assert.equal(missing.ok, false);
    assert.match(missing.message, /has no Password/);
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });

  it("password grant: the Test keeps no refresh token; the deployed node's kept one is left as it was", async () => {
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), "test-button-userdir-"));
    try {
      helper.settings({ userDir, credentialSecret: "credential-secret-of-this-runtime" });
      const { clientId, clientSecret, username, password } = suite.sim.accounts.oauth2;
      const config = { tokenUrl: `${suite.sim.url}/oauth2/token`, grant: "password", apiUrl: "" };
      const credentials = { clientId, clientSecret, username, password };
      await helper.load(NODES, genericFlow("oauth2", { ...config, version: CONFIG_VERSION }), { cfg: credentials });
      const dialog = { type: "oauth2-credentials", id: "cfg", timeout: 10, proxy: "", tls: "", ...config, credentials };
      const file = refreshTokenFile(userDir, "cfg");
      const kept = () => fs.readFile(file, "utf8").catch(() => undefined);
      const first = await post(dialog);
      assert.equal(first.ok, true, first.message);
      assert.equal(await kept(), undefined, "the Test wrote nothing for the node it tested");
      // The deployed node's own token: its refresh token is kept, encrypted.
      const out = nextMessage("out");
      helper.getNode("get").receive({});
      await out;
      let before = await kept();
      for (let i = 0; i < 200 && before === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        before = await kept();
      }
      assert.ok(before, "the deployed node keeps its refresh token");
      const second = await post(dialog);
      assert.equal(second.ok, true, second.message);
      assert.equal(await kept(), before, "the Test's refresh token replaced nothing");
      assert.equal(suite.sim.count("oauth2.token"), 3);
    } finally {
      await fs.rm(userDir, { recursive: true, force: true });
    }
  });

  it("authorization code: Test asks the deployed node, whose sign-in it is; a dialog that differs from it is refused", async () => {
    const { clientId, clientSecret } = suite.sim.accounts.oauth2;
    const config = {
      tokenUrl: `${suite.sim.url}/oauth2/token`,
      grant: "authorization_code",
      authorizationUrl: `${suite.sim.url}/oauth2/authorize`,
      apiUrl: "",
    };
    await helper.load(NODES, genericFlow("oauth2", { ...config, name: "Home", version: CONFIG_VERSION }), {
      cfg: { clientId, clientSecret },
    });
    const dialog = { type: "oauth2-credentials", id: "cfg", name: "Home", timeout: 10, proxy: "", tls: "", ...config };
    const deployed = await post({ ...dialog, credentials: { clientId, clientSecret: "__PWRD__" } });
    assert.equal(deployed.ok, false);
    assert.equal(deployed.vendor, "OAuth2");
    assert.match(
      deployed.message,
      /^OAuth2: sign in again with the credentials "Home"/,
      "the deployed node's own answer",
    );
    const refusals = [
      { ...dialog, scope: "other", credentials: { clientId, clientSecret: "__PWRD__" } },
      { ...dialog, id: "", credentials: { clientId, clientSecret } },
    ];
    for (const body of refusals) {
      const refused = await post(body);
      assert.deepEqual(Object.keys(refused).sort(), ["message", "ok", "vendor"]);
      assert.equal(refused.ok, false);
      assert.equal(refused.vendor, "OAuth2");
      assert.match(refused.message, /^These credentials sign in a user: .* Deploy, sign in, then test\.$/);
    }
    assert.equal(suite.sim.count("oauth2.token"), 0, "nothing was sent");
  });

  it("private_key_jwt: the key typed in the dialog, or the deployed node's when unchanged; no secret needed", async () => {
    server = await startOidcServer({
      clients: [{ id: "jwt", auth: "private_key_jwt", publicKeys: [{ pem: publicPem }] }],
    });
    const config = { tokenUrl: server.tokenUrl, clientAuth: "private_key_jwt", apiUrl: "" };
    await helper.load(NODES, genericFlow("oauth2", { ...config, version: CONFIG_VERSION }), {
      cfg: { clientId: "jwt", privateKey: privatePem },
    });
    const dialog = { type: "oauth2-credentials", id: "cfg", timeout: 10, proxy: "", tls: "", ...config };
    const typed = await post({ ...dialog, id: "", credentials: { clientId: "jwt", privateKey: privatePem } });
    assert.equal(typed.ok, true, typed.message);
    const kept = await post({ ...dialog, credentials: { clientId: "jwt", privateKey: "__PWRD__", clientSecret: "" } });
    assert.equal(kept.ok, true, kept.message);
    const unreadable = await post({ ...dialog, id: "", credentials: { clientId: "jwt", privateKey: "not a key" } });
    assert.equal(unreadable.ok, false);
    assert.match(unreadable.message, /private key in the credentials node cannot be read: it is not a PEM private key/);
    assert.deepEqual(
      server.requests.map((request) => request.error ?? "ok"),
      ["ok", "ok"],
    );
  });

  it("tls_client_auth: the dialog's TLS node proves the client; one without a certificate is named", async function () {
    const certificates = mutualTlsCertificates();
    if (!certificates) this.skip();
    server = await startOidcServer({
      clients: [{ id: "mtls", auth: "tls_client_auth", subjectDn: certificates.clientSubjectDn }],
      tls: certificates,
    });
    await helper.load(NODES, [tlsConfigNode("with-cert"), tlsConfigNode("ca-only")], {
      "with-cert": { cadata: certificates.ca, certdata: certificates.client.cert, keydata: certificates.client.key },
      "ca-only": { cadata: certificates.ca },
    });
    const dialog = {
      type: "oauth2-credentials",
      tokenUrl: server.tokenUrl,
      clientAuth: "tls_client_auth",
      timeout: 10,
      credentials: { clientId: "mtls" },
    };
    const ok = await post({ ...dialog, tls: "with-cert" });
    assert.equal(ok.ok, true, ok.message);
    for (const tls of ["ca-only", ""]) {
      const refused = await post({ ...dialog, tls });
      assert.equal(refused.ok, false);
      assert.match(refused.message, /needs a client certificate/);
    }
    assert.equal(server.requests.length, 1);
  });
});
