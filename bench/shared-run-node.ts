// The bench's driver node inside each Node-RED process of the shared-cache rows ("bench-shared-run"),
// loaded from a tiny package the bench links into the process's userDir. A message from http in
// (msg.req) starts a run: ?n=N sends N messages at once (the stampede), ?ms=D&per=K sends K every
// 20 ms for D ms (steady traffic). Output 1 goes to get token, whose messages (and Catch's) come
// back here; output 2 answers the request with the run's latencies once every message is back.
// A node of our own rather than a function node: the vm a function node runs in would cost more
// per message than what is measured.
import type { Node, NodeAPI, NodeDef, NodeMessage } from "../src/nodes/node-red";
import type { RunAnswer } from "./shared-flows";

interface Run extends RunAnswer {
  tokenSet: Set<string>;
  ended: boolean;
  request: NodeMessage;
}

type Query = Record<string, string | undefined>;
/** A node's send with one message (or none) per output. */
type Sending = Node & { send(msgs: Array<NodeMessage | null>): void };

export = function benchSharedRunNodes(RED: NodeAPI): void {
  RED.nodes.registerType("bench-shared-run", function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Sending;
    let run: Run | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      run!.sent += 1;
      node.send([{ benchT0: performance.now() } as NodeMessage, null]);
    };
    const finish = () => {
      if (!run || !run.ended || run.arrived + run.failed < run.sent) return;
      const { sent, arrived, failed, lat, tokenSet, request } = run;
      run = undefined;
      node.send([null, { ...request, payload: { sent, arrived, failed, lat, tokens: [...tokenSet] } }]);
    };
    node.on("input", (msg: NodeMessage) => {
      const query = (msg.req as { query?: Query } | undefined)?.query;
      if (query) {
        run = { sent: 0, arrived: 0, failed: 0, lat: [], tokens: [], tokenSet: new Set(), ended: false, request: msg };
        if (Number(query.n) > 0) {
          for (let i = 0; i < Number(query.n); i++) send();
          run.ended = true;
          return;
        }
        const end = performance.now() + Number(query.ms);
        const per = Number(query.per) || 1;
        timer = setInterval(() => {
          if (performance.now() < end) {
            for (let i = 0; i < per; i++) send();
            return;
          }
          clearInterval(timer);
          run!.ended = true;
          finish();
        }, 20);
        return;
      }
      if (!run || typeof msg.benchT0 !== "number") return;
      if (msg.error || typeof msg.token !== "string") run.failed += 1;
      else {
        run.arrived += 1;
        run.lat.push(performance.now() - msg.benchT0);
        run.tokenSet.add(msg.token);
      }
      finish();
    });
    node.on("close", () => clearInterval(timer));
  });
};
