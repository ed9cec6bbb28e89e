// The custom provider's sign step on its own, over Node-RED's own JSONata: what it sees of a
// request ($purpose, $method, $url, $path, $query, $body, $headers, $token, one stamp per request),
// what it may add (headers replacing any case, query entries, body fields merged into a form or
// JSON body), and EnOS written as a custom provider signing exactly as the built-in adapter does.
import assert from "node:assert/strict";
import { custom } from "../../src/providers/custom";
import { enos } from "../../src/providers/enos";
import type { VendorRequest } from "../../src/providers/types";
import { apiRequest, bound } from "../support/bound";
import { credentials, rejection, settingsOf } from "../support/custom-adapter";

/** EnOS's per-call signature (docs/vendors/enos.md) as a sign expression. */
const ENOS_SIGN = `$purpose = "api" ? (
  $params := $join($map($sort($keys($query)), function($k) { $k & $lookup($query, $k) }), "");
  {"headers": {
    "apim-accesstoken": $token,
    "apim-timestamp": $string($timestamp),
    "apim-signature": $sha256($token & $params & $body & $string($timestamp) & $secret)
  }}
)`;

async function signed(extra: Record<string, unknown>, request: VendorRequest, token?: string) {
  const provider = bound(custom, settingsOf(extra), credentials);
  return provider.authorize(request, token, 1_700_000_000_123.9);
}

