// The oauth2 adapter rule by rule, past the RFC walk of generic-providers.test.ts: what the form
// offers, what the request holds back, and which answers are vendor, HTTP or response errors.
import assert from "node:assert/strict";
import { DEFAULT_LIFETIME_SECONDS, oauth2, type OAuth2Settings } from "../../src/providers/oauth2";
import type { RawResponse } from "../../src/providers/types";
import { thrown } from "../support/token-errors";
import { formOf } from "../support/form";
import { bound } from "../support/bound";

const credentials = { clientId: "client-1", clientSecret: "s&e=c+r/t" };
const settingsOf = (extra: Record<string, unknown> = {}): OAuth2Settings =>
  oauth2.settings({ tokenUrl: "https://auth.example.com/token", ...extra });

const answer = (body: unknown, status = 200, headers: RawResponse["headers"] = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

describe("oauth2 adapter, rule by rule", () => {
  it("the form: grant, authorization URL, client authentication, optional key ID, audiences, scope and resource, 3600 s", () => {
    const { byName: fields, defaults } = formOf(oauth2);
    assert.deepEqual(defaults, {
      grant: ["client_credentials", true],
      authorizationUrl: ["", false],
      clientAuth: ["basic", true],
      keyId: ["", false],
      assertionAudience: ["", false],
      scope: ["", false],
      audience: ["", false],
      resource: ["", false],
      lifetime: [3600, true],
      apiUrl: ["", false],
      apiHosts: ["", false],
    });
    assert.deepEqual(fields.grant.input, {
      kind: "select",
      options: ["client_credentials", "password", "authorization_code"],
    });
    const signIn = { property: "grant", values: ["authorization_code"] };
    assert.deepEqual([fields.authorizationUrl.shownWhen, oauth2.form.signIn], [signIn, signIn]);
    assert.deepEqual(fields.clientAuth.input, {
      kind: "select",
      options: ["basic", "body", "private_key_jwt", "tls_client_auth"],
    });
    const jwtOnly = { property: "clientAuth", values: ["private_key_jwt"] };
    assert.deepEqual([fields.keyId.shownWhen, fields.assertionAudience.shownWhen], [jwtOnly, jwtOnly]);
    assert.deepEqual(fields.lifetime.input, { kind: "number", min: 1 });
    assert.equal(DEFAULT_LIFETIME_SECONDS, 3600);
    assert.equal(oauth2.form.urlProperty, "tokenUrl");
    assert.equal(oauth2.form.apiUrlProperty, "apiUrl", "paths join its API URL, not its token URL");
    assert.equal(oauth2.form.defaultBaseUrl, "");
    assert.deepEqual(
      [oauth2.credentialFields, oauth2.secretFields],
      [
        ["clientId", "clientSecret", "privateKey", "username", "password"],
        ["clientSecret", "privateKey", "username", "password"],
      ],
    );
    // Each credential but the client ID shows (and is needed) for the options that use it.
    assert.deepEqual(oauth2.form.credentials, {
      clientSecret: { shownWhen: { property: "clientAuth", values: ["basic", "body"] } },
      privateKey: { multiline: true, shownWhen: jwtOnly },
      username: { shownWhen: { property: "grant", values: ["password"] } },
      password: { shownWhen: { property: "grant", values: ["password"] } },
    });
    assert.deepEqual(oauth2.hints, [
      "oauth2.invalid_client",
      "oauth2.invalid_client-key",
      "oauth2.invalid_client-certificate",
      "oauth2.invalid_grant-password",
      "oauth2.invalid_scope",
      "oauth2.unauthorized_client",
      "oauth2.unsupported_grant_type",
    ]);
    assert.equal(oauth2.signsApiCalls, false);
  });

  it("settings: body authentication, trimmed audience and resource, a lifetime of its own", () => {
    assert.deepEqual(
      settingsOf({ clientAuth: "body", audience: " aud ", resource: " urn:r ", lifetime: "60", scope: "\ta\n" }),
      {
        tokenUrl: "https://auth.example.com/token",
        grant: "client_credentials",
        authorizationUrl: "",
        signInNode: "",
        clientAuth: "body",
        keyId: "",
        assertionAudience: "",
        scope: "a",
        audience: "aud",
        resource: "urn:r",
        lifetime: 60,
      },
    );
  });

  it("the request's secrets: the secret, the Basic value and the whole body, in both authentications", () => {
    const basic = bound(oauth2, settingsOf(), credentials).tokenRequest(0);
    const value = basic.headers.authorization!.replace(/^Basic /, "");
    assert.deepEqual(basic.secrets, [credentials.clientSecret, value, basic.body]);
    const post = bound(oauth2, settingsOf({ clientAuth: "body" }), credentials).tokenRequest(0);
    assert.deepEqual(post.secrets, [credentials.clientSecret, post.body]);
    assert.deepEqual([...new URLSearchParams(post.body).keys()], ["grant_type", "client_id", "client_secret"]);
    assert.deepEqual(post.headers, { "content-type": "application/x-www-form-urlencoded", accept: "application/json" });
  });

  it("missing credentials are sent empty rather than as 'undefined'", () => {
    const basic = bound(oauth2, settingsOf(), {}).tokenRequest(0);
    assert.equal(Buffer.from(basic.headers.authorization!.slice(6), "base64").toString(), ":");
    const post = new URLSearchParams(bound(oauth2, settingsOf({ clientAuth: "body" }), {}).tokenRequest(0).body);
    assert.deepEqual([post.get("client_id"), post.get("client_secret")], ["", ""]);
  });

  it("an error code: its description alone, with the URI, or nothing; unknown codes are vendor-code", () => {
    const bare = thrown(() => bound(oauth2, settingsOf(), {}).parseToken(answer({ error: "invalid_grant" }, 400), 0));
    assert.deepEqual(
      [bare.kind, bare.key, bare.code, bare.httpStatus, bare.params.msg],
      ["vendor", "vendor-code", "invalid_grant", 400, ""],
    );
    const described = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(
        answer({ error: "invalid_client", error_description: " wrong " }, 401),
        0,
      ),
    );
    assert.deepEqual([described.key, described.params.msg], ["oauth2.invalid_client", "wrong"]);
    const linked = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(answer({ error: "x", error_uri: "https://e" }, 400), 0),
    );
    assert.equal(linked.params.msg, " (https://e)");
    const at200 = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(answer({ error: "x", access_token: "t" }), 0),
    );
    assert.equal(at200.kind, "vendor", "an error code wins over a token, even with 200");
  });

  it("429 and 5xx are HTTP errors with the code and Retry-After; a non-200 without a code is an HTTP error", () => {
    const limited = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(answer({ error: "slow_down" }, 429, { "retry-after": "3" }), 0),
    );
    assert.deepEqual(
      [limited.kind, limited.key, limited.code, limited.retryAfterMs],
      ["http", "rate-limited", "slow_down", 3000],
    );
    const down = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(answer({ error: "temporarily_unavailable" }, 503), 0),
    );
    assert.deepEqual([down.kind, down.key, down.code], ["http", "server-error", "temporarily_unavailable"]);
    const created = thrown(() => bound(oauth2, settingsOf(), {}).parseToken(answer({ access_token: "t" }, 201), 0));
    assert.deepEqual([created.kind, created.key, created.httpStatus], ["http", "http-status", 201]);
    const gateway = thrown(() =>
      bound(oauth2, settingsOf(), {}).parseToken(answer("<html>bad gateway</html>", 502), 0),
    );
    assert.deepEqual([gateway.kind, gateway.key], ["http", "server-error"]);
    const page = thrown(() => bound(oauth2, settingsOf(), {}).parseToken(answer("<html>login</html>", 200), 0));
    assert.deepEqual([page.kind, page.key], ["response", "html"]);
  });

  it("token_type: absent is bearer; a non-text type is named as JSON", () => {
    assert.equal(
      bound(oauth2, settingsOf(), {}).parseToken(answer({ access_token: "t", expires_in: 5 }), 0).token,
      "t",
    );
    for (const [type, shown] of [
      [5, "5"],
      [null, "null"],
      ["DPoP", '"DPoP"'],
    ] as const) {
      const error = thrown(() =>
        bound(oauth2, settingsOf(), {}).parseToken(answer({ access_token: "t", token_type: type }), 0),
      );
      assert.deepEqual(
        [error.kind, error.key, error.params.type, error.httpStatus],
        ["response", "bad-token-type", shown, 200],
      );
    }
  });

  it("expires_in: null falls back to the lifetime; 0 is refused, naming expires_in", () => {
    const s = settingsOf({ lifetime: 120 });
    assert.equal(bound(oauth2, s, {}).parseToken(answer({ access_token: "t", expires_in: null }), 0).expiresIn, 120);
    const zero = thrown(() => bound(oauth2, s, {}).parseToken(answer({ access_token: "t", expires_in: 0 }), 0));
    assert.deepEqual([zero.key, zero.params.field], ["bad-expiry", "expires_in"]);
    const none = thrown(() => bound(oauth2, s, {}).parseToken(answer({ token: "t" }), 0));
    assert.deepEqual([none.key, none.params.field], ["no-token", "access_token"]);
  });

  it("the account: URL, client id, then scope|audience|resource, then another grant; the resource alone makes another", () => {
    const s = settingsOf({ scope: "a b", audience: "x", resource: "r" });
    assert.equal(bound(oauth2, s, credentials).accountId, "oauth2 https://auth.example.com/token client-1 a b|x|r");
    assert.notEqual(
      bound(oauth2, settingsOf({ resource: "r2" }), credentials).accountId,
      bound(oauth2, settingsOf(), credentials).accountId,
    );
    assert.equal(bound(oauth2, settingsOf(), {}).accountId, "oauth2 https://auth.example.com/token  ||");
    // Another grant names itself (a kept refresh token is filed under this); a user's sign-in, its node too.
    const user = { ...credentials, username: "ann", password: "p" };
    assert.equal(
      bound(oauth2, settingsOf({ scope: "a", grant: "password" }), user).accountId,
      "oauth2 https://auth.example.com/token client-1 a|| password",
    );
    const signIn = settingsOf({
      id: "cfg",
      grant: "authorization_code",
      authorizationUrl: "https://auth.example.com/a",
    });
    assert.equal(
      bound(oauth2, signIn, credentials).accountId,
      "oauth2 https://auth.example.com/token client-1 || authorization_code cfg",
    );
  });
});
