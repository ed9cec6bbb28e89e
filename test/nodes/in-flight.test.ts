// The messages a node is working on, as a unit: each ends in send + done or in fail; a throw from
// send is reported, not left unhandled; after close, the aborted ones are counted in one warning
// once the last of them has settled.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import { InFlight } from "../../src/nodes/in-flight";
import type { Node, NodeMessage } from "../../src/nodes/node-red";
import { keyText } from "../support/key-text";

describe("InFlight", () => {
  let events: string[];
  let inFlight: InFlight;
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const aborted = () => new TokenError({ kind: "aborted", vendor: "EnOS", key: "aborted" });
  /** A message's work that the test settles by hand. */
  const deferred = () => {
    let resolve!: (msg: NodeMessage) => void;
    let reject!: (err: unknown) => void;
    const work = new Promise<NodeMessage>((res, rej) => ((resolve = res), (reject = rej)));
    return { work, resolve, reject };
  };
  const run = (work: Promise<NodeMessage>, send = (msg: NodeMessage) => events.push(`send ${String(msg.n)}`)) =>
    inFlight.run(
      work,
      send,
      (err) => events.push(err ? "done(err)" : "done"),
      (err) => events.push(`fail ${(err as Error).message}`),
    );

  beforeEach(() => {
    events = [];
    const node: Pick<Node, "error" | "warn"> = {
      error: (err) => events.push(`error ${(err as Error).message}`),
      warn: (text) => events.push(`warn ${String(text)}`),
    };
    inFlight = new InFlight(node as Node, keyText);
  });

  it("sends then completes a message whose work succeeds", async () => {
    run(Promise.resolve({ n: 1 }));
    await settle();
    assert.deepEqual(events, ["send 1", "done"]);
  });

  it("hands a failure to fail, aborted or not, while the node is open", async () => {
    run(Promise.reject(new Error("vendor down")));
    run(Promise.reject(aborted()));
    await settle();
    assert.equal(events.length, 2);
    assert.equal(events[0], "fail vendor down");
    assert.match(events[1], /^fail /);
  });

  it("reports a throw from send through node.error instead of an unhandled rejection", async () => {
    run(Promise.resolve({ n: 1 }), () => {
      throw new Error("a getter threw");
    });
    await settle();
    assert.deepEqual(events, ["error a getter threw"]);
  });

  it("after close: the aborted messages are counted in one warning when the last has settled", async () => {
    const first = deferred();
    const second = deferred();
    run(first.work);
    run(second.work);
    inFlight.close();
    first.reject(aborted());
    await settle();
    assert.deepEqual(events, [], "no warning while one is still pending");
    second.reject(aborted());
    await settle();
    assert.deepEqual(events, [`warn access-token.warn.dropped ${JSON.stringify({ count: 2 })}`]);
  });

  it("after close: other failures still go to fail, and a close with nothing dropped warns nothing", async () => {
    inFlight.close();
    run(Promise.reject(new Error("vendor down")));
    run(Promise.reject(new Error("aborted, but no TokenError")));
    const refused = new TokenError({ kind: "response", vendor: "EnOS", key: "unexpected", params: { detail: "x" } });
    run(Promise.reject(refused));
    run(Promise.resolve({ n: 3 }));
    await settle();
    assert.deepEqual(events, [
      "fail vendor down",
      "fail aborted, but no TokenError",
      `fail ${refused.message}`,
      "send 3",
      "done",
    ]);
  });

  it("counts each batch once: a later drop is a new warning for that one alone", async () => {
    inFlight.close();
    run(Promise.reject(aborted()));
    await settle();
    run(Promise.reject(aborted()));
    await settle();
    assert.deepEqual(events, [
      `warn access-token.warn.dropped ${JSON.stringify({ count: 1 })}`,
      `warn access-token.warn.dropped ${JSON.stringify({ count: 1 })}`,
    ]);
  });
});
