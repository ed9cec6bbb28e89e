// Row 10: every page of a list. 10,000 OneAccess users over 100 pages, gathered into one message by
// the api request node (paginate: preset, pageOutput: all), beside the loop of core nodes a user
// builds today for the same walk (get token, then a function that sets msg.url, the core http
// request node, and a function that gathers the page's users and loops back while the total is not
// reached). Each walk is timed from the first node's receive() to the sink, and the heap sampled
// during it above a settled heap (after full GC): its peak is what the walk held at once. Walks of
// the two alternate, so a busy machine slows both alike; ratios are medians of per-round ratios.
import { coreHttpRequest } from "./api-flows";
import { getTokenNode, oneaccessConfig, type Accounts } from "./flows";
import { settledHeap } from "./memory";
import type { BenchRuntime, FlowSet } from "./runtime";
import sinkNode from "./sink-node";
import { median } from "./driver";
import type { ProviderSimulator } from "../test/simulator";

export const PAGE_ITEMS = 10_000;
export const PAGE_SIZE = 100;
const USERS = "/api/v2/tenant/users";

export type PagesContender = "api-request" | "core-loop";

export interface PagesRound {
  ms: number;
  peakBytes: number;
  items: number;
}

export interface PagesResult {
  rounds: Record<PagesContender, PagesRound[]>;
  medianMs: Record<PagesContender, number>;
  medianPeakBytes: Record<PagesContender, number>;
  /** api request ÷ core loop, medians of per-round ratios (below 1: ours takes less). */
  timeRatio: number;
  memoryRatio: number;
  /** Vendor calls per walk of each (pages, plus token requests). */
  callsPerWalk: Record<PagesContender, number>;
}

let y = 0;
const at = () => ({ x: 600, y: (y += 40) });

function pagesFlows(simUrl: string, account: Accounts): FlowSet & { first: Record<PagesContender, string> } {
  const z = "pages-tab";
  const credentials = { "pages-cfg": { clientId: account.clientId, clientSecret: account.clientSecret } };
  const firstUrl = `${USERS}?limit=${PAGE_SIZE}&offset=0`;
  const flows: Array<Record<string, unknown>> = [
    { id: z, type: "tab", label: "pages" },
    oneaccessConfig("pages-cfg", simUrl),
    {
      id: "pages-ours",
      type: "access-token-request",
      z,
      name: "",
      provider: "oneaccess",
      oneaccess: "pages-cfg",
      method: "GET",
      url: firstUrl,
      ret: "obj",
      retry: true,
      errors: "catch",
      paginate: "preset",
      nextPage: "",
      items: "",
      pageOutput: "all",
      maxPages: 1000,
      version: 3,
      wires: [["pages-sink"]],
      ...at(),
    },
    // The core loop: get token (its msg.headers.Authorization), then the walk in core nodes.
    getTokenNode("pages-core", z, "pages-cfg", "pages-start"),
    functionNode(
      "pages-start",
      z,
      `msg.auth = msg.headers; msg.items = []; msg.offset = 0;\nmsg.url = ${JSON.stringify(simUrl + firstUrl)};\nreturn msg;`,
      [["pages-http"]],
    ),
    coreHttpRequest("pages-http", z, "", "pages-gather"),
    functionNode(
      "pages-gather",
      z,
      [
        "const users = msg.payload.users;",
        "for (const user of users) msg.items.push(user);",
        "msg.offset += users.length;",
        "if (users.length > 0 && msg.offset < msg.payload.total) {",
        `  msg.url = ${JSON.stringify(`${simUrl}${USERS}?limit=${PAGE_SIZE}&offset=`)} + msg.offset;`,
        "  msg.headers = msg.auth;",
        "  return [null, msg];",
        "}",
        "msg.payload = msg.items;",
        "delete msg.items; delete msg.auth;",
        "return [msg, null];",
      ].join("\n"),
      [["pages-sink"], ["pages-http"]],
    ),
    { id: "pages-sink", type: "bench-sink", z, wires: [], ...at() },
  ];
  return { flows, credentials, first: { "api-request": "pages-ours", "core-loop": "pages-core" } };
}

function functionNode(id: string, z: string, func: string, wires: string[][]): Record<string, unknown> {
  return {
    id,
    type: "function",
    z,
    name: "",
    func,
    outputs: wires.length,
    timeout: 0,
    noerr: 0,
    initialize: "",
    finalize: "",
    libs: [],
    wires,
    ...at(),
  };
}

/** One walk: one message in, the list out at the sink; its time and the heap's peak above the start. */
async function walk(rt: BenchRuntime, first: string, limitMs: number): Promise<PagesRound> {
  const before = await settledHeap();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  try {
    const started = performance.now();
    const msg = await new Promise<Record<string, any>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${first} walk did not end within ${limitMs} ms`)), limitMs);
      sinkNode.hub.arrive = (out) => {
        clearTimeout(timer);
        resolve(out);
      };
      rt.node(first).receive({});
    });
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { ms, peakBytes: peak - before, items: Array.isArray(msg.payload) ? msg.payload.length : -1 };
  } finally {
    clearInterval(sampler);
    sinkNode.hub.arrive = () => undefined;
  }
}

export async function pages(
  rt: BenchRuntime,
  sim: ProviderSimulator,
  account: Accounts,
  options: { rounds: number; warmup: number; limitMs: number },
): Promise<PagesResult> {
  sim.setListSize("oneaccess", PAGE_ITEMS);
  try {
    const set = pagesFlows(sim.url, account);
    await rt.deploy(set);
    const contenders: PagesContender[] = ["api-request", "core-loop"];
    const rounds: Record<PagesContender, PagesRound[]> = { "api-request": [], "core-loop": [] };
    const calls: Record<PagesContender, number> = { "api-request": 0, "core-loop": 0 };
    for (let round = 0; round < options.warmup + options.rounds; round++) {
      // Alternate which goes first, so neither always meets the other's garbage.
      for (const contender of round % 2 ? [...contenders].reverse() : contenders) {
        const seen = sim.count("oneaccess.users") + sim.count("oneaccess.token");
        const result = await walk(rt, set.first[contender], options.limitMs);
        if (result.items !== PAGE_ITEMS)
          throw new Error(`${contender} gathered ${result.items} of ${PAGE_ITEMS} users`);
        if (round >= options.warmup) rounds[contender].push(result);
        calls[contender] = sim.count("oneaccess.users") + sim.count("oneaccess.token") - seen;
      }
    }
    const perRound = (f: (r: PagesRound) => number) =>
      median(rounds["api-request"].map((r, i) => f(r) / f(rounds["core-loop"][i])));
    return {
      rounds,
      medianMs: {
        "api-request": median(rounds["api-request"].map((r) => r.ms)),
        "core-loop": median(rounds["core-loop"].map((r) => r.ms)),
      },
      medianPeakBytes: {
        "api-request": median(rounds["api-request"].map((r) => r.peakBytes)),
        "core-loop": median(rounds["core-loop"].map((r) => r.peakBytes)),
      },
      timeRatio: perRound((r) => r.ms),
      memoryRatio: perRound((r) => r.peakBytes),
      callsPerWalk: calls,
    };
  } finally {
    sim.clear();
  }
}
