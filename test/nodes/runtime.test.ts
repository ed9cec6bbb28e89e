// The matrix runs this suite twice; this says which Node-RED and Node.js each run really used.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeRedPath, nodeRedVersion } from "../support/node-red";

describe("runtime under test", () => {
  it("is the Node-RED that NODE_RED_PATH (or the dev dependency) names", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(nodeRedPath), "..", "package.json"), "utf8"));
    assert.equal(pkg.name, "node-red");
    assert.equal(nodeRedVersion().replace(/-git$/, ""), pkg.version);
    const major = Number(pkg.version.split(".")[0]);
    assert.ok(major >= 4, `Node-RED ${pkg.version}`);
    if (major >= 5) assert.ok(Number(process.versions.node.split(".")[0]) >= 22, "Node-RED 5 runs on Node.js 22+");
    console.log(`      Node-RED ${pkg.version} on Node.js ${process.versions.node}`);
  });
});
