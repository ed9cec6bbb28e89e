// Row 1 (and the incumbent's throughput row): messages per second through "first node -> sink"
// with a cached token, every contender in the same runtime. Other engineers' test suites share
// this 2-core machine and swing its speed by 2-3x within seconds, so each 2 s round of a contender
// is made of short slices that alternate with the other contenders' slices: a burst of outside
// load then falls on all of them alike. Reported: the median round, and ratios as the median of
// per-round ratios (each compares slices run side by side).
import { burst, median, pump } from "./driver";
import { layout, merge, tokenOf, type Accounts, type Contender } from "./flows";
import type { NodeMessage } from "../src/nodes/node-red";
import type { BenchRuntime, RuntimeNode } from "./runtime";

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
  const contenders = variants.map((v, i) => ({
    name: v.name,
    targets: [rt.node(sets[i].lines[0].first)],
    valid: (msg: Record<string, any>) => typeof tokenOf(v.contender, msg) === "string",
    settleMs: v.settleMs,
  }));
  const rounds = await interleave(contenders, options);
  return variants.map((variant, i) => ({
    variant,
    rounds: rounds[i],
    medianPerSecond: median(rounds[i].map((x) => x.perSecond)),
  }));
}

/** One line to measure: where messages go in, what a good arrival looks like, idle time after a slice. */
export interface Measured {
  name: string;
  targets: RuntimeNode[];
  valid: (msg: NodeMessage) => boolean;
  settleMs?: number;
}

/**
 * Primes each line with one message (its first fetches the token), warms each up, then runs the
 * rounds: each round gives every line the same time in short slices that alternate between them.
 */
export async function interleave(lines: Measured[], options: ThroughputOptions): Promise<Round[][]> {
  for (const line of lines) {
    const primed = await burst(line.targets, 1, line.valid, 10_000);
    if (primed.arrived !== 1 || primed.invalid)
      throw new Error(`${line.name}: the priming message did not come back as expected`);
  }
  const slice = async (line: Measured, durationMs: number) => {
    const result = await pump({
      targets: line.targets,
      durationMs,
      maxMessages: 5_000_000,
      window: options.window,
      valid: line.valid,
    });
    if (line.settleMs) await new Promise((resolve) => setTimeout(resolve, line.settleMs));
    return result;
  };
  for (const line of lines) await slice(line, options.warmupMs); // JIT warm-up, not counted
  const slices = Math.max(1, Math.round(options.roundMs / options.sliceMs));
  const rounds: Round[][] = lines.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    const sum = lines.map(() => ({ arrived: 0, elapsedMs: 0, lost: 0, invalid: 0 }));
    for (let s = 0; s < slices; s++) {
      // Rotate who goes first, so no line always follows the same one.
      for (let k = 0; k < lines.length; k++) {
        const i = (k + s + r) % lines.length;
        const x = await slice(lines[i], options.roundMs / slices);
        sum[i].arrived += x.arrived;
        sum[i].elapsedMs += x.elapsedMs;
        sum[i].lost += x.lost;
        sum[i].invalid += x.invalid;
      }
    }
    sum.forEach((x, i) => rounds[i].push({ ...x, perSecond: (x.arrived / x.elapsedMs) * 1000 }));
  }
  return rounds;
}
