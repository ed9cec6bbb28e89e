// A credentials node's rate limit and busy "wait" in a real Node-RED runtime against the simulator
// over real HTTP, the simulator holding a strict limit per account (429 above it): 1,000 messages
// over 5 api request nodes on one credentials node get 0 answers of 429 (the same burst without the
// limit earns 429s); each node's calls reach the vendor in the order of its messages; a full queue
// goes to Catch; the status shows the queue; a bad setting stops the node on deploy; busy "wait"
// rides out a 429 for every node of the account, and past maxWait the error goes to Catch; a
// redeploy while calls wait leaves no timer.
import assert from "node:assert/strict";
import {
  apiRequestNode,
  at,
  configNode,
  demoCredentials,
  delay,
  nextMessage,
  nextMessages,
  statuses,
  until,
} from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";
import { THINGS_PATH } from "./rate-flows";
import type { ProviderId } from "../../src/providers";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const API_PATHS: Partial<Record<ProviderId, string>> = {
  oauth2: THINGS_PATH,
  orionstar: "/v1/robot/robot_list",
};

/** Every timer pending in this process (compared with the count after a flow that made one call). */
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("rate limit and busy vendors (api request node)", function () {
  this.timeout(60_000);
  const suite = simulatorSuite();

  /** `count` api request nodes api1..apiN -> out1..outN on one credentials node, and a Catch. */
  function flow(
    provider: ProviderId,
    count: number,
    rate: Record<string, unknown>,
    node: Record<string, unknown> = {},
  ) {
    const url = API_PATHS[provider];
    const baseUrl = provider === "oauth2" ? `${suite.sim.url}/oauth2/token` : suite.sim.url;
    const extra = provider === "oauth2" ? { tokenUrl: baseUrl, apiUrl: suite.sim.url, ...rate } : rate;
    const nodes: Record<string, unknown>[] = [];
    for (let i = 1; i <= count; i++) {
      nodes.push({ ...apiRequestNode({ id: `api${i}`, provider, url, wires: [[`out${i}`]] }), ...node });
      nodes.push({ id: `out${i}`, type: "helper", z: "tab1", ...at() });
    }
    return [
      { id: "tab1", type: "tab", label: "rate" },
      configNode(provider, baseUrl, "cfg", extra),
      ...nodes,
      { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
      { id: "caught", type: "helper", z: "tab1", ...at() },
    ];
  }

  async function load(provider: ProviderId, count: number, rate: Record<string, unknown>, node = {}) {
    await helper.load(NODES, flow(provider, count, rate, node), { cfg: demoCredentials(suite.sim, provider) });
  }

  it("holds the limit for 1,000 messages over 5 nodes: all answered, none with 429", async () => {
    suite.sim.rateLimit("oauth2", { calls: 100, periodMs: 500 });
    await load("oauth2", 5, { rateLimit: 100, ratePeriod: 0.5, maxQueue: 1000 });
    const outs = [1, 2, 3, 4, 5].map((i) => nextMessages(`out${i}`, 200, 30_000));
    for (let seq = 0; seq < 200; seq++)
      for (let i = 1; i <= 5; i++) helper.getNode(`api${i}`).receive({ query: { node: i, seq }, seq });
    const answered = await Promise.all(outs);
    for (const messages of answered) {
      assert.deepEqual(
        messages.map((msg) => msg.statusCode),
        messages.map(() => 200),
      );
      assert.deepEqual(
        messages.map((msg) => msg.seq).sort((a, b) => a - b),
        [...Array(200).keys()],
      );
    }
    const stats = suite.sim.pacingStatsOf("oauth2");
    assert.equal(stats.refused, 0, "no call over the vendor's limit");
    assert.equal(stats.accepted, 1000);
    // As the vendor saw them, counted again here: at most 100 in any 500 ms.
    const times = suite.sim.acceptedCalls("oauth2").map(({ at }) => at);
    const busiest = Math.max(
      ...times.map((at, index) => times.slice(index).filter((later) => later < at + 500).length),
    );
    assert.ok(busiest <= 100, `${busiest} calls in one 500 ms window`);
    assert.equal(suite.sim.count("oauth2.token"), 1, "the token request takes no turn and is made once");
  });

  it("lets each node's calls go in the order of its messages, first in, first out", async () => {
    // One call at a time, so that the vendor sees them in the order they were let go (calls let go
    // in the same instant may reach it over different connections in either order).
    suite.sim.rateLimit("oauth2", { calls: 1, periodMs: 20 });
    await load("oauth2", 5, { rateLimit: 1, ratePeriod: 0.02 });
    const outs = [1, 2, 3, 4, 5].map((i) => nextMessages(`out${i}`, 20, 30_000));
    for (let seq = 0; seq < 20; seq++)
      for (let i = 1; i <= 5; i++) helper.getNode(`api${i}`).receive({ query: { node: i, seq }, seq });
    for (const messages of await Promise.all(outs))
      assert.deepEqual(
        messages.map((msg) => msg.seq),
        [...Array(20).keys()],
      );
    const order = suite.sim.acceptedCalls("oauth2").map(({ url }) => {
      const query = new URL(url, "http://sim").searchParams;
      return `${query.get("node")}:${query.get("seq")}`;
    });
    const sent = [...Array(20).keys()].flatMap((seq) => [1, 2, 3, 4, 5].map((i) => `${i}:${seq}`));
    assert.deepEqual(order, sent, "the vendor sees the messages' order");
    assert.equal(suite.sim.pacingStatsOf("oauth2").refused, 0);
  });

  it("without the limit the same burst earns 429s (the simulator's limit is real)", async () => {
    suite.sim.rateLimit("oauth2", { calls: 100, periodMs: 500 });
    await load("oauth2", 5, {}, { errors: "output" });
    const outs = [1, 2, 3, 4, 5].map((i) => nextMessages(`out${i}`, 40, 30_000));
    for (let seq = 0; seq < 40; seq++) for (let i = 1; i <= 5; i++) helper.getNode(`api${i}`).receive({ seq });
    const codes = (await Promise.all(outs)).flat().map((msg) => msg.statusCode);
    assert.ok(codes.includes(429), "some answers are 429");
    assert.ok(suite.sim.pacingStatsOf("oauth2").refused > 0);
  });

  it("OrionStar: the limit holds on a built-in vendor's API", async () => {
    suite.sim.rateLimit("orionstar", { calls: 10, periodMs: 300 });
    await load("orionstar", 2, { rateLimit: 10, ratePeriod: 0.3 });
    const outs = [1, 2].map((i) => nextMessages(`out${i}`, 30, 30_000));
    const query = { ov_corpid: suite.sim.accounts.orionstar.corpId, page: 1, page_rows: 10 };
    for (let seq = 0; seq < 30; seq++) for (const i of [1, 2]) helper.getNode(`api${i}`).receive({ query, seq });
    const answered = (await Promise.all(outs)).flat();
    assert.ok(answered.every((msg) => msg.statusCode === 200 && msg.payload.code === 0));
    assert.deepEqual(suite.sim.pacingStatsOf("orionstar"), { accepted: 60, refused: 0, busy: 0 });
  });

  it("shows the queue in the status: waiting: N queued", async () => {
    await load("oauth2", 1, { rateLimit: 2, ratePeriod: 1 });
    const outs = nextMessages("out1", 6, 30_000);
    for (let seq = 0; seq < 6; seq++) helper.getNode("api1").receive({ seq });
    await outs;
    const texts = statuses("api1").map((status) => status.text);
    assert.ok(texts.includes("waiting: 4 queued"), JSON.stringify(texts));
    assert.match(String(texts.at(-1)), /^valid until/, "the token again once the queue is done");
  });

  it("refuses a call past maxQueue with an error at Catch; the queued ones are still answered", async () => {
    await load("oauth2", 1, { rateLimit: 1, ratePeriod: 0.5, maxQueue: 2 });
    const warm = nextMessage("out1");
    helper.getNode("api1").receive({ seq: -1 });
    await warm;
    await delay(600);
    const caught = nextMessage("caught");
    const outs = nextMessages("out1", 3, 30_000);
    for (let seq = 0; seq < 4; seq++) helper.getNode("api1").receive({ seq });
    const error = (await caught).error;
    assert.match(error.message, /2 calls already wait .*\(1 calls per 0\.5 s\), its Queue of 2 is full/);
    assert.equal((await caught).seq, 3, "the fourth message: one sent, two waiting");
    assert.deepEqual(
      (await outs).map((msg) => msg.seq),
      [0, 1, 2],
    );
    assert.equal(
      statuses("api1").some((status) => status.fill === "red" && /queue full/.test(String(status.text))),
      true,
    );
  });

  it("a rate limit it cannot use stops the node on deploy, naming the field; nothing is sent", async () => {
    await load("oauth2", 1, { rateLimit: "fifty" });
    const caught = nextMessage("caught");
    helper.getNode("api1").receive({ seq: 1 });
    const error = (await caught).error;
    assert.match(error.message, /Rate limit/);
    assert.match(error.message, /fifty/);
    assert.equal(suite.sim.count("oauth2.token"), 0);
    assert.equal(statuses("api1").at(-1)?.fill, "red");
  });

  it("busy wait: a 429 pauses every node of the account for its Retry-After, then each call is answered", async () => {
    await load("oauth2", 2, {}, { busy: "wait", maxWait: 10 });
    // Warm up: the token, so the calls below go straight to the API.
    const warm = nextMessage("out1");
    helper.getNode("api1").receive({ seq: -1 });
    await warm;
    suite.sim.busy("oauth2.api", { status: 429, ms: 1_000, retryAfter: 2 });
    const first = nextMessage("out1", 10_000);
    const second = nextMessage("out2", 10_000);
    helper.getNode("api1").receive({ seq: 1 });
    await until("the first 429", () => suite.sim.pacingStatsOf("oauth2").busy === 1);
    helper.getNode("api2").receive({ seq: 2 });
    assert.equal((await first).statusCode, 200);
    assert.equal((await second).statusCode, 200);
    // The second node's call waited out the pause: it never met the busy vendor.
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 1);
    assert.ok(statuses("api1").some((status) => status.text === "vendor busy: next try in 2 s"));
  });

  it("busy wait without Retry-After: 1, 2 ... s; a 503 given as an HTTP date too", async () => {
    await load("oauth2", 1, {}, { busy: "wait", maxWait: 10 });
    suite.sim.busy("oauth2.api", { status: 503, ms: 1_500 });
    const out = nextMessage("out1", 15_000);
    helper.getNode("api1").receive({ seq: 1 });
    assert.equal((await out).statusCode, 200);
    // Sent at 0 (503), after 1 s (503), after 2 more s (200).
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 2);
    assert.ok(statuses("api1").some((status) => status.text === "vendor busy: next try in 2 s"));
    suite.sim.busy("oauth2.api", { status: 503, ms: 500, retryAfter: 1, retryAfterDate: true });
    const again = nextMessage("out1", 15_000);
    helper.getNode("api1").receive({ seq: 2 });
    assert.equal((await again).statusCode, 200);
  });

  it("busy wait past maxWait: the 429 goes to Catch as with busy catch", async () => {
    await load("oauth2", 1, {}, { busy: "wait", maxWait: 4 });
    suite.sim.busy("oauth2.api", { status: 429, ms: 20_000 });
    const caught = nextMessage("caught", 15_000);
    helper.getNode("api1").receive({ seq: 1 });
    const error = (await caught).error;
    assert.equal(error.statusCode, 429);
    // 1 s and 2 s waited (3 s and the calls' time in all); a third wait (4 s) would pass maxWait.
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 3);
    suite.sim.busy("oauth2.api", { status: 429, ms: 20_000, retryAfter: 5 });
    const refused = nextMessage("caught", 5_000);
    helper.getNode("api1").receive({ seq: 2 });
    assert.match((await refused).error.message, /HTTP 429/);
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 4, "a Retry-After past maxWait is not waited for");
  });

  it("busy catch (the default) sends a 429 to Catch at once", async () => {
    await load("oauth2", 1, {});
    suite.sim.busy("oauth2.api", { status: 429, ms: 5_000, retryAfter: 1 });
    const caught = nextMessage("caught");
    helper.getNode("api1").receive({ seq: 1 });
    assert.equal((await caught).error.statusCode, 429);
    assert.equal(suite.sim.pacingStatsOf("oauth2").busy, 1);
  });

  it("busy wait with a maxWait it cannot use stops the node on deploy, naming the node's field and the value", async () => {
    await load("oauth2", 1, {}, { busy: "wait", maxWait: " -3 " });
    const caught = nextMessage("caught");
    helper.getNode("api1").receive({ seq: 1 });
    const error = (await caught).error;
    assert.match(error.message, /the api request node's Wait at most must be a number of seconds, 0 or more, not "-3"/);
    assert.equal(suite.sim.count("oauth2.token"), 0);
    assert.equal(statuses("api1").at(-1)?.fill, "red");
  });

  it("busy catch does not read maxWait: a value busy wait would refuse stops nothing", async () => {
    await load("oauth2", 1, {}, { busy: "catch", maxWait: "soon" });
    const out = nextMessage("out1");
    helper.getNode("api1").receive({ seq: 1 });
    assert.equal((await out).statusCode, 200);
  });

  /** What is pending after a flow that made one call was stopped: the runtime's and the sockets' timers. */
  async function timersAfterOneCall(): Promise<number> {
    await load("oauth2", 2, {});
    const out = nextMessage("out1");
    helper.getNode("api1").receive({ seq: 0 });
    await out;
    await helper.unload();
    await delay(50);
    return timers();
  }

  it("a redeploy while calls wait their turn (rate limit) ends them and leaves no timer", async () => {
    const before = await timersAfterOneCall();
    await load("oauth2", 2, { rateLimit: 1, ratePeriod: 30 });
    const first = nextMessage("out1");
    helper.getNode("api1").receive({ seq: 0 });
    await first;
    const sent = suite.sim.count("oauth2.api");
    for (let seq = 1; seq <= 5; seq++) helper.getNode(`api${1 + (seq % 2)}`).receive({ seq });
    await until("the status of the queue", () =>
      statuses("api1").some((status) => status.text === "waiting: 5 queued"),
    );
    assert.equal(suite.sim.count("oauth2.api"), sent, "the others wait their turn");
    await helper.unload();
    await delay(50);
    assert.equal(timers(), before, "no timer of the queue or the status is left");
  });

  it("a redeploy while calls wait out a busy vendor's pause ends them and leaves no timer", async () => {
    const before = await timersAfterOneCall();
    await load("oauth2", 2, {}, { busy: "wait", maxWait: 60 });
    suite.sim.busy("oauth2.api", { status: 429, ms: 60_000, retryAfter: 30 });
    helper.getNode("api1").receive({ seq: 1 });
    await until("the first 429", () => suite.sim.pacingStatsOf("oauth2").busy === 1);
    helper.getNode("api2").receive({ seq: 2 });
    await until("the pause in the status", () =>
      statuses("api2").some((status) => status.text === "waiting: 2 queued"),
    );
    await helper.unload();
    await delay(50);
    assert.equal(timers(), before, "no timer of the pause or the status is left");
  });
});
