// npm run mutation: Stryker over src/ (stryker.config.mjs) on the Node.js 24 that the test command
// fetches into .matrix/ (Stryker 10 needs Node.js 22 or later), then the score per directory, with
// the equivalent mutants the config lists left out, into reports/mutation-summary.md and
// docs/mutation-testing.md, and the headline figures into one line of the README.
// `node scripts/mutation.js --report-only` rewrites them from the last report without a run.
// Stryker is no dev dependency: its Babel 8 wants Node.js 22, so `npm install` on Node.js 20 would
// warn about each of its packages. It is installed here, pinned, into .matrix/ on first use.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { ensureNodeRed5 } = require("./test-all");

const root = path.join(__dirname, "..");
const REPORT = path.join(root, "reports", "mutation", "mutation.json");
const SUMMARY = path.join(root, "reports", "mutation-summary.md");
/** Stryker's incremental file (stryker.config.mjs): a run that finds it reuses the unchanged results. */
const INCREMENTAL = path.join(root, "reports", "stryker-incremental.json");
const README = path.join(root, "README.md");
/** The page that holds the score per directory; the README links it. */
const PAGE = "docs/mutation-testing.md";
/** The directories the issue holds to 90%: the rest is published as it stands. */
const HELD = ["src/providers", "src/token-source.ts", "src/http.ts", "src/redact.ts", "src/nodes"];
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

function matches(rule, file, mutant, code, lineText) {
  return (
    rule.file === file &&
    (rule.line === undefined || rule.line === lineText) &&
    rule.mutator === mutant.mutatorName &&
    (rule.original === undefined || rule.original === code.trim()) &&
    (rule.replacement === undefined || rule.replacement === mutant.replacement)
  );
}

function group(file) {
  const held = HELD.find((prefix) => file === prefix || file.startsWith(`${prefix}/`));
  if (held) return held;
  const parts = file.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : file;
}

function tally() {
  return { killed: 0, survived: 0, noCoverage: 0, equivalent: 0, invalid: 0 };
}

function score(t) {
  const total = t.killed + t.survived + t.noCoverage;
  return total === 0 ? 100 : (100 * t.killed) / total;
}

async function summarize(equivalentMutants, durationMs, runNote) {
  const report = JSON.parse(fs.readFileSync(REPORT, "utf8"));
  const groups = new Map();
  const overall = tally();
  const heldTotal = tally();
  const survivors = [];
  const equivalents = [];
  const used = new Set();
  for (const [file, entry] of Object.entries(report.files)) {
    const name = file.split(path.sep).join("/");
    const key = group(name);
    if (!groups.has(key)) groups.set(key, tally());
    for (const mutant of entry.mutants) {
      const code = original(entry.source, mutant.location);
      const buckets = [groups.get(key), overall, ...(HELD.includes(key) ? [heldTotal] : [])];
      let field;
      if (KILLED.has(mutant.status)) field = "killed";
      else if (UNKILLED.has(mutant.status)) {
        const lineText = entry.source.split("\n")[mutant.location.start.line - 1].trim();
        const rule = equivalentMutants.find((r) => matches(r, name, mutant, code, lineText));
        if (rule) {
          used.add(rule);
          field = "equivalent";
          equivalents.push({ name, mutant, code, reason: rule.reason });
        } else {
          field = mutant.status === "Survived" ? "survived" : "noCoverage";
          survivors.push({ name, mutant, code });
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
    row("**held to 90%** (providers, token source, http, redact, nodes)", heldTotal),
    row("**all of src/**", overall),
  ];
  const lines = [
    `# Mutation score, ${date}`,
    "",
    `Score = killed (or timed out) / (killed + survived + no coverage); equivalent mutants (listed in`,
    `stryker.config.mjs with a reason) are left out. ${durationMs ? `This run took ${Math.round(durationMs / 1000)} s.` : ""}`,
    "",
    ...table,
    "",
    "## Surviving mutants",
    ...survivors.map(
      (s) =>
        `- ${s.name}:${s.mutant.location.start.line} ${s.mutant.mutatorName} (${s.mutant.status}): \`${oneLine(s.code)}\` -> \`${oneLine(s.mutant.replacement ?? "")}\``,
    ),
    "",
    "## Equivalent mutants",
    ...equivalents.map((e) => `- ${e.name}:${e.mutant.location.start.line} ${e.mutant.mutatorName}: ${e.reason}`),
    ...equivalentMutants
      .filter((r) => !used.has(r))
      .map((r) => `- unused rule (no such survivor): ${JSON.stringify(r)}`),
    "",
  ];
  fs.writeFileSync(SUMMARY, lines.join("\n"));
  const held = score(heldTotal);
  const met = held >= 90 ? ", met" : ", not met yet";
  const block = [
    `Mutation score (\`npm run mutation\`, StrykerJS, ${date}): **${held.toFixed(1)}%** of the`,
    `non-equivalent mutants killed in the providers, the token source, \`http.ts\`, \`redact.ts\` and the`,
    `nodes (goal: 90%${met}); **${score(overall).toFixed(1)}%** over all of \`src/\`,`,
    "against the unit and in-process runtime suites (`.mocharc.mutation.json`; the Redis, browser and",
    "child-process suites are not run for it).",
    durationMs ? `This run took ${Math.round(durationMs / 60000)} min on ${os.cpus().length} cores (${runNote}).` : "",
    "Surviving mutants are listed in `reports/mutation-summary.md`. Per directory:",
    "",
    ...table,
  ].filter((line, i, all) => line !== "" || all[i - 1] !== "");
  const headline =
    `**Mutation score** ${held.toFixed(1)}% in the providers, the token source, \`http.ts\`, \`redact.ts\` and the nodes` +
    ` (goal 90%${met}); ${score(overall).toFixed(1)}% over all of \`src/\` (${date}):` +
    ` [${PAGE}](https://github.com/iot-token/node-red-access-token/blob/main/${PAGE})`;
  replaceMarked(path.join(root, PAGE), "mutation-score", ["", ...block, ""]);
  replaceMarked(README, "mutation-headline", [headline]);
  console.log(lines.slice(0, table.length + 6).join("\n"));
  console.log(`\nsummary: ${path.relative(root, SUMMARY)}; HTML report: reports/mutation/index.html`);
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
  const { default: config, equivalentMutants } = await import(
    pathToFileURL(path.join(root, "stryker.config.mjs")).href
  );
  const concurrency = args.find((_, i) => args[i - 1] === "--concurrency") ?? config.concurrency;
  const reused = !reportOnly && fs.existsSync(INCREMENTAL) && !args.includes("--force") ? ", incremental" : "";
  const durationMs = reportOnly
    ? given && Number(given.slice("--duration=".length)) * 1000
    : runStryker(args.filter((a) => a !== "--report-only"));
  await summarize(equivalentMutants, durationMs, `concurrency ${concurrency}${reused}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
