// The one validation every token passes, wherever it comes from (token.ts), and the freshness rule
// on a token whose times are inverted: neither serves a planted or endless token.
import assert from "node:assert/strict";
import { entryToken } from "../src/nodes/context-entry";
import { believedLifetimeMs, checkToken, isFresh, MAX_CLOCK_SKEW_MS, MAX_LIFETIME_MS } from "../src/token";

const NOW = 1_700_000_000_000;

describe("token validation", () => {
  it("accepts a token in the bounds a vendor token is held to", () => {
    assert.deepEqual(checkToken("abc.DEF-123", NOW + 3_600_000, NOW, NOW), {
      value: "abc.DEF-123",
      expiresAt: NOW + 3_600_000,
      obtainedAt: NOW,
    });
    assert.ok(checkToken("t", NOW + 1_000, NOW, NOW), "exactly one second");
    assert.ok(checkToken("t", NOW + MAX_LIFETIME_MS, NOW, NOW), "exactly one day");
    const ahead = NOW + MAX_CLOCK_SKEW_MS;
    assert.ok(checkToken("t", ahead + 60_000, ahead, NOW), "obtained by a clock exactly the skew ahead");
    assert.equal(checkToken("t", ahead + 60_001, ahead + 1, NOW), undefined, "a millisecond more");
  });

  it("refuses planted tokens: endless, huge, CR LF, inverted times, too short, from the future", () => {
    const cases: Array<[string, unknown, unknown, unknown]> = [
      ["expiry in 2036", "t", Date.parse("2036-01-01T00:00:00Z"), NOW],
      ["1 MB token", "x".repeat(1024 * 1024), NOW + 60_000, NOW],
      ["CR LF", "a\r\nX-Injected: 1", NOW + 60_000, NOW],
      ["space", "a b", NOW + 60_000, NOW],
      ["empty", "", NOW + 60_000, NOW],
      ["not a string", 42, NOW + 60_000, NOW],
      ["obtained after expiry", "t", NOW + 30_000, NOW + 60_000],
      ["lifetime 1 ms", "t", NOW + 1, NOW],
      ["no obtainedAt", "t", NOW + 60_000, undefined],
      ["NaN expiry", "t", Number.NaN, NOW],
      ["obtained in an hour", "t", NOW + 2 * 3_600_000, NOW + 3_600_000],
    ];
    for (const [label, value, expiresAt, obtainedAt] of cases)
      assert.equal(checkToken(value, expiresAt, obtainedAt, NOW), undefined, label);
  });

  it("believes a lifetime of at least a second, and caps one over a day", () => {
    assert.equal(believedLifetimeMs(0.001), undefined);
    assert.equal(believedLifetimeMs(0.999), undefined);
    assert.deepEqual(believedLifetimeMs(1), { ms: 1_000, capped: false });
    assert.deepEqual(believedLifetimeMs(7_200_000), { ms: MAX_LIFETIME_MS, capped: true });
  });

  it("caps a lifetime so large that it overflows to Infinity as ms; no number at all is not believed", () => {
    for (const seconds of [1.8e305, 1.8e306, Number.MAX_VALUE]) {
      assert.deepEqual(believedLifetimeMs(seconds), { ms: MAX_LIFETIME_MS, capped: true }, String(seconds));
    }
    for (const seconds of [Infinity, -Infinity, Number.NaN]) assert.equal(believedLifetimeMs(seconds), undefined);
  });

  it("fresh while more than the margin remains: at exactly the margin, no longer", () => {
    const token = { value: "t", expiresAt: NOW + 600_000, obtainedAt: NOW };
    assert.equal(isFresh(token, NOW + 299_999, 300_000), true);
    assert.equal(isFresh(token, NOW + 300_000, 300_000), false);
    // The margin is at most half the lifetime.
    assert.equal(isFresh(token, NOW + 299_999, 900_000), true);
    assert.equal(isFresh(token, NOW + 300_000, 900_000), false);
  });

  it("an inverted token is never fresh after its expiry, whatever the margin", () => {
    // obtainedAt after expiresAt made the margin negative: it was served 60 s past its expiry.
    const inverted = { value: "t", expiresAt: NOW, obtainedAt: NOW + 120_000 };
    assert.equal(isFresh(inverted, NOW + 1, 300_000), false);
    assert.equal(isFresh(inverted, NOW + 59_000, 0), false);
  });

  it("a context entry is held to the same rules", () => {
    const entry = { token: "t", expiresAt: NOW + 60_000, obtainedAt: NOW, provider: "oneaccess", account: "a" };
    assert.ok(entryToken(entry, "oneaccess", "a", NOW));
    assert.equal(entryToken({ ...entry, obtainedAt: undefined }, "oneaccess", "a", NOW), undefined);
    assert.equal(entryToken({ ...entry, expiresAt: Date.parse("2036-01-01") }, "oneaccess", "a", NOW), undefined);
    assert.equal(entryToken({ ...entry, token: "a\r\nb" }, "oneaccess", "a", NOW), undefined);
    assert.equal(entryToken(entry, "oneaccess", "b", NOW), undefined);
  });
});
