// The oauth2 and custom providers over real HTTP against the simulator's RFC 6749 server and
// home-made endpoint, and the custom descriptions of the three seed vendors (from the example flow)
// against their simulated endpoints, token for token like the built-in adapters.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import { exampleConfig, onSimulator, sourceToken } from "./support/generic-flows";
import { simulatorHttp } from "./support/simulator-http";

describe("generic providers over HTTP (simulator)", function () {
  this.timeout(20_000);
  const suite = simulatorHttp();

  const oauth2Config = (extra: Record<string, unknown> = {}) => ({
    tokenUrl: `${suite.sim.url}/oauth2/token`,
    ...extra,
  });
  const demo = () => ({
    clientId: suite.sim.accounts.oauth2.clientId,
    clientSecret: suite.sim.accounts.oauth2.clientSecret,
  });

  async function failure(promise: Promise<unknown>): Promise<TokenError> {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof TokenError, String(err));
      return err;
    }
    assert.fail("expected the token request to fail");
  }

  describe("oauth2 against a strict RFC 6749 server", () => {
    const awkward = "p:a%s+s wörd/?&=€";

    for (const clientAuth of ["basic", "body"]) {
      it(`${clientAuth}: a client secret with ":", "%", "+" and non-ASCII gets a token`, async () => {
        suite.sim.addAccount("oauth2", { clientId: "client:ü+1", clientSecret: awkward });
        const token = await sourceToken("oauth2", oauth2Config({ clientAuth }), {
          clientId: "client:ü+1",
          clientSecret: awkward,
        });
        assert.ok(token.value.length >= 16);
        assert.equal(suite.sim.count("oauth2.token"), 1);
      });
    }

    it("reads the lower-case token_type and expires_in; a granted scope is accepted", async () => {
      suite.sim.setTokenLifetime("oauth2", 1234);
      const token = await sourceToken("oauth2", oauth2Config({ scope: "read" }), demo());
      assert.equal(token.expiresAt - token.obtainedAt, 1234 * 1000);
    });

    it("an answer without expires_in gets the configured lifetime", async () => {
      suite.sim.addAccount("oauth2", { clientId: "no-expiry", clientSecret: "s", omitExpiresIn: "true" });
      const token = await sourceToken("oauth2", oauth2Config({ lifetime: 600 }), {
        clientId: "no-expiry",
        clientSecret: "s",
      });
      assert.equal(token.expiresAt - token.obtainedAt, 600 * 1000);
    });

    const errors: Array<[string, () => [Record<string, unknown>, Record<string, string>], RegExp]> = [
      ["invalid_client", () => [oauth2Config(), { ...demo(), clientSecret: "wrong:secret%" }], /client secret/],
      ["invalid_client", () => [oauth2Config({ clientAuth: "body" }), { ...demo(), clientSecret: "wr0ng" }], /client/],
      ["invalid_scope", () => [oauth2Config({ scope: "read admin" }), demo()], /Check the scope/],
      [
        "unauthorized_client",
        () => {
          suite.sim.addAccount("oauth2", { clientId: "no-grant", clientSecret: "s3", clientCredentials: "false" });
          return [oauth2Config(), { clientId: "no-grant", clientSecret: "s3" }];
        },
        /may not use the client credentials grant/,
      ],
    ];
    for (const [code, arrange, hint] of errors) {
      it(`5.2 ${code}: the error, its description and a hint, no secret`, async () => {
        const [config, credentials] = arrange();
        const error = await failure(sourceToken("oauth2", config, credentials));
        assert.equal(error.code, code);
        assert.match(error.message, hint);
        assert.match(error.message, /HTTP 40[01]/);
        assert.ok(!error.message.includes(credentials.clientSecret), error.message);
        assert.ok(!JSON.stringify(error.params).includes(credentials.clientSecret));
      });
    }
  });

  describe("custom", () => {
    const homemade = () => onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim);
    const homemadeKeys = () => ({
      key: suite.sim.accounts.homemade.appKey,
      secret: suite.sim.accounts.homemade.appSecret,
    });

    it("the home-made endpoint: HMAC-signed body, token at result.auth.token, absolute expiry", async () => {
      suite.sim.setTokenLifetime("homemade", 900);
      const token = await sourceToken("custom", homemade(), homemadeKeys());
      const lifetime = (token.expiresAt - token.obtainedAt) / 1000;
      // The answer's absolute time has whole milliseconds; the round trip takes a few of them.
      assert.ok(lifetime > 895 && lifetime <= 900, String(lifetime));
      // A new nonce and timestamp each time: a second request is not refused as a replay.
      await sourceToken("custom", homemade(), homemadeKeys());
      assert.equal(suite.sim.count("homemade.token"), 2);
    });

    it("the home-made endpoint's errors: errno and errmsg, never the secret", async () => {
      const error = await failure(sourceToken("custom", homemade(), { ...homemadeKeys(), secret: "wrong-Secret" }));
      assert.equal(error.code, "40103");
      assert.match(error.message, /signature mismatch/);
      assert.ok(!error.message.includes("wrong-Secret"));
    });

    const seeds = [
      [
        "orionstar",
        "cfg-custom-orionstar",
        () => ({ appid: suite.sim.accounts.orionstar.appid, secret: suite.sim.accounts.orionstar.secret }),
      ],
      [
        "enos",
        "cfg-custom-enos",
        () => ({ appKey: suite.sim.accounts.enos.appKey, appSecret: suite.sim.accounts.enos.appSecret }),
      ],
      [
        "oneaccess",
        "cfg-custom-oneaccess",
        () => ({
          clientId: suite.sim.accounts.oneaccess.clientId,
          clientSecret: suite.sim.accounts.oneaccess.clientSecret,
        }),
      ],
    ] as const;
    for (const [vendor, id, builtInCredentials] of seeds) {
      it(`${vendor} described in JSONata gets its token as the built-in adapter does`, async () => {
        const [key, secret] = Object.values(builtInCredentials());
        const builtIn = await sourceToken(vendor, { baseUrl: suite.sim.url }, builtInCredentials());
        const described = await sourceToken("custom", onSimulator(exampleConfig(id), suite.sim), { key, secret });
        // EnOS says the remaining lifetime of the token it hands out again, in whole seconds.
        const lifetimes = [described, builtIn].map((token) => token.expiresAt - token.obtainedAt);
        assert.ok(Math.abs(lifetimes[0] - lifetimes[1]) <= 1000, `${lifetimes[0]} vs ${lifetimes[1]}`);
        assert.ok(lifetimes[0] >= 1800_000, String(lifetimes[0]));
        assert.equal(described.value.length, builtIn.value.length);
        // EnOS hands out its valid token again: the very same one.
        if (vendor === "enos") assert.equal(described.value, builtIn.value);
        assert.equal(suite.sim.count(`${vendor}.token`), 2);
        // And the same vendor error for a wrong secret.
        const wrong = await failure(
          sourceToken("custom", onSimulator(exampleConfig(id), suite.sim), { key, secret: "nope" }),
        );
        const credentials = builtInCredentials();
        const secretField = Object.keys(credentials)[1];
        const expected = await failure(
          sourceToken(vendor, { baseUrl: suite.sim.url }, { ...credentials, [secretField]: "nope" }),
        );
        assert.equal(wrong.code, expected.code);
      });
    }
  });
});
