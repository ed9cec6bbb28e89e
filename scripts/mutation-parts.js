// A full mutation run in parts (`npm run mutation -- --part 2/3`): each part mutates a fixed share of
// src/'s files with --force, and its report is kept under reports/parts/<commit>/, so that a run
// longer than one sitting (about three hours on 2 cores) can be finished part by part, even on another
// day. The parts are gzipped and committed (a machine may not outlive a sitting). When the last part
// of a commit is in, the parts' reports are merged into the one report the summary reads: every
// mutant of src/ tested anew at one commit, as by one full run.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

/**
 * What decides a mutant's fate: the sources, the suites and how they are built and run. The parts of
 * one run must agree on all of it, so they are filed under the last commit that changed any of it
 * (a later commit that touches only docs or scripts keeps the parts already done).
 */
const TESTED = [
  "src",
  "test",
  ".mocharc.mutation.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];

function git(root, ...args) {
  return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
}

/** The commit the parts are filed under; an error when what is tested has uncommitted changes. */
function testedCommit(root) {
  if (git(root, "status", "--porcelain", "--", ...TESTED))
    throw new Error(`a run in parts needs what it tests committed (${TESTED.join(", ")} have changes)`);
  return git(root, "log", "-1", "--format=%H", "--", ...TESTED);
}

/** "2/3" -> { index: 2, count: 3 }, or an error that says what is expected. */
function parsePart(text) {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? "");
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new Error(`--part wants <n>/<parts>, e.g. 2/3 (got ${text})`);
  return { index, count };
}

/**
 * The files of each part: src/'s TypeScript files, the largest first into the lightest part by size,
 * so that the parts take about as long and every file is in exactly one. The same for every part of a
 * commit (the order is fixed), whichever part runs first.
 */
function partFiles(root, count) {
  const files = fs
    .readdirSync(path.join(root, "src"), { recursive: true })
    .map((name) => `src/${String(name).split(path.sep).join("/")}`)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => ({ name, size: fs.statSync(path.join(root, name)).size }))
    .sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
  const parts = Array.from({ length: count }, () => ({ size: 0, files: [] }));
  for (const file of files) {
    const lightest = parts.reduce((min, part) => (part.size < min.size ? part : min));
    lightest.files.push(file.name);
    lightest.size += file.size;
  }
  return parts.map((part) => part.files.sort());
}

function partsDir(root, commit) {
  return path.join(root, "reports", "parts", commit);
}

function partFile(root, commit, { index, count }) {
  return path.join(partsDir(root, commit), `part-${index}-of-${count}.json.gz`);
}

/** Stryker's arguments for one part: its files, every mutant anew, an incremental file of its own. */
function partArgs(root, commit, part) {
  const files = partFiles(root, part.count)[part.index - 1];
  const incremental = path.relative(root, partFile(root, commit, part).replace(/\.json\.gz$/, ".incremental.json"));
  return ["--mutate", files.join(","), "--force", "--incrementalFile", incremental];
}

/** Keep a finished part's report (and how long it took) under its commit. */
function savePart(root, commit, part, reportPath, durationMs) {
  fs.mkdirSync(partsDir(root, commit), { recursive: true });
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  const saved = JSON.stringify({ commit, ...part, durationMs, report });
  fs.writeFileSync(partFile(root, commit, part), zlib.gzipSync(saved, { level: 9 }));
}

/**
 * The parts of a commit merged into one report, with their summed duration; or the parts still
 * missing. A part whose files are not the ones this split gives it now (src/ gained or lost a file)
 * counts as missing.
 */
function mergeParts(root, commit, count) {
  const split = partFiles(root, count);
  const missing = [];
  const merged = { files: {} };
  let durationMs = 0;
  for (let index = 1; index <= count; index++) {
    const file = partFile(root, commit, { index, count });
    const saved = fs.existsSync(file) ? JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8")) : undefined;
    const covered = saved && Object.keys(saved.report.files).map((name) => name.split(path.sep).join("/"));
    const expected = split[index - 1];
    // Stryker leaves out a file with no mutant (types only): every file it reports must be this part's.
    if (!saved || saved.commit !== commit || covered.some((name) => !expected.includes(name))) {
      missing.push(`${index}/${count}`);
      continue;
    }
    Object.assign(merged, { ...saved.report, files: { ...merged.files, ...saved.report.files } });
    durationMs += saved.durationMs;
  }
  return missing.length > 0 ? { missing } : { report: merged, durationMs };
}

module.exports = { testedCommit, parsePart, partFiles, partArgs, savePart, mergeParts };
