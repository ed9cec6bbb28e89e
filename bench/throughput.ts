// Row 1 (and the incumbent's throughput row): messages per second through "first node -> sink"
// with a cached token, every contender in the same runtime. Other engineers' test suites share
// this 2-core machine and swing its speed by 2-3x within seconds, so each 2 s round of a contender
// is made of short slices that alternate with the other contenders' slices: a burst of outside
// load then falls on all of them alike. Reported: the median round, and ratios as the median of
// per-round ratios (each compares slices run side by side).
import { burst, median, pump } from "./driver";
import { layout, merge, tokenOf, type Accounts, type Contender } from "./flows";
import type { BenchRuntime } from "./runtime";

export interface Variant {
  name: string;
  contender: Contender;
  getToken?: Record<string, unknown>;
  changeHeader?: boolean;
  /** Idle time after each slice for work the contender deferred (the incumbent's 250 ms status timers). */
  settleMs?: number;
}

export interface Round {
  arrived: number;
  elapsedMs: number;
  perSecond: number;
  lost: number;
  invalid: number;
}

export interface ThroughputResult {
  variant: Variant;
  rounds: Round[];
  medianPerSecond: number;
}

/** Median over rounds of a's rate / b's rate in the same round (slices run side by side). */
export function pairedRatio(a: ThroughputResult, b: ThroughputResult): number {
  return median(a.rounds.map((x, r) => x.perSecond / b.rounds[r].perSecond));
}

export interface ThroughputOptions {
  rounds: number;
  roundMs: number;
  sliceMs: number;
  warmupMs: number;
  window: number;
}

export async function throughput(
  rt: BenchRuntime,
  simUrl: string,
  account: Accounts,
  variants: Variant[],
  options: ThroughputOptions,
): Promise<ThroughputResult[]> {
  const sets = variants.map((v, i) =>
    layout({
      contender: v.contender,
      prefix: `thr${i}`,
      tabs: 1,
      perTab: 1,
      simUrl,
      account,
      getToken: v.getToken,
      changeHeader: v.changeHeader,
    }),
  );
  await rt.deploy(merge(...sets));
  const targets = sets.map((s) => [rt.node(s.lines[0].first)]);
  const valid = variants.map((v) => (msg: Record<string, any>) => typeof tokenOf(v.contender, msg) === "string");

  // Prime: the first message fetches the token, so every measured message finds it cached.
  for (let i = 0; i < variants.length; i++) {
    const primed = await burst(targets[i], 1, valid[i], 10_000);
    if (primed.arrived !== 1 || primed.invalid)
      throw new Error(`${variants[i].name}: the priming message did not come back with a token`);
  }
  const slice = async (i: number, durationMs: number) => {
    const result = await pump({
      targets: targets[i],
      durationMs,
      maxMessages: 5_000_000,
      window: options.window,
      valid: valid[i],
    });
    if (variants[i].settleMs) await new Promise((resolve) => setTimeout(resolve, variants[i].settleMs));
    return result;
  };

  for (let i = 0; i < variants.length; i++) await slice(i, options.warmupMs); // JIT warm-up, not counted
  const slices = Math.max(1, Math.round(options.roundMs / options.sliceMs));
  const rounds: Round[][] = variants.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    const sum = variants.map(() => ({ arrived: 0, elapsedMs: 0, lost: 0, invalid: 0 }));
    for (let s = 0; s < slices; s++) {
      // Rotate who goes first, so no contender always follows the same one.
      for (let k = 0; k < variants.length; k++) {
        const i = (k + s + r) % variants.length;
        const x = await slice(i, options.roundMs / slices);
        sum[i].arrived += x.arrived;
        sum[i].elapsedMs += x.elapsedMs;
        sum[i].lost += x.lost;
        sum[i].invalid += x.invalid;
      }
    }
    sum.forEach((x, i) => rounds[i].push({ ...x, perSecond: (x.arrived / x.elapsedMs) * 1000 }));
  }
  return variants.map((variant, i) => ({
    variant,
    rounds: rounds[i],
    medianPerSecond: median(rounds[i].map((x) => x.perSecond)),
  }));
}
