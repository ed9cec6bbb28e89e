// The example flows in examples/: what Node-RED lists under Import > Examples, read as data for the
// demo (npm start) and the tests. One file is one flow (one tab plus its credentials nodes).
import * as fs from "node:fs";
import * as path from "node:path";
import { providers, type ProviderId } from "../../src/providers";

export type FlowNode = Record<string, any> & { id: string; type: string };

export interface Example {
  /** The menu entry under Import > Examples: the file name without ".json". */
  title: string;
  file: string;
  flow: FlowNode[];
}

/** dist/scripts/demo/examples.js -> the repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");

export type { ProviderId };

/** The provider whose credentials config node `node` is, if it is one. */
export function providerOf(node: FlowNode): ProviderId | undefined {
  return Object.values(providers).find((adapter) => adapter.configType === node.type)?.id;
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const flow = JSON.parse(fs.readFileSync(file, "utf8")) as FlowNode[];
      if (!Array.isArray(flow)) throw new Error(`${name}: an example is a JSON array of nodes`);
      return { title: name.slice(0, -".json".length), file, flow };
    });
}

/**
 * All examples as one flow file, as if a user imported one after another. Each example brings its
 * own nodes, credentials nodes included, under ids no other example uses: Node-RED asks "already
 * exist" on an import that reuses an id, so a shared id is a mistake in the examples.
 */
export function combineFlows(flows: FlowNode[][]): FlowNode[] {
  const seen = new Set<string>();
  for (const node of flows.flat()) {
    if (seen.has(node.id)) throw new Error(`two nodes share the id ${node.id}`);
    seen.add(node.id);
  }
  return flows.flat();
}
