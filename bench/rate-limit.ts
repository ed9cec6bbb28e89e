// Row 10: a vendor's rate limit shared by two Node-RED processes. The simulator (in the bench
// process) limits the OAuth2 API to `limit` calls per second per account, strictly (429 above it);
// each process gets half the calls at once. Ours: an api request node on credentials with that rate
// limit, shared through one Redis. Against it, the core http request node (its token from get token)
// behind a delay node's rate limit, with the budget split by hand (limit / 2 per process) and
// without (the vendor's limit in each process). Counted: answers of 429, and the steady throughput
// as a share of the limit, from the calls' times as the vendor saw them (the first window's burst
// and the last one's stragglers aside).
import type { ProviderSimulator } from "../test/simulator";
import { NodeRedInstance, request } from "../test/shared-cache/node-red-instance";
import { startRedis } from "../test/shared-cache/redis-server";
import { rateCredentials, THINGS_PATH, thingsCall } from "../test/rate-limit/rate-flows";
import { coreHttpRequest } from "./api-flows";
import { writeDriverPackage } from "./shared";

/** What GET /rate answers (rate-run-node.ts). */
export interface RateRunAnswer {
  sent: number;
  back: number;
  /** Returned messages by msg.statusCode ("error" for a Catch message without one). */
  codes: Record<string, number>;
}

export interface RateRow {
  /** "api request, rate limit shared through Redis", "delay 25/s + http request", ... */
  contender: string;
  /** Per process, for the delay node rows; the account's, for ours. */
  ratePerProcess: number;
  calls: number;
  answered: number;
  /** Answers of 429 (the simulator's count: every call it refused). */
  refused: number;
  /** Calls that failed otherwise (Catch without a status, or another status). */
  failed: number;
  elapsedS: number;
  /** The steady rate (the first and the last window aside) ÷ the limit: 1 is the limit exactly. */
  shareOfLimit: number;
}

export interface RateOptions {
  /** Calls per second per account at the vendor. */
  limit: number;
  calls: number;
  processes: number;
}

type Contender = { name: string; flows: (sim: ProviderSimulator, rate: number) => unknown[]; ratePerProcess: number };

export async function rateLimitRows(
  sim: ProviderSimulator,
  options: RateOptions,
  progress: (text: string) => void,
): Promise<RateRow[]> {
  const redis = await startRedis();
  const driver = writeDriverPackage("node-red-bench-rate-run", "rate-run-node.js");
  const instances: NodeRedInstance[] = [];
  const contenders: Contender[] = [
    {
      name: "api request, rate limit on the credentials node, shared through Redis",
      ratePerProcess: options.limit,
      flows: oursFlows,
    },
    {
      name: "core: delay node (rate limit) + get token + http request, budget split by hand",
      ratePerProcess: options.limit / options.processes,
      flows: coreFlows,
    },
    {
      name: "core: delay node (rate limit) + get token + http request, the vendor's limit in each process",
      ratePerProcess: options.limit,
      flows: coreFlows,
    },
  ];
  try {
    progress(`rate limit: starting ${options.processes} Node-RED processes on one Redis`);
    const started = await Promise.allSettled(
      Array.from({ length: options.processes }, () =>
        NodeRedInstance.start({
          sharedCache: { redis: redis.url, prefix: "bench-rate" },
          lifetimeMs: 30 * 60_000,
          modules: { "node-red-bench-rate-run": driver },
        }),
      ),
    );
    for (const s of started) if (s.status === "fulfilled") instances.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const rows: RateRow[] = [];
    for (const contender of contenders) {
      progress(`rate limit: ${contender.name}: ${options.calls} calls at ${options.limit}/s per account`);
      rows.push(await runOne(sim, instances, contender, options));
    }
    return rows;
  } finally {
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    await redis.kill();
    sim.reset();
  }
}

