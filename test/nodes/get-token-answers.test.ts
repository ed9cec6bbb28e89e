// Which messages a get token node answers from the token its credentials node holds, in a real
// Node-RED runtime against the simulator: a node with a setting it refuses never does (even when
// another node filled the cache), and a message answered at once from the cache is completed as
// one answered after a token request (Complete nodes see both).
import assert from "node:assert/strict";
import { simulatorSuite } from "../support/simulator-suite";
import { at, configNode, demoCredentials, getTokenNode, nextMessage, nextMessages } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.complete)];

describe("get token node: answers from the cache", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  /** get -> out and get2 -> out2 on one credentials node; Catch -> caught; Complete(get) -> completed. */
  async function deploy(get2: Record<string, unknown> = {}): Promise<void> {
    const flow = [
      { id: "tab1", type: "tab", label: "one" },
      configNode("oneaccess", suite.sim.url),
      getTokenNode({ provider: "oneaccess" }),
      { ...getTokenNode({ provider: "oneaccess", id: "get2", wires: [["out2"]] }), ...get2 },
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "out2", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
      { id: "complete", type: "complete", z: "tab1", scope: ["get"], wires: [["completed"]], ...at() },
      { id: "completed", type: "helper", z: "tab1", ...at() },
    ];
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
  }

  it("a node whose context key it refuses goes to Catch even while another node's token is held", async () => {
    await deploy({ key: "tokens[" });
    const fetched = nextMessage("out");
    helper.getNode("get").receive({});
    assert.ok((await fetched).token, "get holds a token");
    for (let i = 0; i < 2; i++) {
      const caught = nextMessage("caught");
      helper.getNode("get2").receive({ n: i });
      const error = (await caught).error;
      assert.equal(
        error.message,
        'OneAccess: the context key "tokens[" is not a valid property name (use letters, digits, _ and ., e.g. accessToken). Fix the key in the get token node.',
      );
      assert.equal(error.source.id, "get2");
    }
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("a message answered from the cache completes, as one answered after a token request", async () => {
    await deploy();
    const completed = nextMessages("completed", 2);
    const first = nextMessage("out");
    helper.getNode("get").receive({ n: 1 });
    await first;
    const second = nextMessage("out");
    helper.getNode("get").receive({ n: 2 });
    await second;
    assert.deepEqual(
      (await completed).map((msg) => msg.n),
      [1, 2],
    );
    assert.equal(suite.sim.count("oneaccess.token"), 1, "the second message was answered from the cache");
  });
});
