// npm run mutation: Stryker over src/ (stryker.config.mjs) on the Node.js 24 that the test command
// fetches into .matrix/ (Stryker 10 needs Node.js 22 or later), then the score per directory, with
// the equivalent mutants the config lists left out, into reports/mutation-summary.md and
// docs/mutation-testing.md, and the headline figures into one line of the README.
// `node scripts/mutation.js --report-only [--duration=<s>] [--commit=<sha>]` rewrites them from the
// last report without a run.
// Stryker is no dev dependency: its Babel 8 wants Node.js 22, so `npm install` on Node.js 20 would
// warn about each of its packages. It is installed here, pinned, into .matrix/ on first use.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { ensureNodeRed5 } = require("./test-all");
const parts = require("./mutation-parts");

const root = path.join(__dirname, "..");
const REPORT = path.join(root, "reports", "mutation", "mutation.json");
const SUMMARY = path.join(root, "reports", "mutation-summary.md");
/** Stryker's incremental file (stryker.config.mjs): a run that finds it reuses the unchanged results. */
const INCREMENTAL = path.join(root, "reports", "stryker-incremental.json");
const README = path.join(root, "README.md");
/** The page that holds the score per directory; the README links it. */
const PAGE = "docs/mutation-testing.md";
/** The directories the table shows as one row each; other files have a row of their own. */
const GROUPED = ["src/providers", "src/nodes", "src/shared-cache"];
/** The goal: all of src/ at 90% at least, and no file below 80%. */
const GOAL = 90;
const FILE_FLOOR = 80;
const STRYKER_VERSION = "10.0.0";
const STRYKER_DIR = path.join(root, ".matrix", `stryker-${STRYKER_VERSION}`);
const KILLED = new Set(["Killed", "Timeout"]);
const UNKILLED = new Set(["Survived", "NoCoverage"]);

/**
 * Stryker's core and the plugins the config names, into .matrix/ with `env` (Node.js 24 first on PATH,
 * so npm checks their engines against the Node.js that runs them). Their peers, mocha and TypeScript,
 * are not installed there: Node.js finds the project's own above .matrix/, so mutants are compiled and
 * tested with the very versions the build and the suite use.
 */
function ensureStryker(env) {
  const modules = path.join(STRYKER_DIR, "node_modules", "@stryker-mutator");
  const names = ["core", "mocha-runner", "typescript-checker"];
  const stryker = path.join(modules, "core", "bin", "stryker.js");
  if (names.every((name) => fs.existsSync(path.join(modules, name, "package.json")))) return stryker;
  fs.mkdirSync(STRYKER_DIR, { recursive: true });
  console.log(`installing StrykerJS ${STRYKER_VERSION} into ${path.relative(root, STRYKER_DIR)}/ ...`);
  const packages = names.map((name) => `@stryker-mutator/${name}@${STRYKER_VERSION}`);
  execFileSync(
    "npm",
    [
      "install",
      "--prefix",
      STRYKER_DIR,
      "--no-audit",
      "--no-fund",
      "--legacy-peer-deps",
      "--loglevel=error",
      ...packages,
    ],
    { stdio: "inherit", env },
  );
  return stryker;
}

