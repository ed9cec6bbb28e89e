// The simulator's Huawei Cloud (docs/vendors/huawei-iam.md) over real HTTP: IAM's password token
// (201, token in X-Subject-Token, absolute expires_at), IoTDA's list devices with X-Auth-Token or an
// AK/SK signature, APIG.0301 / IOTDA.xxxxxx refusals, marker paging, and the revoke control.
import assert from "node:assert/strict";
import sinon from "sinon";
import { HUAWEI_DEVICE_COUNT } from "./cloud-data";
import {
  huaweiAuthorization,
  huaweiCanonicalRequest,
  huaweiSdkDate,
  huaweiSignature,
  huaweiStringToSign,
} from "./huawei-signing";
import { simulatorHttp, type Answer } from "../support/simulator-http";

describe("simulator: Huawei Cloud IAM and IoTDA", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts["huawei-iam"];

  function passwordBody(o: { user?: string; password?: string; domain?: string; project?: object } = {}) {
    return {
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: o.user ?? account().userName,
              password: o.password ?? account().password,
              domain: { name: o.domain ?? account().domainName },
            },
          },
        },
        scope: { project: o.project ?? { name: account().projectName } },
      },
    };
  }

  function tokenCall(body: unknown = passwordBody(), query = "?nocatalog=true"): Promise<Answer> {
    return http.call(`/v3/auth/tokens${query}`, {
      method: "POST",
      headers: { "content-type": "application/json;charset=utf8" },
      body: JSON.stringify(body),
    });
  }

  async function token(): Promise<string> {
    const r = await tokenCall();
    assert.equal(r.status, 201, r.text);
    return r.headers.get("x-subject-token") as string;
  }

  const devicesPath = (query = "", projectId = account().projectId) => `/v5/iot/${projectId}/devices${query}`;
  const withToken = (value: string) => ({ headers: { "x-auth-token": value, "content-type": "application/json" } });

  function assertApig(r: Answer, reason: string | RegExp) {
    assert.equal(r.status, 401, r.text);
    assert.equal(r.body.error_code, "APIG.0301");
    assert.equal(typeof r.body.request_id, "string");
    const expected =
      typeof reason === "string" ? new RegExp(`: ${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : reason;
    assert.match(r.body.error_msg, /^Incorrect IAM authentication information: /);
    assert.match(r.body.error_msg, expected);
  }

  function assertIam(r: Answer, status: number, message: string | RegExp) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.code, status);
    assert.match(r.body.error.message, typeof message === "string" ? new RegExp(`^${message}$`) : message);
  }

  describe("IAM token (POST /v3/auth/tokens)", () => {
    it("answers 201 with the token in X-Subject-Token and expires_at 24 h after issued_at", async () => {
      const r = await tokenCall();
      assert.equal(r.status, 201);
      const value = r.headers.get("x-subject-token") ?? "";
      assert.match(value, /^MII/);
      assert.ok(value.length > 1000, "IAM tokens are long");
      assert.ok(!r.text.includes(value), "the token is in the header, not the body");
      const t = r.body.token;
      const micro = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
      assert.match(t.expires_at, micro);
      assert.match(t.issued_at, micro);
      assert.equal(Date.parse(t.expires_at) - Date.parse(t.issued_at), 24 * 3600_000);
      assert.ok(Math.abs(Date.parse(t.issued_at) - Date.now()) < 5_000);
      assert.deepEqual([t.project.id, t.project.name], [account().projectId, account().projectName]);
      assert.deepEqual(
        [t.user.name, t.user.domain.name, t.methods],
        [account().userName, account().domainName, ["password"]],
      );
      assert.equal(t.catalog, undefined, "nocatalog leaves the catalog out");
      const withCatalog = await tokenCall(passwordBody(), "");
      assert.ok(Array.isArray(withCatalog.body.token.catalog) && withCatalog.body.token.catalog.length > 0);
      assert.equal(http.sim.count("huawei-iam.token"), 2);
    });

    it("scopes by project id as well as by name; each call a new token, the earlier ones still valid", async () => {
      const first = await token();
      const byId = await tokenCall(passwordBody({ project: { id: account().projectId } }));
      assert.equal(byId.status, 201, byId.text);
      const second = byId.headers.get("x-subject-token") as string;
      assert.notEqual(second, first);
      assert.equal((await http.call(devicesPath(), withToken(first))).status, 200);
      assert.equal((await http.call(devicesPath(), withToken(second))).status, 200);
    });

    it("a wrong password, user or domain gets 401 'The username or password is wrong.'", async () => {
      for (const o of [{ password: "wrong" }, { user: "nobody" }, { domain: "other_domain" }]) {
        assertIam(await tokenCall(passwordBody(o)), 401, "The username or password is wrong.");
      }
    });

    it("another project gets 401; a request that is not the password method's gets 400", async () => {
      assertIam(await tokenCall(passwordBody({ project: { name: "ap-southeast-1" } })), 401, /project/);
      assertIam(await tokenCall({ auth: { identity: { methods: ["token"] } } }), 400, /password/);
      const notJson = await http.call("/v3/auth/tokens", {
        method: "POST",
        body: "name=x",
        headers: { "content-type": "text/plain" },
      });
      assertIam(notJson, 400, /JSON/);
      assertIam(await tokenCall(passwordBody({ project: {} })), 400, /project/);
    });

    it("has no client timestamp to check; its times are on the vendor's clock", async () => {
      http.sim.setClockSkew(3600_000);
      const r = await tokenCall();
      assert.equal(r.status, 201);
      assert.ok(Math.abs(Date.parse(r.body.token.issued_at) - (Date.now() + 3600_000)) < 5_000);
    });
  });

  describe("IoTDA list devices with X-Auth-Token", () => {
    it("pages through every device by marker, newest (largest record id) first, until a short page", async () => {
      const value = await token();
      const seen: string[] = [];
      const markers: string[] = [];
      let marker = "";
      for (let i = 0; i < 10; i++) {
        const r = await http.call(devicesPath(`?limit=10${marker ? `&marker=${marker}` : ""}`), withToken(value));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.page.count, HUAWEI_DEVICE_COUNT);
        seen.push(...r.body.devices.map((d: { device_id: string }) => d.device_id));
        marker = r.body.page.marker;
        markers.push(marker);
        if (r.body.devices.length < 10) break;
      }
      assert.equal(seen.length, HUAWEI_DEVICE_COUNT);
      assert.equal(new Set(seen).size, HUAWEI_DEVICE_COUNT);
      assert.deepEqual([...markers].sort().reverse(), markers, "markers descend");
      assert.ok(markers.every((m) => /^[0-9a-f]{24}$/.test(m)));
    });

    it("answers the device fields of the docs; offset skips, product_id filters", async () => {
      const value = await token();
      const first = await http.call(devicesPath("?limit=5"), withToken(value));
      for (const key of ["device_id", "node_id", "device_name", "product_id", "status", "app_id"]) {
        assert.ok(key in first.body.devices[0], key);
      }
      const skipped = await http.call(devicesPath("?limit=5&offset=2"), withToken(value));
      assert.deepEqual(skipped.body.devices[0], first.body.devices[2]);
      const productId = first.body.devices[0].product_id as string;
      const filtered = await http.call(devicesPath(`?limit=50&product_id=${productId}`), withToken(value));
      assert.ok(filtered.body.devices.length > 0 && filtered.body.devices.length < HUAWEI_DEVICE_COUNT);
      assert.ok(filtered.body.devices.every((d: { product_id: string }) => d.product_id === productId));
      assert.equal(filtered.body.page.count, filtered.body.devices.length);
    });

    it("refuses bad paging with 400 IOTDA.000006", async () => {
      const value = await token();
      for (const query of ["?limit=51", "?limit=0", "?offset=501", "?marker=xyz"]) {
        const r = await http.call(devicesPath(query), withToken(value));
        assert.deepEqual([r.status, r.body.error_code], [400, "IOTDA.000006"], query);
      }
    });

    it("APIG.0301 for a missing or undecryptable token; IOTDA.000002 for another project's path", async () => {
      assertApig(await http.call(devicesPath()), "x-auth-token not found");
      assertApig(await http.call(devicesPath(), withToken("MIInot-a-token")), "decrypt token fail");
      const other = await http.call(devicesPath("", "ffffffffffffffffffffffffffffffff"), withToken(await token()));
      assert.deepEqual([other.status, other.body.error_code], [401, "IOTDA.000002"]);
    });

    it("a revoked token gets APIG.0301 'token expires, expires_at: ...'; a new one works", async () => {
      const value = await token();
      http.sim.expireTokens("huawei-iam");
      const r = await http.call(devicesPath(), withToken(value));
      assertApig(r, /token expires, expires_at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.equal((await http.call(devicesPath(), withToken(await token()))).status, 200);
      assert.equal(http.sim.count("huawei-iam.devices"), 2);
    });

    it("a token expires after 24 h", async () => {
      const value = await token();
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(24 * 3600_000 - 1_000);
        assert.equal((await http.call(devicesPath(), withToken(value))).status, 200);
        clock.tick(2_000);
        assertApig(await http.call(devicesPath(), withToken(value)), /token expires/);
      } finally {
        clock.restore();
      }
    });
  });

  describe("IoTDA with an AK/SK signature instead of a token", () => {
    interface AkSk {
      accessKey?: string;
      secretKey?: string;
      date?: string;
      signedHeaders?: string[];
      tamperQuery?: string;
    }

    function signedCall(query: Array<[string, string]>, o: AkSk = {}): Promise<Answer> {
      const path = devicesPath();
      const headers: Record<string, string> = {
        "content-type": "application/json",
        host: http.host,
        "x-sdk-date": o.date ?? huaweiSdkDate(Date.now()),
      };
      const signedHeaders = o.signedHeaders ?? ["content-type", "host", "x-sdk-date"];
      const canonical = huaweiCanonicalRequest({ method: "GET", path, query, headers, signedHeaders, body: "" });
      const signature = huaweiSignature(
        o.secretKey ?? account().secretKey,
        huaweiStringToSign(headers["x-sdk-date"], canonical),
      );
      const search = o.tamperQuery ?? (query.length ? `?${new URLSearchParams(query)}` : "");
      return http.call(path + search, {
        headers: {
          "content-type": headers["content-type"],
          "x-sdk-date": headers["x-sdk-date"],
          authorization: huaweiAuthorization(o.accessKey ?? account().accessKey, signedHeaders, signature),
        },
      });
    }

    it("a correctly signed call succeeds", async () => {
      const r = await signedCall([
        ["limit", "3"],
        ["offset", "1"],
      ]);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.devices.length, 3);
    });

    it("a wrong secret key, a changed query or an unsigned X-Sdk-Date: 'verify aksk signature fail'", async () => {
      assertApig(await signedCall([["limit", "3"]], { secretKey: "wrong" }), "verify aksk signature fail");
      assertApig(await signedCall([["limit", "3"]], { tamperQuery: "?limit=4" }), "verify aksk signature fail");
      assertApig(
        await signedCall([["limit", "3"]], { signedHeaders: ["content-type", "host"] }),
        "verify aksk signature fail",
      );
    });

    it("an unknown access key: 'Get secretKey failed ... ak not exist'", async () => {
      assertApig(
        await signedCall([], { accessKey: "UNKNOWNAK0000000000X" }),
        "Get secretKey failed,ak:UNKNOWNAK0000000000X,err:ak not exist",
      );
    });

    it("an X-Sdk-Date more than 15 minutes from the vendor's clock is refused", async () => {
      assertApig(await signedCall([], { date: huaweiSdkDate(Date.now() - 16 * 60_000) }), "verify aksk signature fail");
      assert.equal((await signedCall([], { date: huaweiSdkDate(Date.now() - 14 * 60_000) })).status, 200);
      http.sim.setClockSkew(-30 * 60_000);
      assertApig(await signedCall([]), "verify aksk signature fail");
      assert.equal((await signedCall([], { date: huaweiSdkDate(Date.now() - 30 * 60_000) })).status, 200);
    });
  });

  it("a token fault carries its token in X-Subject-Token, and the token works", async () => {
    http.sim.fail("huawei-iam.token", { kind: "token", token: "MIIfixed-token" }, 1);
    const r = await tokenCall();
    assert.equal(r.headers.get("x-subject-token"), "MIIfixed-token");
    assert.match(r.body.token.expires_at, /Z$/);
    assert.equal((await http.call(devicesPath(), withToken("MIIfixed-token"))).status, 200);
  });
});
