// How each provider reads an API call's answer, and the response-header mark that a following
// request node (ours or core's) recognises. Pure units; the node itself is in api-request-node.test.
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  headerHash,
  isResponseHeaders,
  markedResponseHeaders,
  RESPONSE_HEADERS_MARK,
} from "../../src/nodes/response-headers";
import { enos } from "../../src/providers/enos";
import { oneaccess } from "../../src/providers/oneaccess";
import { orionstar } from "../../src/providers/orionstar";
import type { RawResponse } from "../../src/providers/types";
import { nodeRedPath } from "../support/node-red";
import { bound } from "../support/bound";

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

describe("API answers, as each provider reads them", () => {
  it("OrionStar: code 0 is ok, 101024 (HTTP 200) a token no longer valid, any other code an error", () => {
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(200, { code: 0, msg: "", data: {} })), {
      outcome: "ok",
    });
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(200, { code: 101024, msg: "access_token expire" })), {
      outcome: "token-rejected",
      code: "101024",
      text: "access_token expire",
    });
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(200, { code: 101009, msg: "acl deny" })), {
      outcome: "error",
      code: "101009",
      text: "acl deny",
    });
    const gateway = bound(orionstar, "").judgeApiResponse(answer(502, "<html>bad gateway</html>"));
    assert.equal(gateway.outcome, "error");
    assert.equal("code" in gateway ? gateway.code : "none", undefined, "no code from an HTML page");
  });

  it("EnOS: code 1203 or HTTP 401 is a token no longer valid; a non-zero code in a 200 an error", () => {
    assert.equal(
      bound(enos, "").judgeApiResponse(answer(200, { code: 1203, msg: "token expired" })).outcome,
      "token-rejected",
    );
    assert.equal(
      bound(enos, "").judgeApiResponse(answer(401, { code: 401, msg: "invalid access token" })).outcome,
      "token-rejected",
    );
    assert.deepEqual(bound(enos, "").judgeApiResponse(answer(200, { code: 0, data: [] })), { outcome: "ok" });
    const error = bound(enos, "").judgeApiResponse(answer(200, { code: 11404, msg: "asset not found" }));
    assert.deepEqual(error, { outcome: "error", code: "11404", text: "asset not found" });
    // White space around the JSON (a pretty-printing gateway) still has the code read.
    const padded = bound(enos, "").judgeApiResponse(answer(200, '\n  {"code": 1203, "msg": "token expired"}\n'));
    assert.deepEqual(padded, { outcome: "token-rejected", code: "1203", text: "token expired" });
  });

  it("OneAccess (RFC 6750): 401 with or without WWW-Authenticate is a token no longer valid", () => {
    const bearer = { "www-authenticate": 'Bearer error="invalid_token"' };
    assert.equal(
      bound(oneaccess, "").judgeApiResponse(answer(401, { error: "invalid_token" }, bearer)).outcome,
      "token-rejected",
    );
    assert.equal(bound(oneaccess, "").judgeApiResponse(answer(401, "")).outcome, "token-rejected");
    assert.deepEqual(bound(oneaccess, "").judgeApiResponse(answer(401, "", bearer)), {
      outcome: "token-rejected",
      code: "invalid_token",
      text: undefined,
    });
    const told = bound(oneaccess, "").judgeApiResponse(
      answer(401, { error: "invalid_token", error_description: "expired" }),
    );
    assert.deepEqual(told, { outcome: "token-rejected", code: "invalid_token", text: "expired" });
    assert.deepEqual(bound(oneaccess, "").judgeApiResponse(answer(200, { users: [] })), { outcome: "ok" });
    assert.deepEqual(
      bound(oneaccess, "").judgeApiResponse(answer(400, { error_code: "USER.0033", error_msg: "limit bad" })),
      {
        outcome: "error",
        code: "USER.0033",
        text: "limit bad",
        retryAfterMs: undefined,
      },
    );
  });

  it("a code in the body at an HTTP error: the status decides, code 0 is no code; a body that is no JSON has none", () => {
    const error = (code: string | undefined, text: string | undefined) => ({
      outcome: "error",
      code,
      text,
      retryAfterMs: undefined,
    });
    assert.deepEqual(
      bound(orionstar, "").judgeApiResponse(answer(400, { code: 0, msg: "bad request" })),
      error(undefined, "bad request"),
    );
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(500, { code: 7, msg: "m" })), error("7", "m"));
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(400, "{not json")), error(undefined, undefined));
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(399, { code: 0 })), { outcome: "ok" });
    assert.deepEqual(bound(orionstar, "").judgeApiResponse(answer(200, "plain text")), { outcome: "ok" });
    assert.deepEqual(bound(enos, "").judgeApiResponse(answer(200, { code: "12", msg: "x" })), {
      outcome: "error",
      code: "12",
      text: "x",
    });
  });

  it("RFC 6750: an empty error in the challenge is no code; a 400 is an error, not a rejected token", () => {
    const challenge = { "www-authenticate": 'Bearer realm="api", error=""' };
    assert.deepEqual(bound(oneaccess, "").judgeApiResponse(answer(401, "", challenge)), {
      outcome: "token-rejected",
      code: undefined,
      text: undefined,
    });
    const named = { "www-authenticate": 'Bearer error="invalid_token"' };
    assert.deepEqual(bound(oneaccess, "").judgeApiResponse(answer(401, "", named)), {
      outcome: "token-rejected",
      code: "invalid_token",
      text: undefined,
    });
    assert.equal(bound(oneaccess, "").judgeApiResponse(answer(400, "", named)).outcome, "error");
  });

  it("a 429 or 503 carries the vendor's Retry-After", () => {
    for (const adapter of [orionstar, enos, oneaccess]) {
      const verdict = bound(adapter, "").judgeApiResponse(answer(429, "", { "retry-after": "30" }));
      assert.equal(verdict.outcome, "error", adapter.id);
      assert.equal("retryAfterMs" in verdict ? verdict.retryAfterMs : undefined, 30_000, adapter.id);
    }
  });
});

