// The presets of Tuya, Huawei Cloud IoTDA and ThingsBoard read by the real custom provider over
// Node-RED's own JSONata: Tuya's published signature test vectors reproduced exactly by the
// preset's `sign` (token request and business call, signed headers included), the same signature as
// the simulator's reference signer for other requests, and each vendor's documented token answer read
// into the token, its lifetime and (where there is one) its refresh token.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { custom } from "../../src/providers/custom";
import { presets } from "../../src/providers/presets";
import type { BoundProvider, RawResponse, VendorRequest } from "../../src/providers/types";
import { tuyaSign } from "../simulator/tuya-signing";
import { expressionEvaluator } from "../support/expressions";
import { presetConfig } from "../support/presets";

/** The preset bound as a deployed node binds it: fields, region URLs, params and credentials. */
function boundPreset(
  id: keyof typeof presets,
  key: string,
  secret: string,
  params: Record<string, string> = {},
): BoundProvider {
  const preset = presets[id];
  const [region] = Object.keys(preset.regions);
  const settings = custom.settings(presetConfig(preset, region, undefined, params), expressionEvaluator);
  return custom.bind(settings, { key, secret });
}

const answer = (status: number, body: unknown, headers: RawResponse["headers"] = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** custom-token-credentials.preset.<id> of a catalog. */
function catalogEntry(lang: string, id: string): Record<string, any> | undefined {
  const file = path.join(path.dirname(__dirname), "..", "..", "nodes", "locales", lang, "access-token.json");
  return JSON.parse(fs.readFileSync(file, "utf8"))["custom-token-credentials"].preset?.[id];
}

describe("presets: Tuya, Huawei Cloud IoTDA, ThingsBoard read by the custom provider", () => {
  for (const id of ["tuya", "huawei-iam", "thingsboard"] as const) {
    it(`${id}: the dialog's texts in both languages: key and secret in the vendor's words, help, every region and param`, () => {
      const preset = presets[id];
      for (const lang of ["en-US", "zh-CN"]) {
        const entry = catalogEntry(lang, id);
        assert.ok(entry, `${lang}: custom-token-credentials.preset.${id}`);
        for (const text of [entry.key, entry.secret, entry.help]) assert.ok(typeof text === "string" && text.trim());
        for (const region of Object.keys(preset.regions))
          assert.ok(entry.region?.[region], `${lang}: region ${region}`);
        for (const param of preset.params) assert.ok(entry.params?.[param], `${lang}: param ${param}`);
      }
      // The vendors' own names for the credentials (issue #26).
      const english = catalogEntry("en-US", id)!;
      const words = {
        tuya: ["Access ID", "Access Secret"],
        "huawei-iam": ["IAM user", "Password"],
        thingsboard: ["Username", "Password"],
      };
      assert.deepEqual([english.key, english.secret], words[id]);
    });
  }

  describe("Tuya: the published test vectors (tuya.md, section 8)", () => {
    const clientId = "1KAD46OrT9HafiKdsXeg";
    const secret = "4OHBOnWOqaEC1mWXOpVL3yV50s0qGSRC";
    const accessToken = "3f4eda2bdec17232f67c0b188af3eec1";
    const stamp = { timestamp: 1588925778000, nonce: "5138cc3a9033d69856923fd07b491173" };
    // The vector signs two extra headers, named by Signature-Headers.
    const signedHeaders = {
      "Signature-Headers": "area_id:call_id",
      area_id: "29a33e8796834b1efa6",
      call_id: "8afdb70ab2ed11eb85290242ac130003",
    };
    const tuya = () => boundPreset("tuya", clientId, secret);

    it("the token request the preset makes (GET /v1.0/token?grant_type=1, no body) carries the vector's sign", async () => {
      const provider = tuya();
      const request = await provider.tokenRequest(stamp.timestamp);
      assert.equal(request.method, "GET");
      assert.equal(new URL(request.url).pathname + new URL(request.url).search, "/v1.0/token?grant_type=1");
      assert.equal(request.body, undefined);
      const sent = await provider.authorize(
        { purpose: "token", ...request, headers: { ...request.headers, ...signedHeaders }, stamp },
        undefined,
        stamp.timestamp,
      );
      assert.equal(sent.headers.sign, "9E48A3E93B302EEECC803C7241985D0A34EB944F40FB573C7B5C2A82158AF13E");
      assert.equal(sent.headers.client_id, clientId);
      assert.equal(sent.headers.t, "1588925778000");
      assert.equal(sent.headers.nonce, stamp.nonce);
      assert.equal(sent.headers.sign_method, "HMAC-SHA256");
      assert.equal(sent.headers.access_token, undefined, "no token on a token request");
    });

    it("the business call GET /v2.0/apps/schema/users?page_no=1&page_size=50 with the token carries the vector's sign", async () => {
      const call: VendorRequest = {
        purpose: "api",
        method: "GET",
        // Out of order: the signature sorts the query.
        url: "https://openapi.tuyacn.com/v2.0/apps/schema/users?page_size=50&page_no=1",
        headers: signedHeaders,
        stamp,
      };
      const sent = await tuya().authorize(call, accessToken, stamp.timestamp);
      assert.equal(sent.headers.sign, "AE4481C692AA80B25F3A7E12C3A5FD9BBF6251539DD78E565A1A72A508A88784");
      assert.equal(sent.headers.access_token, accessToken);
      assert.equal(sent.url, call.url, "sign adds headers only");
    });

    it("a refresh is signed as a token request: the access token it replaces is not signed in", async () => {
      const provider = tuya();
      const request = await provider.refreshRequest!("0b2f3c4d5e6f7a8b", stamp.timestamp);
      assert.equal(new URL(request.url).pathname, "/v1.0/token/0b2f3c4d5e6f7a8b");
      assert.equal(request.method, "GET");
      const sent = await provider.authorize({ purpose: "refresh", ...request, stamp }, accessToken, stamp.timestamp);
      const expected = tuyaSign(
        { clientId, secret, t: "1588925778000", nonce: stamp.nonce },
        { method: "GET", path: "/v1.0/token/0b2f3c4d5e6f7a8b", query: [], body: "", signedHeaders: [] },
      );
      assert.equal(sent.headers.sign, expected);
      assert.equal(sent.headers.access_token, undefined);
    });

    it("a POST with a JSON body, a repeated and an encoded query value, a signed header named in capitals: the same sign as the simulator's reference signer", async () => {
      const body = JSON.stringify({ name: "lamp é", codes: [1, 2] });
      const call: VendorRequest = {
        purpose: "api",
        method: "POST",
        url: "https://openapi.tuyacn.com/v1.0/iot-03/devices/d1/commands?b=x%20y&a=2&a=1",
        headers: { "content-type": "application/json", "Signature-Headers": "X-Call-Id", "X-Call-Id": "c-7" },
        body,
        stamp,
      };
      const sent = await tuya().authorize(call, accessToken, stamp.timestamp);
      const expected = tuyaSign(
        { clientId, secret, t: "1588925778000", nonce: stamp.nonce, accessToken },
        {
          method: "POST",
          path: "/v1.0/iot-03/devices/d1/commands",
          query: [
            ["b", "x y"],
            ["a", "2"],
            ["a", "1"],
          ],
          body,
          signedHeaders: [["X-Call-Id", "c-7"]],
        },
      );
      assert.equal(sent.headers.sign, expected);
    });

    it("is written out in the docs as the preset holds it (docs/vendors/tuya.md, docs/custom-language.md)", () => {
      for (const page of ["vendors/tuya.md", "custom-language.md"]) {
        const text = fs.readFileSync(path.join(path.dirname(__dirname), "..", "..", "docs", page), "utf8");
        const blocks = [...text.matchAll(/```\n([\s\S]*?)\n```/g)].map((match) => match[1]);
        assert.ok(blocks.includes(presets.tuya.fields.sign as string), `${page} shows the preset's sign`);
      }
    });

    it("reads the token answer: token, expire_time, refresh token; success false is the vendor's code and text", async () => {
      const provider = tuya();
      const parsed = await provider.parseToken(
        answer(200, {
          success: true,
          t: 1630045879476,
          result: { uid: "ay1", access_token: "at-1", refresh_token: "rt-1", expire_time: 7200 },
        }),
        0,
      );
      assert.deepEqual(parsed, { token: "at-1", expiresIn: 7200, refreshToken: "rt-1" });
      await assert.rejects(
        async () => provider.parseToken(answer(200, { code: 1004, msg: "sign invalid", success: false }), 0),
        (err: { code?: string; message: string }) => err.code === "1004" && /sign invalid/.test(err.message),
      );
    });

    it("API answers: 1010, 1011 and 1012 in an HTTP 200 are the token's expiry; another code is an error with its text", async () => {
      const provider = tuya();
      for (const code of [1010, 1011, 1012]) {
        const verdict = await provider.judgeApiResponse(answer(200, { code, msg: "token", success: false }));
        assert.equal(verdict.outcome, "token-rejected", String(code));
      }
      assert.deepEqual(await provider.judgeApiResponse(answer(200, { success: true, result: {} })), { outcome: "ok" });
      const error = await provider.judgeApiResponse(
        answer(200, { code: 1106, msg: "permission deny", success: false }),
      );
      assert.equal(error.outcome, "error");
      assert.deepEqual(
        [(error as { code?: string }).code, (error as { text?: string }).text],
        ["1106", "permission deny"],
      );
    });
  });

  describe("Huawei Cloud IoTDA (IAM token)", () => {
    const huawei = (project: string) =>
      boundPreset("huawei-iam", "iot_api_user", "pass word", { domain: "my_domain", project });

    it("the password token request names the user, the domain and the project by name or by id", async () => {
      const byName = await huawei("cn-north-4").tokenRequest(0);
      assert.equal(byName.method, "POST");
      assert.equal(byName.url, "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true");
      assert.equal(byName.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(byName.body!), {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "iot_api_user", password: "pass word", domain: { name: "my_domain" } } },
          },
          scope: { project: { name: "cn-north-4" } },
        },
      });
      const id = "0b5f3a9c2e6d4f71a8c3e5b7d9f1a2c4";
      const byId = await huawei(id).tokenRequest(0);
      assert.deepEqual(JSON.parse(byId.body!).auth.scope, { project: { id } });
    });

    it("the token from the X-Subject-Token header of a 201, the 24 hours of the doc's sample (expires_at - issued_at)", async () => {
      const body = {
        token: {
          expires_at: "2020-01-04T09:05:22.701000Z",
          issued_at: "2020-01-03T09:05:22.701000Z",
          methods: ["password"],
        },
      };
      // Far from the sample's dates: the lifetime does not depend on this server's clock.
      const parsed = await huawei("cn-north-4").parseToken(answer(201, body, { "x-subject-token": "MIIabc" }), 1.7e12);
      assert.deepEqual(parsed, { token: "MIIabc", expiresIn: 86400 });
    });

    it("IAM's refusal: its code and message; an API call on the token carries X-Auth-Token", async () => {
      const provider = huawei("cn-north-4");
      await assert.rejects(
        async () =>
          provider.parseToken(
            answer(401, { error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" } }),
            0,
          ),
        (err: { code?: string; message: string }) =>
          err.code === "401" && /The username or password is wrong/.test(err.message),
      );
      await provider.prepare?.("MIIabc");
      const sent = await provider.authorize(
        {
          purpose: "api",
          method: "GET",
          url: "https://iotda.cn-north-4.myhuaweicloud.com/v5/iot/p/devices",
          headers: {},
        },
        "MIIabc",
        0,
      );
      assert.equal(sent.headers["X-Auth-Token"], "MIIabc");
    });

    it("API answers: 401 APIG.0301 is the token's expiry; 401 IOTDA.000002 is an error, not a reason for a new token", async () => {
      const provider = huawei("cn-north-4");
      const expired = await provider.judgeApiResponse(
        answer(401, { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information: token expires" }),
      );
      assert.equal(expired.outcome, "token-rejected");
      const other = await provider.judgeApiResponse(
        answer(401, { error_code: "IOTDA.000002", error_msg: "The request is unauthorized." }),
      );
      assert.equal(other.outcome, "error");
      assert.equal((other as { code?: string }).code, "IOTDA.000002");
    });
  });

  describe("ThingsBoard", () => {
    /** A JWT with these claims (the signature is not checked by a client). */
    const jwt = (claims: Record<string, unknown>) =>
      ["eyJhbGciOiJIUzUxMiJ9", Buffer.from(JSON.stringify(claims)).toString("base64url"), "c2ln"].join(".");
    const thingsboard = () => boundPreset("thingsboard", "tenant@thingsboard.org", "pw");

    it("logs in with username and password in JSON; the lifetime is the JWT's (the doc's example: 9000 s)", async () => {
      const provider = thingsboard();
      const request = await provider.tokenRequest(0);
      assert.equal(request.url, "https://thingsboard.cloud/api/auth/login");
      assert.deepEqual(JSON.parse(request.body!), { username: "tenant@thingsboard.org", password: "pw" });
      const token = jwt({ sub: "tenant@thingsboard.org", iat: 1693248470, exp: 1693257470 });
      const parsed = await provider.parseToken(answer(200, { token, refreshToken: "rt.jwt.x" }), 0);
      assert.deepEqual(parsed, { token, expiresIn: 9000, refreshToken: "rt.jwt.x" });
    });

    it("refreshes with POST /api/auth/token {refreshToken}; calls carry X-Authorization: Bearer", async () => {
      const provider = thingsboard();
      const refresh = await provider.refreshRequest!("rt.jwt.x", 0);
      assert.equal(refresh.method, "POST");
      assert.equal(refresh.url, "https://thingsboard.cloud/api/auth/token");
      assert.deepEqual(JSON.parse(refresh.body!), { refreshToken: "rt.jwt.x" });
      await provider.prepare?.("tok");
      const sent = await provider.authorize(
        { purpose: "api", method: "GET", url: "https://thingsboard.cloud/api/tenant/devices", headers: {} },
        "tok",
        0,
      );
      assert.equal(sent.headers["X-Authorization"], "Bearer tok");
    });

    it("a refused login is its errorCode and message", async () => {
      await assert.rejects(
        async () =>
          thingsboard().parseToken(
            answer(401, { status: 401, message: "Invalid username or password", errorCode: 10, timestamp: 0 }),
            0,
          ),
        (err: { code?: string; message: string }) =>
          err.code === "10" && /Invalid username or password/.test(err.message),
      );
    });
  });
});