describe("custom provider: sign", () => {
  it("EnOS written with sign gives the built-in adapter's headers for the same call and time", async () => {
    const now = 1_572_574_909_697;
    for (const call of [
      { method: "GET", url: "https://e.example/asset-service/v2.1/assets?orgId=o1&assetIds=a1,a2&action=get" },
      { method: "POST", url: "https://e.example/connect-service/v2.1/devices?action=search", body: '{"a":1}' },
    ]) {
      const appCredentials = { appKey: credentials.key, appSecret: credentials.secret };
      const builtIn = bound(enos, "https://e.example", appCredentials).authorize(apiRequest(call), "tok-1", now);
      const written = bound(custom, settingsOf({ sign: ENOS_SIGN, authHeader: "" }), credentials);
      const sent = await written.authorize(apiRequest(call), "tok-1", now);
      assert.deepEqual(sent.headers, builtIn.headers, call.method);
      assert.equal(sent.url, call.url);
      assert.equal(sent.body, call.body);
    }
  });

  it("sees the request as it would be sent: purpose, method, URL, path, query, body, headers, token", async () => {
    const request: VendorRequest = {
      purpose: "api",
      method: "post",
      url: "https://iot.example.com/v1/items?b=2&a=1&a=3&sp=x%20y",
      headers: { "X-Trace": "t-1", "Content-Type": "application/json" },
      body: '{"n":1}',
    };
    const sent = await signed(
      {
        authValue: "",
        sign: '{"headers": {"x-seen": $string([$purpose, $method, $url, $path, $query, $body, $headers, $token])}}',
      },
      request,
      "tok-9",
    );
    const seen = JSON.parse(sent.headers["x-seen"]) as unknown[];
    assert.deepEqual(seen, [
      "api",
      "POST",
      "https://iot.example.com/v1/items?b=2&a=1&a=3&sp=x%20y",
      "/v1/items",
      { b: "2", a: ["1", "3"], sp: "x y" },
      '{"n":1}',
      { "x-trace": "t-1", "content-type": "application/json", authorization: "Bearer tok-9" },
      "tok-9",
    ]);
  });

  it("a token request's sign uses the $timestamp and $nonce its request expression used, and $token is empty", async () => {
    const provider = bound(
      custom,
      settingsOf({
        request: '{"headers": {"x-stamp": $string($timestamp) & "/" & $nonce}}',
        sign: '{"headers": {"x-signed": $string($timestamp) & "/" & $nonce & "/" & $token & "/" & $purpose}}',
      }),
      credentials,
    );
    const request = await provider.tokenRequest(1234.5);
    const sent = await provider.authorize({ purpose: "token", ...request }, undefined, 99_999);
    assert.equal(sent.headers["x-signed"], `${sent.headers["x-stamp"]}//token`);
    assert.match(sent.headers["x-stamp"], /^1234\/[0-9a-f]{32}$/);
  });

  it("headers replace any of the same name whatever its case; query entries are added, encoded; an array repeats", async () => {
    const sent = await signed(
      { sign: '{"headers": {"AUTHORIZATION": "Sig 1", "x-n": 5}, "query": {"sig": "a b&c", "k": ["1", 2]}}' },
      apiRequest({ method: "GET", url: "https://iot.example.com/v1?x=1" }),
      "t",
    );
    assert.deepEqual(sent.headers, { AUTHORIZATION: "Sig 1", "x-n": "5" });
    assert.equal(sent.url, "https://iot.example.com/v1?x=1&sig=a+b%26c&k=1&k=2");
  });

  it("body fields are merged into a form body, a JSON object body, or make a JSON body of none", async () => {
    const form = await signed(
      { sign: '{"body": {"accessToken": $token}}', authHeader: "" },
      {
        ...apiRequest({ method: "POST", url: "https://i.example/list", body: "pageSize=5&x=a+b" }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      "at.1",
    );
    assert.equal(form.body, "pageSize=5&x=a+b&accessToken=at.1");
    assert.deepEqual(
      form.headers,
      { "content-type": "application/x-www-form-urlencoded" },
      "no auth header when empty",
    );
    const json = await signed(
      { sign: '{"body": {"sig": "s", "n": 2}}' },
      {
        ...apiRequest({ method: "POST", url: "https://i.example/list", body: '{"n":1,"m":true}' }),
        headers: { "content-type": "application/json" },
      },
      "t",
    );
    assert.equal(json.body, '{"n":2,"m":true,"sig":"s"}');
    const none = await signed(
      { sign: '{"body": {"sig": "s"}}' },
      apiRequest({ method: "POST", url: "https://i.example/x" }),
      "t",
    );
    assert.equal(none.body, '{"sig":"s"}');
    assert.equal(none.headers["content-type"], "application/json");
  });

  it("numbers and booleans are sent as they print; null headers, query values and form fields are left out", async () => {
    const sent = await signed(
      {
        sign: `{
          "headers": {"x-on": true, "x-off": false, "x-n": 1.5, "x-gone": null},
          "query": {"on": true, "gone": null, "some": ["a", null, 2]},
          "body": {"flag": false, "gone": null}
        }`,
        authHeader: "",
      },
      {
        ...apiRequest({ method: "POST", url: "https://i.example/list?x=1", body: "a=1" }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      "t",
    );
    assert.deepEqual(sent.headers, {
      "content-type": "application/x-www-form-urlencoded",
      "x-on": "true",
      "x-off": "false",
      "x-n": "1.5",
    });
    assert.equal(sent.url, "https://i.example/list?x=1&on=true&some=a&some=2");
    assert.equal(sent.body, "a=1&flag=false");
  });

  it("a query value a regex group gave without matching (undefined in JSONata's array) is left out, not sent as text", async () => {
    const sent = await signed(
      { sign: `{"query": {"group": $match("a", /a(b)?/).groups, "kept": "1"}}`, authHeader: "" },
      apiRequest({ method: "GET", url: "https://i.example/list?x=1" }),
      "t",
    );
    assert.equal(sent.url, "https://i.example/list?x=1&kept=1");
  });

  it("a form body is known by its media type whatever its case and parameters (charset)", async () => {
    for (const type of ["application/x-www-form-urlencoded; charset=UTF-8", "Application/X-WWW-Form-Urlencoded"]) {
      const sent = await signed(
        { sign: '{"body": {"accessToken": $token}}', authHeader: "" },
        {
          ...apiRequest({ method: "POST", url: "https://i.example/list", body: "pageSize=5" }),
          headers: { "Content-Type": type },
        },
        "at.1",
      );
      assert.equal(sent.body, "pageSize=5&accessToken=at.1", type);
      assert.deepEqual(sent.headers, { "Content-Type": type }, type);
    }
  });

  it("a body of blank space is no body: sign's fields make a JSON one", async () => {
    const sent = await signed(
      { sign: '{"body": {"sig": "s"}}' },
      apiRequest({ method: "POST", url: "https://i.example/x", body: " \r\n" }),
      "t",
    );
    assert.equal(sent.body, '{"sig":"s"}');
    assert.equal(sent.headers["content-type"], "application/json");
  });

  it("what sign cannot do is a clear error naming the field", async () => {
    const get = apiRequest({ method: "GET", url: "https://i.example/" });
    const cases: Array<[string, VendorRequest, RegExp]> = [
      ['"text"', get, /an object \{headers, query, body\}/],
      ['{"headers": {"x": "a\\nb"}}', get, /no line breaks/],
      ['{"headers": {"bad name": "v"}}', get, /header names/],
      ['{"query": {"q": {"o": 1}}}', apiRequest({ method: "GET", url: "https://i.example/" }), /query values/],
      [
        '{"body": {"f": 1}}',
        apiRequest({ method: "POST", url: "https://i.example/", body: "[1]" }),
        /form or JSON object body/,
      ],
      [
        '{"body": {"f": 1}}',
        apiRequest({ method: "POST", url: "https://i.example/", body: "not json" }),
        /form or JSON object body/,
      ],
      ['{"headers": "Sig 1"}', get, /its headers must be an object of header names and texts/],
      ['{"headers": ["x", "y"]}', get, /its headers must be an object of header names and texts/],
      ['{"query": "a=1"}', get, /its query must be an object of names and texts/],
      [
        '{"body": "a=1"}',
        apiRequest({ method: "POST", url: "https://i.example/", body: "" }),
        /its body must be an object of fields/,
      ],
    ];
    for (const [sign, request, detail] of cases) {
      const error = await rejection(signed({ sign }, request, "t"));
      assert.equal(error.key, "expression-failed", sign);
      assert.equal(error.params.field, "sign");
      assert.match(String(error.params.detail), detail, sign);
    }
  });

  it("without sign, authorize needs no promise (get token answers from the cache synchronously)", () => {
    const sent = bound(custom, settingsOf(), credentials).authorize(apiRequest(), "t", 0);
    assert.ok(!(sent instanceof Promise));
  });
});
