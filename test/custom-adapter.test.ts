// The custom (JSONata) adapter rule by rule: each setting's fallback, how the request's parts become
// query, headers and body, which answers are vendor errors and which HTTP errors, and when authValue
// is evaluated. The broader walk through the adapter is in generic-providers.test.ts.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import { custom, type CustomSettings } from "../src/providers/custom";
import type { ExpressionEvaluator } from "../src/providers/expressions";
import type { RawResponse } from "../src/providers/types";
import { expressionEvaluator as evaluator } from "./support/expressions";

const credentials = { key: "k-1", secret: "s&1 é" };
const TOKEN_URL = "https://iot.example.com/token";

const settingsOf = (extra: Record<string, unknown> = {}, using: ExpressionEvaluator = evaluator): CustomSettings =>
  custom.settings({ tokenUrl: TOKEN_URL, token: "body.token", ...extra }, using);

const answer = (body: unknown, status = 200, headers: RawResponse["headers"] = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TokenError, `expected a TokenError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a TokenError");
}

/** The evaluator, counting the expressions it evaluates. */
function countingEvaluator(): { evaluator: ExpressionEvaluator; evaluated: string[] } {
  const evaluated: string[] = [];
  return {
    evaluated,
    evaluator: {
      check: (source) => evaluator.check(source),
      evaluate: (source, input, context) => {
        evaluated.push(source);
        return evaluator.evaluate(source, input, context);
      },
    },
  };
}

describe("custom adapter, rule by rule", () => {
  describe("settings", () => {
    it("an empty auth header is Authorization; any RFC 9110 token name is kept as written", () => {
      assert.equal(settingsOf({ authHeader: "  " }).authHeader, "Authorization");
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
    it("asks for JSON; query values join the URL's own; headers of the expression win; null values are left out", async () => {
      const s = settingsOf({
        tokenUrl: `${TOKEN_URL}?app=1`,
        request: `{"query": {"n": 2, "b": true, "o": {"x": 1}, "gone": null},
          "headers": {"accept": "text/plain", "X-N": 3, "X-None": null}}`,
      });
      const request = await custom.tokenRequest(s, credentials, 0);
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
      const request = await custom.tokenRequest(settingsOf(), credentials, 0);
      assert.equal(request.url, TOKEN_URL);
      assert.deepEqual(request.headers, { accept: "application/json" });
      assert.equal(request.body, undefined);
    });

    it("bodies: JSON as written, form fields as text, none for bodyType none or GET", async () => {
      const described = `{"body": {"a": "x&y", "n": 1.5, "t": false, "o": [1], "skip": null}}`;
      const json = await custom.tokenRequest(settingsOf({ request: described }), credentials, 0);
      assert.deepEqual(JSON.parse(json.body!), { a: "x&y", n: 1.5, t: false, o: [1], skip: null });
      assert.equal(json.headers["content-type"], "application/json");
      const form = await custom.tokenRequest(settingsOf({ request: described, bodyType: "form" }), credentials, 0);
      assert.equal(form.body, "a=x%26y&n=1.5&t=false&o=%5B1%5D");
      for (const extra of [{ bodyType: "none" }, { method: "GET" }, { method: "GET", bodyType: "form" }]) {
        const none = await custom.tokenRequest(settingsOf({ request: described, ...extra }), credentials, 0);
        assert.equal(none.body, undefined, JSON.stringify(extra));
        assert.equal(none.headers["content-type"], undefined, JSON.stringify(extra));
        assert.equal(none.method, extra.method ?? "POST");
      }
      const text = await custom.tokenRequest(settingsOf({ request: `{"body": "raw"}` }), credentials, 0);
      assert.equal(text.body, '"raw"');
    });

    it("the expression sees the URL and method, and must give an object", async () => {
      const seen = await custom.tokenRequest(
        settingsOf({ method: "GET", request: `{"query": {"u": url, "m": method}}` }),
        credentials,
        0,
      );
      assert.deepEqual(Object.fromEntries(new URL(seen.url).searchParams), { u: TOKEN_URL, m: "GET" });
      for (const bad of ['"text"', "[1, 2]", "42"]) {
        const error = await rejection(custom.tokenRequest(settingsOf({ request: bad }), credentials, 0));
        assert.equal(error.key, "expression-failed", bad);
        assert.equal(error.kind, "config");
        assert.equal(error.params.field, "request");
        assert.match(String(error.params.detail), /must give an object \{query, headers, body\}/);
      }
      const nothing = await custom.tokenRequest(settingsOf({ request: "missing.path" }), credentials, 0);
      assert.equal(nothing.url, TOKEN_URL, "an expression that gives nothing describes nothing");
    });

    it("the secret's forms are the request's secrets; no secret, none", async () => {
      const request = await custom.tokenRequest(settingsOf(), { key: "k", secret: 'a"b' }, 0);
      assert.deepEqual(request.secrets, ['a"b', 'a\\"b']);
      assert.deepEqual((await custom.tokenRequest(settingsOf(), { key: "k" }, 0)).secrets, []);
    });

    it("a failing expression's detail is JSONata's text with the secret masked", async () => {
      const s = settingsOf({ request: `$error("no " & $secret)` });
      const error = await rejection(custom.tokenRequest(s, credentials, 0));
      assert.equal(error.kind, "config");
      assert.equal(error.vendor, "Custom token");
      assert.match(String(error.params.detail), /^D3137: no \S+$/);
      assert.ok(!String(error.params.detail).includes(credentials.secret), String(error.params.detail));
    });
  });

  describe("answers", () => {
    it("the expressions see statusCode, headers and the parsed body; a body that is not JSON as its text", async () => {
      const s = settingsOf({ token: 'body & "-" & headers."x-id" & "-" & statusCode' });
      const parsed = await custom.parseToken(answer("plain", 200, { "x-id": "7" }), s, credentials, 0);
      assert.equal(parsed.token, "plain-7-200");
      const fromJson = await custom.parseToken(answer({ token: "j" }), settingsOf(), credentials, 0);
      assert.equal(fromJson.token, "j");
    });

    it("without ok, any status below 300 succeeds and 300 does not", async () => {
      assert.equal((await custom.parseToken(answer({ token: "t" }, 299), settingsOf(), credentials, 0)).token, "t");
      const refused = await rejection(custom.parseToken(answer({ token: "t" }, 300), settingsOf(), credentials, 0));
      assert.equal(refused.kind, "vendor", "a 3xx without code or text is the vendor's answer, with its status");
      assert.equal(refused.code, "300");
    });

    it("ok decides alone: a 4xx it accepts is a token, a 200 it refuses is a vendor error", async () => {
      const lenient = settingsOf({ ok: "$exists(body.token)" });
      assert.equal((await custom.parseToken(answer({ token: "t" }, 400), lenient, credentials, 0)).token, "t");
      const strict = settingsOf({ ok: "body.ok = 1" });
      const error = await rejection(custom.parseToken(answer({ ok: 0, token: "t" }), strict, credentials, 0));
      assert.equal(error.kind, "vendor");
      assert.equal(error.key, "vendor-code");
      assert.equal(error.code, "200");
      assert.equal(error.httpStatus, 200);
      assert.equal(error.params.msg, "");
    });

    it("a refused 4xx: the vendor's code and text when given (code or text alone too), else an HTTP error", async () => {
      const described = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" });
      const both = await rejection(
        custom.parseToken(answer({ code: " E1 ", msg: " bad key " }, 401), described, credentials, 0),
      );
      assert.deepEqual([both.kind, both.code, both.params.msg, both.httpStatus], ["vendor", "E1", "bad key", 401]);
      const textOnly = await rejection(custom.parseToken(answer({ msg: "bad key" }, 403), described, credentials, 0));
      assert.deepEqual([textOnly.kind, textOnly.code, textOnly.params.msg], ["vendor", "403", "bad key"]);
      const codeOnly = await rejection(custom.parseToken(answer({ code: 7 }, 400), described, credentials, 0));
      assert.deepEqual([codeOnly.kind, codeOnly.code, codeOnly.params.msg], ["vendor", "7", ""]);
      const neither = await rejection(
        custom.parseToken(answer({ code: "", msg: " " }, 404), described, credentials, 0),
      );
      assert.deepEqual([neither.kind, neither.key, neither.httpStatus], ["http", "http-status", 404]);
      assert.equal(neither.code, undefined);
    });

    it("429 and 5xx are HTTP errors with Retry-After even when the body has a code", async () => {
      const described = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" });
      const limited = await rejection(
        custom.parseToken(
          answer({ code: "Q", msg: "slow down" }, 429, { "retry-after": "7" }),
          described,
          credentials,
          0,
        ),
      );
      assert.deepEqual(
        [limited.kind, limited.key, limited.code, limited.retryAfterMs],
        ["http", "rate-limited", "Q", 7000],
      );
      const down = await rejection(custom.parseToken(answer({ code: "D" }, 500), described, credentials, 0));
      assert.deepEqual([down.kind, down.key, down.code], ["http", "server-error", "D"]);
      const unknown = await rejection(custom.parseToken(answer({ code: "x" }, 499), described, credentials, 0));
      assert.equal(unknown.kind, "vendor", "499 is not transient: the vendor's code stands");
    });

    it("the error expressions are evaluated only for a refused answer", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" }, counting);
      await custom.parseToken(answer({ token: "t" }), s, credentials, 0);
      assert.deepEqual(evaluated, ["body.token"]);
    });

    it("expiresIn, when set, wins over the lifetime; without it the lifetime is the expiry", async () => {
      const s = settingsOf({ expiresIn: "body.ttl", lifetime: 600 });
      assert.equal((await custom.parseToken(answer({ token: "t", ttl: 120 }), s, credentials, 0)).expiresIn, 120);
      const missing = await rejection(custom.parseToken(answer({ token: "t" }), s, credentials, 0));
      assert.equal(missing.key, "no-expiry");
      assert.equal(missing.params.field, "expiresIn");
      const fixed = settingsOf({ lifetime: 600 });
      assert.equal(
        (await custom.parseToken(answer({ token: "t", expires_in: 5 }), fixed, credentials, 0)).expiresIn,
        600,
      );
    });

    it("$timestamp in the answer's expressions is when it arrived, whole milliseconds", async () => {
      const s = settingsOf({ token: "$string($timestamp)", expiresIn: "60" });
      assert.equal((await custom.parseToken(answer({}), s, credentials, 1234.9)).token, "1234");
    });
  });

  describe("API calls", () => {
    it("authValue is evaluated once per token, with $token, $key and $secret; a new token is evaluated anew", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf(
        { authHeader: "X-Auth", authValue: '$token & ":" & $key & ":" & $length($secret)' },
        counting,
      );
      await custom.prepareAuth("t1", credentials, s);
      await custom.prepareAuth("t1", credentials, s);
      assert.equal(evaluated.length, 1);
      assert.deepEqual(custom.authHeaders("t1", credentials, undefined, 0, s), { "X-Auth": "t1:k-1:5" });
      assert.throws(
        () => custom.authHeaders("t2", credentials, undefined, 0, s),
        (err: unknown) => {
          assert.ok(err instanceof TokenError);
          assert.equal(err.key, "expression-failed");
          assert.equal(err.params.field, "authValue");
          assert.match(String(err.params.detail), /not evaluated for this token/);
          return true;
        },
      );
      await custom.prepareAuth("t2", credentials, s);
      assert.equal(evaluated.length, 2);
      assert.deepEqual(custom.authHeaders("t2", credentials, undefined, 0, s), { "X-Auth": "t2:k-1:5" });
    });

    it("without authValue: Bearer under the configured header, nothing evaluated", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf({ authHeader: "X-Auth" }, counting);
      await custom.prepareAuth("t", credentials, s);
      assert.deepEqual(evaluated, []);
      assert.deepEqual(custom.authHeaders("t", credentials, undefined, 0, s), { "X-Auth": "Bearer t" });
    });

    it("authValue must give a header value: text, not empty, no line breaks or NUL", async () => {
      for (const bad of ["42", '""', '"a" & $string({"x": 1}) & "\\n"', '"a\\rb"', '"a\\u0000b"', "missing"]) {
        const s = settingsOf({ authValue: bad });
        const error = await rejection(custom.prepareAuth("t", credentials, s));
        assert.equal(error.key, "expression-failed", bad);
        assert.equal(error.params.field, "authValue");
        assert.match(String(error.params.detail), /header value/);
        assert.equal(s.prepared, undefined, `${bad}: nothing kept`);
      }
    });

    it("the account: URL, key and a fingerprint of what the request is made of", () => {
      const base = settingsOf({ request: '{"body": {}}' });
      const id = custom.accountId(base, credentials);
      assert.match(id, /^custom https:\/\/iot\.example\.com\/token k-1 [0-9a-f]{8}$/);
      assert.equal(custom.accountId(settingsOf({ request: '{"body": {}}' }), credentials), id);
      assert.equal(
        custom.accountId(base, { key: "k-1", secret: "other" }),
        id,
        "the secret is not part of the account",
      );
      const changes = [
        { request: '{"body": {}}', method: "GET" },
        { request: '{"body": {}}', bodyType: "form" },
        { request: '{"body": {"a": 1}}' },
        { request: '{"body": {}}', token: "body.other" },
      ];
      for (const change of changes) {
        assert.notEqual(custom.accountId(settingsOf(change), credentials), id, JSON.stringify(change));
      }
      assert.notEqual(custom.accountId(base, { key: "k-2" }), id);
      assert.match(custom.accountId(base, {}), /^custom https:\/\/iot\.example\.com\/token {2}[0-9a-f]{8}$/);
    });

    it("the form lists every setting with its dialog default", () => {
      const fields = Object.fromEntries((custom.form.properties ?? []).map((field) => [field.name, field]));
      assert.deepEqual(
        Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, [field.default, field.required]])),
        {
          method: ["POST", true],
          bodyType: ["json", true],
          request: ["", false],
          token: ["body.access_token", true],
          expiresIn: ["body.expires_in", false],
          lifetime: [3600, true],
          ok: ["statusCode < 300", false],
          errorCode: ["", false],
          errorMessage: ["", false],
          authHeader: ["Authorization", false],
          authValue: ['"Bearer " & $token', false],
        },
      );
      assert.deepEqual(fields.method.input, { kind: "select", options: ["POST", "GET"] });
      assert.deepEqual(fields.bodyType.input, { kind: "select", options: ["json", "form", "none"] });
      assert.deepEqual(fields.lifetime.input, { kind: "number", min: 1 });
      assert.deepEqual(fields.authHeader.input, { kind: "text" });
      assert.equal(custom.form.urlProperty, "tokenUrl");
      assert.equal(custom.form.defaultBaseUrl, "");
      assert.deepEqual(
        [custom.credentialFields, custom.secretFields, custom.signsApiCalls],
        [["key", "secret"], ["secret"], false],
      );
    });
  });
});
