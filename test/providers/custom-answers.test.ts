// The custom (JSONata) adapter rule by rule, its answers and API calls: which answers are tokens,
// vendor errors or HTTP errors, when the error expressions are evaluated, apiBase and refreshToken
// as read from an answer, authValue once per token, the API answer defaults, the account and the form.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import { custom } from "../../src/providers/custom";
import { answer, countingEvaluator, credentials, rejection, settingsOf } from "../support/custom-adapter";
import { formOf } from "../support/form";
import { authHeaders, bound } from "../support/bound";

describe("custom adapter, rule by rule: answers and API calls", () => {
  describe("answers", () => {
    it("the expressions see statusCode, headers and the parsed body; a body that is not JSON as its text", async () => {
      const s = settingsOf({ token: 'body & "-" & headers."x-id" & "-" & statusCode' });
      const parsed = await bound(custom, s, credentials).parseToken(answer("plain", 200, { "x-id": "7" }), 0);
      assert.equal(parsed.token, "plain-7-200");
      const fromJson = await bound(custom, settingsOf(), credentials).parseToken(answer({ token: "j" }), 0);
      assert.equal(fromJson.token, "j");
    });

    it("without ok, any status below 300 succeeds and 300 does not", async () => {
      assert.equal(
        (await bound(custom, settingsOf(), credentials).parseToken(answer({ token: "t" }, 299), 0)).token,
        "t",
      );
      const refused = await rejection(
        bound(custom, settingsOf(), credentials).parseToken(answer({ token: "t" }, 300), 0),
      );
      assert.equal(refused.kind, "vendor", "a 3xx without code or text is the vendor's answer, with its status");
      assert.equal(refused.code, "300");
    });

    it("ok decides alone: a 4xx it accepts is a token, a 200 it refuses is a vendor error", async () => {
      const lenient = settingsOf({ ok: "$exists(body.token)" });
      assert.equal((await bound(custom, lenient, credentials).parseToken(answer({ token: "t" }, 400), 0)).token, "t");
      const strict = settingsOf({ ok: "body.ok = 1" });
      const error = await rejection(bound(custom, strict, credentials).parseToken(answer({ ok: 0, token: "t" }), 0));
      assert.equal(error.kind, "vendor");
      assert.equal(error.key, "vendor-code");
      assert.equal(error.code, "200");
      assert.equal(error.httpStatus, 200);
      assert.equal(error.params.msg, "");
    });

    it("a refused 4xx: the vendor's code and text when given (code or text alone too), else an HTTP error", async () => {
      const described = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" });
      const both = await rejection(
        bound(custom, described, credentials).parseToken(answer({ code: " E1 ", msg: " bad key " }, 401), 0),
      );
      assert.deepEqual([both.kind, both.code, both.params.msg, both.httpStatus], ["vendor", "E1", "bad key", 401]);
      const textOnly = await rejection(
        bound(custom, described, credentials).parseToken(answer({ msg: "bad key" }, 403), 0),
      );
      assert.deepEqual([textOnly.kind, textOnly.code, textOnly.params.msg], ["vendor", "403", "bad key"]);
      const codeOnly = await rejection(bound(custom, described, credentials).parseToken(answer({ code: 7 }, 400), 0));
      assert.deepEqual([codeOnly.kind, codeOnly.code, codeOnly.params.msg], ["vendor", "7", ""]);
      const neither = await rejection(
        bound(custom, described, credentials).parseToken(answer({ code: "", msg: " " }, 404), 0),
      );
      assert.deepEqual([neither.kind, neither.key, neither.httpStatus], ["http", "http-status", 404]);
      assert.equal(neither.code, undefined);
      const bare400 = await rejection(bound(custom, described, credentials).parseToken(answer({}, 400), 0));
      assert.deepEqual([bare400.kind, bare400.key, bare400.httpStatus], ["http", "http-status", 400]);
    });

    it("429 and 5xx are HTTP errors with Retry-After even when the body has a code", async () => {
      const described = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" });
      const limited = await rejection(
        bound(custom, described, credentials).parseToken(
          answer({ code: "Q", msg: "slow down" }, 429, { "retry-after": "7" }),
          0,
        ),
      );
      assert.deepEqual(
        [limited.kind, limited.key, limited.code, limited.retryAfterMs],
        ["http", "rate-limited", "Q", 7000],
      );
      const down = await rejection(bound(custom, described, credentials).parseToken(answer({ code: "D" }, 500), 0));
      assert.deepEqual([down.kind, down.key, down.code], ["http", "server-error", "D"]);
      const unknown = await rejection(bound(custom, described, credentials).parseToken(answer({ code: "x" }, 499), 0));
      assert.equal(unknown.kind, "vendor", "499 is not transient: the vendor's code stands");
    });

    it("the error expressions are evaluated only for a refused answer", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf({ errorCode: "body.code", errorMessage: "body.msg" }, counting);
      await bound(custom, s, credentials).parseToken(answer({ token: "t" }), 0);
      assert.deepEqual(evaluated, ["body.token"]);
    });

    it("expiresIn, when set, wins over the lifetime; without it the lifetime is the expiry", async () => {
      const s = settingsOf({ expiresIn: "body.ttl", lifetime: 600 });
      assert.equal(
        (await bound(custom, s, credentials).parseToken(answer({ token: "t", ttl: 120 }), 0)).expiresIn,
        120,
      );
      const missing = await rejection(bound(custom, s, credentials).parseToken(answer({ token: "t" }), 0));
      assert.equal(missing.key, "no-expiry");
      assert.equal(missing.params.field, "expiresIn");
      const fixed = settingsOf({ lifetime: 600 });
      assert.equal(
        (await bound(custom, fixed, credentials).parseToken(answer({ token: "t", expires_in: 5 }), 0)).expiresIn,
        600,
      );
    });

    /** A token answer read with one expression set. */
    const readWith = (field: "apiBase" | "refreshToken", expression: string) =>
      bound(custom, settingsOf({ [field]: expression }), credentials).parseToken(
        answer({ token: "t", rt: " r-1 " }),
        0,
      );

    /** null, empty or nothing gives no `field`; each of `bad` is a config error naming `field` and what it must give. */
    async function absentOrRefused(field: "apiBase" | "refreshToken", bad: string[], detail: string) {
      for (const none of ["null", '""', "body.missing"]) {
        const parsed = await readWith(field, none);
        assert.equal(parsed.token, "t", none);
        assert.equal(field in parsed, false, none);
      }
      for (const expression of bad) {
        const error = await rejection(readWith(field, expression));
        assert.deepEqual(
          [error.kind, error.key, error.params.field, error.params.detail],
          ["config", "expression-failed", field, detail],
          expression,
        );
      }
    }

    it("apiBase: an http(s) URL, trimmed, without trailing slashes; null, empty or nothing is none; else it names apiBase", async () => {
      const apiBase = async (expression: string) => (await readWith("apiBase", expression)).apiBase;
      assert.equal(await apiBase('" https://api.example.com/v1// "'), "https://api.example.com/v1");
      assert.equal(await apiBase('"http://127.0.0.1:8080/"'), "http://127.0.0.1:8080");
      const bad = ['"ftp://files.example.com"', '"not a url"', "42", '"  "'];
      await absentOrRefused("apiBase", bad, "it must give an http(s) URL, or nothing");
    });

    it("refreshToken: a text as it is; null, empty or nothing is none; a non-text or a line break names refreshToken", async () => {
      assert.equal((await readWith("refreshToken", "body.rt")).refreshToken, " r-1 ");
      const bad = ["42", '"a\\nb"', '"a\\u0000b"'];
      await absentOrRefused("refreshToken", bad, "it must give a text without line breaks, or nothing");
    });

    it("$timestamp in the answer's expressions is when it arrived, whole milliseconds", async () => {
      const s = settingsOf({ token: "$string($timestamp)", expiresIn: "60" });
      assert.equal((await bound(custom, s, credentials).parseToken(answer({}), 1234.9)).token, "1234");
    });
  });

  describe("API calls", () => {
    it("authValue is evaluated once per token, with $token, $key and $secret; a new token is evaluated anew", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf(
        { authHeader: "X-Auth", authValue: '$token & ":" & $key & ":" & $length($secret)' },
        counting,
      );
      const provider = bound(custom, s, credentials);
      await provider.prepare?.("t1");
      await provider.prepare?.("t1");
      assert.equal(evaluated.length, 1);
      assert.deepEqual(authHeaders(provider, "t1", undefined, 0), { "X-Auth": "t1:k-1:5" });
      assert.throws(
        () => authHeaders(provider, "t2", undefined, 0),
        (err: unknown) => {
          assert.ok(err instanceof TokenError);
          assert.equal(err.key, "expression-failed");
          assert.equal(err.params.field, "authValue");
          assert.match(String(err.params.detail), /not evaluated for this token/);
          return true;
        },
      );
      await provider.prepare?.("t2");
      assert.equal(evaluated.length, 2);
      assert.deepEqual(authHeaders(provider, "t2", undefined, 0), { "X-Auth": "t2:k-1:5" });
    });

    it("authValue reads the token as the answer's expressions read theirs: as $token and as the path token", async () => {
      const s = settingsOf({ authValue: '"Token " & token & " " & $token' });
      const provider = bound(custom, s, credentials);
      await provider.prepare?.("t1");
      assert.deepEqual(authHeaders(provider, "t1", undefined, 0), { Authorization: "Token t1 t1" });
    });

    it("without authValue: Bearer under the configured header, nothing evaluated", async () => {
      const { evaluator: counting, evaluated } = countingEvaluator();
      const s = settingsOf({ authHeader: "X-Auth" }, counting);
      const provider = bound(custom, s, credentials);
      assert.equal(provider.prepare, undefined, "no work per token");
      assert.deepEqual(evaluated, []);
      assert.deepEqual(authHeaders(provider, "t", undefined, 0), { "X-Auth": "Bearer t" });
    });

    it("authValue must give a header value: text, not empty, no line breaks or NUL", async () => {
      for (const bad of ["42", '""', '"a" & $string({"x": 1}) & "\\n"', '"a\\rb"', '"a\\u0000b"', "missing"]) {
        const s = settingsOf({ authValue: bad });
        const provider = bound(custom, s, credentials);
        const error = await rejection(provider.prepare?.("t"));
        assert.equal(error.key, "expression-failed", bad);
        assert.equal(error.params.field, "authValue");
        assert.match(String(error.params.detail), /header value/);
        assert.throws(() => authHeaders(provider, "t"), /not evaluated/, `${bad}: nothing kept`);
      }
    });

    it("without API answer expressions an answer is judged at once, as an OAuth2 resource server's", () => {
      const provider = bound(custom, settingsOf(), credentials);
      const verdict = provider.judgeApiResponse(answer({ error: "invalid_token" }, 401));
      assert.ok(!(verdict instanceof Promise), "no expression to evaluate: nothing to wait for");
      assert.deepEqual(verdict, { outcome: "token-rejected", code: "invalid_token", text: undefined });
    });

    it("apiExpired alone: apiOk's default stands (below 400 ok), an error keeps its Retry-After", async () => {
      const provider = bound(custom, settingsOf({ apiExpired: "body.code = 1010" }), credentials);
      assert.deepEqual(await provider.judgeApiResponse(answer({ code: 1010 })), {
        outcome: "token-rejected",
        code: undefined,
        text: undefined,
      });
      assert.deepEqual(await provider.judgeApiResponse(answer({}, 399)), { outcome: "ok" });
      const refused = await provider.judgeApiResponse(answer({ error: "bad_request" }, 400));
      assert.deepEqual(refused, { outcome: "error", code: "bad_request", text: undefined, retryAfterMs: undefined });
      const limited = await provider.judgeApiResponse(answer({}, 429, { "retry-after": "7" }));
      assert.deepEqual(limited, { outcome: "error", code: undefined, text: undefined, retryAfterMs: 7000 });
    });

    it("the account: URL, key and a fingerprint of what the request is made of", () => {
      const base = settingsOf({ request: '{"body": {}}' });
      const id = bound(custom, base, credentials).accountId;
      assert.match(id, /^custom https:\/\/iot\.example\.com\/token k-1 [0-9a-f]{8}$/);
      assert.equal(bound(custom, settingsOf({ request: '{"body": {}}' }), credentials).accountId, id);
      assert.equal(
        bound(custom, base, { key: "k-1", secret: "other" }).accountId,
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
        assert.notEqual(bound(custom, settingsOf(change), credentials).accountId, id, JSON.stringify(change));
      }
      assert.notEqual(bound(custom, base, { key: "k-2" }).accountId, id);
      // Where one setting ends and the next begins is part of it: "ab" + "c" is not "a" + "bc".
      assert.notEqual(
        bound(custom, settingsOf({ request: "body.ab", token: "c" }), credentials).accountId,
        bound(custom, settingsOf({ request: "body.a", token: "bc" }), credentials).accountId,
      );
      assert.match(bound(custom, base, {}).accountId, /^custom https:\/\/iot\.example\.com\/token {2}[0-9a-f]{8}$/);
    });

    it("the form lists every setting with its dialog default", () => {
      const { byName: fields, defaults } = formOf(custom);
      assert.deepEqual(defaults, {
        preset: ["", false],
        params: ["", false],
        method: ["POST", true],
        bodyType: ["json", true],
        request: ["", false],
        token: ["body.access_token", true],
        expiresIn: ["body.expires_in", false],
        lifetime: [3600, true],
        ok: ["statusCode < 300", false],
        errorCode: ["", false],
        errorMessage: ["", false],
        apiBase: ["", false],
        refreshToken: ["", false],
        refreshRequest: ["", false],
        sign: ["", false],
        authHeader: ["Authorization", false],
        authValue: ['"Bearer " & $token', false],
        apiExpired: ["statusCode = 401", false],
        apiOk: ["statusCode < 400", false],
        apiErrorCode: ["", false],
        apiErrorMessage: ["", false],
        apiUrl: ["", false],
        apiHosts: ["", false],
      });
      assert.deepEqual(fields.method.input, { kind: "select", options: ["POST", "GET"] });
      assert.deepEqual(fields.bodyType.input, { kind: "select", options: ["json", "form", "none"] });
      assert.deepEqual(fields.lifetime.input, { kind: "number", min: 1 });
      assert.deepEqual(fields.authHeader.input, { kind: "text" });
      assert.equal(custom.form.urlProperty, "tokenUrl");
      assert.equal(custom.form.apiUrlProperty, "apiUrl", "paths join its API URL, not its token URL");
      assert.equal(custom.form.defaultBaseUrl, "");
      assert.deepEqual(
        [custom.credentialFields, custom.secretFields, custom.signsApiCalls],
        [["key", "secret"], ["secret"], false],
      );
    });
  });
});
