// Turns the measurements into bench/RESULTS.md: one table, then how each row was measured and what
// went wrong where something did. Every number printed comes from the Results passed in.
import * as os from "node:os";
import type { ApiCallsResult } from "./api-calls";
import type { ColdResult } from "./cold";
import { coldLines, coldMethod } from "./cold-report";
import type { Installed, WireRequest } from "./incumbent";
import type { MemoryResult } from "./memory";
import { pagesLines } from "./pages-report";
import type { PagesResult } from "./pages";
import type { Profile } from "./profile";
import type { RateOptions, RateRow } from "./rate-limit";
import { rateMethod, rateRows } from "./rate-report";
import type { SharedResult } from "./shared";
import type { StampedeRow } from "./stampede";
import type { SteadyResult } from "./steady";
import { pairedRatio, type ThroughputResult } from "./throughput";

export interface Results {
  runtimeVersion: string;
  incumbent: Installed;
  wire?: WireRequest;
  throughput: ThroughputResult[];
  /** Rounds per contender and their length, as run. */
  rounds: { count: number; ms: number };
  profile: Profile;
  stampedes: StampedeRow[];
  steadies: SteadyResult[];
  memory: MemoryResult;
  apiCalls: ApiCallsResult;
  /** Row 10: every page of a list, api request against a loop of core nodes. */
  pages: PagesResult;
  /** Rows 8 and 9: the first message after a deploy. */
  cold: ColdResult;
  /** Rows 4 and 4b: four Node-RED processes on one Redis, then on a Cluster. */
  shared: SharedResult[];
  /** Rows 11 and 11b: a vendor rate limit shared by two processes (with the options they ran with). */
  rate: RateRow[];
  rateOptions?: RateOptions;
  elapsedS: number;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n: number) => (!Number.isFinite(n) ? "n/a" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");

function stampedeCell(row: StampedeRow | undefined): string {
  if (!row) return "not run";
  let cell = `${int(row.requests)} req; p50 ${ms(row.p50)} ms, p99 ${ms(row.p99)} ms`;
  const lost = row.n - row.arrived;
  if (row.failed) cell += `; **${int(row.failed)} of ${int(row.n)} msgs failed**`;
  if (row.timedOut) cell += `; **${int(lost - row.failed)} msgs not back within ${row.limitMs / 1000} s**`;
  if (row.withoutToken) cell += `; ${int(row.withoutToken)} without token`;
  return cell;
}

const TOPOLOGY = { redis: "one Redis server", cluster: "a three-master Redis Cluster" } as const;

/** Rows 4 and 4b: the shared cache across processes, in the main table. */
function sharedRows(shared: SharedResult[]): string[] {
  return shared.flatMap(({ topology, stampede: s, steady }, i) => {
    const row = `4${i ? "b" : ""}. Shared cache, ${s.processes} Node-RED processes on ${TOPOLOGY[topology]}`;
    let cold = `${int(s.requests)} req in all, ${int(s.distinctTokens)} token; p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms; vendor round trip ${ms(s.vendorRttMs)} ms: p99 − round trip = **${ms(s.p99 - s.vendorRttMs)} ms**`;
    if (s.failed) cold += `; **${int(s.failed)} msgs failed**`;
    if (s.arrived + s.failed < s.sent) cold += `; **${int(s.sent - s.arrived - s.failed)} msgs lost**`;
    if (s.unshared) {
      const u = s.unshared;
      cold += `; baseline, an account per process (nothing shared): ${int(u.requests)} req, p99 ${ms(u.p99)} ms; sharing adds **${ms(s.p99 - u.p99)} ms** at p99`;
    }
    return [
      `| ${row}: cold stampede, ${int(s.n)} messages on each at once: vendor requests; latency to msg.token | ${cold} | | | 1 request; p99 ≤ round trip + 20 ms |`,
      `| ${row}: steady traffic, token lifetime ${steady.lifetimeS} s, margin ${steady.marginS} s, ${int(steady.messages / steady.durationS)} msg/s in all: vendor requests across all four | ${steadyCell(steady)}; ${int(steady.distinctTokens)} tokens | | | 1 per lifetime |`,
    ];
  });
}

function steadyCell(s: SteadyResult | undefined): string {
  if (!s) return "not run";
  const lifetimes = s.steadyS / s.lifetimeS;
  let cell = `${int(s.requests)} req in ${s.durationS} s; after the first lifetime ${int(s.steadyRequests)} req in ${s.steadyS.toFixed(1)} s = **${lifetimes > 0 ? (s.steadyRequests / lifetimes).toFixed(2) : "n/a"} per lifetime**`;
  if (s.refreshBeforeS > 0 && lifetimes > 0) {
    const cycles = s.steadyS / (s.lifetimeS - s.refreshBeforeS);
    cell += ` (${(s.steadyRequests / cycles).toFixed(2)} per ${s.lifetimeS - s.refreshBeforeS} s refresh cycle)`;
  }
  cell += `; max wait ${ms(s.maxMs)} ms`;
  if (s.failed) cell += `; **${int(s.failed)} msgs failed**`;
  if (s.arrived + s.failed < s.messages) cell += `; **${int(s.messages - s.arrived - s.failed)} msgs lost**`;
  return cell;
}

export function render(r: Results): string {
  const thr = (name: string) => r.throughput.find((t) => t.variant.name === name);
  const rate = (name: string) => thr(name)?.medianPerSecond ?? NaN;
  const paired = (a: string, b: string) => {
    const x = thr(a);
    const y = thr(b);
    return x && y ? pairedRatio(x, y).toFixed(2) : "n/a";
  };
  const hasInc = !!thr("oauth2");
  const incName = r.incumbent.version ? `node-red-contrib-oauth2 ${r.incumbent.version}` : "node-red-contrib-oauth2";
  const stamp = (c: string, n: number) => r.stampedes.find((s) => s.contender === c && s.n === n);
  const oursSteadies = r.steadies.filter((s) => s.contender === "get-token");
  const oursSteady = oursSteadies[0];
  const incSteady = r.steadies.find((s) => s.contender === "oauth2");
  const cpus = os.cpus();
  const m = r.memory;

  const lines: string[] = [];
  lines.push("# Benchmark results", "");
  lines.push(
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench\` in ${Math.round(r.elapsedS)} s (incumbent install ${(r.incumbent.installMs / 1000).toFixed(1)} s).`,
  );
  lines.push(
    `Node.js ${process.version}, Node-RED ${r.runtimeVersion}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), ${os.platform()} ${os.arch()}; load average at the end ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}.`,
    "",
  );
  lines.push(`| Measure | get token (ours) | change node (baseline) | ${incName} | Goal |`);
  lines.push("| --- | --- | --- | --- | --- |");
  lines.push(
    `| 1. Throughput, cached token, msg/s (median of ${r.rounds.count} × ${r.rounds.ms / 1000} s); change node sets msg.token | ${int(rate("get-token"))} (headers on, the default) | ${int(rate("change"))} | ${hasInc ? int(rate("oauth2")) : "not run"} | |`,
  );
  lines.push(
    `| 1. Ratio to that change node (median of per-round ratios) | **${paired("get-token", "change")}** | 1 | ${hasInc ? paired("oauth2", "change") : "not run"} | ≥ 0.9 |`,
  );
  lines.push(
    `| 1b. Get token with headers off (sets msg.token only, like the change node): msg/s; ratio | ${int(rate("get-token-no-headers"))}; **${paired("get-token-no-headers", "change")}** × change | | | ≥ 0.9 |`,
  );
  lines.push(
    `| 1c. Change node doing the same work as our default (msg.token and msg.headers.Authorization): msg/s; ratio | ours ÷ it: **${paired("get-token", "change-header")}** | ${int(rate("change-header"))}; ${paired("change-header", "change")} × change | | |`,
  );
  for (const n of [1, 100, 1_000, 10_000]) {
    lines.push(
      `| 2. Stampede, cold cache, N = ${int(n)} over 10 nodes on 5 tabs: vendor requests; latency to msg.token | ${stampedeCell(stamp("get-token", n))} | | ${r.incumbent.dir ? stampedeCell(stamp("oauth2", n)) : "not run"} | 1 request |`,
    );
  }
  oursSteadies.forEach((s, i) => {
    const margin =
      s.refreshBeforeS < (s.marginS ?? 0)
        ? `margin ${s.marginS} s (capped at half the lifetime: ${s.refreshBeforeS} s)`
        : `margin ${s.marginS} s`;
    const incumbentCell = i === 0 ? steadyCell(incSteady) : "";
    lines.push(
      `| 3${i ? "b" : ""}. Steady traffic, token lifetime ${s.lifetimeS} s, 10 nodes, 500 msg/s, ours with ${margin}: vendor requests | ${steadyCell(s)} | | ${incumbentCell} | 1 per lifetime |`,
    );
  });
  lines.push(...sharedRows(r.shared));
  lines.push(...rateRows(r.rate, r.rateOptions));
  lines.push(
    `| 5. Heap used (after full GC) before → after ${int(m.messages)} cached messages | ${mb(m.beforeBytes)} → ${mb(m.afterBytes)} (${m.afterBytes >= m.beforeBytes ? "+" : ""}${mb(m.afterBytes - m.beforeBytes)}); peak ${mb(m.peakBytes)}; ${int((m.messages / m.run.elapsedMs) * 1000)} msg/s | | | flat |`,
  );
  lines.push("");
  lines.push("Throughput per round (msg/s):", "");
  for (const t of r.throughput)
    lines.push(
      `- ${t.variant.name}: ${t.rounds.map((x) => int(x.perSecond)).join(", ")}; ÷ change: ${t.rounds.map((x, i) => ratio(x.perSecond, r.throughput[0].rounds[i].perSecond)).join(", ")}${t.rounds.some((x) => x.lost || x.invalid) ? ` (lost ${t.rounds.reduce((a, x) => a + x.lost, 0)}, without token ${t.rounds.reduce((a, x) => a + x.invalid, 0)})` : ""}`,
    );
  lines.push("");
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  lines.push(`## Where the get token node's time goes`, "");
  lines.push(
    `A CPU profile (V8's sampling profiler, in-process) of 2 s of the same cached-token traffic through one get token node with the default settings. ${pct(r.profile.packageSelf)} of the samples were in this package's own code; the rest is Node-RED delivering the message (receive, hooks, metrics, send, done), the bench driver and sink, and the garbage collector.`,
    "",
  );
  lines.push("This package's functions, by time including what they call:", "");
  for (const h of r.profile.ours) lines.push(`- ${pct(h.share)} \`${h.name}\` (${h.where})`);
  lines.push("", "Where the CPU was (self time, event loop and bench frames left out):", "");
  for (const h of r.profile.topSelf) lines.push(`- ${pct(h.share)} \`${h.name}\` (${h.where})`);
  lines.push("");
  lines.push(...apiCallLines(r), "");
  lines.push(...pagesLines(r.pages), "");
  lines.push(...coldLines(r.cold), "");
  lines.push("## How it is measured", "");
  lines.push(
    "- One embedded Node-RED runtime (no editor; its log goes only to a bench handler that counts errors; credentials encrypted with `credentialSecret`) and the vendor simulator (`test/simulator`), both in this process on 127.0.0.1; every contender talks to the simulator's OneAccess token endpoint with the same demo client.",
  );
  lines.push(
    `- Messages are driven without an inject node: the bench calls \`receive(msg)\` on the first node of a line, as an upstream wire would, and a bench-only \`bench-sink\` node counts what arrives. Throughput is a closed loop with 1,000 messages in flight, topped up whenever half have arrived; messages per second = arrivals / measured time. Each of the ${r.rounds.count} rounds gives every contender ${r.rounds.ms / 1000} s, cut into 250 ms slices that alternate between the contenders in rotating order (after a 0.5 s warm-up each; the incumbent's slices are followed by 300 ms of idle time so that its deferred status timers do not land in another contender's slice): other load on this shared machine then falls on all of them alike. Reported: the median round per contender, and the median of the per-round ratios to the change node. Each token node was primed with one message, so every measured message is a cache hit.`,
  );
  lines.push(
    "- Baseline: a core change node setting `msg.token` to a constant string. Ours: the get token node with the palette defaults (flow scope, headers on: it also sets `msg.headers.Authorization`); row 1b turns the headers off, row 1c gives the change node a second rule that sets `msg.headers.Authorization`, so both do the same work.",
  );
  lines.push(
    "- Stampede: a fresh deploy per N (new node ids, so no cache anywhere) and a reset simulator; N messages sent in one synchronous loop, round-robin over the 10 nodes; latency is from each message's `receive()` to its arrival at the sink with the token; requests are counted by the simulator.",
  );
  const cycles = oursSteadies
    .map(
      (s) =>
        `margin ${s.marginS} s: one request every ${s.lifetimeS - s.refreshBeforeS} s, ${(s.lifetimeS / (s.lifetimeS - s.refreshBeforeS)).toFixed(2)} per lifetime`,
    )
    .join("; ");
  lines.push(
    `- Steady traffic: the simulator issues ${oursSteady?.lifetimeS ?? 4} s tokens; every 20 ms each of the 10 nodes gets one message. Per lifetime counts the requests after the first lifetime (the cold start is row 2's) over the lifetimes that followed. Ours refreshes once per token, the margin before it expires, for all 10 nodes together; by design that is (${cycles}). Any margin above zero makes that a little over one request per lifetime: the token is replaced before the vendor stops accepting it, so no message ever waits for one. Row 3 scales the margin with the lifetime (0.2 s of 4 s is about what the default 300 s is of OrionStar's and EnOS's 7200 s tokens); row 3b keeps the palette default of 300 s, which the node caps at half the lifetime (with OneAccess's real 1800 s lifetime that default is 1.2 per lifetime). The incumbent refreshes only once its token has expired and has no shared cache: each node fetches its own.`,
  );
  if (r.shared.length) {
    const s = r.shared[0];
    lines.push(
      `- Shared cache (rows 4, 4b): ${s.stampede.processes} separate Node-RED processes (\`node-red\` with a settings.js whose \`accessTokenSharedCache\` names one redis-server, then a three-master Cluster made by \`redis-cli --cluster create\` given as its three root nodes), all with the same OneAccess credentials, talking to the simulator in the bench process, whose token endpoint answers after ${s.stampede.vendorDelayMs} ms (a WAN round trip; the round trip reported is one token request from the bench process with that delay, median of three). In each process \`GET /run\` reaches a bench driver node that sends the messages to a get token node (scope none: its token source and Redis are the only caches) and times each from its send to its return with \`msg.token\` (performance.now() in that process). Cold stampede: a first run warms every process up and is not counted; then Redis is flushed and the flow redeployed (new token sources), and ${int(s.stampede.n)} messages go out at once in each process together; requests are counted by the simulator. Steady: flushed and redeployed again, the simulator issues ${s.steady.lifetimeS} s tokens and every process sends ${int(s.steady.messages / s.steady.durationS / s.stampede.processes / 50)} messages every 20 ms for ${s.steady.durationS} s; per lifetime counts the requests after the first lifetime across all processes. The latencies include four Node-RED processes and Redis sharing this machine's CPUs with the simulator (see the load average above): the baseline in the same row is the same cold stampede in the same processes with an account of their own each (one request per process, nothing to wait for), so the difference is what sharing costs.`,
    );
  }
  lines.push(...rateMethod(r.rateOptions));
  lines.push(coldMethod(r.cold));
  lines.push(
    "- Memory: `process.memoryUsage().heapUsed` after three forced full GCs (`--expose-gc`) before and after the messages; peak is sampled every 100 ms during the run.",
  );
  lines.push("");
  lines.push("## The incumbent", "");
  if (r.incumbent.problem) lines.push(`- ${r.incumbent.problem}`);
  if (r.incumbent.dir) {
    lines.push(
      `- Installed with \`npm install --prefix bench/scratch ${"node-red-contrib-oauth2"}@6\` (${r.incumbent.version}), configured as its editor saves "Client Credentials": grant type \`client_credentials\`, access token URL \`{simulator}/api/v2/tenant/token\`, client id and secret in the node's (plain-text) properties, "credentials in body" off (its default), errors not sent to Catch (its default).`,
    );
    if (r.wire)
      lines.push(
        `- What it sends (recorded by a capture server): \`${r.wire.method}\`, \`Content-Type: ${r.wire.contentType}\`, body \`${r.wire.body}\`, \`Authorization: ${r.wire.authorization}\`. The simulator accepts that (RFC 6749 HTTP Basic client authentication).`,
      );
    lines.push(
      "- It puts the token in `msg.oauth2Response.access_token` (not `msg.token`) and replaces `msg.headers` with the token response's HTTP headers; the bench reads the token from there. Its failures go neither to its output nor to Catch: the bench counts them in the runtime log.",
    );
    const failed = r.stampedes.filter((s) => s.contender === "oauth2" && (s.failed || s.timedOut));
    for (const s of failed)
      lines.push(
        `- Stampede N = ${int(s.n)}: ${int(s.failed)} messages failed, ${int(s.n - s.arrived - s.failed)} not back within ${s.limitMs / 1000} s (requests counted when the wait ended)${s.note ? `; first logged error: \`${s.note}\`` : ""}.`,
      );
  }
  lines.push("");
  return lines.join("\n");
}

/** Rows 6 and 7: the api request node against the core http request node, and its own cost per call. */
function apiCallLines(r: Results): string[] {
  const a = r.apiCalls;
  const row = (c: string) => a.rows.find((x) => x.contender === c);
  const rate = (c: string) => {
    const x = row(c);
    if (!x) return "not run";
    const trouble = x.lost || x.invalid ? ` (**${int(x.lost)} lost, ${int(x.invalid)} not 200**)` : "";
    return `${int(x.medianPerSecond)}${trouble}`;
  };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return [
    "## API calls: api request against the core http request node",
    "",
    "| Measure | api request (ours) | get token + core http request | core http request, fixed Authorization header | Goal |",
    "| --- | --- | --- | --- | --- |",
    `| 6. Calls per second, OneAccess \`GET /api/v2/tenant/users\` on the simulator (median of ${r.rounds.count} × ${r.rounds.ms / 1000} s, ${a.window} calls in flight) | ${rate("api-request")} | ${rate("token-http")} | ${rate("http-fixed")} | |`,
    `| 6. api request ÷ each (median of per-round ratios) | 1 | **${a.ratios["token-http"].toFixed(2)}** | **${a.ratios["http-fixed"].toFixed(2)}** | ≥ 1.5 × the http request node |`,
    `| 7. api request's own CPU per call (this package's code, sampled), and its share of a call's time (${a.window} in flight ÷ calls per second) | ${a.cost.ourUsPerCall.toFixed(1)} µs of ${ms(a.cost.callMs)} ms: **${pct(a.cost.share)}** | | | < 2% |`,
    "",
    `The api request node calls through undici with keep-alive connections from the credentials node's pool; the core http request node (its \`persist\` option on, as fair as it gets) goes through its own HTTP client. Row 7 profiles ${int(a.cost.calls)} calls of api request traffic: ${pct(a.cost.profile.packageSelf)} of the CPU samples were in this package's code (token lookup, URL and headers, answer parsing and message shaping); the rest is undici, Node-RED and the simulator serving the calls in the same process.`,
  ];
}
