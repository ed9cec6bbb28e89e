// oauth2-credentials in a real Node-RED runtime against a real authorization server that no one
// here wrote (panva's oidc-provider, test/support/oidc-server.ts): private_key_jwt with RS256 and
// ES256, tls_client_auth over HTTPS with the TLS node's certificate, refresh tokens rotated as the
// server rotates them, and what a wrong key or a TLS node without a certificate shows at Catch.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { basicCredentials } from "../../src/providers/oauth2-client-auth";
import { statuses, tlsConfigNode } from "../support/flows";
import { genericFlow } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { startOidcServer, type OidcServer, type OidcServerOptions } from "../support/oidc-server";
import { shapesOf } from "../support/secret-shapes";
import { caughtError, tokenMessage } from "../support/get-token-answers";
import { simulatorSuite } from "../support/simulator-suite";
import { mutualTlsCertificates, type MutualTlsCertificates } from "../support/tls";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpRequest), coreNode(CORE.tls)];

const pem = (key: crypto.KeyObject) => key.export({ format: "pem", type: "pkcs8" }).toString();
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const otherRsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
/** A PEM's base64 lines, each of which alone would give the key away. */
const pemLines = (text: string) => text.split("\n").filter((line) => line.length >= 40);
const publicPem = (pair: crypto.KeyPairKeyObjectResult) =>
  pair.publicKey.export({ format: "pem", type: "spki" }).toString();

