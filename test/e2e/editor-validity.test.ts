// What `npm start` deploys, as the editor loads it in a real browser: every node of every example and
// of the demo's own tab is valid (no red triangle, no "not properly configured" warning on Deploy).
// A property's validate that is not a function made Node-RED 4 mark a whole config node invalid.
import assert from "node:assert/strict";
import { combineFlows, loadExamples } from "../../scripts/demo/examples";
import { revokeTab } from "../../scripts/demo/revoke";
import { rewireToSimulator, simulatorCredentials } from "../../scripts/demo/rewire";
import { deployFlows } from "../../scripts/demo/admin-api";
import { ProviderSimulator } from "../simulator";
import { freePort } from "../support/ports";
import { artifactDir, openEditor, reportFailure, skipWithoutBrowser, type Editor } from "./support/browser";
import { NodeRedProcess, nodeRedVersion } from "./support/node-red-process";
import { packTarball } from "./support/package-tarball";
import { createUserDir, removeDir } from "./support/userdir";

interface InvalidNode {
  id: string;
  type: string;
  errors: unknown;
}

describe(`e2e: the demo's nodes load valid in the editor, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(90_000);
  let sim: ProviderSimulator | undefined;
  let userDir: string | undefined;
  let red: NodeRedProcess | undefined;
  let editor: Editor | undefined;
  let deployed = 0;

  before(async function () {
    // Packing builds the package first: slow on a busy machine.
    this.timeout(240_000);
    skipWithoutBrowser(this);
    sim = await ProviderSimulator.start();
    const port = await freePort();
    userDir = await createUserDir(await packTarball(), { port });
    red = new NodeRedProcess(userDir, port);
    await red.start();
    const flows = combineFlows([
      ...loadExamples().map((example) => rewireToSimulator(example.flow, sim!)),
      revokeTab(sim.url),
    ]);
    deployed = flows.filter((node) => node.type !== "tab").length;
    await deployFlows({ url: red.url }, flows, simulatorCredentials(flows, sim));
    editor = await openEditor(red.url);
  });

  afterEach(async function () {
    await reportFailure(this.currentTest, editor, artifactDir(nodeRedVersion()), "validity");
  });

  after(async () => {
    await editor?.close();
    await red?.stop();
    removeDir(userDir);
    await sim?.close();
  });

  it("marks no node of the examples or the demo tab invalid", async () => {
    const seen = await editor!.page.evaluate(() => {
      const RED = (globalThis as any).RED;
      const invalid: InvalidNode[] = [];
      let count = 0;
      const check = (node: any) => {
        count++;
        const errors = node.validationErrors;
        if (node.valid === false || (Array.isArray(errors) && errors.length > 0)) {
          invalid.push({ id: node.id, type: node.type, errors });
        }
      };
      RED.nodes.eachNode(check);
      RED.nodes.eachConfig(check);
      return { count, invalid };
    });
    // Every deployed node was looked at (tabs are neither nodes nor config nodes in the editor).
    assert.equal(seen.count, deployed, "every deployed node checked");
    assert.deepEqual(seen.invalid, []);
    assert.deepEqual(editor!.errors, [], "the editor logged no error");
  });
});
