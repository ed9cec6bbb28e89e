// Which Node-RED the demo runs: the newest this Node.js supports. Node-RED 5 needs Node.js 22.9+
// and, when the test matrix fetched it, lives in .matrix/node-red-5; otherwise the dev dependency
// (Node-RED 4). NODE_RED_PATH (as the test matrix sets it) picks one explicitly.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./examples";

export interface NodeRedInstall {
  /** The node-red package directory. */
  dir: string;
  /** Its command line entry point (red.js). */
  entry: string;
  version: string;
}

const NODE_RED_5 = path.join(REPO_ROOT, ".matrix", "node-red-5", "node_modules", "node-red");

function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

/** The node-red package directory that NODE_RED_PATH names (a directory or a file inside it). */
function fromEnv(value: string): string {
  let dir = path.resolve(value);
  if (fs.existsSync(dir) && fs.statSync(dir).isFile()) dir = path.dirname(dir);
  // require.resolve("node-red") gives .../node-red/lib/red.js: walk up to the package.
  for (let i = 0; i < 3 && !fs.existsSync(path.join(dir, "red.js")); i++) dir = path.dirname(dir);
  return dir;
}

export function chooseNodeRed(
  env: NodeJS.ProcessEnv = process.env,
  nodeVersion = process.versions.node,
): NodeRedInstall {
  let dir: string;
  if (env.NODE_RED_PATH) dir = fromEnv(env.NODE_RED_PATH);
  else if (atLeast(nodeVersion, 22, 9) && fs.existsSync(path.join(NODE_RED_5, "red.js"))) dir = NODE_RED_5;
  else dir = path.dirname(require.resolve("node-red/package.json", { paths: [REPO_ROOT] }));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string };
  if (pkg.name !== "node-red" || !fs.existsSync(path.join(dir, "red.js")))
    throw new Error(`${dir} is not a Node-RED installation`);
  return { dir, entry: path.join(dir, "red.js"), version: pkg.version };
}
