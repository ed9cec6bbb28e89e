// The simulator's EZVIZ (docs/vendors/ezviz.md) over real HTTP: appKey + appSecret as a form ->
// accessToken, absolute expireTime (ms) and areaDomain; calls as form POSTs with the accessToken
// form field; string codes with HTTP 200 (10002 when a token is no longer valid); pageStart paging.
import assert from "node:assert/strict";
import sinon from "sinon";
import { EZVIZ_DEVICE_COUNT } from "./cloud-data";
import { simulatorHttp, type Answer } from "../support/simulator-http";

describe("simulator: EZVIZ", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts.ezviz;

  const formPost = (path: string, fields: Record<string, string>, base = http.sim.url): Promise<Answer> =>
    fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }).then(async (r) => {
      const text = await r.text();
      return { status: r.status, headers: r.headers, text, body: JSON.parse(text) };
    });

  const tokenCall = (appKey = account().appKey, appSecret = account().appSecret) =>
    formPost("/api/lapp/token/get", { appKey, appSecret });

  async function token(): Promise<{ accessToken: string; areaDomain: string }> {
    const r = await tokenCall();
    assert.equal(r.body.code, "200", r.text);
    return r.body.data;
  }

  const deviceList = (accessToken: string, paging: Record<string, string> = {}, base?: string) =>
    formPost("/api/lapp/device/list", { accessToken, ...paging }, base);

  function assertCode(r: Answer, code: string, msg: string) {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.code, r.body.msg], [code, msg]);
  }

  describe("token request (/api/lapp/token/get)", () => {
    it("gives an at. token, an absolute expireTime in ms 7 days away, and areaDomain", async () => {
      const r = await tokenCall();
      assertCode(r, "200", "Operating succeeded!");
      assert.match(r.body.data.accessToken, /^at\.[a-z0-9-]+$/);
      assert.ok(Math.abs(r.body.data.expireTime - (Date.now() + 7 * 86_400_000)) < 5_000);
      assert.equal(r.body.data.areaDomain, http.sim.url, "the regional host: this simulator");
      assert.equal(http.sim.count("ezviz.token"), 1);
    });

    it("a wrong secret gets 10030, an unknown appKey 10017, a missing field or no form 10001", async () => {
      assertCode(await tokenCall(account().appKey, "wrong"), "10030", "appKey and appSecret mismatched");
      assertCode(await tokenCall("nope", account().appSecret), "10017", "appKey does not exist");
      assertCode(
        await formPost("/api/lapp/token/get", { appKey: account().appKey }),
        "10001",
        "parameter empty or wrong format",
      );
      const json = await http.call("/api/lapp/token/get", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appKey: account().appKey, appSecret: account().appSecret }),
      });
      assertCode(json, "10001", "parameter empty or wrong format");
    });

    it("has no client timestamp; expireTime is on the vendor's clock", async () => {
      http.sim.setClockSkew(3600_000);
      const r = await tokenCall();
      assert.ok(Math.abs(r.body.data.expireTime - (Date.now() + 3600_000 + 7 * 86_400_000)) < 5_000);
    });

    it("each call a new token; the earlier one stays valid", async () => {
      const a = await token();
      const b = await token();
      assert.notEqual(a.accessToken, b.accessToken);
      assert.equal((await deviceList(a.accessToken)).body.code, "200");
    });
  });

  describe("/api/lapp/device/list", () => {
    it("pages through every device at areaDomain with pageStart (0-based) and pageSize", async () => {
      const { accessToken, areaDomain } = await token();
      const serials: string[] = [];
      for (let page = 0; page < 10; page++) {
        const r = await deviceList(accessToken, { pageStart: String(page), pageSize: "10" }, areaDomain);
        assertCode(r, "200", "Operating succeeded!");
        assert.deepEqual(r.body.page, { total: EZVIZ_DEVICE_COUNT, page, size: 10 });
        serials.push(...r.body.data.map((d: { deviceSerial: string }) => d.deviceSerial));
        if ((r.body.page.page + 1) * r.body.page.size >= r.body.page.total) break;
      }
      assert.equal(new Set(serials).size, EZVIZ_DEVICE_COUNT);
      assert.equal(http.sim.count("ezviz.device_list"), 3);
    });

    it("defaults to page 0 of 10 and answers the doc's device fields", async () => {
      const r = await deviceList((await token()).accessToken);
      assert.deepEqual(r.body.page, { total: EZVIZ_DEVICE_COUNT, page: 0, size: 10 });
      for (const key of [
        "deviceSerial",
        "deviceName",
        "deviceType",
        "status",
        "defence",
        "deviceVersion",
        "updateTime",
      ]) {
        assert.ok(key in r.body.data[0], key);
      }
    });

    it("refuses pageSize over 50 or a bad pageStart with 10001", async () => {
      const { accessToken } = await token();
      assertCode(await deviceList(accessToken, { pageSize: "51" }), "10001", "parameter empty or wrong format");
      assertCode(await deviceList(accessToken, { pageStart: "-1" }), "10001", "parameter empty or wrong format");
    });

    it("wants the token as a form field: in the query or as a header it is not there (10001)", async () => {
      const { accessToken } = await token();
      const inQuery = await http.call(`/api/lapp/device/list?accessToken=${accessToken}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "pageStart=0",
      });
      assertCode(inQuery, "10001", "parameter empty or wrong format");
      const asHeader = await http.call("/api/lapp/device/list", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accessToken },
        body: "pageStart=0",
      });
      assertCode(asHeader, "10001", "parameter empty or wrong format");
    });

    it("an unknown token gets 10002", async () => {
      assertCode(await deviceList("at.not-a-token"), "10002", "accessToken exception or expired");
    });
  });

  describe("expiry and the revoke control", () => {
    it("a revoked token gets 10002 (over the control API too); a new token works", async () => {
      const { accessToken } = await token();
      const revoke = await http.call("/__simulator/expire", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: "ezviz" }),
      });
      assert.equal(revoke.status, 200);
      assertCode(await deviceList(accessToken), "10002", "accessToken exception or expired");
      assert.equal((await deviceList((await token()).accessToken)).body.code, "200");
    });

    it("a token expires at expireTime (7 days)", async () => {
      const { accessToken } = await token();
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(7 * 86_400_000 - 1_000);
        assert.equal((await deviceList(accessToken)).body.code, "200");
        clock.tick(2_000);
        assertCode(await deviceList(accessToken), "10002", "accessToken exception or expired");
      } finally {
        clock.restore();
      }
    });
  });

  it("has no refresh endpoint: a token is asked again with appKey and appSecret", async () => {
    assert.equal((await http.call("/api/lapp/token/refresh", { method: "POST" })).status, 404);
  });
});
