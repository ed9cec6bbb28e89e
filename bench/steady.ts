// Row 3: a steady hour in fast motion. Token lifetime 4 s (instead of OneAccess's 1800 s), steady
// traffic on 10 token nodes over 5 tabs for a fixed time; count what the vendor sees. Our margin
// is scaled with the lifetime (the node caps it at half the lifetime, so 300 s would mean 2 s).
import { percentile } from "./driver";
import { layout, tokenOf, type Accounts, type Contender } from "./flows";
import type { BenchRuntime } from "./runtime";
import type { ProviderSimulator } from "../test/simulator";
import sinkModule from "./sink-node";

export interface SteadyResult {
  contender: Contender;
  lifetimeS: number;
  durationS: number;
  /** Ours: the configured margin, seconds. */
  marginS?: number;
  /** Seconds before expiry at which the contender refreshes (ours: margin capped at half). */
  refreshBeforeS: number;
  messages: number;
  arrived: number;
  requests: number;
  /** Requests after the first lifetime (the steady state), and how long that lasted. */
  steadyRequests: number;
  steadyS: number;
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
  /** Our get token node's margin in seconds (default 300, the palette default). */
  marginS?: number;
}

export async function steady(
  rt: BenchRuntime,
  sim: ProviderSimulator,
  account: Accounts,
  contender: Contender,
  options: SteadyOptions,
): Promise<SteadyResult> {
  const { lifetimeS, durationS, tickMs } = options;
  const marginS = options.marginS ?? 300;
  sim.reset();
  sim.setTokenLifetime("oneaccess", lifetimeS);
  const set = layout({
    contender,
    prefix: `steady-${contender}-${marginS}`,
    tabs: 5,
    perTab: 2,
    simUrl: sim.url,
    account,
    getToken: { margin: marginS },
  });
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
  const start = performance.now();
  const end = start + durationS * 1000;
  // The steady state starts once the first token's lifetime is over: the cold start is row 2's.
  const steadyFrom = start + lifetimeS * 1000;
  let requestsBeforeSteady: number | undefined;
  let requestsAtEnd = 0;
  let endedAt = end;
  await new Promise<void>((resolve) => {
    let ticks = 0;
    // Bounded twice: by tick count and by the clock.
    const timer = setInterval(() => {
      if (ticks >= maxTicks || performance.now() >= end) {
        clearInterval(timer);
        requestsAtEnd = sim.count("oneaccess.token");
        endedAt = performance.now();
        resolve();
        return;
      }
      ticks += 1;
      if (requestsBeforeSteady === undefined && performance.now() >= steadyFrom)
        requestsBeforeSteady = sim.count("oneaccess.token");
      for (const target of targets) target.receive({ payload: sent++, benchT0: performance.now() });
    }, tickMs);
  });
  const failedType = contender === "oauth2" ? "error oauth2" : "error access-token";
  const deadline = performance.now() + 10_000;
  while (arrived + rt.log.count(failedType) < sent && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  sinkModule.hub.arrive = () => undefined;
  const requests = sim.count("oneaccess.token");
  sim.reset(); // lifetimes back to the defaults
  const seen = latencies.slice(0, Math.min(arrived, latencies.length));
  return {
    contender,
    lifetimeS,
    durationS,
    marginS: contender === "get-token" ? marginS : undefined,
    refreshBeforeS: contender === "get-token" ? Math.min(marginS, lifetimeS / 2) : 0,
    messages: sent,
    arrived,
    requests,
    steadyRequests: requestsAtEnd - (requestsBeforeSteady ?? requestsAtEnd),
    steadyS: Math.max(0, (endedAt - steadyFrom) / 1000),
    distinctTokens: tokens.size,
    failed: rt.log.count(failedType),
    p99: percentile(seen, 99),
    maxMs: percentile(seen, 100),
  };
}
