// The token source of an account without a user's sign-in whose vendor gives refresh tokens (oauth2's
// client credentials): a refresh first, the full token request when the vendor refuses it, the refused
// refresh token forgotten, nothing more asked after close; and the API base a token answer names
// (custom's apiBase), kept while later answers name none. The vendor is scripted at the HTTP client
// so that an answer can be held back; the store is in memory.
import assert from "node:assert/strict";
import { custom } from "../src/providers/custom";
import { oauth2 } from "../src/providers/oauth2";
import { TokenSource, type RefreshTokenStore } from "../src/token-source";
import { expressionEvaluator } from "./support/expressions";
import { held, MemoryRefreshStore, ScriptedVendor, type Answer } from "./support/scripted-vendor";
import { rejection } from "./support/token-errors";

describe("TokenSource with refresh tokens, without a sign-in", function () {
  const sources: TokenSource[] = [];
  afterEach(() => sources.splice(0).forEach((source) => source.close()));
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  function clientSource(vendor: ScriptedVendor, store: RefreshTokenStore): TokenSource {
    const provider = oauth2.bind(
      oauth2.settings({ id: "client1", tokenUrl: "https://auth.example.com/token", grant: "client_credentials" }),
      { clientId: "c1", clientSecret: "s1" },
    );
    const source = new TokenSource({ provider, http: vendor.http, refreshTokens: store });
    sources.push(source);
    return source;
  }
  const refused: Answer = { status: 400, body: { error: "invalid_grant", error_description: "expired" } };
  const withoutRefreshToken = (value: string): Answer => ({
    status: 200,
    body: { access_token: value, token_type: "Bearer", expires_in: 3600 },
  });

  it("a refused refresh token is forgotten in memory and at rest; the full token request serves the call", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const source = clientSource(vendor, store);
    vendor.then(
      () => refused,
      () => withoutRefreshToken("at-full"),
    );
    assert.equal((await source.get()).value, "at-full");
    await source.settled();
    assert.equal(store.kept, undefined, "removed at rest");
    await source.get({ forceRefresh: true });
    assert.deepEqual(vendor.asked, [
      { grant: "refresh_token", refreshToken: "rt-kept" },
      { grant: "client_credentials", refreshToken: null },
      { grant: "client_credentials", refreshToken: null },
    ]);
  });

  it("close() during a refresh with the refresh token: aborted, no full token request follows, the kept one stays", async () => {
    const vendor = new ScriptedVendor();
    const store = new MemoryRefreshStore({ refreshToken: "rt-kept" });
    const source = clientSource(vendor, store);
    const never = held<Answer>();
    vendor.then(() => never.promise);
    const pending = rejection(source.get());
    await settle();
    assert.deepEqual(vendor.asked, [{ grant: "refresh_token", refreshToken: "rt-kept" }]);
    source.close();
    assert.equal((await pending).kind, "aborted");
    assert.equal(vendor.asked.length, 1, "nothing asked of the vendor after close");
    await source.settled();
    assert.deepEqual(store.kept, { refreshToken: "rt-kept" });
  });

  it("the API base a token answer named is kept while later answers name none", async () => {
    const vendor = new ScriptedVendor();
    const settings = custom.settings(
      { tokenUrl: "https://iot.example.com/token", token: "body.access_token", apiBase: "body.api" },
      expressionEvaluator,
    );
    const source = new TokenSource({
      provider: custom.bind(settings, { key: "k-1", secret: "s-1" }),
      http: vendor.http,
    });
    sources.push(source);
    vendor.then(
      () => ({ status: 200, body: { access_token: "t-1", api: "https://eu.iot.example.com/" } }),
      () => ({ status: 200, body: { access_token: "t-2" } }),
    );
    await source.get();
    assert.equal(source.apiBase, "https://eu.iot.example.com");
    assert.equal((await source.get({ forceRefresh: true })).value, "t-2");
    assert.equal(source.apiBase, "https://eu.iot.example.com");
  });
});