function runStryker(args) {
  const major = Number(process.versions.node.split(".")[0]);
  const nodeBin = major >= 22 ? process.execPath : ensureNodeRed5()?.nodeBin;
  if (!nodeBin) throw new Error("Stryker needs Node.js 22 or later, and Node.js 24 could not be fetched here");
  // Stryker spawns its test runners and checkers with process.execPath: this Node.js, and its npm/npx on PATH.
  const env = { ...process.env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}` };
  const stryker = ensureStryker(env);
  const started = Date.now();
  const result = spawnSync(nodeBin, [stryker, "run", ...args], { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`stryker exited with ${result.status ?? result.signal}`);
  return Date.now() - started;
}

/** The source text a mutant replaces (1-based lines, 0-based columns in Stryker's report). */
function original(source, location) {
  const lines = source.split("\n");
  const { start, end } = location;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const parts = [lines[start.line - 1].slice(start.column - 1)];
  for (let line = start.line + 1; line < end.line; line++) parts.push(lines[line - 1]);
  parts.push(lines[end.line - 1].slice(0, end.column - 1));
  return parts.join("\n");
}

/** Whether a rule names this mutant: file, line, mutator, the code it replaces, its replacement (and column, if given). */
function matches(rule, file, mutant, code) {
  return (
    rule.file === file &&
    rule.line === mutant.location.start.line &&
    (rule.column === undefined || rule.column === mutant.location.start.column) &&
    rule.mutator === mutant.mutatorName &&
    rule.original === code.trim() &&
    rule.replacement === mutant.replacement
  );
}

/**
 * What is wrong with the rules: each must name exactly one mutant of the report, and one that no test
 * kills. A rule for a file this run did not mutate is not checked; neither is one that matches nothing
 * in a run of some lines only (`--mutate file:lines`), which may have left its mutant out.
 */
function ruleProblems(rules, report, lineRange) {
  const problems = [];
  for (const rule of rules) {
    const entry = Object.entries(report.files).find(([file]) => file.split(path.sep).join("/") === rule.file)?.[1];
    if (!entry) continue;
    const named = entry.mutants.filter((mutant) =>
      matches(rule, rule.file, mutant, original(entry.source, mutant.location)),
    );
    const where = `${rule.file}:${rule.line} ${rule.mutator} \`${oneLine(rule.original ?? "")}\` -> \`${oneLine(rule.replacement ?? "")}\``;
    if (named.length === 0 && !lineRange) {
      // Where the same mutant is now, to examine there (a line moved), if anywhere.
      const elsewhere = entry.mutants
        .filter((mutant) =>
          matches(
            { ...rule, line: mutant.location.start.line },
            rule.file,
            mutant,
            original(entry.source, mutant.location),
          ),
        )
        .map((mutant) => `${mutant.location.start.line}:${mutant.location.start.column} ${mutant.status}`);
      const hint = elsewhere.length > 0 ? `; the same mutant is at ${elsewhere.join(", ")}` : "";
      problems.push(`${where}: names no mutant (the line moved or changed: examine it anew${hint})`);
    }
    if (named.length > 1) problems.push(`${where}: names ${named.length} mutants (add the column)`);
    if (named.length === 1 && !UNKILLED.has(named[0].status))
      problems.push(`${where}: names a mutant that is ${named[0].status}, not a survivor (drop the rule)`);
  }
  return problems;
}

function group(file) {
  return GROUPED.find((prefix) => file.startsWith(`${prefix}/`)) ?? file;
}

function tally() {
  return { killed: 0, survived: 0, noCoverage: 0, equivalent: 0, invalid: 0 };
}

function score(t) {
  const total = t.killed + t.survived + t.noCoverage;
  return total === 0 ? 100 : (100 * t.killed) / total;
}

