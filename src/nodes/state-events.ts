// Tells every open editor that a deployed credentials node's state changed, over Node-RED's comms,
// so that the Tokens sidebar reads it again through the admin route. Only the node's id and the
// kind of change go out: comms reaches every logged-in editor, and only the route checks who may
// read the state. Published on change only (a token obtained, a failed request, start, close),
// never per message, so a burst of messages answered from the cache publishes nothing.
import { STATE_TOPIC } from "../admin-api";
import type { StateChange } from "../token-source";
import type { Node, NodeAPI } from "./node-red";

/** A node started or closed (a deploy), or its token or last error changed. */
export type NodeStateChange = StateChange | "started" | "closed";

/** All that the comms message holds. */
export interface StateMessage {
  id: string;
  change: NodeStateChange;
}

/** What of a credentials node the publisher listens to (CredentialsConfig). */
export interface StateSource {
  onStateChange(listener: (change: StateChange) => void): void;
}

export function publishStateChanges(RED: NodeAPI, node: Pick<Node, "id" | "on">, source: StateSource): void {
  const publish = (change: NodeStateChange) => {
    const message: StateMessage = { id: node.id, change };
    RED.comms.publish(STATE_TOPIC, message, false);
  };
  publish("started");
  source.onStateChange(publish);
  // No done callback: called at once, ahead of the node's own close.
  node.on("close", () => publish("closed"));
}
