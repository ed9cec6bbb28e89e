// Row 10 in bench/RESULTS.md: the rate limit shared by two processes against the core http request
// node behind a delay node, and how it was measured.
import type { RateOptions, RateRow } from "./rate-limit";

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");

function cell(row: RateRow | undefined): string {
  if (!row) return "not run";
  let text = `**${int(row.refused)}** answers of 429; throughput **${pct(row.shareOfLimit)}** of the limit; ${int(row.answered)} of ${int(row.calls)} answered 200 in ${row.elapsedS.toFixed(0)} s`;
  if (row.failed) text += `; **${int(row.failed)} failed otherwise**`;
  return text;
}

/** The main table's rows (its columns: measure, ours, baseline, incumbent, goal). */
export function rateRows(rows: RateRow[], options: RateOptions | undefined): string[] {
  if (!options || rows.length === 0) return [];
  const [ours, split, naive] = rows;
  const per = `${int(options.calls)} calls in all on ${options.processes} Node-RED processes, vendor limit ${options.limit} calls/s per account`;
  return [
    `| 11. Rate limit, ${per}: 429s; throughput as a share of the limit | ${cell(ours)} | delay node at ${split?.ratePerProcess ?? "?"} msg/s per process (the limit split by hand) + http request: ${cell(split)} | | 0 answers of 429; ≥ 95% |`,
    `| 11b. The same, each process's delay node at the vendor's ${naive?.ratePerProcess ?? "?"} msg/s | | ${cell(naive)} | | |`,
  ];
}

export function rateMethod(options: RateOptions | undefined): string[] {
  if (!options) return [];
  return [
    `- Rate limit (rows 11, 11b): ${options.processes} separate Node-RED processes on one redis-server, the simulator in the bench process limiting the OAuth2 API to ${options.limit} calls in any 1 s window per account (counted on arrival; above it 429 with Retry-After, a refused call not counted). In each process \`GET /rate?n=N\` reaches a bench driver node that sends N = ${int(options.calls / options.processes)} messages at once to the line under test and counts what comes back by \`msg.statusCode\` (errors sent on or caught); the bench polls it every second. Ours: one api request node on OAuth2 credentials with \`rateLimit\` ${options.limit} per \`ratePeriod\` 1 s, shared through Redis. Core: a delay node in rate-limit mode (queueing, none dropped) → get token (headers on) → http request, the credentials without a rate limit. 429s are the simulator's count of refused calls. Throughput, steady: with t(k) the arrival of the k-th call let through as the simulator saw it and n of them, (n − 2 × ${options.limit}) ÷ (t(n − ${options.limit}) − t(${options.limit})) ÷ ${options.limit}/s: the first window's burst (all at once) and the last window's stragglers aside; 100% is the limit exactly.`,
  ];
}
