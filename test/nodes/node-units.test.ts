// Pieces of the nodes that need no runtime, as pure units: reading a context entry back, the EnOS
// and custom-sign calls applyAuthHeaders signs (method, URL, body) for what the http request node
// sends, the error Catch nodes get, the translator's fallback, settings.js's expression time budget
// and JSONata's errors as text.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import { applyAuthHeaders, type AuthSource } from "../../src/nodes/api-call";
import { CATCH_STATUS_HOOK, doneWithStatusCode, liftStatusCode } from "../../src/nodes/catch-status-code";
import { entryToken } from "../../src/nodes/context-entry";
import { asTokenError, CatchableError, catchable } from "../../src/nodes/catchable-error";
import { jsonataEvaluator, type JsonataUtil } from "../../src/nodes/jsonata";
import { expressionLimits } from "../../src/nodes/expression-settings";
import { DEFAULT_EXPRESSION_LIMITS, EXPRESSION_TIMEOUT_SETTING } from "../../src/providers/expression-limits";
import type { NodeAPI } from "../../src/nodes/node-red";
import { translator } from "../../src/nodes/translate";
import { providers } from "../../src/providers";
import { runtimeHooks } from "../support/node-red";
import type { PlannedRequest } from "../../src/account/account";
import { bound } from "../support/bound";
import { sha256Hex } from "../../src/providers/enos";
import { custom } from "../../src/providers/custom";
import { credentials, settingsOf } from "../support/custom-adapter";

