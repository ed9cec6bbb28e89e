// The simulator's authorization code grant (RFC 6749 4.1) with PKCE S256 (RFC 7636), spoken to over
// HTTP as a browser and a client would: the sign-in page, the redirect back with code and state, and
// the strict exchange (redirect_uri named again, single-use and short-lived code, the verifier).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as sinon from "sinon";
import { CODE_LIFETIME_MS } from "./oauth2-authorize";
import { simulatorHttp } from "../support/simulator-http";

describe("simulator: RFC 6749 authorization code with PKCE (/oauth2/authorize, /oauth2/token)", () => {
  const suite = simulatorHttp();
  const clientId = "oauth2_demo_client";
  const clientSecret = "oauth2_demo_secret_5e7a90c1";
  const username = "oauth2_demo_user";
  const password = "oauth2 demo&pass+7b/3c=1d%9e:5f-ü";
  /** A registered loopback redirect URI on another port (RFC 8252 7.3). */
  const redirectUri = "http://127.0.0.1:41880/access-token/oauth2/callback";
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;

  function pkce() {
    const verifier = randomBytes(32).toString("base64url");
    return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
  }

  function request(challenge: string, extra: Record<string, string> = {}) {
    return new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "openid read",
      state: "state-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...extra,
    });
  }

  /** The sign-in page, then its form posted with the user's password: where the browser is sent. */
  async function signIn(challenge: string, pass = password): Promise<{ status: number; location?: URL; text: string }> {
    const page = await fetch(`${suite.sim.url}/oauth2/authorize?${request(challenge)}`);
    const html = await page.text();
    assert.equal(page.status, 200, html);
    assert.match(html, /<form method="post" action="\/oauth2\/authorize">/);
    assert.match(html, new RegExp(`name="username" value="${username}"`), "the demo user is prefilled");
    const form = request(challenge, { username, password: pass, decision: "allow" });
    const answer = await fetch(`${suite.sim.url}/oauth2/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    const location = answer.headers.get("location");
    return { status: answer.status, location: location ? new URL(location) : undefined, text: await answer.text() };
  }

  async function exchange(fields: Record<string, string>) {
    const answer = await fetch(`${suite.sim.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      body: new URLSearchParams({ grant_type: "authorization_code", redirect_uri: redirectUri, ...fields }),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, any> };
  }

  it("signs the user in, sends the code back with the state, and exchanges it once for tokens and an ID token", async () => {
    const { verifier, challenge } = pkce();
    const back = await signIn(challenge);
    assert.equal(back.status, 302, back.text);
    assert.equal(`${back.location!.origin}${back.location!.pathname}`, redirectUri);
    assert.equal(back.location!.searchParams.get("state"), "state-1");
    const code = back.location!.searchParams.get("code")!;
    const answer = await exchange({ code, code_verifier: verifier });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.token_type, "bearer");
    assert.equal(answer.body.scope, "read");
    assert.match(answer.body.refresh_token, /^rt-/);
    const claims = JSON.parse(Buffer.from(answer.body.id_token.split(".")[1], "base64url").toString());
    assert.equal(claims.sub, username);
    assert.equal(claims.name, username);
    assert.equal(claims.aud, clientId);
    const api = await fetch(`${suite.sim.url}/oauth2/api/things`, {
      headers: { authorization: `Bearer ${answer.body.access_token}` },
    });
    assert.equal(api.status, 200);

    // Single use: a second exchange is refused, and revokes the refresh token the first one gave.
    const again = await exchange({ code, code_verifier: verifier });
    assert.deepEqual([again.status, again.body.error], [400, "invalid_grant"]);
    const refresh = await fetch(`${suite.sim.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: answer.body.refresh_token }),
    });
    assert.equal(refresh.status, 400);
  });

  it("refuses a wrong verifier, another redirect_uri, a missing verifier and an unknown code", async () => {
    for (const [fields, why] of [
      [{ code_verifier: pkce().verifier }, "another verifier"],
      [{ redirect_uri: "http://127.0.0.1:41880/elsewhere" }, "another redirect_uri"],
      [{ code_verifier: "" }, "no verifier"],
    ] as const) {
      const { verifier, challenge } = pkce();
      const code = (await signIn(challenge)).location!.searchParams.get("code")!;
      const answer = await exchange({ code, code_verifier: verifier, ...(fields as Record<string, string>) });
      assert.deepEqual([answer.status, answer.body.error], [400, "invalid_grant"], why);
      // Refused once is used up: the right verifier does not bring it back.
      const retried = await exchange({ code, code_verifier: verifier });
      assert.equal(retried.status, 400, why);
    }
    const unknown = await exchange({ code: "made-up", code_verifier: pkce().verifier });
    assert.deepEqual([unknown.status, unknown.body.error], [400, "invalid_grant"]);
  });

  it("a code older than its lifetime is refused", async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(challenge)).location!.searchParams.get("code")!;
    const clock = sinon.useFakeTimers({ now: Date.now() + CODE_LIFETIME_MS + 1_000, toFake: ["Date"] });
    try {
      const answer = await exchange({ code, code_verifier: verifier });
      assert.deepEqual([answer.status, answer.body.error], [400, "invalid_grant"]);
    } finally {
      clock.restore();
    }
  });

  it("the authorization request: a wrong password stays on the page; no PKCE or plain is sent back as invalid_request; an unregistered redirect_uri is never followed", async () => {
    const wrong = await signIn(pkce().challenge, "not the password");
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Wrong username or password/);
    const plain = await fetch(
      `${suite.sim.url}/oauth2/authorize?${request("x".repeat(43), { code_challenge_method: "plain" })}`,
      { redirect: "manual" },
    );
    assert.equal(plain.status, 302);
    assert.equal(new URL(plain.headers.get("location")!).searchParams.get("error"), "invalid_request");
    const none = request(pkce().challenge);
    none.delete("code_challenge");
    const noChallenge = await fetch(`${suite.sim.url}/oauth2/authorize?${none}`, { redirect: "manual" });
    assert.equal(new URL(noChallenge.headers.get("location")!).searchParams.get("error"), "invalid_request");
    for (const uri of ["https://evil.example/access-token/oauth2/callback", "http://127.0.0.1:41880/other"]) {
      const refused = await fetch(
        `${suite.sim.url}/oauth2/authorize?${request(pkce().challenge, { redirect_uri: uri })}`,
        {
          redirect: "manual",
        },
      );
      assert.equal(refused.status, 400, uri);
      assert.equal(refused.headers.get("location"), null);
    }
  });
});
