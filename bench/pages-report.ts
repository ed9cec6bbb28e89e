// Row 10 in bench/RESULTS.md: every page of a list, the api request node against a loop of core nodes.
import { PAGE_ITEMS, PAGE_SIZE, type PagesResult } from "./pages";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => (n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US"));

export function pagesLines(p: PagesResult): string[] {
  const n = p.rounds["api-request"].length;
  const each = (c: "api-request" | "core-loop") =>
    p.rounds[c].map((r) => `${ms(r.ms)} ms / ${mb(r.peakBytes)}`).join(", ");
  return [
    "## Every page of a list: api request against a loop of core nodes",
    "",
    "| Measure | api request (`paginate: preset`, `pageOutput: all`) | get token + function + core http request + function looping back | Goal |",
    "| --- | --- | --- | --- |",
    `| 10. ${PAGE_ITEMS.toLocaleString("en-US")} OneAccess users over ${PAGE_ITEMS / PAGE_SIZE} pages into one message: time per walk (median of ${n}) | ${ms(p.medianMs["api-request"])} ms | ${ms(p.medianMs["core-loop"])} ms | |`,
    `| 10. the same: heap at its peak during a walk, above the settled heap (median) | ${mb(p.medianPeakBytes["api-request"])} | ${mb(p.medianPeakBytes["core-loop"])} | |`,
    `| 10. api request ÷ the core loop (median of per-round ratios): time, peak heap | **${p.timeRatio.toFixed(2)}**, **${p.memoryRatio.toFixed(2)}** | 1, 1 | ≤ 1 |`,
    "",
    `Vendor calls per walk: api request ${p.callsPerWalk["api-request"]}, the core loop ${p.callsPerWalk["core-loop"]} (its token cached by get token after the first walk). Each walk (one warm-up walk of each not counted) after a full GC, the heap sampled every 2 ms; the walks alternate, the order swapped every round. Per walk (time / peak heap): api request ${each("api-request")}; core loop ${each("core-loop")}.`,
  ];
}
