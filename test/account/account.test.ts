// The Account on its own, without Node-RED, against the simulator over real HTTP: every API call
// passes the origin rule before any token is fetched, is authorized by the bound provider, judged by
// its verdict, and sent once more after one shared refresh when the vendor says the token expired.
import assert from "node:assert/strict";
import { Account } from "../../src/account/account";
import { ApiOrigins } from "../../src/api-origins";
import { TokenError } from "../../src/errors";
import { HttpClient } from "../../src/http";
import { providers } from "../../src/providers";
import { custom } from "../../src/providers/custom";
import { presets } from "../../src/providers/presets";
import { expressionEvaluator } from "../support/expressions";
import { presetConfig } from "../support/presets";
import { simulatorHttp } from "../support/simulator-http";

describe("Account", function () {
  this.timeout(20_000);
  const accounts: Account[] = [];

  // Before the frame's afterEach, which resets the simulator once the accounts are closed.
  afterEach(async () => {
    await Promise.all(accounts.splice(0).map((account) => account.close()));
  });
  const suite = simulatorHttp();

  /** The simulator's OneAccess account, its API on the simulator's origin only. */
  function oneaccess(now?: () => number): Account {
    const provider = providers.oneaccess.bind(suite.sim.url, { ...suite.sim.accounts.oneaccess });
    const api = {
      base: suite.sim.url,
      origins: new ApiOrigins([new URL(suite.sim.url).origin], "OneAccess credentials"),
    };
    const account = new Account({ provider, http: new HttpClient(), api, now });
    accounts.push(account);
    return account;
  }

  /** The simulator's ThingsBoard account through its preset: a custom provider whose auth value is prepared per token. */
  function thingsboard(extra: Record<string, unknown> = {}): Account {
    const preset = presets.thingsboard;
    const [region] = Object.keys(preset.regions);
    const settings = custom.settings({ ...presetConfig(preset, region, suite.sim.url), ...extra }, expressionEvaluator);
    const { username, password } = suite.sim.accounts.thingsboard;
    const provider = custom.bind(settings, { key: username, secret: password });
    const api = { base: suite.sim.url, origins: new ApiOrigins([new URL(suite.sim.url).origin], "ThingsBoard") };
    const account = new Account({ provider, http: new HttpClient(), api });
    accounts.push(account);
    return account;
  }

  const options = (resend: boolean) => ({
    vendor: "OneAccess",
    signal: new AbortController().signal,
    maxBytes: 1024 * 1024,
    marginMs: 0,
    forceRefresh: false,
    resend,
  });
  const users = () => ({ method: "GET", url: `${suite.sim.url}/api/v2/tenant/users`, headers: {} });

  it("a call fetches one token, sends it as the provider authorizes, and reads the verdict", async () => {
    const account = oneaccess();
    const outcome = await account.call(users(), options(true));
    assert.equal(outcome.answer.status, 200);
    assert.deepEqual(outcome.verdict, { outcome: "ok" });
    assert.equal(outcome.resent, false);
    assert.equal(outcome.token, outcome.firstToken);
    assert.equal(outcome.token?.value, account.tokens.current()?.value);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.equal(suite.sim.count("oneaccess.users"), 1);
  });

  it("a message's token-only headers: authorized once per token, the token's own headers, anew for a new token", async () => {
    const account = oneaccess();
    const first = await account.token({ marginMs: 0 });
    const sent = await account.authorizeTokenOnly(first);
    assert.equal(sent.headers.Authorization, `Bearer ${first.value}`);
    assert.equal(await account.authorizeTokenOnly(first), sent, "the same token: authorize is not run again");
    const second = await account.token({ marginMs: 0, forceRefresh: true });
    assert.notEqual(second.value, first.value);
    assert.equal((await account.authorizeTokenOnly(second)).headers.Authorization, `Bearer ${second.value}`);
  });

  it("on the vendor's expiry signal: one refresh and one resend; without resend the verdict is returned as it is", async () => {
    const account = oneaccess();
    await account.call(users(), options(true));
    suite.sim.expireTokens("oneaccess");
    const resent = await account.call(users(), options(true));
    assert.equal(resent.resent, true);
    assert.deepEqual(resent.verdict, { outcome: "ok" });
    assert.ok(resent.token && resent.firstToken);
    assert.notEqual(resent.token.value, resent.firstToken.value);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    suite.sim.expireTokens("oneaccess");
    const once = await account.call(users(), options(false));
    assert.equal(once.resent, false);
    assert.equal(once.verdict.outcome, "token-rejected");
    assert.equal(suite.sim.count("oneaccess.token"), 2, "no refresh without resend");
  });

  it("many calls that see the same token refused cause one token request", async () => {
    const account = oneaccess();
    await account.call(users(), options(true));
    suite.sim.expireTokens("oneaccess");
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => account.call(users(), options(true))));
    assert.ok(outcomes.every((outcome) => outcome.resent && outcome.verdict.outcome === "ok"));
    assert.equal(new Set(outcomes.map((outcome) => outcome.token?.value)).size, 1);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("fresh: the held token once it is ready to authorize (its auth value prepared), without a promise", async () => {
    // ThingsBoard with an auth value of its own (the default needs no work per token).
    for (const account of [oneaccess(), thingsboard({ authValue: '"Bearer " & $trim($token)' })]) {
      assert.equal(Boolean(account.provider.prepare), account.provider.vendor !== "OneAccess");
      assert.equal(account.fresh(0), undefined, "no token yet");
      const token = await account.token({ marginMs: 0 });
      assert.equal(account.fresh(0), token, account.provider.vendor);
    }
  });

  it("a call to another origin is refused before any token is fetched", async () => {
    const account = oneaccess();
    let told = 0;
    const refused = await account
      .call({ ...users(), url: "https://elsewhere.example/api" }, { ...options(true), onTokenRequest: () => told++ })
      .then(
        () => assert.fail("the call went out"),
        (err: unknown) => err,
      );
    assert.ok(refused instanceof TokenError);
    assert.equal(refused.key, "api-origin");
    assert.equal(told, 0);
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });

  it("a call to the API base the token answer named goes out, though its origin is not among the configured ones", async () => {
    // The same simulator by another name: an origin of its own.
    const named = suite.sim.url.replace("127.0.0.1", "localhost");
    const account = thingsboard({ apiBase: JSON.stringify(named) });
    const devices = { method: "GET", url: `${named}/api/tenant/devices?pageSize=10&page=0`, headers: {} };
    await account.token({ marginMs: 0 }); // the answer that names it
    const outcome = await account.call(devices, { ...options(true), vendor: "ThingsBoard" });
    assert.equal(outcome.answer.status, 200);
    assert.equal(suite.sim.count("thingsboard.devices"), 1);
    const elsewhere = { ...devices, url: "https://elsewhere.example/api/tenant/devices" };
    await assert.rejects(account.call(elsewhere, { ...options(true), vendor: "ThingsBoard" }), { key: "api-origin" });
  });

  it("a call that waited its turn past its margin gets a new token first, for the call's own margin", async () => {
    let now = Date.now();
    const account = oneaccess(() => now);
    const marginMs = 600_000; // more than the default margin (300 s), less than half the simulator's 1800 s
    const held = await account.token({ marginMs });
    account.limiter.pause(100);
    const outcome = account.call(users(), { ...options(true), marginMs });
    // While the call waits its turn (it took the held token before): inside its margin, outside the default one.
    setImmediate(() => (now = held.expiresAt - 450_000));
    const { token } = await outcome;
    assert.notEqual(token?.value, held.value);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("tells when a call waits for a token request, and not when a held token serves it", async () => {
    const account = oneaccess();
    let told = 0;
    await account.call(users(), { ...options(true), onTokenRequest: () => told++ });
    await account.call(users(), { ...options(true), onTokenRequest: () => told++ });
    assert.equal(told, 1);
  });

  it("after close no call goes out and the token request in flight ends as aborted", async () => {
    const account = oneaccess();
    suite.sim.fail("oneaccess.token", { kind: "slow", ms: 2_000 }, 1);
    const pending = account.call(users(), options(true));
    await account.close();
    const error = await pending.then(
      () => assert.fail("answered after close"),
      (err: unknown) => err,
    );
    assert.ok(error instanceof TokenError);
    assert.equal(error.kind, "aborted");
    assert.equal(suite.sim.count("oneaccess.users"), 0);
  });
});
