// The adapters' shared response checks as pure units: what counts as JSON, a code, a text, a
// believable expiry, a usable token, a Retry-After.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import {
  asRecord,
  codeOf,
  isTransientStatus,
  parseJsonObject,
  parseRetryAfter,
  textOf,
  validToken,
} from "../../src/providers/parse";
import type { RawResponse } from "../../src/providers/types";
import { MAX_LIFETIME_MS } from "../../src/token";

const MAX_LIFETIME_SECONDS = MAX_LIFETIME_MS / 1000;

const response = (body: string, headers: RawResponse["headers"] = {}, status = 200): RawResponse => ({
  status,
  headers,
  body,
});
const FIELDS = { token: "data.token", expiry: "data.expires" };

function keyOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    assert.ok(err instanceof TokenError, String(err));
    return err.key;
  }
  assert.fail("expected a TokenError");
}

describe("response checks (providers/parse)", () => {
  it("asRecord takes plain objects only", () => {
    const object = { a: 1 };
    assert.equal(asRecord(object), object);
    for (const value of [null, undefined, [], "text", 3, true]) assert.equal(asRecord(value), undefined);
  });

  it("codeOf reads finite numbers and non-blank strings, trimmed", () => {
    assert.equal(codeOf(5), "5");
    assert.equal(codeOf(0), "0");
    assert.equal(codeOf(" 101009 "), "101009");
    for (const value of [NaN, Infinity, "", "   ", true, null, undefined, {}]) assert.equal(codeOf(value), undefined);
  });

  it("textOf reads non-blank strings, trimmed", () => {
    assert.equal(textOf("  bad secret  "), "bad secret");
    for (const value of ["", "  ", 3, null, undefined]) assert.equal(textOf(value), undefined);
  });

  it("isTransientStatus: 429 and 5xx only", () => {
    assert.deepEqual([429, 500, 503, 599, 400, 404, 499, 200].map(isTransientStatus), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it("parseRetryAfter reads delay-seconds and HTTP dates", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter("", now), undefined);
    assert.equal(parseRetryAfter(" 7 ", now), 7000);
    assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000);
    assert.equal(parseRetryAfter(new Date(now - 5000).toUTCString(), now), 0);
    for (const value of ["7s", "x7", "soon"]) assert.equal(parseRetryAfter(value, now), undefined, value);
  });

  it("parseJsonObject: HTML (by body or content type), empty, not JSON, not an object", () => {
    assert.deepEqual(parseJsonObject("V", response('  {"a":1}  ')), { a: 1 });
    assert.equal(
      keyOf(() => parseJsonObject("V", response("  <html>down</html>"))),
      "html",
    );
    assert.equal(
      keyOf(() => parseJsonObject("V", response('{"a":1}', { "content-type": "text/HTML" }))),
      "html",
    );
    assert.equal(
      keyOf(() => parseJsonObject("V", response("   "))),
      "empty-body",
    );
    assert.equal(
      keyOf(() => parseJsonObject("V", response("{"))),
      "not-json",
    );
    for (const body of ["null", "[]", '"text"', "3"])
      assert.equal(
        keyOf(() => parseJsonObject("V", response(body))),
        "wrong-shape",
        body,
      );
  });

  it("validToken: a header-safe token of at most 8 KiB, and a positive expiry capped at a day", () => {
    const ok = response("{}");
    assert.deepEqual(validToken("V", ok, "abc", 30, FIELDS), { token: "abc", expiresIn: 30 });
    assert.deepEqual(validToken("V", ok, "abc", " 30.5 ", FIELDS), { token: "abc", expiresIn: 30.5 });
    assert.equal(validToken("V", ok, "abc", 1e9, FIELDS).expiresIn, MAX_LIFETIME_SECONDS);
    assert.equal(validToken("V", ok, "x".repeat(8192), 30, FIELDS).token.length, 8192);
    assert.equal(
      keyOf(() => validToken("V", ok, "x".repeat(8193), 30, FIELDS)),
      "bad-token",
    );
    assert.equal(
      keyOf(() => validToken("V", ok, "  ", 30, FIELDS)),
      "no-token",
    );
    assert.equal(
      keyOf(() => validToken("V", ok, " abc", 30, FIELDS)),
      "bad-token",
    );
    assert.equal(
      keyOf(() => validToken("V", ok, "a\tb", 30, FIELDS)),
      "bad-token",
    );
    // Both name the field the token was read from, as the vendor names it.
    for (const token of ["", "a b"]) {
      assert.throws(
        () => validToken("V", ok, token, 30, FIELDS),
        (err: unknown) => err instanceof TokenError && err.params.field === "data.token",
      );
    }
    assert.equal(
      keyOf(() => validToken("V", ok, "abc", null, FIELDS)),
      "no-expiry",
    );
    assert.equal(
      keyOf(() => validToken("V", ok, "abc", 0, FIELDS)),
      "bad-expiry",
    );
    assert.equal(
      keyOf(() => validToken("V", ok, "abc", "30s", FIELDS)),
      "bad-expiry",
    );
    assert.throws(
      () => validToken("V", ok, "", 30, FIELDS),
      (err: TokenError) => err.params.field === "data.token",
    );
  });

  it("validToken: a numeric text is whole digits with an optional fraction, nothing else", () => {
    const ok = response("{}");
    assert.equal(validToken("V", ok, "abc", "1.25", FIELDS).expiresIn, 1.25);
    for (const text of ["1e3", "0x10", "+60", "x60", "60x", "", " "]) {
      assert.equal(
        keyOf(() => validToken("V", ok, "abc", text, FIELDS)),
        "bad-expiry",
        JSON.stringify(text),
      );
    }
    assert.throws(
      () => validToken("V", ok, "abc", "1e3", FIELDS),
      (err: TokenError) => err.params.field === "data.expires" && err.params.value === '"1e3"',
    );
  });

  it("validToken: a huge expiry (a number or whole digits) is capped at a day, its value kept for the warning", () => {
    const ok = response("{}");
    assert.deepEqual(validToken("V", ok, "abc", 1.8e306, FIELDS), {
      token: "abc",
      expiresIn: 86_400,
      cappedFrom: 1.8e306,
    });
    const digits = `18${"0".repeat(305)}`;
    assert.deepEqual(validToken("V", ok, "abc", digits, FIELDS), {
      token: "abc",
      expiresIn: 86_400,
      cappedFrom: 1.8e306,
    });
  });

  it("validToken: under a second is its own error naming the field and the vendor's value", () => {
    assert.throws(
      () => validToken("V", response("{}", {}, 201), "abc", 0.5, FIELDS, "req-1"),
      (err: TokenError) =>
        err.key === "short-expiry" &&
        err.params.field === "data.expires" &&
        err.params.value === "0.5" &&
        err.httpStatus === 201 &&
        err.requestId === "req-1" &&
        err.kind === "response",
    );
  });

  it("parseJsonObject: a body without a content type is still read", () => {
    assert.deepEqual(parseJsonObject("V", response('{"a":1}')), { a: 1 });
    assert.equal(
      keyOf(() => parseJsonObject("V", response("<p>", { "content-type": "" }))),
      "html",
    );
  });
});