async function summarize({ equivalentMutants, speedOnlyMutants = [] }, durationMs, runNote, lineRange, commit) {
  const report = JSON.parse(fs.readFileSync(REPORT, "utf8"));
  const problems = ruleProblems([...equivalentMutants, ...speedOnlyMutants], report, lineRange);
  const groups = new Map();
  const files = new Map();
  const overall = tally();
  const survivors = [];
  const equivalents = [];
  const speedOnly = [];
  for (const [file, entry] of Object.entries(report.files)) {
    const name = file.split(path.sep).join("/");
    const key = group(name);
    if (!groups.has(key)) groups.set(key, tally());
    files.set(name, tally());
    for (const mutant of entry.mutants) {
      const code = original(entry.source, mutant.location);
      const buckets = [groups.get(key), files.get(name), overall];
      let field;
      if (KILLED.has(mutant.status)) field = "killed";
      else if (UNKILLED.has(mutant.status)) {
        const rule = equivalentMutants.find((r) => matches(r, name, mutant, code));
        if (rule) {
          field = "equivalent";
          equivalents.push({ name, mutant, code, reason: rule.reason });
        } else {
          field = mutant.status === "Survived" ? "survived" : "noCoverage";
          // A speed-only mutant counts as a survivor; the rule only gives the reason no test tells it apart.
          const slower = speedOnlyMutants.find((r) => matches(r, name, mutant, code));
          survivors.push({ name, mutant, code, speedOnly: slower?.reason });
          if (slower) speedOnly.push(slower);
        }
      } else field = "invalid"; // CompileError, RuntimeError, Ignored: not a behaviour a test could check
      for (const t of buckets) t[field] += 1;
    }
  }
  const date = new Date().toISOString().slice(0, 10);
  const row = (label, t) =>
    `| ${label} | ${score(t).toFixed(1)}% | ${t.killed} | ${t.survived} | ${t.noCoverage} | ${t.equivalent} | ${t.invalid} |`;
  const table = [
    "| Code | Score | Killed | Survived | No coverage | Equivalent | Not valid code |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...[...groups.keys()].sort().map((key) => row(`\`${key}\``, groups.get(key))),
    row("**all of src/**", overall),
  ];
  const lines = [
    `# Mutation score, ${date}`,
    "",
    `Score = killed (or timed out) / (killed + survived + no coverage); equivalent mutants (listed in`,
    `stryker.config.mjs with a reason) are left out. Run at commit ${commit}.`,
    `${durationMs ? `This run took ${Math.round(durationMs / 1000)} s.` : ""}`,
    "",
    ...table,
    "",
    "## Per file",
    "",
    table[0],
    table[1],
    ...[...files.keys()].sort().map((name) => row(`\`${name}\``, files.get(name))),
    "",
    "## Surviving mutants",
    "",
    `${survivors.length} survivors, ${speedOnly.length} of them speed-only (the program behaves the same, only slower:`,
    "counted as survivors; `speedOnlyMutants` in stryker.config.mjs gives each one's reason).",
    "",
    ...survivors.map(
      (s) =>
        `- ${s.name}:${s.mutant.location.start.line} ${s.mutant.mutatorName} (${s.mutant.status}): \`${oneLine(s.code)}\` -> \`${oneLine(s.mutant.replacement ?? "")}\`${s.speedOnly ? ` (speed-only: ${s.speedOnly})` : ""}`,
    ),
    "",
    "## Equivalent mutants",
    ...equivalents.map((e) => `- ${e.name}:${e.mutant.location.start.line} ${e.mutant.mutatorName}: ${e.reason}`),
    ...(problems.length > 0 ? ["", "## Rules that name no single survivor", ...problems.map((p) => `- ${p}`)] : []),
    "",
  ];
  fs.writeFileSync(SUMMARY, lines.join("\n"));
  if (problems.length > 0)
    throw new Error(
      `equivalent-mutant rules in stryker.config.mjs that name no single survivor:\n${problems.join("\n")}`,
    );
  const whole = score(overall);
  const low = [...files.keys()].filter((name) => score(files.get(name)) < FILE_FLOOR);
  const met = whole >= GOAL && low.length === 0 ? ", met" : ", not met yet";
  const goal = `goal: ${GOAL}%, no file below ${FILE_FLOOR}%${met}`;
  const block = [
    `Mutation score (\`npm run mutation\`, StrykerJS, ${date}, at commit ${commit.slice(0, 7)}): **${whole.toFixed(1)}%** of`,
    `the non-equivalent mutants killed over all of \`src/\` (${goal}${low.length ? `; below ${FILE_FLOOR}%: ${low.map((name) => `\`${name}\``).join(", ")}` : ""}),`,
    "against the unit, in-process runtime and Redis suites (`.mocharc.mutation.json`, each Redis suite",
    "starting its own redis-server; the browser and child-process suites are not run for it).",
    durationMs ? `This run took ${Math.round(durationMs / 60000)} min on ${os.cpus().length} cores (${runNote}).` : "",
    `Surviving mutants (${overall.survived + overall.noCoverage}, ${speedOnly.length} of them speed-only) are listed with their lines in`,
    "[`reports/mutation-summary.md`](../reports/mutation-summary.md), committed with the run. Per directory:",
    "",
    ...table,
  ].filter((line, i, all) => line !== "" || all[i - 1] !== "");
  const headline =
    `**Mutation score** ${whole.toFixed(1)}% over all of \`src/\` (${goal}), at commit ${commit.slice(0, 7)} (${date}):` +
    ` [${PAGE}](https://github.com/iot-token/node-red-access-token/blob/main/${PAGE})`;
  replaceMarked(path.join(root, PAGE), "mutation-score", ["", ...block, ""]);
  replaceMarked(README, "mutation-headline", [headline]);
  console.log(lines.slice(0, table.length + 6).join("\n"));
  console.log(`\nsummary: ${path.relative(root, SUMMARY)}; HTML report: reports/mutation/index.html`);
}

