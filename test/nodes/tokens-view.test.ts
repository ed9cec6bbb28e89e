// What the editor shows of credentials nodes (resources/tokens-view.js, the file Node-RED serves to
// the editor), with the English catalog as the translate function: the state rows, the Tokens
// sidebar's list, and the lines for a route's answer or refusal.
import assert from "node:assert/strict";
import * as path from "node:path";
import { formatMessage } from "../../src/messages";

interface Entry {
  id: string;
  label: string;
  provider: string;
  preset: string;
  deployed: boolean;
  changed: boolean;
  values: Record<string, string> | null;
  hasError: boolean;
  users: Array<{ id: string; label: string; tab: string }>;
}
type Translate = (key: string, params?: Record<string, unknown>) => string;
interface TokensView {
  localTime(epochMs: number): string;
  stateValues(state: Record<string, unknown>, _: Translate, now: number): Record<string, string>;
  sidebarEntries(configs: unknown[], states: Record<string, unknown> | null, _: Translate, now: number): Entry[];
  answerView(answer: unknown, _: Translate, fieldLabel?: (name: string) => string): { kind: string; text: string };
  routeErrorView(
    status: number,
    message: string | undefined,
    _: Translate,
    forbiddenKey: string,
  ): { kind: string; text: string };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the editor's script as Node-RED serves it, by path
const view = require(path.join(path.dirname(__dirname), "..", "..", "resources", "tokens-view.js")) as TokensView;
const _: Translate = (key, params) => formatMessage(key, (params ?? {}) as Record<string, string>);

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const LATER = NOW + 3_600_000;

describe("tokens view (resources/tokens-view.js)", () => {
  describe("stateValues", () => {
    it("a held token: yes, its expiry in local time, where it came from; the rows in the panel's order", () => {
      const values = view.stateValues(
        { tokenHeld: true, expiresAt: LATER, origin: "shared", sharedCache: "configured", redisReachable: true },
        _,
        NOW,
      );
      assert.deepEqual(values, {
        tokenHeld: "yes",
        expiresAt: new Date(LATER).toLocaleString(),
        origin: "Redis (shared cache)",
        sharedCache: "reachable",
        lastError: "–",
      });
    });

    it("a token that lapsed since the state was read is not held, and its expiry and origin are gone", () => {
      const values = view.stateValues(
        { tokenHeld: true, expiresAt: NOW - 1, origin: "vendor", sharedCache: "off" },
        _,
        NOW,
      );
      assert.deepEqual([values.tokenHeld, values.expiresAt, values.origin], ["no", "–", "–"]);
      assert.equal(view.stateValues({ tokenHeld: true, expiresAt: NOW, origin: "vendor" }, _, NOW).tokenHeld, "no");
    });

    it("the shared cache as last seen, and the last error as the runtime wrote it", () => {
      const redis = (state: Record<string, unknown>) => view.stateValues(state, _, NOW).sharedCache;
      assert.equal(redis({ sharedCache: "off" }), "not configured");
      assert.equal(redis({ sharedCache: "configured" }), "configured");
      assert.equal(redis({ sharedCache: "configured", redisReachable: false }), "unreachable");
      const failed = view.stateValues({ tokenHeld: false, lastError: "OneAccess error invalid_client: hint" }, _, NOW);
      assert.equal(failed.lastError, "OneAccess error invalid_client: hint");
    });
  });

  describe("sidebarEntries", () => {
    const config = (id: string, label: string, more: Record<string, unknown> = {}) => ({
      id,
      label,
      provider: "oneaccess",
      preset: undefined,
      changed: false,
      users: [],
      ...more,
    });

    it("one entry per credentials node by label, each with its state, or not deployed when the runtime has none", () => {
      const entries = view.sidebarEntries(
        [config("b", "Zeta"), config("a", "alpha", { provider: "enos" }), config("c", "Mid")],
        { b: { tokenHeld: true, expiresAt: LATER, origin: "vendor", sharedCache: "off" }, a: { tokenHeld: false } },
        _,
        NOW,
      );
      assert.deepEqual(
        entries.map((e) => [e.id, e.label, e.provider, e.deployed]),
        [
          ["a", "alpha", "EnOS", true],
          ["c", "Mid", "OneAccess", false],
          ["b", "Zeta", "OneAccess", true],
        ],
      );
      assert.equal(entries[2].values?.tokenHeld, "yes");
      assert.equal(entries[1].values, null);
    });

    it("states that could not be read: every node without values", () => {
      const [entry] = view.sidebarEntries([config("a", "A")], null, _, NOW);
      assert.equal(entry.deployed, false);
      assert.equal(entry.values, null);
    });

    it("the preset only when the node has a non-empty one", () => {
      const presets = view
        .sidebarEntries(
          [
            config("a", "A", { preset: " azure " }),
            config("b", "B", { preset: "  " }),
            config("c", "C", { preset: 3 }),
          ],
          {},
          _,
          NOW,
        )
        .map((e) => e.preset);
      assert.deepEqual(presets, ["azure", "", ""]);
    });

    it("the nodes that use it by label, a last error flagged, a change since the deploy kept", () => {
      const [entry] = view.sidebarEntries(
        [
          config("a", "A", {
            changed: true,
            users: [
              { id: "2", label: "get token", tab: "Flow 2" },
              { id: "1", label: "api request", tab: "Flow 1" },
            ],
          }),
        ],
        { a: { tokenHeld: false, lastError: "failed" } },
        _,
        NOW,
      );
      assert.deepEqual(
        entry.users.map((u) => u.id),
        ["1", "2"],
      );
      assert.equal(entry.hasError, true);
      assert.equal(entry.changed, true);
    });
  });

  describe("answer and refusal lines", () => {
    it("a token: its vendor and expiry, never the token; a failure: the route's text", () => {
      assert.deepEqual(view.answerView({ ok: true, vendor: "EnOS", expiresAt: LATER, token: "t0ken" }, _), {
        kind: "success",
        text: `Token received from EnOS: valid until ${new Date(LATER).toLocaleString()}`,
      });
      assert.deepEqual(view.answerView({ ok: false, message: "EnOS error 401" }, _), {
        kind: "error",
        text: "EnOS error 401",
      });
      assert.equal(view.answerView(undefined, _).text, "The test failed without a reason");
    });

    it("signing only, for credentials without a token URL; and the expressions a custom test used, by their labels", () => {
      assert.deepEqual(view.answerView({ ok: true, vendor: "Custom token", signingOnly: true }, _), {
        kind: "success",
        text: "Signing only: no token URL; the signature was made for a sample call",
      });
      const label = (name: string) => _(`custom-token-credentials.label.${name}`);
      assert.deepEqual(
        view.answerView({ ok: true, vendor: "Custom token", signingOnly: true, fields: ["params", "sign"] }, _, label),
        {
          kind: "success",
          text: "Signing only: no token URL; the signature was made for a sample call\nExpressions used: Parameters ($params), Sign every request",
        },
      );
      assert.deepEqual(
        view.answerView({ ok: true, vendor: "Custom token", expiresAt: LATER, fields: ["request", "token"] }, _, label),
        {
          kind: "success",
          text: `Token received from Custom token: valid until ${new Date(LATER).toLocaleString()}\nExpressions used: Request, Token`,
        },
      );
      // A failure keeps the route's text, then names the expressions; without labels, their names.
      assert.deepEqual(view.answerView({ ok: false, message: "Custom token error 1004", fields: ["sign"] }, _), {
        kind: "error",
        text: "Custom token error 1004\nExpressions used: sign",
      });
      assert.equal(
        view.answerView({ ok: true, vendor: "EnOS", expiresAt: LATER, fields: [] }, _).text.includes("\n"),
        false,
      );
      assert.equal(view.answerView({ ok: true, signingOnly: false }, _).kind, "error", "no expiry, not signing only");
    });

    it("a refusal names the permission; else the route's text, no answer, or the HTTP status", () => {
      const forbidden = view.routeErrorView(403, "ignored", _, "common.sidebar.forbidden");
      assert.match(forbidden.text, /^Not allowed \(HTTP 403\).*access-token\.write and flows\.write/);
      assert.match(view.routeErrorView(401, undefined, _, "common.sidebar.read-forbidden").text, /access-token\.read/);
      assert.equal(view.routeErrorView(404, "not deployed", _, "x").text, "not deployed");
      assert.equal(view.routeErrorView(0, undefined, _, "x").text, "No answer from Node-RED: is it running?");
      assert.equal(view.routeErrorView(500, undefined, _, "x").text, "Node-RED answered HTTP 500");
    });
  });
});
