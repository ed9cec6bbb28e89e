// Rows 4 and 4b: four Node-RED processes sharing one Redis (one server, then a three-master
// Cluster), against the simulator in this process. Cold stampede: N messages at once on each
// process, vendor requests counted in all, latency to msg.token against one vendor round trip.
// Steady traffic: 4 s tokens, requests per lifetime across all four. Counts and ratios only.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { percentile } from "./driver";
import type { Accounts } from "./flows";
import { sharedBenchFlows, type RunAnswer } from "./shared-flows";
import type { SteadyResult } from "./steady";
import type { ProviderSimulator } from "../test/simulator";
import { NodeRedInstance, request } from "../test/shared-cache/node-red-instance";
import { adminClient, startRedis } from "../test/shared-cache/redis-server";
import { startCluster } from "../test/shared-cache/redis-cluster";

export type Topology = "redis" | "cluster";

export interface SharedStampede {
  n: number;
  processes: number;
  requests: number;
  sent: number;
  arrived: number;
  failed: number;
  distinctTokens: number;
  p50: number;
  p99: number;
  /** One token request straight to the simulator, median of three, ms. */
  vendorRttMs: number;
  /** The simulator's added delay per token request, ms (a WAN round trip). */
  vendorDelayMs: number;
  /**
   * Baseline in the same run: the same processes and messages, each process with an account of its
   * own (nothing to share: one request each). What the machine costs without waiting on another instance.
   */
  unshared?: { requests: number; p50: number; p99: number };
}

export interface SharedResult {
  topology: Topology;
  stampede: SharedStampede;
  steady: SteadyResult;
}

export interface SharedOptions {
  processes: number;
  n: number;
  lifetimeS: number;
  steadyS: number;
  marginS: number;
  /** Messages per 20 ms tick on each process. */
  perTick: number;
  vendorDelayMs: number;
}

/** A cleared Redis of the topology and a way to empty it again; stop() ends it. */
async function openTopology(topology: Topology) {
  if (topology === "redis") {
    const redis = await startRedis();
    return {
      setting: { redis: redis.url },
      async flush() {
        const client = await adminClient(redis.url);
        await client.flushAll().finally(() => client.destroy());
      },
      stop: () => redis.kill(),
    };
  }
  const cluster = await startCluster(3);
  return {
    setting: { cluster: cluster.ports.map((port) => `127.0.0.1:${port}`) },
    async flush() {
      for (const port of cluster.ports) {
        const client = await cluster.node(port);
        await client.flushAll().finally(() => client.destroy());
      }
    },
    stop: () => cluster.stop(),
  };
}

/** The programs rows 4 and 4b need that are not installed (Debian: redis-server, redis-tools). */
export function missingRedisPrograms(): string[] {
  return ["redis-server", "redis-cli"].filter(
    (program) => spawnSync(program, ["--version"], { stdio: "ignore", timeout: 10_000 }).error,
  );
}

