// The api request node's pure parts as units: its settings from a saved config, the call a message
// makes (method, URL with msg.query, request headers, body bytes), the payload of an answer and the
// error a refused call becomes. The node in a runtime is tested in api-request-node.test.ts.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import type { HttpAnswer } from "../../src/http";
import { planCall, readApiRequestSettings, type ApiRequestSettings } from "../../src/nodes/api-request";
import { apiError, responsePayload } from "../../src/nodes/api-response";
import { markedResponseHeaders } from "../../src/nodes/response-headers";

const BASE = "https://api.example/prefix/";

function settingsOf(config: Record<string, unknown>): ApiRequestSettings {
  return readApiRequestSettings({ id: "n", type: "access-token-request", ...config });
}

/** The config error key a plan throws. */
function refused(settings: ApiRequestSettings, msg: Record<string, unknown>): string {
  try {
    planCall(settings, msg, BASE, "V");
  } catch (err) {
    assert.ok(err instanceof TokenError);
    assert.equal(err.kind, "config");
    return err.key;
  }
  return assert.fail("expected a config error");
}

describe("api request: settings", () => {
  it("defaults: GET, the URL from msg, parsed JSON, retry on, errors to Catch", () => {
    assert.deepEqual(settingsOf({}), { method: "GET", url: "", ret: "obj", retry: true, errors: "catch" });
  });
  it("keeps every valid value, trims the URL", () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "use"])
      assert.equal(settingsOf({ method }).method, method);
    assert.equal(settingsOf({ url: "  /v1/x " }).url, "/v1/x");
    assert.equal(settingsOf({ ret: "txt" }).ret, "txt");
    assert.equal(settingsOf({ ret: "bin" }).ret, "bin");
    assert.equal(settingsOf({ retry: false }).retry, false);
    assert.equal(settingsOf({ errors: "output" }).errors, "output");
  });
  it("anything else falls back to the default", () => {
    assert.deepEqual(settingsOf({ method: "get", url: 5, ret: "json", retry: "false", errors: "Output" }), {
      method: "GET",
      url: "",
      ret: "obj",
      retry: true,
      errors: "catch",
    });
  });
});

