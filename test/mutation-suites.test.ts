// The mutation run (npm run mutation) runs the suites named in .mocharc.mutation.json. A new suite
// is either there or named below with the reason it stays out, so none is left out by oversight
// and the score never stops counting what a new suite kills.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** Suites left out of the mutation run, by folder or file (relative to test/), and why. */
const LEFT_OUT: Record<string, string> = {
  "e2e/": "a packed tarball and a browser or a Node-RED process per run: minutes per mutant",
  "simulator/": "the simulator's own tests: they run no code of src/",
  "faults/child-process.test.ts": "a Node-RED child process per case",
  "shared-cache/topologies.test.ts": "Sentinel and Cluster processes started per run",
  "shared-cache/sentinel.test.ts": "a Sentinel set started per run",
  "shared-cache/two-instances.test.ts": "two Node-RED processes",
  "shared-cache/process-faults.test.ts": "Node-RED processes killed and restarted",
  "rate-limit/shared-rate-limit.test.ts": "two Node-RED processes and a Redis killed and restarted",
  "start.test.ts": "npm start: a Node-RED process and the demo",
  "package.test.ts": "npm pack and the repository's files, not src/",
  "workflows.test.ts": "the CI workflow files",
  "docs.test.ts": "the docs' links and headings",
  "provider-coverage.test.ts": "the repository's lists of providers (simulator, examples, docs)",
  "import-graph.test.ts": "the import graph, read from the sources",
  "simulator-suite.test.ts": "the test frame's own leak sweep",
  "oidc-server.test.ts": "the test authorization server's own checks",
  "nodes/help-providers.test.ts": "the help texts",
  "nodes/editor-rules.test.ts": "the editor's scripts in resources/, which Stryker does not mutate",
  "nodes/dialog-rules.test.ts": "the editor's scripts in resources/, which Stryker does not mutate",
  "nodes/tokens-view.test.ts": "the editor's scripts in resources/, which Stryker does not mutate",
  "nodes/api-pages-editor.test.ts": "the editor's scripts in resources/, which Stryker does not mutate",
  "mutation-suites.test.ts": "this check",
};

function suites(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) return suites(path.join(dir, entry.name), `${relative}/`);
    return entry.name.endsWith(".test.ts") ? [relative] : [];
  });
}

describe("the mutation run's suites", () => {
  const spec = (JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.mutation.json"), "utf8")) as { spec: string[] })
    .spec;
  const all = suites(path.join(ROOT, "test"));
  const leftOut = (suite: string) => Object.keys(LEFT_OUT).some((entry) => suite.startsWith(entry));
  const run = (suite: string) => spec.includes(`dist/test/${suite.replace(/\.ts$/, ".js")}`);

  it("names every suite of test/ or says why it stays out", () => {
    assert.deepEqual(
      all.filter((suite) => !run(suite) && !leftOut(suite)),
      [],
      "add these to .mocharc.mutation.json, or to LEFT_OUT with the reason",
    );
  });

  it("runs no suite that is left out, and names only suites that exist", () => {
    assert.deepEqual(
      all.filter((suite) => run(suite) && leftOut(suite)),
      [],
    );
    const existing = new Set(all.map((suite) => `dist/test/${suite.replace(/\.ts$/, ".js")}`));
    assert.deepEqual(
      spec.filter((file) => !existing.has(file)),
      [],
    );
  });
});
