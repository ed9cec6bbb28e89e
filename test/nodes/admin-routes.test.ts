// The credentials nodes' admin routes in a real runtime against the simulator: the Test button's
// request with what a dialog holds (before deploy) or with a deployed node, a secret the dialog did
// not change taken from the server, the same error text a Catch node gets, and the state route.
// Neither answer ever holds a token or a secret. (Who may call them: test/e2e/admin-auth.test.ts.)
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_ROOT } from "../../src/admin-api";
import { basicFlow, demoCredentials, nextMessage } from "../support/flows";
import { freePort } from "../support/ports";
import { pressTest } from "../support/test-button";
import { accessTokenNodes, CORE, coreNode, helper, translationFails } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("admin routes: Test button and credentials state", function () {
  this.timeout(20_000);
  // Every admin answer is handed to the frame's sweep: none may hold a token or a secret.
  const suite = simulatorSuite();

  async function post(body: Record<string, unknown>): Promise<Record<string, any>> {
    const { answer, text } = await pressTest(body);
    suite.remember(text);
    return answer;
  }

  async function state(id: string): Promise<Record<string, any>> {
    const res = await helper.request().get(`${ADMIN_ROOT}/${id}/state`).expect(200);
    suite.remember(res.text);
    return res.body;
  }

  const dialog = (credentials: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    type: "oneaccess-credentials",
    baseUrl: suite.sim.url,
    timeout: 10,
    credentials,
    ...extra,
  });

  it("tests what the dialog holds, before any deploy: success with the expiry, and no token in the answer", async () => {
    await helper.load(NODES, []);
    const answer = await post(dialog(demoCredentials(suite.sim, "oneaccess")));
    assert.equal(answer.ok, true);
    assert.equal(answer.vendor, "OneAccess");
    assert.ok(answer.expiresIn > 1700 && answer.expiresIn <= 1800, String(answer.expiresIn));
    assert.ok(answer.expiresAt > Date.now());
    assert.deepEqual(Object.keys(answer).sort(), ["expiresAt", "expiresIn", "ok", "vendor"]);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
  });

  it("a wrong secret: the text a Catch node would get, with the vendor's code", async () => {
    await helper.load(NODES, []);
    const answer = await post(dialog({ ...demoCredentials(suite.sim, "oneaccess"), clientSecret: "wrong-secret-1" }));
    assert.equal(answer.ok, false);
    assert.equal(answer.code, "invalid_client");
    assert.match(answer.message, /^OneAccess/);
    assert.ok(!answer.message.includes("wrong-secret-1"));
  });

  it("an unreachable host: says what to check", async () => {
    await helper.load(NODES, []);
    const closedPort = await freePort();
    const answer = await post(
      dialog(demoCredentials(suite.sim, "oneaccess"), { baseUrl: `http://127.0.0.1:${closedPort}` }),
    );
    assert.equal(answer.ok, false);
    assert.match(answer.message, /refused the connection/);
  });

  it("a failure where nothing is expected to fail answers 500 with the text of an unexpected failure", async () => {
    const failing = new Set(["errors.connection-refused"]);
    await helper.load([(RED: Record<string, unknown>) => accessTokenNodes(translationFails(RED, failing))], []);
    const closedPort = await freePort();
    const res = await helper
      .request()
      .post(`${ADMIN_ROOT}/test`)
      .timeout(5_000) // answered, not left hanging
      .send(dialog(demoCredentials(suite.sim, "oneaccess"), { baseUrl: `http://127.0.0.1:${closedPort}` }))
      .expect(500);
    suite.remember(res.text);
    assert.deepEqual(res.body, {
      ok: false,
      message: "access-token: unexpected failure: cannot render errors.connection-refused",
    });
  });

  it("a secret the dialog did not change is taken from the deployed node, never sent to the browser", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    const { clientId } = demoCredentials(suite.sim, "oneaccess");
    const answer = await post(dialog({ clientId, clientSecret: "__PWRD__" }, { id: "cfg" }));
    assert.equal(answer.ok, true, answer.message);
    const without = await post(dialog({ clientId, clientSecret: "__PWRD__" }));
    assert.equal(without.ok, false, "without the deployed node there is no stored secret");
    assert.match(without.message, /Client secret|clientSecret/i);
  });

  it("a stored secret is sent only where the node was deployed to send it: another URL needs it typed again", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    const { clientId, clientSecret } = demoCredentials(suite.sim, "oneaccess");
    let asked = 0;
    const elsewhere = http.createServer((req, res) => {
      asked += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    try {
      const otherUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      const refused = await post(dialog({ clientId, clientSecret: "__PWRD__" }, { id: "cfg", baseUrl: otherUrl }));
      assert.equal(refused.ok, false);
      assert.match(refused.message, /type the secret again/);
      const viaProxy = await post(dialog({ clientId, clientSecret: "__PWRD__" }, { id: "cfg", proxy: "a-proxy-node" }));
      assert.match(viaProxy.message, /type the secret again/);
      assert.equal(asked, 0, "the stored secret went nowhere");
      const retyped = await post(dialog({ clientId, clientSecret }, { id: "cfg", baseUrl: otherUrl }));
      assert.equal(retyped.ok, false);
      assert.equal(asked, 1, "a typed secret is tested wherever the dialog says");
      // The deployed URL written as ${NAME}, as Node-RED substitutes it on deploy: the same destination.
      process.env.ACCESS_TOKEN_ADMIN_TEST_URL = suite.sim.url;
      const viaEnvironment = await post(
        dialog({ clientId, clientSecret: "__PWRD__" }, { id: "cfg", baseUrl: "${ACCESS_TOKEN_ADMIN_TEST_URL}" }),
      );
      assert.equal(viaEnvironment.ok, true, viaEnvironment.message);
    } finally {
      delete process.env.ACCESS_TOKEN_ADMIN_TEST_URL;
      elsewhere.close();
    }
  });

  it("tests the deployed node through its cache, and leaves the flows' token alone when testing a dialog", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    assert.equal((await post({ id: "cfg" })).ok, true);
    assert.equal((await post({ id: "cfg" })).ok, true);
    assert.equal(suite.sim.count("oneaccess.token"), 1, "the second test answered from the node's cache");
    await post(dialog(demoCredentials(suite.sim, "oneaccess"), { id: "cfg" }));
    assert.equal(suite.sim.count("oneaccess.token"), 2, "a dialog test asks the vendor itself");
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    assert.equal(suite.sim.count("oneaccess.token"), 2, "the flow used the deployed node's token, not the probe's");
  });

  it("the state: no token, then a token from the vendor with its expiry, then the last error", async () => {
    await helper.load(NODES, basicFlow("oneaccess", suite.sim.url), { cfg: demoCredentials(suite.sim, "oneaccess") });
    assert.deepEqual(await state("cfg"), {
      provider: "oneaccess",
      vendor: "OneAccess",
      tokenHeld: false,
      sharedCache: "off",
    });
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    const held = await state("cfg");
    assert.equal(held.tokenHeld, true);
    assert.equal(held.origin, "vendor");
    assert.ok(held.expiresAt > Date.now());
    suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
    const caught = nextMessage("caught");
    helper.getNode("get").receive({ refreshToken: true });
    const error = (await caught).error.message;
    assert.equal((await state("cfg")).lastError, error, "the same text the Catch node got");
    await helper.request().get(`${ADMIN_ROOT}/nope/state`).expect(404);
  });
});
