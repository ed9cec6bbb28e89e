// The custom (JSONata) adapter rule by rule, its settings, token request and refresh request: each
// setting's fallback and how the request's parts become URL, method, query, headers and body. Its answers and API calls
// are in custom-answers.test.ts; the broader walk through the adapter is in generic-providers.test.ts.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { type TokenError } from "../../src/errors";
import { custom } from "../../src/providers/custom";
import { stringRecord } from "../../src/providers/custom-evaluate";
import { usedFields } from "../../src/providers/custom-settings";
import type { Credentials } from "../../src/providers/types";
import { answer, countingEvaluator, credentials, rejection, settingsOf, TOKEN_URL } from "../support/custom-adapter";
import { expressionEvaluator as evaluator } from "../support/expressions";
import { authHeaders, bound } from "../support/bound";

describe("custom adapter, rule by rule", () => {
  describe("settings", () => {
    it("an absent auth header is Authorization, an empty one none; any RFC 9110 token name is kept as written", () => {
      assert.equal(settingsOf({}).authHeader, "Authorization");
      assert.equal(
        settingsOf({ authHeader: "  " }).authHeader,
        "",
        "empty: no auth header (the token goes where sign puts it)",
      );
      assert.equal(settingsOf({ authHeader: "X-Api_Token.v2" }).authHeader, "X-Api_Token.v2");
      for (const bad of ["X Token", "X:Token", "Tök", "X-Token\r\nX: y"]) {
        assert.throws(() => settingsOf({ authHeader: bad }), /authHeader/, bad);
      }
    });

    it("keeps each expression as written, or undefined when empty; a missing token expression is named", () => {
      const s = settingsOf({
        request: '{"body": {}}',
        expiresIn: "body.ttl",
        ok: "body.ok",
        errorCode: "body.code",
        errorMessage: "body.msg",
        authValue: "$token",
        method: "GET",
        bodyType: "form",
        lifetime: "90",
      });
      assert.deepEqual(
        [s.request, s.expiresIn, s.ok, s.errorCode, s.errorMessage, s.authValue],
        ['{"body": {}}', "body.ttl", "body.ok", "body.code", "body.msg", "$token"],
      );
      assert.deepEqual([s.method, s.bodyType, s.lifetime, s.tokenUrl], ["GET", "form", 90, TOKEN_URL]);
      const bare = settingsOf();
      assert.deepEqual(
        [bare.request, bare.expiresIn, bare.ok, bare.errorCode, bare.errorMessage, bare.authValue],
        [undefined, undefined, undefined, undefined, undefined, undefined],
      );
      const missing = (() => {
        try {
          custom.settings({ tokenUrl: TOKEN_URL }, evaluator);
        } catch (err) {
          return err as TokenError;
        }
        assert.fail("a missing token expression must be refused");
      })();
      assert.equal(missing.key, "missing-field");
      assert.equal(missing.params.field, "token");
      assert.throws(() => custom.settings({ token: "body.token" }, evaluator), /tokenUrl/);
    });

    it("signing only (no token URL): a token expression left in the config is neither read nor checked", () => {
      const s = custom.settings({ tokenUrl: "", sign: '{"headers": {"x-sig": $key}}', token: "((" }, evaluator);
      assert.equal(s.token, "", "no token expression");
      assert.equal(s.sign, '{"headers": {"x-sig": $key}}');
    });

    it("the expressions a Test uses are those set, blank ones (spaces, tabs) left out", () => {
      const set = { tokenUrl: TOKEN_URL, token: "body.token", params: " \t", request: "{}", sign: "  ", ok: "true" };
      assert.deepEqual(usedFields(set), ["request", "token", "ok"]);
      assert.deepEqual(usedFields({ tokenUrl: "", params: "{}", sign: "\n", token: "body.token" }), ["params"]);
    });

    it("the defaults of ok and authValue count as unset, with outer spaces too; any other text is kept", () => {
      const s = settingsOf({ ok: "  statusCode < 300 ", authValue: '\t"Bearer " & $token ' });
      assert.equal(s.ok, undefined);
      assert.equal(s.authValue, undefined);
      const other = settingsOf({ ok: "statusCode < 400", authValue: '"Token " & $token' });
      assert.equal(other.ok, "statusCode < 400");
      assert.equal(other.authValue, '"Token " & $token');
    });
  });

  describe("token request", () => {
    it("a record's values as texts: numbers and booleans as String() writes them, objects as JSON; null and undefined left out", () => {
      // JSONata's object constructor drops an undefined value, but a function's object may hold one:
      // it must not reach a query or header as the text "undefined".
      assert.deepEqual(stringRecord({ u: undefined, n: null, s: "x", d: 1.5, b: false, o: { f: [1] } }), {
        s: "x",
        d: "1.5",
        b: "false",
        o: '{"f":[1]}',
      });
      assert.deepEqual(stringRecord(["a"]), {}, "a list is no record");
      assert.deepEqual(stringRecord(null), {});
    });

    it("asks for JSON; query values join the URL's own; headers of the expression win; null values are left out", async () => {
      const s = settingsOf({
        tokenUrl: `${TOKEN_URL}?app=1`,
        request: `{"query": {"n": 2, "b": true, "o": {"x": 1}, "gone": null},
          "headers": {"accept": "text/plain", "X-N": 3, "X-None": null}}`,
      });
      const request = await bound(custom, s, credentials).tokenRequest(0);
      assert.equal(request.method, "POST");
      const url = new URL(request.url);
      assert.deepEqual(
        [...url.searchParams],
        [
          ["app", "1"],
          ["n", "2"],
          ["b", "true"],
          ["o", '{"x":1}'],
        ],
      );
      assert.deepEqual(request.headers, { accept: "text/plain", "X-N": "3" });
      assert.equal(request.body, undefined, "no body described: none sent, and no content type");
    });

    it("without a request expression: the URL as it is, Accept JSON, no body", async () => {
      const request = await bound(custom, settingsOf(), credentials).tokenRequest(0);
      assert.equal(request.url, TOKEN_URL);
      assert.deepEqual(request.headers, { accept: "application/json" });
      assert.equal(request.body, undefined);
    });

    it("bodies: JSON as written, form fields as text, none for bodyType none or GET", async () => {
      const described = `{"body": {"a": "x&y", "n": 1.5, "t": false, "o": [1], "skip": null}}`;
      const json = await bound(custom, settingsOf({ request: described }), credentials).tokenRequest(0);
      assert.deepEqual(JSON.parse(json.body!), { a: "x&y", n: 1.5, t: false, o: [1], skip: null });
      assert.equal(json.headers["content-type"], "application/json");
      const form = await bound(custom, settingsOf({ request: described, bodyType: "form" }), credentials).tokenRequest(
        0,
      );
      assert.equal(form.body, "a=x%26y&n=1.5&t=false&o=%5B1%5D");
      for (const extra of [{ bodyType: "none" }, { method: "GET" }, { method: "GET", bodyType: "form" }]) {
        const none = await bound(custom, settingsOf({ request: described, ...extra }), credentials).tokenRequest(0);
        assert.equal(none.body, undefined, JSON.stringify(extra));
        assert.equal(none.headers["content-type"], undefined, JSON.stringify(extra));
        assert.equal(none.method, extra.method ?? "POST");
      }
      const text = await bound(custom, settingsOf({ request: `{"body": "raw"}` }), credentials).tokenRequest(0);
      assert.equal(text.body, '"raw"');
    });

    it("the expression sees the URL and method, and must give an object", async () => {
      const seen = await bound(
        custom,
        settingsOf({ method: "GET", request: `{"query": {"u": url, "m": method}}` }),
        credentials,
      ).tokenRequest(0);
      assert.deepEqual(Object.fromEntries(new URL(seen.url).searchParams), { u: TOKEN_URL, m: "GET" });
      for (const bad of ['"text"', "[1, 2]", "42"]) {
        const error = await rejection(bound(custom, settingsOf({ request: bad }), credentials).tokenRequest(0));
        assert.equal(error.key, "expression-failed", bad);
        assert.equal(error.kind, "config");
        assert.equal(error.params.field, "request");
        assert.match(String(error.params.detail), /must give an object \{query, headers, body\}/);
      }
      const nothing = await bound(custom, settingsOf({ request: "missing.path" }), credentials).tokenRequest(0);
      assert.equal(nothing.url, TOKEN_URL, "an expression that gives nothing describes nothing");
    });

    it("the signing functions take numbers and booleans as their text, and name themselves when given none", async () => {
      const request = await bound(
        custom,
        settingsOf({
          request: `{"body": {"n": $sha256(5), "b": $md5(true), "h": $hmacSha256(1, false), "e": $base64(2)}}`,
        }),
        credentials,
      ).tokenRequest(0);
      const body = JSON.parse(request.body!) as Record<string, string>;
      assert.equal(body.n, createHash("sha256").update("5").digest("hex"));
      assert.equal(body.b, createHash("md5").update("true").digest("hex"));
      assert.equal(body.h, createHmac("sha256", "1").update("false").digest("hex"));
      assert.equal(body.e, Buffer.from("2").toString("base64"));
      const cases: Array<[string, string]> = [
        [`$hmacSha256({}, "a")`, "$hmacSha256 needs a text, got object"],
        [`$hmacSha256("k", missing)`, "$hmacSha256 needs a text, got nothing"],
        [`$base64([1])`, "$base64 needs a text, got object"],
      ];
      for (const [call, detail] of cases) {
        const error = await rejection(
          bound(custom, settingsOf({ request: `{"body": {"s": ${call}}}` }), credentials).tokenRequest(0),
        );
        assert.ok(String(error.params.detail).includes(detail), `${call}: ${String(error.params.detail)}`);
      }
    });

    it("the secret's forms are the request's secrets; no secret, none", async () => {
      const request = await bound(custom, settingsOf(), { key: "k", secret: 'a"b' }).tokenRequest(0);
      assert.deepEqual(request.secrets, ['a"b', 'a\\"b']);
      assert.deepEqual((await bound(custom, settingsOf(), { key: "k" }).tokenRequest(0)).secrets, []);
    });

    it("a failing expression's detail is JSONata's text with the secret masked", async () => {
      const s = settingsOf({ request: `$error("no " & $secret)` });
      const error = await rejection(bound(custom, s, credentials).tokenRequest(0));
      assert.equal(error.kind, "config");
      assert.equal(error.vendor, "Custom token");
      assert.match(String(error.params.detail), /^D3137: no \S+$/);
      assert.ok(!String(error.params.detail).includes(credentials.secret), String(error.params.detail));
    });

    it("a node started from a preset names the preset's cloud in its errors; a blank one names Custom token", async () => {
      const failing = { request: `$error("no")`, token: `$error("unreadable")` };
      const tuya = bound(custom, settingsOf({ preset: "tuya", ...failing }), credentials);
      assert.equal(tuya.vendor, "Tuya");
      const refused = await rejection(tuya.tokenRequest(0));
      assert.equal(refused.vendor, "Tuya");
      assert.match(refused.message, /^Tuya: the JSONata expression request failed: D3137: no\./);
      const unread = await rejection(Promise.resolve().then(() => tuya.parseToken(answer({ token: "t" }), 0)));
      assert.equal(unread.vendor, "Tuya");
      assert.equal(unread.key, refused.key, "the same error, only named after the cloud");
      const blank = bound(custom, settingsOf(failing), credentials);
      assert.equal(blank.vendor, "Custom token");
      assert.equal((await rejection(blank.tokenRequest(0))).vendor, "Custom token");
      // A preset of another release is only a name: the node is a custom token endpoint.
      assert.equal(bound(custom, settingsOf({ preset: "acme" }), credentials).vendor, "Custom token");
    });

    // Tuya's above; Hikvision Artemis's and Alibaba Cloud IoT's in their presets' suites.
    it("the other presets' clouds by the names their users know: their nodes' errors start with them", async () => {
      const clouds = { "huawei-iam": "Huawei Cloud IoTDA", thingsboard: "ThingsBoard", ezviz: "EZVIZ" };
      for (const [preset, cloud] of Object.entries(clouds)) {
        const provider = bound(custom, settingsOf({ preset, request: `$error("no")` }), credentials);
        assert.equal(provider.vendor, cloud, preset);
        const refused = await rejection(provider.tokenRequest(0));
        assert.ok(refused.message.startsWith(`${cloud}: the JSONata expression request failed`), refused.message);
      }
    });

    it("credentials left out are empty texts to the expressions, and an error of theirs masks nothing", async () => {
      const s = settingsOf({ request: `{"body": {"key": $key, "secret": $secret}}` });
      const request = await bound(custom, s, {}).tokenRequest(0);
      assert.deepEqual(JSON.parse(request.body!), { key: "", secret: "" });
      const error = await rejection(bound(custom, settingsOf({ request: `$error("plain text")` }), {}).tokenRequest(0));
      assert.match(String(error.params.detail), /^D3137: plain text$/);
    });
  });

  describe("params ($params)", () => {
    const bodyOf = async (provider: ReturnType<typeof custom.bind>) =>
      JSON.parse((await provider.tokenRequest(0)).body!) as unknown;

    it("is evaluated once per settings, with the account's $key, and every expression sees it", async () => {
      const params = `{"region": "cn-" & $key}`;
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf({ params, request: `{"body": {"region": $params.region}}` }, counting);
      const provider = bound(custom, s, credentials);
      assert.deepEqual(await bodyOf(provider), { region: "cn-k-1" });
      assert.deepEqual(await bodyOf(provider), { region: "cn-k-1" });
      assert.equal((await provider.parseToken(answer({ token: "t" }), 0)).token, "t");
      assert.equal(evaluated.filter((source) => source === params).length, 1, "params evaluated once");
    });

    it("without a params expression there is no $params", async () => {
      const s = settingsOf({ request: `{"body": {"has": $exists($params)}}` });
      assert.deepEqual(await bodyOf(bound(custom, s, credentials)), { has: false });
    });

    it("params that give nothing are no parameters: $params is an empty object", async () => {
      const s = settingsOf({ params: "$nothing", request: `{"body": {"params": $params}}` });
      assert.deepEqual(await bodyOf(bound(custom, s, credentials)), { params: {} });
    });

    it("params that give no object are an error naming params and saying what it must give", async () => {
      for (const params of [`"cn-1"`, `["cn-1"]`, "42"]) {
        const s = settingsOf({ params, request: `{"body": {"region": $params.region}}` });
        const error = await rejection(bound(custom, s, credentials).tokenRequest(0));
        assert.deepEqual(
          [error.kind, error.key, error.params.field, error.params.detail],
          ["config", "expression-failed", "params", "it must give an object of named values"],
          params,
        );
      }
    });

    it("params that failed are tried again next time (an environment variable set since, say)", async () => {
      const name = "ACCESS_TOKEN_TEST_PARAMS_REGION";
      const s = settingsOf({
        params: `$env("${name}") = "" ? $error("no region yet") : {"region": $env("${name}")}`,
        request: `{"body": {"region": $params.region}}`,
      });
      const provider = bound(custom, s, credentials);
      delete process.env[name];
      try {
        const error = await rejection(provider.tokenRequest(0));
        assert.deepEqual([error.params.field, error.params.detail], ["params", "D3137: no region yet"]);
        process.env[name] = "cn-2";
        assert.deepEqual(await bodyOf(provider), { region: "cn-2" });
      } finally {
        delete process.env[name];
      }
    });
  });

  describe("refresh request", () => {
    const refreshing = (
      refreshRequest: string,
      extra: Record<string, unknown> = {},
      using: Credentials = credentials,
    ) => bound(custom, settingsOf({ refreshToken: "body.refresh", refreshRequest, ...extra }), using);

    it("is made only when both refreshToken and refreshRequest are set", () => {
      assert.equal(bound(custom, settingsOf({ refreshToken: "body.refresh" }), credentials).refreshRequest, undefined);
      assert.equal(bound(custom, settingsOf({ refreshRequest: "{}" }), credentials).refreshRequest, undefined);
      assert.equal(bound(custom, settingsOf(), credentials).refreshRequest, undefined);
      assert.equal(typeof refreshing("{}").refreshRequest, "function");
    });

    it("sees the token URL and method and $refreshToken; its method in any case, the token request's when absent", async () => {
      const seen = await refreshing(`{"query": {"u": url, "m": method, "r": $refreshToken}}`, {
        method: "GET",
      }).refreshRequest!("rt-1", 0);
      assert.equal(seen.method, "GET");
      assert.deepEqual(Object.fromEntries(new URL(seen.url).searchParams), { u: TOKEN_URL, m: "GET", r: "rt-1" });
      assert.equal((await refreshing(`{"method": "get"}`).refreshRequest!("rt", 0)).method, "GET");
      assert.equal((await refreshing(`{"method": "Post"}`, { method: "GET" }).refreshRequest!("rt", 0)).method, "POST");
    });

    it("url: absent, null or empty is the token URL; a path is taken on its origin; an absolute URL as written", async () => {
      for (const url of ["", `"url": null, `, `"url": "", `]) {
        const request = await refreshing(`{${url}"body": {"r": $refreshToken}}`).refreshRequest!("rt-1", 0);
        assert.equal(request.url, TOKEN_URL, url || "absent");
        assert.deepEqual(JSON.parse(request.body!), { r: "rt-1" });
      }
      const path = await refreshing(`{"url": "/auth/refresh", "query": {"x": 1}}`).refreshRequest!("rt", 0);
      assert.equal(path.url, "https://iot.example.com/auth/refresh?x=1");
      const absolute = await refreshing(`{"url": "https://auth.example.org/r"}`).refreshRequest!("rt", 0);
      assert.equal(absolute.url, "https://auth.example.org/r");
    });

    it("what it gives is checked: a config error naming refreshRequest and what it must give", async () => {
      const cases: Array<[string, string]> = [
        ['"text"', "it must give an object {url, method, query, headers, body}"],
        ["missing.path", "it must give an object {url, method, query, headers, body}"],
        ['{"method": "DELETE"}', "its method must be one of POST, GET"],
        ['{"method": 42}', "its method must be one of POST, GET"],
        ['{"url": 42}', "its url must be a text"],
        ['{"url": "http://"}', "its url must be a path or an absolute URL"],
      ];
      for (const [expression, detail] of cases) {
        const error = await rejection(refreshing(expression).refreshRequest!("rt", 0));
        assert.deepEqual(
          [error.kind, error.key, error.params.field, error.params.detail],
          ["config", "expression-failed", "refreshRequest", detail],
          expression,
        );
      }
    });

    it("the refresh token is one of the request's secrets, next to the secret's forms; without a secret, alone", async () => {
      assert.deepEqual((await refreshing("{}").refreshRequest!('r"t', 0)).secrets, ["s&1 é", 'r"t', 'r\\"t']);
      assert.deepEqual((await refreshing("{}", {}, { key: "k" }).refreshRequest!("rt", 0)).secrets, ["rt"]);
    });

    it("the auth header goes on API calls only: a token or refresh request carries none, even with a token", () => {
      const provider = bound(custom, settingsOf({ authHeader: "X-Auth" }), credentials);
      for (const purpose of ["token", "refresh"] as const) {
        const sent = provider.authorize({ purpose, method: "POST", url: TOKEN_URL, headers: {} }, "t", 0);
        assert.ok(!(sent instanceof Promise));
        assert.deepEqual(sent.headers, {}, purpose);
      }
      assert.deepEqual(authHeaders(provider, "t"), { "X-Auth": "Bearer t" });
    });
  });
});
