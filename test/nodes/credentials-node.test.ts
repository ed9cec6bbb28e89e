// The credentials config nodes in a real Node-RED runtime against the simulator: which fields the
// credential store keeps as passwords, a node that cannot work naming the dialog's label of what to
// fix (in its state and at Catch), and what it logs once: a failed early refresh while the held
// token still works, and a vendor lifetime over a day.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { ADMIN_ROOT } from "../../src/admin-api";
import { providers } from "../../src/providers";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { EXPRESSION_TIMEOUT_SETTING } from "../../src/providers/expression-limits";
import {
  at,
  basicFlow,
  configNode,
  delay,
  demoCredentials,
  getTokenNode,
  nextMessage,
  statuses,
  until,
} from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("credentials nodes", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  async function state(id = "cfg"): Promise<Record<string, any>> {
    return (await helper.request().get(`${ADMIN_ROOT}/${id}/state`).expect(200)).body;
  }

  /** Deploy get token on a credentials node of this provider with these properties and credentials. */
  async function deploy(
    provider: keyof typeof providers,
    properties: Record<string, unknown>,
    credentials: Record<string, string>,
  ) {
    const flow = [
      { id: "tab1", type: "tab", label: "one" },
      configNode(provider, suite.sim.url, "cfg", properties),
      getTokenNode({ provider }),
      { id: "out", type: "helper", z: "tab1", ...at() },
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
    await helper.load(NODES, flow, { cfg: credentials });
  }

  async function caughtError(): Promise<string> {
    const caught = nextMessage("caught");
    helper.getNode("get").receive({});
    return (await caught).error.message as string;
  }

  it("keeps each provider's secrets as passwords and its other credential fields as text", async () => {
    await helper.load(NODES, [], {});
    for (const adapter of Object.values(providers)) {
      const definition = helper._redNodes.getCredentialDefinition(adapter.configType) as Record<
        string,
        { type: string }
      >;
      const expected = Object.fromEntries(
        adapter.credentialFields.map((field) => [
          field,
          { type: adapter.secretFields.includes(field) ? "password" : "text" },
        ]),
      );
      assert.deepEqual(definition, expected, adapter.configType);
      assert.ok(
        adapter.secretFields.length > 0 && adapter.secretFields.every((field) => definition[field].type === "password"),
      );
    }
  });

  it("a credential left empty: named by its label in the state and at Catch, no request", async () => {
    await deploy("oneaccess", {}, { clientId: "c" });
    const { lastError, tokenHeld, sharedCache } = await state();
    assert.equal(
      lastError,
      "OneAccess: the credentials node has no Client secret. Open the credentials node and fill it in.",
    );
    assert.equal(tokenHeld, false);
    assert.equal(sharedCache, undefined, "a node that cannot work has no cache to describe");
    assert.equal(await caughtError(), lastError);
    assert.equal(suite.sim.count("oneaccess.token"), 0);
  });

  it("a bad property of the provider is named by its label; the token URL by the common one", async () => {
    const oauth2 = { clientId: "c", clientSecret: "s" };
    await deploy("oauth2", { tokenUrl: `${suite.sim.url}/oauth2/token`, clientAuth: "jwt" }, oauth2);
    assert.match(
      (await state()).lastError,
      /the value "jwt" of Client authentication in the credentials node is not valid/,
    );
    await helper.unload();
    await deploy("oauth2", { tokenUrl: "" }, oauth2);
    assert.match(await caughtError(), /^OAuth2: the credentials node has no Token URL\./);
  });

  it("an expression that fails when the token is fetched is named by its label too", async () => {
    await deploy(
      "custom",
      { tokenUrl: `${suite.sim.url}/homemade/token`, token: "body.token", request: `$error("no")` },
      { key: "k", secret: "s" },
    );
    assert.match(await caughtError(), /^Custom token: the JSONata expression Request failed: D3137: no\./);
    assert.equal(suite.sim.count("homemade.token"), 0);
  });

  it("a redeploy while an expression runs (a minute's budget) stops it at its next step", async () => {
    helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: 60_000 });
    const tailRecursion = "($f := function($x){ $f($x + 1) }; $f(0))";
    await deploy(
      "custom",
      { tokenUrl: `${suite.sim.url}/homemade/token`, token: "body.token", request: tailRecursion },
      { key: "k", secret: "s" },
    );
    helper.getNode("get").receive({});
    await until("the token request", () => statuses("get").some((status) => status.fill === "yellow"));
    await helper.unload();
    // Told by CPU time, not by a clock: an expression still running takes the CPU it gets (half a
    // core or more, even beside other work); a stopped one leaves this process idle.
    const before = process.cpuUsage();
    const started = performance.now();
    await delay(1_000);
    const { user, system } = process.cpuUsage(before);
    const busy = (user + system) / 1000 / (performance.now() - started);
    assert.ok(busy < 0.25, `the expression went on after the deploy: ${Math.round(busy * 100)}% of a core`);
    assert.equal(suite.sim.count("homemade.token"), 0);
  });

  it("a field the vendor's answer lacks is named as the vendor names it, not as a dialog label", async () => {
    await deploy("oneaccess", {}, demoCredentials(suite.sim, "oneaccess"));
    suite.sim.fail("oneaccess.token", { kind: "missing-fields" });
    assert.equal(await caughtError(), "OneAccess answered HTTP 200 without a token in access_token.");
  });

  it("a failed early refresh: the held token still answers, and the failure is logged once as a warning", async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    try {
      suite.sim.setTokenLifetime("oneaccess", 1800);
      await helper.load(NODES, basicFlow("oneaccess", suite.sim.url, { margin: 300 }), {
        cfg: demoCredentials(suite.sim, "oneaccess"),
      });
      const first = nextMessage("out");
      helper.getNode("get").receive({});
      const held = (await first).token;
      clock.tick(1600_000); // 200 s left: inside the margin, still valid
      suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
      const warnings = logged("warn").length;
      const second = nextMessage("out");
      helper.getNode("get").receive({});
      assert.equal((await second).token, held);
      const added = logged("warn").slice(warnings);
      assert.equal(added.length, 1, added.join("\n"));
      assert.match(added[0], /OneAccess.*503/);
      assert.match((await state()).lastError, /503/);
    } finally {
      clock.restore();
    }
  });

  it("a vendor lifetime over a day: used for a day, and said once with the vendor's value", async () => {
    suite.sim.setTokenLifetime("oneaccess", 7_200_000);
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    const capped = logged("warn").filter((line) => /more than a day/.test(line));
    assert.deepEqual(capped, [
      "OneAccess said its token lives 7200000 s, more than a day: that looks like milliseconds. The token is used for one day at most; check the vendor's expires_in.",
    ]);
    const { expiresAt } = await state();
    assert.ok(expiresAt <= Date.now() + 86_400_000 && expiresAt > Date.now() + 86_000_000, String(expiresAt));
  });
});
