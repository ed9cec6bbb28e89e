// What an api request node's status shows while its calls wait at the credentials node's queue
// (src/nodes/call-status.ts), as a unit on fake timers with the real limiter and status: the queue
// as it shrinks while this node's calls wait, nothing once they are through (another node's calls
// still waiting are not this node's), and nothing at all after close.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { CallStatus } from "../../src/nodes/call-status";
import type { Node, NodeStatus } from "../../src/nodes/node-red";
import { TokenStatus } from "../../src/nodes/token-status";
import { Limiter } from "../../src/rate-limit/limiter";
import { call } from "../rate-limit/rate-test-kit";
import { keyText as t } from "../support/key-text";

describe("api request status while calls wait (CallStatus)", () => {
  let clock: sinon.SinonFakeTimers;
  let shown: string[];
  let limiter: Limiter;
  let callStatus: CallStatus;
  const waiting = (queued: number) => `access-token.status.waiting ${JSON.stringify({ queued })}`;
  /** A call in the limiter's queue (behind the pause): close() in afterEach turns it away. */
  const enqueue = (name: string) => void call(limiter, [], name).done.catch(() => undefined);
  /** A call of this node: in the limiter's queue, its status told, settled by hand. */
  function queuedCall() {
    enqueue("this node's");
    let settle!: () => void;
    const until = new Promise<void>((resolve) => (settle = resolve));
    callStatus.queued(limiter, until);
    return { settle };
  }

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
    shown = [];
    const node: Pick<Node, "status"> = { status: (s: NodeStatus) => shown.push(String(s.text)) };
    callStatus = new CallStatus(new TokenStatus(node as Node, t));
    limiter = new Limiter({ maxQueue: 100 });
    limiter.pause(10_000);
  });
  afterEach(() => {
    callStatus.close();
    limiter.close();
    clock.restore();
  });

  it("shows the queue as it grows, at most every 250 ms", async () => {
    enqueue("another node's");
    await clock.tickAsync(0);
    queuedCall();
    assert.deepEqual(shown, [waiting(2)], "the queue with this call in it");
    await clock.tickAsync(0);
    queuedCall();
    await clock.tickAsync(100);
    assert.deepEqual(shown, [waiting(2)], "no update sooner than 250 ms");
    await clock.tickAsync(150);
    assert.deepEqual(shown, [waiting(2), waiting(3)]);
  });

  it("once this node's calls are through, another node's calls still waiting change nothing here", async () => {
    enqueue("another node's");
    await clock.tickAsync(0);
    const mine = queuedCall();
    await clock.tickAsync(0);
    mine.settle();
    await clock.tickAsync(0);
    enqueue("another node's, later");
    await clock.tickAsync(1_000);
    assert.deepEqual(shown, [waiting(2)], "the other node's queue is not shown by this one");
  });

  it("a call of this node out of the queue but not answered yet: no 'waiting: 0 queued'", async () => {
    const mine = queuedCall();
    await clock.tickAsync(0);
    assert.deepEqual(shown, [waiting(1)], "alone in the queue");
    shown = [];
    enqueue("another node's");
    await clock.tickAsync(250);
    assert.deepEqual(shown, [waiting(2)], "updated while this node's call waits");
    await clock.tickAsync(10_000); // the pause ends: both calls go, this one is not answered yet
    assert.equal(limiter.queued, 0);
    assert.deepEqual(shown, [waiting(2)], "an empty queue is not shown: the answer shows the token");
    mine.settle();
  });

  it("after close: no status, neither of a queue nor of a busy vendor", async () => {
    queuedCall();
    callStatus.close();
    shown = [];
    queuedCall();
    callStatus.busy(2_500);
    await clock.tickAsync(1_000);
    assert.deepEqual(shown, []);
  });

  it("a busy vendor's wait in whole seconds, rounded up", () => {
    callStatus.busy(2_001);
    assert.deepEqual(shown, [`access-token.status.busy ${JSON.stringify({ seconds: 3 })}`]);
  });
});
