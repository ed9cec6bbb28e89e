// Rows 8 and 9: the first message after a deploy (issue #24, "the cold path"). Each round makes one
// full deploy with a new line per contender (new node ids, a new credentials node each: no token
// cached, no pooled socket) and times each line's first message from receive() to the bench sink.
// Get token is compared with its floor: a raw undici round trip to the token endpoint on a new
// connection plus a core change node's first message; api request with the core http request
// node's first call (fixed header) and with get token + http request. The contenders take turns in
// each round, in rotating order, so drift on this shared machine hits them alike.
import { Client } from "undici";
import { fetchToken, isUsersAnswer } from "./api-calls";
import { apiLayout, type ApiContender } from "./api-flows";
import { median } from "./driver";
import { layout, merge, type Accounts, type Line } from "./flows";
import type { BenchRuntime, FlowSet } from "./runtime";
import sinkModule from "./sink-node";
import { Timeline, type Marks } from "./cold-timeline";
import type { NodeMessage } from "../src/nodes/node-red";
import type { ProviderSimulator } from "../test/simulator";

export const COLD_CONTENDERS = ["raw-token", "change", "get-token", "http-fixed", "token-http", "api-request"] as const;
export type ColdContender = (typeof COLD_CONTENDERS)[number];

export interface ColdSample {
  /** receive() to the sink (raw-token: new client to the parsed answer), ms. */
  ms: number;
  /**
   * CPU time this process spent meanwhile (user + system, ms): the client, Node-RED, the simulator
   * and the kernel's loopback TCP all run in it, so this is the message's work without the time
   * other processes on this shared machine held the CPU.
   */
  cpuMs: number;
  /** How long the round's full deploy took. */
  deployMs: number;
  marks: Marks;
}

export interface ColdResult {
  /** Counted rounds run; fewer than planned when the time budget ran out. */
  rounds: number;
  plannedRounds: number;
  warmupRounds: number;
  settleMs: number;
  gapMs: number;
  /** Per contender, one sample per counted round, in round order. */
  samples: Record<ColdContender, ColdSample[]>;
  /** The rows by wall-clock latency, and the same by the CPU time each message took. */
  wall: ColdSummary;
  cpu: ColdSummary;
  /** Vendor token requests counted by the simulator, per counted round. */
  tokenRequestsPerRound: number;
}

/** Medians per contender and the rows' ratios, each a median of per-round ratios. */
export interface ColdSummary {
  medians: Record<ColdContender, number>;
  /** Raw round trip + change node's first message, of the same round (median over rounds). */
  floor: number;
  /** get token ÷ floor. */
  getTokenToFloor: number;
  /** api request ÷ get token + http request, ÷ http request alone. */
  apiToTokenHttp: number;
  apiToHttpFixed: number;
}

export interface ColdOptions {
  rounds: number;
  /** Rounds run first and not counted: the first deploys compile the code paths (JIT). */
  warmupRounds: number;
  /** Idle time between a deploy and its first message (an inject node's "once after" delay). */
  settleMs: number;
  /** Idle time before each message of a round. */
  gapMs: number;
  /** No round starts after this long: the phase's own share of the bench's time. */
  budgetMs: number;
}

const TOKEN_PATH = "/api/v2/tenant/token";
const hasToken = (msg: NodeMessage) => typeof msg.token === "string";
/** The contenders that are flows (raw-token is the bench's own request). */
const DEPLOYED = COLD_CONTENDERS.filter((c): c is Exclude<ColdContender, "raw-token"> => c !== "raw-token");

