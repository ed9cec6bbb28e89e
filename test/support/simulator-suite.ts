// The frame of a suite on a real Node-RED runtime (node-red-node-test-helper) against the simulator:
// both started once, and after each test its flows unloaded, its runtime settings cleared, a sweep
// for leaks, and the simulator's faults and counts reset. The sweep: every line the runtime logged
// during the test (every level, the unload's too) and whatever the test handed to `remember` hold
// none of the simulator's account secrets (in any shape) and none of the tokens it issued (except
// in values remembered with `tokenAllowed`: a get token node's msg.token is one). Also what the
// runtime logged, by level. (Suites without a runtime: simulatorHttp() in simulator-http.ts.)
import { AssertionError } from "node:assert/strict";
import { EventEmitter } from "node:events";
import { ProviderSimulator } from "../simulator";
import { accountSecrets } from "./flows";
import { helper } from "./node-red";
import { shapesOf } from "./secret-shapes";

/** A value the sweep reads: a log entry or what a test remembered, and where it came from. */
export interface Checked {
  /** Named in a failure, e.g. "log line 3 (warn)". */
  readonly where: string;
  readonly value: unknown;
  /** A token the simulator issued may be in it (a get token node's msg.token); a secret still may not. */
  readonly tokenAllowed?: boolean;
}

export interface RememberOptions {
  /** The value may hold a token the simulator issued (never a secret): e.g. a message from get token. */
  tokenAllowed?: boolean;
}

/** The started simulator, from the suite's first `before` on, and what a test hands to the sweep. */
export interface SimulatorSuite {
  readonly sim: ProviderSimulator;
  /** Sweep this value too after the test (a message, an error, an answer), as it is now; returns it. */
  remember<T>(value: T, options?: RememberOptions): T;
  /** What the sweep will read after this test, so far: the runtime's log entries and what was remembered. */
  checked(): readonly Checked[];
}

export interface SimulatorSuiteOptions {
  /** More values the sweep looks for, as they are (pass them through shapesOf for every shape). */
  forbidden?: () => readonly string[];
}

/** Call inside a describe(): registers the hooks, and returns where the simulator will be. */
export function simulatorSuite(options: SimulatorSuiteOptions = {}): SimulatorSuite {
  let started: ProviderSimulator | undefined;
  const recorder = new LogRecorder();
  let remembered: Checked[] = [];
  const sim = (): ProviderSimulator => {
    if (!started) throw new Error("the simulator starts in the suite's before hook");
    return started;
  };
  const checked = (): Checked[] => [
    ...recorder.entries().map((entry, i) => ({
      where: `log line ${i + 1} (${levelName(entry)})`,
      value: recorder.snapshot(entry),
    })),
    ...remembered,
  ];

  before(async () => {
    started = await ProviderSimulator.start();
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await started?.close();
  });
  beforeEach(() => {
    remembered = [];
    // After startServer: the runtime's init drops every log handler added before it.
    recorder.start();
  });
  afterEach(async () => {
    try {
      await helper.unload();
    } finally {
      helper.settings({});
      // The unload's lines are in: a node that logs on close is swept too.
      recorder.stop();
      try {
        if (started) assertNoLeaks(started, checked(), options.forbidden?.() ?? []);
      } finally {
        started?.reset();
      }
    }
  });
  return {
    get sim() {
      return sim();
    },
    remember(value, rememberOptions = {}) {
      // Read now, as it is: a message the test hands on later may be changed by the nodes it reaches.
      const strings = stringsIn(value);
      remembered.push({ where: `remembered value ${remembered.length + 1}`, value: strings, ...rememberOptions });
      return value;
    },
    checked,
  };
}

/** What the sweep looks for: every shape of every account secret, every issued token, and `more` as given. */
function forbiddenValues(sim: ProviderSimulator, more: readonly string[]): Forbidden[] {
  const secrets = accountSecrets(sim).flatMap(({ name, value }) =>
    shapesOf(value).map((shape) => ({
      value: shape,
      what: `the secret ${name}${shape === value ? "" : " (encoded)"}`,
      token: false,
    })),
  );
  const tokens = sim.issuedTokens().map((value) => ({ value, what: "a token the simulator issued", token: true }));
  const given = more.map((value) => ({ value, what: "a value the suite forbids", token: false }));
  return [...secrets, ...tokens, ...given].filter((entry) => entry.value !== "");
}

interface Forbidden {
  value: string;
  /** Named in a failure instead of the value. */
  what: string;
  token: boolean;
}

/**
 * Every leak in these values: which forbidden value (named, not shown) surfaced where, with the
 * string it was found in (the value itself replaced by <LEAK>). Empty when there is none.
 */