describe("oauth2 client authentication and refresh against oidc-provider", function () {
  this.timeout(30_000);
  let server: OidcServer | undefined;
  let certificates: MutualTlsCertificates | undefined;
  const clientSecret = "oidc client secret &+/=%";
  const password = "oidc user pass &+/=%";
  // Swept for in every log line and remembered value, in every shape: the keys, the secrets, every
  // refresh token the server issued (a token the node may show; a refresh token never).
  const suite = simulatorSuite({
    forbidden: () =>
      [
        pem(rsa.privateKey),
        pem(ec.privateKey),
        pem(otherRsa.privateKey),
        ...(certificates ? [certificates.client.key] : []),
        clientSecret,
        password,
        ...(server?.refreshTokens().map((token) => token.value) ?? []),
      ].flatMap((value) => (value.includes("\n") ? pemLines(value) : shapesOf(value))),
  });
  afterEach(async () => {
    for (const id of ["get", "cfg"]) if (helper.getNode(id)) suite.remember(statuses(id));
  });
  afterEach(async () => {
    // After the sweep's hook has read the server's refresh tokens (hooks run in reverse order).
    await server?.close();
    server = undefined;
  });

  async function start(options: OidcServerOptions): Promise<OidcServer> {
    server = await startOidcServer(options);
    return server;
  }

  /** The credentials node with `config`; with `tls`, a tls-config node holding the CA and, unless left out, the client's certificate. */
  async function load(
    config: Record<string, unknown>,
    credentials: Record<string, string>,
    tls?: { certificates: MutualTlsCertificates; clientCertificate: boolean },
  ) {
    const flow = genericFlow("oauth2", { tokenUrl: server!.tokenUrl, ...config, ...(tls ? { tls: "tls" } : {}) });
    const creds: Record<string, Record<string, string>> = { cfg: credentials };
    if (tls) {
      const { ca, client } = tls.certificates;
      flow.push(tlsConfigNode());
      creds.tls = { cadata: ca, ...(tls.clientCertificate ? { certdata: client.cert, keydata: client.key } : {}) };
    }
    await helper.load(NODES, flow, creds);
  }

  /** The client assertion the server accepted: the last token request, as it recorded it. */
  const lastRequest = () => server!.requests.at(-1)!;

  it("private_key_jwt with an RSA key (RS256): the server's token, no client secret", async () => {
    await start({ clients: [{ id: "jwt-rsa", auth: "private_key_jwt", publicKeys: [{ pem: publicPem(rsa) }] }] });
    await load({ clientAuth: "private_key_jwt" }, { clientId: "jwt-rsa", privateKey: pem(rsa.privateKey) });
    const msg = await tokenMessage(suite);
    assert.match(msg.token, /^[\w-]{20,}$/);
    assert.deepEqual(lastRequest(), { grantType: "client_credentials", clientId: "jwt-rsa" });
  });

  it("private_key_jwt with an EC P-256 key (ES256) and its key ID among two keys of the client", async () => {
    const publicKeys = [
      { pem: publicPem(otherRsa), kid: "old" },
      { pem: publicPem(ec), kid: "ec-2026" },
    ];
    await start({ clients: [{ id: "jwt-ec", auth: "private_key_jwt", publicKeys }] });
    await load(
      { clientAuth: "private_key_jwt", keyId: "ec-2026", assertionAudience: server!.issuer },
      { clientId: "jwt-ec", privateKey: pem(ec.privateKey) },
    );
    await tokenMessage(suite);
    assert.deepEqual(lastRequest(), { grantType: "client_credentials", clientId: "jwt-ec" });
    // The key ID is what the server picks the key by: another one it does not know.
    await helper.unload();
    await load(
      { clientAuth: "private_key_jwt", keyId: "ec-2025" },
      { clientId: "jwt-ec", privateKey: pem(ec.privateKey) },
    );
    assert.equal((await caughtError(suite)).code, "invalid_client");
  });

  it("private_key_jwt with a key the server does not know: invalid_client at Catch with the key's hint", async () => {
    await start({ clients: [{ id: "jwt-rsa", auth: "private_key_jwt", publicKeys: [{ pem: publicPem(rsa) }] }] });
    await load({ clientAuth: "private_key_jwt" }, { clientId: "jwt-rsa", privateKey: pem(otherRsa.privateKey) });
    const error = await caughtError(suite);
    assert.equal(error.code, "invalid_client");
    assert.match(error.message, /signed client assertion/);
    assert.match(error.message, /public key registered for this client/);
    assert.equal(lastRequest().error, "invalid_client");
  });

  it("private_key_jwt with a key that cannot be read: a config error on deploy, no request sent", async () => {
    await start({ clients: [{ id: "jwt-rsa", auth: "private_key_jwt", publicKeys: [{ pem: publicPem(rsa) }] }] });
    const cut = pem(rsa.privateKey).slice(0, 200);
    await load({ clientAuth: "private_key_jwt" }, { clientId: "jwt-rsa", privateKey: cut });
    assert.equal(statuses("get").at(-1)?.fill, "red", "shown on deploy");
    const error = await caughtError(suite);
    assert.match(error.message, /private key in the credentials node cannot be read: its PEM text does not decode/);
    assert.ok(!error.message.includes(cut.slice(40, 80)));
    assert.match(String(statuses("get").at(-1)?.text), /private key unreadable/);
    assert.equal(server!.requests.length, 0);
  });

  it("tls_client_auth over HTTPS: the TLS node's client certificate proves the client", async function () {
    certificates = mutualTlsCertificates();
    if (!certificates) this.skip();
    await start({
      clients: [{ id: "mtls", auth: "tls_client_auth", subjectDn: certificates.clientSubjectDn }],
      tls: certificates,
    });
    await load({ clientAuth: "tls_client_auth" }, { clientId: "mtls" }, { certificates, clientCertificate: true });
    await tokenMessage(suite);
    assert.deepEqual(lastRequest(), { grantType: "client_credentials", clientId: "mtls" });
  });

  it("tls_client_auth with a TLS node without a certificate: a config error on deploy that says what to select", async function () {
    certificates = mutualTlsCertificates();
    if (!certificates) this.skip();
    await start({
      clients: [{ id: "mtls", auth: "tls_client_auth", subjectDn: certificates.clientSubjectDn }],
      tls: certificates,
    });
    await load({ clientAuth: "tls_client_auth" }, { clientId: "mtls" }, { certificates, clientCertificate: false });
    assert.equal(statuses("get").at(-1)?.fill, "red", "shown on deploy");
    const error = await caughtError(suite);
    assert.match(error.message, /tls_client_auth\) needs a client certificate/);
    assert.match(error.message, /TLS configuration with the client's certificate and private key/);
    assert.match(String(statuses("get").at(-1)?.text), /no client certificate/);
    assert.equal(server!.requests.length, 0);
  });

  it("tls_client_auth with a certificate of another subject: invalid_client with the certificate's hint", async function () {
    certificates = mutualTlsCertificates();
    if (!certificates) this.skip();
    await start({
      clients: [{ id: "mtls", auth: "tls_client_auth", subjectDn: "CN=someone-else" }],
      tls: certificates,
    });
    await load({ clientAuth: "tls_client_auth" }, { clientId: "mtls" }, { certificates, clientCertificate: true });
    const error = await caughtError(suite);
    assert.equal(error.code, "invalid_client");
    assert.match(error.message, /TLS client certificate/);
  });

  it("refresh tokens: used before the next token request, the rotated one next time; the old one the server refuses", async () => {
    await start({
      clients: [{ id: "pw", auth: "client_secret_basic", secret: clientSecret }],
      password: { username: "ann", password },
    });
    await load({ grant: "password" }, { clientId: "pw", clientSecret, username: "ann", password });
    const first = await tokenMessage(suite);
    const second = await tokenMessage(suite, { refreshToken: true });
    const third = await tokenMessage(suite, { refreshToken: true });
    assert.equal(new Set([first.token, second.token, third.token]).size, 3);
    assert.deepEqual(
      server!.requests.map((request) => [request.grantType, request.error ?? ""]),
      [
        ["password", ""],
        ["refresh_token", ""],
        ["refresh_token", ""],
      ],
      "a refused (already used) refresh token would show as an error here",
    );
    const issued = server!.refreshTokens();
    assert.deepEqual(
      issued.map((token) => token.consumed),
      [true, true, false],
      "each refresh used the one the last answer gave",
    );
    // The first refresh token again, as someone who stole it would: the server refuses it.
    const replay = await fetch(server!.tokenUrl, {
      method: "POST",
      headers: { authorization: `Basic ${basicCredentials("pw", clientSecret)}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: issued[0].value }),
    });
    assert.equal(((await replay.json()) as { error: string }).error, "invalid_grant");
    // Kept in memory only: not in the flow context the token went to, nor in a message.
    const context = helper.getNode("get").context().flow.get("accessToken");
    assert.ok(context, "the token is in the flow context");
    const stored = JSON.stringify(context);
    for (const { value } of issued) assert.ok(!stored.includes(value), "no refresh token in context");
  });

  it("a refresh refused with invalid_grant falls back to a new password grant", async () => {
    await start({
      clients: [{ id: "pw", auth: "client_secret_post", secret: clientSecret }],
      password: { username: "ann", password },
    });
    await load({ grant: "password", clientAuth: "body" }, { clientId: "pw", clientSecret, username: "ann", password });
    await tokenMessage(suite);
    server!.revokeAll();
    await tokenMessage(suite, { refreshToken: true });
    assert.deepEqual(
      server!.requests.map((request) => [request.grantType, request.error ?? ""]),
      [
        ["password", ""],
        ["refresh_token", "invalid_grant"],
        ["password", ""],
      ],
    );
  });
});
