// The oauth2 and custom adapters as pure descriptions: config properties in, settings, requests,
// tokens or typed errors out (the custom provider through Node-RED's own JSONata).
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { custom, type CustomSettings } from "../../src/providers/custom";
import { oauth2, type OAuth2Settings } from "../../src/providers/oauth2";
import { basicCredentials } from "../../src/providers/oauth2-client-auth";
import type { RawResponse } from "../../src/providers/types";
import { expressionEvaluator as evaluator } from "../support/expressions";
import { rejection, thrown } from "../support/token-errors";
import { authHeaders, bound } from "../support/bound";

const json = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("oauth2 adapter (RFC 6749 client credentials)", () => {
  const settings = (extra: Record<string, unknown> = {}): OAuth2Settings =>
    oauth2.settings({ tokenUrl: " https://auth.example.com/token ", ...extra });
  const credentials = { clientId: "client 1", clientSecret: "s:e%c+r ë" };

  it("reads its properties: client_secret_basic and 3600 s by default, scopes normalised", () => {
    assert.deepEqual(settings({ scope: "  read   write " }), {
      tokenUrl: "https://auth.example.com/token",
      grant: "client_credentials",
      authorizationUrl: "",
      signInNode: "",
      clientAuth: "basic",
      keyId: "",
      assertionAudience: "",
      scope: "read write",
      audience: "",
      resource: "",
      lifetime: 3600,
    });
  });

  it("refuses a missing token URL, an unknown client authentication and a bad lifetime, naming the property", () => {
    assert.equal(thrown(() => oauth2.settings({})).params.field, "tokenUrl");
    const auth = thrown(() => settings({ clientAuth: "jwt" }));
    assert.equal(auth.key, "bad-setting");
    assert.equal(auth.params.field, "clientAuth");
    assert.equal(thrown(() => settings({ lifetime: "-5" })).params.field, "lifetime");
  });

  it("4.4.2: POST, form-urlencoded grant_type=client_credentials, Accept JSON; Basic with form-encoded id and secret (2.3.1)", () => {
    const request = bound(oauth2, settings(), credentials).tokenRequest(0);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "https://auth.example.com/token");
    assert.equal(request.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(request.headers.accept, "application/json");
    assert.equal(request.body, "grant_type=client_credentials");
    const decoded = Buffer.from(request.headers.authorization!.replace(/^Basic /, ""), "base64").toString("utf8");
    // Each part form-urlencoded before the join: the ":" and "%" of the secret cannot be misread.
    assert.equal(decoded, "client+1:s%3Ae%25c%2Br+%C3%AB");
    assert.equal(basicCredentials("a", "b"), Buffer.from("a:b").toString("base64"));
    assert.ok(request.secrets.includes(credentials.clientSecret));
    assert.ok(request.secrets.some((secret) => request.headers.authorization!.endsWith(secret)));
  });

  it("client_secret_post puts id and secret in the body, and no Authorization header", () => {
    const request = bound(oauth2, settings({ clientAuth: "body" }), credentials).tokenRequest(0);
    const form = new URLSearchParams(request.body);
    assert.equal(form.get("client_id"), "client 1");
    assert.equal(form.get("client_secret"), "s:e%c+r ë");
    assert.equal(request.headers.authorization, undefined);
  });

  it("sends scope, audience and resource only when set", () => {
    const bare = new URLSearchParams(bound(oauth2, settings(), credentials).tokenRequest(0).body);
    assert.deepEqual([...bare.keys()], ["grant_type"]);
    const full = new URLSearchParams(
      bound(oauth2, settings({ scope: "a b", audience: "https://api", resource: "urn:r" }), credentials).tokenRequest(0)
        .body,
    );
    assert.equal(full.get("scope"), "a b");
    assert.equal(full.get("audience"), "https://api");
    assert.equal(full.get("resource"), "urn:r");
  });

  it("5.1: token_type compared case-insensitively, expires_in as a number or numeric string, else the lifetime", () => {
    const s = settings({ lifetime: 900 });
    assert.deepEqual(
      bound(oauth2, s, {}).parseToken(json({ access_token: "t1", token_type: "bearer", expires_in: 60 }), 0),
      {
        token: "t1",
        expiresIn: 60,
      },
    );
    assert.equal(
      bound(oauth2, s, {}).parseToken(json({ access_token: "t", token_type: "BEARER", expires_in: "120" }), 0)
        .expiresIn,
      120,
    );
    assert.equal(bound(oauth2, s, {}).parseToken(json({ access_token: "t", token_type: "Bearer" }), 0).expiresIn, 900);
  });

  it("5.1: a token type other than bearer is a clear error naming the type", () => {
    const error = thrown(() =>
      bound(oauth2, settings(), {}).parseToken(json({ access_token: "t", token_type: "mac", expires_in: 60 }), 0),
    );
    assert.equal(error.key, "bad-token-type");
    assert.match(error.message, /token_type "mac"/);
    assert.match(error.message, /only bearer tokens/);
  });

  for (const [code, hint] of [
    ["invalid_client", /client ID and client secret/],
    ["invalid_scope", /Check the scope/],
    ["unauthorized_client", /may not use the client_credentials grant/],
    ["unsupported_grant_type", /Check the token URL/],
    ["invalid_request", /OAuth2 error invalid_request "the description \(https:\/\/err\)"/],
  ] as const) {
    it(`5.2: ${code} gives the error, its description and what to do`, () => {
      const body = { error: code, error_description: "the description", error_uri: "https://err" };
      const error = thrown(() =>
        bound(oauth2, settings(), {}).parseToken(json(body, code === "invalid_client" ? 401 : 400), 0),
      );
      assert.equal(error.kind, "vendor");
      assert.equal(error.code, code);
      assert.match(error.message, new RegExp(code));
      assert.match(error.message, /the description/);
      assert.match(error.message, hint);
    });
  }

  it("API calls: Authorization: Bearer, 401 = token rejected", () => {
    assert.deepEqual(authHeaders(bound(oauth2, settings(), {}), "tok", undefined, 0), { Authorization: "Bearer tok" });
    assert.equal(bound(oauth2, settings()).judgeApiResponse(json({}, 401)).outcome, "token-rejected");
    assert.equal(bound(oauth2, settings()).judgeApiResponse(json({}, 200)).outcome, "ok");
  });

  it("another client id, scope, audience or resource is another account", () => {
    const a = bound(oauth2, settings({ scope: "read" }), credentials).accountId;
    assert.notEqual(a, bound(oauth2, settings({ scope: "write" }), credentials).accountId);
    assert.notEqual(a, bound(oauth2, settings({ scope: "read", audience: "x" }), credentials).accountId);
    assert.notEqual(
      a,
      bound(oauth2, settings({ scope: "read" }), { ...credentials, clientId: "another-client" }).accountId,
    );
    assert.ok(!a.includes(credentials.clientSecret));
  });
});

