// The simulator's Hikvision Artemis gateway (docs/vendors/hikvision-artemis.md) over real HTTP: no
// token, every call signed (X-Ca-Key, X-Ca-Signature over method, Accept, Content-Type, the listed
// x-ca-* headers and the URL); refusals as 401 with X-Ca-Error-Message; pageNo paging.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ARTEMIS_CAMERA_COUNT } from "./cloud-data";
import { artemisSignature, artemisStringToSign } from "./hikvision-artemis-signing";
import { simulatorHttp, type Answer } from "../support/simulator-http";

describe("simulator: Hikvision Artemis", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts["hikvision-artemis"];
  const CAMERAS = "/artemis/api/resource/v1/cameras";

  interface Signing {
    appKey?: string;
    secret?: string;
    /** null: not sent. */
    timestamp?: string | null;
    nonce?: string | null;
    /** The x-ca-* names to sign (default: every x-ca-* header sent). */
    signed?: string[];
    query?: Array<[string, string]>;
    /** A signature to send instead of the right one. */
    signature?: string;
    /** Headers changed after signing. */
    tamper?: Record<string, string>;
    /** A query sent instead of the signed one. */
    sentQuery?: string;
  }

  function camerasCall(body: unknown, o: Signing = {}): Promise<Answer> {
    const query = o.query ?? [];
    const headers: Record<string, string> = {
      accept: "application/json",
      "content-type": "application/json;charset=UTF-8",
      "x-ca-key": o.appKey ?? account().appKey,
    };
    if (o.timestamp !== null) headers["x-ca-timestamp"] = o.timestamp ?? String(Date.now());
    if (o.nonce !== null) headers["x-ca-nonce"] = o.nonce ?? randomUUID();
    const signed = o.signed ?? Object.keys(headers).filter((name) => name.startsWith("x-ca-"));
    headers["x-ca-signature-headers"] = signed.join(",");
    const stringToSign = artemisStringToSign({
      method: "POST",
      path: CAMERAS,
      params: query,
      headers,
      signedHeaders: signed,
    });
    headers["x-ca-signature"] = o.signature ?? artemisSignature(o.secret ?? account().appSecret, stringToSign);
    const search = o.sentQuery ?? (query.length ? `?${new URLSearchParams(query)}` : "");
    return http.call(CAMERAS + search, {
      method: "POST",
      headers: { ...headers, ...o.tamper },
      body: JSON.stringify(body),
    });
  }

  function assertRefused(r: Answer, message: string) {
    assert.equal(r.status, 401, r.text);
    assert.equal(r.headers.get("x-ca-error-message"), message);
    assert.ok(r.headers.get("x-ca-request-id"));
    assert.equal(r.text, "");
  }

  it("a call signed with x-ca-key, x-ca-nonce and x-ca-timestamp gets the first page of cameras", async () => {
    const r = await camerasCall({ pageNo: 1, pageSize: 20 });
    assert.equal(r.status, 200, r.headers.get("x-ca-error-message") ?? r.text);
    assert.deepEqual([r.body.code, r.body.msg], ["0", "success"]);
    const { total, pageNo, pageSize, list } = r.body.data;
    assert.deepEqual([total, pageNo, pageSize, list.length], [ARTEMIS_CAMERA_COUNT, 1, 20, 20]);
    assert.ok(list[0].cameraIndexCode && list[0].cameraName);
    assert.equal(http.sim.count("hikvision-artemis.cameras"), 1);
  });

  it("pages through every camera with pageNo (1-based) until pageNo * pageSize >= total", async () => {
    const codes: string[] = [];
    for (let pageNo = 1; pageNo < 10; pageNo++) {
      const r = await camerasCall({ pageNo, pageSize: 20 });
      assert.equal(r.body.code, "0", r.text);
      codes.push(...r.body.data.list.map((c: { cameraIndexCode: string }) => c.cameraIndexCode));
      if (r.body.data.pageNo * r.body.data.pageSize >= r.body.data.total) break;
    }
    assert.equal(codes.length, ARTEMIS_CAMERA_COUNT);
    assert.equal(new Set(codes).size, ARTEMIS_CAMERA_COUNT);
  });

  it("takes the minimal variant: no timestamp, no nonce, no signed x-ca-* header", async () => {
    const r = await camerasCall({ pageNo: 1, pageSize: 5 }, { timestamp: null, nonce: null, signed: [] });
    assert.equal(r.body.code, "0", r.headers.get("x-ca-error-message") ?? r.text);
  });

  it("signs the query's parameters, sorted, into the URL part", async () => {
    const query: Array<[string, string]> = [
      ["zone", "east"],
      ["flag", ""],
    ];
    assert.equal((await camerasCall({ pageNo: 1, pageSize: 5 }, { query })).status, 200);
    assertRefused(
      await camerasCall({ pageNo: 1, pageSize: 5 }, { query, sentQuery: "?zone=west&flag=" }),
      "Invalid Signature",
    );
  });

  it("a wrong secret, a changed Accept or signed header, or Alibaba's empty lines: 401 Invalid Signature", async () => {
    const page = { pageNo: 1, pageSize: 5 };
    assertRefused(await camerasCall(page, { secret: "wrong" }), "Invalid Signature");
    assertRefused(await camerasCall(page, { tamper: { accept: "*/*" } }), "Invalid Signature");
    assertRefused(await camerasCall(page, { tamper: { "x-ca-nonce": randomUUID() } }), "Invalid Signature");
    // Alibaba's gateway keeps an empty line for the absent Content-MD5 and Date; Artemis does not.
    const ts = String(Date.now());
    const nonce = randomUUID();
    const alibabaStyle = `POST\napplication/json\n\napplication/json;charset=UTF-8\n\nx-ca-key:${account().appKey}\nx-ca-nonce:${nonce}\nx-ca-timestamp:${ts}\n${CAMERAS}`;
    assertRefused(
      await camerasCall(page, { timestamp: ts, nonce, signature: artemisSignature(account().appSecret, alibabaStyle) }),
      "Invalid Signature",
    );
    assertRefused(await camerasCall(page, { tamper: { "x-ca-signature": "" } }), "Invalid Signature");
  });

  it("an unknown or missing AppKey: 401 Invalid AppKey", async () => {
    assertRefused(await camerasCall({ pageNo: 1, pageSize: 5 }, { appKey: "99999999" }), "Invalid AppKey");
    assertRefused(await http.call(CAMERAS, { method: "POST", body: "{}" }), "Invalid AppKey");
  });

  it("an X-Ca-Timestamp more than 15 minutes from the vendor's clock: 401 Invalid Timestamp", async () => {
    const page = { pageNo: 1, pageSize: 5 };
    assertRefused(await camerasCall(page, { timestamp: String(Date.now() - 16 * 60_000) }), "Invalid Timestamp");
    assert.equal((await camerasCall(page, { timestamp: String(Date.now() - 14 * 60_000) })).status, 200);
    http.sim.setClockSkew(20 * 60_000);
    assertRefused(await camerasCall(page), "Invalid Timestamp");
    assert.equal((await camerasCall(page, { timestamp: String(Date.now() + 20 * 60_000) })).status, 200);
  });

  it("a nonce used twice: 401 Nonce Used", async () => {
    const nonce = randomUUID();
    assert.equal((await camerasCall({ pageNo: 1, pageSize: 5 }, { nonce })).status, 200);
    assertRefused(await camerasCall({ pageNo: 2, pageSize: 5 }, { nonce }), "Nonce Used");
  });

  it('bad paging is a business error: HTTP 200 with a code other than "0"', async () => {
    for (const body of [{ pageNo: 0, pageSize: 5 }, { pageNo: 1, pageSize: 1001 }, {}]) {
      const r = await camerasCall(body);
      assert.equal(r.status, 200);
      assert.notEqual(r.body.code, "0");
      assert.equal(r.body.code, "0x02401003");
    }
  });

  it("has no token: the revoke control revokes nothing, a lifetime cannot be set", async () => {
    const revoke = await http.call("/__simulator/expire", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "hikvision-artemis" }),
    });
    assert.equal(revoke.status, 200);
    assert.equal((await camerasCall({ pageNo: 1, pageSize: 5 })).body.code, "0");
    assert.throws(() => http.sim.setTokenLifetime("hikvision-artemis", 60), /no tokens/);
  });
});
