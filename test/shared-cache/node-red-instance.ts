// A real Node-RED process for the multi-instance test: its own user directory with this package
// linked in, settings.js bound to 127.0.0.1 with the shared cache option, nothing fetched from the
// internet. Its life is bounded twice: stop() from the test's after hook, and a watchdog in
// settings.js that exits when the test process is gone or the time limit passes.
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { NodeRedProcess } from "../e2e/support/node-red-process";
import { freePort } from "../support/ports";

const ROOT = path.resolve(__dirname, "..", "..", "..");

export interface InstanceOptions {
  /** The accessTokenSharedCache setting. */
  sharedCache: Record<string, unknown>;
  /** The process exits by itself after this long, whatever happens to the test. */
  lifetimeMs: number;
  /** More node packages for the palette: name -> package directory, linked into node_modules (the bench's driver). */
  modules?: Record<string, string>;
}

export class NodeRedInstance {
  private constructor(private readonly process: NodeRedProcess) {}

  get url(): string {
    return this.process.url;
  }

  /** Everything the process printed. */
  get output(): string {
    return this.process.lines.join("\n");
  }

  static async start(options: InstanceOptions): Promise<NodeRedInstance> {
    const port = await freePort();
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-shared-"));
    const scope = path.join(userDir, "node_modules", "@iot-token");
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(ROOT, path.join(scope, "node-red-access-token"), "dir");
    for (const [name, dir] of Object.entries(options.modules ?? {}))
      fs.symlinkSync(dir, path.join(userDir, "node_modules", name), "dir");
    fs.writeFileSync(path.join(userDir, "settings.js"), settingsFile(port, options));
    const nodeRed = new NodeRedProcess(userDir, port);
    try {
      await nodeRed.start(); // stops the process itself if it does not start
    } catch (err) {
      fs.rmSync(userDir, { recursive: true, force: true });
      throw err;
    }
    return new NodeRedInstance(nodeRed);
  }

  /**
   * Deploy flows (credentials inline, as the editor sends them) through the admin API, and wait
   * until they have started (the admin API answers before that; the http in routes come after).
   */
  async deploy(flows: unknown[]): Promise<void> {
    const from = this.process.lines.length;
    const response = await request("POST", `${this.url}/flows`, JSON.stringify(flows), {
      "Content-Type": "application/json",
      "Node-RED-Deployment-Type": "full",
    });
    if (response.status !== 204 && response.status !== 200)
      throw new Error(`deploy: HTTP ${response.status} ${response.body}`);
    await this.process.waitForLine(/\] Started flows/, from, 30_000);
  }

  get(pathAndQuery: string): Promise<{ status: number; body: string }> {
    return request("GET", `${this.url}${pathAndQuery}`);
  }

  /** SIGKILL: the process dies with whatever it holds (a Redis lock, a vendor request); no node closes. */
  async kill(): Promise<void> {
    await this.process.kill();
    fs.rmSync(this.process.userDir, { recursive: true, force: true });
  }

  /** How many lines the process has printed: pass to linesSince() to see what a step printed. */
  get lineCount(): number {
    return this.process.lines.length;
  }

  linesSince(from: number): string[] {
    return this.process.lines.slice(from);
  }

  /** SIGINT lets Node-RED close its nodes (and our Redis client); SIGKILL if it hangs. */
  async stop(): Promise<void> {
    await this.process.stop();
    fs.rmSync(this.process.userDir, { recursive: true, force: true });
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
export function request(
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
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
