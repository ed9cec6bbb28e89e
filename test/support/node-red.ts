// One place that decides which Node-RED the tests run: the dev dependency (Node-RED 4) by default,
// or the one NODE_RED_PATH names (the test matrix points it at Node-RED 5 under Node.js 24).
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the test helper has no type declarations
const helper: TestHelper = require("node-red-node-test-helper");

export interface TestNode {
  id: string;
  type: string;
  on(event: string, listener: (...args: any[]) => void): void;
  receive(msg: Record<string, unknown>): void;
  status: { (status: Record<string, unknown>): void } & Partial<{ getCalls(): Array<{ args: any[] }> }>;
  [key: string]: any;
}

export interface TestHelper {
  init(runtimePath?: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: unknown, flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  setFlows(flow: unknown[], type?: string, credentials?: Record<string, unknown>): Promise<void>;
  getNode(id: string): TestNode;
  clearFlows(): Promise<void>;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  request(): any;
  /** The admin API's express app of the last load (what request() sends to). */
  _httpAdmin: (req: unknown, res: unknown) => void;
  log(): any;
  _RED: any;
  _redNodes: any;
  _settings: any;
}

export const nodeRedPath = process.env.NODE_RED_PATH
  ? require.resolve(process.env.NODE_RED_PATH)
  : require.resolve("node-red");
helper.init(nodeRedPath);

export { helper };

/** The version of the Node-RED runtime under test, e.g. "4.1.15". */
export function nodeRedVersion(): string {
  return (helper._RED.version as () => string)();
}

/** A core node module (catch, debug, http request, tls, http proxy) of the Node-RED under test. */
export function coreNode(file: string): unknown {
  const nodesDir = path.dirname(
    require.resolve("@node-red/nodes/package.json", { paths: [path.dirname(nodeRedPath)] }),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a core node file of the Node-RED under test, by path
  return require(path.join(nodesDir, "core", file));
}

export const CORE = {
  catch: "common/25-catch.js",
  complete: "common/24-complete.js",
  debug: "common/21-debug.js",
  status: "common/25-status.js",
  inject: "common/20-inject.js",
  change: "function/15-change.js",
  join: "sequence/17-split.js",
  function: "function/10-function.js",
  httpRequest: "network/21-httprequest.js",
  httpProxy: "network/06-httpproxy.js",
  tls: "network/05-tls.js",
} as const;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the node module as Node-RED loads it (export =)
const nodeModule: (RED: Record<string, unknown>) => void = require("../../src/nodes/access-token");
interface RuntimeHooks {
  add(id: string, hook: (event: never) => unknown): void;
  remove(id: string): void;
  has(id: string): boolean;
  trigger(id: string, event: unknown, done: (err?: unknown) => void): void;
}
/** The message hooks of the Node-RED under test: the @node-red/util hooks its Node.receive triggers. */
export const runtimeHooks: RuntimeHooks =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the Node-RED under test, by path
  (require(require.resolve("@node-red/util", { paths: [path.dirname(nodeRedPath)] })) as { hooks: RuntimeHooks }).hooks;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the Node-RED under test, by path
const nodeRedUtil = require(require.resolve("@node-red/util", { paths: [path.dirname(nodeRedPath)] })) as {
  events: NodeJS.EventEmitter;
};
/** The runtime's event bus of the Node-RED under test: RED.comms.publish emits "comms" on it for the editors. */
export const runtimeEvents = nodeRedUtil.events;

/**
 * The node module as a real runtime loads it. The test helper's node API leaves out RED.hooks (its
 * mock runtime has none), which a real runtime gives every node module: the same hooks are added here.
 */
export function accessTokenNodes(RED: Record<string, unknown>): void {
  nodeModule(RED.hooks ? RED : Object.assign(RED, { hooks: runtimeHooks }));
}

/**
 * The node API with RED._ throwing for the keys in `failing` (read at each call), as a catalog that
 * cannot render a text would: a failure where nothing is expected to fail.
 */
export function translationFails(RED: Record<string, unknown>, failing: ReadonlySet<string>): Record<string, unknown> {
  const translate = RED._ as (key: string, params?: unknown) => string;
  const _ = (key: string, params?: unknown) => {
    if (failing.has(key)) throw new Error(`cannot render ${key}`);
    return translate(key, params);
  };
  return Object.assign(RED, { _ });
}
