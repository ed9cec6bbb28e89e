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

/** An admin API request and response (Express, as Node-RED's httpAdmin hands them over). */
export interface AdminRequest {
  /** Express sets each parameter of the route's path (`:id`): a request without one matches no route. */
  params: Record<string, string>;
  body?: unknown;
}

export interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}

export type AdminHandler = (req: AdminRequest, res: AdminResponse, next: () => void) => void;

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: NodeDef): void;
    registerType(
      type: string,
      constructor: (this: Node, config: NodeDef) => void,
      options?: { credentials?: Record<string, { type: "text" | "password" }>; settings?: Record<string, unknown> },
    ): void;
    getNode(id: string): unknown;
    /** Every node of the deployed flows, as configured (getNode gives the running one). */
    eachNode(callback: (node: NodeDef) => void): void;
    /** A deployed node's stored credentials (secrets included: never send them to the browser). */
    getCredentials(id: string): Record<string, unknown> | undefined;
  };
  httpAdmin: {
    get(path: string, ...handlers: AdminHandler[]): void;
    post(path: string, ...handlers: AdminHandler[]): void;
  };
  auth: { needsPermission(permission: string): AdminHandler };
  /** Messages to every open editor (websocket); `retain` keeps the last one per topic for editors that connect later. */
  comms: { publish(topic: string, data: unknown, retain: boolean): void };
  settings: Record<string, unknown>;
  /** Node-RED's JSONata (the custom provider's expressions) and its property-expression parser. */
  util: JsonataUtil & {
    /** Throws on what is not a valid message or context property expression. */
    normalisePropertyExpression(expression: string): unknown[];
    /** A deep copy of a message, as a node that sends several messages for one makes them. */
    cloneMessage<T>(msg: T): T;
  };
  /** Node-RED's message hooks (one hook, for msg.error.statusCode at Catch nodes). */
  hooks?: {
    add(id: string, hook: (event: never) => void): void;
    remove(id: string): void;
  };
  /** The runtime's log: lines that belong to no one node (the shared cache's outages). */
  log: { warn(text: string): void; info(text: string): void };
  _(key: string, params?: Record<string, unknown>): string;
}
