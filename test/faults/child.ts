// Run one of the scripts in children/ as a separate Node.js process (the same binary, so the same
// Node-RED the matrix run picked through NODE_RED_PATH) and collect its JSON report. A child that
// does not end by itself within the limit is killed and reported as such: that is the signal of a
// timer or socket left behind.
import { spawn } from "node:child_process";
import * as path from "node:path";

export interface ChildResult<T> {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The child did not end by itself within the limit and was killed. */
  killed: boolean;
  /** The last line of stdout that parses as JSON. */
  report?: T;
  /** Everything the child printed, for the secrets check. */
  output: string;
  stderr: string;
}

export function runChild<T>(
  script: string,
  options: { env?: Record<string, string>; nodeArgs?: string[]; limitMs: number },
): Promise<ChildResult<T>> {
  const file = path.join(__dirname, "children", `${script}.js`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file], {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, options.limitMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      let report: T | undefined;
      for (const line of stdout.trim().split("\n").reverse()) {
        try {
          report = JSON.parse(line) as T;
          break;
        } catch {
          // Not the report line (Node-RED may print its own lines).
        }
      }
      resolve({ code, signal, killed, report, output: stdout + stderr, stderr: stderr.slice(-4000) });
    });
  });
}
