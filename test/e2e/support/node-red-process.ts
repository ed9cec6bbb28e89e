// A real `node-red` process (red.js of the Node-RED under test, on this test's Node.js) bound to
// 127.0.0.1, with its console output kept for assertions. Always stop() it in an after hook.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { deploy } from "./admin";

/** The Node-RED package directory under test: the matrix's NODE_RED_PATH, else the dev dependency. */
export function nodeRedDir(): string {
  const fromEnv = process.env.NODE_RED_PATH;
  if (fromEnv) return path.dirname(require.resolve(path.join(path.resolve(fromEnv), "package.json")));
  return path.dirname(require.resolve("node-red/package.json"));
}

export function nodeRedVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the version of the Node-RED under test, by path
  return (require(path.join(nodeRedDir(), "package.json")) as { version: string }).version;
}

const START_LIMIT_MS = 45_000;
const STOP_LIMIT_MS = 10_000;

export class NodeRedProcess {
  /** Every line the process printed, across restarts. */
  readonly lines: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly userDir: string,
    readonly port: number,
    /** More environment variables of the process. */
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Start and wait for "Started flows" (the admin API and the flows are up). */
  async start(): Promise<void> {
    if (this.child) throw new Error("node-red is already running");
    const from = this.lines.length;
    const child = spawn(
      process.execPath,
      [path.join(nodeRedDir(), "red.js"), "-u", this.userDir, "-p", String(this.port)],
      {
        cwd: this.userDir,
        env: { ...process.env, ...this.env, NODE_RED_HOME: this.userDir, NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    let partial = "";
    const collect = (chunk: Buffer): void => {
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => {
        cleanup();
        reject(new Error(`node-red ${why}:\n${this.lines.slice(from).join("\n")}`));
      };
      const poll = setInterval(() => {
        if (this.lines.slice(from).some((line) => /\] Started flows/.test(line))) {
          cleanup();
          resolve();
        }
      }, 100);
      const timer = setTimeout(() => fail(`did not start within ${START_LIMIT_MS / 1000} s`), START_LIMIT_MS);
      const onExit = (code: number | null) => fail(`exited with ${code} while starting`);
      child.once("exit", onExit);
      const cleanup = () => {
        clearInterval(poll);
        clearTimeout(timer);
        child.off("exit", onExit);
      };
    }).catch(async (err: unknown) => {
      await this.stop();
      throw err;
    });
  }

  /** SIGINT lets Node-RED close its nodes and flush the file context store; SIGKILL if it hangs. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.lines.push(`(test: node-red did not stop within ${STOP_LIMIT_MS / 1000} s: SIGKILL)`);
        child.kill("SIGKILL");
        resolve();
      }, STOP_LIMIT_MS);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  /** Die at once (SIGKILL), as a crashed or OOM-killed process would: no node closes, nothing is released. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await this.exited;
  }

  /** Resolve when a line from index `from` on matches (bounded: rejects after limitMs). */
  async waitForLine(pattern: RegExp, from: number, limitMs = 15_000): Promise<string> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const line = this.lines.slice(from).find((l) => pattern.test(l));
      if (line) return line;
      if (Date.now() > deadline)
        throw new Error(`node-red printed no line matching ${pattern} within ${limitMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A deploy through the admin API answers before the flows have started; wait for that too. */
  async deploy(flows: unknown[], headers: Record<string, string> = {}): Promise<void> {
    const from = this.lines.length;
    await deploy(this.url, flows, headers);
    await this.waitForLine(/\] Started flows/, from);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Lines that are warnings or errors, optionally only those mentioning one of the words. A fresh
   * user directory has no flows_cred.json until the first deploy: that one warning is expected.
   */
  problems(words: string[] = []): string[] {
    return this.lines.filter(
      (line) =>
        /\[(warn|error)\]|Failed to register|Error:|Waiting for missing types/.test(line) &&
        !/\[warn\] (Encrypted credentials not found|Projects disabled)/.test(line) &&
        (words.length === 0 || words.some((word) => line.includes(word))),
    );
  }
}
