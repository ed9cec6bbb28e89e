// The two generic providers in the api request node, in a real runtime against the simulator:
// OAuth2 with a path resolved on the token URL's origin and a revoked token refreshed once; the
// custom provider's own auth header (X-Access-Token) on the call.
import assert from "node:assert/strict";
import { apiRequestNode, at, nextMessage } from "../support/flows";
import { exampleConfig, onSimulator } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import { providers, type ProviderId } from "../../src/providers";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("api request with the generic providers", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  async function load(
    provider: ProviderId,
    config: Record<string, unknown>,
    keys: Record<string, string>,
    url: string,
  ) {
    await helper.load(
      NODES,
      [
        { id: "tab1", type: "tab", label: "api" },
        { name: "", proxy: "", tls: "", timeout: 10, ...config, id: "cfg", type: providers[provider].configType },
        apiRequestNode({ provider, url }),
        { id: "out", type: "helper", z: "tab1", ...at() },
        { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
        { id: "caught", type: "helper", z: "tab1", ...at() },
      ],
      { cfg: keys },
    );
  }

  async function call(): Promise<Record<string, any>> {
    const out = nextMessage("out");
    helper.getNode("api").receive({});
    return out;
  }

  it("oauth2: a path on the token URL's origin, with the bearer token; a revoked token is refreshed once", async () => {
    const keys = { clientId: suite.sim.accounts.oauth2.clientId, clientSecret: suite.sim.accounts.oauth2.clientSecret };
    await load("oauth2", { tokenUrl: `${suite.sim.url}/oauth2/token`, scope: "read" }, keys, "/oauth2/api/things");
    const first = await call();
    assert.equal(first.statusCode, 200);
    assert.ok(Array.isArray(first.payload.things) && first.payload.things.length > 0);
    assert.equal(first.responseUrl, `${suite.sim.url}/oauth2/api/things`);
    suite.sim.expireTokens("oauth2");
    const again = await call();
    assert.equal(again.statusCode, 200, "sent again with a new token");
    assert.equal(suite.sim.count("oauth2.token"), 2);
    assert.equal(suite.sim.count("oauth2.api"), 3, "one call, then one refused and sent again");
  });

  it("custom: the call carries the provider's own auth header and value", async () => {
    const keys = { key: suite.sim.accounts.homemade.appKey, secret: suite.sim.accounts.homemade.appSecret };
    await load("custom", onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim), keys, "/openapi/v3/devices");
    const answer = await call();
    assert.equal(answer.statusCode, 200, JSON.stringify(answer.payload));
    assert.ok(Array.isArray(answer.payload.result.devices));
    assert.equal(suite.sim.count("homemade.token"), 1);
  });
});