describe("api request: the call a message makes", () => {
  const get = settingsOf({ url: "/v1/items" });

  it("a path joins the credentials' URL, its prefix kept; the label is method and path", () => {
    const call = planCall(get, {}, BASE, "V");
    assert.equal(call.url, "https://api.example/prefix/v1/items");
    assert.equal(call.label, "GET /prefix/v1/items");
    assert.equal(call.method, "GET");
    assert.equal(call.body, undefined);
  });

  it("an absolute URL is taken as it is; an empty setting takes msg.url", () => {
    assert.equal(
      planCall(settingsOf({ url: "https://other.example/a?b=1" }), {}, BASE, "V").url,
      "https://other.example/a?b=1",
    );
    assert.equal(planCall(settingsOf({}), { url: " /v2/x " }, BASE, "V").url, "https://api.example/prefix/v2/x");
  });

  it("no URL, or one that does not parse, is a config error", () => {
    assert.equal(refused(settingsOf({}), {}), "api-url");
    assert.equal(refused(settingsOf({}), { url: "   " }), "api-url");
    assert.equal(refused(settingsOf({}), { url: 42 }), "api-url");
    assert.equal(refused(settingsOf({}), { url: "not a url" }), "bad-url");
  });

  it("msg.query is added to the URL's own query, encoded, arrays repeated, null and undefined left out", () => {
    const call = planCall(
      settingsOf({ url: "/v1/items?fixed=1" }),
      { query: { q: "a b&c=d/é", n: 5, on: true, big: 10n, ids: ["x", "y", null], skip: null, gone: undefined } },
      BASE,
      "V",
    );
    const url = new URL(call.url);
    assert.deepEqual(
      [...url.searchParams],
      [
        ["fixed", "1"],
        ["q", "a b&c=d/é"],
        ["n", "5"],
        ["on", "true"],
        ["big", "10"],
        ["ids", "x"],
        ["ids", "y"],
      ],
    );
    assert.ok(call.url.includes("q=a+b%26c%3Dd%2F%C3%A9"), call.url);
    assert.equal(call.label, "GET /prefix/v1/items", "no query value in the label");
  });

  it("msg.query that is no object, or holds an object, is a config error", () => {
    assert.equal(refused(get, { query: "a=1" }), "api-query");
    assert.equal(refused(get, { query: [1] }), "api-query");
    assert.equal(refused(get, { query: { nested: { a: 1 } } }), "api-query");
    assert.equal(refused(get, { query: { list: [{ a: 1 }] } }), "api-query");
    assert.equal(new URL(planCall(get, { query: null }, BASE, "V").url).search, "");
  });

  it("method 'use' takes msg.method in any case; anything else names the methods", () => {
    const use = settingsOf({ method: "use", url: "/v1/items" });
    assert.equal(planCall(use, { method: " patch " }, BASE, "V").method, "PATCH");
    assert.equal(refused(use, {}), "api-method");
    assert.equal(refused(use, { method: "HEAD" }), "api-method");
    assert.equal(refused(use, { method: 1 }), "api-method");
  });

  it("POST, PUT and PATCH send msg.payload: an object as JSON, text and Buffers as they are", () => {
    for (const method of ["POST", "PUT", "PATCH"]) {
      const call = planCall(settingsOf({ method, url: "/v1/items" }), { payload: { a: 1 } }, BASE, "V");
      assert.equal(call.body, '{"a":1}', method);
      assert.equal(call.headers["content-type"], "application/json");
    }
    const post = settingsOf({ method: "POST", url: "/v1/items" });
    assert.equal(planCall(post, { payload: "raw" }, BASE, "V").body, "raw");
    const bytes = Buffer.from([1, 2]);
    assert.equal(planCall(post, { payload: bytes }, BASE, "V").body, bytes);
    assert.equal(planCall(post, { payload: 7 }, BASE, "V").body, "7");
    assert.equal(planCall(post, {}, BASE, "V").body, undefined);
    assert.equal(planCall(post, { payload: null }, BASE, "V").body, undefined);
  });

  it("a form content type sends the object form-encoded", () => {
    const post = settingsOf({ method: "POST", url: "/v1/items" });
    const call = planCall(
      post,
      { payload: { a: "x y", b: "&" }, headers: { "content-type": "application/x-www-form-urlencoded" } },
      BASE,
      "V",
    );
    assert.equal(call.body, "a=x%20y&b=%26");
  });

  it("GET and DELETE send no body, whatever msg.payload holds", () => {
    for (const method of ["GET", "DELETE"])
      assert.equal(planCall(settingsOf({ method, url: "/x" }), { payload: { a: 1 } }, BASE, "V").body, undefined);
  });

  it("a body JSON cannot hold (circular, BigInt) is a config error", () => {
    const post = settingsOf({ method: "POST", url: "/v1/items" });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(refused(post, { payload: circular }), "api-body");
    assert.equal(refused(post, { payload: { n: 1n } }), "api-body");
  });

  it("msg.headers are sent as text; a response's headers left on the message are not", () => {
    const call = planCall(
      get,
      { headers: { "x-n": 5, "x-list": ["a", 1], "x-obj": { a: 1 }, "x-null": null } },
      BASE,
      "V",
    );
    assert.deepEqual(call.headers, { "x-n": "5", "x-list": "a, 1" });
    const marked = markedResponseHeaders({ "content-length": "10", "x-a": "1" });
    assert.deepEqual(planCall(get, { headers: marked }, BASE, "V").headers, {});
    assert.deepEqual(planCall(get, { headers: "x" }, BASE, "V").headers, {});
  });
});

