// The bounds of one expression evaluation: a time budget, a nesting depth and a result size, so an
// expression that never ends (or recurses without end) is stopped instead of freezing or killing the
// runtime. The guard is driven by the language's evaluation hooks (src/nodes/jsonata.ts): it is told
// of every step entered and left, and it hands the event loop back now and then, so the admin API
// and other flows keep answering while a runaway expression runs out its budget.

export interface ExpressionLimits {
  /** Time budget of one evaluation, in ms of its own running time (see SharedClock). */
  readonly timeoutMs: number;
  /** Nested evaluation steps at most (a recursion that is not a tail call nests a few per call). */
  readonly maxDepth: number;
  /** The largest result, as JSON, in bytes. */
  readonly maxResultBytes: number;
}

/** The settings.js option that sets timeoutMs (read by the Node-RED side, named in the error). */
export const EXPRESSION_TIMEOUT_SETTING = "accessTokenExpressionTimeoutMs";

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 1000,
  maxDepth: 500,
  maxResultBytes: 1024 * 1024,
};

/** Which bound an evaluation went past. */
export type ExpressionLimit = "timeout" | "depth" | "size";

/** An evaluation stopped at one of its bounds; `value` is that bound (ms, steps, bytes). */
export class ExpressionLimitError extends Error {
  constructor(
    readonly limit: ExpressionLimit,
    readonly value: number,
  ) {
    super(`expression stopped at its ${limit} limit (${value})`);
    this.name = "ExpressionLimitError";
  }
}

/** How often a running evaluation lets I/O and other flows in: a few ms of work at a time. */
const YIELD_EVERY_MS = 10;

/**
 * The time evaluations running at once each get, as processor sharing counts it: the wall clock's
 * time divided among the evaluations running in it. JSONata interleaves concurrent evaluations step
 * by step, so a hundred signed calls at once must not each be charged the hundred's time; one
 * evaluation alone is charged the wall clock, so a runaway one is still stopped on time.
 */
class SharedClock {
  private running = 0;
  private last = performance.now();
  private shared = 0;

  /** The shared time so far, in ms. */
  now(): number {
    const wall = performance.now();
    if (this.running > 0) this.shared += (wall - this.last) / this.running;
    this.last = wall;
    return this.shared;
  }

  start(): number {
    const now = this.now();
    this.running += 1;
    return now;
  }

  stop(): void {
    this.now();
    this.running -= 1;
  }
}

const clock = new SharedClock();

/** The bounds of one evaluation, from its start; finish() when it has ended, whichever way. */
export class EvaluationGuard {
  private readonly startedAt = clock.start();
  private yieldedAt = performance.now();
  private finished = false;
  private depth = 0;
  /** The bound gone past: kept, so an error the language wraps or swallows still stops it. */
  private stopped?: ExpressionLimitError;

  /** `signal`: aborted when the evaluation's owner closes (a deploy), which ends it at its next step. */
  constructor(
    private readonly limits: ExpressionLimits,
    private readonly signal?: AbortSignal,
  ) {}

  get tripped(): ExpressionLimitError | undefined {
    return this.stopped;
  }

  /** A step is entered: throws past a bound; a promise when it is time to let the event loop run. */
  enter(): Promise<void> | undefined {
    if (this.stopped) throw this.stopped;
    this.signal?.throwIfAborted();
    this.depth += 1;
    if (this.depth > this.limits.maxDepth) this.trip("depth", this.limits.maxDepth);
    if (clock.now() - this.startedAt > this.limits.timeoutMs) this.trip("timeout", this.limits.timeoutMs);
    const now = performance.now();
    if (now - this.yieldedAt < YIELD_EVERY_MS) return undefined;
    this.yieldedAt = now;
    // setImmediate, not a microtask: only a macrotask lets sockets and timers be served meanwhile.
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** A step is left. */
  leave(): void {
    this.depth -= 1;
  }

  /** The evaluation has ended: it no longer shares the clock. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    clock.stop();
  }

  /** The error for a result over the size bound, else undefined. */
  oversized(value: unknown): ExpressionLimitError | undefined {
    const max = this.limits.maxResultBytes;
    return jsonLargerThan(value, max) ? new ExpressionLimitError("size", max) : undefined;
  }

  private trip(limit: ExpressionLimit, value: number): never {
    this.stopped = new ExpressionLimitError(limit, value);
    throw this.stopped;
  }
}

/**
 * Whether the value written as JSON would take more than `max` bytes, walked only until it does.
 * Functions count as nothing, as in JSON; every object or array seen counts, so even a cycle ends.
 */
export function jsonLargerThan(value: unknown, max: number): boolean {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") size += Buffer.byteLength(item) + 2;
    else if (typeof item === "number" || typeof item === "boolean" || typeof item === "bigint") {
      size += String(item).length;
    } else if (item === null) size += 4;
    else if (Array.isArray(item)) {
      // Brackets and commas first: a huge array is judged before its items are looked at.
      size += 1 + Math.max(item.length, 1);
      if (size > max) return true;
      for (const member of item) pending.push(member);
    } else if (typeof item === "object") {
      const keys = Object.keys(item);
      size += 1 + Math.max(keys.length, 1);
      for (const key of keys) size += Buffer.byteLength(key) + 3;
      if (size > max) return true;
      for (const key of keys) pending.push((item as Record<string, unknown>)[key]);
    }
    if (size > max) return true;
  }
  return false;
}