async function runOne(
  sim: ProviderSimulator,
  instances: NodeRedInstance[],
  contender: Contender,
  options: RateOptions,
): Promise<RateRow> {
  await Promise.all(instances.map((i) => i.deploy(contender.flows(sim, contender.ratePerProcess))));
  // Limits and counts cleared; the tokens kept (the one in Redis is still the vendor's).
  sim.clear();
  sim.rateLimit("oauth2", { calls: options.limit, periodMs: 1_000 });
  const perProcess = Math.ceil(options.calls / instances.length);
  const t0 = performance.now();
  await Promise.all(instances.map((i) => rate(i, `?n=${perProcess}`)));
  // Ideal: calls / limit seconds; give up at three times that (and say so in the counts).
  const deadline = t0 + ((3 * options.calls) / options.limit) * 1000 + 30_000;
  let answers: RateRunAnswer[];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    answers = await Promise.all(instances.map((i) => rate(i, "")));
    if (answers.every((a) => a.back >= a.sent) || performance.now() > deadline) break;
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const stats = sim.pacingStatsOf("oauth2");
  const times = sim.acceptedCalls("oauth2").map((call) => call.at);
  // The steady rate: from the first call of the second window to the first of the last one (the
  // first window's burst and the last one's stragglers aside).
  const { limit } = options;
  const spanS = times.length > 2 * limit ? (times[times.length - limit] - times[limit]) / 1000 : NaN;
  const codes = answers.flatMap((a) => Object.entries(a.codes));
  const count = (code: string) => codes.reduce((sum, [c, n]) => sum + (c === code ? n : 0), 0);
  const calls = perProcess * instances.length;
  return {
    contender: contender.name,
    ratePerProcess: contender.ratePerProcess,
    calls,
    answered: count("200"),
    refused: stats.refused,
    failed: calls - count("200") - count("429"),
    elapsedS,
    shareOfLimit: (times.length - 2 * limit) / spanS / limit,
  };
}

async function rate(instance: NodeRedInstance, query: string): Promise<RateRunAnswer> {
  const answer = await request("GET", `${instance.url}/rate${query}`);
  if (answer.status !== 200) throw new Error(`GET /rate${query}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  return JSON.parse(answer.body) as RateRunAnswer;
}

/** GET /rate -> the driver -> [line under test] -> the driver; Catch -> the driver. */
function frame(sim: ProviderSimulator, rate: number | "", line: unknown[], first: string) {
  let y = 0;
  const at = () => ({ x: 200, y: (y += 60) });
  return [
    { id: "tab", type: "tab", label: "rate limit bench" },
    rateCredentials(sim, { rateLimit: rate, ratePeriod: 1, maxQueue: 100_000 }),
    {
      id: "in",
      type: "http in",
      z: "tab",
      name: "",
      url: "/rate",
      method: "get",
      upload: false,
      wires: [["run"]],
      ...at(),
    },
    { id: "run", type: "bench-rate-run", z: "tab", wires: [[first], ["res"]], ...at() },
    ...line.map((node) => ({ ...(node as object), z: "tab", ...at() })),
    { id: "catch", type: "catch", z: "tab", name: "", scope: null, uncaught: false, wires: [["run"]], ...at() },
    { id: "res", type: "http response", z: "tab", name: "", statusCode: "", headers: {}, wires: [], ...at() },
  ];
}

function oursFlows(sim: ProviderSimulator, rate: number): unknown[] {
  const api = thingsCall({ busy: "catch", wires: [["run"]] });
  return frame(sim, rate, [api], "api");
}

function coreFlows(sim: ProviderSimulator, rate: number): unknown[] {
  const line = [
    {
      id: "delay",
      type: "delay",
      name: "",
      pauseType: "rate",
      timeout: "5",
      timeoutUnits: "seconds",
      rate: String(rate),
      nbRateUnits: "1",
      rateUnits: "second",
      randomFirst: "1",
      randomLast: "5",
      randomUnits: "seconds",
      drop: false,
      allowrate: false,
      outputs: 1,
      wires: [["get"]],
    },
    {
      id: "get",
      type: "access-token",
      name: "",
      provider: "oauth2",
      oauth2: "cfg",
      scope: "none",
      store: "",
      key: "accessToken",
      margin: 300,
      headers: true,
      wires: [["http"]],
    },
    { ...coreHttpRequest("http", "tab", `${sim.url}${THINGS_PATH}`, "run"), ret: "txt" },
  ];
  // The credentials node without a rate limit: the delay node is the only one.
  return frame(sim, "", line, "delay");
}
