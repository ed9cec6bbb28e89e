// The simulator's RFC 6749 server and home-made endpoint, spoken to directly: they are strict, so a
// client that passes against them does what the RFC (or the endpoint's description) says.
import assert from "node:assert/strict";
import { homemadeSignature } from ".";
import { simulatorHttp } from "../support/simulator-http";

describe("simulator: generic token servers", () => {
  const suite = simulatorHttp();

  async function post(path: string, body: string, headers: Record<string, string>) {
    const response = await fetch(suite.sim.url + path, { method: "POST", headers, body });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

  describe("RFC 6749 client credentials (/oauth2/token)", () => {
    const { clientId, clientSecret } = { clientId: "oauth2_demo_client", clientSecret: "oauth2_demo_secret_5e7a90c1" };

    it("answers 5.1 with a lower-case token_type and no-store, by Basic or in the body", async () => {
      const byBasic = await post("/oauth2/token", "grant_type=client_credentials", {
        ...form,
        authorization: basic(clientId, clientSecret),
      });
      assert.equal(byBasic.status, 200);
      assert.equal(byBasic.body.token_type, "bearer");
      assert.equal(byBasic.body.expires_in, 3600);
      assert.equal(byBasic.headers.get("cache-control"), "no-store");
      const inBody = await post(
        "/oauth2/token",
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
        form,
      );
      assert.equal(inBody.status, 200);
    });

    it("decodes Basic credentials as form-urlencoded (2.3.1): a raw % or + is not the secret", async () => {
      suite.sim.addAccount("oauth2", { clientId: "c", clientSecret: "a+b%c" });
      const raw = await post("/oauth2/token", "grant_type=client_credentials", {
        ...form,
        authorization: basic("c", "a+b%c"),
      });
      assert.equal(raw.status, 401);
      assert.equal(raw.body.error, "invalid_client");
      assert.match(String(raw.headers.get("www-authenticate")), /^Basic/);
      const encoded = await post("/oauth2/token", "grant_type=client_credentials", {
        ...form,
        authorization: basic("c", "a%2Bb%25c"),
      });
      assert.equal(encoded.status, 200);
    });

    it("5.2: invalid_request (two methods, no grant_type, not a form), unsupported_grant_type, invalid_scope, unauthorized_client", async () => {
      const both = await post("/oauth2/token", `grant_type=client_credentials&client_secret=${clientSecret}`, {
        ...form,
        authorization: basic(clientId, clientSecret),
      });
      assert.equal(both.body.error, "invalid_request");
      const auth = { ...form, authorization: basic(clientId, clientSecret) };
      assert.equal((await post("/oauth2/token", "", auth)).body.error, "invalid_request");
      const json = await post("/oauth2/token", "{}", {
        "content-type": "application/json",
        authorization: auth.authorization,
      });
      assert.equal(json.body.error, "invalid_request");
      const deviceCode = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
      assert.equal((await post("/oauth2/token", deviceCode, auth)).body.error, "unsupported_grant_type");
      const scope = await post("/oauth2/token", "grant_type=client_credentials&scope=read%20admin", auth);
      assert.equal(scope.status, 400);
      assert.equal(scope.body.error, "invalid_scope");
      assert.ok(scope.body.error_description && scope.body.error_uri);
      suite.sim.addAccount("oauth2", { clientId: "u", clientSecret: "s", clientCredentials: "false" });
      const refused = await post("/oauth2/token", "grant_type=client_credentials", {
        ...form,
        authorization: basic("u", "s"),
      });
      assert.equal(refused.body.error, "unauthorized_client");
    });

    it("answers without expires_in for such a client, and its API wants the bearer token", async () => {
      suite.sim.addAccount("oauth2", { clientId: "n", clientSecret: "s", omitExpiresIn: "true" });
      const answer = await post("/oauth2/token", "grant_type=client_credentials", {
        ...form,
        authorization: basic("n", "s"),
      });
      assert.equal(answer.body.expires_in, undefined);
      const api = (token: string) =>
        fetch(`${suite.sim.url}/oauth2/api/things`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        );
      assert.equal(await api(answer.body.access_token), 200);
      assert.equal(await api("nope"), 401);
    });
  });

  describe("RFC 6749 password grant and refresh tokens (/oauth2/token)", () => {
    const { clientId, clientSecret, username, password } = {
      clientId: "oauth2_demo_client",
      clientSecret: "oauth2_demo_secret_5e7a90c1",
      username: "oauth2_demo_user",
      password: "oauth2 demo&pass+7b/3c=1d%9e:5f-ü",
    };
    const grant = (fields: Record<string, string>, auth = basic(clientId, clientSecret)) =>
      post("/oauth2/token", new URLSearchParams(fields).toString(), { ...form, authorization: auth });

    it("4.3: the user's password with the client's authentication gives a token and a refresh token", async () => {
      const answer = await grant({ grant_type: "password", username, password });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.token_type, "bearer");
      assert.match(answer.body.refresh_token, /^rt-[0-9a-f]{36}$/);
      const wrongUser = await grant({ grant_type: "password", username, password: "x" });
      assert.deepEqual([wrongUser.status, wrongUser.body.error], [400, "invalid_grant"]);
      const wrongClient = await grant({ grant_type: "password", username, password }, basic(clientId, "x"));
      assert.deepEqual([wrongClient.status, wrongClient.body.error], [401, "invalid_client"]);
      const twice = await post(
        "/oauth2/token",
        `grant_type=password&username=${encodeURIComponent(username)}&password=a&password=b`,
        { ...form, authorization: basic(clientId, clientSecret) },
      );
      assert.equal(twice.body.error, "invalid_request");
      suite.sim.addAccount("oauth2", { clientId: "no-user", clientSecret: "s" });
      const noUser = await grant({ grant_type: "password", username, password }, basic("no-user", "s"));
      assert.equal(noUser.body.error, "unauthorized_client");
    });

    it("6: a refresh token works once for its own client, and each refresh answers a new one", async () => {
      const first = await grant({ grant_type: "password", username, password });
      const refreshed = await grant({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.refresh_token, first.body.refresh_token);
      assert.notEqual(refreshed.body.access_token, first.body.access_token);
      const reused = await grant({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
      assert.deepEqual([reused.status, reused.body.error], [400, "invalid_grant"]);
      suite.sim.addAccount("oauth2", { clientId: "other", clientSecret: "s" });
      const stolen = await grant(
        { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token },
        basic("other", "s"),
      );
      assert.equal(stolen.body.error, "invalid_grant");
      const unauthenticated = await grant(
        { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token },
        basic(clientId, "x"),
      );
      assert.equal(unauthenticated.body.error, "invalid_client");
      const next = await grant({ grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token });
      assert.equal(next.status, 200);
    });
  });

  describe("home-made endpoint (/openapi/v3/auth/token)", () => {
    const { appKey, appSecret } = { appKey: "hm_demo_key_31d7", appSecret: "hm_demo_secret_c0ffee42" };
    const json = { "content-type": "application/json" };
    const request = (timestamp: number, nonce: string, secret = appSecret) =>
      JSON.stringify({ appKey, timestamp, nonce, sign: homemadeSignature(secret, appKey, timestamp, nonce) });

    it("gives the token under result.auth.token with an absolute expiresAt, for an HMAC-signed request", async () => {
      const answer = await post("/openapi/v3/auth/token", request(Date.now(), "n1"), json);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.errno, 0);
      const expiresAt = Date.parse(answer.body.result.auth.expiresAt);
      assert.ok(Math.abs(expiresAt - (Date.now() + 3600_000)) < 5_000);
      const api = await fetch(`${suite.sim.url}/openapi/v3/devices`, {
        headers: { "x-access-token": answer.body.result.auth.token },
      });
      assert.equal(api.status, 200);
    });

    it("refuses a wrong signature, a replayed nonce and a stale timestamp with errno and errmsg", async () => {
      const wrong = await post("/openapi/v3/auth/token", request(Date.now(), "n2", "other"), json);
      assert.deepEqual([wrong.status, wrong.body.errno, wrong.body.errmsg], [401, 40103, "signature mismatch"]);
      assert.equal((await post("/openapi/v3/auth/token", request(Date.now(), "n3"), json)).status, 200);
      assert.equal((await post("/openapi/v3/auth/token", request(Date.now(), "n3"), json)).body.errno, 40104);
      assert.equal((await post("/openapi/v3/auth/token", request(Date.now() - 600_000, "n4"), json)).body.errno, 40102);
      assert.equal((await fetch(`${suite.sim.url}/openapi/v3/devices`)).status, 401);
    });
  });
});