export async function sharedCacheRows(
  sim: ProviderSimulator,
  account: Accounts,
  topology: Topology,
  options: SharedOptions,
  progress: (text: string) => void,
): Promise<SharedResult> {
  const redis = await openTopology(topology);
  const instances: NodeRedInstance[] = [];
  const driver = writeDriverPackage();
  try {
    progress(`shared cache (${topology}): starting ${options.processes} Node-RED processes`);
    const started = await Promise.allSettled(
      Array.from({ length: options.processes }, () =>
        NodeRedInstance.start({
          sharedCache: { ...redis.setting, prefix: "bench" },
          lifetimeMs: 120_000,
          modules: { "node-red-bench-shared-run": driver },
        }),
      ),
    );
    for (const s of started) if (s.status === "fulfilled") instances.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const deploy = () =>
      Promise.all(instances.map((i) => i.deploy(sharedBenchFlows(sim.url, account, options.marginS))));
    const runAll = async (query: string) => {
      const answers = await Promise.all(instances.map((i) => request("GET", `${i.url}/run?${query}`)));
      return answers.map((a) => {
        if (a.status !== 200) throw new Error(`GET /run?${query}: HTTP ${a.status} ${a.body.slice(0, 200)}`);
        return JSON.parse(a.body) as RunAnswer;
      });
    };

    progress(`shared cache (${topology}): cold stampede, ${options.n} messages on each process`);
    sim.reset();
    sim.fail("oneaccess.token", { kind: "slow", ms: options.vendorDelayMs });
    const vendorRttMs = await vendorRoundTrip(sim, account);
    // A first run warms each process up (its first messages, code paths, connections); not counted.
    await deploy();
    await runAll(`n=${options.n}`);
    sim.reset();
    sim.fail("oneaccess.token", { kind: "slow", ms: options.vendorDelayMs });
    await redis.flush();
    await deploy(); // new token sources and a flushed Redis: nothing cached anywhere
    const cold = await runAll(`n=${options.n}`);
    const stampede = summarize(cold, options, sim.count("oneaccess.token"), vendorRttMs);

    progress(`shared cache (${topology}): the same cold stampede with an account per process (nothing shared)`);
    const own = instances.map((_, k) => ({ ...account, clientId: `${account.clientId}-own-${k}` }));
    for (const a of own) sim.addAccount("oneaccess", a);
    sim.reset();
    sim.fail("oneaccess.token", { kind: "slow", ms: options.vendorDelayMs });
    await redis.flush();
    await Promise.all(instances.map((i, k) => i.deploy(sharedBenchFlows(sim.url, own[k], options.marginS))));
    const alone = summarize(await runAll(`n=${options.n}`), options, sim.count("oneaccess.token"), vendorRttMs);
    stampede.unshared = { requests: alone.requests, p50: alone.p50, p99: alone.p99 };

    progress(`shared cache (${topology}): steady traffic, ${options.steadyS} s at a ${options.lifetimeS} s lifetime`);
    sim.reset();
    sim.setTokenLifetime("oneaccess", options.lifetimeS);
    await redis.flush();
    await deploy(); // new token sources: nothing cached in any process
    const started0 = performance.now();
    let atSteady: number | undefined;
    const mark = setTimeout(() => (atSteady = sim.count("oneaccess.token")), options.lifetimeS * 1000);
    const steadyAnswers = await runAll(`ms=${options.steadyS * 1000}&per=${options.perTick}`).finally(() =>
      clearTimeout(mark),
    );
    const requests = sim.count("oneaccess.token");
    const elapsedS = (performance.now() - started0) / 1000;
    const lat = steadyAnswers.flatMap((a) => a.lat);
    const steady: SteadyResult = {
      contender: "get-token",
      lifetimeS: options.lifetimeS,
      durationS: options.steadyS,
      marginS: options.marginS,
      refreshBeforeS: Math.min(options.marginS, options.lifetimeS / 2),
      messages: sum(steadyAnswers.map((a) => a.sent)),
      arrived: sum(steadyAnswers.map((a) => a.arrived)),
      requests,
      steadyRequests: requests - (atSteady ?? requests),
      steadyS: Math.max(0, elapsedS - options.lifetimeS),
      distinctTokens: new Set(steadyAnswers.flatMap((a) => a.tokens)).size,
      failed: sum(steadyAnswers.map((a) => a.failed)),
      p99: percentile(Float64Array.from(lat), 99),
      maxMs: percentile(Float64Array.from(lat), 100),
    };
    sim.reset();
    return { topology, stampede, steady };
  } finally {
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    await redis.stop();
    fs.rmSync(driver, { recursive: true, force: true });
  }
}

/** A package directory whose only node re-exports a compiled driver node (shared-run-node.ts by default). */
export function writeDriverPackage(name = "node-red-bench-shared-run", module = "shared-run-node.js"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-bench-driver-"));
  const pkg = { name, version: "1.0.0", "node-red": { nodes: { run: "run.js" } } };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const target = JSON.stringify(path.join(__dirname, module));
  fs.writeFileSync(path.join(dir, "run.js"), `module.exports = require(${target});\n`);
  return dir;
}

function summarize(
  answers: RunAnswer[],
  options: SharedOptions,
  requests: number,
  vendorRttMs: number,
): SharedStampede {
  const lat = Float64Array.from(answers.flatMap((a) => a.lat));
  return {
    n: options.n,
    processes: answers.length,
    requests,
    sent: sum(answers.map((a) => a.sent)),
    arrived: sum(answers.map((a) => a.arrived)),
    failed: sum(answers.map((a) => a.failed)),
    distinctTokens: new Set(answers.flatMap((a) => a.tokens)).size,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    vendorRttMs,
    vendorDelayMs: options.vendorDelayMs,
  };
}

/** One OneAccess token request from this process, as the nodes send it: median of three, ms. */
async function vendorRoundTrip(sim: ProviderSimulator, account: Accounts): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const body = new URLSearchParams({
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: "client_credentials",
    });
    const t0 = performance.now();
    const response = await fetch(`${sim.url}/api/v2/tenant/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: body.toString(),
    });
    await response.text();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
