// Rows 8 and 9 in bench/RESULTS.md: the first message after a deploy, its ratios to the floor and to
// the core http request node, and where a cold get token message's time goes against a raw round
// trip (the diagnostics-channel marks of cold-timeline.ts, median per stretch over the rounds).
import type { ColdContender, ColdResult, ColdSummary } from "./cold";
import { PHASES, phasesOf, type Phase } from "./cold-timeline";
import { median } from "./driver";

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "n/a");

const PHASE_LABEL: Record<Phase, [ours: string, raw: string]> = {
  before: ["receive() until undici creates the token request", "a new undici Client until it creates the request"],
  connect: ["the new connection (TCP connect)", "the same"],
  requestOut: ["request written until the simulator's handler starts", "the same"],
  server: ["the simulator's handler (token issued, answer written)", "the same"],
  responseIn: ["answer written until its end reached undici", "the same"],
  after: ["answer read until the message reaches the sink", "answer read and parsed"],
};

export function coldLines(c: ColdResult): string[] {
  const { wall, cpu } = c;
  const perRound = (x: ColdContender) => c.samples[x].map((s) => s.ms.toFixed(2)).join(", ");
  const phase = (x: ColdContender, p: Phase) =>
    median(c.samples[x].map((s) => phasesOf(s.marks, s.ms)[p]).filter((v) => Number.isFinite(v)));
  const rows = PHASES.map((p) => {
    const ours = phase("get-token", p);
    const raw = phase("raw-token", p);
    return `| ${PHASE_LABEL[p][0]} | ${ms(ours)} | ${PHASE_LABEL[p][1]}: ${ms(raw)} | ${ms(ours - raw)} |`;
  });
  const of = (summary: ColdSummary, x: ColdContender) => ms(summary.medians[x]);
  const floorCell = (summary: ColdSummary) =>
    `${ms(summary.floor)} (raw round trip ${of(summary, "raw-token")}, change node ${of(summary, "change")})`;
  const change = wall.medians.change;
  return [
    "## The first message after a deploy",
    "",
    `| Measure (median of ${c.rounds} rounds, one full deploy each) | get token (ours) | floor: raw token round trip on a new connection + core change node's first message | Goal |`,
    "| --- | --- | --- | --- |",
    `| 8. First message after a full deploy: ms from receive() to the sink with msg.token | ${of(wall, "get-token")} | ${floorCell(wall)} | |`,
    `| 8. get token ÷ floor (median of per-round ratios) | **${wall.getTokenToFloor.toFixed(2)}** | 1 | ≤ 1.1 |`,
    `| 8b. The same by CPU time (this process's user + system time during each message, which other processes holding the CPU do not inflate): ms; ratio | ${of(cpu, "get-token")}; **${cpu.getTokenToFloor.toFixed(2)}** | ${floorCell(cpu)} | ≤ 1.1 |`,
    "",
    `| Measure (median of ${c.rounds} rounds, one full deploy each) | api request (ours) | get token + core http request | core http request, fixed Authorization header | Goal |`,
    "| --- | --- | --- | --- | --- |",
    `| 9. First call after a full deploy, OneAccess \`GET /api/v2/tenant/users\`: ms from receive() to the sink with the answer | ${of(wall, "api-request")} | ${of(wall, "token-http")} | ${of(wall, "http-fixed")} | |`,
    `| 9. api request ÷ each (median of per-round ratios) | 1 | **${wall.apiToTokenHttp.toFixed(2)}** | ${wall.apiToHttpFixed.toFixed(2)} | ≤ 1 × get token + http request |`,
    `| 9b. The same by CPU time: ms; api request ÷ each | ${of(cpu, "api-request")} | ${of(cpu, "token-http")}; **${cpu.apiToTokenHttp.toFixed(2)}** | ${of(cpu, "http-fixed")}; ${cpu.apiToHttpFixed.toFixed(2)} | ≤ 1 × get token + http request |`,
    "",
    ...(c.rounds < c.plannedRounds
      ? [`**${c.rounds} of ${c.plannedRounds} rounds**: the phase ran out of its time budget.`, ""]
      : []),
    `Vendor token requests per round: ${c.tokenRequestsPerRound.toFixed(1)} (one for each of the three lines with a credentials node, one for the raw round trip: none was answered from a cache). The core http request node's call is one round trip; api request and get token + http request make two (the token, then the call).`,
    "",
    "### Where a cold get token message's time goes",
    "",
    "Cut at the marks that undici and node:http publish on their diagnostics channels (median of each stretch over the rounds, wall clock; the medians need not add up to the median total).",
    "",
    "| Stretch (ms) | get token | raw round trip | get token − raw |",
    "| --- | --- | --- | --- |",
    ...rows,
    `| a core change node's first message (Node-RED's delivery; get token's is inside its first and last stretch) | | ${ms(change)} | ${ms(-change)} |`,
    `| whole message | ${of(wall, "get-token")} | ${ms(wall.floor)} (floor) | ${ms(wall.medians["get-token"] - wall.floor)} |`,
    "",
    "First message per round (ms):",
    "",
    ...(Object.keys(c.samples) as ColdContender[]).map((x) => `- ${x}: ${perRound(x)}`),
  ];
}

/** The cold rows' bullet under "How it is measured". */
export function coldMethod(c: ColdResult): string {
  return `- First message after a deploy (rows 8, 9): ${c.warmupRounds} rounds not counted (the first deploys compile the code paths), then ${c.rounds} rounds. Each round is one full deploy holding a new line for every contender, each line with its own new credentials node (so no token is cached and no socket pooled; the credentials are the same, so the account key derived with scrypt at deploy time is remembered and the deploy does not pay it again); ${c.settleMs} ms after the deploy (as an inject node's "once after" would) the lines get one message each, one after the other in an order that rotates every round, each after ${c.gapMs} ms of idle time (the previous one's deferred work done), and each is timed from \`receive()\` to its arrival at the sink. The raw round trip in the same round is a new undici \`Client\` (one connection, no pool) posting the same form to the token endpoint and parsing the answer, closed after. Floor = that round trip + the change node's first message in the same round; ratios are medians of per-round ratios. Everything a message does (client, Node-RED, the simulator, the kernel's loopback TCP) runs in this one process with hardly any idle wait, so its CPU time (\`process.cpuUsage()\`, user + system, across the message) is nearly its latency on a quiet machine; under outside load the wall clock grows while the CPU time does not, so rows 8b and 9b check the ratios against that noise. The core http request node has its \`persist\` option on (a keep-alive agent of its own, made on deploy and destroyed on close), so its first call opens a new connection too.`;
}
