// The adapters as pure functions: plain inputs in, requests or tokens or typed errors out.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { TokenError } from "../../src/errors";
import { enos, sortedParams } from "../../src/providers/enos";
import { oneaccess } from "../../src/providers/oneaccess";
import { orionstar } from "../../src/providers/orionstar";
import type { RawResponse, VendorAdapter } from "../../src/providers/types";
import { expressionEvaluator } from "../support/expressions";
import { authHeaders, bound } from "../support/bound";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const json = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

function parseError(adapter: VendorAdapter, response: RawResponse): TokenError {
  try {
    bound(adapter, "", {}).parseToken(response, 0);
  } catch (err) {
    assert.ok(err instanceof TokenError, `expected a TokenError, got ${String(err)}`);
    return err;
  }
  assert.fail("parseToken accepted an invalid response");
}

describe("OrionStar adapter", () => {
  const credentials = { appid: "app-1", secret: "s&cr=t/+" };

  it("builds GET /v1/auth/get_token with appid, secret and grant_type in the query", () => {
    const request = bound(orionstar, "https://global-openapi.orionstar.com/", credentials).tokenRequest(0);
    const url = new URL(request.url);
    assert.equal(request.method, "GET");
    assert.equal(url.origin + url.pathname, "https://global-openapi.orionstar.com/v1/auth/get_token");
    assert.equal(url.searchParams.get("appid"), "app-1");
    assert.equal(url.searchParams.get("secret"), "s&cr=t/+");
    assert.equal(url.searchParams.get("grant_type"), "client_credential");
    assert.equal(request.body, undefined);
    assert.ok(request.secrets.includes("s&cr=t/+"));
  });

  it("keeps a path prefix of the base URL", () => {
    const request = bound(orionstar, "https://gateway.example/orion", credentials).tokenRequest(0);
    assert.ok(request.url.startsWith("https://gateway.example/orion/v1/auth/get_token?"));
  });

  it("parses the documented success body", () => {
    const token = bound(orionstar, "", {}).parseToken(
      json({ code: 0, msg: "", req_id: "r1", data: { access_token: "tok", expire_in: 7200 } }),
      0,
    );
    assert.deepEqual(token, { token: "tok", expiresIn: 7200 });
  });

  it("parses the older generation's ret and string expires_in", () => {
    const token = bound(orionstar, "", {}).parseToken(
      json({ ret: "0", msg: "", data: { access_token: "old", expires_in: "3600" } }),
      0,
    );
    assert.deepEqual(token, { token: "old", expiresIn: 3600 });
  });

  const codes: Array<[number, string, RegExp]> = [
    [101002, "invalid grant_type", /appid, secret or grant_type/],
    [101009, "appid or secret invalid", /appid or secret is not valid/],
    [101009, "acl deny", /may not call this API/],
    [101024, "access_token expire", /msg\.refreshToken/],
    [101025, "client ip 1.2.3.4 deny", /Add this server's public IP to the whitelist/],
    [109999, "something new", /OrionStar error 109999 "something new"/],
  ];
  for (const [code, msg, hint] of codes) {
    it(`names error ${code} (${msg}) with what to do`, () => {
      const error = parseError(orionstar, json({ code, msg, req_id: "req-42" }));
      assert.equal(error.kind, "vendor");
      assert.equal(error.code, String(code));
      assert.equal(error.requestId, "req-42");
      assert.match(error.message, new RegExp(String(code)));
      assert.match(error.message, hint);
      assert.match(error.message, /req-42/);
    });
  }

  it("reports an HTML error page with its HTTP status", () => {
    const error = parseError(orionstar, {
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<html>Bad gateway</html>",
    });
    assert.equal(error.httpStatus, 502);
    assert.match(error.message, /HTTP 502/);
  });

  it("reports a 200 body without code as not a token response", () => {
    const error = parseError(orionstar, json({ data: { access_token: "x", expire_in: 5 } }));
    assert.equal(error.key, "no-code");
  });
});

describe("EnOS adapter", () => {
  const credentials = { appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b", appSecret: "secret-9" };

  it("builds the signed JSON body with a millisecond timestamp", () => {
    const request = bound(enos, "https://apim-ppe1.envisioniot.com", credentials).tokenRequest(1572574909697);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "https://apim-ppe1.envisioniot.com/apim-token-service/v2.0/token/get");
    assert.equal(request.headers["content-type"], "application/json");
    const body = JSON.parse(request.body ?? "");
    assert.deepEqual(body, {
      appKey: credentials.appKey,
      timestamp: 1572574909697,
      encryption: sha256(`${credentials.appKey}1572574909697secret-9`),
    });
    assert.match(body.encryption, /^[0-9a-f]{64}$/);
  });

  it("signs every request afresh: another millisecond, another encryption", () => {
    const first = JSON.parse(bound(enos, "https://x", credentials).tokenRequest(1000).body ?? "");
    const second = JSON.parse(bound(enos, "https://x", credentials).tokenRequest(1001).body ?? "");
    assert.notEqual(first.encryption, second.encryption);
  });

  it("parses status 0 with data.accessToken and data.expire", () => {
    const token = bound(enos, "", {}).parseToken(
      json({ status: 0, msg: "SUCCESS", business: "apim-token-service", data: { accessToken: "a", expire: 7200 } }),
      0,
    );
    assert.deepEqual(token, { token: "a", expiresIn: 7200 });
  });

  for (const code of [1001, 1002, 1003, 1004, 1005, 1202, 1203, 1204]) {
    it(`names token-service status ${code}`, () => {
      const error = parseError(enos, json({ status: code, msg: `m${code}`, business: "apim-token-service" }));
      assert.equal(error.code, String(code));
      assert.match(error.message, new RegExp(`EnOS error ${code} "m${code}"`));
    });
  }

  it("names the gateway's 401 and 403", () => {
    assert.match(parseError(enos, json({}, 401)).message, /invalid credentials/);
    assert.match(parseError(enos, json({}, 403)).message, /IP is not allowed/);
  });

  it("honours Retry-After on 429", () => {
    const error = parseError(enos, { status: 429, headers: { "retry-after": "7" }, body: "" });
    assert.equal(error.retryAfterMs, 7000);
    assert.match(error.message, /429/);
  });

  it("signs an API call as EnOS documents: token + sorted params + body + timestamp + secret", () => {
    const url = "https://apim/connect-service/v2.1/devices?orgId=o%201&action=search&Zeta=%E4%B8%AD";
    const body = '{"pagination":{"pageNo":1,"pageSize":10},"name":"温度"}';
    const headers = authHeaders(bound(enos, "", credentials), "tok", { method: "POST", url, body }, 1700000000123);
    assert.equal(sortedParams(url), "Zeta中actionsearchorgIdo 1");
    assert.deepEqual(headers, {
      "apim-accesstoken": "tok",
      "apim-timestamp": "1700000000123",
      "apim-signature": sha256(`tokZeta中actionsearchorgIdo 1${body}1700000000123secret-9`),
    });
  });
});

describe("OneAccess adapter", () => {
  const credentials = { clientId: "client-1", clientSecret: "p@ss w0rd" };

  it("posts form-encoded client credentials", () => {
    const request = bound(oneaccess, "https://tenant.example.com", credentials).tokenRequest(0);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "https://tenant.example.com/api/v2/tenant/token");
    assert.equal(request.headers["content-type"], "application/x-www-form-urlencoded");
    const form = new URLSearchParams(request.body);
    assert.equal(form.get("client_id"), "client-1");
    assert.equal(form.get("client_secret"), "p@ss w0rd");
    assert.equal(form.get("grant_type"), "client_credentials");
  });

  it("parses the documented success body", () => {
    const body = { access_token: "334140", token_type: "Bearer", expires_in: 1719, scope: "all", id_token: "ey.ey.EL" };
    assert.deepEqual(bound(oneaccess, "", {}).parseToken(json(body), 0), { token: "334140", expiresIn: 1719 });
  });

  it("reads both error shapes", () => {
    const first = parseError(oneaccess, json({ error_code: "USER.0033", error_msg: "param invalid" }, 400));
    assert.equal(first.code, "USER.0033");
    assert.match(first.message, /USER\.0033 "param invalid" \(HTTP 400\)/);
    const second = parseError(
      oneaccess,
      json({ error: "invalid_client", error_description: "Bad client credentials" }, 401),
    );
    assert.equal(second.code, "invalid_client");
    assert.match(second.message, /client ID or client secret is wrong/);
  });
});

