// The Tokens sidebar's side of the runtime, in a real runtime against the simulator: every deployed
// credentials node's state in one answer, a forced refresh of one node's token, which permission
// guards which route, and the comms messages that say a node's state changed (only its id and the
// kind of change; one per change, never one per message). Neither answer holds a token or a secret.
import assert from "node:assert/strict";
import { ADMIN_ROOT, STATE_TOPIC } from "../../src/admin-api";
import { STATE_PERMISSIONS, TEST_PERMISSIONS } from "../../src/admin-api";
import { basicFlow, configNode, demoCredentials, nextMessage, nextMessages, secretsOf, until } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper, runtimeEvents, translationFails } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const BURST = 1000;

interface Published {
  topic: string;
  data: unknown;
  retain: unknown;
}

describe("sidebar routes and state changes over comms", function () {
  this.timeout(30_000);
  // Registered before the suite frame's own afterEach (which unloads and resets the simulator), so
  // the leak check still sees every token the simulator issued.
  afterEach(() => {
    runtimeEvents.off("comms", onComms);
    const text = [...answers, ...published.map((event) => JSON.stringify(event))].join("\n");
    for (const secret of [...secretsOf(suite.sim), ...suite.sim.issuedTokens()]) {
      assert.ok(!text.includes(secret), "an answer or a comms message held a token or a secret");
    }
  });
  const suite = simulatorSuite();
  let answers: string[] = [];
  let published: Published[] = [];
  /** The permissions of whoever calls the routes; undefined: every permission (no adminAuth). */
  let granted: ReadonlySet<string> | undefined;
  /** The keys RED._ cannot render (none unless a test says so). */
  const failing = new Set<string>();
  const onComms = (event: Published) => {
    if (event.topic === STATE_TOPIC) published.push(event);
  };

  /**
   * The node module with Node-RED's permission check in place of the test helper's, which lets every
   * request through: a route answers 403 unless the caller holds the one permission each guard names.
   */
  const guardedNodes = (RED: Record<string, any>) =>
    accessTokenNodes(
      Object.assign(translationFails(RED, failing), {
        auth: {
          needsPermission: (permission: string) => (_req: unknown, res: any, next: () => void) =>
            !granted || granted.has(permission) ? next() : res.status(403).json({}),
        },
      }),
    );
  const NODES = [guardedNodes, coreNode(CORE.catch)];

  const flow = () => [
    ...basicFlow("oneaccess", suite.sim.url),
    configNode("enos", suite.sim.url, "cfg-enos", { name: "EnOS" }),
  ];
  const credentials = () => ({
    cfg: demoCredentials(suite.sim, "oneaccess"),
    "cfg-enos": demoCredentials(suite.sim, "enos"),
  });

  beforeEach(async () => {
    answers = [];
    published = [];
    granted = undefined;
    failing.clear();
    runtimeEvents.on("comms", onComms);
    await helper.load(NODES, flow(), credentials());
  });

  async function call(method: "get" | "post", path: string, status: number): Promise<Record<string, any>> {
    const res = await helper.request()[method](`${ADMIN_ROOT}${path}`).send({}).expect(status);
    answers.push(res.text);
    return res.body;
  }

  const changes = () => published.map((event) => event.data as { id: string; change: string });

  it("answers every deployed credentials node's state in one request, each as the state route answers it", async () => {
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    await out;
    const states = await call("get", "/states", 200);
    assert.deepEqual(Object.keys(states).sort(), ["cfg", "cfg-enos"], "the credentials nodes, no other node");
    for (const id of ["cfg", "cfg-enos"]) assert.deepEqual(states[id], await call("get", `/${id}/state`, 200));
    assert.equal(states.cfg.tokenHeld, true);
    assert.equal(states.cfg.origin, "vendor");
    assert.equal(states["cfg-enos"].tokenHeld, false);
    assert.equal(states["cfg-enos"].provider, "enos");
  });

  it("refresh: a new token although the held one is valid, answered like the Test route; a failure as Catch gets it", async () => {
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    const first = (await out).token as string;
    const refreshed = await call("post", "/cfg/refresh", 200);
    assert.equal(refreshed.ok, true);
    assert.equal(refreshed.vendor, "OneAccess");
    assert.ok(refreshed.expiresAt > Date.now());
    assert.deepEqual(Object.keys(refreshed).sort(), ["expiresAt", "expiresIn", "ok", "vendor"]);
    assert.equal(suite.sim.count("oneaccess.token"), 2, "the vendor was asked again");
    const next = nextMessage("out");
    helper.getNode("get").receive({});
    assert.notEqual((await next).token, first, "the flow now uses the new token");

    suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
    const failed = await call("post", "/cfg/refresh", 200);
    assert.equal(failed.ok, false);
    const caught = nextMessage("caught");
    helper.getNode("get").receive({ refreshToken: true });
    assert.equal(failed.message, (await caught).error.message, "the text a Catch node gets");
    assert.equal((await call("get", "/states", 200)).cfg.lastError, failed.message);

    for (const id of ["nope", "get"]) {
      const missing = await call("post", `/${id}/refresh`, 404);
      assert.match(missing.message, /not deployed/, `${id}: not a deployed credentials node`);
    }
  });

  it("refresh: a failure where nothing is expected to fail answers 500 with the text of an unexpected failure", async () => {
    suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
    failing.add("errors.server-error");
    const res = await helper
      .request()
      .post(`${ADMIN_ROOT}/cfg/refresh`)
      .timeout(5_000) // answered, not left hanging
      .send({})
      .expect(500);
    answers.push(res.text);
    assert.deepEqual(res.body, {
      ok: false,
      message: "access-token: unexpected failure: cannot render errors.server-error",
    });
  });

  it("reading needs access-token.read; a refresh needs both access-token.write and flows.write", async () => {
    assert.deepEqual(STATE_PERMISSIONS, ["access-token.read"]);
    assert.deepEqual([...TEST_PERMISSIONS].sort(), ["access-token.write", "flows.write"]);
    granted = new Set(["access-token.read"]);
    await call("get", "/states", 200);
    await call("post", "/cfg/refresh", 403);
    granted = new Set(["access-token.write"]);
    await call("post", "/cfg/refresh", 403);
    granted = new Set(["flows.write"]);
    await call("post", "/cfg/refresh", 403);
    await call("get", "/states", 403);
    assert.equal(suite.sim.count("oneaccess.token"), 0, "a refused refresh asks the vendor nothing");
    granted = new Set(["access-token.write", "flows.write"]);
    assert.equal((await call("post", "/cfg/refresh", 200)).ok, true);
  });

  it("publishes only the id and the change: started, one token for a burst of messages, one error, closed", async () => {
    assert.deepEqual(changes(), [
      { id: "cfg", change: "started" },
      { id: "cfg-enos", change: "started" },
    ]);
    assert.ok(
      published.every((event) => event.retain === false),
      "not retained",
    );
    published = [];
    const outs = nextMessages("out", BURST);
    for (let i = 0; i < BURST; i++) helper.getNode("get").receive({});
    await outs;
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.deepEqual(changes(), [{ id: "cfg", change: "token" }], `${BURST} messages, one token, one message`);

    published = [];
    suite.sim.fail("oneaccess.token", { kind: "status", status: 503 });
    const caught = nextMessages("caught", BURST);
    for (let i = 0; i < BURST; i++) helper.getNode("get").receive({ refreshToken: true });
    await caught;
    assert.deepEqual(changes(), [{ id: "cfg", change: "error" }], "one failed request, one message");

    published = [];
    await helper.unload();
    await until("both closed", () => published.length === 2);
    assert.deepEqual(
      changes().sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: "cfg", change: "closed" },
        { id: "cfg-enos", change: "closed" },
      ],
    );
  });

  it("the Test route's one-off token is no change of the deployed node: nothing is published", async () => {
    published = [];
    const answer = await helper
      .request()
      .post(`${ADMIN_ROOT}/test`)
      .send({ id: "cfg", type: "oneaccess-credentials", baseUrl: suite.sim.url, timeout: 10, credentials: {} })
      .expect(200);
    answers.push(answer.text);
    assert.equal(answer.body.ok, true, answer.body.message);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.deepEqual(changes(), []);
    assert.equal((await call("get", "/states", 200)).cfg.tokenHeld, false, "the deployed node holds no token");
  });
});
