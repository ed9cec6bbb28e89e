// `npm run bench`: an embedded Node-RED runtime and the vendor simulator on 127.0.0.1, our get token
// node against a core change node and against node-red-contrib-oauth2; the table goes to stdout and
// to bench/RESULTS.md. Everything it starts it stops; a watchdog ends it if anything hangs.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import { ProviderSimulator } from "../test/simulator";
import { installIncumbent, probeIncumbent, type Installed, type WireRequest } from "./incumbent";
import { apiCalls } from "./api-calls";
import { coldStarts } from "./cold";
import { memory } from "./memory";
import { PAGE_ITEMS, PAGE_SIZE, pages } from "./pages";
import { profileGetToken } from "./profile";
import { rateLimitRows, type RateOptions, type RateRow } from "./rate-limit";
import { render, type Results } from "./report";
import { missingRedisPrograms, sharedCacheRows, type SharedResult } from "./shared";
import { BenchRuntime } from "./runtime";
import { stampede, type StampedeRow } from "./stampede";
import { steady, type SteadyResult } from "./steady";
import { throughput, type Variant } from "./throughput";
import { Watchdog } from "./watchdog";

/**
 * The whole run, install included, must fit in five minutes; leave room to report a hang. On a
 * machine busy with other work every phase stretches: BENCH_WATCHDOG_S gives such a run more time.
 */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_S) > 0 ? Number(process.env.BENCH_WATCHDOG_S) * 1000 : 285_000;
/**
 * The cold rows (bench/cold.ts) are a phase with a time budget of their own, added to the
 * watchdog's as they end: the other phases keep all of WATCHDOG_MS.
 */
const COLD_BUDGET_MS = 20_000;
const SIZES = [1, 100, 1_000, 10_000];
/** BENCH_QUICK=1: short phases for working on the bench itself; its table goes to bench/scratch/. */
const QUICK = process.env.BENCH_QUICK === "1";
const RESULTS_FILE = path.resolve(__dirname, "..", "..", "bench", QUICK ? "scratch/RESULTS.quick.md" : "RESULTS.md");
const T = QUICK
  ? {
      rounds: 2,
      roundMs: 500,
      steadyOurs: 4,
      steadyInc: 4,
      memory: 100_000,
      steadyShared: 8,
      cold: 6,
      pages: 2,
      rateCalls: 500,
    }
  : {
      rounds: 5,
      roundMs: 2_000,
      steadyOurs: 20,
      steadyInc: 12,
      memory: 1_000_000,
      steadyShared: 12,
      cold: 40,
      pages: 5,
      rateCalls: 5_000,
    };

