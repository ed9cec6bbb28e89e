// The package exactly as npm publishes it: `npm pack` (its prepack script builds) into a temp dir,
// once per test process, shared by the install test, the editor test and the package test.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");

export interface Tarball {
  /** Absolute path of the .tgz. */
  file: string;
  /** Paths inside the package (without the leading "package/"), as `npm pack --json` lists them. */
  files: string[];
  name: string;
  version: string;
  dir: string;
}

/** npm's own limit would be none: a hung registry or lock must fail the test, not stall CI. */
const PACK_LIMIT_MS = 120_000;

let packed: Promise<Tarball> | undefined;

export function packTarball(): Promise<Tarball> {
  packed ??= pack();
  return packed;
}

async function pack(): Promise<Tarball> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-pack-"));
  const stdout = await run(
    "npm",
    ["pack", "--pack-destination", dir, "--json", "--loglevel=error"],
    repoRoot,
    PACK_LIMIT_MS,
  );
  // Lifecycle scripts (prepack) may print before the JSON: parse from the first "[" on its own line.
  const start = stdout.search(/^\[/m);
  if (start < 0) throw new Error(`npm pack printed no JSON:\n${stdout}`);
  const [info] = JSON.parse(stdout.slice(start)) as Array<{
    filename: string;
    name: string;
    version: string;
    files: Array<{ path: string }>;
  }>;
  const file = path.join(dir, info.filename);
  if (!fs.existsSync(file)) throw new Error(`npm pack reported ${info.filename} but ${dir} does not hold it`);
  return { file, files: info.files.map((f) => f.path).sort(), name: info.name, version: info.version, dir };
}

/** Remove the pack directory (call once, at the very end; later callers pack again). */
export async function removeTarball(): Promise<void> {
  const current = packed;
  packed = undefined;
  const tarball = await current?.catch(() => undefined);
  if (tarball) fs.rmSync(tarball.dir, { recursive: true, force: true });
}

// Under mocha: one root hook removes the shared tarball after the whole run (not per describe,
// since the install, editor and package tests share it). Outside mocha there is no `after`.
declare const after: ((fn: () => Promise<void>) => void) | undefined;
if (typeof after === "function") after(removeTarball);

/** Run a command with a time limit; reject with its output when it fails. */
export function run(command: string, args: string[], cwd: string, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: limitMs,
        killSignal: "SIGKILL",
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: "false" },
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${command} ${args.join(" ")} failed (${err.message}):\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
