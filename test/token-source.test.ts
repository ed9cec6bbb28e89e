// The shared cache of one account against the simulator: single-flight, margin, forced refresh,
// failures shared and backed off, Retry-After, close. Expiry is driven by sinon's fake Date.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { TokenError } from "../src/errors";
import { HttpClient } from "../src/http";
import { providers, type Credentials } from "../src/providers";
import { SharedRefresh } from "../src/shared-cache/shared-refresh";
import type { Token } from "../src/token";
import { TokenSource, type SharedCache } from "../src/token-source";
import { MemoryTokenStore } from "./shared-cache/memory-store";
import { simulatorHttp } from "./support/simulator-http";

describe("TokenSource", function () {
  this.timeout(20_000);
  let http: HttpClient;
  let clock: sinon.SinonFakeTimers | undefined;
  const sources: TokenSource[] = [];

  beforeEach(() => {
    http = new HttpClient();
  });
  // Before the frame's afterEach, which resets the simulator once the sources are closed.
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    sources.splice(0).forEach((source) => source.close());
    await http.close();
  });
  const suite = simulatorHttp();

  /** A token source of the simulator's OneAccess account; `credentials` bind the provider to another one. */
  function oneaccessSource(
    options: Partial<ConstructorParameters<typeof TokenSource>[0]> & { credentials?: Credentials } = {},
  ): TokenSource {
    const { credentials = suite.sim.accounts.oneaccess, ...rest } = options;
    const { clientId, clientSecret } = credentials;
    const source = new TokenSource({
      provider: providers.oneaccess.bind(suite.sim.url, { clientId, clientSecret }),
      http,
      ...rest,
    });
    sources.push(source);
    return source;
  }
  /** Fake only Date: sockets and undici's timers keep real time. */
  const fakeDate = () => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] }));
  /** Resolve once the predicate holds; polled on real timers (only Date is ever faked here). */
  const until = async (predicate: () => boolean): Promise<void> => {
    while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
  };
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
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
  });

  it("makes no request while the cached token is fresh", async () => {
    const source = oneaccessSource();
    const first = await source.get();
    for (let i = 0; i < 50; i++) assert.equal((await source.get()).value, first.value);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("refreshes once the margin before expiry is reached, not before", async () => {
    fakeDate();
    suite.sim.setTokenLifetime("oneaccess", 1800);
    const source = oneaccessSource();
    const first = await source.get({ marginMs: 300_000 });
    clock!.tick(1800_000 - 300_000 - 1_000); // 1 s before the margin
    assert.equal((await source.get({ marginMs: 300_000 })).value, first.value);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    clock!.tick(2_000); // inside the margin
    const second = await source.get({ marginMs: 300_000 });
    assert.notEqual(second.value, first.value);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("caps the margin at half a short token's lifetime", async () => {
    fakeDate();
    suite.sim.setTokenLifetime("oneaccess", 60);
    const source = oneaccessSource();
    await source.get({ marginMs: 300_000 }); // a 300 s margin would refresh on every call
    clock!.tick(29_000);
    await source.get({ marginMs: 300_000 });
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    clock!.tick(2_000);
    await source.get({ marginMs: 300_000 });
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("fresh() answers what get() would answer without a request, and nothing inside the margin or after close", async () => {
    fakeDate();
    suite.sim.setTokenLifetime("oneaccess", 600);
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
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    assert.ok(forced.every((t) => t.value !== first.value));
    // A caller still holding the old token is served the newer one without another request.
    await source.get({ forceRefresh: true, staleToken: first.value });
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("never caches a failure; waiting callers share it; then backs off and recovers", async () => {
    fakeDate();
    const source = oneaccessSource({ backoff: { initialMs: 1_000, maxMs: 8_000 } });
    suite.sim.fail("oneaccess.token", { kind: "status", status: 500 }, 1);
    const failures = await Promise.all(Array.from({ length: 20 }, () => rejection(source.get())));
    assert.equal(suite.sim.count("oneaccess.token"), 1, "20 waiting callers made one request");
    assert.ok(failures.every((e) => e === failures[0]));
    // Inside the backoff window: fail fast, no request.
    const fast = await rejection(source.get());
    assert.equal(fast.httpStatus, 500);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    clock!.tick(1_001);
    const token = await source.get();
    assert.ok(token.value);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("grows the backoff after each failure", async () => {
    fakeDate();
    const source = oneaccessSource({ backoff: { initialMs: 1_000, maxMs: 60_000 } });
    suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
    await rejection(source.get());
    clock!.tick(1_001);
    await rejection(source.get()); // second failure: 2 s
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    clock!.tick(1_500);
    await rejection(source.get());
    assert.equal(suite.sim.count("oneaccess.token"), 2, "still inside the 2 s backoff");
    clock!.tick(600);
    await rejection(source.get());
    assert.equal(suite.sim.count("oneaccess.token"), 3);
  });

  it("honours Retry-After when it asks for longer than the backoff", async () => {
    fakeDate();
    const source = oneaccessSource();
    suite.sim.fail("oneaccess.token", { kind: "status", status: 429, retryAfter: 30 }, 1);
    await rejection(source.get());
    clock!.tick(29_000);
    await rejection(source.get());
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    clock!.tick(1_100);
    await source.get();
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("keeps serving a still-valid token when a refresh inside the margin fails", async () => {
    fakeDate();
    suite.sim.setTokenLifetime("oneaccess", 1800);
    const source = oneaccessSource();
    const first = await source.get();
    const refreshErrors: TokenError[] = [];
    source.on("refresh-error", (err: TokenError) => refreshErrors.push(err));
    clock!.tick(1600_000);
    suite.sim.fail("oneaccess.token", { kind: "status", status: 502 }, 1);
    assert.equal((await source.get()).value, first.value);
    assert.equal(refreshErrors.length, 1);
    clock!.tick(250_000); // now expired: no fallback left
    suite.sim.fail("oneaccess.token", { kind: "status", status: 502 }, 1);
    await rejection(source.get());
  });

  it("adopts a seeded token only when it is valid and newer", async () => {
    const source = oneaccessSource();
    assert.equal(source.seed({ value: "old", obtainedAt: Date.now() - 2000, expiresAt: Date.now() - 1000 }), false);
    assert.equal(source.seed({ value: "seeded", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 }), true);
    assert.equal((await source.get()).value, "seeded");
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });

  it("a seeded token adopted announces a state change; one refused announces none", () => {
    const source = oneaccessSource();
    const states: unknown[] = [];
    source.on("state", (change) => states.push(change));
    assert.equal(source.seed({ value: "old", obtainedAt: Date.now() - 2000, expiresAt: Date.now() - 1000 }), false);
    assert.deepEqual(states, []);
    assert.equal(source.seed({ value: "seeded", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 }), true);
    assert.deepEqual(states, ["token"]);
    assert.equal(source.describe().origin, "context");
  });

  it("adopts a seeded token newer than the one it holds", async () => {
    const source = oneaccessSource();
    const held = await source.get();
    const newer = { value: "newer", obtainedAt: held.obtainedAt + 1, expiresAt: held.expiresAt + 60_000 };
    assert.equal(source.seed(newer), true);
    assert.equal((await source.get()).value, "newer");
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("current() holds the token until the instant it expires, not at it", async () => {
    fakeDate();
    const source = oneaccessSource();
    const token = await source.get();
    clock!.tick(token.expiresAt - Date.now() - 1);
    assert.equal(source.current()?.value, token.value);
    clock!.tick(1);
    assert.equal(source.current(), undefined);
  });

  it("emits each new token as a token event", async () => {
    const source = oneaccessSource();
    const seen: string[] = [];
    source.on("token", (token: { value: string }) => seen.push(token.value));
    const token = await source.get();
    assert.deepEqual(seen, [token.value]);
  });

  it("masks every shape of the secret a vendor message echoes", async () => {
    const secret = "echo me&+/=%:é";
    suite.sim.addAccount("oneaccess", { clientId: "echo-client", clientSecret: secret });
    const shapes = [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64").replace(/=+$/, "")];
    suite.sim.fail(
      "oneaccess.token",
      { kind: "vendor-error", code: "invalid_client", msg: `got ${shapes.join(" ")}` },
      1,
    );
    const source = oneaccessSource({ credentials: { clientId: "echo-client", clientSecret: secret } });
    const error = await rejection(source.get());
    const text = [error.message, JSON.stringify(error.params)].join("\n");
    for (const shape of shapes) assert.ok(!text.includes(shape), `${shape} in ${text}`);
    assert.match(text, /got \*\*\* \*\*\* \*\*\*/);
  });

  it("masks an echoed secret before a quoted value is cut to length, in any letter case", async () => {
    const secret = "echo me&+/=%:é";
    suite.sim.addAccount("oneaccess", { clientId: "echo-client", clientSecret: secret });
    // The secret straddles the cut (40 characters): cut first, its first half would no longer match.
    const expiresIn = `${"x".repeat(30)}${secret} ${secret.toUpperCase()}`;
    suite.sim.fail("oneaccess.token", { kind: "token", expiresIn }, 1);
    const source = oneaccessSource({ credentials: { clientId: "echo-client", clientSecret: secret } });
    const error = await rejection(source.get());
    assert.equal(error.key, "bad-expiry");
    const text = [error.message, JSON.stringify(error.params)].join("\n");
    for (let start = 0; start + 6 <= secret.length; start += 1) {
      const piece = secret.slice(start, start + 6);
      assert.ok(!text.toLowerCase().includes(piece.toLowerCase()), `${piece} in ${text}`);
    }
    assert.match(error.message, /"x{30}\*\*\* \*\*\*"/);
  });

  it("refuses to seed a valid token older than the one it holds", async () => {
    const source = oneaccessSource();
    const held = await source.get();
    const older = { value: "older", obtainedAt: held.obtainedAt - 60_000, expiresAt: held.expiresAt - 60_000 };
    assert.ok(older.expiresAt > Date.now(), "the older token is still valid");
    assert.equal(source.seed(older), false);
    assert.equal((await source.get()).value, held.value);
    assert.equal(source.current()?.value, held.value);
  });

  it("a refresh that fails after the held token expired meanwhile does not answer with the expired token", async () => {
    fakeDate();
    let calls = 0;
    const source = oneaccessSource({
      http: {
        // The first request goes to the simulator; the second fails only after the held token has expired.
        send: async (request, vendor, signal) => {
          calls += 1;
          if (calls === 1) return http.send(request, vendor, signal);
          clock!.tick(3_600_000);
          throw new TokenError({ kind: "network", vendor, key: "connection-reset", params: { host: "h" } });
        },
      },
    });
    const first = await source.get();
    clock!.tick(first.expiresAt - first.obtainedAt - 60_000); // inside the margin, still valid
    const error = await rejection(source.get());
    assert.equal(error.key, "connection-reset");
    assert.equal(calls, 2);
  });

  it("an error that is no TokenError from a shared cache leaves with no shape of the secret", async () => {
    const { clientId } = suite.sim.accounts.oneaccess;
    const secret = "sh ared&+/=%:é";
    const source = oneaccessSource({
      credentials: { clientId, clientSecret: secret },
      shared: {
        obtain: () =>
          Promise.reject(new Error(`store refused ${secret} / ${new URLSearchParams({ s: secret }).toString()}`)),
      },
    });
    const error = await rejection(source.get());
    assert.equal(error.key, "unexpected");
    assert.match(String(error.params.detail), /^store refused \*\*\* \/ s=\*\*\*$/);
    assert.ok(!error.message.includes(secret), error.message);
  });

  it("close aborts the request in flight and refuses further calls", async () => {
    // The answer would come only after ten minutes and the client would wait that long: the call can
    // settle within this test only if close() aborts the request (the close settles before the answer).
    suite.sim.fail("oneaccess.token", { kind: "slow", ms: 600_000 });
    const patient = new HttpClient({ timeoutMs: 600_000 });
    try {
      const source = oneaccessSource({ http: patient });
      const pending = rejection(source.get());
      await until(() => suite.sim.count("oneaccess.token") === 1);
      source.close();
      const error = await pending;
      assert.equal(error.kind, "aborted");
      assert.equal((await rejection(source.get())).kind, "aborted");
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    } finally {
      await patient.close();
    }
  });

  it("warns once that a vendor's lifetime past a day was capped, with the vendor's value; never for a normal one", async () => {
    const source = oneaccessSource();
    const capped: number[] = [];
    source.on("lifetime-capped", (seconds: number) => capped.push(seconds));
    await source.get();
    assert.deepEqual(capped, [], "a normal lifetime is not capped");
    suite.sim.setTokenLifetime("oneaccess", 200_000);
    const first = await source.get({ forceRefresh: true });
    assert.equal(first.expiresAt - first.obtainedAt, 86_400_000, "believed for a day");
    await source.get({ forceRefresh: true });
    assert.deepEqual(capped, [200_000], "once, however many capped tokens follow");
  });

  it("refuses to seed a token that expires at this instant, or one that expires no later than the held one", async () => {
    fakeDate();
    const source = oneaccessSource();
    const now = Date.now();
    assert.equal(source.seed({ value: "ending", obtainedAt: now - 60_000, expiresAt: now }), false);
    const held = await source.get();
    assert.equal(source.seed({ value: "same-expiry", obtainedAt: held.obtainedAt, expiresAt: held.expiresAt }), false);
    assert.equal(source.current()?.value, held.value);
    assert.equal(source.describe().origin, "vendor");
  });

  it("asks again at the very instant the backoff ends", async () => {
    fakeDate();
    const source = oneaccessSource({ backoff: { initialMs: 1_000 } });
    suite.sim.fail("oneaccess.token", { kind: "status", status: 500 }, 1);
    await rejection(source.get());
    clock!.tick(1_000);
    await source.get();
    assert.equal(suite.sim.count("oneaccess.token"), 2);
  });

  it("inside the backoff, serves the held token that still works, and fails a forced refresh fast", async () => {
    fakeDate();
    suite.sim.setTokenLifetime("oneaccess", 1800);
    const source = oneaccessSource({ backoff: { initialMs: 10_000 } });
    const first = await source.get();
    clock!.tick(1600_000); // inside the margin
    suite.sim.fail("oneaccess.token", { kind: "status", status: 502 }, 1);
    assert.equal((await source.get()).value, first.value, "the refresh failed: the held token is served");
    clock!.tick(5_000); // still inside the 10 s backoff
    assert.equal((await source.get()).value, first.value);
    const forced = await rejection(source.get({ forceRefresh: true }));
    assert.equal(forced.httpStatus, 502);
    assert.equal(suite.sim.count("oneaccess.token"), 2, "no request inside the backoff");
  });

  it("does not answer with the held token when a refresh fails at the instant it expires", async () => {
    fakeDate();
    let calls = 0;
    let expiresAt = 0;
    const source = oneaccessSource({
      http: {
        send: async (request, vendor, signal) => {
          calls += 1;
          if (calls === 1) return http.send(request, vendor, signal);
          clock!.tick(expiresAt - Date.now());
          throw new TokenError({ kind: "network", vendor, key: "connection-reset", params: { host: "h" } });
        },
      },
    });
    const first = await source.get();
    expiresAt = first.expiresAt;
    clock!.tick(first.expiresAt - first.obtainedAt - 60_000); // inside the margin, still valid
    const error = await rejection(source.get());
    assert.equal(error.key, "connection-reset");
  });

  it("close leaves no listener attached", async () => {
    const source = oneaccessSource();
    source.on("token", () => undefined);
    source.on("refresh-error", () => undefined);
    source.close();
    assert.deepEqual(source.eventNames(), []);
  });

  describe("with a shared cache", () => {
    const sharing = () => {
      const store = new MemoryTokenStore(() => Date.now());
      return new SharedRefresh({ store, outage: { failed: () => undefined, ok: () => undefined }, lockTtlMs: 15_000 });
    };

    it("says whether the held token came from the vendor or from another instance", async () => {
      const shared = sharing();
      const asker = oneaccessSource({ shared });
      const adopter = oneaccessSource({ shared });
      const token = await asker.get();
      assert.equal((await adopter.get()).value, token.value);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      assert.equal(asker.describe().origin, "vendor");
      assert.equal(adopter.describe().origin, "shared");
    });

    it("a forced refresh is never answered with the held token, even one shared in the same millisecond", async () => {
      fakeDate(); // Date stands still: the shared token was obtained at the instant the forced refresh starts
      const source = oneaccessSource({ shared: sharing() });
      const first = await source.get();
      const forced = await source.get({ forceRefresh: true });
      assert.notEqual(forced.value, first.value);
      assert.equal(suite.sim.count("oneaccess.token"), 2);
    });

    it("a forced refresh of a held token newer than the shared one does not adopt the older shared one", async () => {
      fakeDate();
      const shared = sharing();
      const older = await oneaccessSource({ shared }).get(); // shared by another instance
      clock!.tick(1_000);
      const source = oneaccessSource({ shared });
      const held = { value: "from-context", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 };
      assert.ok(source.seed(held), "a newer token, from a context store");
      const forced = await source.get({ forceRefresh: true });
      assert.ok(![older.value, held.value].includes(forced.value), forced.value);
      assert.equal(suite.sim.count("oneaccess.token"), 2);
    });

    // A shared cache that answers whatever close() did to the signal: the source still refuses it.
    const late = (answer: () => Promise<Token>) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let asked!: () => void;
      const askedOnce = new Promise<void>((resolve) => (asked = resolve));
      const shared: SharedCache = {
        obtain: async () => {
          asked();
          await released;
          return answer();
        },
      };
      return { shared, askedOnce, release };
    };

    it("a token that arrives after close is neither served nor announced", async () => {
      const cache = late(async () => ({ value: "late", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 }));
      const source = oneaccessSource({ shared: cache.shared });
      const seen: Token[] = [];
      source.on("token", (token: Token) => seen.push(token));
      const pending = rejection(source.get());
      await cache.askedOnce;
      source.close();
      cache.release();
      assert.equal((await pending).kind, "aborted");
      assert.deepEqual(seen, []);
      assert.equal(source.current(), undefined);
    });

    it("a failure that arrives after close is reported as aborted, not as a failure", async () => {
      const cache = late(() => Promise.reject(new Error("store gone")));
      const source = oneaccessSource({ shared: cache.shared });
      const pending = rejection(source.get());
      await cache.askedOnce;
      source.close();
      cache.release();
      const error = await pending;
      assert.equal(error.kind, "aborted");
      assert.equal(source.describe().lastError, undefined);
    });
  });

  it("names the account without the secret, and another secret is another account", () => {
    const { clientId, clientSecret } = suite.sim.accounts.oneaccess;
    const a = oneaccessSource();
    const b = oneaccessSource({ credentials: { clientId, clientSecret: "rotated" } });
    assert.ok(a.account.includes(clientId));
    assert.ok(!a.account.includes(clientSecret));
    assert.notEqual(a.account, b.account);
  });
});
