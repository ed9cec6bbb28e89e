// The bench's driver node inside each Node-RED process of the rate-limit rows ("bench-rate-run"),
// loaded from a tiny package the bench links into the process's userDir. GET /rate?n=N starts a
// run: N messages at once on output 1 (to the line under test), and answers at once; every message
// that comes back (the API's answer, or Catch's) is counted by its msg.statusCode. GET /rate (no n)
// answers the run's counts so far: the bench polls it, since a run lasts longer than a request should.
import type { Node, NodeAPI, NodeDef, NodeMessage } from "../src/nodes/node-red";
import type { RateRunAnswer } from "./rate-limit";

type Sending = Node & { send(msgs: Array<NodeMessage | NodeMessage[] | null>): void };

export = function benchRateRunNodes(RED: NodeAPI): void {
  RED.nodes.registerType("bench-rate-run", function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Sending;
    let run: RateRunAnswer = { sent: 0, back: 0, codes: {} };
    node.on("input", (msg: NodeMessage) => {
      const query = (msg.req as { query?: Record<string, string | undefined> } | undefined)?.query;
      if (!query) {
        run.back += 1;
        const error = msg.error as { statusCode?: unknown } | undefined;
        const code = String(msg.statusCode ?? error?.statusCode ?? "error");
        run.codes[code] = (run.codes[code] ?? 0) + 1;
        return;
      }
      const n = Number(query.n);
      if (Number.isInteger(n) && n > 0) {
        run = { sent: n, back: 0, codes: {} };
        const messages = Array.from({ length: n }, (_, i) => ({ payload: i }) as NodeMessage);
        node.send([null, { ...msg, payload: { ...run } }]);
        node.send([messages, null]);
        return;
      }
      node.send([null, { ...msg, payload: { ...run, codes: { ...run.codes } } }]);
    });
  });
};