describe("token and expiry validation", () => {
  const withToken = (token: unknown, expiresIn: unknown) => json({ access_token: token, expires_in: expiresIn });

  it("refuses an empty or missing token", () => {
    assert.equal(parseError(oneaccess, withToken("", 100)).key, "no-token");
    assert.equal(parseError(oneaccess, withToken(undefined, 100)).key, "no-token");
  });

  it("refuses a token with control characters or spaces: it would go into a header", () => {
    assert.equal(parseError(oneaccess, withToken("abc\r\nX-Injected: 1", 100)).key, "bad-token");
    assert.equal(parseError(oneaccess, withToken("abc def", 100)).key, "bad-token");
  });

  for (const [label, value, key] of [
    ["missing", undefined, "no-expiry"],
    ["zero", 0, "bad-expiry"],
    ["negative", -5, "bad-expiry"],
    ["non-numeric text", "abc", "bad-expiry"],
  ] as const) {
    it(`refuses an expiry that is ${label}`, () => {
      const error = parseError(oneaccess, withToken("t", value));
      assert.equal(error.key, key);
      assert.match(error.message, /expires_in/);
    });
  }

  it("accepts a numeric string and caps an absurdly long lifetime, naming the vendor's value", () => {
    assert.deepEqual(bound(oneaccess, "", {}).parseToken(withToken("t", "1800"), 0), { token: "t", expiresIn: 1800 });
    // A 2-hour lifetime sent in ms: capped at a day, and the value kept for the warning.
    assert.deepEqual(bound(oneaccess, "", {}).parseToken(withToken("t", 7_200_000), 0), {
      token: "t",
      expiresIn: 86_400,
      cappedFrom: 7_200_000,
    });
    assert.deepEqual(bound(oneaccess, "", {}).parseToken(withToken("t", 86_400), 0), { token: "t", expiresIn: 86_400 });
  });

  it("refuses a lifetime under one second with its own error", () => {
    for (const expiry of [0.001, 0.999, "0.5"]) {
      assert.throws(
        () => bound(oneaccess, "", {}).parseToken(withToken("t", expiry), 0),
        (err: TokenError) => err.key === "short-expiry" && /at least 1 s/.test(err.message),
        String(expiry),
      );
    }
    assert.equal(bound(oneaccess, "", {}).parseToken(withToken("t", 1), 0).expiresIn, 1);
  });

  it("reports truncated JSON, an empty body and a JSON array", () => {
    assert.equal(parseError(oneaccess, { status: 200, headers: {}, body: '{"access_token":"ab' }).key, "not-json");
    assert.equal(parseError(oneaccess, { status: 200, headers: {}, body: "" }).key, "empty-body");
    assert.equal(parseError(oneaccess, { status: 200, headers: {}, body: "[1,2]" }).key, "wrong-shape");
  });
});

