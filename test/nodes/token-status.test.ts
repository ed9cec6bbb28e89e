// The get token / api request node status as a unit: what each state shows, that a state is sent
// once however often it is set, and the expiry timer (fake timers) that greys out an unused token.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { TokenError } from "../../src/errors";
import type { Node, NodeAPI, NodeStatus } from "../../src/nodes/node-red";
import { TokenStatus } from "../../src/nodes/token-status";
import { translator } from "../../src/nodes/translate";
import type { Token } from "../../src/token";
import { keyText as t } from "../support/key-text";

describe("TokenStatus", () => {
  let clock: sinon.SinonFakeTimers;
  let shown: NodeStatus[];
  let status: TokenStatus;
  const NOW = 1_700_000_000_000;
  const token = (lifetimeMs: number, value = "tok"): Token => ({
    value,
    obtainedAt: Date.now(),
    expiresAt: Date.now() + lifetimeMs,
  });
  const timeOf = (at: number) => new Date(at).toLocaleTimeString();

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW });
    shown = [];
    const node: Pick<Node, "status"> = { status: (s) => shown.push(s) };
    status = new TokenStatus(node as Node, t);
  });
  afterEach(() => sinon.restore());

  describe("start", () => {
    it("nothing held: a grey dot, idle", () => {
      status.start(undefined, undefined);
      assert.deepEqual(shown, [{ fill: "grey", shape: "dot", text: "access-token.status.idle" }]);
    });
    it("a held token: the green dot with its expiry time", () => {
      const held = token(60_000);
      status.start(held, undefined);
      assert.deepEqual(shown, [
        {
          fill: "green",
          shape: "dot",
          text: `access-token.status.valid ${JSON.stringify({ time: timeOf(held.expiresAt) })}`,
        },
      ]);
    });
    it("a problem wins over a held token: the red ring", () => {
      const problem = new TokenError({ kind: "config", vendor: "EnOS", key: "missing-field", params: { field: "x" } });
      status.start(token(60_000), problem);
      assert.equal(shown.length, 1);
      assert.equal(shown[0].fill, "red");
      assert.equal(shown[0].shape, "ring");
    });
  });

  it("a status text is asked of the runtime once: a redeployed node shows it without another look-up", () => {
    const asked: string[] = [];
    const RED = { _: (key: string) => (asked.push(key), `[${key}]`) } as unknown as NodeAPI;
    const texts: unknown[] = [];
    for (let deploy = 0; deploy < 2; deploy++) {
      const node: Pick<Node, "status"> = { status: (s) => texts.push(s.text) };
      const redeployed = new TokenStatus(node as Node, translator(RED));
      redeployed.fetching();
      redeployed.close();
    }
    assert.deepEqual(texts, ["[access-token.status.fetching]", "[access-token.status.fetching]"]);
    assert.deepEqual(asked, ["access-token.status.fetching"]);
  });

  it("fetching: a yellow ring, sent once however often it is set", () => {
    status.fetching();
    status.fetching();
    assert.deepEqual(shown, [{ fill: "yellow", shape: "ring", text: "access-token.status.fetching" }]);
  });

  it("busy: a yellow ring with the seconds to wait, sent again only when they change", () => {
    status.busy(5);
    status.busy(5);
    status.busy(7);
    assert.deepEqual(shown, [
      { fill: "yellow", shape: "ring", text: `access-token.status.busy ${JSON.stringify({ seconds: 5 })}` },
      { fill: "yellow", shape: "ring", text: `access-token.status.busy ${JSON.stringify({ seconds: 7 })}` },
    ]);
  });

  describe("token", () => {
    it("shows a token once: again, or an equal copy of it, sends nothing", () => {
      const held = token(60_000);
      status.token(held);
      status.token(held);
      status.token({ ...held });
      assert.equal(shown.length, 1);
    });
    it("a new token is shown, and so is the same token after another state", () => {
      const first = token(60_000);
      status.token(first);
      clock.tick(1000);
      status.token(token(60_000, "second"));
      status.fetching();
      status.token(first);
      assert.deepEqual(
        shown.map((s) => s.fill),
        ["green", "green", "yellow", "green"],
      );
    });
    it("turns into a grey ring when it expires with no message asking for another", () => {
      const held = token(60_000);
      status.token(held);
      clock.tick(59_999);
      assert.equal(shown.length, 1, "still valid a millisecond before");
      clock.tick(1);
      assert.deepEqual(shown.at(-1), {
        fill: "grey",
        shape: "ring",
        text: `access-token.status.expired ${JSON.stringify({ time: timeOf(held.expiresAt) })}`,
      });
      clock.tick(3_600_000);
      assert.equal(shown.length, 2, "one expiry, no more");
    });
    it("the expiry timer does not keep Node.js running", () => {
      // A sandbox of its own: the default one holds the fake clock too, and restoring the spy there
      // after the clock would put the fake setTimeout back for every suite that follows.
      const spies = sinon.createSandbox();
      const setTimer = spies.spy(globalThis, "setTimeout");
      try {
        status.token(token(60_000));
        assert.equal(setTimer.callCount, 1);
        assert.equal((setTimer.returnValues[0] as NodeJS.Timeout).hasRef(), false, "unref'd");
      } finally {
        spies.restore();
      }
    });
    it("a token shown already expired, or expiring past setTimeout's range, sets no timer", () => {
      status.token(token(0));
      assert.equal(clock.countTimers(), 0, "expires now");
      status.token(token(-5_000, "past"));
      assert.equal(clock.countTimers(), 0, "expired before");
      status.token(token(2 ** 31, "far"));
      assert.equal(clock.countTimers(), 0, "beyond setTimeout's limit");
      status.token(token(2 ** 31 - 1, "at the limit"));
      assert.equal(clock.countTimers(), 1, "at the limit");
    });
    it("another state cancels the expiry of the token it replaces", () => {
      status.token(token(60_000));
      status.fetching();
      assert.equal(clock.countTimers(), 0);
      clock.tick(120_000);
      assert.deepEqual(
        shown.map((s) => s.fill),
        ["green", "yellow"],
      );
    });
  });

  describe("failed", () => {
    const reasonOf = (error: TokenError) => {
      status.failed(error);
      const last = shown.at(-1) as NodeStatus;
      assert.equal(last.fill, "red");
      assert.equal(last.shape, "ring");
      return JSON.parse((last.text as string).replace(/^access-token\.status\.failed /, "")) as Record<string, string>;
    };
    it("names the vendor and its code", () => {
      const error = new TokenError({
        kind: "vendor",
        vendor: "OrionStar",
        key: "vendor-code",
        code: "101025",
        httpStatus: 200,
      });
      assert.deepEqual(reasonOf(error), { vendor: "OrionStar", reason: "101025" });
    });
    it("an HTTP error without a code: the status", () => {
      const error = new TokenError({ kind: "http", vendor: "EnOS", key: "server-error", httpStatus: 503 });
      assert.deepEqual(reasonOf(error), { vendor: "EnOS", reason: "HTTP 503" });
    });
    it("anything else: the short reason of its key, not a misleading HTTP 200", () => {
      const tooLarge = new TokenError({ kind: "too-large", vendor: "OneAccess", key: "too-large", httpStatus: 200 });
      assert.deepEqual(reasonOf(tooLarge), { vendor: "OneAccess", reason: "access-token.status.reason.too-large" });
      const http = new TokenError({ kind: "http", vendor: "OneAccess", key: "http-status" });
      assert.deepEqual(reasonOf(http), { vendor: "OneAccess", reason: "access-token.status.reason.http-status" });
    });
    it("the same failure again sends nothing; another one does", () => {
      const error = new TokenError({ kind: "timeout", vendor: "EnOS", key: "timeout" });
      status.failed(error);
      status.failed(new TokenError({ kind: "timeout", vendor: "EnOS", key: "timeout" }));
      assert.equal(shown.length, 1);
      status.failed(new TokenError({ kind: "timeout", vendor: "OneAccess", key: "timeout" }));
      assert.equal(shown.length, 2);
    });
  });

  it("after close: no status, and the expiry timer is gone", () => {
    status.token(token(60_000));
    status.close();
    assert.equal(clock.countTimers(), 0);
    status.fetching();
    status.failed(new TokenError({ kind: "timeout", vendor: "EnOS", key: "timeout" }));
    status.token(token(60_000, "new"));
    assert.equal(clock.countTimers(), 0, "no timer started after close");
    clock.tick(120_000);
    assert.equal(shown.length, 1);
  });

  it("the same token again (another object, same times): no second expiry timer", () => {
    const first = token(60_000);
    status.token(first);
    status.token({ ...first });
    assert.equal(shown.length, 1);
    assert.equal(clock.countTimers(), 1);
  });
});
