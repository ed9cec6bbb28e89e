// The provider simulator, driven over real HTTP the way the package's clients will drive it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import path from "node:path";
import sinon from "sinon";
import { ENDPOINTS, ProviderSimulator, type Endpoint } from ".";

let sim: ProviderSimulator;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  // Tests read arbitrary vendor JSON.
  body: any;
}

async function call(pathAndQuery: string, init: RequestInit = {}): Promise<Res> {
  const r = await fetch(sim.url + pathAndQuery, init);
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, headers: r.headers, text, body };
}

function postJson(pathAndQuery: string, value: unknown): Promise<Res> {
  return call(pathAndQuery, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(value),
  });
}

function sha256(...parts: (string | Buffer)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/** Raw node:http request, for what fetch hides (resets, byte counts, big uploads). */
function rawRequest(method: string, p: string, body?: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer; error?: Error }>(
    (resolve, reject) => {
      const req = http.request(sim.url + p, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        const done = (error?: Error) =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks), error });
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done());
        res.on("error", (e) => done(e));
        res.on("aborted", () => done(new Error("aborted")));
      });
      req.on("error", reject);
      req.end(body);
    },
  );
}

// ---- per-vendor helpers (independent of the simulator's code, so they check it) ----

const os = () => sim.accounts.orionstar;
const en = () => sim.accounts.enos;
const oa = () => sim.accounts.oneaccess;

function osTokenUrl(appid = os().appid, secret = os().secret, grant = "client_credential"): string {
  return `/v1/auth/get_token?${new URLSearchParams({ appid, secret, grant_type: grant })}`;
}