describe("accounts of the vendor adapters", () => {
  const cases: Array<[string, (url: string, id: string) => string]> = [
    ["OrionStar", (url, id) => bound(orionstar, url, { appid: id, secret: "s" }).accountId],
    ["EnOS", (url, id) => bound(enos, url, { appKey: id, appSecret: "s" }).accountId],
    ["OneAccess", (url, id) => bound(oneaccess, url, { clientId: id, clientSecret: "s" }).accountId],
  ];
  for (const [vendor, accountId] of cases) {
    it(`${vendor}: another client id or another base URL is another account; a trailing slash is not`, () => {
      const a = accountId("https://vendor.example", "client-a");
      assert.notEqual(a, accountId("https://vendor.example", "client-b"));
      assert.notEqual(a, accountId("https://other.example", "client-a"));
      assert.equal(a, accountId("https://vendor.example/", "client-a"));
    });
  }
});

describe("the vendor adapters' base URL setting", () => {
  const readers: Array<[string, (config: Record<string, unknown>) => string]> = [
    ["OrionStar", (config) => orionstar.settings(config, expressionEvaluator)],
    ["EnOS", (config) => enos.settings(config, expressionEvaluator)],
    ["OneAccess", (config) => oneaccess.settings(config, expressionEvaluator)],
  ];
  for (const [vendor, read] of readers) {
    it(`${vendor}: trimmed, and a missing or blank one is a config error naming baseUrl`, () => {
      assert.equal(read({ baseUrl: "  https://vendor.example/api  " }), "https://vendor.example/api");
      for (const config of [{}, { baseUrl: "   " }, { baseUrl: 42 }]) {
        let error: unknown;
        try {
          read(config);
        } catch (err) {
          error = err;
        }
        assert.ok(error instanceof TokenError, JSON.stringify(config));
        assert.equal(error.kind, "config");
        assert.equal(error.key, "missing-field");
        assert.equal(error.params.field, "baseUrl");
      }
    });
  }
});
