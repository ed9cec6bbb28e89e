// Row 5: heap used before and after 1,000,000 cached messages through one get token node, each
// measured after a full GC (the bench re-runs itself with --expose-gc), so the difference is what
// the messages left behind, not garbage that was simply not yet collected.
import { burst, pump, type PumpResult } from "./driver";
import { layout, type Accounts } from "./flows";
import type { BenchRuntime } from "./runtime";

export interface MemoryResult {
  messages: number;
  beforeBytes: number;
  afterBytes: number;
  /** Highest heapUsed sampled while the messages ran (garbage included). */
  peakBytes: number;
  run: PumpResult;
  gcForced: boolean;
}

/** heapUsed after full GCs (the bench runs with --expose-gc): what is held, not garbage not yet collected. */
export async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

export async function memory(
  rt: BenchRuntime,
  simUrl: string,
  account: Accounts,
  messages: number,
  window: number,
  limitMs: number,
): Promise<MemoryResult> {
  const set = layout({ contender: "get-token", prefix: "mem", tabs: 1, perTab: 1, simUrl, account });
  await rt.deploy(set);
  const target = rt.node(set.lines[0].first);
  const valid = (msg: Record<string, unknown>) => typeof msg.token === "string";
  await burst([target], 1, valid, 10_000); // fetch the token: every measured message is a cache hit
  const beforeBytes = await settledHeap();
  let peakBytes = beforeBytes;
  const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, process.memoryUsage().heapUsed)), 100);
  const run = await pump({ targets: [target], durationMs: limitMs, maxMessages: messages, window, valid });
  clearInterval(sampler);
  const afterBytes = await settledHeap();
  return {
    messages: run.sent,
    beforeBytes,
    afterBytes,
    peakBytes,
    run,
    gcForced: typeof (globalThis as { gc?: unknown }).gc === "function",
  };
}