describe("node units", () => {
  describe("liftStatusCode (msg.error.statusCode at Catch nodes)", () => {
    const atCatch = (error: unknown, type = "catch") => {
      const msg = { error };
      liftStatusCode({ msg, destination: { node: { type } } });
      return msg.error as Record<string, unknown>;
    };
    const ours = (type: string, cause: unknown) => ({ message: "m", source: { id: "n", type }, cause });
    it("copies the cause's status of an access-token or access-token-request error", () => {
      assert.equal(atCatch(ours("access-token-request", { statusCode: 401 })).statusCode, 401);
      assert.equal(atCatch(ours("access-token", { statusCode: 200 })).statusCode, 200);
    });
    it("leaves every other message alone", () => {
      assert.ok(!("statusCode" in atCatch(ours("function", { statusCode: 401 }))), "another node's error");
      assert.ok(!("statusCode" in atCatch(ours("access-token", { statusCode: 401 }), "debug")), "not at a Catch");
      assert.ok(!("statusCode" in atCatch(ours("access-token", undefined))), "no cause");
      assert.ok(!("statusCode" in atCatch(ours("access-token", { statusCode: "401" }))), "not a number");
      assert.equal(atCatch({ ...ours("access-token", { statusCode: 401 }), statusCode: 7 }).statusCode, 7, "kept");
      for (const error of [undefined, null, "text"]) assert.equal(atCatch(error), error);
    });
  });

  describe("doneWithStatusCode (the hook only while done(err) runs)", () => {
    const err = new Error("e");
    it("adds the hook for the call and takes it out after, also when done throws or nests", () => {
      const seen: boolean[] = [];
      const present = () => seen.push(runtimeHooks.has(CATCH_STATUS_HOOK));
      doneWithStatusCode(runtimeHooks, present, err);
      doneWithStatusCode(
        runtimeHooks,
        () => (present(), doneWithStatusCode(runtimeHooks, present, err), present()),
        err,
      );
      assert.throws(() => doneWithStatusCode(runtimeHooks, () => (present(), assert.fail("thrown")), err), /thrown/);
      assert.deepEqual(seen, [true, true, true, true, true]);
      assert.equal(runtimeHooks.has(CATCH_STATUS_HOOK), false, "no hook left for the runtime's other messages");
    });
    it("the hook in place lifts the status of a message on its way to a Catch node", () => {
      const msg = { error: { message: "m", source: { id: "n", type: "access-token" }, cause: { statusCode: 503 } } };
      doneWithStatusCode(
        runtimeHooks,
        () => runtimeHooks.trigger("onReceive", { msg, destination: { id: "c", node: { type: "catch" } } }, () => {}),
        err,
      );
      assert.equal((msg.error as Record<string, unknown>).statusCode, 503);
    });
    it("replaces a hook of the same name left behind, and works without hooks", () => {
      runtimeHooks.add(CATCH_STATUS_HOOK, () => undefined);
      let called = 0;
      doneWithStatusCode(runtimeHooks, () => called++, err);
      doneWithStatusCode(undefined, (e) => (assert.equal(e, err), called++), err);
      assert.equal(called, 2);
      assert.equal(runtimeHooks.has(CATCH_STATUS_HOOK), false);
    });
  });

  describe("entryToken", () => {
    const entry = { token: "t", expiresAt: 2000, obtainedAt: 1000, provider: "enos", account: "acc" };
    it("reads an entry written for this provider and account", () => {
      assert.deepEqual(entryToken(entry, "enos", "acc"), { value: "t", expiresAt: 2000, obtainedAt: 1000 });
    });
    it("ignores anything else", () => {
      for (const value of [null, undefined, "t", 3, [entry]]) assert.equal(entryToken(value, "enos", "acc"), undefined);
      assert.equal(entryToken(entry, "oneaccess", "acc"), undefined);
      assert.equal(entryToken(entry, "enos", "other"), undefined);
      assert.equal(entryToken({ ...entry, token: "" }, "enos", "acc"), undefined);
      assert.equal(entryToken({ ...entry, token: 5 }, "enos", "acc"), undefined);
      assert.equal(entryToken({ ...entry, expiresAt: "2000" }, "enos", "acc"), undefined);
    });
  });

  describe("applyAuthHeaders (EnOS: what is signed)", () => {
    const signed: PlannedRequest[] = [];
    // The real EnOS provider; what authorize was handed is recorded on the way.
    const provider = bound(providers.enos, "https://gw.example.com", { appKey: "k", appSecret: "s" });
    const source: AuthSource = {
      provider,
      authorize: (request, token) => {
        signed.push(request);
        return provider.authorize({ purpose: "api", ...request }, token?.value, 0);
      },
      authorizeTokenOnly: () => assert.fail("EnOS signs every call: its headers are never the token's alone"),
    };
    const URL_ = "https://gw.example.com/api?a=1";
    const token = { value: "tok", obtainedAt: 0, expiresAt: 1 };
    const sign = (msg: Record<string, unknown>) => {
      signed.length = 0;
      applyAuthHeaders(msg, source, token);
      const { method, url, body } = signed[0];
      return { method, url, body };
    };

    it("signs no body for GET (the default method) and HEAD, whatever the payload", () => {
      assert.deepEqual(sign({ url: URL_, payload: { a: 1 } }), { method: "GET", url: URL_, body: "" });
      assert.deepEqual(sign({ url: URL_, method: "head", payload: "x" }), { method: "HEAD", url: URL_, body: "" });
    });

    it("signs an empty body for a POST without payload", () => {
      assert.equal(sign({ url: URL_, method: "POST" }).body, "");
    });

    it("a number payload is sent as its text, with no content type added", () => {
      const msg: Record<string, unknown> = { url: URL_, method: "POST", payload: 5 };
      assert.equal(sign(msg).body, "5");
      assert.equal((msg.headers as Record<string, unknown>)["content-type"], undefined);
    });

    it("an object payload gets the JSON content type beside other headers", () => {
      const msg: Record<string, unknown> = { url: URL_, method: "POST", payload: { a: 1 }, headers: { "x-a": "b" } };
      assert.equal(sign(msg).body, '{"a":1}');
      const signature = sha256Hex(["tok", "a1", '{"a":1}', "0", "s"]);
      assert.deepEqual(msg.headers, {
        "x-a": "b",
        "content-type": "application/json",
        "apim-accesstoken": "tok",
        "apim-timestamp": "0",
        "apim-signature": signature,
      });
    });

    it("needs an absolute http(s) msg.url", () => {
      for (const url of ["ftp://x/?u=https://y", "/api", undefined]) {
        assert.throws(
          () => sign({ url }),
          (err: unknown) => err instanceof TokenError && err.key === "sign-needs-url",
          String(url),
        );
      }
    });
  });

  describe("applyAuthHeaders (custom sign: what the http request node then sends)", () => {
    // The real custom provider over Node-RED's JSONata: its sign sees the message's headers and adds a query entry.
    const provider = bound(
      custom,
      settingsOf({ sign: '{"headers": {"x-seen": $string($headers)}, "query": {"sig": "s"}}', authHeader: "" }),
      credentials,
    );
    const source: AuthSource = {
      provider,
      authorize: (request, token) => provider.authorize({ purpose: "api", ...request }, token?.value, 0),
      authorizeTokenOnly: () => assert.fail("a sign expression signs every call"),
    };
    const token = { value: "tok", obtainedAt: 0, expiresAt: 1 };

    it("msg.url becomes the URL signed (with its query entries); text and number headers are seen, as text", async () => {
      const msg: Record<string, unknown> = {
        url: "https://api.example.com/list?a=1",
        headers: { "x-text": "t", "x-number": 5, "x-object": { o: 1 }, "x-flag": true },
      };
      await applyAuthHeaders(msg, source, token);
      assert.equal(msg.url, "https://api.example.com/list?a=1&sig=s");
      const headers = msg.headers as Record<string, unknown>;
      assert.deepEqual(JSON.parse(String(headers["x-seen"])), { "x-text": "t", "x-number": "5" });
    });

    it("a Buffer payload is signed and sent as those very bytes", async () => {
      const payload = Buffer.from([0xff, 0x00, 0x41]);
      const msg: Record<string, unknown> = { url: "https://api.example.com/up", method: "PUT", payload };
      await applyAuthHeaders(msg, source, token);
      assert.equal(msg.payload, payload);
      assert.equal((msg.headers as Record<string, unknown>)["content-type"], undefined);
    });
  });

  describe("the error Catch nodes get", () => {
    it("is named TokenError, with code and cause only when the error has them", () => {
      const t = (key: string) => key;
      const bare = catchable(new TokenError({ kind: "timeout", vendor: "V", key: "timeout" }), t);
      assert.ok(bare instanceof CatchableError);
      assert.equal(bare.name, "TokenError");
      assert.equal("code" in bare, false);
      assert.equal("cause" in bare, false);
      const full = catchable(
        new TokenError({ kind: "vendor", vendor: "V", key: "vendor-code", code: "7", httpStatus: 400 }),
        t,
      );
      assert.equal((full as unknown as { code: string }).code, "7");
      assert.deepEqual(full.cause, { statusCode: 400 });
      assert.equal(String(full), full.message);
    });

    it("a failure that is no TokenError: an unexpected one of the vendor, its text kept; a TokenError as it is", () => {
      const t = translator({ _: (key: string) => key } as unknown as NodeAPI);
      const unexpected = asTokenError(new Error("socket hang up"), "OneAccess");
      assert.equal(unexpected.key, "unexpected");
      assert.equal(unexpected.localize(t), "OneAccess: unexpected failure: socket hang up");
      assert.equal(asTokenError("a thrown text", "EnOS").localize(t), "EnOS: unexpected failure: a thrown text");
      const own = new TokenError({ kind: "timeout", vendor: "V", key: "timeout" });
      assert.equal(asTokenError(own, "other"), own);
    });
  });

  describe("translator", () => {
    const runtime = (answer: (key: string) => string) => ({ _: answer }) as unknown as NodeAPI;
    it("takes the runtime's text; its key, a namespaced key or nothing fall back to the English catalog", () => {
      const english = "no token yet";
      assert.equal(translator(runtime(() => "noch kein Token"))("access-token.status.idle"), "noch kein Token");
      for (const answer of [
        (key: string) => key,
        (key: string) => `node-red-access-token/access-token:${key}`,
        () => "",
      ]) {
        assert.equal(translator(runtime(answer))("access-token.status.idle"), english);
      }
    });
  });

  describe("expression limits from settings.js", () => {
    const t = translator({ _: (key: string) => key } as unknown as NodeAPI);
    it("unset: the defaults and nothing said; a positive number: that time budget; anything else: said", () => {
      const said: string[] = [];
      const limits = (value: unknown) =>
        expressionLimits(
          value === undefined ? {} : { [EXPRESSION_TIMEOUT_SETTING]: value },
          (text) => said.push(text),
          t,
        );
      assert.deepEqual(limits(undefined), DEFAULT_EXPRESSION_LIMITS);
      assert.deepEqual(limits(250), { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 250 });
      assert.deepEqual(said, []);
      assert.deepEqual(limits(null), DEFAULT_EXPRESSION_LIMITS);
      assert.deepEqual(said, [`${EXPRESSION_TIMEOUT_SETTING} must be a positive number of milliseconds; using 1000`]);
    });
  });

  describe("JSONata evaluation errors", () => {
    const failing = (err: unknown): JsonataUtil => ({
      prepareJSONataExpression: () => ({ assign: () => undefined }),
      evaluateJSONataExpression: (_expression, _input, callback) => callback(err, undefined),
    });
    const message = async (err: unknown) => {
      try {
        await jsonataEvaluator(failing(err), {}).evaluate("x", {}, {});
      } catch (caught) {
        assert.ok(caught instanceof Error);
        return caught.message;
      }
      assert.fail("the evaluation should fail");
    };
    it("become Errors: JSONata's {code, message} as 'code: message', anything else as its text", async () => {
      assert.equal(await message({ code: "T2001", message: "not a number" }), "T2001: not a number");
      assert.equal(await message({ code: 5, message: "no code" }), "no code");
      assert.equal(await message({ message: 5 }), "[object Object]");
      assert.equal(await message("plain"), "plain");
      const original = new Error("as is");
      await assert.rejects(
        jsonataEvaluator(failing(original), {}).evaluate("x", {}, {}),
        (caught) => caught === original,
      );
    });
  });
});