describe("custom adapter (JSONata)", () => {
  const credentials = { key: "k-1", secret: 'se"cr\\et' };
  const settings = (extra: Record<string, unknown> = {}): CustomSettings =>
    custom.settings({ tokenUrl: "https://iot.example.com/token", token: "body.token", ...extra }, evaluator);

  it("reads its properties with defaults: POST, JSON body, Authorization, 3600 s", () => {
    const s = settings();
    assert.equal(s.method, "POST");
    assert.equal(s.bodyType, "json");
    assert.equal(s.authHeader, "Authorization");
    assert.equal(s.lifetime, 3600);
  });

  it("refuses bad JSONata syntax before any request, naming the field", () => {
    const error = thrown(() => settings({ expiresIn: "body.expires_in +" }));
    assert.equal(error.key, "bad-expression");
    assert.equal(error.params.field, "expiresIn");
    assert.match(String(error.params.detail), /S0\d{3}/);
    assert.equal(thrown(() => settings({ token: "" })).params.field, "token");
    assert.equal(thrown(() => settings({ method: "PUT" })).params.field, "method");
    assert.equal(thrown(() => settings({ authHeader: "Bad Header" })).params.field, "authHeader");
  });

  it("builds the request from {query, headers, body} with $key, $secret, $timestamp, $nonce and the functions", async () => {
    const s = settings({
      request: `{"query": {"k": $key}, "headers": {"X-Sign": $hmacSha256($secret, $key & $timestamp & $nonce)},
        "body": {"ts": $timestamp, "nonce": $nonce, "sha": $sha256("a"), "md5": $md5("a"), "b64": $base64("a")}}`,
    });
    const request = await bound(custom, s, credentials).tokenRequest(1_700_000_000_123.7);
    const url = new URL(request.url);
    assert.equal(url.searchParams.get("k"), "k-1");
    assert.equal(request.headers["content-type"], "application/json");
    const body = JSON.parse(request.body!) as Record<string, unknown>;
    assert.equal(body.ts, 1_700_000_000_123);
    assert.match(String(body.nonce), /^[0-9a-f]{32}$/);
    assert.equal(body.sha, createHash("sha256").update("a").digest("hex"));
    assert.equal(body.md5, createHash("md5").update("a").digest("hex"));
    assert.equal(body.b64, "YQ==");
    const signed = createHmac("sha256", credentials.secret).update(`k-1${body.ts}${body.nonce}`).digest("hex");
    assert.equal(request.headers["X-Sign"], signed);
    assert.ok(request.secrets.includes('se\\"cr\\\\et'), "the secret as JSON text is redacted too");
  });

  it("a new timestamp and nonce for every request", async () => {
    const s = settings({ request: `{"body": {"ts": $timestamp, "nonce": $nonce}}` });
    const first = JSON.parse((await bound(custom, s, credentials).tokenRequest(1000)).body!) as Record<string, unknown>;
    const second = JSON.parse((await bound(custom, s, credentials).tokenRequest(1001)).body!) as Record<
      string,
      unknown
    >;
    assert.notEqual(first.nonce, second.nonce);
    assert.notEqual(first.ts, second.ts);
  });

  it("form bodies, GET without a body", async () => {
    const form = await bound(
      custom,
      settings({ bodyType: "form", request: `{"body": {"a": 1, "b": "x y"}}` }),
      credentials,
    ).tokenRequest(0);
    assert.equal(form.body, "a=1&b=x+y");
    assert.equal(form.headers["content-type"], "application/x-www-form-urlencoded");
    const get = await bound(
      custom,
      settings({ method: "GET", request: `{"body": {"a": 1}}` }),
      credentials,
    ).tokenRequest(0);
    assert.equal(get.body, undefined);
  });

  it("reads the token and an absolute expiry ($timestamp = when the answer arrived)", async () => {
    const s = settings({
      token: "body.result.auth.token",
      expiresIn: "($toMillis(body.result.auth.expiresAt) - $timestamp) / 1000",
    });
    const receivedAt = Date.parse("2026-01-01T00:00:00Z");
    const answer = json({ result: { auth: { token: "abc", expiresAt: "2026-01-01T00:30:00Z" } } });
    assert.deepEqual(await bound(custom, s, credentials).parseToken(answer, receivedAt), {
      token: "abc",
      expiresIn: 1800,
    });
  });

  it("uses the fixed lifetime without an expiresIn expression, and says which field lacks the token", async () => {
    const s = settings({ lifetime: 600 });
    assert.equal((await bound(custom, s, credentials).parseToken(json({ token: "t" }), 0)).expiresIn, 600);
    const error = await rejection(bound(custom, s, credentials).parseToken(json({ other: 1 }), 0));
    assert.equal(error.key, "no-token");
    assert.equal(error.params.field, "token");
  });

  it("ok, errorCode and errorMessage turn an answer into a vendor error with its code and text", async () => {
    const s = settings({ ok: "body.errno = 0", errorCode: "body.errno", errorMessage: "body.errmsg" });
    const error = await rejection(
      bound(custom, s, credentials).parseToken(json({ errno: 40103, errmsg: "signature mismatch" }), 0),
    );
    assert.equal(error.kind, "vendor");
    assert.equal(error.code, "40103");
    assert.match(error.message, /40103 "signature mismatch"/);
    const plain = await rejection(bound(custom, settings(), credentials).parseToken(json({}, 503), 0));
    assert.equal(plain.key, "server-error");
  });

  it("an expression that fails names the field and JSONata's message, never the secret", async () => {
    const s = settings({ request: `{"body": {"x": $secret + 1}}` });
    const error = await rejection(bound(custom, s, credentials).tokenRequest(0));
    assert.equal(error.key, "expression-failed");
    assert.equal(error.params.field, "request");
    assert.match(error.message, /T\d{4}/);
    assert.ok(!error.message.includes("cr\\et") && !error.message.includes('se"cr'), error.message);
    const throwing = settings({ token: `$error("bad " & $secret)` });
    const leaked = await rejection(bound(custom, throwing, credentials).parseToken(json({}), 0));
    assert.equal(leaked.params.field, "token");
    assert.ok(!leaked.message.includes(credentials.secret), leaked.message);
  });

  it('the dialog\'s defaults (ok: statusCode < 300, authValue: "Bearer " & $token) act as the built-in ones', async () => {
    const fields = Object.fromEntries((custom.form.properties ?? []).map((field) => [field.name, field.default]));
    assert.equal(fields.ok, "statusCode < 300");
    assert.equal(fields.authValue, '"Bearer " & $token');
    const s = settings({ ok: fields.ok, authValue: fields.authValue });
    // No evaluation needed for the default header: it is there before any prepareAuth.
    assert.deepEqual(authHeaders(bound(custom, s, credentials), "t", undefined, 0), { Authorization: "Bearer t" });
    const answer = { token: "abc", expires_in: 60 };
    assert.equal((await bound(custom, s, credentials).parseToken(json(answer, 200), 0)).token, "abc");
    const refused = await rejection(bound(custom, s, credentials).parseToken(json(answer, 302), 0));
    assert.equal(refused.httpStatus, 302);
    // Another spacing inside the string is another value, evaluated as written.
    const tight = settings({ authValue: '"Bearer" & $token' });
    const provider = bound(custom, tight, credentials);
    await provider.prepare?.("t");
    assert.deepEqual(authHeaders(provider, "t", undefined, 0), { Authorization: "Bearert" });
  });

  it("a signing function given no text says which function and what it got", async () => {
    const cases: Array<[string, RegExp]> = [
      [`{"body": {"s": $sha256({"a": 1})}}`, /\$sha256 needs a text, got object/],
      [`{"body": {"s": $md5(missing)}}`, /\$md5 needs a text, got nothing/],
    ];
    for (const [request, detail] of cases) {
      const error = await rejection(bound(custom, settings({ request }), credentials).tokenRequest(0));
      assert.equal(error.key, "expression-failed");
      assert.equal(error.params.field, "request");
      assert.match(String(error.params.detail), detail);
    }
  });

  it("auth header: Bearer by default, or the authValue evaluated once per token", async () => {
    assert.deepEqual(authHeaders(bound(custom, settings(), credentials), "t", undefined, 0), {
      Authorization: "Bearer t",
    });
    const s = settings({ authHeader: "X-Access-Token", authValue: `$token & "." & $key` });
    const provider = bound(custom, s, credentials);
    assert.throws(() => authHeaders(provider, "t", undefined, 0), /authValue/);
    await provider.prepare?.("t");
    assert.deepEqual(authHeaders(provider, "t", undefined, 0), { "X-Access-Token": "t.k-1" });
    assert.equal((await bound(custom, settings()).judgeApiResponse(json({}, 401))).outcome, "token-rejected");
    assert.equal((await bound(custom, settings()).judgeApiResponse(json({}, 500))).outcome, "error");
  });
});
