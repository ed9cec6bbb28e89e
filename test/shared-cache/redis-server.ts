// A real redis-server for the shared-cache tests: started on a free loopback port with nothing
// persisted, killed at the end (and on exit, should a test forget). Without redis-server installed
// the tests skip, except in CI (CI set), where a missing server is a failure.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "../support/ports";

export interface RedisServer {
  port: number;
  url: string;
  /** Die at once (SIGKILL), as a crashed server would. */
  kill(): Promise<void>;
  /** Start again on the same port (after kill). */
  restart(): Promise<void>;
}

let installed: boolean | undefined;

export function redisInstalled(): boolean {
  installed ??= !spawnSync("redis-server", ["--version"], { stdio: "ignore", timeout: 10_000 }).error;
  return installed;
}

/** Call from a `before` hook: skips the suite, or fails it in CI, when there is no redis-server. */
export function requireRedis(context: Mocha.Context): void {
  if (redisInstalled()) return;
  if (process.env.CI)
    throw new Error(
      "redis-server is not installed, and CI is set: the shared-cache tests must run (apt-get install redis-server)",
    );
  console.log("      redis-server is not installed: shared-cache tests skipped (apt-get install redis-server)");
  context.skip();
}

const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((child) => child.kill("SIGKILL")));

function launch(port: number, extraArgs: string[]): Promise<ChildProcess> {
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    ...extraArgs,
  ];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s: ${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => fail(new Error(`redis-server exited (${code}): ${output}`)));
    child.once("error", fail);
  });
}

function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Start a redis-server on a free port; the caller kills it in its after hook. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, extraArgs);
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async kill() {
      await killChild(child);
      child = undefined;
    },
    async restart() {
      await killChild(child);
      child = await launch(port, extraArgs);
    },
  };
}

/** A @redis/client connection for a test's own look at Redis (keys, values, planting entries). */
export async function adminClient(url: string) {
  const { createClient } = await import("@redis/client");
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}
export type AdminClient = Awaited<ReturnType<typeof adminClient>>;
