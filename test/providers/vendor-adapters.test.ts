// OrionStar, EnOS and OneAccess rule by rule, past the documented walk of providers.test.ts: the
// request's secrets and headers, the edges of each error shape, the form and the account.
import assert from "node:assert/strict";
import { type TokenError } from "../../src/errors";
import { enos, sha256Hex, sortedParams } from "../../src/providers/enos";
import { oneaccess } from "../../src/providers/oneaccess";
import { orionstar } from "../../src/providers/orionstar";
import type { RawResponse, VendorAdapter } from "../../src/providers/types";
import { thrown } from "../support/token-errors";
import { authHeaders, bound } from "../support/bound";

/** Every provider's further API origins (the dialog property, src/providers/url.ts). */
const API_HOSTS = { name: "apiHosts", input: { kind: "text" }, default: "", required: false };

const answer = (body: unknown, status = 200, headers: RawResponse["headers"] = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const parseError = (adapter: VendorAdapter, response: RawResponse): TokenError =>
  thrown(() => bound(adapter, "", {}).parseToken(response, 0));

/** The fields of an error a test compares at once. */
const shape = (error: TokenError) => ({
  kind: error.kind,
  key: error.key,
  code: error.code,
  httpStatus: error.httpStatus,
  msg: error.params.msg,
});

describe("OrionStar adapter, rule by rule", () => {
  const credentials = { appid: "app 1", secret: "s&c=t" };

  it("the request: Accept JSON, no body; the secret and the whole query string are secret", () => {
    const request = bound(orionstar, "https://o.example", credentials).tokenRequest(0);
    assert.deepEqual(request.headers, { accept: "application/json" });
    const query = "appid=app+1&secret=s%26c%3Dt&grant_type=client_credential";
    assert.equal(request.url, `https://o.example/v1/auth/get_token?${query}`);
    assert.deepEqual(request.secrets, ["s&c=t", query]);
    const empty = bound(orionstar, "https://o.example", {}).tokenRequest(0);
    assert.equal(new URL(empty.url).searchParams.get("appid"), "");
    assert.deepEqual(empty.secrets, ["", "appid=&secret=&grant_type=client_credential"]);
  });

  it("code 0 as a number or text succeeds; `code` wins over the older `ret`", () => {
    const data = { access_token: "t", expire_in: 60 };
    assert.equal(bound(orionstar, "", {}).parseToken(answer({ code: "0", data }), 0).token, "t");
    assert.equal(bound(orionstar, "", {}).parseToken(answer({ code: 0, ret: 101009, data }), 0).token, "t");
    const older = parseError(orionstar, answer({ ret: 101009, msg: "bad" }));
    assert.deepEqual(shape(older), {
      kind: "vendor",
      key: "orionstar.101009",
      code: "101009",
      httpStatus: 200,
      msg: "bad",
    });
  });

  it("the ACL variant of 101009 is told by 'acl' or 'corp' in the message, any case", () => {
    for (const msg of ["ACL deny", "corp not allowed", "Corp"]) {
      assert.equal(parseError(orionstar, answer({ code: 101009, msg })).key, "orionstar.101009-acl", msg);
    }
    const bare = parseError(orionstar, answer({ code: 101009 }));
    assert.deepEqual([bare.key, bare.params.msg], ["orionstar.101009", ""], "no msg: an empty text");
    assert.equal(parseError(orionstar, answer({ code: 101002, msg: "acl" })).key, "orionstar.101002");
    assert.equal(parseError(orionstar, answer({ code: 1, msg: "x" })).key, "vendor-code");
  });

  it("429 and 5xx are HTTP errors carrying the code and request id; a 4xx with code 0 is an HTTP error", () => {
    const limited = parseError(orionstar, answer({ code: 101025, req_id: "r9" }, 429, { "retry-after": "2" }));
    assert.deepEqual(
      [limited.kind, limited.key, limited.code, limited.requestId, limited.retryAfterMs],
      ["http", "rate-limited", "101025", "r9", 2000],
    );
    const down = parseError(orionstar, answer({ code: 0, req_id: "r8" }, 503));
    assert.deepEqual([down.kind, down.key, down.requestId], ["http", "server-error", "r8"]);
    const refused = parseError(orionstar, answer({ code: 0, req_id: "r7" }, 404));
    assert.deepEqual(
      [refused.kind, refused.key, refused.httpStatus, refused.requestId],
      ["http", "http-status", 404, "r7"],
    );
    const vendor = parseError(orionstar, answer({ code: 101002, msg: "m" }, 400));
    assert.deepEqual([vendor.kind, vendor.httpStatus], ["vendor", 400], "a 4xx with a code is the vendor's answer");
  });

  it("no code at all: 'no-code' naming the field, with the request id; a missing data names data.access_token", () => {
    const error = parseError(orionstar, answer({ req_id: "r1" }));
    assert.deepEqual(
      [error.kind, error.key, error.params.field, error.requestId, error.httpStatus],
      ["response", "no-code", "code", "r1", 200],
    );
    const noData = parseError(orionstar, answer({ code: 0, req_id: "r2" }));
    assert.deepEqual([noData.key, noData.params.field, noData.requestId], ["no-token", "data.access_token", "r2"]);
    const noExpiry = parseError(orionstar, answer({ code: 0, data: { access_token: "t" } }));
    assert.deepEqual([noExpiry.key, noExpiry.params.field], ["no-expiry", "data.expire_in"]);
    assert.equal(
      bound(orionstar, "", {}).parseToken(
        answer({ code: 0, data: { access_token: "t", expire_in: 30, expires_in: 99 } }),
        0,
      ).expiresIn,
      30,
    );
  });

  it("API answers: 101024 is a rejected token, other codes errors, code 0 ok", () => {
    assert.equal(
      bound(orionstar, "").judgeApiResponse(answer({ code: 101024, msg: "access_token expire" })).outcome,
      "token-rejected",
    );
    assert.equal(bound(orionstar, "").judgeApiResponse(answer({ code: 101002 })).outcome, "error");
    assert.equal(bound(orionstar, "").judgeApiResponse(answer({ code: 0 })).outcome, "ok");
    assert.deepEqual(authHeaders(bound(orionstar, "", credentials), "tok", undefined, 0), {
      Authorization: "Bearer tok",
    });
  });

  it("form and account: the four regional hosts, Europe by default; base URL without trailing slash", () => {
    assert.deepEqual(orionstar.form, {
      urlProperty: "baseUrl",
      apiUrlProperty: "baseUrl",
      defaultBaseUrl: "https://global-openapi.orionstar.com",
      regions: {
        china: "https://openapi.orionstar.com",
        europe: "https://global-openapi.orionstar.com",
        usa: "https://us-openapi.orionstar.com",
        japan: "https://jp-openapi.orionstar.com",
      },
      properties: [API_HOSTS],
    });
    assert.deepEqual(
      [orionstar.credentialFields, orionstar.secretFields, orionstar.signsApiCalls],
      [["appid", "secret"], ["secret"], false],
    );
    assert.deepEqual(orionstar.hints, [
      "orionstar.101002",
      "orionstar.101009",
      "orionstar.101009-acl",
      "orionstar.101024",
      "orionstar.101025",
    ]);
    assert.equal(bound(orionstar, "https://o.example/", credentials).accountId, "orionstar https://o.example app 1");
    assert.equal(bound(orionstar, "https://o.example", {}).accountId, "orionstar https://o.example ");
  });
});

describe("EnOS adapter, rule by rule", () => {
  const credentials = { appKey: "key-1", appSecret: "sec&ret" };

  it("the request: JSON both ways, the secret redacted; a fractional clock is whole milliseconds", () => {
    const request = bound(enos, "https://e.example/", credentials).tokenRequest(1000.9);
    assert.deepEqual(request.headers, { "content-type": "application/json", accept: "application/json" });
    assert.deepEqual(request.secrets, ["sec&ret"]);
    assert.equal(request.url, "https://e.example/apim-token-service/v2.0/token/get");
    const body = JSON.parse(request.body!) as Record<string, unknown>;
    assert.equal(body.timestamp, 1000);
    assert.equal(body.encryption, sha256Hex(["key-11000sec&ret"]));
    const empty = JSON.parse(bound(enos, "https://e.example", {}).tokenRequest(5).body!) as Record<string, unknown>;
    assert.deepEqual(empty, { appKey: "", encryption: sha256Hex(["5"]), timestamp: 5 });
  });

  it("sha256Hex hashes the parts as one text; sortedParams orders by name, code unit order", () => {
    assert.equal(sha256Hex(["ab", "c"]), sha256Hex(["abc"]));
    assert.equal(sha256Hex([new TextEncoder().encode("abc")]), sha256Hex(["abc"]));
    assert.equal(sortedParams("https://x/p?b=2&a=1&B=3&a=0"), "B3a1a0b2");
    assert.equal(sortedParams("https://x/p"), "");
  });

  it("a non-200 without a hint of its own is an HTTP error with Retry-After; 401 and 403 have their hints", () => {
    const unavailable = parseError(enos, answer({ status: 0 }, 503, { "retry-after": "4" }));
    assert.deepEqual([unavailable.kind, unavailable.key, unavailable.retryAfterMs], ["http", "server-error", 4000]);
    const notFound = parseError(enos, answer("", 404));
    assert.deepEqual([notFound.kind, notFound.key, notFound.httpStatus], ["http", "http-status", 404]);
    const denied = parseError(enos, answer({}, 401));
    assert.deepEqual([denied.kind, denied.key, denied.httpStatus], ["http", "enos.http401", 401]);
    assert.equal(parseError(enos, answer({}, 403)).key, "enos.http403");
  });

  it("status: absent is 'no-code' naming status; unknown codes are vendor-code with the message or ''", () => {
    const none = parseError(enos, answer({ msg: "x" }));
    assert.deepEqual([none.kind, none.key, none.params.field, none.httpStatus], ["response", "no-code", "status", 200]);
    assert.deepEqual(shape(parseError(enos, answer({ status: 77 }))), {
      kind: "vendor",
      key: "vendor-code",
      code: "77",
      httpStatus: 200,
      msg: "",
    });
    assert.equal(parseError(enos, answer({ status: "1203", msg: " expired " })).params.msg, "expired");
    assert.equal(parseError(enos, answer({ status: 1203 })).key, "enos.1203");
    assert.equal(
      bound(enos, "", {}).parseToken(answer({ status: "0", data: { accessToken: "a", expire: "60" } }), 0).expiresIn,
      60,
    );
    const noData = parseError(enos, answer({ status: 0 }));
    assert.deepEqual([noData.key, noData.params.field], ["no-token", "data.accessToken"]);
    const noExpiry = parseError(enos, answer({ status: 0, data: { accessToken: "a" } }));
    assert.equal(noExpiry.params.field, "data.expire");
    assert.equal(parseError(enos, answer("<html></html>")).key, "html");
  });

  it("API calls: a GET signs an empty body; 1203 or HTTP 401 is a rejected token", () => {
    const url = "https://e.example/api?b=1&a=2";
    const headers = authHeaders(bound(enos, "", credentials), "tok", { method: "GET", url }, 42.7);
    assert.deepEqual(headers, {
      "apim-accesstoken": "tok",
      "apim-timestamp": "42",
      "apim-signature": sha256Hex(["toka2b142sec&ret"]),
    });
    assert.equal(
      authHeaders(bound(enos, "", {}), "tok", { method: "GET", url }, 1)["apim-signature"],
      sha256Hex(["toka2b11"]),
    );
    assert.equal(bound(enos, "").judgeApiResponse(answer({ code: 1203 })).outcome, "token-rejected");
    assert.equal(bound(enos, "").judgeApiResponse(answer("", 401)).outcome, "token-rejected");
    assert.equal(bound(enos, "").judgeApiResponse(answer({ code: 1202 })).outcome, "error");
    assert.equal(bound(enos, "").judgeApiResponse(answer({ code: 0, data: [] })).outcome, "ok");
  });

  it("form and account", () => {
    assert.deepEqual(enos.form, {
      urlProperty: "baseUrl",
      apiUrlProperty: "baseUrl",
      defaultBaseUrl: "",
      properties: [API_HOSTS],
    });
    assert.deepEqual(
      [enos.credentialFields, enos.secretFields, enos.signsApiCalls],
      [["appKey", "appSecret"], ["appSecret"], true],
    );
    assert.deepEqual(
      enos.hints,
      ["1001", "1002", "1003", "1004", "1005", "1202", "1203", "1204", "http401", "http403"].map(
        (code) => `enos.${code}`,
      ),
    );
    assert.equal(bound(enos, "https://e.example/", credentials).accountId, "enos https://e.example key-1");
    assert.equal(bound(enos, "https://e.example", {}).accountId, "enos https://e.example ");
  });
});

describe("OneAccess adapter, rule by rule", () => {
  const credentials = { clientId: "c 1", clientSecret: "p&s" };

  it("the request: form both ways; the secret and the whole body are secret", () => {
    const request = bound(oneaccess, "https://t.example/", credentials).tokenRequest(0);
    assert.deepEqual(request.headers, {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    });
    assert.equal(request.body, "client_id=c+1&client_secret=p%26s&grant_type=client_credentials");
    assert.deepEqual(request.secrets, ["p&s", request.body]);
    assert.equal(
      bound(oneaccess, "https://t.example", {}).tokenRequest(0).body,
      "client_id=&client_secret=&grant_type=client_credentials",
    );
  });

  it("codes: USER.<digits> share one hint, OAuth2 codes their own, others vendor-code; error_code wins over error", () => {
    const user = parseError(oneaccess, answer({ error_code: "USER.0001", error_msg: " bad " }, 400));
    assert.deepEqual(shape(user), {
      kind: "vendor",
      key: "oneaccess.user-error",
      code: "USER.0001",
      httpStatus: 400,
      msg: "bad",
    });
    assert.equal(parseError(oneaccess, answer({ error_code: "USER.x" }, 400)).key, "vendor-code");
    assert.equal(parseError(oneaccess, answer({ error_code: "xUSER.1" }, 400)).key, "vendor-code");
    assert.equal(parseError(oneaccess, answer({ error_code: "USER.1x" }, 400)).key, "vendor-code");
    for (const code of ["invalid_client", "unsupported_grant_type", "invalid_request", "invalid_token"]) {
      assert.equal(parseError(oneaccess, answer({ error: code }, 400)).key, `oneaccess.${code}`);
    }
    const both = parseError(
      oneaccess,
      answer({ error_code: "USER.1", error: "invalid_client", error_description: "d" }, 400),
    );
    assert.deepEqual([both.code, both.params.msg], ["USER.1", "d"]);
    const bare = parseError(oneaccess, answer({ error: "other" }, 400));
    assert.deepEqual([bare.key, bare.params.msg], ["vendor-code", ""]);
    const at200 = parseError(oneaccess, answer({ error: "invalid_request", access_token: "t", expires_in: 5 }));
    assert.equal(at200.kind, "vendor");
  });

  it("429 and 5xx are HTTP errors with the code; a non-200 without code is an HTTP error", () => {
    const limited = parseError(oneaccess, answer({ error_code: "USER.1" }, 429));
    assert.deepEqual([limited.kind, limited.key, limited.code], ["http", "rate-limited", "USER.1"]);
    const created = parseError(oneaccess, answer({ access_token: "t", expires_in: 5 }, 201));
    assert.deepEqual([created.kind, created.key, created.httpStatus], ["http", "http-status", 201]);
    const noToken = parseError(oneaccess, answer({ expires_in: 5 }));
    assert.deepEqual([noToken.key, noToken.params.field], ["no-token", "access_token"]);
    const noExpiry = parseError(oneaccess, answer({ access_token: "t" }));
    assert.deepEqual([noExpiry.key, noExpiry.params.field], ["no-expiry", "expires_in"]);
  });

  it("form, account and API answers", () => {
    assert.deepEqual(oneaccess.form, {
      urlProperty: "baseUrl",
      apiUrlProperty: "baseUrl",
      defaultBaseUrl: "",
      properties: [API_HOSTS],
    });
    assert.deepEqual(
      [oneaccess.credentialFields, oneaccess.secretFields, oneaccess.signsApiCalls],
      [["clientId", "clientSecret"], ["clientSecret"], false],
    );
    assert.deepEqual(
      oneaccess.hints,
      ["invalid_client", "unsupported_grant_type", "invalid_request", "invalid_token", "user-error"].map(
        (code) => `oneaccess.${code}`,
      ),
    );
    assert.equal(bound(oneaccess, "https://t.example/", credentials).accountId, "oneaccess https://t.example c 1");
    assert.equal(bound(oneaccess, "https://t.example", {}).accountId, "oneaccess https://t.example ");
    assert.equal(bound(oneaccess, "").judgeApiResponse(answer({}, 401)).outcome, "token-rejected");
  });
});
