// A real redis-server for the shared-cache tests: started on a free loopback port with nothing
// persisted, killed at the end (and on exit, should a test forget). Without redis-server installed
// the tests skip, except in CI (CI set), where a missing server is a failure.
import { spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "../support/ports";
import { connect, killChild, launchRedisProcess, SERVER_READY, type Client } from "./redis-processes";

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

/** Nothing persisted, loopback only, in the foreground (processes of redis-processes.ts: killed on exit). */
function launch(port: number, extraArgs: string[]): Promise<ChildProcess> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"];
  return launchRedisProcess("redis-server", [...args, ...extraArgs], SERVER_READY);
}

/** Start a redis-server on a free port; the caller kills it in its after hook. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, extraArgs);
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async kill() {
      if (child) await killChild(child);
      child = undefined;
    },
    async restart() {
      if (child) await killChild(child);
      child = await launch(port, extraArgs);
    },
  };
}

/** A @redis/client connection for a test's own look at Redis (keys, values, planting entries). */
export const adminClient = (url: string) => connect({ url });
export type AdminClient = Client;

/** A suite's redis-server and its admin connection, from the suite's first `before` on. */
export interface RedisFrame {
  readonly server: RedisServer;
  readonly admin: AdminClient;
}

/**
 * Call inside a describe(): a redis-server started once for the suite (skipped without one, failed
 * in CI), emptied before each test, killed after the suite, with a connection for the test's own
 * look at it. With simulatorSuite() or simulatorHttp() beside it for the vendor side.
 */
export function redisFrame(extraArgs: string[] = []): RedisFrame {
  let server: RedisServer | undefined;
  let admin: AdminClient | undefined;
  before(async function () {
    requireRedis(this);
    server = await startRedis(extraArgs);
    admin = await adminClient(server.url);
  });
  after(async () => {
    admin?.destroy();
    await server?.kill();
  });
  beforeEach(async () => {
    await admin?.flushAll();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("redis-server starts in the suite's before hook");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get admin() {
      return started(admin);
    },
  };
}
