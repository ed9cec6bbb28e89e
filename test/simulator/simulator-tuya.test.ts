// The simulator's Tuya (docs/vendors/tuya.md) over real HTTP: every request signed (token calls
// without the token, business calls with it), Tuya's codes as HTTP 200 + success false, refresh
// tokens that work once, /v2.0/devices paged by last_row_key, and the revoke control.
import assert from "node:assert/strict";
import sinon from "sinon";
import { TUYA_DEVICE_COUNT } from "./cloud-data";
import { tuyaLegacySign, tuyaSign } from "./tuya-signing";
import { simulatorHttp } from "../support/simulator-http";

describe("simulator: Tuya", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts.tuya;

  interface Signing {
    method?: string;
    accessToken?: string;
    t?: string;
    nonce?: string;
    clientId?: string;
    secret?: string;
    /** A sign to send instead of the right one. */
    sign?: string;
    /** Headers listed in Signature-Headers, signed in this order. */
    signedHeaders?: Array<[string, string]>;
    /** Changes a header after signing. */
    tamper?: Record<string, string>;
  }

  /** A request signed as Tuya's docs say, then sent. */
  function tuyaCall(path: string, query: Array<[string, string]>, o: Signing = {}) {
    const method = o.method ?? "GET";
    const t = o.t ?? String(Date.now());
    const clientId = o.clientId ?? account().accessId;
    const signedHeaders = o.signedHeaders ?? [];
    const headers: Record<string, string> = { client_id: clientId, t, sign_method: "HMAC-SHA256" };
    if (o.accessToken) headers.access_token = o.accessToken;
    if (o.nonce) headers.nonce = o.nonce;
    for (const [name, value] of signedHeaders) headers[name] = value;
    if (signedHeaders.length) headers["Signature-Headers"] = signedHeaders.map(([name]) => name).join(":");
    headers.sign =
      o.sign ??
      tuyaSign(
        { clientId, secret: o.secret ?? account().accessSecret, t, nonce: o.nonce, accessToken: o.accessToken },
        { method, path, query, body: "", signedHeaders },
      );
    const search = query.length ? `?${new URLSearchParams(query)}` : "";
    return http.call(path + search, { method, headers: { ...headers, ...o.tamper } });
  }

  const tokenCall = (o: Signing = {}) => tuyaCall("/v1.0/token", [["grant_type", "1"]], o);
  const devicesCall = (accessToken: string, query: Array<[string, string]> = [["size", "20"]], o: Signing = {}) =>
    tuyaCall("/v2.0/devices", query, { ...o, accessToken });

  async function tokenPair(): Promise<{ access: string; refresh: string }> {
    const r = await tokenCall();
    assert.equal(r.body.success, true, r.text);
    return { access: r.body.result.access_token, refresh: r.body.result.refresh_token };
  }

  /** Tuya's error answer: HTTP 200, success false, the code and its text. */
  function assertRefused(r: { status: number; body: any; text: string }, code: number, msg: string) {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.success, r.body.code, r.body.msg], [false, code, msg], r.text);
    assert.equal(typeof r.body.t, "number");
    assert.equal(typeof r.body.tid, "string");
  }

  describe("token request", () => {
    it("a correctly signed GET /v1.0/token?grant_type=1 gets a token, a refresh token and expire_time 7200", async () => {
      const r = await tokenCall();
      assert.equal(r.status, 200);
      assert.equal(r.body.success, true);
      assert.ok(Math.abs(r.body.t - Date.now()) < 5_000, "t is the server's time in ms");
      const { uid, access_token, refresh_token, expire_time } = r.body.result;
      assert.deepEqual([uid, expire_time], [account().uid, 7200]);
      assert.ok(access_token.length >= 32 && refresh_token.length >= 32);
      assert.notEqual(access_token, refresh_token);
      assert.equal(http.sim.count("tuya.token"), 1);
    });

    it("signs a nonce and the headers named in Signature-Headers, in their order", async () => {
      const signedHeaders: Array<[string, string]> = [
        ["area_id", "29a33e8796834b1efa6"],
        ["call_id", "8afdb70ab2ed11eb85290242ac130003"],
      ];
      const nonce = "5138cc3a9033d69856923fd07b491173";
      assert.equal((await tokenCall({ nonce, signedHeaders })).body.success, true);
      assertRefused(await tokenCall({ nonce, signedHeaders, tamper: { call_id: "other" } }), 1004, "sign invalid");
      assertRefused(await tokenCall({ nonce, signedHeaders, tamper: { nonce: "other" } }), 1004, "sign invalid");
    });

    it("a wrong sign, a wrong secret or the old algorithm get 1004 sign invalid", async () => {
      const good = await tokenCall();
      assert.equal(good.body.success, true);
      const t = String(Date.now());
      const right = tuyaSign(
        { clientId: account().accessId, secret: account().accessSecret, t },
        { method: "GET", path: "/v1.0/token", query: [["grant_type", "1"]], body: "", signedHeaders: [] },
      );
      assertRefused(await tokenCall({ t, sign: right.toLowerCase() }), 1004, "sign invalid");
      assertRefused(await tokenCall({ secret: "not the secret" }), 1004, "sign invalid");
      const legacy = tuyaLegacySign({ clientId: account().accessId, secret: account().accessSecret, t });
      assertRefused(await tokenCall({ t, sign: legacy }), 1004, "sign invalid");
    });

    it("an unknown client_id gets 1005, missing headers 1100, a POST 1108, another grant_type 1003", async () => {
      assertRefused(await tokenCall({ clientId: "unknown-client" }), 1005, "clientId invalid");
      assertRefused(await http.call("/v1.0/token?grant_type=1"), 1100, "param is empty");
      assertRefused(await tokenCall({ method: "POST" }), 1108, "uri path invalid");
      assertRefused(await tuyaCall("/v1.0/token", [["grant_type", "2"]]), 1003, "grant type invalid");
    });

    it("a t more than 5 minutes from the vendor's clock gets 1013", async () => {
      assertRefused(await tokenCall({ t: String(Date.now() - 6 * 60_000) }), 1013, "request time is invalid");
      assertRefused(await tokenCall({ t: "1588925778" }), 1013, "request time is invalid");
      assert.equal((await tokenCall({ t: String(Date.now() - 4 * 60_000) })).body.success, true);
      http.sim.setClockSkew(10 * 60_000);
      assertRefused(await tokenCall(), 1013, "request time is invalid");
      assert.equal((await tokenCall({ t: String(Date.now() + 10 * 60_000) })).body.success, true);
    });
  });

  describe("business calls and /v2.0/devices", () => {
    it("a call signed with the token succeeds; the token unsigned, absent or signed as a token call does not", async () => {
      const { access } = await tokenPair();
      const r = await devicesCall(access);
      assert.equal(r.body.success, true, r.text);
      assert.equal(r.body.result.devices.length, 20);
      for (const key of ["id", "name", "product_id", "online", "create_time"])
        assert.ok(key in r.body.result.devices[0]);
      assertRefused(await tuyaCall("/v2.0/devices", [["size", "20"]]), 1002, "access_token is null");
      const t = String(Date.now());
      const withoutToken = tuyaSign(
        { clientId: account().accessId, secret: account().accessSecret, t },
        { method: "GET", path: "/v2.0/devices", query: [["size", "20"]], body: "", signedHeaders: [] },
      );
      assertRefused(await devicesCall(access, [["size", "20"]], { t, sign: withoutToken }), 1004, "sign invalid");
      assertRefused(await devicesCall(access, [["size", "20"]], { secret: "wrong" }), 1004, "sign invalid");
      assertRefused(await devicesCall("not-a-token"), 1011, "token invalid");
      assert.equal(http.sim.count("tuya.devices"), 5);
    });

    it("pages through every device with size and last_row_key until has_more is false", async () => {
      const { access } = await tokenPair();
      const seen: string[] = [];
      let lastRowKey = "";
      for (let page = 0; page < 10; page++) {
        const query: Array<[string, string]> = [["size", "10"]];
        if (lastRowKey) query.push(["last_row_key", lastRowKey]);
        const r = await devicesCall(access, query);
        assert.equal(r.body.success, true, r.text);
        const { devices, has_more, last_row_key, total } = r.body.result;
        assert.equal(total, TUYA_DEVICE_COUNT);
        seen.push(...devices.map((d: { id: string }) => d.id));
        assert.equal(last_row_key, devices.at(-1).id);
        lastRowKey = last_row_key;
        if (!has_more) break;
      }
      assert.equal(seen.length, TUYA_DEVICE_COUNT);
      assert.equal(new Set(seen).size, TUYA_DEVICE_COUNT);
      assert.ok(TUYA_DEVICE_COUNT > 30, "enough devices to need several pages");
    });

    it("has_more is false exactly when the page reaches the last device", async () => {
      const { access } = await tokenPair();
      const allButOne = await devicesCall(access, [["size", String(TUYA_DEVICE_COUNT - 1)]]);
      assert.equal(allButOne.body.result.has_more, true);
      const rest = await devicesCall(access, [
        ["size", "10"],
        ["last_row_key", allButOne.body.result.last_row_key],
      ]);
      assert.deepEqual([rest.body.result.devices.length, rest.body.result.has_more], [1, false]);
      assert.equal((await devicesCall(access, [["size", String(TUYA_DEVICE_COUNT)]])).body.result.has_more, false);
    });

    it("refuses a missing size (1100), a bad size or an unknown last_row_key (1109)", async () => {
      const { access } = await tokenPair();
      assertRefused(await devicesCall(access, []), 1100, "param is empty");
      assertRefused(await devicesCall(access, [["size", "0"]]), 1109, "param is illegal, please check it");
      assertRefused(
        await devicesCall(access, [
          ["size", "5"],
          ["last_row_key", "nope"],
        ]),
        1109,
        "param is illegal, please check it",
      );
    });
  });

  describe("expiry and the revoke control", () => {
    it("a revoked token gets 1010 token is expired; a new token works", async () => {
      const { access } = await tokenPair();
      http.sim.expireTokens("tuya");
      assertRefused(await devicesCall(access), 1010, "token is expired");
      const fresh = await tokenPair();
      assert.equal((await devicesCall(fresh.access)).body.success, true);
    });

    it("revokes over the control API too (what the demo's revoke inject posts)", async () => {
      const { access } = await tokenPair();
      const revoke = await http.call("/__simulator/expire", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: "tuya" }),
      });
      assert.equal(revoke.status, 200);
      assertRefused(await devicesCall(access), 1010, "token is expired");
    });

    it("a token expires after expire_time (setTokenLifetime)", async () => {
      http.sim.setTokenLifetime("tuya", 60);
      const r = await tokenCall();
      assert.equal(r.body.result.expire_time, 60);
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(59_000);
        assert.equal((await devicesCall(r.body.result.access_token)).body.success, true);
        clock.tick(1_001);
        assertRefused(await devicesCall(r.body.result.access_token), 1010, "token is expired");
      } finally {
        clock.restore();
      }
    });
  });

  describe("refresh", () => {
    const refreshCall = (refreshToken: string, o: Signing = {}) => tuyaCall(`/v1.0/token/${refreshToken}`, [], o);

    it("GET /v1.0/token/{refresh_token} gives a new pair; the old token and refresh token are then invalid (1011)", async () => {
      const old = await tokenPair();
      const r = await refreshCall(old.refresh);
      assert.equal(r.body.success, true, r.text);
      const { access_token, refresh_token, expire_time } = r.body.result;
      assert.equal(expire_time, 7200);
      assert.ok(access_token !== old.access && refresh_token !== old.refresh);
      assert.equal((await devicesCall(access_token)).body.success, true);
      assertRefused(await devicesCall(old.access), 1011, "token invalid");
      assertRefused(await refreshCall(old.refresh), 1011, "token invalid");
      assert.equal((await refreshCall(refresh_token)).body.success, true, "the new refresh token works once");
      assert.equal(http.sim.count("tuya.refresh"), 3);
    });

    it("a refresh token outlives the revoke control: the demo's revoke -> one refresh -> the call answered", async () => {
      const old = await tokenPair();
      http.sim.expireTokens("tuya");
      assertRefused(await devicesCall(old.access), 1010, "token is expired");
      const r = await refreshCall(old.refresh);
      assert.equal(r.body.success, true, r.text);
      assert.equal((await devicesCall(r.body.result.access_token)).body.success, true);
    });

    it("is signed as a token call: a wrong sign, the old algorithm, a POST or an unknown refresh token are refused", async () => {
      const { refresh } = await tokenPair();
      assertRefused(await refreshCall(refresh, { secret: "wrong" }), 1004, "sign invalid");
      const t = String(Date.now());
      const legacy = tuyaLegacySign({ clientId: account().accessId, secret: account().accessSecret, t });
      assertRefused(await refreshCall(refresh, { t, sign: legacy }), 1004, "sign invalid");
      assertRefused(await refreshCall(refresh, { method: "POST" }), 1108, "uri path invalid");
      assertRefused(await refreshCall("0123456789abcdef0123456789abcdef"), 1011, "token invalid");
      http.sim.addAccount("tuya", { accessId: "other-project", accessSecret: "other-secret" });
      assertRefused(
        await refreshCall(refresh, { clientId: "other-project", secret: "other-secret" }),
        1011,
        "token invalid",
      );
      assert.equal((await refreshCall(refresh)).body.success, true, "none of those used it up");
    });
  });

  it("vendor-error faults take Tuya's shape (HTTP 200, success false)", async () => {
    http.sim.fail("tuya.devices", { kind: "vendor-error", code: 1010, msg: "token is expired" }, 1);
    assertRefused(await http.call("/v2.0/devices?size=1"), 1010, "token is expired");
  });
});
