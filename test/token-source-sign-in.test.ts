// A user's sign-in in the token source (oauth2's authorization code grant): the refresh token kept at
// rest and read once on start, a refresh as the first request after a restart, "sign in again" when
// there is no refresh token or the vendor refuses it, rotation saved whatever happens meanwhile, and
// the interleavings of requests, sign-ins, closes and writes. The provider is oauth2's own; the vendor
// is scripted at the HTTP client (it honours the abort signal as the real client does) so that every
// answer can be held back; the store is in memory, and the real encrypted file where it matters.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as sinon from "sinon";
import type { TokenError } from "../src/errors";
import { oauth2 } from "../src/providers/oauth2";
import { RefreshTokenFile, type StoreProblem } from "../src/refresh-token-store";
import { TokenSource, type RefreshTokenStore } from "../src/token-source";
import { held, MemoryRefreshStore, ScriptedVendor, type Answer } from "./support/scripted-vendor";
import { rejection } from "./support/token-errors";

describe("TokenSource with a user's sign-in", function () {
  const NAME = "My thermostat account";
  let clock: sinon.SinonFakeTimers | undefined;
  const sources: TokenSource[] = [];
  afterEach(() => {
    clock?.restore();
    clock = undefined;
    sources.splice(0).forEach((source) => source.close());
  });
  /** Fake only Date: the backoff is measured on it; promises and setImmediate keep running. */
  const fakeDate = () => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] }));
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  const provider = () =>
    oauth2.bind(
      oauth2.settings({
        id: "signin1",
        tokenUrl: "https://auth.example.com/token",
        grant: "authorization_code",
        authorizationUrl: "https://auth.example.com/authorize",
        scope: "openid offline_access",
      }),
      { clientId: "c1", clientSecret: "s1" },
    );

  function signInSource(vendor: ScriptedVendor, store: RefreshTokenStore | undefined): TokenSource {
    const source = new TokenSource({
      provider: provider(),
      http: vendor.http,
      refreshTokens: store,
      name: NAME,
      backoff: { initialMs: 1_000, maxMs: 1_000 },
    });
    sources.push(source);
    return source;
  }
  /** The user's sign-in: the code exchanged through the provider's own code request. */
  const signIn = (source: TokenSource) =>
    source.signIn((now) => source.provider.signIn!.codeRequest("the-code", "https://nr/cb", "the-verifier", now));

  const assertSignInAgain = (error: TokenError, source: TokenSource) => {
    assert.equal(error.kind, "sign-in");
    assert.equal(error.key, "sign-in-required");
    assert.equal(error.vendor, source.provider.vendor);
    assert.equal(error.params.name, NAME, "says which credentials node");
  };

  it("after a restart, the first request is a refresh with the kept refresh token, and the rotated one is kept", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
    const source = signInSource(vendor, store);
    const token = await source.get();
    assert.deepEqual(vendor.asked, [{ grant: "refresh_token", refreshToken: "rt-kept" }]);
    assert.equal(token.value, "at-1");
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1", accountName: "Ann" }, "rotated, the name kept");
    assert.deepEqual(source.signInState(), { signedIn: true, accountName: "Ann" });
  });

  it("two requests at once after a restart wait for the one read and make one refresh", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const read = held();
    store.reading = read.promise;
    const source = signInSource(vendor, store);
    const both = Promise.all([source.get(), source.get()]);
    await settle();
    assert.deepEqual(vendor.asked, [], "no request before the kept refresh token is read");
    read.resolve();
    const [a, b] = await both;
    assert.equal(a.value, b.value);
    assert.deepEqual(vendor.asked, [{ grant: "refresh_token", refreshToken: "rt-kept" }]);
    assert.equal(store.loads, 1);
  });

  it("without a kept refresh token, says sign in again with the credentials' name and asks the vendor nothing", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore());
    assertSignInAgain(await rejection(source.get()), source);
    assert.deepEqual(vendor.asked, []);
    assert.deepEqual(source.signInState(), { signedIn: false });
  });

  it("a sign-in keeps its refresh token and name; the next refresh rotates it", async () => {
    fakeDate();
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore();
    const source = signInSource(vendor, store);
    vendor.then(() => vendor.token({ name: "Ann Lee" }));
    const first = await signIn(source);
    assert.equal(vendor.asked[0].grant, "authorization_code");
    assert.equal((await source.get()).value, first.value, "the sign-in's token is served");
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1", accountName: "Ann Lee" });
    const forced = await source.get({ forceRefresh: true });
    assert.equal(forced.value, "at-2");
    assert.deepEqual(vendor.asked[1], { grant: "refresh_token", refreshToken: "rt-1" });
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-2", accountName: "Ann Lee" });
  });

  it("invalid_grant drops both tokens from memory and disk; the next call says sign in again without a request", async () => {
    fakeDate();
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore();
    const source = signInSource(vendor, store);
    const first = await signIn(source);
    vendor.then(() => ({ status: 400, body: { error: "invalid_grant", error_description: "revoked" } }));
    // The API refused the held token (forced refresh): the sign-in has ended.
    assertSignInAgain(await rejection(source.get({ forceRefresh: true, staleToken: first.value })), source);
    assert.equal(source.current(), undefined, "the access token went with the refresh token");
    assert.deepEqual(source.signInState(), { signedIn: false });
    await source.settled();
    assert.equal(store.kept, undefined, "removed at rest");
    assert.equal(store.log.at(-1), "remove ends");
    clock!.tick(1_001); // past the backoff: the next call finds no refresh token
    assertSignInAgain(await rejection(source.get()), source);
    assert.equal(vendor.asked.length, 2, "no request after the refusal");
  });

  const failures: [string, () => Answer][] = [
    ["HTTP 503", () => ({ status: 503, body: { error: "temporarily_unavailable" } })],
    ["a network failure", () => "network"],
  ];
  for (const [failure, answer] of failures) {
    it(`${failure} on refresh keeps the refresh token, and the next call refreshes with it again`, async () => {
      fakeDate();
      const vendor = new ScriptedVendor();
      const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
      const source = signInSource(vendor, store);
      vendor.then(answer);
      const error = await rejection(source.get());
      assert.notEqual(error.kind, "sign-in");
      assert.deepEqual(source.signInState(), { signedIn: true, accountName: "Ann" });
      await source.settled();
      assert.deepEqual(store.kept, { refreshToken: "rt-kept", accountName: "Ann" });
      assert.ok(!store.log.includes("remove begins"));
      clock!.tick(1_001);
      const token = await source.get();
      assert.equal(token.value, "at-1");
      assert.deepEqual(vendor.asked, [
        { grant: "refresh_token", refreshToken: "rt-kept" },
        { grant: "refresh_token", refreshToken: "rt-kept" },
      ]);
    });
  }

  // The aborted one's answer never read, or read just before the newer began: no interleaving serves or holds it.
  for (const readFirst of [false, true]) {
    const when = readFirst ? "begun just after the refresh's answer was read" : "while a refresh is in flight";
    it(`a sign-in ${when} wins: its tokens are held and kept, the refresh's are not, its callers served the sign-in's`, async () => {
      const vendor = new ScriptedVendor();
      const store = new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" });
      const source = signInSource(vendor, store);
      const refreshAnswer = held<Answer>();
      vendor.then(
        () => refreshAnswer.promise,
        () => vendor.token({ name: "New" }),
      );
      const refreshing = source.get();
      await settle();
      assert.deepEqual(vendor.asked, [{ grant: "refresh_token", refreshToken: "rt-old" }]);
      if (readFirst) refreshAnswer.resolve(vendor.token({ name: "Old" }));
      const signedIn = await signIn(source);
      if (!readFirst) refreshAnswer.resolve(vendor.token({ name: "Old" })); // too late: the sign-in aborted it
      assert.equal(
        (await refreshing).value,
        signedIn.value,
        "the message that waited for the refresh gets the new account's token",
      );
      assert.equal(source.current()?.value, signedIn.value);
      assert.equal((await source.get()).value, signedIn.value, "served without another request");
      await source.settled();
      assert.deepEqual(store.kept, { refreshToken: signedIn.value.replace("at-", "rt-"), accountName: "New" });
      assert.deepEqual(source.signInState(), { signedIn: true, accountName: "New" });
      assert.equal(vendor.asked.length, 2);
    });
  }

  it("a refresh that close() aborts after a sign-in ends as aborted: the sign-in's token is not served past close", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore());
    await signIn(source);
    const refreshAnswer = held<Answer>();
    vendor.then(() => refreshAnswer.promise);
    const refreshing = rejection(source.get({ forceRefresh: true }));
    await settle();
    assert.equal(vendor.asked.at(-1)?.grant, "refresh_token");
    source.close();
    refreshAnswer.resolve(vendor.token());
    assert.equal((await refreshing).kind, "aborted");
  });

  it("a request after a sign-in aborted the refresh in flight joins the sign-in, not a new refresh with the old refresh token", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" }));
    const refreshAnswer = held<Answer>();
    const exchange = held<Answer>();
    vendor.then(
      () => refreshAnswer.promise,
      () => exchange.promise,
    );
    const refreshing = source.get();
    await settle();
    const signingIn = signIn(source);
    // The sign-in aborted the refresh, whose callers now wait for the sign-in; its exchange is held.
    await settle();
    const waiting = source.get();
    await settle();
    exchange.resolve(vendor.token({ name: "New" }));
    const signedIn = await signingIn;
    assert.equal((await waiting).value, signedIn.value);
    assert.equal((await refreshing).value, signedIn.value);
    assert.deepEqual(
      vendor.asked.map((asked) => asked.grant),
      ["refresh_token", "authorization_code"],
    );
  });

  it("a refresh started as soon as a sign-in ended stays the one in flight when the refresh the sign-in aborted settles", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" }));
    const later = held<Answer>();
    vendor.then(
      () => held<Answer>().promise,
      () => vendor.token({ name: "New" }),
      () => later.promise,
    );
    const refreshing = source.get();
    await settle();
    await signIn(source);
    // At once, before the aborted refresh's callers (served the sign-in's token) have settled.
    const first = source.get({ forceRefresh: true });
    await refreshing;
    await settle();
    const second = source.get({ forceRefresh: true });
    later.resolve(vendor.token());
    assert.equal((await second).value, (await first).value, "one refresh, shared");
    assert.deepEqual(
      vendor.asked.map((asked) => asked.grant),
      ["refresh_token", "authorization_code", "refresh_token"],
    );
  });

  it("close() aborts a refresh started as soon as a sign-in ended, after the refresh the sign-in aborted settled", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" }));
    vendor.then(
      () => held<Answer>().promise,
      () => vendor.token({ name: "New" }),
      () => held<Answer>().promise,
    );
    const refreshing = source.get();
    await settle();
    await signIn(source);
    const next = rejection(source.get({ forceRefresh: true }));
    await refreshing;
    await settle();
    source.close();
    // The vendor never answers the refresh: only the abort can end it.
    const ended = await Promise.race([next, new Promise<"pending">((r) => setTimeout(() => r("pending"), 1_000))]);
    assert.notEqual(ended, "pending", "the refresh's request was left open after close");
    assert.equal((ended as TokenError).kind, "aborted");
  });

  it("a request during a sign-in waits for it and is served its token; the old refresh token is not used", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" });
    const source = signInSource(vendor, store);
    await source.settled();
    const exchange = held<Answer>();
    vendor.then(() => exchange.promise);
    const signingIn = signIn(source);
    await settle();
    const waiting = source.get();
    await settle();
    exchange.resolve(vendor.token({ name: "New" }));
    const signedIn = await signingIn;
    assert.equal((await waiting).value, signedIn.value);
    assert.deepEqual(vendor.asked, [{ grant: "authorization_code", refreshToken: null }]);
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1", accountName: "New" });
  });

  for (const readFirst of [false, true]) {
    const when = readFirst ? "begun just after the first's answer was read" : "while the first is in flight";
    it(`a second sign-in ${when} wins: the first's caller and its waiters are served the second's token, the first's is never held`, async () => {
      const vendor = new ScriptedVendor();
      const store = new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" });
      const source = signInSource(vendor, store);
      await source.settled();
      const firstAnswer = held<Answer>();
      const second = held<Answer>();
      // Unless read before, the first exchange never answers: only the second sign-in's abort ends it.
      vendor.then(
        () => firstAnswer.promise,
        () => second.promise,
      );
      const first = signIn(source);
      await settle();
      const waiting = source.get();
      await settle();
      if (readFirst) firstAnswer.resolve(vendor.token({ name: "First" }));
      const latest = signIn(source);
      await settle();
      assert.equal(source.current(), undefined, "the first sign-in's token is not held");
      second.resolve(vendor.token({ name: "Second" }));
      const signedIn = await latest;
      assert.equal((await first).value, signedIn.value, "the first sign-in's caller");
      assert.equal((await waiting).value, signedIn.value, "a request that waited for the first sign-in");
      assert.deepEqual(
        vendor.asked.map((asked) => asked.grant),
        ["authorization_code", "authorization_code"],
      );
      await source.settled();
      assert.deepEqual(store.kept, { refreshToken: signedIn.value.replace("at-", "rt-"), accountName: "Second" });
    });
  }

  it("a new sign-in replaces the account before it, even when its answer gives no refresh token or name", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-old", accountName: "Old" });
    const source = signInSource(vendor, store);
    vendor.then(() => ({ status: 200, body: { access_token: "at-new", token_type: "Bearer", expires_in: 3600 } }));
    await signIn(source);
    assert.deepEqual(
      source.signInState(),
      { signedIn: true, accountName: undefined },
      "the token is held; no name of the old account",
    );
    await source.settled();
    assert.equal(store.kept, undefined, "the old account's refresh token is gone from rest");
  });

  it("a rotated refresh token that arrives after close is still kept (the vendor retired the one before)", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const source = signInSource(vendor, store);
    const answer = held<Answer>();
    // The answer is already read when close() comes: the abort finds nothing left to cancel.
    vendor.then(() => answer.promise);
    const pending = rejection(source.get());
    await settle();
    answer.resolve(vendor.token());
    await Promise.resolve();
    source.close();
    assert.equal((await pending).kind, "aborted");
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1" });
  });

  it("close during the save of a rotated refresh token lets the save finish", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const write = held();
    store.writes.push(write.promise);
    const source = signInSource(vendor, store);
    await source.get();
    assert.deepEqual(store.log, ["save rt-1 begins"]);
    source.close();
    write.resolve();
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1" });
    assert.deepEqual(store.log, ["save rt-1 begins", "save rt-1 ends"], "nothing removed on close");
  });

  it("writes one after another: a slow save is not overtaken by the next, so the newest refresh token is kept", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const slow = held();
    store.writes.push(slow.promise);
    const source = signInSource(vendor, store);
    await source.get(); // rt-1, its save held
    await source.get({ forceRefresh: true }); // rt-2
    await settle();
    assert.deepEqual(store.log, ["save rt-1 begins"], "the second save waits for the first");
    slow.resolve();
    await source.settled();
    assert.deepEqual(store.log, ["save rt-1 begins", "save rt-1 ends", "save rt-2 begins", "save rt-2 ends"]);
    assert.deepEqual(store.kept, { refreshToken: "rt-2" });
  });

  it("a store that fails to read leaves the source signed out, not crashed", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    store.readFails = true;
    const source = signInSource(vendor, store);
    await settle();
    assert.deepEqual(source.signInState(), { signedIn: false });
    assertSignInAgain(await rejection(source.get()), source);
    assert.deepEqual(vendor.asked, []);
    await source.settled();
    // A new sign-in works as on a fresh start.
    await signIn(source);
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1" });
  });

  it("a save that fails does not stop the saves after it", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    store.failingSaves = 1;
    const source = signInSource(vendor, store);
    await source.get(); // rt-1: its save fails
    await source.get({ forceRefresh: true }); // rt-2
    await source.settled();
    assert.deepEqual(store.log, ["save rt-1 begins", "save rt-1 fails", "save rt-2 begins", "save rt-2 ends"]);
    assert.deepEqual(store.kept, { refreshToken: "rt-2" });
  });

  it("a refresh token read from rest announces a state change: the editor shows the account signed in", async () => {
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
    const read = held();
    store.reading = read.promise;
    const source = signInSource(new ScriptedVendor(), store);
    const states: unknown[] = [];
    source.on("state", (change) => states.push(change));
    assert.deepEqual(source.signInState(), { signedIn: false });
    read.resolve();
    await source.settled();
    assert.deepEqual(states, ["token"]);
    assert.deepEqual(source.signInState(), { signedIn: true, accountName: "Ann" });
  });

  it("a refresh answer with a name renames the account, in memory and at rest", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
    const source = signInSource(vendor, store);
    vendor.then(() => vendor.token({ name: "Ann Lee" }));
    await source.get();
    assert.deepEqual(source.signInState(), { signedIn: true, accountName: "Ann Lee" });
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-1", accountName: "Ann Lee" });
  });

  it("a vendor that does not rotate: a refresh answer without a refresh token keeps the one held, for the next refresh", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
    const source = signInSource(vendor, store);
    vendor.then(() => ({ status: 200, body: { access_token: "at-same-rt", token_type: "Bearer", expires_in: 3600 } }));
    assert.equal((await source.get()).value, "at-same-rt");
    assert.deepEqual(source.signInState(), { signedIn: true, accountName: "Ann" });
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-kept", accountName: "Ann" });
    assert.deepEqual(store.log, [], "nothing written or removed at rest");
    await source.get({ forceRefresh: true });
    assert.deepEqual(vendor.asked, [
      { grant: "refresh_token", refreshToken: "rt-kept" },
      { grant: "refresh_token", refreshToken: "rt-kept" },
    ]);
  });

  it("a sign-in that gives no refresh token, with none kept, writes nothing at rest", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore();
    const source = signInSource(vendor, store);
    vendor.then(() => ({ status: 200, body: { access_token: "at-only", token_type: "Bearer", expires_in: 3600 } }));
    assert.equal((await signIn(source)).value, "at-only");
    await source.settled();
    assert.deepEqual(store.log, []);
  });

  it("a sign-in after close is refused as aborted: the vendor is asked nothing and the kept refresh token stays", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept", accountName: "Ann" });
    const source = signInSource(vendor, store);
    await source.settled();
    source.close();
    assert.equal((await rejection(signIn(source))).kind, "aborted");
    await source.settled();
    assert.deepEqual(vendor.asked, []);
    assert.deepEqual(store.log, []);
    assert.deepEqual(store.kept, { refreshToken: "rt-kept", accountName: "Ann" });
  });

  it("a sign-in whose answer is read when close() comes ends as aborted: its token is neither served nor held", async () => {
    const vendor = new ScriptedVendor();
    const source = signInSource(vendor, new MemoryRefreshStore());
    const answer = held<Answer>();
    vendor.then(() => answer.promise);
    const signingIn = rejection(signIn(source));
    await settle();
    answer.resolve(vendor.token());
    await Promise.resolve();
    source.close();
    assert.equal((await signingIn).kind, "aborted");
    assert.equal(source.current(), undefined);
  });

  describe("with the encrypted file", () => {
    let userDir: string;
    beforeEach(async () => {
      userDir = await fs.mkdtemp(path.join(os.tmpdir(), "token-source-sign-in-"));
    });
    afterEach(() => fs.rm(userDir, { recursive: true, force: true }));

    const fileStore = (problems: StoreProblem[], account: string) =>
      new RefreshTokenFile({
        userDir,
        nodeId: "signin1",
        secret: "credential secret",
        account,
        report: (problem) => problems.push(problem),
      });

    it("a sign-in survives a restart; an unreadable file is signed out with a warning, not a crash", async () => {
      const problems: StoreProblem[] = [];
      const vendor = new ScriptedVendor();
      const before = signInSource(vendor, fileStore(problems, provider().accountId));
      await signIn(before);
      await before.settled();
      before.close();
      const after = signInSource(vendor, fileStore(problems, provider().accountId));
      assert.equal((await after.get()).value, "at-2");
      assert.deepEqual(vendor.asked.at(-1), { grant: "refresh_token", refreshToken: "rt-1" });
      await after.settled();
      after.close();

      const store = fileStore(problems, provider().accountId);
      await fs.writeFile(store.file, "{ not what we write");
      const damaged = signInSource(vendor, store);
      await damaged.settled();
      assert.deepEqual(damaged.signInState(), { signedIn: false });
      assertSignInAgain(await rejection(damaged.get()), damaged);
      assert.deepEqual(problems, ["unreadable"]);
      assert.equal(vendor.asked.length, 2);
    });
  });
});
