// Drives messages into running flows without an inject node: receive() on the first node of each
// line, arrivals counted by the bench sink. Every loop here is bounded in count and in time.
import type { NodeMessage } from "../src/nodes/node-red";
import type { RuntimeNode } from "./runtime";
import sinkModule from "./sink-node";

const { hub } = sinkModule;

export interface PumpOptions {
  targets: RuntimeNode[];
  /** Stop injecting after this long (the measured window). */
  durationMs: number;
  /** ... or after this many messages, whichever comes first. */
  maxMessages: number;
  /** Messages in flight at most: keeps the runtime busy without queueing without bound. */
  window: number;
  /** True when a message that reached the sink carries what the contender must set. */
  valid: (msg: NodeMessage) => boolean;
  /** Give up waiting for stragglers after this long. */
  drainMs?: number;
}

export interface PumpResult {
  sent: number;
  /** Arrivals inside the measured window. */
  arrived: number;
  elapsedMs: number;
  perSecond: number;
  invalid: number;
  /** Messages that never reached a sink (dropped or failed). */
  lost: number;
}

/**
 * A closed loop: `window` messages in flight; each time half of them have arrived the driver tops
 * the window up again, in a tight synchronous batch spread round-robin over the targets.
 */
export async function pump(options: PumpOptions): Promise<PumpResult> {
  const { targets, window, maxMessages, valid } = options;
  let sent = 0;
  let arrived = 0;
  let invalid = 0;
  let open = true;
  const refill = () => {
    while (open && sent - arrived < window && sent < maxMessages) {
      targets[sent % targets.length].receive({ payload: sent });
      sent += 1;
    }
  };
  let wake: (() => void) | undefined;
  hub.arrive = (msg) => {
    arrived += 1;
    if (!valid(msg)) invalid += 1;
    if (open && sent - arrived <= window / 2) refill();
    if (arrived === sent) wake?.();
  };
  const start = performance.now();
  refill();
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(stop, options.durationMs);
    // Ends early when maxMessages were all sent and arrived.
    const check = setInterval(() => sent >= maxMessages && arrived >= sent && stop(), 5);
  });
  open = false;
  const elapsedMs = performance.now() - start;
  const inWindow = arrived;
  await drain(
    () => arrived >= sent,
    options.drainMs ?? 10_000,
    (resolve) => (wake = resolve),
  );
  hub.arrive = () => undefined;
  return {
    sent,
    arrived: inWindow,
    elapsedMs,
    perSecond: (inWindow / elapsedMs) * 1000,
    invalid,
    lost: sent - arrived,
  };
}

export interface BurstResult {
  latenciesMs: Float64Array;
  arrived: number;
  invalid: number;
  /** ms from the first message sent until the last arrival (or until the wait gave up). */
  totalMs: number;
}

/** N messages sent at once (one synchronous loop), round-robin over the targets. */
export async function burst(
  targets: RuntimeNode[],
  n: number,
  valid: (msg: NodeMessage) => boolean,
  timeoutMs: number,
  settled?: () => number,
): Promise<BurstResult> {
  const latencies = new Float64Array(n);
  let arrived = 0;
  let invalid = 0;
  let last = 0;
  let wake: (() => void) | undefined;
  hub.arrive = (msg) => {
    const now = performance.now();
    const i = msg.payload as number;
    if (typeof i === "number" && i >= 0 && i < n) latencies[arrived] = now - (msg.benchT0 as number);
    arrived += 1;
    last = now;
    if (!valid(msg)) invalid += 1;
    if (arrived + (settled?.() ?? 0) >= n) wake?.();
  };
  const start = performance.now();
  for (let i = 0; i < n; i++) targets[i % targets.length].receive({ payload: i, benchT0: performance.now() });
  // `settled` counts messages that will never arrive (e.g. the incumbent's logged failures).
  await drain(
    () => arrived + (settled?.() ?? 0) >= n,
    timeoutMs,
    (resolve) => (wake = resolve),
  );
  hub.arrive = () => undefined;
  return {
    latenciesMs: latencies.slice(0, arrived),
    arrived,
    invalid,
    totalMs: (arrived ? last : performance.now()) - start,
  };
}

/** Wait until done() or the time limit; polls too, as failures arrive through the log, not the sink. */
async function drain(done: () => boolean, limitMs: number, onWake: (resolve: () => void) => void): Promise<void> {
  if (done()) return;
  await new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    };
    const timer = setTimeout(finish, limitMs);
    const poll = setInterval(() => done() && finish(), 20);
    onWake(finish);
  });
}

export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
