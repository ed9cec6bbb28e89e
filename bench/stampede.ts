// Row 2 (and the incumbent's stampede row): N messages at once on a cold cache, spread over 10
// token nodes on 5 tabs. Our nodes share one credentials node; the incumbent has no shared
// configuration, so each of its nodes carries the same client id and secret. Each N is a fresh
// deploy with new node ids (so nothing is cached) and a reset simulator (so counts start at 0).
import { burst, percentile } from "./driver";
import { layout, tokenOf, type Accounts, type Contender } from "./flows";
import type { BenchRuntime } from "./runtime";
import type { ProviderSimulator } from "../test/simulator";

export interface StampedeRow {
  contender: Contender;
  n: number;
  requests: number;
  arrived: number;
  withoutToken: number;
  /** Messages the runtime logged as failed (the incumbent sends them nowhere). */
  failed: number;
  p50: number;
  p99: number;
  totalMs: number;
  timedOut: boolean;
  /** How long the bench waited for the messages. */
  limitMs: number;
  note?: string;
}

export async function stampede(
  rt: BenchRuntime,
  sim: ProviderSimulator,
  account: Accounts,
  contender: Contender,
  sizes: number[],
  timeoutMs: number,
): Promise<StampedeRow[]> {
  const rows: StampedeRow[] = [];
  for (const n of sizes) {
    sim.reset();
    const set = layout({ contender, prefix: `st-${contender}-${n}`, tabs: 5, perTab: 2, simUrl: sim.url, account });
    await rt.deploy(set);
    rt.log.clear();
    const targets = set.lines.map((line) => rt.node(line.first));
    const failures = () => rt.log.count(`error ${contender === "oauth2" ? "oauth2" : "access-token"}`);
    const result = await burst(targets, n, (msg) => typeof tokenOf(contender, msg) === "string", timeoutMs, failures);
    const failed = failures();
    rows.push({
      contender,
      n,
      requests: sim.count("oneaccess.token"),
      arrived: result.arrived,
      withoutToken: result.invalid,
      failed,
      p50: percentile(result.latenciesMs, 50),
      p99: percentile(result.latenciesMs, 99),
      totalMs: result.totalMs,
      timedOut: result.arrived + failed < n,
      limitMs: timeoutMs,
      note: failed
        ? rt.log.samples
            .find((s) => s.startsWith("error"))
            ?.replace(/\s+/g, " ")
            .slice(0, 160)
        : undefined,
    });
    // Requests still in flight after the wait would be counted against the next size: wait
    // (bounded) until the vendor sees no new ones. Also lets the incumbent's 250 ms status timers run.
    await quiesce(sim, 10_000);
  }
  return rows;
}

/** Resolves once the simulator's token count has not moved for 300 ms, or after limitMs. */
async function quiesce(sim: ProviderSimulator, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = sim.count("oneaccess.token");
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 300) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = sim.count("oneaccess.token");
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}
