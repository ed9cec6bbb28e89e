// An embedded Node-RED runtime for the bench: a temporary userDir whose node_modules links this
// repository (so Node-RED reads our package.json like an installed package), the bench sink and,
// when installed, the incumbent; no editor, console logging off, credentials encrypted.
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { NodeMessage } from "../src/nodes/node-red";

/** What a flow node exposes to the bench: receive() injects a message as if wired to it. */
export interface RuntimeNode {
  id: string;
  type: string;
  receive(msg: NodeMessage): void;
}

export interface FlowSet {
  flows: Array<Record<string, unknown>>;
  credentials: Record<string, Record<string, string>>;
}

/** Errors and warnings the runtime logged, by node type: the incumbent's failures only show here. */
export class LogTally {
  readonly byType = new Map<string, number>();
  readonly samples: string[] = [];
  record(entry: { level: number; type?: string; msg?: unknown }): void {
    const key = `${entry.level <= 20 ? "error" : "warn"} ${entry.type ?? "runtime"}`;
    this.byType.set(key, (this.byType.get(key) ?? 0) + 1);
    if (this.samples.length < 20) this.samples.push(`${key}: ${describe(entry.msg).slice(0, 200)}`);
  }
  count(prefix: string): number {
    let n = 0;
    for (const [key, value] of this.byType) if (key.startsWith(prefix)) n += value;
    return n;
  }
  clear(): void {
    this.byType.clear();
    this.samples.length = 0;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  // The incumbent logs the whole message; its oauth2Error part is what says what went wrong.
  const oauth2Error = (value as { oauth2Error?: { status?: unknown; message?: unknown } } | null)?.oauth2Error;
  if (oauth2Error) return `msg.oauth2Error: status ${String(oauth2Error.status)}, ${String(oauth2Error.message)}`;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const REPO = path.resolve(__dirname, "..", "..");

export class BenchRuntime {
  readonly log = new LogTally();
  private constructor(
    private readonly RED: any,
    private readonly server: http.Server,
    readonly userDir: string,
  ) {}

  /**
   * incumbentDir: the installed node-red-contrib-oauth2 package folder, if any. packageDir: the
   * package under test, this repository unless a what-if experiment points at a patched copy.
   */
  static async start(incumbentDir?: string, packageDir = REPO): Promise<BenchRuntime> {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-bench-"));
    const modules = path.join(userDir, "node_modules");
    fs.mkdirSync(path.join(modules, "@iot-token"), { recursive: true });
    fs.symlinkSync(packageDir, path.join(modules, "@iot-token", "node-red-access-token"), "dir");
    if (incumbentDir) fs.symlinkSync(incumbentDir, path.join(modules, "node-red-contrib-oauth2"), "dir");
    writeSinkPackage(path.join(modules, "node-red-bench-sink"));

    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node-red has no type declarations; loaded from the path under test
    const RED = require("node-red");
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const runtime = new BenchRuntime(RED, server, userDir);
    RED.init(server, {
      userDir,
      flowFile: "flows.json",
      credentialSecret: "bench-credential-secret",
      disableEditor: true,
      httpNodeRoot: false,
      uiHost: "127.0.0.1",
      externalModules: { autoInstall: false, palette: { allowInstall: false } },
      // One handler, as a default runtime has one (console): Node-RED emits a metric event to every
      // handler on each receive and send, so a second handler would slow every contender.
      logging: {
        bench: {
          level: "warn",
          metrics: false,
          audit: false,
          handler: () => (entry: any) => runtime.log.record(entry),
        },
      },
    });
    // RED.start() resolves before the (empty) initial flows have loaded their credentials; a
    // deploy made before that would have its credentials wiped by that late load.
    const initialFlows = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      RED.events.once("flows:started", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await RED.start();
    await initialFlows;
    return runtime;
  }

  /** From node-red's package.json: RED.version() appends "-git" when any parent folder is a git checkout. */
  get version(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the version of the Node-RED that this run loads
    return (require("node-red/package.json") as { version: string }).version;
  }

  /** A full deploy: every node of the previous flows is closed, so caches start cold. */
  async deploy(set: FlowSet): Promise<void> {
    await this.RED.runtime.flows.setFlows({
      flows: { flows: set.flows, credentials: set.credentials },
      deploymentType: "full",
    });
    // setFlows resolves once the flows are saved and the old ones stopped; the new ones start
    // afterwards (and "flows:started" may be a late one from an earlier start), so poll for them.
    const ids = set.flows.filter((n) => typeof n.z === "string").map((n) => String(n.id));
    const deadline = Date.now() + 15_000;
    while (ids.some((id) => !this.RED.nodes.getNode(id))) {
      if (Date.now() > deadline) {
        const missing = ids.filter((id) => !this.RED.nodes.getNode(id));
        throw new Error(
          `nodes ${missing.slice(0, 5).join(", ")} did not start within 15 s; runtime log: ${this.log.samples.join(" | ")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  node(id: string): RuntimeNode {
    const node = this.RED.nodes.getNode(id) as RuntimeNode | null;
    if (!node) throw new Error(`no node ${id} in the running flows`);
    return node;
  }

  /** Node types the runtime could not load (e.g. a missing module): names them instead of hanging. */
  missingTypes(types: string[]): string[] {
    return types.filter((type) => !this.RED.nodes.getType(type));
  }

  async stop(): Promise<void> {
    try {
      await this.RED.runtime.flows.setFlows({ flows: { flows: [] }, deploymentType: "full" });
    } catch {
      // Stopping anyway; a failed empty deploy must not keep the process alive.
    }
    try {
      await this.RED.stop();
    } finally {
      // Whatever the runtime did, the port and the temporary userDir must not outlive the bench.
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      fs.rmSync(this.userDir, { recursive: true, force: true });
    }
  }
}

/** A Node-RED package in the userDir that re-exports the compiled bench sink (shared module state). */
function writeSinkPackage(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = { name: "node-red-bench-sink", version: "1.0.0", "node-red": { nodes: { "bench-sink": "sink.js" } } };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  fs.writeFileSync(
    path.join(dir, "sink.js"),
    `module.exports = require(${JSON.stringify(path.join(__dirname, "sink-node.js"))});\n`,
  );
}
