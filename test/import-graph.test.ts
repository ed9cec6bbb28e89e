// The runtime's modules form no import circle, and the token module stays a leaf: every module may
// depend on it because it depends on none of ours.
import assert from "node:assert/strict";
import * as path from "node:path";
import { importCycles, importGraph } from "./support/import-graph";

const src = path.join(__dirname, "..", "..", "src");

describe("import graph of src/", () => {
  const graph = importGraph(src);

  it("reads the imports it is meant to check", () => {
    // Guards the reader itself: a type-only import and a re-export are edges too.
    assert.ok(
      graph.get("shared-cache/shared-refresh.ts")?.includes("token-source.ts"),
      "import type { SharedCache } not read",
    );
    assert.ok(graph.get("providers/index.ts")?.includes("providers/types.ts"), "export type * from not read");
    assert.ok(graph.get("nodes/access-token.ts")?.includes("nodes/get-token-node.ts"));
  });

  it("finds a circle when there is one", () => {
    const circular = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    assert.deepEqual(importCycles(circular), [["a.ts", "b.ts", "c.ts", "a.ts"]]);
    assert.deepEqual(
      importCycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
      [],
    );
  });

  it("has no import circle", () => {
    assert.deepEqual(importCycles(graph), []);
  });

  it("keeps the account and the providers free of Node-RED: nothing of src/nodes/ below them", () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      file.startsWith("account/") || file.startsWith("providers/")
        ? imports.filter((target) => target.startsWith("nodes/")).map((target) => `${file} -> ${target}`)
        : [],
    );
    assert.deepEqual(upward, []);
    assert.ok(graph.get("account/account.ts")?.includes("token-source.ts"), "the account's imports not read");
    assert.ok(graph.get("nodes/account-setup.ts")?.includes("account/account.ts"), "the node glue's imports not read");
  });

  it("keeps token.ts a leaf that imports nothing of ours", () => {
    assert.deepEqual(graph.get("token.ts"), []);
  });
});
