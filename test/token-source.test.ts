// The shared cache of one account against the simulator: single-flight, margin, forced refresh,
// failures shared and backed off, Retry-After, close. Expiry is driven by sinon's fake Date.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { TokenError } from "../src/errors";
import { HttpClient } from "../src/http";
import { providers } from "../src/providers";
import { TokenSource } from "../src/token-source";
import { ProviderSimulator } from "./simulator";

describe("TokenSource", function () {
  this.timeout(20_000);
  let sim: ProviderSimulator;
  let http: HttpClient;
  let clock: sinon.SinonFakeTimers | undefined;
  const sources: TokenSource[] = [];

  before(async () => {
    sim = await ProviderSimulator.start();
  });
  after(() => sim.close());
  beforeEach(() => {
    http = new HttpClient();
  });
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    sources.splice(0).forEach((source) => source.close());
    await http.close();
    sim.reset();
  });

  function oneaccessSource(options: Partial<ConstructorParameters<typeof TokenSource>[0]> = {}): TokenSource {
    const { clientId, clientSecret } = sim.accounts.oneaccess;
    const source = new TokenSource({
      adapter: providers.oneaccess,
      settings: sim.url,
      credentials: { clientId, clientSecret },
      http,
      ...options,
    });
    sources.push(source);
    return source;
  }
  /** Fake only Date: sockets and undici's timers keep real time. */
  const fakeDate = () => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] }));
  const rejection = async (promise: Promise<unknown>): Promise<TokenError> => {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof TokenError);
      return err;
    }
    assert.fail("expected a rejection");
  };

  it("makes one request for 200 concurrent callers on a cold cache", async () => {
    const source = oneaccessSource();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => source.get()));
    assert.equal(sim.count("oneaccess.token"), 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
  });

  it("makes no request while the cached token is fresh", async () => {
    const source = oneaccessSource();
    const first = await source.get();
    for (let i = 0; i < 50; i++) assert.equal((await source.get()).value, first.value);
    assert.equal(sim.count("oneaccess.token"), 1);
  });

  it("refreshes once the margin before expiry is reached, not before", async () => {
    fakeDate();
    sim.setTokenLifetime("oneaccess", 1800);
    const source = oneaccessSource();
    const first = await source.get({ marginMs: 300_000 });
    clock!.tick(1800_000 - 300_000 - 1_000); // 1 s before the margin
    assert.equal((await source.get({ marginMs: 300_000 })).value, first.value);
    assert.equal(sim.count("oneaccess.token"), 1);
    clock!.tick(2_000); // inside the margin
    const second = await source.get({ marginMs: 300_000 });
    assert.notEqual(second.value, first.value);
    assert.equal(sim.count("oneaccess.token"), 2);
  });

  it("caps the margin at half a short token's lifetime", async () => {
    fakeDate();
    sim.setTokenLifetime("oneaccess", 60);
    const source = oneaccessSource();
    await source.get({ marginMs: 300_000 }); // a 300 s margin would refresh on every call
    clock!.tick(29_000);
    await source.get({ marginMs: 300_000 });
    assert.equal(sim.count("oneaccess.token"), 1);
    clock!.tick(2_000);
    await source.get({ marginMs: 300_000 });
    assert.equal(sim.count("oneaccess.token"), 2);
  });

  it("fresh() answers what get() would answer without a request, and nothing inside the margin or after close", async () => {
    fakeDate();
    sim.setTokenLifetime("oneaccess", 600);
    const source = oneaccessSource();
    assert.equal(source.fresh(60_000), undefined);
    const token = await source.get({ marginMs: 60_000 });
    assert.equal(source.fresh(60_000), token);
    clock!.tick(539_000);
    assert.equal(source.fresh(60_000), token);
    clock!.tick(2_000); // inside the margin: get() would refresh, so fresh() leaves it to get()
    assert.equal(source.fresh(60_000), undefined);
    assert.equal(source.current(), token);
    const next = await source.get({ marginMs: 60_000 });
    assert.notEqual(next.value, token.value);
    assert.equal(source.fresh(60_000), next);
    source.close();
    assert.equal(source.fresh(60_000), undefined);
  });

  it("forceRefresh makes one new request however many callers ask at once", async () => {
    const source = oneaccessSource();
    const first = await source.get();
    const forced = await Promise.all(
      Array.from({ length: 50 }, () => source.get({ forceRefresh: true, staleToken: first.value })),
    );
    assert.equal(sim.count("oneaccess.token"), 2);
    assert.ok(forced.every((t) => t.value !== first.value));
    // A caller still holding the old token is served the newer one without another request.
    await source.get({ forceRefresh: true, staleToken: first.value });
    assert.equal(sim.count("oneaccess.token"), 2);
  });

  it("never caches a failure; waiting callers share it; then backs off and recovers", async () => {
    fakeDate();
    const source = oneaccessSource({ backoff: { initialMs: 1_000, maxMs: 8_000 } });
    sim.fail("oneaccess.token", { kind: "status", status: 500 }, 1);
    const failures = await Promise.all(Array.from({ length: 20 }, () => rejection(source.get())));
    assert.equal(sim.count("oneaccess.token"), 1, "20 waiting callers made one request");
    assert.ok(failures.every((e) => e === failures[0]));
    // Inside the backoff window: fail fast, no request.
    const fast = await rejection(source.get());
    assert.equal(fast.httpStatus, 500);
    assert.equal(sim.count("oneaccess.token"), 1);
    clock!.tick(1_001);
    const token = await source.get();
    assert.ok(token.value);
    assert.equal(sim.count("oneaccess.token"), 2);
  });

  it("grows the backoff after each failure", async () => {
    fakeDate();
    const source = oneaccessSource({ backoff: { initialMs: 1_000, maxMs: 60_000 } });
    sim.fail("oneaccess.token", { kind: "status", status: 503 });
    await rejection(source.get());
    clock!.tick(1_001);
    await rejection(source.get()); // second failure: 2 s
    assert.equal(sim.count("oneaccess.token"), 2);
    clock!.tick(1_500);
    await rejection(source.get());
    assert.equal(sim.count("oneaccess.token"), 2, "still inside the 2 s backoff");
    clock!.tick(600);
    await rejection(source.get());
    assert.equal(sim.count("oneaccess.token"), 3);
  });

  it("honours Retry-After when it asks for longer than the backoff", async () => {
    fakeDate();
    const source = oneaccessSource();
    sim.fail("oneaccess.token", { kind: "status", status: 429, retryAfter: 30 }, 1);
    await rejection(source.get());
    clock!.tick(29_000);
    await rejection(source.get());
    assert.equal(sim.count("oneaccess.token"), 1);
    clock!.tick(1_100);
    await source.get();
    assert.equal(sim.count("oneaccess.token"), 2);
  });

  it("keeps serving a still-valid token when a refresh inside the margin fails", async () => {
    fakeDate();
    sim.setTokenLifetime("oneaccess", 1800);
    const source = oneaccessSource();
    const first = await source.get();
    const refreshErrors: TokenError[] = [];
    source.on("refresh-error", (err: TokenError) => refreshErrors.push(err));
    clock!.tick(1600_000);
    sim.fail("oneaccess.token", { kind: "status", status: 502 }, 1);
    assert.equal((await source.get()).value, first.value);
    assert.equal(refreshErrors.length, 1);
    clock!.tick(250_000); // now expired: no fallback left
    sim.fail("oneaccess.token", { kind: "status", status: 502 }, 1);
    await rejection(source.get());
  });

  it("adopts a seeded token only when it is valid and newer", async () => {
    const source = oneaccessSource();
    assert.equal(source.seed({ value: "old", obtainedAt: Date.now() - 2000, expiresAt: Date.now() - 1000 }), false);
    assert.equal(source.seed({ value: "seeded", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 }), true);
    assert.equal((await source.get()).value, "seeded");
    assert.equal(sim.count("oneaccess.token"), 0);
  });

  it("close aborts the request in flight and refuses further calls", async () => {
    sim.fail("oneaccess.token", { kind: "slow", ms: 3_000 });
    const source = oneaccessSource();
    const pending = rejection(source.get());
    await new Promise((resolve) => setTimeout(resolve, 100));
    source.close();
    const error = await pending;
    assert.equal(error.kind, "aborted");
    assert.equal((await rejection(source.get())).kind, "aborted");
    assert.equal(sim.count("oneaccess.token"), 1);
  });

  it("names the account without the secret, and another secret is another account", () => {
    const { clientId, clientSecret } = sim.accounts.oneaccess;
    const a = oneaccessSource();
    const b = oneaccessSource({ credentials: { clientId, clientSecret: "rotated" } });
    assert.ok(a.account.includes(clientId));
    assert.ok(!a.account.includes(clientSecret));
    assert.notEqual(a.account, b.account);
  });
});
