// When the Test route may use a deployed node's stored secret, in a real runtime against the
// simulator: only for a dialog whose every other property and credential is the deployed node's.
// A changed expression could otherwise answer with the secret (less a letter, so no mask finds it),
// or let it out through a number (a lifetime); a changed client id or URL could send it elsewhere.
import assert from "node:assert/strict";
import { dialogProperties } from "../../src/nodes/comparable-config";
import { providers, type ProviderId } from "../../src/providers";
import { exampleConfig, genericFlow, onSimulator } from "../support/generic-flows";
import { formOf } from "../support/form";
import { pressTest } from "../support/test-button";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { shapesOf } from "../support/secret-shapes";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpRequest)];
const RETYPE = /type the secret again/;

describe("admin routes: a stored secret only with everything else as deployed", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  let answers: string[] = [];

  beforeEach(() => {
    answers = [];
  });
  afterEach(() => {
    const text = answers.join("\n");
    const { homemade, oauth2 } = suite.sim.accounts;
    for (const secret of [homemade.appSecret, oauth2.clientSecret]) {
      // The whole secret in any shape, and any 10 letters of it in a row (a secret less its first letter).
      const parts = Array.from({ length: secret.length - 9 }, (_, i) => secret.slice(i, i + 10));
      for (const part of [...shapesOf(secret), ...parts]) {
        assert.ok(!text.includes(part), `an answer held part of a secret (${part.slice(0, 3)}…)`);
      }
    }
  });

  async function post(body: Record<string, unknown>): Promise<Record<string, any>> {
    const { answer, text } = await pressTest(body);
    answers.push(text);
    return answer;
  }

  /** The custom example's home-made endpoint on the simulator, deployed as `cfg` with its demo account. */
  async function deployCustom(): Promise<Record<string, unknown>> {
    const config = onSimulator(exampleConfig("cfg-custom-homemade"), suite.sim);
    const { appKey, appSecret } = suite.sim.accounts.homemade;
    await helper.load(NODES, genericFlow("custom", config), { cfg: { key: appKey, secret: appSecret } });
    return { ...config, timeout: 10, proxy: "", tls: "" };
  }

  async function deployOAuth2(): Promise<Record<string, unknown>> {
    // As this version's editor saves a new node: API URL and hosts empty (not migrated from an older one).
    const config = {
      tokenUrl: `${suite.sim.url}/oauth2/token`,
      clientAuth: "basic",
      scope: "",
      lifetime: 3600,
      apiUrl: "",
      apiHosts: "",
    };
    const { clientId, clientSecret } = suite.sim.accounts.oauth2;
    await helper.load(NODES, genericFlow("oauth2", config), { cfg: { clientId, clientSecret } });
    return { ...config, audience: "", resource: "", timeout: 10, proxy: "", tls: "" };
  }

  /** What the editor sends for the deployed node: every property as the text of its input, the secret as Node-RED's placeholder. */
  function dialogOf(
    provider: ProviderId,
    deployed: Record<string, unknown>,
    credentials: Record<string, string>,
  ): Record<string, unknown> {
    const adapter = providers[provider];
    const properties = dialogProperties(adapter).map((name) => [name, String(deployed[name] ?? "")]);
    return { id: "cfg", type: adapter.configType, ...Object.fromEntries(properties), credentials };
  }

  const customDialog = (deployed: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...dialogOf("custom", deployed, { key: suite.sim.accounts.homemade.appKey, secret: "__PWRD__" }),
    ...extra,
  });

  it("a dialog that changed nothing (its values as text, the URL with spaces) is tested with the stored secret", async () => {
    const deployed = await deployCustom();
    const answer = await post(customDialog(deployed, { tokenUrl: ` ${String(deployed.tokenUrl)} ` }));
    assert.equal(answer.ok, true, answer.message);
    assert.equal(suite.sim.count("homemade.token"), 1);
  });

  it("OAuth2: a dialog that changed nothing is tested with the stored secret", async () => {
    const oauth2 = await deployOAuth2();
    const { clientId } = suite.sim.accounts.oauth2;
    const unchanged = await post(dialogOf("oauth2", oauth2, { clientId, clientSecret: "__PWRD__" }));
    assert.equal(unchanged.ok, true, unchanged.message);
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });

  it("an error message that answers with the stored secret less its first letter: type the secret again, the vendor not asked", async () => {
    const deployed = await deployCustom();
    const attack = { ok: "false", errorCode: '"X"', errorMessage: "$substring($secret, 1)" };
    const answer = await post(customDialog(deployed, attack));
    assert.equal(answer.ok, false);
    assert.match(answer.message, RETYPE);
    assert.equal(answer.code, undefined);
    assert.equal(suite.sim.count("homemade.token"), 0, "the stored secret went nowhere");
  });

  it("a lifetime computed from the stored secret (a numeric side channel): type the secret again", async () => {
    const deployed = await deployCustom();
    const first = suite.sim.accounts.homemade.appSecret.charAt(0);
    const answer = await post(
      customDialog(deployed, { expiresIn: `$substring($secret, 0, 1) = "${first}" ? 7200 : 60` }),
    );
    assert.equal(answer.ok, false);
    assert.match(answer.message, RETYPE);
    assert.equal(answer.expiresIn, undefined);
    assert.equal(suite.sim.count("homemade.token"), 0);
  });

  it("any one property or the key changed, the stored secret is not used; typed again, the test runs", async () => {
    const deployed = await deployCustom();
    const { byName } = formOf(providers.custom);
    for (const name of dialogProperties(providers.custom)) {
      const value = byName[name]?.input.kind === "select" ? "GET" : name === "tokenUrl" ? `${suite.sim.url}/x` : "7";
      const answer = await post(customDialog(deployed, { [name]: value }));
      assert.match(answer.message ?? "", RETYPE, `${name} = ${value}`);
    }
    const { appKey, appSecret } = suite.sim.accounts.homemade;
    const otherKey = await post(customDialog(deployed, { credentials: { key: `${appKey}-2`, secret: "__PWRD__" } }));
    assert.match(otherKey.message, RETYPE);
    assert.equal(suite.sim.count("homemade.token"), 0, "the stored secret went nowhere");
    const typed = await post(
      customDialog(deployed, { lifetime: "7", credentials: { key: appKey, secret: appSecret } }),
    );
    assert.equal(typed.ok, true, typed.message);
    assert.equal(suite.sim.count("homemade.token"), 1);
  });

  it("OAuth2: a changed scope, audience, resource, lifetime, client authentication or client id needs the secret typed again", async () => {
    const deployed = await deployOAuth2();
    const { clientId } = suite.sim.accounts.oauth2;
    const changes: Array<[string, Record<string, unknown>]> = [
      ["scope", { scope: "read" }],
      ["audience", { audience: "https://api.example" }],
      ["resource", { resource: "https://api.example" }],
      ["lifetime", { lifetime: "60" }],
      ["clientAuth", { clientAuth: "body" }],
      ["clientId", { credentials: { clientId: `${clientId}-2`, clientSecret: "__PWRD__" } }],
    ];
    for (const [name, change] of changes) {
      const answer = await post({ ...dialogOf("oauth2", deployed, { clientId, clientSecret: "__PWRD__" }), ...change });
      assert.match(answer.message ?? "", RETYPE, name);
    }
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });
});
