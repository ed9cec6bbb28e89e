// A real Node-RED process for the multi-instance test: its own user directory with this package
// linked in, settings.js bound to 127.0.0.1 with the shared cache option, nothing fetched from the
// internet. Its life is bounded twice: stop() from the test's after hook, and a watchdog in
// settings.js that exits when the test process is gone or the time limit passes.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "../support/ports";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const START_LIMIT_MS = 45_000;
const STOP_LIMIT_MS = 10_000;

export interface InstanceOptions {
  /** The accessTokenSharedCache setting. */
  sharedCache: Record<string, unknown>;
  /** The process exits by itself after this long, whatever happens to the test. */
  lifetimeMs: number;
}

/** red.js of the Node-RED under test: NODE_RED_PATH (the matrix's Node-RED 5), else the dev dependency. */
export function redJs(): string {
  const dir = process.env.NODE_RED_PATH;
  return dir ? path.join(path.resolve(dir), "red.js") : require.resolve("node-red/red.js");
}

export class NodeRedInstance {
  output = "";
  private constructor(
    readonly port: number,
    readonly userDir: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: InstanceOptions): Promise<NodeRedInstance> {
    const port = await freePort();
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-shared-"));
    const scope = path.join(userDir, "node_modules", "@iot-token");
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(ROOT, path.join(scope, "node-red-access-token"), "dir");
    fs.writeFileSync(path.join(userDir, "settings.js"), settingsFile(port, options));
    const child = spawn(process.execPath, [redJs(), "-u", userDir, "-p", String(port)], {
      cwd: userDir,
      env: { ...process.env, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const instance = new NodeRedInstance(port, userDir, child, exited);
    child.stdout!.on("data", (chunk: Buffer) => (instance.output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (instance.output += chunk.toString()));
    try {
      await instance.waitFor(/\] Started flows/, START_LIMIT_MS);
    } catch (err) {
      await instance.stop();
      throw err;
    }
    return instance;
  }

  /** Resolve once the output matches, or reject when the process exits or the time is up. */
  async waitFor(pattern: RegExp, limitMs: number): Promise<void> {
    const until = Date.now() + limitMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`node-red exited:\n${this.output}`);
      if (Date.now() > until) throw new Error(`node-red: no ${pattern} within ${limitMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Deploy flows (credentials inline, as the editor sends them) through the admin API. */
  async deploy(flows: unknown[]): Promise<void> {
    const response = await request("POST", `${this.url}/flows`, JSON.stringify(flows), {
      "Content-Type": "application/json",
      "Node-RED-Deployment-Type": "full",
    });
    if (response.status !== 204 && response.status !== 200) throw new Error(`deploy: HTTP ${response.status} ${response.body}`);
  }

  get(pathAndQuery: string): Promise<{ status: number; body: string }> {
    return request("GET", `${this.url}${pathAndQuery}`);
  }

  /** SIGINT lets Node-RED close its nodes (and our Redis client); SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGINT");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve();
      }, STOP_LIMIT_MS);
    });
    await Promise.race([this.exited, late]);
    clearTimeout(timer);
    await this.exited;
    fs.rmSync(this.userDir, { recursive: true, force: true });
  }
}

function settingsFile(port: number, options: InstanceOptions): string {
  const settings = {
    uiHost: "127.0.0.1",
    uiPort: port,
    flowFile: "flows.json",
    credentialSecret: "shared-cache-test-credential-secret",
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: { console: { level: "info", metrics: false, audit: false } },
    accessTokenSharedCache: options.sharedCache,
  };
  return [
    "// Written by the shared-cache test. The watchdog ends this process when the test process is",
    "// gone or the time limit has passed, so no Node-RED outlives its test.",
    `const parent = ${process.pid};`,
    `setTimeout(() => process.exit(3), ${options.lifetimeMs}).unref();`,
    "setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(4); } }, 1000).unref();",
    `module.exports = ${JSON.stringify(settings, null, 2)};`,
    "",
  ].join("\n");
}

/** One HTTP request without keep-alive, so no socket outlives it. */
export function request(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: 30_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}
