// node-red-dev, the tool the Flow Library's scorecard comes from, installed from the npm registry
// into .matrix/ (git-ignored) on first use: its own parser of node definitions, and its `validate`
// command with the one look-up that cannot be made here (the Flow Library catalogue) answered by
// an empty catalogue.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { repoRoot, run } from "./package-tarball";

export const NODE_RED_DEV_VERSION = "0.1.6";
const DIR = path.join(repoRoot, ".matrix", `node-red-dev-${NODE_RED_DEV_VERSION}`);
const PACKAGE = path.join(DIR, "node_modules", "node-red-dev");
const INSTALL_LIMIT_MS = 240_000;

export async function ensureNodeRedDev(): Promise<string> {
  if (!fs.existsSync(path.join(PACKAGE, "package.json"))) {
    fs.mkdirSync(DIR, { recursive: true });
    await run(
      "npm",
      [
        "install",
        "--prefix",
        DIR,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `node-red-dev@${NODE_RED_DEV_VERSION}`,
      ],
      repoRoot,
      INSTALL_LIMIT_MS,
    );
  }
  return PACKAGE;
}

export interface NodeDefinition {
  category?: string;
  defaults?: Record<string, object>;
  credentials?: string[];
  icon?: string;
  color?: string;
  inputs?: number;
  outputs?: number;
}

/**
 * node-red-dev's getNodeDefinitions (src/libs/checknodes.js), run as it is written: the file's own
 * code in a module scope with its own require, plus one line that hands the function out.
 */
export function flowLibraryParser(pkg: string): (htmlFile: string) => Record<string, NodeDefinition> {
  const file = path.join(pkg, "src", "libs", "checknodes.js");
  const source = `${fs.readFileSync(file, "utf8")}\nmodule.exports.getNodeDefinitions = getNodeDefinitions;`;
  const module = { exports: {} as { getNodeDefinitions?: (file: string) => Record<string, NodeDefinition> } };
  const localRequire = (id: string) => require(require.resolve(id, { paths: [path.dirname(file)] })) as unknown; // eslint-disable-line @typescript-eslint/no-require-imports -- node-red-dev's own dependencies (acorn), by its path
  vm.runInThisContext(`(function (require, module, exports, __filename, __dirname) {${source}\n})`, { filename: file })(
    localRequire,
    module,
    module.exports,
    file,
    path.dirname(file),
  );
  const parse = module.exports.getNodeDefinitions;
  if (!parse) throw new Error(`${file} no longer defines getNodeDefinitions`);
  return parse;
}

/** The scorecard `node-red-dev validate -p <dir>` writes, the catalogue look-up answered as empty. */
export async function validatePackage(pkg: string, packageDir: string, outFile: string): Promise<Record<string, any>> {
  const stub = path.join(path.dirname(outFile), "offline-catalogue.js");
  fs.writeFileSync(
    stub,
    [
      "// Offline: the Flow Library catalogue cannot be reached; an empty one stands in for it.",
      `const axios = require(require.resolve("axios", { paths: [${JSON.stringify(pkg)}] }));`,
      "const get = axios.get.bind(axios);",
      'axios.get = (url, ...rest) => url.startsWith("https://catalogue.nodered.org/") ? Promise.resolve({ data: { modules: [] } }) : get(url, ...rest);',
      "",
    ].join("\n"),
  );
  await run(
    process.execPath,
    ["-r", stub, path.join(pkg, "bin", "run"), "validate", "-p", packageDir, "-o", outFile],
    path.dirname(outFile),
    INSTALL_LIMIT_MS,
  );
  return JSON.parse(fs.readFileSync(outFile, "utf8")) as Record<string, any>;
}