describe("api request: the answer", () => {
  const answer = (status: number, body: string): HttpAnswer => ({ status, headers: {}, body: Buffer.from(body) });

  it("payload per ret: parsed JSON, text, or the bytes", () => {
    assert.deepEqual(responsePayload(answer(200, '{"a":1}'), "obj"), { payload: { a: 1 }, notJson: false });
    assert.deepEqual(responsePayload(answer(200, '{"a":1}'), "txt"), { payload: '{"a":1}', notJson: false });
    const bin = responsePayload(answer(200, "ab"), "bin");
    assert.ok(Buffer.isBuffer(bin.payload) && bin.payload.toString() === "ab");
    assert.deepEqual(responsePayload(answer(200, "<html>"), "obj"), { payload: "<html>", notJson: true });
    assert.deepEqual(
      responsePayload(answer(204, "  "), "obj"),
      { payload: "  ", notJson: false },
      "empty is no JSON error",
    );
  });

  describe("apiError", () => {
    const call = { method: "GET" as const, url: "https://h/x?id=secret", label: "GET /x", headers: {} };
    const mask = (text: string) => text.replaceAll("tok-123", "***");

    it("a vendor code: the code, the HTTP status, the call and the masked text", () => {
      const error = apiError(
        { outcome: "error", code: "101009", text: "acl deny tok-123" },
        answer(200, ""),
        call,
        "V",
        mask,
        false,
      );
      assert.equal(error.key, "api-code");
      assert.equal(error.code, "101009");
      assert.equal(error.httpStatus, 200);
      assert.deepEqual(error.params.answer, "101009, HTTP 200");
      assert.equal(error.params.call, "GET /x");
      assert.equal(error.params.text, "acl deny ***");
    });

    it("masks the vendor's code and the call's path too: either may quote a token", () => {
      const quoted = { ...call, label: "GET /x/tok-123" };
      const error = apiError({ outcome: "error", code: "E tok-123" }, answer(400, ""), quoted, "V", mask, false);
      assert.equal(error.code, "E ***");
      assert.equal(error.params.answer, "E ***, HTTP 400");
      assert.equal(error.params.call, "GET /x/***");
      assert.ok(!error.message.includes("tok-123"), error.message);
    });

    it("an HTTP status alone", () => {
      const error = apiError({ outcome: "error", text: "" }, answer(500, ""), call, "V", mask, false);
      assert.equal(error.key, "api-status");
      assert.equal(error.params.answer, "HTTP 500");
      assert.equal(error.params.text, "");
    });

    it("a refused token: expired before a retry, rejected after one", () => {
      const verdict = { outcome: "token-rejected" as const, code: "101024", text: "expired" };
      assert.equal(apiError(verdict, answer(200, ""), call, "V", mask, false).key, "api-token-expired");
      assert.equal(apiError(verdict, answer(200, ""), call, "V", mask, true).key, "api-token-rejected");
    });

    it("429 and 503 with Retry-After give the wait in whole seconds; another status does not", () => {
      for (const status of [429, 503]) {
        const error = apiError({ outcome: "error", retryAfterMs: 1500 }, answer(status, ""), call, "V", mask, false);
        assert.equal(error.key, "api-rate-limited");
        assert.equal(error.params.wait, 2);
        assert.equal(error.retryAfterMs, 1500);
      }
      assert.equal(
        apiError({ outcome: "error", retryAfterMs: 1500 }, answer(500, ""), call, "V", mask, false).key,
        "api-status",
      );
    });

    it("cuts the vendor's text after masking it, at 200 characters", () => {
      const long = "tok-123" + "x".repeat(300);
      const text = String(
        apiError({ outcome: "error", text: long }, answer(400, ""), call, "V", mask, false).params.text,
      );
      assert.equal(text, `***${"x".repeat(197)}…`);
      const exact = "y".repeat(200);
      assert.equal(
        apiError({ outcome: "error", text: exact }, answer(400, ""), call, "V", mask, false).params.text,
        exact,
      );
    });
  });
});