describe("response headers on the message", () => {
  // The core http request node compares the mark with hash-sum over the other headers: ours must agree.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- hash-sum from the Node-RED under test, not a dependency of ours
  const hashSum = require(require.resolve("hash-sum", { paths: [path.dirname(nodeRedPath)] })) as (
    v: unknown,
  ) => string;

  it("hashes headers exactly as hash-sum does", () => {
    const samples: unknown[] = [
      {},
      { "content-type": "application/json", "content-length": "123" },
      { "set-cookie": ["a=1; Path=/", "b=2"], date: "Sat, 28 Nov 2026 05:00:00 GMT", "x-n": "ü€" },
      { nested: { a: [1, 2, { b: null }] }, flag: true, n: 0, u: undefined },
    ];
    for (const sample of samples) assert.equal(headerHash(sample), hashSum(sample), JSON.stringify(sample));
  });

  it("agrees with hash-sum on circular values, dates, empty texts, functions and hashes that need padding", () => {
    const circular: Record<string, unknown> = { a: "1" };
    circular.self = circular;
    circular.list = [circular, { back: circular }];
    const withFunction = Object.assign(() => 1, { tag: "t" });
    const samples: unknown[] = [
      circular,
      { d: new Date(0), e: "", f: [] },
      { n: -1.5, big: 2 ** 40 },
      { u: undefined, z: null, fn: withFunction },
    ];
    // Generated headers: about one hash in sixteen is shorter than 8 hex digits and must be padded.
    for (let i = 0; i < 400; i++) samples.push({ [`x-k${i}`]: "v".repeat(i % 7), n: String(i * 7919) });
    const short = samples.filter((sample) => hashSum(sample).startsWith("0"));
    assert.ok(short.length > 0, "some samples need padding");
    for (const sample of samples) assert.equal(headerHash(sample), hashSum(sample));
  });

  it("tells marked response headers from headers a user set", () => {
    assert.equal(isResponseHeaders(markedResponseHeaders({ a: "1" })), true);
    assert.equal(isResponseHeaders({ a: "1" }), false);
    // Marking again (the same message through two calls) replaces the old mark, not hashes it.
    const twice = markedResponseHeaders({ a: "1", [RESPONSE_HEADERS_MARK]: "stale" });
    assert.equal(twice[RESPONSE_HEADERS_MARK], hashSum({ a: "1" }));
  });

  it("marks the answer's headers so that an unchanged set is recognised, and a changed one is not", () => {
    const marked = markedResponseHeaders({ "content-type": "text/plain", "content-length": "5" });
    const { [RESPONSE_HEADERS_MARK]: mark, ...rest } = marked;
    assert.equal(mark, hashSum(rest));
    assert.notEqual(mark, hashSum({ ...rest, authorization: "Bearer x" }));
  });
});