export async function coldStarts(
  rt: BenchRuntime,
  sim: ProviderSimulator,
  account: Accounts,
  options: ColdOptions,
): Promise<ColdResult> {
  // The fixed header needs a token that outlives the phase: one fetched here, as a user would paste it.
  const fixedToken = await fetchToken(sim.url, account);
  const samples = Object.fromEntries(COLD_CONTENDERS.map((c) => [c, [] as ColdSample[]])) as Record<
    ColdContender,
    ColdSample[]
  >;
  const timeline = new Timeline();
  const total = options.warmupRounds + options.rounds;
  const started = performance.now();
  let tokenRequests = 0;
  let rounds = 0;
  for (let r = 0; r < total && performance.now() - started < options.budgetMs; r++) {
    const counted = r >= options.warmupRounds;
    // One full deploy per round holds a fresh line for every contender (each with its own new
    // credentials node): their first messages then follow one another within a few ms, so a burst
    // of outside load falls on the whole round rather than on one contender.
    const lines = new Map<ColdContender, Line>();
    const sets = DEPLOYED.map((contender) => {
      const set = flowFor(contender, `cold${r}-${contender}`, sim.url, account, fixedToken);
      lines.set(contender, set.lines[0]);
      return set;
    });
    const deployStart = performance.now();
    await rt.deploy(merge(...sets));
    const deployMs = performance.now() - deployStart;
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const before = sim.count("oneaccess.token");
    for (let k = 0; k < COLD_CONTENDERS.length; k++) {
      // Rotate who goes first, so no contender always follows the same one.
      const contender = COLD_CONTENDERS[(k + r) % COLD_CONTENDERS.length];
      const line = lines.get(contender);
      // The same short idle before every message: the previous one's deferred work (status
      // timers, sockets closing) is done, and each starts from the same state.
      await new Promise((resolve) => setTimeout(resolve, options.gapMs));
      const sample = line
        ? await firstMessage(
            rt,
            line,
            contender === "change" || contender === "get-token" ? hasToken : isUsersAnswer,
            timeline,
          )
        : await rawTokenRoundTrip(sim.url, account, timeline);
      if (counted) samples[contender].push({ ...sample, deployMs });
    }
    if (counted) tokenRequests += sim.count("oneaccess.token") - before;
    if (counted) rounds += 1;
  }
  // Leave no cold-phase flow running (its sockets closed) for the next phase.
  await rt.deploy({ flows: [], credentials: {} });

  if (rounds === 0) throw new Error(`first message after a deploy: no round done in ${options.budgetMs / 1000} s`);
  return {
    rounds,
    plannedRounds: options.rounds,
    warmupRounds: options.warmupRounds,
    settleMs: options.settleMs,
    gapMs: options.gapMs,
    samples,
    wall: summarize(samples, (x) => x.ms),
    cpu: summarize(samples, (x) => x.cpuMs),
    tokenRequestsPerRound: tokenRequests / rounds,
  };
}

function summarize(samples: Record<ColdContender, ColdSample[]>, value: (sample: ColdSample) => number): ColdSummary {
  const of = (c: ColdContender, i: number) => value(samples[c][i]);
  const perRound = (f: (i: number) => number) => median(samples["raw-token"].map((_, i) => f(i)));
  const floor = (i: number) => of("raw-token", i) + of("change", i);
  return {
    medians: Object.fromEntries(COLD_CONTENDERS.map((c) => [c, median(samples[c].map(value))])) as Record<
      ColdContender,
      number
    >,
    floor: perRound(floor),
    getTokenToFloor: perRound((i) => of("get-token", i) / floor(i)),
    apiToTokenHttp: perRound((i) => of("api-request", i) / of("token-http", i)),
    apiToHttpFixed: perRound((i) => of("api-request", i) / of("http-fixed", i)),
  };
}

function flowFor(
  contender: Exclude<ColdContender, "raw-token">,
  prefix: string,
  simUrl: string,
  account: Accounts,
  token: string,
): FlowSet & { lines: Line[] } {
  if (contender === "change" || contender === "get-token")
    return layout({ contender, prefix, tabs: 1, perTab: 1, simUrl, account });
  return apiLayout({ contender: contender satisfies ApiContender, prefix, simUrl, account, token });
}

/**
 * The floor's network part: what any client must do for a token on a new connection. A new undici
 * Client (one connection, no pool), the same form POST, the answer read and parsed; closed after.
 */
async function rawTokenRoundTrip(
  simUrl: string,
  account: Accounts,
  timeline: Timeline,
): Promise<Omit<ColdSample, "deployMs">> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  timeline.start(t0);
  const client = new Client(simUrl);
  try {
    const form = new URLSearchParams({
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: "client_credentials",
    });
    const response = await client.request({
      method: "POST",
      path: TOKEN_PATH,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
    const body = JSON.parse(await response.body.text()) as { access_token?: unknown };
    const ms = performance.now() - t0;
    const cpuMs = cpuSince(cpu0);
    const marks = timeline.stop();
    if (response.statusCode !== 200 || typeof body.access_token !== "string")
      throw new Error(`raw token round trip: HTTP ${response.statusCode}, no access_token`);
    return { ms, cpuMs, marks };
  } finally {
    timeline.stop();
    await client.close();
  }
}

/** One message into a line just deployed, timed from receive() to the sink. */
async function firstMessage(
  rt: BenchRuntime,
  line: Line,
  valid: (msg: NodeMessage) => boolean,
  timeline: Timeline,
): Promise<Omit<ColdSample, "deployMs">> {
  const target = rt.node(line.first);
  const arrival = new Promise<{ at: number; cpuMs: number; msg: NodeMessage }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${line.first}: no message at the sink in 10 s`)), 10_000);
    sinkModule.hub.arrive = (msg) => {
      const at = performance.now();
      const cpuMs = cpuSince(cpu0);
      clearTimeout(timer);
      resolve({ at, cpuMs, msg });
    };
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  timeline.start(t0);
  try {
    target.receive({ payload: 0 });
    const { at, cpuMs, msg } = await arrival;
    const marks = timeline.stop();
    if (!valid(msg)) throw new Error(`${line.first}: the first message arrived without its result`);
    return { ms: at - t0, cpuMs, marks };
  } finally {
    timeline.stop();
    sinkModule.hub.arrive = () => undefined;
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
