// The one error type (errors.ts): what it carries, its message in English and in the runtime's
// language, the request id appended, and quoted values cut at 40 characters in the text only
// (the params keep them whole, so redaction masks a whole secret before any cut).
import assert from "node:assert/strict";
import { MAX_QUOTE_LENGTH, TokenError, type TokenErrorDetails } from "../src/errors";
import type { MessageParams } from "../src/messages";

describe("TokenError", () => {
  const details: TokenErrorDetails = {
    kind: "http",
    vendor: "OrionStar",
    key: "http-status",
    httpStatus: 503,
    code: "E42",
    requestId: "req-7",
    retryAfterMs: 2_000,
    params: { host: "api.example" },
  };

  it("carries what a user needs to act, and what it was made from", () => {
    const error = new TokenError(details);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "TokenError");
    assert.equal(error.kind, "http");
    assert.equal(error.vendor, "OrionStar");
    assert.equal(error.key, "http-status");
    assert.equal(error.httpStatus, 503);
    assert.equal(error.code, "E42");
    assert.equal(error.requestId, "req-7");
    assert.equal(error.retryAfterMs, 2_000);
    assert.deepEqual(error.params, { vendor: "OrionStar", status: 503, code: "E42", host: "api.example" });
    assert.equal(error.details, details);
    assert.equal(error.cause, undefined, "no cause: it could hold a secret");
  });

  it("names the request id after the text, and only when there is one", () => {
    const withId = new TokenError(details);
    assert.match(withId.message, /^OrionStar\b.*503.* \(request id req-7\)$/);
    const withoutId = new TokenError({ ...details, requestId: undefined });
    assert.equal(withId.message, `${withoutId.message} (request id req-7)`);
    assert.doesNotMatch(withoutId.message, /request id/);
  });

  it("localizes with the runtime's catalog: the same keys and params, the request id through it too", () => {
    const asked: Array<[string, MessageParams]> = [];
    const translate = (key: string, params: MessageParams) => {
      asked.push([key, params]);
      return `<${key}>`;
    };
    assert.equal(new TokenError(details).localize(translate), "<errors.http-status> <errors.request-id>");
    assert.deepEqual(asked, [
      ["errors.http-status", { vendor: "OrionStar", status: 503, code: "E42", host: "api.example" }],
      ["errors.request-id", { requestId: "req-7" }],
    ]);
    asked.length = 0;
    assert.equal(new TokenError({ ...details, requestId: undefined }).localize(translate), "<errors.http-status>");
    assert.equal(asked.length, 1);
  });

  it("cuts a quoted value or type past 40 characters in the text only, and nothing else", () => {
    const long = "v".repeat(MAX_QUOTE_LENGTH + 1);
    const edge = "e".repeat(MAX_QUOTE_LENGTH);
    const error = new TokenError({
      kind: "response",
      vendor: "V",
      key: "bad-token-type",
      httpStatus: 200,
      params: { type: long, value: edge, field: long },
    });
    const seen: MessageParams[] = [];
    error.localize((_key, params) => (seen.push(params), ""));
    assert.equal(MAX_QUOTE_LENGTH, 40);
    assert.deepEqual(seen[0], {
      vendor: "V",
      status: 200,
      code: undefined,
      type: `${long.slice(0, 40)}…`,
      value: edge,
      field: long,
    });
    assert.equal(error.params.type, long, "the params keep the whole value");
    assert.ok(error.message.includes(`token_type ${"v".repeat(40)}…`), error.message);

    const value = new TokenError({ kind: "config", vendor: "V", key: "bad-setting", params: { value: long, type: 7 } });
    assert.ok(value.message.includes(`the value ${"v".repeat(40)}… of`), value.message);
    assert.deepEqual(
      (() => {
        let params: MessageParams = {};
        value.localize((_key, given) => ((params = given), ""));
        return params.type;
      })(),
      7,
      "a number is quoted as it is",
    );
  });
});
