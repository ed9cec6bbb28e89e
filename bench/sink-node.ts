// The bench's own end-of-flow node type ("bench-sink"). Node-RED loads it from a tiny package the
// bench writes into the temporary userDir, which re-exports this compiled module; the bench requires
// the same module, so both share `hub` and the sink reports arrivals with one plain function call
// (no debug node, no status or log traffic that would itself cost time).
import type { Node, NodeAPI, NodeDef, NodeMessage } from "../src/nodes/node-red";

const hub = {
  /** Set by the phase that is running; called once per message that reaches any sink. */
  arrive: (_msg: NodeMessage): void => undefined,
};

export = Object.assign(
  function benchSinkNodes(RED: NodeAPI): void {
    RED.nodes.registerType("bench-sink", function (this: Node, config: NodeDef) {
      RED.nodes.createNode(this, config);
      // A one-argument input handler: Node-RED then tracks no done() for it.
      this.on("input", (msg: NodeMessage) => hub.arrive(msg));
    });
  },
  { hub },
);
