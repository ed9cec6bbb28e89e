// The simulator's ThingsBoard (docs/vendors/thingsboard.md) over real HTTP: login to a JWT pair in
// the body, `X-Authorization: Bearer`, {status, message, errorCode, timestamp} errors (401 + 11 when
// a token has expired), the refresh endpoint, PageData paging, and the revoke control.
import assert from "node:assert/strict";
import sinon from "sinon";
import { THINGSBOARD_DEVICE_COUNT } from "./cloud-data";
import { jwtClaims } from "./thingsboard-jwt";
import { simulatorHttp, type Answer } from "../support/simulator-http";

describe("simulator: ThingsBoard", () => {
  const http = simulatorHttp();
  const account = () => http.sim.accounts.thingsboard;
  const jsonPost = (path: string, value: unknown): Promise<Answer> =>
    http.call(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(value),
    });

  const login = (username = account().username, password = account().password) =>
    jsonPost("/api/auth/login", { username, password });

  async function pair(): Promise<{ token: string; refreshToken: string }> {
    const r = await login();
    assert.equal(r.status, 200, r.text);
    return r.body;
  }

  const devices = (token: string, query = "?pageSize=10&page=0", scheme = "Bearer ") =>
    http.call(`/api/tenant/devices${query}`, { headers: { "x-authorization": `${scheme}${token}` } });
  const refresh = (refreshToken: unknown) => jsonPost("/api/auth/token", { refreshToken });

  function assertError(r: Answer, status: number, errorCode: number, message: string) {
    assert.equal(r.status, status, r.text);
    assert.deepEqual([r.body.status, r.body.errorCode, r.body.message], [status, errorCode, message], r.text);
    assert.ok(Math.abs(r.body.timestamp - Date.now()) < 5_000, "timestamp in ms");
  }

  describe("login", () => {
    it("gives an HS512 JWT pair in the body: the access token lasts 9000 s, the refresh token a week", async () => {
      const { token, refreshToken } = await pair();
      assert.ok(token.startsWith("eyJhbGciOiJIUzUxMiJ9."), token);
      assert.ok(refreshToken.startsWith("eyJhbGciOiJIUzUxMiJ9."));
      const access = jwtClaims(token);
      assert.equal((access.exp as number) - (access.iat as number), 9000);
      assert.ok(Math.abs((access.iat as number) - Date.now() / 1000) < 5);
      assert.deepEqual(
        [access.sub, access.scopes, access.iss],
        [account().username, ["TENANT_ADMIN"], "thingsboard.io"],
      );
      const rt = jwtClaims(refreshToken);
      assert.deepEqual(rt.scopes, ["REFRESH_TOKEN"]);
      assert.equal((rt.exp as number) - (rt.iat as number), 604_800);
      assert.equal(http.sim.count("thingsboard.token"), 1);
    });

    it("a wrong password or user gets 401 errorCode 10 'Invalid username or password'", async () => {
      assertError(await login(account().username, "wrong"), 401, 10, "Invalid username or password");
      assertError(await login("nobody@example.com", account().password), 401, 10, "Invalid username or password");
    });

    it("a missing field or a body that is not JSON gets 401 errorCode 10 'Authentication failed'", async () => {
      assertError(
        await jsonPost("/api/auth/login", { username: account().username }),
        401,
        10,
        "Authentication failed",
      );
      const form = await http.call("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: account().username, password: account().password }).toString(),
      });
      assertError(form, 401, 10, "Authentication failed");
    });

    it("has no client timestamp; the JWT's iat and exp are on the vendor's clock", async () => {
      http.sim.setClockSkew(3600_000);
      const claims = jwtClaims((await pair()).token);
      assert.ok(Math.abs((claims.iat as number) - (Date.now() / 1000 + 3600)) < 5);
    });
  });

  describe("/api/tenant/devices", () => {
    it("pages through every device with pageSize and a 0-based page until hasNext is false", async () => {
      const { token } = await pair();
      const names: string[] = [];
      for (let page = 0; page < 10; page++) {
        const r = await devices(token, `?pageSize=10&page=${page}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.totalElements, THINGSBOARD_DEVICE_COUNT);
        assert.equal(r.body.totalPages, Math.ceil(THINGSBOARD_DEVICE_COUNT / 10));
        names.push(...r.body.data.map((d: { id: { id: string } }) => d.id.id));
        if (!r.body.hasNext) break;
      }
      assert.equal(new Set(names).size, THINGSBOARD_DEVICE_COUNT);
      assert.equal(http.sim.count("thingsboard.devices"), 4);
    });

    it("answers Device objects; textSearch, type, sortProperty and sortOrder apply", async () => {
      const { token } = await pair();
      const first = (await devices(token, "?pageSize=1&page=0")).body.data[0];
      assert.equal(first.id.entityType, "DEVICE");
      assert.equal(first.customerId.id, "13814000-1dd2-11b2-8080-808080808080");
      assert.equal(typeof first.createdTime, "number");
      const search = await devices(token, "?pageSize=50&page=0&textSearch=a1");
      assert.ok(search.body.data.length >= 1);
      assert.ok(search.body.data.every((d: { name: string }) => d.name.toLowerCase().includes("a1")));
      const typed = await devices(token, "?pageSize=50&page=0&type=thermostat");
      assert.ok(typed.body.data.length > 0 && typed.body.data.every((d: { type: string }) => d.type === "thermostat"));
      const desc = await devices(token, "?pageSize=50&page=0&sortProperty=createdTime&sortOrder=DESC");
      const times = desc.body.data.map((d: { createdTime: number }) => d.createdTime);
      assert.deepEqual(
        times,
        [...times].sort((a: number, b: number) => b - a),
      );
    });

    it("refuses missing or bad paging parameters with 400", async () => {
      const { token } = await pair();
      const missing = await devices(token, "?page=0");
      assert.deepEqual([missing.status, missing.body.errorCode], [400, 31]);
      assert.match(missing.body.message, /pageSize/);
      assert.deepEqual((await devices(token, "?pageSize=0&page=0")).body.errorCode, 30);
      assert.deepEqual((await devices(token, "?pageSize=5&page=-1")).body.errorCode, 30);
    });

    it("wants X-Authorization with the exact 'Bearer ' prefix: else 401 errorCode 10", async () => {
      const { token, refreshToken } = await pair();
      const standard = await http.call("/api/tenant/devices?pageSize=10&page=0", {
        headers: { authorization: `Bearer ${token}` },
      });
      assertError(standard, 401, 10, "Authentication failed");
      assertError(await devices(token, undefined, "bearer "), 401, 10, "Authentication failed");
      assertError(await devices("eyJhbGciOiJIUzUxMiJ9.e30.forged"), 401, 10, "Authentication failed");
      assertError(await devices(refreshToken), 401, 10, "Authentication failed");
    });
  });

  describe("expiry and the revoke control", () => {
    it("a revoked token gets 401 errorCode 11 'Token has expired'; a new login works", async () => {
      const { token } = await pair();
      http.sim.expireTokens("thingsboard");
      assertError(await devices(token), 401, 11, "Token has expired");
      assert.equal((await devices((await pair()).token)).status, 200);
    });

    it("a token expires at its exp", async () => {
      const { token } = await pair();
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(8_999_000);
        assert.equal((await devices(token)).status, 200);
        clock.tick(1_001);
        assertError(await devices(token), 401, 11, "Token has expired");
      } finally {
        clock.restore();
      }
    });
  });

  describe("refresh (POST /api/auth/token)", () => {
    it("gives a new pair; the old refresh token keeps working until it expires (stateless JWTs)", async () => {
      const old = await pair();
      const r = await refresh(old.refreshToken);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.token !== old.token && r.body.refreshToken !== old.refreshToken);
      assert.equal((await devices(r.body.token)).status, 200);
      assert.equal((await refresh(old.refreshToken)).status, 200);
      assert.equal(http.sim.count("thingsboard.refresh"), 2);
    });

    it("a refresh token outlives the revoke control: the demo's revoke -> one refresh -> the call answered", async () => {
      const old = await pair();
      http.sim.expireTokens("thingsboard");
      assertError(await devices(old.token), 401, 11, "Token has expired");
      const r = await refresh(old.refreshToken);
      assert.equal((await devices(r.body.token)).status, 200);
    });

    it("an expired refresh token gets 401 errorCode 11: the client must log in again", async () => {
      const old = await pair();
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
      try {
        clock.tick(604_800_000 + 1_000);
        assertError(await refresh(old.refreshToken), 401, 11, "Token has expired");
        assert.equal((await login()).status, 200);
      } finally {
        clock.restore();
      }
    });

    it("refuses another method, no refresh token, a body that is not JSON, or an access token", async () => {
      const { token, refreshToken } = await pair();
      const get = await http.call("/api/auth/token");
      assertError(get, 401, 10, "Authentication method not supported");
      assertError(await refresh(""), 401, 10, "Refresh token is not provided");
      const text = await http.call("/api/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      assertError(text, 401, 10, "Invalid refresh token request payload");
      assertError(await refresh(token), 401, 10, "Authentication failed");
      assert.equal((await refresh(refreshToken)).status, 200);
    });
  });
});
