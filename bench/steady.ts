// Row 3: a steady hour in fast motion. Token lifetime 4 s (instead of OneAccess's 1800 s), steady
// traffic on 10 token nodes over 5 tabs for a fixed time; count what the vendor sees.
import { percentile } from "./driver";
import { layout, tokenOf, type Accounts, type Contender } from "./flows";
import type { BenchRuntime } from "./runtime";
import type { ProviderSimulator } from "../test/simulator";
import sinkModule = require("./sink-node");

export interface SteadyResult {
  contender: Contender;
  lifetimeS: number;
  durationS: number;
  /** Seconds before expiry at which the contender refreshes (ours: margin capped at half). */
  refreshBeforeS: number;
  messages: number;
  arrived: number;
  requests: number;
  distinctTokens: number;
  failed: number;
  p99: number;
  maxMs: number;
}

export interface SteadyOptions {
  lifetimeS: number;
  durationS: number;
  /** One message to every node per tick. */
  tickMs: number;
}

export async function steady(rt: BenchRuntime, sim: ProviderSimulator, account: Accounts, contender: Contender, options: SteadyOptions): Promise<SteadyResult> {
  const { lifetimeS, durationS, tickMs } = options;
  sim.reset();
  sim.setTokenLifetime("oneaccess", lifetimeS);
  const set = layout({ contender, prefix: `steady-${contender}`, tabs: 5, perTab: 2, simUrl: sim.url, account });
  await rt.deploy(set);
  rt.log.clear();
  const targets = set.lines.map((line) => rt.node(line.first));
  const tokens = new Set<string>();
  const latencies = new Float64Array(Math.ceil((durationS * 1000) / tickMs + 2) * targets.length);
  let arrived = 0;
  let sent = 0;
  sinkModule.hub.arrive = (msg) => {
    const token = tokenOf(contender, msg);
    if (typeof token === "string") tokens.add(token);
    if (arrived < latencies.length) latencies[arrived] = performance.now() - (msg.benchT0 as number);
    arrived += 1;
  };
  const maxTicks = Math.ceil((durationS * 1000) / tickMs);
  const end = performance.now() + durationS * 1000;
  await new Promise<void>((resolve) => {
    let ticks = 0;
    // Bounded twice: by tick count and by the clock.
    const timer = setInterval(() => {
      if (ticks >= maxTicks || performance.now() >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      ticks += 1;
      for (const target of targets) target.receive({ payload: sent++, benchT0: performance.now() });
    }, tickMs);
  });
  const failedType = contender === "oauth2" ? "error oauth2" : "error access-token";
  const deadline = performance.now() + 10_000;
  while (arrived + rt.log.count(failedType) < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  sinkModule.hub.arrive = () => undefined;
  const requests = sim.count("oneaccess.token");
  sim.reset(); // lifetimes back to the defaults
  const seen = latencies.slice(0, Math.min(arrived, latencies.length));
  return {
    contender,
    lifetimeS,
    durationS,
    refreshBeforeS: contender === "get-token" ? Math.min(300, lifetimeS / 2) : 0,
    messages: sent,
    arrived,
    requests,
    distinctTokens: tokens.size,
    failed: rt.log.count(failedType),
    p99: percentile(seen, 99),
    maxMs: percentile(seen, 100),
  };
}
