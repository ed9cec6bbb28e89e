// Row 1 (and the incumbent's throughput row): messages per second through "first node -> sink"
// with a cached token, every contender in the same runtime, rounds interleaved so that the load of
// other processes on this machine falls on all of them alike; the median round is reported.
import { burst, median, pump, type PumpResult } from "./driver";
import { layout, merge, tokenOf, type Accounts, type Contender } from "./flows";
import type { BenchRuntime } from "./runtime";

export interface Variant {
  name: string;
  contender: Contender;
  getToken?: Record<string, unknown>;
}

export interface ThroughputResult {
  variant: Variant;
  rounds: PumpResult[];
  medianPerSecond: number;
}

export interface ThroughputOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  window: number;
}

export async function throughput(rt: BenchRuntime, simUrl: string, account: Accounts, variants: Variant[], options: ThroughputOptions): Promise<ThroughputResult[]> {
  const sets = variants.map((v, i) => layout({ contender: v.contender, prefix: `thr${i}`, tabs: 1, perTab: 1, simUrl, account, getToken: v.getToken }));
  await rt.deploy(merge(...sets));
  const targets = sets.map((s) => [rt.node(s.lines[0].first)]);
  const valid = variants.map((v) => (msg: Record<string, any>) => typeof tokenOf(v.contender, msg) === "string");

  // Prime: the first message fetches the token, so every measured message finds it cached.
  for (let i = 0; i < variants.length; i++) {
    const primed = await burst(targets[i], 1, valid[i], 10_000);
    if (primed.arrived !== 1 || primed.invalid) throw new Error(`${variants[i].name}: the priming message did not come back with a token`);
  }
  const run = (i: number, durationMs: number) =>
    pump({ targets: targets[i], durationMs, maxMessages: 5_000_000, window: options.window, valid: valid[i] });

  for (let i = 0; i < variants.length; i++) await run(i, options.warmupMs); // JIT warm-up, not counted
  const rounds: PumpResult[][] = variants.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    // Rotate the order each round: no contender always runs first (or right after a GC-heavy one).
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      rounds[i].push(await run(i, options.roundMs));
    }
  }
  return variants.map((variant, i) => ({ variant, rounds: rounds[i], medianPerSecond: median(rounds[i].map((x) => x.perSecond)) }));
}