async function osToken(): Promise<string> {
  const r = await call(osTokenUrl());
  assert.equal(r.body.code, 0);
  return r.body.data.access_token as string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let lastTs = 0;
/** A fresh millisecond timestamp: EnOS refuses the same encryption twice. */
function freshTs(): number {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return lastTs;
}

function enosTokenBody(ts = freshTs(), appKey = en().appKey, secret = en().appSecret) {
  return { appKey, encryption: sha256(appKey + ts + secret), timestamp: ts };
}

async function enosToken(): Promise<string> {
  const r = await postJson("/apim-token-service/v2.0/token/get", enosTokenBody());
  assert.equal(r.body.status, 0, r.text);
  return r.body.data.accessToken as string;
}

/** Signs like the EnOS docs: sorted `k v` pairs, then the raw body bytes. */
function enosSign(token: string, query: [string, string][], body: Buffer, ts: string, secret: string): string {
  const sorted = [...query].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return sha256(token + sorted.map(([k, v]) => k + v).join(""), body, ts + secret);
}

interface EnosCallOptions {
  token: string;
  body?: Buffer;
  secret?: string;
  ts?: string;
  signature?: string;
  method?: string;
}

function enosCall(p: string, query: [string, string][], o: EnosCallOptions): Promise<Res> {
  const ts = o.ts ?? String(Date.now());
  const body = o.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {
    "apim-accesstoken": o.token,
    "apim-timestamp": ts,
    "apim-signature": o.signature ?? enosSign(o.token, query, body, ts, o.secret ?? en().appSecret),
  };
  if (body.length > 0) headers["content-type"] = "application/json;charset=UTF-8";
  const method = o.method ?? (body.length > 0 ? "POST" : "GET");
  return call(`${p}?${new URLSearchParams(query)}`, { method, headers, body: body.length > 0 ? body : undefined });
}

const assetQuery = (): [string, string][] => [
  ["action", "get"],
  ["orgId", en().orgId],
  ["assetId", en().assetId],
];

function oaForm(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

async function oaToken(): Promise<string> {
  const r = await call(
    "/api/v2/tenant/token",
    oaForm({ client_id: oa().clientId, client_secret: oa().clientSecret, grant_type: "client_credentials" }),
  );
  assert.equal(r.status, 200, r.text);
  return r.body.access_token as string;
}

const usersUrl = (q = "offset=0&limit=10") => `/api/v2/tenant/users?org_id=${oa().orgId}&${q}`;

// One describe around everything: its hooks must not become root hooks for the whole mocha run.
describe("provider simulator", () => {
  before(async () => {
    sim = await ProviderSimulator.start();
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  describe("simulator: OrionStar", () => {
    it("issues a new random token per get_token, HTTP 200 with code 0", async () => {
      const a = await call(osTokenUrl());
      const b = await call(osTokenUrl());
      assert.equal(a.status, 200);
      assert.equal(a.body.code, 0);
      assert.equal(a.body.msg, "");
      assert.equal(typeof a.body.req_id, "string");
      assert.ok(a.body.data.access_token.length >= 40);
      assert.equal(a.body.data.expire_in, 7200);
      assert.notEqual(a.body.data.access_token, b.body.data.access_token);
      assert.equal(sim.count("orionstar.token"), 2);
    });

    it("refuses another method with 405", async () => {
      const r = await call(osTokenUrl(), { method: "POST" });
      assert.equal(r.status, 405);
      assert.equal(r.headers.get("allow"), "GET");
    });

    it("answers 101002 for missing or wrong parameters", async () => {
      for (const url of [
        osTokenUrl(os().appid, os().secret, "client_credentials"),
        `/v1/auth/get_token?appid=${os().appid}&secret=${os().secret}`,
        `/v1/auth/get_token?secret=${os().secret}&grant_type=client_credential`,
        `/v1/auth/get_token?appid=${os().appid}&grant_type=client_credential`,
      ]) {
        const r = await call(url);
        assert.equal(r.status, 200);
        assert.equal(r.body.code, 101002, url);
        assert.equal(r.body.data, undefined);
      }
    });

    it("answers 101009 for a wrong secret or an unknown appid", async () => {
      for (const url of [osTokenUrl(os().appid, "nope"), osTokenUrl("unknown", os().secret)]) {
        const r = await call(url);
        assert.equal(r.body.code, 101009);
        assert.equal(r.body.msg, "appid or secret invalid");
      }
    });

    it("answers 101025 when the IP is not allowed, until clear()", async () => {
      sim.setIpAllowed(false);
      const r = await call(osTokenUrl());
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.code, r.body.msg], [101025, "client ip 127.0.0.1 deny"]);
      sim.clear();
      assert.equal((await call(osTokenUrl())).body.code, 0);
    });

    it("checks the Bearer token on API calls", async () => {
      const none = await call("/v1/robot/robot_list?page_rows=5");
      assert.equal(none.body.code, 101002);
      const bad = await call("/v1/robot/robot_list?page_rows=5", { headers: bearer("not-a-token") });
      assert.deepEqual([bad.body.code, bad.body.msg], [101009, "token format invalid"]);
      const asQuery = await call(`/v1/robot/robot_list?access_token=${await osToken()}`);
      assert.equal(asQuery.body.code, 101002, "the current API wants the header, not the old query parameter");
    });

    it("lists robots with paging; page_rows defaults to 1", async () => {
      const h = { headers: bearer(await osToken()) };
      const first = await call(`/v1/robot/robot_list?ov_corpid=${os().corpId}`, h);
      assert.equal(first.body.code, 0);
      assert.equal(first.body.data.total_count, 7);
      assert.equal(first.body.data.robot_list.length, 1);
      assert.equal(first.body.data.robot_list[0].robot_sn, os().robotSn);
      const p2 = await call(`/v1/robot/robot_list?ov_corpid=${os().corpId}&page=2&page_rows=3`, h);
      const p3 = await call(`/v1/robot/robot_list?ov_corpid=${os().corpId}&page=3&page_rows=3`, h);
      assert.equal(p2.body.data.robot_list.length, 3);
      assert.equal(p3.body.data.robot_list.length, 1);
      const sns = new Set(
        [...p2.body.data.robot_list, ...p3.body.data.robot_list].map((r: { robot_sn: string }) => r.robot_sn),
      );
      assert.equal(sns.size, 4);
      assert.ok(!sns.has(os().robotSn));
      for (const key of ["robot_name", "robot_model", "online"]) assert.ok(key in p2.body.data.robot_list[0], key);
      assert.equal((await call("/v1/robot/robot_list?ov_corpid=other", h)).body.code, 101009);
      assert.equal((await call("/v1/robot/robot_list?page_rows=abc", h)).body.code, 101002);
    });

    it("reports robot_info with battery, task and location; unknown sn is a vendor error", async () => {
      const h = { headers: bearer(await osToken()) };
      const r = await call(`/v1/robot/robot_info?robot_sn=${os().robotSn}&is_report_status=1`, h);
      assert.equal(r.body.code, 0);
      assert.equal(r.body.data.robot_sn, os().robotSn);
      assert.equal(typeof r.body.data.battery.level, "number");
      assert.equal(typeof r.body.data.task.task_status, "string");
      assert.equal(typeof r.body.data.location.pos.x, "number");
      const unknown = await call("/v1/robot/robot_info?robot_sn=NOPE&is_report_status=1", h);
      assert.equal(unknown.body.code, 101009);
      assert.equal((await call("/v1/robot/robot_info", h)).body.code, 101002);
    });

    it("answers 101024 for expired tokens (expireTokens and lifetime)", async () => {
      const old = await osToken();
      sim.expireTokens("orionstar");
      const r = await call("/v1/robot/robot_list?page_rows=1", { headers: bearer(old) });
      assert.deepEqual([r.body.code, r.body.msg], [101024, "access_token expire"]);
      const fresh = await osToken();
      assert.equal((await call("/v1/robot/robot_list?page_rows=1", { headers: bearer(fresh) })).body.code, 0);

      sim.setTokenLifetime("orionstar", 60);
      const t = await call(osTokenUrl());
      assert.equal(t.body.data.expire_in, 60);
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(59_000);
        assert.equal((await call("/v1/robot/robot_list", { headers: bearer(t.body.data.access_token) })).body.code, 0);
        clock.tick(1_001);
        assert.equal(
          (await call("/v1/robot/robot_list", { headers: bearer(t.body.data.access_token) })).body.code,
          101024,
        );
      } finally {
        clock.restore();
      }
    });

    it("answers /v1/myip without a token", async () => {
      const r = await call("/v1/myip");
      assert.deepEqual([r.body.code, r.body.data.ip], [0, "127.0.0.1"]);
    });
  });

  describe("simulator: EnOS token service", () => {
    const get = "/apim-token-service/v2.0/token/get";

    it("returns a token, then the same one with the remaining lifetime", async () => {
      const a = await postJson(get, enosTokenBody());
      assert.equal(a.status, 200);
      assert.deepEqual([a.body.status, a.body.business], [0, "apim-token-service"]);
      assert.equal(a.body.data.expire, 7200);
      assert.ok(a.body.data.accessToken.length >= 40);
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(100_000);
        const b = await postJson(get, enosTokenBody());
        assert.equal(b.body.data.accessToken, a.body.data.accessToken);
        assert.ok(b.body.data.expire <= 7100 && b.body.data.expire >= 7099, String(b.body.data.expire));
      } finally {
        clock.restore();
      }
      sim.expireTokens("enos");
      const c = await postJson(get, enosTokenBody());
      assert.notEqual(c.body.data.accessToken, a.body.data.accessToken);
      assert.equal(c.body.data.expire, 7200);
    });

    it("checks content type, presence, appKey, encryption, timestamp and duplicates", async () => {
      const plain = await call(get, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify(enosTokenBody()),
      });
      assert.equal(plain.status, 200);
      assert.equal(plain.body.status, 1004);
      const { appKey, timestamp } = enosTokenBody();
      assert.equal((await postJson(get, { appKey, timestamp })).body.status, 1202);
      assert.equal((await postJson(get, enosTokenBody(freshTs(), "unknown-key"))).body.status, 1002);
      assert.equal((await postJson(get, enosTokenBody(freshTs(), appKey, "wrong-secret"))).body.status, 1003);
      const stale = await postJson(get, enosTokenBody(Date.now() - 6 * 60_000));
      assert.equal(stale.body.status, 1004);
      assert.match(stale.body.msg, /timestamp.*out of range/);
      assert.equal((await postJson(get, enosTokenBody(Date.now() - 4 * 60_000))).body.status, 0);
      const once = enosTokenBody();
      assert.equal((await postJson(get, once)).body.status, 0);
      const twice = await postJson(get, once);
      assert.deepEqual([twice.body.status, twice.body.msg], [1001, "duplicated request"]);
      assert.equal(twice.body.business, "apim-token-service");
    });

    it("judges timestamps by the vendor clock (local + skew)", async () => {
      sim.setClockSkew(10 * 60_000);
      assert.equal(sim.clockSkewMs, 600_000);
      assert.equal((await postJson(get, enosTokenBody())).body.status, 1004);
      assert.equal((await postJson(get, enosTokenBody(Date.now() + 10 * 60_000))).body.status, 0);
      sim.clear();
      assert.equal(sim.clockSkewMs, 0);
    });

    it("refreshes a token into a new one; an unknown token cannot be refreshed", async () => {
      const old = await enosToken();
      const r = await postJson("/apim-token-service/v2.0/token/refresh", { ...enosTokenBody(), accessToken: old });
      assert.equal(r.body.status, 0, r.text);
      assert.notEqual(r.body.data.accessToken, old);
      assert.equal(await enosToken(), r.body.data.accessToken, "get returns the refreshed token");
      const bad = await postJson("/apim-token-service/v2.0/token/refresh", { ...enosTokenBody(), accessToken: "nope" });
      assert.equal(bad.body.status, 1204);
      assert.equal((await postJson("/apim-token-service/v2.0/token/refresh", enosTokenBody())).body.status, 1202);
    });
  });

  describe("simulator: EnOS signed API calls", () => {
    it("serves asset, device get and device search to a correctly signed request", async () => {
      const token = await enosToken();
      const asset = await enosCall("/asset-service/v2.1/assets", assetQuery(), { token });
      assert.equal(asset.status, 200, asset.text);
      assert.equal(asset.body.code, 0);
      assert.equal(typeof asset.body.requestId, "string");
      assert.equal(asset.body.data.assetId, en().assetId);
      const device = await enosCall("/connect-service/v2.1/devices", assetQuery(), { token });
      assert.equal(device.body.code, 0, device.text);
      assert.equal(device.body.data.assetId, en().assetId);
      assert.equal(typeof device.body.data.deviceKey, "string");
      const body = Buffer.from(JSON.stringify({ pagination: { pageNo: 2, pageSize: 10 } }));
      const search = await enosCall(
        "/connect-service/v2.1/devices",
        [
          ["action", "search"],
          ["orgId", en().orgId],
        ],
        { token, body },
      );
      assert.equal(search.body.code, 0, search.text);
      assert.equal(search.body.data.length, 2);
      assert.equal(search.body.pagination.totalSize, 12);
      assert.deepEqual(sim.counts()["enos.device_search"], 1);
      assert.deepEqual(sim.counts()["enos.device_get"], 1);
    });

    it("builds paramsData from the query sorted by name, as the docs say", async () => {
      const token = await enosToken();
      const ts = String(Date.now());
      // Spelled out by hand: action < assetId < orgId.
      const signature = sha256(
        `${token}actionget` + `assetId${en().assetId}` + `orgId${en().orgId}` + ts + en().appSecret,
      );
      const q = `orgId=${en().orgId}&assetId=${en().assetId}&action=get`;
      const headers = { "apim-accesstoken": token, "apim-timestamp": ts, "apim-signature": signature };
      const ok = await call(`/asset-service/v2.1/assets?${q}`, { headers });
      assert.equal(ok.body.code, 0, ok.text);
      const unsortedSig = sha256(`${token}orgId${en().orgId}assetId${en().assetId}actionget` + ts + en().appSecret);
      const refused = await call(`/asset-service/v2.1/assets?${q}`, {
        headers: { ...headers, "apim-signature": unsortedSig },
      });
      assert.equal(refused.status, 401);
    });

    it("refuses a wrong, missing or stale signature and an unknown token with 401", async () => {
      const token = await enosToken();
      const good = enosSign(token, assetQuery(), Buffer.alloc(0), "1", en().appSecret);
      const cases: EnosCallOptions[] = [
        { token, secret: "wrong-secret" },
        { token, signature: good.toUpperCase() },
        { token, ts: String(Date.now() - 10 * 60_000) },
        { token: "unknown-token" },
      ];
      for (const o of cases) {
        const r = await enosCall("/asset-service/v2.1/assets", assetQuery(), o);
        assert.equal(r.status, 401, JSON.stringify(o));
        assert.equal(r.body.code, 401);
      }
      const unsigned = await call(`/asset-service/v2.1/assets?${new URLSearchParams(assetQuery())}`, {
        headers: { "apim-accesstoken": token },
      });
      assert.equal(unsigned.status, 401);
      assert.match(unsigned.body.msg, /signature/);
    });

    it("signs the exact body bytes and decoded UTF-8 query values", async () => {
      sim.addAccount("enos", { appKey: "key-ü", appSecret: "sécret-密钥", orgId: "组织-1", assetId: "资产ä" });
      const ts = freshTs();
      const tr = await postJson("/apim-token-service/v2.0/token/get", enosTokenBody(ts, "key-ü", "sécret-密钥"));
      assert.equal(tr.body.status, 0, tr.text);
      const token = tr.body.data.accessToken as string;
      const query: [string, string][] = [
        ["action", "get"],
        ["orgId", "组织-1"],
        ["assetId", "资产ä"],
      ];
      const asset = await enosCall("/asset-service/v2.1/assets", query, { token, secret: "sécret-密钥" });
      assert.equal(asset.body.code, 0, asset.text);
      assert.equal(asset.body.data.assetId, "资产ä");

      const body = Buffer.from(JSON.stringify({ pagination: { pageNo: 1, pageSize: 5 }, note: "温度 ü" }), "utf8");
      const sq: [string, string][] = [
        ["action", "search"],
        ["orgId", "组织-1"],
      ];
      const search = await enosCall("/connect-service/v2.1/devices", sq, { token, body, secret: "sécret-密钥" });
      assert.equal(search.body.code, 0, search.text);
      assert.equal(search.body.data.length, 5);
      const ts2 = String(Date.now());
      const right = sha256(token + "actionsearchorgId组织-1", body, ts2 + "sécret-密钥");
      assert.equal(
        (await enosCall("/connect-service/v2.1/devices", sq, { token, body, ts: ts2, signature: right })).body.code,
        0,
      );
      // A client that reads the body as latin1 text and signs that text re-encoded signs other bytes: refused.
      const wrong = sha256(
        token + "actionsearchorgId组织-1",
        Buffer.from(body.toString("latin1"), "utf8"),
        ts2 + "sécret-密钥",
      );
      const refused = await enosCall("/connect-service/v2.1/devices", sq, { token, body, ts: ts2, signature: wrong });
      assert.equal(refused.status, 401);
    });

    it("answers code 1203 for an expired token, and checks org and asset", async () => {
      const token = await enosToken();
      assert.equal(
        (
          await enosCall(
            "/asset-service/v2.1/assets",
            [
              ["action", "get"],
              ["orgId", "other"],
              ["assetId", "x"],
            ],
            { token },
          )
        ).body.code,
        99403,
      );
      assert.equal(
        (
          await enosCall(
            "/asset-service/v2.1/assets",
            [
              ["action", "get"],
              ["orgId", en().orgId],
              ["assetId", "x"],
            ],
            { token },
          )
        ).body.code,
        99404,
      );
      sim.expireTokens("enos");
      const r = await enosCall("/asset-service/v2.1/assets", assetQuery(), { token });
      assert.deepEqual([r.body.code, r.body.msg], [1203, "token expired"]);
    });
  });

  describe("simulator: OneAccess", () => {
    const tokenPath = "/api/v2/tenant/token";

    it("issues Bearer tokens from a form body; old tokens stay valid", async () => {
      const form = { client_id: oa().clientId, client_secret: oa().clientSecret, grant_type: "client_credentials" };
      const a = await call(tokenPath, oaForm(form));
      const b = await call(tokenPath, oaForm(form));
      assert.equal(a.status, 200);
      assert.deepEqual([a.body.token_type, a.body.expires_in, a.body.scope], ["Bearer", 1800, "all"]);
      assert.equal(a.body.id_token.split(".").length, 3);
      assert.equal(a.headers.get("cache-control"), "no-store");
      assert.notEqual(a.body.access_token, b.body.access_token);
      for (const t of [a.body.access_token, b.body.access_token]) {
        assert.equal((await call(usersUrl(), { headers: bearer(t) })).status, 200);
      }
    });

    it("accepts RFC 6749 HTTP Basic client authentication with urlencoded id and secret", async () => {
      sim.addAccount("oneaccess", { clientId: "app:1 x", clientSecret: "s3cr+t/=é%" });
      const basic = (id: string, secret: string) =>
        `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
      const init = (auth: string, body = "grant_type=client_credentials"): RequestInit => ({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth },
        body,
      });
      const ok = await call(tokenPath, init(basic("app:1 x", "s3cr+t/=é%")));
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await call(usersUrl(), { headers: bearer(ok.body.access_token) })).status, 200);
      const bad = await call(tokenPath, init(basic("app:1 x", "wrong")));
      assert.deepEqual(
        [bad.status, bad.body.error, bad.body.error_description],
        [401, "invalid_client", "Bad client credentials"],
      );
      assert.match(bad.headers.get("www-authenticate") ?? "", /^Basic/);
      const both = await call(
        tokenPath,
        init(basic("app:1 x", "s3cr+t/=é%"), "grant_type=client_credentials&client_secret=x"),
      );
      assert.deepEqual([both.status, both.body.error], [400, "invalid_request"]);
    });

    it("answers 400 for a wrong content type, a missing parameter or grant type; 401 for bad credentials", async () => {
      const json = await postJson(tokenPath, {
        client_id: oa().clientId,
        client_secret: oa().clientSecret,
        grant_type: "client_credentials",
      });
      assert.equal(json.status, 400);
      assert.equal(json.body.error_code, "USER.0033");
      assert.equal(typeof json.body.error_msg, "string");
      const missing = await call(tokenPath, oaForm({ client_id: oa().clientId, grant_type: "client_credentials" }));
      assert.deepEqual([missing.status, missing.body.error_code], [400, "USER.0033"]);
      const grant = await call(
        tokenPath,
        oaForm({ client_id: oa().clientId, client_secret: oa().clientSecret, grant_type: "password" }),
      );
      assert.deepEqual([grant.status, grant.body.error], [400, "unsupported_grant_type"]);
      const wrong = await call(
        tokenPath,
        oaForm({ client_id: oa().clientId, client_secret: "nope", grant_type: "client_credentials" }),
      );
      assert.deepEqual(
        [wrong.status, wrong.body],
        [401, { error: "invalid_client", error_description: "Bad client credentials" }],
      );
    });

    it("lists users with offset/limit; refuses missing, invalid and expired tokens", async () => {
      const token = await oaToken();
      const page = await call(usersUrl("offset=20&limit=10"), { headers: bearer(token) });
      assert.equal(page.body.total, 25);
      assert.equal(page.body.users.length, 5);
      assert.equal(page.body.users[0].org_id, oa().orgId);
      for (const key of ["user_id", "user_name", "name", "disabled", "locked"])
        assert.ok(key in page.body.users[0], key);
      assert.equal((await call(usersUrl("offset=0&limit=0"), { headers: bearer(token) })).status, 400);
      for (const headers of [{}, bearer("nope")]) {
        const r = await call(usersUrl(), { headers });
        assert.deepEqual([r.status, r.body.error], [401, "invalid_token"]);
      }
      sim.expireTokens("oneaccess");
      const expired = await call(usersUrl(), { headers: bearer(token) });
      assert.deepEqual([expired.status, expired.body.error], [401, "invalid_token"]);
      assert.match(expired.body.error_description, /expired/);
    });

    it("uses the configured lifetime, measured with Date.now()", async () => {
      sim.setTokenLifetime("oneaccess", 30);
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        const token = await oaToken();
        clock.tick(29_500);
        assert.equal((await call(usersUrl(), { headers: bearer(token) })).status, 200);
        clock.tick(1_000);
        assert.equal((await call(usersUrl(), { headers: bearer(token) })).status, 401);
      } finally {
        clock.restore();
      }
    });
  });

  describe("simulator: faults", () => {
    it("serves a status fault `times` times, then answers normally; faults are counted", async () => {
      sim.fail("orionstar.token", { kind: "status", status: 500 }, 2);
      assert.equal((await call(osTokenUrl())).status, 500);
      assert.equal((await call(osTokenUrl())).status, 500);
      assert.equal((await call(osTokenUrl())).body.code, 0);
      assert.equal(sim.count("orionstar.token"), 3);
    });

    it("queues faults and keeps an unlimited one until clear()", async () => {
      sim.fail("enos.token", { kind: "status", status: 503 }, 1);
      sim.fail("enos.token", { kind: "html" });
      assert.equal((await postJson("/apim-token-service/v2.0/token/get", enosTokenBody())).status, 503);
      for (let i = 0; i < 3; i++)
        assert.equal((await postJson("/apim-token-service/v2.0/token/get", enosTokenBody())).status, 502);
      sim.clear();
      assert.equal((await postJson("/apim-token-service/v2.0/token/get", enosTokenBody())).body.status, 0);
    });

    it("sends Retry-After and a custom body", async () => {
      sim.fail("oneaccess.token", { kind: "status", status: 429, retryAfter: 7 }, 1);
      sim.fail("oneaccess.token", { kind: "status", status: 503, body: "down for maintenance" }, 1);
      const limited = await call("/api/v2/tenant/token", { method: "POST" });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "7");
      const down = await call("/api/v2/tenant/token", { method: "POST" });
      assert.deepEqual([down.status, down.text], [503, "down for maintenance"]);
      assert.match(down.headers.get("content-type") ?? "", /^text\/plain/);
      sim.fail("oneaccess.token", { kind: "status", status: 204 }, 1);
      const empty = await call("/api/v2/tenant/token", { method: "POST" });
      assert.deepEqual([empty.status, empty.text], [204, ""]);
    });

    it("slow: answers normally after the delay", async () => {
      // Ordering, not wall-clock time: a request made after the slow one is answered before it.
      sim.fail("orionstar.myip", { kind: "slow", ms: 2_000 }, 1);
      const order: string[] = [];
      const slow = call("/v1/myip").then((r) => (order.push("slow"), r));
      while (sim.count("orionstar.myip") < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      const later = call("/v1/myip").then((r) => (order.push("later"), r));
      const [r, other] = await Promise.all([slow, later]);
      assert.deepEqual(order, ["later", "slow"]);
      assert.equal(r.body.data.ip, "127.0.0.1");
      assert.equal(other.body.data.ip, "127.0.0.1");
    });

    it("html: 502 with a text/html page", async () => {
      sim.fail("oneaccess.users", { kind: "html" }, 1);
      const r = await call(usersUrl());
      assert.equal(r.status, 502);
      assert.match(r.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(r.text, /<html>/);
      assert.equal(r.body, undefined);
    });

    it("truncated-json: 200 with the first half of the success JSON", async () => {
      sim.fail("orionstar.token", { kind: "truncated-json" }, 1);
      const r = await call(osTokenUrl());
      assert.equal(r.status, 200);
      assert.equal(r.body, undefined, "must not parse");
      assert.ok(r.text.startsWith('{"code":0'), r.text);
      assert.ok(r.text.length > 20);
    });

    it("missing-fields: the success shape without the token and expiry", async () => {
      sim.fail("orionstar.token", { kind: "missing-fields" }, 1);
      sim.fail("oneaccess.token", { kind: "missing-fields" }, 1);
      sim.fail("enos.token", { kind: "missing-fields" }, 1);
      const o = await call(osTokenUrl());
      assert.equal(o.body.code, 0);
      assert.deepEqual(o.body.data, {});
      const a = await call("/api/v2/tenant/token", { method: "POST" });
      assert.equal(a.status, 200);
      assert.equal(a.body.token_type, "Bearer");
      assert.ok(!("access_token" in a.body) && !("expires_in" in a.body));
      const e = await postJson("/apim-token-service/v2.0/token/get", {});
      assert.deepEqual([e.body.status, e.body.data], [0, {}]);
    });

    it("wrong-shape: an array by default, a string on request", async () => {
      sim.fail("enos.token", { kind: "wrong-shape" }, 1);
      sim.fail("enos.token", { kind: "wrong-shape", shape: "string" }, 1);
      const arr = await postJson("/apim-token-service/v2.0/token/get", {});
      assert.equal(arr.status, 200);
      assert.ok(Array.isArray(arr.body));
      const str = await postJson("/apim-token-service/v2.0/token/get", {});
      assert.equal(typeof str.body, "string");
    });

    it("huge-body: 10 MiB by default, streamed as valid JSON of the asked size", async () => {
      sim.fail("oneaccess.token", { kind: "huge-body" }, 1);
      sim.fail("oneaccess.token", { kind: "huge-body", bytes: 100_000 }, 1);
      const big = await rawRequest("POST", "/api/v2/tenant/token");
      assert.equal(big.status, 200);
      assert.equal(big.bytes.length, 10 * 1024 * 1024);
      const small = await rawRequest("POST", "/api/v2/tenant/token");
      assert.equal(small.bytes.length, 100_000);
      assert.equal(JSON.parse(small.bytes.toString()).code, 0);
    });

    it("reset: headers and part of the body, then the connection dies", async () => {
      sim.fail("orionstar.token", { kind: "reset" }, 2);
      const raw = await rawRequest("GET", osTokenUrl()).catch((e: Error) => ({
        status: 0,
        headers: {} as http.IncomingHttpHeaders,
        bytes: Buffer.alloc(0),
        error: e,
      }));
      assert.ok(raw.error, "the response must not complete");
      if (raw.status !== 0) assert.ok(raw.bytes.length < Number(raw.headers["content-length"]));
      await assert.rejects(async () => (await fetch(sim.url + osTokenUrl())).text());
      assert.equal((await call(osTokenUrl())).body.code, 0);
    });

    it("token: serves the given token and raw expiry, and the token works", async () => {
      sim.fail("orionstar.token", { kind: "token", token: "fixed-token-1", expiresIn: "7200" }, 1);
      const r = await call(osTokenUrl());
      assert.deepEqual(r.body.data, { access_token: "fixed-token-1", expire_in: "7200" });
      assert.equal((await call("/v1/robot/robot_list", { headers: bearer("fixed-token-1") })).body.code, 0);
      for (const expiresIn of [0, -5, null, 1e12, "abc"]) {
        sim.fail("oneaccess.token", { kind: "token", expiresIn }, 1);
        const a = await call("/api/v2/tenant/token", { method: "POST" });
        assert.equal(a.status, 200);
        assert.deepEqual(a.body.expires_in, expiresIn);
        assert.equal(typeof a.body.access_token, "string");
      }
      sim.fail("enos.token", { kind: "token", token: "enos-fixed" }, 1);
      const e = await postJson("/apim-token-service/v2.0/token/get", {});
      assert.deepEqual(e.body.data, { accessToken: "enos-fixed", expire: 7200 });
    });

    it("vendor-error: each vendor's own error shape", async () => {
      sim.fail("orionstar.robot_list", { kind: "vendor-error", code: 101024, msg: "access_token expire" }, 1);
      const o = await call("/v1/robot/robot_list");
      assert.equal(o.status, 200);
      assert.deepEqual([o.body.code, o.body.msg, typeof o.body.req_id], [101024, "access_token expire", "string"]);
      sim.fail("enos.token", { kind: "vendor-error", code: 1005, msg: "internal error" }, 1);
      const t = await postJson("/apim-token-service/v2.0/token/get", {});
      assert.deepEqual([t.body.status, t.body.msg, t.body.business], [1005, "internal error", "apim-token-service"]);
      sim.fail("enos.asset", { kind: "vendor-error", code: 1203, httpStatus: 403 }, 1);
      const a = await call("/asset-service/v2.1/assets");
      assert.deepEqual([a.status, a.body.code, typeof a.body.requestId], [403, 1203, "string"]);
      sim.fail("oneaccess.token", { kind: "vendor-error", code: "invalid_client", msg: "Bad client credentials" }, 1);
      sim.fail("oneaccess.token", { kind: "vendor-error", code: "USER.0033" }, 1);
      const c = await call("/api/v2/tenant/token", { method: "POST" });
      assert.deepEqual(
        [c.status, c.body.error, c.body.error_description],
        [401, "invalid_client", "Bad client credentials"],
      );
      const u = await call("/api/v2/tenant/token", { method: "POST" });
      assert.deepEqual([u.status, u.body.error_code], [400, "USER.0033"]);
    });

    it("refuses invalid faults and endpoints", () => {
      assert.throws(() => sim.fail("orionstar.token", { kind: "nope" } as never), TypeError);
      assert.throws(() => sim.fail("orionstar.token", { kind: "status", status: 42 }), TypeError);
      assert.throws(() => sim.fail("orionstar.token", { kind: "status", status: 101 }), TypeError);
      assert.throws(() => sim.fail("nope" as Endpoint, { kind: "html" }), TypeError);
      assert.throws(() => sim.fail("orionstar.token", { kind: "html" }, 0), TypeError);
    });
  });

  describe("simulator: control API, counts and lifecycle", () => {
    const ctl = (name: string, body?: unknown) =>
      body === undefined ? call(`/__simulator/${name}`, { method: "POST" }) : postJson(`/__simulator/${name}`, body);

    it("drives faults, lifetimes, IP allow and expiry over HTTP", async () => {
      assert.equal(
        (await ctl("fail", { endpoint: "orionstar.myip", fault: { kind: "status", status: 503 }, times: 1 })).status,
        200,
      );
      assert.equal((await call("/v1/myip")).status, 503);
      assert.equal((await call("/v1/myip")).status, 200);
      await ctl("lifetime", { provider: "orionstar", seconds: 120 });
      const token = await call(osTokenUrl());
      assert.equal(token.body.data.expire_in, 120);
      await ctl("expire", { provider: "orionstar" });
      assert.equal(
        (await call("/v1/robot/robot_list", { headers: bearer(token.body.data.access_token) })).body.code,
        101024,
      );
      await ctl("ip-allowed", { allowed: false });
      assert.equal((await call(osTokenUrl())).body.code, 101025);
      await ctl("clear");
      assert.equal((await call(osTokenUrl())).body.data.expire_in, 7200);
    });

    it("reports counts over HTTP, does not count itself, and reset zeroes them", async () => {
      await call("/v1/myip");
      await call("/api/v2/tenant/users");
      const counts = (await call("/__simulator/counts")).body as Record<Endpoint, number>;
      // One counter per simulated endpoint, the six clouds' included.
      assert.deepEqual(Object.keys(counts).sort(), [...ENDPOINTS].sort());
      assert.equal(counts["orionstar.myip"], 1);
      assert.equal(counts["oneaccess.users"], 1);
      assert.equal(counts["enos.token"], 0);
      assert.deepEqual(sim.counts(), counts);
      await ctl("reset");
      assert.equal(
        Object.values(sim.counts()).reduce((a, b) => a + b, 0),
        0,
      );
    });

    it("answers 400, 404 and 405 for bad control calls", async () => {
      assert.equal((await ctl("fail", { endpoint: "orionstar.myip", fault: { kind: "bogus" } })).status, 400);
      assert.equal((await ctl("lifetime", { provider: "nope", seconds: 5 })).status, 400);
      assert.equal((await call("/__simulator/fail", { method: "POST", body: "not json" })).status, 400);
      assert.equal((await call("/__simulator/nothing")).status, 404);
      assert.equal((await call("/__simulator/reset")).status, 405);
    });

    it("clear() keeps issued tokens; reset() forgets them", async () => {
      const token = await osToken();
      sim.clear();
      assert.equal((await call("/v1/robot/robot_list", { headers: bearer(token) })).body.code, 0);
      sim.reset();
      assert.equal((await call("/v1/robot/robot_list", { headers: bearer(token) })).body.code, 101009);
    });

    it("answers 404 for unknown paths without echoing the query, and 413 for bodies over 1 MiB", async () => {
      const r = await call("/v2/unknown?secret=hunter2");
      assert.equal(r.status, 404);
      assert.ok(!r.text.includes("hunter2"));
      const big = await rawRequest("POST", "/api/v2/tenant/token", Buffer.alloc(1024 * 1024 + 1, 0x61), {
        "content-type": "application/x-www-form-urlencoded",
      });
      assert.equal(big.status, 413);
      assert.equal(sim.count("oneaccess.token"), 1);
      const fine = await rawRequest("POST", "/api/v2/tenant/token", Buffer.alloc(1024 * 1024, 0x61), {
        "content-type": "application/x-www-form-urlencoded",
      });
      assert.equal(fine.status, 400);
    });

    it("validates arguments of the in-process API", () => {
      assert.throws(() => sim.setTokenLifetime("orionstar", -1), RangeError);
      assert.throws(() => sim.setTokenLifetime("nope" as never, 5), TypeError);
      assert.throws(() => sim.count("nope" as Endpoint), TypeError);
      assert.throws(() => sim.addAccount("enos", { appKey: "k" }), TypeError);
    });

    it("close() returns promptly with a slow request and a keep-alive socket open", async () => {
      const other = await ProviderSimulator.start();
      await fetch(`${other.url}/v1/myip`).then((r) => r.text());
      // The slow answer would take ten minutes: close() settling within this test is close() not waiting for it.
      other.fail("orionstar.myip", { kind: "slow", ms: 600_000 });
      const pending = fetch(`${other.url}/v1/myip`).then((r) => r.text());
      pending.catch(() => undefined);
      while (other.count("orionstar.myip") < 2) await new Promise((r) => setTimeout(r, 5));
      await other.close();
      await assert.rejects(pending);
      await assert.rejects(fetch(`${other.url}/v1/myip`));
    });

    it("runs as a CLI: prints the URL and accounts, stops on SIGTERM", async function () {
      this.timeout(10_000);
      const child = spawn(
        process.execPath,
        [path.join(path.dirname(__dirname), "simulator", "cli.js"), "--port", "0"],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let out = "";
      await new Promise<void>((resolve) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.split("\n").length > 2) resolve();
        });
      });
      const [first, second] = out.split("\n");
      const m = /^simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
      assert.ok(m, first);
      const info = JSON.parse(second) as { accounts: typeof sim.accounts };
      assert.deepEqual(info.accounts, sim.accounts);
      const r = await fetch(`${m[1]}/v1/myip`);
      assert.equal(((await r.json()) as { data: { ip: string } }).data.ip, "127.0.0.1");
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    });
  });
});
