// The authorization code grant's pure steps: PKCE S256 (RFC 7636's own example), the authorization
// request (RFC 6749 4.1.1), the code exchange through oauth2's bound provider (4.1.3, the client
// authenticated as for any grant) and the account's name read from an ID token for display.
import assert from "node:assert/strict";
import { oauth2 } from "../../src/providers/oauth2";
import {
  accountNameOf,
  authorizationRedirect,
  challengeOf,
  newState,
  newVerifier,
} from "../../src/providers/oauth2-authorization-code";
import type { RawResponse, TokenRequest } from "../../src/providers/types";
import { type TokenError } from "../../src/errors";

const answer = (body: unknown): RawResponse => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const jwt = (claims: unknown) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "c2lnbmF0dXJl"].join(".");

describe("oauth2 authorization code with PKCE", () => {
  it("makes the S256 challenge of RFC 7636 appendix B", () => {
    assert.equal(
      challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes verifiers and states of 43 unreserved characters, each new", () => {
    const made = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const value of [newVerifier(), newState()]) {
        assert.match(value, /^[A-Za-z0-9\-._~]{43}$/);
        made.add(value);
      }
    }
    assert.equal(made.size, 100);
  });

  it("sends the browser to the authorization endpoint with every parameter, keeping the endpoint's own query", () => {
    const url = new URL(
      authorizationRedirect({
        authorizationUrl: "https://auth.example.com/authorize?tenant=t1&state=old",
        clientId: "client 1",
        redirectUri: "https://nr.example.com/admin/access-token/oauth2/callback",
        scope: "openid offline_access",
        state: "st",
        verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      }),
    );
    assert.equal(url.origin + url.pathname, "https://auth.example.com/authorize");
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      tenant: "t1",
      state: "st",
      response_type: "code",
      client_id: "client 1",
      redirect_uri: "https://nr.example.com/admin/access-token/oauth2/callback",
      scope: "openid offline_access",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    });
  });

  it("leaves out an empty scope (the server's default)", () => {
    const url = new URL(
      authorizationRedirect({
        authorizationUrl: "https://auth.example.com/authorize?scope=x",
        clientId: "c",
        redirectUri: "https://nr/cb",
        scope: "",
        state: "s",
        verifier: newVerifier(),
      }),
    );
    assert.equal(url.searchParams.has("scope"), false);
  });

  const settings = (extra: Record<string, unknown> = {}) =>
    oauth2.settings({
      id: "node1",
      tokenUrl: "https://auth.example.com/token",
      grant: "authorization_code",
      authorizationUrl: "https://auth.example.com/authorize",
      scope: "openid  profile",
      ...extra,
    });

  it("exchanges the code with the verifier and the redirect URI, the client authenticated as configured", async () => {
    const provider = oauth2.bind(settings(), { clientId: "c1", clientSecret: "s1" });
    assert.ok(provider.signIn);
    const request = (await provider.signIn.codeRequest("the-code", "https://nr/cb", "the-verifier", 0)) as TokenRequest;
    assert.equal(request.url, "https://auth.example.com/token");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: "https://nr/cb",
      code_verifier: "the-verifier",
    });
    assert.equal(request.headers.authorization, `Basic ${Buffer.from("c1:s1").toString("base64")}`);
    for (const secret of ["the-code", "the-verifier", "s1"]) assert.ok(request.secrets.includes(secret), secret);
    const inBody = oauth2.bind(settings({ clientAuth: "body" }), { clientId: "c1", clientSecret: "s1" });
    const body = (await inBody.signIn!.codeRequest("k", "https://nr/cb", "v", 0)) as TokenRequest;
    assert.equal(new URLSearchParams(body.body).get("client_secret"), "s1");
  });

  it("sends the node's client ID; without one (the node refuses to run first) it is empty, never undefined", () => {
    const clientIdOf = (credentials: Record<string, string>) =>
      new URL(
        oauth2.bind(settings(), credentials).signIn!.authorizationRedirect("https://nr/cb", "s", newVerifier()),
      ).searchParams.get("client_id");
    assert.equal(clientIdOf({ clientId: "c1" }), "c1");
    assert.equal(clientIdOf({}), "");
  });

  it("has no token request: without a sign-in the user must sign in", () => {
    const provider = oauth2.bind(settings(), { clientId: "c1", clientSecret: "s1" });
    assert.throws(
      () => provider.tokenRequest(0),
      (err: TokenError) => err.key === "sign-in-required",
    );
  });

  it("is another account per node and apart from the client credentials grant", () => {
    const a = oauth2.bind(settings(), { clientId: "c1", clientSecret: "s1" });
    const b = oauth2.bind(settings({ id: "node2" }), { clientId: "c1", clientSecret: "s1" });
    const client = oauth2.bind(settings({ grant: "client_credentials" }), { clientId: "c1", clientSecret: "s1" });
    assert.notEqual(a.accountId, b.accountId);
    assert.notEqual(a.accountId, client.accountId);
    assert.equal(client.signIn, undefined);
  });

  it("needs an http(s) authorization URL with this grant only", () => {
    for (const bad of ["", "not a url", "ftp://auth.example.com/a", "javascript:alert(1)"])
      assert.throws(
        () => settings({ authorizationUrl: bad }),
        (err: TokenError) => err.kind === "config" && err.params.field === "authorizationUrl",
        bad,
      );
    assert.doesNotThrow(() => settings({ grant: "client_credentials", authorizationUrl: "" }));
  });

  it("reads the account's name from the ID token's claims, else the answer's, for display only", async () => {
    const provider = oauth2.bind(settings(), { clientId: "c1", clientSecret: "s1" });
    const token = { access_token: "at", token_type: "Bearer", expires_in: 60, refresh_token: "rt" };
    const parsed = await provider.parseToken(answer({ ...token, id_token: jwt({ sub: "u1", name: "Ann Lee" }) }), 0);
    assert.equal(parsed.accountName, "Ann Lee");
    assert.equal(accountNameOf(answer({ id_token: jwt({ sub: "u", preferred_username: "ann" }) })), "ann");
    assert.equal(accountNameOf(answer({ id_token: jwt({ email: "ann@example.com" }) })), "ann@example.com");
    assert.equal(accountNameOf(answer({ name: "From the answer" })), "From the answer");
    assert.equal(accountNameOf(answer({ id_token: jwt({ sub: "u" }) })), undefined);
    assert.equal(accountNameOf(answer({ id_token: "not.a-jwt.!" })), undefined);
    assert.equal(accountNameOf(answer({ name: "a\u0000b\u202e" })), "ab");
    // Spaces around a name are not part of it; a claim with nothing left gives way to the next.
    assert.equal(accountNameOf(answer({ id_token: jwt({ name: "  Ann Lee\t" }) })), "Ann Lee");
    assert.equal(
      accountNameOf(answer({ id_token: jwt({ name: " \u200b ", email: "ann@example.com" }) })),
      "ann@example.com",
    );
    assert.equal(accountNameOf(answer({ name: "x".repeat(500) }))?.length, 200);
    assert.equal(accountNameOf({ status: 200, headers: {}, body: "<html>" }), undefined);
  });
});
