// What a get token node's status says after each message, in a real Node-RED runtime against the
// simulator: "fetching" only while a message waits for a token request (not while a held token is
// refreshed early, as the held one still works), and the green dot back after a message answered
// without a new token: from the cache after a refused message, or by a forced refresh that another
// token had already answered.
import assert from "node:assert/strict";
import { simulatorSuite } from "../support/simulator-suite";
import { basicFlow, delay, demoCredentials, nextMessage, statuses } from "../support/flows";
import type { GetTokenOptions } from "../support/flows";
import type { ProviderId } from "../../src/providers";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("get token node: status after each message", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  async function deploy(provider: ProviderId, options: Partial<GetTokenOptions> = {}): Promise<void> {
    await helper.load(NODES, basicFlow(provider, suite.sim.url, options), {
      cfg: demoCredentials(suite.sim, provider),
    });
  }

  /** Send one message; resolve with what came out of the node or reached Catch, and the statuses it caused. */
  async function oneMessage(msg: Record<string, unknown> = {}): Promise<{ out?: any; caught?: any; shown: string[] }> {
    const before = statuses("get").length;
    const out = nextMessage("out").then((m) => ({ out: m }));
    const caught = nextMessage("caught").then((m) => ({ caught: m }));
    helper.getNode("get").receive(msg);
    const result = await Promise.race([out, caught]);
    // The status of the answered message is set before send: nothing more to wait for.
    const shown = statuses("get")
      .slice(before)
      .map((status) => `${status.fill}/${status.shape}`);
    return { ...result, shown };
  }

  it("fetching shows while a message waits for a token, not while a held token is refreshed early", async () => {
    // Tokens of 2 s and a long margin (capped at half the lifetime): after 1 s a held token that
    // still works is refreshed early.
    suite.sim.setTokenLifetime("oneaccess", 2);
    await deploy("oneaccess", { margin: 3600 });
    const first = await oneMessage();
    assert.deepEqual(first.shown, ["yellow/ring", "green/dot"]);
    await delay(1100);
    const second = await oneMessage();
    assert.deepEqual(second.shown, ["green/dot"]);
    assert.equal(suite.sim.count("oneaccess.token"), 2, "the second message refreshed early");
    const forced = await oneMessage({ refreshToken: true });
    assert.deepEqual(forced.shown, ["yellow/ring", "green/dot"]);
  });

  it("a forced refresh answered by the token already held: fetching, then the green dot again", async () => {
    await deploy("oneaccess");
    const first = await oneMessage();
    // msg.token names a token that is no longer the held one: the held token is the answer.
    const forced = await oneMessage({ refreshToken: true, token: "an-earlier-token" });
    assert.equal(forced.out.token, first.out.token);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    assert.deepEqual(forced.shown, ["yellow/ring", "green/dot"]);
  });

  it("a refused message shows red; the next one, answered from the cache, the green dot again", async () => {
    // EnOS signs each call, so get token needs the message's url to set the headers.
    await deploy("enos");
    const url = `${suite.sim.url}/enos/api`;
    const first = await oneMessage({ url });
    assert.ok(first.out, "the first message gets the token");
    const refused = await oneMessage({});
    assert.ok(refused.caught, "a message without url goes to Catch");
    assert.deepEqual(refused.shown, ["red/ring"]);
    const next = await oneMessage({ url });
    assert.equal(next.out.token, first.out.token);
    assert.equal(suite.sim.count("enos.token"), 1);
    assert.deepEqual(next.shown, ["green/dot"]);
  });
});
