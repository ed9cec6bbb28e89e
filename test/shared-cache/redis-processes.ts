// Redis processes for the shared-cache topology tests: redis-server or redis-sentinel started in
// the foreground and awaited until serving, grouped with a temporary directory so one stop() kills
// them (SIGKILL) and removes it. A process left behind by a test that forgot stop() is killed when
// the test process exits. Also: a test's own client, a poll, and the check for the tools.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as RedisClientModule from "@redis/client";

const START_LIMIT_MS = 15_000;
const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((child) => child.kill("SIGKILL")));

/** Start redis-server or redis-sentinel and wait for the line that says it is serving. */
export function launchRedisProcess(binary: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`${binary} did not start: ${output}`)), START_LIMIT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => fail(new Error(`${binary} exited (${code}): ${output}`)));
    child.once("error", fail);
  });
}

export const SERVER_READY = /ready to accept connections/i; // "... at <socket>" when only a unix socket

/** Nothing persisted; loopback only; files (sockets, nodes.conf) in `dir`. */
export function serverArgs(dir: string, ...extra: string[]): string[] {
  return ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir, ...extra];
}

/** Processes and a temporary directory, ended together. */
export class Group {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-redis-"));
  private readonly children = new Set<ChildProcess>();

  /** Start one more process; if it does not start, the whole group ends (processes and directory). */
  async start(binary: string, args: string[], ready: RegExp): Promise<ChildProcess> {
    try {
      const child = await launchRedisProcess(binary, args, ready);
      this.children.add(child);
      return child;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  subdir(name: string): string {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children].map(killChild));
    this.children.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

type RedisModule = typeof RedisClientModule;
export type Client = ReturnType<RedisModule["createClient"]>;

/** A @redis/client connection for a test's own look (no reconnects, errors ignored: the test asserts). */
export async function connect(options: Parameters<RedisModule["createClient"]>[0]): Promise<Client> {
  const { createClient } = await import("@redis/client");
  const client = createClient({ ...options, socket: { ...options?.socket, reconnectStrategy: false } } as never);
  client.on("error", () => undefined);
  await client.connect();
  return client as Client;
}

/** Poll `check` every 100 ms until true; fail with `what` after the limit. */
export async function until(what: string, check: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited ${limitMs} ms for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Call from a `before` hook: skips the suite (fails it in CI) without redis-sentinel or redis-cli. */
export function requireTopologyTools(context: Mocha.Context): void {
  const missing = ["redis-sentinel", "redis-cli"].filter(
    (binary) => spawnSync(binary, ["--version"], { stdio: "ignore", timeout: 10_000 }).error,
  );
  if (missing.length === 0) return;
  const install = "apt-get install redis-sentinel redis-tools";
  if (process.env.CI) throw new Error(`${missing.join(" and ")} not installed, and CI is set: ${install}`);
  console.log(`      ${missing.join(" and ")} not installed: topology tests skipped (${install})`);
  context.skip();
}
