// What `npm start` deploys, as the editor loads it in a real browser: every node of every example and
// of the demo's own tab is valid (no red triangle, no "not properly configured" warning on Deploy).
// A property's validate that is not a function made Node-RED 4 mark a whole config node invalid.
import assert from "node:assert/strict";
import { combineFlows, loadExamples } from "../../scripts/demo/examples";
import { revokeTab } from "../../scripts/demo/revoke";
import { rewireToSimulator, simulatorCredentials } from "../../scripts/demo/rewire";
import { deployFlows } from "../../scripts/demo/admin-api";
import { ProviderSimulator } from "../simulator";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";

interface InvalidNode {
  id: string;
  type: string;
  errors: unknown;
}

describe(`e2e: the demo's nodes load valid in the editor, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(90_000);
  let deployed = 0;
  const session = e2eSession({
    server: () => ProviderSimulator.start(),
    deploy: async ({ server, red }) => {
      const flows = combineFlows([
        ...loadExamples().map((example) => rewireToSimulator(example.flow, server)),
        revokeTab(server.url),
      ]);
      deployed = flows.filter((node) => node.type !== "tab").length;
      await deployFlows({ url: red.url }, flows, simulatorCredentials(flows, server));
    },
    failurePrefix: "validity",
  });

  it("marks no node of the examples or the demo tab invalid", async () => {
    const seen = await session.editor.page.evaluate(() => {
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
    assert.deepEqual(session.editor.errors, [], "the editor logged no error");
  });
});
