// The simulator's Alibaba Cloud IoT Platform (docs/vendors/aliyun-iot.md) over real HTTP: no token,
// every RPC request signed (Signature over all parameters, key AccessKeySecret + "&"); the
// gateway's 4xx codes; QueryDevice's CurrentPage / NextToken paging; JSON or the default XML.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { aliyunPercentEncode, aliyunSignature, aliyunStringToSign } from "./aliyun-iot-signing";
import { ALIYUN_DEVICE_COUNT } from "./cloud-data";
import { simulatorHttp, type Answer } from "../support/simulator-http";

describe("simulator: Alibaba Cloud IoT", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts["aliyun-iot"];

  /** "2018-05-20T12:00:00Z" */
  const timestampOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

  interface Signing {
    method?: "GET" | "POST";
    secret?: string;
    /** Replaces or (undefined) removes common parameters before signing. */
    common?: Record<string, string | undefined>;
    /** Signs as this method, sends as `method`. */
    signAs?: string;
    /** A signature to send instead of the right one. */
    signature?: string;
  }

  function rpc(params: Record<string, string>, o: Signing = {}): Promise<Answer> {
    const all: Record<string, string | undefined> = {
      Format: "JSON",
      Version: "2018-01-20",
      AccessKeyId: account().accessKeyId,
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      SignatureNonce: randomUUID(),
      Timestamp: timestampOf(Date.now()),
      RegionId: "cn-shanghai",
      ...params,
      ...o.common,
    };
    const pairs = Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined);
    const method = o.method ?? "GET";
    const signature =
      o.signature ??
      aliyunSignature(o.secret ?? account().accessKeySecret, aliyunStringToSign(o.signAs ?? method, pairs));
    const encoded = [...pairs, ["Signature", signature]]
      .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
      .join("&");
    if (method === "GET") return http.call(`/?${encoded}`);
    return http.call("/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: encoded,
    });
  }

  const queryDevice = (paging: Record<string, string> = {}, o: Signing = {}) =>
    rpc({ Action: "QueryDevice", ProductKey: account().productKey, ...paging }, o);

  function assertGateway(r: Answer, status: number, code: string, message?: string) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.Code, code, r.text);
    assert.equal(typeof r.body.RequestId, "string");
    assert.equal(r.body.HostId, "127.0.0.1");
    if (message) assert.equal(r.body.Message, message);
  }

  describe("QueryDevice", () => {
    it("a correctly signed GET gets the first page, newest first, with NextToken", async () => {
      const r = await queryDevice();
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.Success, true);
      assert.deepEqual(
        [r.body.Total, r.body.PageSize, r.body.PageCount, r.body.Page],
        [ALIYUN_DEVICE_COUNT, 10, Math.ceil(ALIYUN_DEVICE_COUNT / 10), 1],
      );
      assert.ok(r.body.NextToken);
      const devices = r.body.Data.DeviceInfo;
      assert.equal(devices.length, 10);
      for (const key of ["DeviceName", "DeviceStatus", "IotId", "ProductKey", "UtcCreate", "GmtCreate"])
        assert.ok(key in devices[0]);
      const created = devices.map((d: { UtcCreate: string }) => d.UtcCreate);
      assert.deepEqual(created, [...created].sort().reverse());
      assert.equal(http.sim.count("aliyun-iot.api"), 1);
    });

    it("pages through every device with CurrentPage until Page >= PageCount (NextToken empty there)", async () => {
      const names: string[] = [];
      for (let page = 1; page < 10; page++) {
        const r = await queryDevice({ PageSize: "8", CurrentPage: String(page) });
        assert.equal(r.body.Success, true, r.text);
        names.push(...r.body.Data.DeviceInfo.map((d: { DeviceName: string }) => d.DeviceName));
        if (r.body.Page >= r.body.PageCount) {
          assert.equal(r.body.NextToken, "");
          break;
        }
      }
      assert.equal(new Set(names).size, ALIYUN_DEVICE_COUNT);
    });

    it("pages through with NextToken alone", async () => {
      const names: string[] = [];
      let nextToken = "";
      for (let i = 0; i < 10; i++) {
        const r = await queryDevice({ PageSize: "10", ...(nextToken ? { NextToken: nextToken } : {}) });
        names.push(...r.body.Data.DeviceInfo.map((d: { DeviceName: string }) => d.DeviceName));
        nextToken = r.body.NextToken;
        if (!nextToken) break;
      }
      assert.equal(new Set(names).size, ALIYUN_DEVICE_COUNT);
    });

    it("a page past the last is empty; bad paging is an IoT error with HTTP 200", async () => {
      const past = await queryDevice({ CurrentPage: "9" });
      assert.deepEqual([past.body.Success, past.body.Data.DeviceInfo], [true, []]);
      const paging: Array<Record<string, string>> = [
        { PageSize: "51" },
        { PageSize: "0" },
        { CurrentPage: "0" },
        { NextToken: "bm9wZQ==" },
      ];
      for (const page of paging) {
        const r = await queryDevice(page);
        assert.equal(r.status, 200);
        assert.deepEqual([r.body.Success, r.body.Code], [false, "iot.common.InvalidPageParams"], JSON.stringify(page));
        assert.equal(typeof r.body.ErrorMessage, "string");
      }
    });

    it("takes a POST with the parameters as a form body, signed as POST", async () => {
      assert.equal((await queryDevice({}, { method: "POST" })).body.Success, true);
      assertGateway(await queryDevice({}, { method: "POST", signAs: "GET" }), 400, "SignatureDoesNotMatch");
    });

    it("answers XML when Format is not JSON (XML is the default)", async () => {
      const r = await queryDevice({}, { common: { Format: undefined } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /xml/);
      assert.match(r.text, /^<\?xml version='1.0' encoding='UTF-8'\?><QueryDeviceResponse><RequestId>/);
      assert.equal(r.text.match(/<DeviceInfo>/g)?.length, 10, "an array is its element repeated");
      const refused = await queryDevice({}, { common: { Format: "XML" }, secret: "wrong" });
      assert.equal(refused.status, 400);
      assert.match(refused.text, /<Error>.*<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it("another product's ProductKey lists nothing; no ProductKey is MissingProductKey", async () => {
      const other = await rpc({ Action: "QueryDevice", ProductKey: "a1Other" });
      assert.deepEqual([other.body.Success, other.body.Total], [true, 0]);
      assertGateway(await rpc({ Action: "QueryDevice" }), 400, "MissingProductKey");
    });
  });

  describe("the signature and the gateway's codes", () => {
    it("a wrong secret or signature: 400 SignatureDoesNotMatch with the documented message", async () => {
      const message = "Specified signature is not matched with our calculation.";
      assertGateway(await queryDevice({}, { secret: "wrong" }), 400, "SignatureDoesNotMatch", message);
      assertGateway(await queryDevice({}, { signature: "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=" }), 400, "SignatureDoesNotMatch");
    });

    it("an unknown AccessKeyId: 404 InvalidAccessKeyId.NotFound", async () => {
      assertGateway(await queryDevice({}, { common: { AccessKeyId: "LTAInope" } }), 404, "InvalidAccessKeyId.NotFound");
    });

    it("a Timestamp more than 15 minutes from the vendor's clock: InvalidTimeStamp.Expired; a bad one: .Format", async () => {
      const stale = { common: { Timestamp: timestampOf(Date.now() - 16 * 60_000) } };
      assertGateway(await queryDevice({}, stale), 400, "InvalidTimeStamp.Expired");
      assert.equal(
        (await queryDevice({}, { common: { Timestamp: timestampOf(Date.now() - 14 * 60_000) } })).status,
        200,
      );
      assertGateway(
        await queryDevice({}, { common: { Timestamp: "2018-05-20 12:00:00" } }),
        400,
        "InvalidTimeStamp.Format",
      );
      http.sim.setClockSkew(-20 * 60_000);
      assertGateway(await queryDevice(), 400, "InvalidTimeStamp.Expired");
      assert.equal(
        (await queryDevice({}, { common: { Timestamp: timestampOf(Date.now() - 20 * 60_000) } })).status,
        200,
      );
    });

    it("a SignatureNonce used twice: SignatureNonceUsed", async () => {
      const nonce = { common: { SignatureNonce: randomUUID() } };
      assert.equal((await queryDevice({}, nonce)).status, 200);
      assertGateway(await queryDevice({ CurrentPage: "2" }, nonce), 400, "SignatureNonceUsed");
    });

    it("a missing common parameter, another SignatureMethod, another Action or Version", async () => {
      assertGateway(await queryDevice({}, { common: { SignatureNonce: undefined } }), 400, "MissingSignatureNonce");
      assertGateway(await http.call("/?Action=QueryDevice&Format=JSON"), 400, "MissingVersion");
      assertGateway(await queryDevice({}, { common: { SignatureMethod: "HMAC-SHA256" } }), 400, "IncompleteSignature");
      assertGateway(await rpc({ Action: "Pub" }), 404, "InvalidApi.NotFound");
      assertGateway(await queryDevice({}, { common: { Version: "2017-04-20" } }), 404, "InvalidApi.NotFound");
    });

    it("signs values percent-encoded twice: a value with spaces, '/' and non-ASCII letters goes through", async () => {
      const r = await queryDevice({ IotInstanceId: "iot-sim/实例 1*~" });
      assert.equal(r.body.Success, true, r.text);
    });
  });

  it("has no token: the revoke control revokes nothing, a lifetime cannot be set", async () => {
    http.sim.expireTokens("aliyun-iot");
    assert.equal((await queryDevice()).body.Success, true);
    assert.throws(() => http.sim.setTokenLifetime("aliyun-iot", 60), /no tokens/);
  });

  it("vendor-error faults: the IoT layer's shape by default, the gateway's with a status", async () => {
    http.sim.fail("aliyun-iot.api", { kind: "vendor-error", code: "iot.system.SystemException", msg: "系统异常" }, 1);
    http.sim.fail("aliyun-iot.api", { kind: "vendor-error", code: "Throttling.User", httpStatus: 400 }, 1);
    const iot = await http.call("/?Format=JSON&Action=QueryDevice");
    assert.deepEqual(
      [iot.status, iot.body.Success, iot.body.Code, iot.body.ErrorMessage],
      [200, false, "iot.system.SystemException", "系统异常"],
    );
    const gateway = await http.call("/?Format=JSON");
    assert.deepEqual([gateway.status, gateway.body.Code], [400, "Throttling.User"]);
  });
});