export function findLeaks(sim: ProviderSimulator, values: readonly Checked[], more: readonly string[] = []): string[] {
  const forbidden = forbiddenValues(sim, more);
  const leaks: string[] = [];
  for (const { where, value, tokenAllowed } of values) {
    for (const text of stringsIn(value)) {
      for (const { value: secret, what, token } of forbidden) {
        if (token && tokenAllowed) continue;
        if (text.includes(secret)) {
          const shown = text.split(secret).join("<LEAK>");
          leaks.push(`${what} surfaced in ${where}: ${JSON.stringify(shown.slice(0, 500))}`);
        }
      }
    }
  }
  return leaks;
}

/** Fails naming every leak findLeaks finds. */
export function assertNoLeaks(sim: ProviderSimulator, values: readonly Checked[], more: readonly string[] = []): void {
  const leaks = findLeaks(sim, values, more);
  if (leaks.length > 0) {
    throw new AssertionError({ message: `a secret or token leaked:\n${leaks.join("\n")}` });
  }
}

/**
 * Every string in a value, however deep (numbers, booleans and functions hold none): object keys and values, array items, an Error's message,
 * stack, cause and own fields, a Buffer as UTF-8, Map and Set entries. A getter that throws is
 * skipped; each object is read once (cycles end).
 */
export function stringsIn(value: unknown): string[] {
  const strings: string[] = [];
  const seen = new Set<object>();
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      strings.push(item);
      return;
    }
    if (typeof item !== "object" || item === null || seen.has(item)) return;
    seen.add(item);
    if (Buffer.isBuffer(item)) {
      strings.push(item.toString("utf8"));
      return;
    }
    if (ArrayBuffer.isView(item)) {
      strings.push(Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString("utf8"));
      return;
    }
    if (Array.isArray(item)) {
      for (const entry of item) visit(entry);
      return;
    }
    if (item instanceof Map || item instanceof Set) {
      for (const entry of item.entries()) visit(entry);
      return;
    }
    const names = new Set(Object.getOwnPropertyNames(item));
    if (item instanceof Error) for (const name of ["name", "message", "stack", "cause"]) names.add(name);
    for (const name of names) {
      strings.push(name);
      try {
        visit((item as Record<string, unknown>)[name]);
      } catch {
        // a getter that throws: nothing to read
      }
    }
  };
  visit(value);
  return strings;
}

/** Node-RED's numeric log levels. */
const LEVELS = { fatal: 10, error: 20, warn: 30, info: 40, debug: 50, trace: 60, audit: 98, metric: 99 } as const;

function levelName(entry: LogEntry): string {
  return Object.entries(LEVELS).find(([, level]) => level === entry.level)?.[0] ?? String(entry.level);
}

interface LogEntry {
  level: number;
  msg: unknown;
}

interface RuntimeLog {
  addHandler(handler: EventEmitter): void;
  removeHandler(handler: EventEmitter): void;
}

/**
 * Every entry the runtime logs between start and stop, at every level, seen as a log handler of the
 * runtime's log (what a console or file logger gets), plus the test helper's spy of its log.log.
 */
class LogRecorder {
  private readonly handler = new EventEmitter();
  private recorded: LogEntry[] = [];
  /** Each entry's strings, read when it was logged. */
  private strings = new Map<LogEntry, string[]>();
  /** What the helper's spy held at start: an earlier test's lines (a test that loads nothing leaves the last spy). */
  private earlier = new Set<LogEntry>();

  constructor() {
    this.handler.on("log", (entry: LogEntry) => {
      this.recorded.push(entry);
      this.strings.set(entry, stringsIn(entry));
    });
  }

  private get log(): RuntimeLog {
    return helper._RED.log as RuntimeLog;
  }

  start(): void {
    this.recorded = [];
    this.strings = new Map();
    this.earlier = new Set(spiedEntries());
    this.log.removeHandler(this.handler);
    this.log.addHandler(this.handler);
  }

  stop(): void {
    this.log.removeHandler(this.handler);
  }

  /** The entry's strings as they were when it was logged (the spy's entries: as they are now). */
  snapshot(entry: LogEntry): string[] {
    return this.strings.get(entry) ?? stringsIn(entry);
  }

  /** What the handler saw, and what the helper's spy saw that it did not (a runtime restarted meanwhile drops handlers). */
  entries(): LogEntry[] {
    const known = new Set([...this.recorded, ...this.earlier]);
    return [...this.recorded, ...spiedEntries().filter((entry) => !known.has(entry))];
  }
}

/** The entries the test helper's spy on log.log saw since the last load (it restores the spy on unload, keeping them). */
function spiedEntries(): LogEntry[] {
  const spy = helper.log() as { getCalls?: () => Array<{ args: LogEntry[] }> } | undefined;
  return (spy?.getCalls?.() ?? []).map((call) => call.args[0]);
}

/** The messages the runtime logged at this level since the last load. */
export function logged(level: "error" | "warn" | "info"): string[] {
  const spy = helper.log() as { getCalls?: () => Array<{ args: Array<{ level: number; msg: unknown }> }> };
  return (spy.getCalls?.() ?? [])
    .map((call) => call.args[0])
    .filter((entry) => entry.level === LEVELS[level])
    .map((entry) => String(entry.msg));
}
