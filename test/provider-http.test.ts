// Each adapter through the real HTTP layer against the simulator: the happy path, each documented
// vendor error, each misbehaviour, the HTTPS rule, and no secret in any error text.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import type { ProviderId } from "../src/providers";
import type { Endpoint, Fault } from "./simulator";
import { fetchError, fetchToken } from "./support/fetch-token";
import { freePort as closedPort } from "./support/ports";
import { simulatorHttp } from "./support/simulator-http";
import { shapesOf } from "./support/secret-shapes";
import { VENDOR_IDS } from "./support/vendors";

/** A wrong secret with the characters whose encoded shapes differ. */
const WRONG_SECRET = "wrong secret&+/=%:é";

describe("providers over HTTP against the simulator", function () {
  this.timeout(20_000);
  const suite = simulatorHttp();
  /** Errors checked so far: every test sweeps its own (see sweep), so each one stands alone. */
  let swept = 0;

  const credentialsOf = (provider: ProviderId): Record<string, string> => {
    const a = suite.sim.accounts;
    return provider === "orionstar"
      ? { appid: a.orionstar.appid, secret: a.orionstar.secret }
      : provider === "enos"
        ? { appKey: a.enos.appKey, appSecret: a.enos.appSecret }
        : { clientId: a.oneaccess.clientId, clientSecret: a.oneaccess.clientSecret };
  };
  const tokenEndpoint = (provider: ProviderId) => `${provider}.token` as Endpoint;
  const expectError = async (provider: ProviderId, credentials = credentialsOf(provider), settings = {}) => {
    const error = await fetchError(provider, suite.sim.url, credentials, settings);
    sweep(error);
    return error;
  };
  const demoSecrets = () =>
    [
      suite.sim.accounts.orionstar.secret,
      suite.sim.accounts.enos.appSecret,
      suite.sim.accounts.oneaccess.clientSecret,
    ].flatMap(shapesOf);
  /** No shape of any secret, nor OrionStar's query string, in anything the error carries. */
  const sweep = (error: TokenError): void => {
    const secrets = [...demoSecrets(), ...shapesOf(WRONG_SECRET), "secret=", "client_secret"];
    const text = [error.message, error.stack ?? "", JSON.stringify(error), JSON.stringify(error.params)].join("\n");
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} appears in: ${error.message}`);
    swept += 1;
  };

  for (const provider of VENDOR_IDS) {
    describe(provider, () => {
      it("gets a token with the lifetime the vendor gives", async () => {
        suite.sim.setTokenLifetime(provider, 1234);
        const token = await fetchToken(provider, suite.sim.url, credentialsOf(provider));
        assert.match(token.token, /^[\x21-\x7e]{16,}$/);
        assert.ok(token.expiresIn > 1230 && token.expiresIn <= 1234, `expiresIn ${token.expiresIn}`);
        assert.equal(suite.sim.count(tokenEndpoint(provider)), 1);
      });

      it("refuses a wrong secret with the vendor's code and a hint", async () => {
        const credentials = credentialsOf(provider);
        const secretField = Object.keys(credentials)[1];
        credentials[secretField] = WRONG_SECRET;
        const error = await expectError(provider, credentials);
        assert.equal(error.kind, "vendor");
        const expected = { orionstar: "101009", enos: "1003", oneaccess: "invalid_client" }[provider];
        assert.equal(error.code, expected);
        assert.match(error.message, new RegExp(expected));
        assert.match(error.message, /credentials node/);
      });

      const faults: Array<[string, Fault, RegExp, string]> = [
        ["a 500", { kind: "status", status: 500 }, /HTTP 500/, "server-error"],
        ["a 503 with Retry-After", { kind: "status", status: 503, retryAfter: 30 }, /HTTP 503/, "server-error"],
        ["a 429", { kind: "status", status: 429, retryAfter: 5 }, /429/, "rate-limited"],
        ["an HTML error page", { kind: "html" }, /HTTP 502/, "server-error"],
        ["truncated JSON", { kind: "truncated-json" }, /not valid JSON/, "not-json"],
        ["missing fields", { kind: "missing-fields" }, /without/, ""],
        ["JSON of the wrong shape", { kind: "wrong-shape" }, /not an object/, "wrong-shape"],
        ["an empty token", { kind: "token", token: "" }, /without a token/, "no-token"],
        [
          "a token with control characters",
          { kind: "token", token: "abc\u0007def" },
          /control characters/,
          "bad-token",
        ],
        ["a zero expiry", { kind: "token", expiresIn: 0 }, /unusable expiry/, "bad-expiry"],
        ["a negative expiry", { kind: "token", expiresIn: -5 }, /unusable expiry/, "bad-expiry"],
        ["a non-numeric expiry", { kind: "token", expiresIn: "abc" }, /unusable expiry/, "bad-expiry"],
        ["a 10 MiB body", { kind: "huge-body" }, /more than 1024 KiB/, "too-large"],
        ["a connection reset mid-body", { kind: "reset" }, /closed before the answer was complete/, "connection-reset"],
      ];
      for (const [label, fault, pattern, key] of faults) {
        it(`reports ${label} clearly`, async () => {
          suite.sim.fail(tokenEndpoint(provider), fault, 1);
          const error = await expectError(provider);
          assert.match(error.message, pattern);
          assert.match(error.message, new RegExp(error.vendor));
          if (key) assert.equal(error.key, key);
          if (fault.kind === "status" && fault.retryAfter) assert.equal(error.retryAfterMs, fault.retryAfter * 1000);
          // The vendor recovers: the next request works.
          const token = await fetchToken(provider, suite.sim.url, credentialsOf(provider));
          assert.ok(token.token.length > 0);
        });
      }

      it("gives up after the timeout", async () => {
        // The answer would come after ten minutes: an error at all, within this test, is the client giving up first.
        suite.sim.fail(tokenEndpoint(provider), { kind: "slow", ms: 600_000 }, 1);
        const error = await expectError(provider, credentialsOf(provider), { timeoutMs: 300 });
        assert.equal(error.kind, "timeout");
        assert.match(error.message, /within 0\.3 s/);
        assert.equal(suite.sim.count(tokenEndpoint(provider)), 1);
      });
    });
  }

  it("OrionStar: names a missing grant (101002) and a denied IP (101025) with the whitelist hint", async () => {
    const missing = await expectError("orionstar", { appid: suite.sim.accounts.orionstar.appid, secret: "" });
    assert.equal(missing.code, "101002");
    suite.sim.setIpAllowed(false);
    const denied = await expectError("orionstar");
    assert.equal(denied.code, "101025");
    assert.match(denied.message, /client ip 127\.0\.0\.1 deny/);
    assert.match(denied.message, /whitelist/);
    assert.ok(denied.requestId, "the req_id is kept for OrionStar support");
  });

  it("OrionStar: an unknown appid is 101009", async () => {
    const error = await expectError("orionstar", { appid: "nobody", secret: "x" });
    assert.equal(error.code, "101009");
  });

  it("EnOS: unknown appKey is 1002, empty fields 1202, vendor clock skew 1004", async () => {
    assert.equal((await expectError("enos", { appKey: "nobody", appSecret: "x" })).code, "1002");
    assert.equal((await expectError("enos", { appKey: "", appSecret: "" })).code, "1202");
    suite.sim.setClockSkew(60 * 60 * 1000);
    const skewed = await expectError("enos");
    assert.equal(skewed.code, "1004");
    assert.match(skewed.message, /clock/);
    assert.equal(skewed.vendor, "EnOS", "the error names its vendor");
  });

  it("EnOS: every request carries a fresh timestamp, so two requests in a row both succeed", async () => {
    const first = await fetchToken("enos", suite.sim.url, credentialsOf("enos"));
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await fetchToken("enos", suite.sim.url, credentialsOf("enos"));
    // EnOS hands out the same token while it is valid.
    assert.equal(second.token, first.token);
    assert.equal(suite.sim.count("enos.token"), 2);
  });

  it("each documented vendor code the simulator is told to answer", async () => {
    const cases: Array<[ProviderId, string | number]> = [
      ["orionstar", 101024],
      ["enos", 1001],
      ["enos", 1005],
      ["enos", 1203],
      ["enos", 1204],
      ["oneaccess", "USER.0033"],
      ["oneaccess", "unsupported_grant_type"],
    ];
    for (const [provider, code] of cases) {
      suite.sim.fail(tokenEndpoint(provider), { kind: "vendor-error", code, msg: `told to answer ${code}` }, 1);
      const error = await expectError(provider);
      assert.equal(error.code, String(code));
      assert.match(error.message, new RegExp(`${code}.*told to answer`));
    }
  });

  for (const provider of VENDOR_IDS) {
    it(`${provider}: a vendor message that echoes the secret in any shape is masked`, async () => {
      const secret = Object.values(credentialsOf(provider))[1];
      const echoed = shapesOf(secret);
      assert.equal(echoed.length, 4, "plain, form-encoded, percent-encoded and base64 all differ");
      suite.sim.fail(
        tokenEndpoint(provider),
        { kind: "vendor-error", code: 4242, msg: `echo ${echoed.join(" | ")}` },
        1,
      );
      const error = await expectError(provider);
      assert.equal(error.params.msg, "echo *** | *** | *** | ***");
    });
  }

  it("refuses plain HTTP to a host that is not loopback, before connecting", async () => {
    const refused = await fetchError("oneaccess", "http://tenant.example.com", credentialsOf("oneaccess"));
    sweep(refused);
    assert.equal(refused.key, "https-required");
    assert.match(refused.message, /https:\/\//);
  });

  it("reports a refused connection with the host", async () => {
    const port = await closedPort();
    const refused = await fetchError("orionstar", `http://127.0.0.1:${port}`, credentialsOf("orionstar"));
    sweep(refused);
    assert.equal(refused.key, "connection-refused");
    assert.match(refused.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it("sweeps every error it collects as it goes", () => {
    // The sweep above runs inside each test; this only proves it is not vacuous when run alone.
    const before = swept;
    const error = new TokenError({ kind: "vendor", vendor: "X", key: "vendor-code", params: { msg: "fine" } });
    sweep(error);
    assert.equal(swept, before + 1);
    const leaking = new TokenError({
      kind: "vendor",
      vendor: "X",
      key: "vendor-code",
      params: { msg: demoSecrets()[1] },
    });
    assert.throws(() => sweep(leaking), /appears in/);
  });
});
