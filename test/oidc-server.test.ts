// The test authorization server (test/support/oidc-server.ts) does what the OAuth2 suites count on:
// client secrets, the password grant with refresh rotation, sign-in with PKCE through its own pages,
// and tls_client_auth over HTTPS.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { Agent, fetch } from "undici";
import { startOidcServer, type OidcServer } from "./support/oidc-server";
import { mutualTlsCertificates } from "./support/tls";

async function post(
  server: OidcServer,
  form: Record<string, string>,
  init: { auth?: string; dispatcher?: Agent } = {},
) {
  const response = await fetch(server.tokenUrl, {
    method: "POST",
    body: new URLSearchParams(form),
    dispatcher: init.dispatcher,
    headers: init.auth ? { authorization: `Basic ${Buffer.from(init.auth).toString("base64")}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe("test authorization server (oidc-provider)", function () {
  this.timeout(20_000);
  let server: OidcServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers client_credentials with client_secret_basic and refuses a wrong secret", async () => {
    server = await startOidcServer({ clients: [{ id: "c1", auth: "client_secret_basic", secret: "s1" }] });
    const ok = await post(server, { grant_type: "client_credentials" }, { auth: "c1:s1" });
    assert.equal(ok.status, 200);
    assert.equal(typeof ok.body.access_token, "string");
    assert.equal(ok.body.refresh_token, undefined);
    const wrong = await post(server, { grant_type: "client_credentials" }, { auth: "c1:nope" });
    assert.equal(wrong.body.error, "invalid_client");
    assert.deepEqual(
      server.requests.map((r) => [r.grantType, r.clientId ?? "", r.error ?? ""]),
      [
        ["client_credentials", "c1", ""],
        ["client_credentials", "c1", "invalid_client"],
      ],
    );
  });

  it("has a password grant whose refresh tokens rotate, and a reused one revokes the grant", async () => {
    server = await startOidcServer({
      clients: [{ id: "c2", auth: "client_secret_post", secret: "s2" }],
      password: { username: "ann", password: "pw" },
    });
    const client = { client_id: "c2", client_secret: "s2" };
    const wrong = await post(server, { grant_type: "password", username: "ann", password: "x", ...client });
    assert.equal(wrong.body.error, "invalid_grant");
    const first = await post(server, { grant_type: "password", username: "ann", password: "pw", ...client });
    assert.equal(first.status, 200);
    const refreshed = await post(server, {
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token,
      ...client,
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, first.body.refresh_token);
    assert.deepEqual(server.refreshTokens(), [
      { value: first.body.refresh_token, consumed: true },
      { value: refreshed.body.refresh_token, consumed: false },
    ]);
    const reused = await post(server, {
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token,
      ...client,
    });
    assert.equal(reused.body.error, "invalid_grant");
    const revoked = await post(server, {
      grant_type: "refresh_token",
      refresh_token: refreshed.body.refresh_token,
      ...client,
    });
    assert.equal(revoked.body.error, "invalid_grant");
  });

  it("signs a user in through its pages with PKCE S256 and exchanges the code", async () => {
    const redirectUri = "http://127.0.0.1:1/access-token/oauth2/callback";
    server = await startOidcServer({
      clients: [{ id: "c3", auth: "client_secret_basic", secret: "s3", redirectUris: [redirectUri] }],
    });
    const verifier = crypto.randomBytes(32).toString("base64url");
    const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
    const authorize = new URL(server.authorizationUrl);
    const query = { client_id: "c3", response_type: "code", redirect_uri: redirectUri, scope: "openid profile" };
    for (const [name, value] of Object.entries(query)) authorize.searchParams.set(name, value);
    authorize.searchParams.set("state", "st1");
    const withoutPkce = await server.signIn(authorize.href);
    assert.equal(withoutPkce.searchParams.get("error"), "invalid_request");
    authorize.searchParams.set("code_challenge", challenge);
    authorize.searchParams.set("code_challenge_method", "S256");
    const back = await server.signIn(authorize.href, "bob");
    assert.equal(back.origin + back.pathname, redirectUri);
    assert.equal(back.searchParams.get("state"), "st1");
    const code = back.searchParams.get("code")!;
    const exchange = { grant_type: "authorization_code", code, redirect_uri: redirectUri };
    const wrongVerifier = await post(server, { ...exchange, code_verifier: "x".repeat(43) }, { auth: "c3:s3" });
    assert.equal(wrongVerifier.body.error, "invalid_grant");
    const back2 = await server.signIn(authorize.href, "bob");
    const token = await post(
      server,
      { ...exchange, code: back2.searchParams.get("code")!, code_verifier: verifier },
      { auth: "c3:s3" },
    );
    assert.equal(token.status, 200);
    assert.equal(typeof token.body.refresh_token, "string");
    const idClaims = JSON.parse(Buffer.from(token.body.id_token.split(".")[1], "base64url").toString());
    assert.equal(idClaims.sub, "bob");
  });

  it("authenticates a tls_client_auth client by its certificate over HTTPS", async function () {
    const certificates = mutualTlsCertificates();
    if (!certificates) this.skip();
    server = await startOidcServer({
      clients: [{ id: "c4", auth: "tls_client_auth", subjectDn: certificates.clientSubjectDn }],
      tls: certificates,
    });
    const withCert = new Agent({ connect: { ca: certificates.ca, ...certificates.client } });
    const withoutCert = new Agent({ connect: { ca: certificates.ca } });
    try {
      const ok = await post(server, { grant_type: "client_credentials", client_id: "c4" }, { dispatcher: withCert });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const refused = await post(
        server,
        { grant_type: "client_credentials", client_id: "c4" },
        { dispatcher: withoutCert },
      );
      assert.equal(refused.body.error, "invalid_client");
    } finally {
      await withCert.close();
      await withoutCert.close();
    }
  });
});