/** The commit the mutated sources are at, and whether src/ or test/ differ from it. */
function commitOf() {
  const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  const changed = git("status", "--porcelain", "--", "src", "test", ".mocharc.mutation.json", "stryker.config.mjs");
  return `${git("rev-parse", "HEAD")}${changed ? " (with uncommitted changes to src/ or test/)" : ""}`;
}

/** Put these lines between `<!-- name -->` and `<!-- /name -->` in the file. */
function replaceMarked(file, name, lines) {
  const text = fs.readFileSync(file, "utf8");
  const marked = new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->`);
  if (!marked.test(text)) throw new Error(`${path.relative(root, file)} has no <!-- ${name} --> block to write into`);
  fs.writeFileSync(
    file,
    text.replace(marked, () => [`<!-- ${name} -->`, ...lines, `<!-- /${name} -->`].join("\n")),
  );
}

function oneLine(text) {
  return text.replace(/\s+/g, " ").slice(0, 120);
}

async function main() {
  const args = process.argv.slice(2);
  const reportOnly = args.includes("--report-only");
  // --duration=<seconds>: with --report-only, the duration of the run that wrote the report.
  const given = args.find((a) => a.startsWith("--duration="));
  // How the run was made, for docs/mutation-testing.md: its concurrency, and whether it reused an earlier run's results.
  const {
    default: config,
    equivalentMutants,
    speedOnlyMutants,
  } = await import(pathToFileURL(path.join(root, "stryker.config.mjs")).href);
  const rules = { equivalentMutants, speedOnlyMutants };
  const concurrency = args.find((_, i) => args[i - 1] === "--concurrency") ?? config.concurrency;
  const partAt = args.indexOf("--part");
  if (partAt >= 0) return runPart(args, partAt, rules, `concurrency ${concurrency}`);
  const reused = !reportOnly && fs.existsSync(INCREMENTAL) && !args.includes("--force") ? ", incremental" : "";
  // Taken before the run: the sources Stryker mutates are the ones of this commit (--report-only: of
  // the current one, or --commit=<sha>, the one the report's run was at).
  const named = args.find((a) => a.startsWith("--commit="));
  const commit = reportOnly && named ? named.slice("--commit=".length) : commitOf();
  const durationMs = reportOnly
    ? given && Number(given.slice("--duration=".length)) * 1000
    : runStryker(args.filter((a) => a !== "--report-only"));
  const lineRange = args.some((a, i) => args[i - 1] === "--mutate" && /:\d/.test(a));
  await summarize(rules, durationMs, `concurrency ${concurrency}${reused}`, lineRange, commit);
}

/**
 * `--part <n>/<parts>` (scripts/mutation-parts.js): one share of a full run, kept under the commit;
 * after the last one, the summary of all of them.
 */
async function runPart(args, partAt, rules, runNote) {
  const part = parts.parsePart(args[partAt + 1]);
  const commit = parts.testedCommit(root);
  const rest = args.filter((_, i) => i !== partAt && i !== partAt + 1 && args[i] !== "--force");
  const durationMs = runStryker([...parts.partArgs(root, commit, part), ...rest]);
  parts.savePart(root, commit, part, REPORT, durationMs);
  const merged = parts.mergeParts(root, commit, part.count);
  if (merged.missing) {
    console.log(
      `part ${part.index}/${part.count} at ${commit.slice(0, 7)} kept; still to run: ${merged.missing.join(", ")}`,
    );
    return;
  }
  fs.writeFileSync(REPORT, JSON.stringify(merged.report));
  await summarize(rules, merged.durationMs, `${runNote}, in ${part.count} parts`, false, commit);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