function reexecWithGc(): never {
  // heap numbers mean something only after a forced full GC
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", ...process.execArgv, __filename, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(child.status ?? 1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const progress = (text: string) =>
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);

  progress("installing node-red-contrib-oauth2@6 into bench/scratch/");
  const incumbent: Installed = installIncumbent();
  if (incumbent.problem) progress(incumbent.problem);

  const sim = await ProviderSimulator.start({ host: "127.0.0.1" });
  const rt = await BenchRuntime.start(incumbent.dir);
  const stopAll = async () => {
    await rt.stop();
    // The incumbent's requests have no timeout; those a stampede left pending sit in Node's global
    // agents (it passes no agent of its own): end them, or their sockets keep the process alive.
    http.globalAgent.destroy();
    https.globalAgent.destroy();
    await sim.close();
  };
  try {
    const missing = rt.missingTypes([
      "access-token",
      "access-token-request",
      "oneaccess-credentials",
      "bench-sink",
      "change",
      "http request",
    ]);
    if (missing.length) throw new Error(`node types not loaded: ${missing.join(", ")} (did npm run build run?)`);
    const hasIncumbent = !!incumbent.dir && rt.missingTypes(["oauth2"]).length === 0;
    if (incumbent.dir && !hasIncumbent)
      incumbent.problem =
        `${incumbent.problem ?? ""} the runtime did not load its oauth2 node type: ${rt.log.samples.join("; ")}`.trim();
    // The demo secret holds ":", "%", "+" (so tests see every encoded shape); the incumbent sends it
    // in HTTP Basic without form-encoding it first (RFC 6749 2.3.1), which the simulator refuses.
    // Every contender uses this plain one instead, so the rows compare the same requests.
    const account = { clientId: "bench-client", clientSecret: "benchSecret0123456789abcdef" };
    sim.addAccount("oneaccess", account);

    let wire: WireRequest | undefined;
    if (hasIncumbent) {
      progress("probing what the incumbent sends");
      wire = await probeIncumbent(rt, account);
    }

    progress(`throughput: ${T.rounds} interleaved rounds x ${T.roundMs / 1000} s per contender`);
    // The baseline the issue names (change: msg.token only), the same work as our default
    // (msg.token and msg.headers.Authorization) done by a change node, and ours both ways.
    const variants: Variant[] = [
      { name: "change", contender: "change" },
      { name: "change-header", contender: "change", changeHeader: true },
      { name: "get-token", contender: "get-token" },
      { name: "get-token-no-headers", contender: "get-token", getToken: { headers: false } },
    ];
    if (hasIncumbent) variants.push({ name: "oauth2", contender: "oauth2", settleMs: 300 });
    const thr = await throughput(rt, sim.url, account, variants, {
      rounds: T.rounds,
      roundMs: T.roundMs,
      sliceMs: 250,
      warmupMs: 500,
      window: 1_000,
    });

    progress("profiling 2 s of get token traffic");
    const profile = await profileGetToken(rt, sim.url, account, 2_000);

    // Our phases first: the incumbent's stampede can leave requests in flight past its time
    // limit, and those would be counted against whatever phase came next.
    progress("stampede (ours): cold cache, N = 1, 100, 1,000, 10,000");
    const stampedes: StampedeRow[] = await stampede(rt, sim, account, "get-token", SIZES, 30_000);
    // Margin 0.2 s is 5% of the 4 s lifetime, about what the default 300 s is of a 7200 s
    // OrionStar or EnOS token; then the palette default, which the node caps at half the lifetime.
    const steadies: SteadyResult[] = [];
    for (const marginS of [0.2, 300]) {
      progress(`steady traffic (ours): ${T.steadyOurs} s at a 4 s token lifetime, margin ${marginS} s`);
      steadies.push(
        await steady(rt, sim, account, "get-token", { lifetimeS: 4, durationS: T.steadyOurs, tickMs: 20, marginS }),
      );
    }
    progress(`API calls: api request, get token + http request, http request with a fixed header`);
    const api = await apiCalls(
      rt,
      sim,
      account,
      { rounds: T.rounds, roundMs: T.roundMs, sliceMs: 250, warmupMs: 500, window: 32 },
      2_000,
    );
    sim.reset();
    progress(
      `pages: ${PAGE_ITEMS.toLocaleString("en-US")} users over ${PAGE_ITEMS / PAGE_SIZE} pages, ${T.pages} walks each`,
    );
    const pageWalks = await pages(rt, sim, account, { rounds: T.pages, warmup: 1, limitMs: 60_000 });
    sim.reset();
    progress(`first message after a deploy: ${T.cold} rounds (+ 3 not counted), a full deploy each`);
    const coldStarted = Date.now();
    const cold = await coldStarts(rt, sim, account, {
      rounds: T.cold,
      warmupRounds: 3,
      settleMs: 50,
      gapMs: 10,
      budgetMs: COLD_BUDGET_MS,
    });
    watchdog.extend(Math.min(Date.now() - coldStarted, COLD_BUDGET_MS));
    sim.reset();
    progress(`memory: ${T.memory.toLocaleString("en-US")} cached messages`);
    const mem = await memory(rt, sim.url, account, T.memory, 1_000, 60_000);
    // Rows 4 and 4b, before the incumbent (whose leftovers could reach the simulator meanwhile).
    const shared: SharedResult[] = [];
    const noRedis = missingRedisPrograms();
    if (noRedis.length)
      progress(`rows 4 and 4b not run: ${noRedis.join(" and ")} not installed (apt-get install redis-server)`);
    for (const topology of noRedis.length ? [] : (["redis", "cluster"] as const)) {
      const options = { processes: 4, n: 1_000, lifetimeS: 4, steadyS: T.steadyShared, marginS: 0.2, perTick: 5 };
      shared.push(await sharedCacheRows(sim, account, topology, { ...options, vendorDelayMs: 100 }, progress));
    }
    // Rows 11 and 11b: over 100 s by nature (5,000 calls at 50/s, twice, and half that once): a phase
    // with a time budget of its own, added to the watchdog's before it starts.
    const rate: RateRow[] = [];
    const rateOptions: RateOptions | undefined = noRedis.length
      ? undefined
      : { limit: 50, calls: T.rateCalls, processes: 2 };
    if (rateOptions) {
      watchdog.extend(((2.5 * rateOptions.calls) / rateOptions.limit + 60) * 1000);
      rate.push(...(await rateLimitRows(sim, rateOptions, progress)));
    }
    if (hasIncumbent) {
      progress(`steady traffic (incumbent): ${T.steadyInc} s at a 4 s token lifetime`);
      steadies.push(await steady(rt, sim, account, "oauth2", { lifetimeS: 4, durationS: T.steadyInc, tickMs: 20 }));
      progress("stampede (incumbent): cold cache, N = 1, 100, 1,000, 10,000");
      stampedes.push(...(await stampede(rt, sim, account, "oauth2", SIZES, 30_000)));
    }

    const results: Results = {
      runtimeVersion: rt.version,
      incumbent,
      wire,
      throughput: thr,
      rounds: { count: T.rounds, ms: T.roundMs },
      profile,
      stampedes,
      steadies,
      memory: mem,
      apiCalls: api,
      pages: pageWalks,
      cold,
      shared,
      rate,
      rateOptions,
      elapsedS: 0,
    };
    await stopAll();
    results.elapsedS = (Date.now() - started) / 1000;
    const text = render(results);
    fs.writeFileSync(RESULTS_FILE, text);
    process.stdout.write(text);
    progress(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

if (typeof (globalThis as { gc?: unknown }).gc !== "function") reexecWithGc();
const watchdog = new Watchdog(WATCHDOG_MS);
main().then(
  () => {
    // Everything was closed; if a handle still keeps the loop alive, say which instead of hanging.
    setTimeout(() => {
      const handles = (
        process as unknown as { _getActiveHandles(): Array<{ constructor: { name: string } }> }
      )._getActiveHandles();
      process.stderr.write(`bench: open handles after cleanup: ${handles.map((h) => h.constructor.name).join(", ")}\n`);
      process.exit(0);
    }, 2_000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
