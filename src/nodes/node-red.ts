// The small part of the Node-RED runtime API this package uses, typed here rather than through a
// third-party type package that trails Node-RED's releases.
import type { JsonataUtil } from "./jsonata";

export interface NodeMessage {
  _msgid?: string;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: "red" | "green" | "yellow" | "blue" | "grey";
  shape?: "ring" | "dot";
  text?: string;
}

export interface ContextStore {
  get(key: string, store: string | undefined, callback: (err: Error | null, value: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err: Error | null) => void): void;
}

export interface NodeContext {
  flow: ContextStore;
  global: ContextStore;
}

export interface Node {
  id: string;
  name?: string;
  credentials: Record<string, string | undefined>;
  on(
    event: "input",
    listener: (msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => void,
  ): void;
  on(event: "close", listener: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  context(): NodeContext;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  [key: string]: unknown;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: NodeDef): void;
    registerType(
      type: string,
      constructor: (this: Node, config: NodeDef) => void,
      options?: { credentials?: Record<string, { type: "text" | "password" }>; settings?: Record<string, unknown> },
    ): void;
    getNode(id: string): unknown;
  };
  settings: Record<string, unknown>;
  /** Node-RED's JSONata, for the custom provider's expressions. */
  util: JsonataUtil;
  /** The runtime's log: lines that belong to no one node (the shared cache's outages). */
  log: { warn(text: string): void; info(text: string): void };
  _(key: string, params?: Record<string, unknown>): string;
}
