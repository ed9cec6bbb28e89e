// The one runner of the fault matrix: loads a flow (credentials node, optional tls-config and
// http proxy nodes, get token, Catch) in a real Node-RED runtime, sends messages through the fault,
// and checks what a user would see: a clear error at the Catch node, a red ring, no message lost,
// no request hammering the vendor, and recovery by itself once the backoff (fake Date) is over.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import type { ProviderId } from "../simulator";
import type { Endpoint } from "../simulator";
import { at, configNode, demoCredentials, getTokenNode, tlsConfigNode, until } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import type { Evidence } from "./evidence";
import type { FaultCase, FaultEnv, Outcome, Target } from "./types";
import { vendorName } from "../support/vendors";

export const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.tls), coreNode(CORE.httpProxy)];
/** The vendor as errors name it. */
export const VENDOR = (provider: ProviderId): string => vendorName(provider);

/** Messages sent while the fault is served (they share one request) ... */
const BURST = 4;
/** ... and after it, once the vendor answers well again. */
const AFTER = 3;
/** The TokenSource's first backoff after a failure. */
const FIRST_BACKOFF_MS = 1_000;
const WAIT_MS = 15_000;

export function faultFlow(env: FaultEnv, provider: ProviderId, target: Target) {
  const extra: Record<string, unknown> = { timeout: target.timeoutS ?? 10 };
  const credentials: Record<string, unknown> = { cfg: demoCredentials(env.sim, provider) };
  const flow: Array<Record<string, unknown>> = [{ id: "tab1", type: "tab", label: "faults" }];
  if (target.tlsCa) {
    assert.ok(env.tls, "a TLS row needs the test certificate");
    flow.push(tlsConfigNode());
    credentials.tls = { cadata: env.tls.certificate.cert };
    extra.tls = "tls";
  }
  if (target.proxy) {
    flow.push({
      id: "proxy",
      type: "http proxy",
      name: "",
      url: target.proxy.url,
      noproxy: target.proxy.noproxy ?? [],
    });
    credentials.proxy = { username: target.proxy.username ?? "", password: target.proxy.password ?? "" };
    extra.proxy = "proxy";
  }
  flow.push(
    configNode(provider, target.baseUrl, "cfg", extra),
    getTokenNode({ provider }),
    { id: "out", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
  );
  return { flow, credentials };
}

/** Collects what leaves the get token node and what reaches Catch; re-attached after a redeploy. */
class Sink {
  readonly out: Array<Record<string, any>> = [];
  readonly caught: Array<Record<string, any>> = [];
  attach(): void {
    helper.getNode("out").on("input", (msg: Record<string, any>) => this.out.push(msg));
    helper.getNode("caught").on("input", (msg: Record<string, any>) => this.caught.push(msg));
  }
  get total(): number {
    return this.out.length + this.caught.length;
  }
}

/** The statuses node `id` has shown (the helper's spy records every node's calls). */
function statusesOf(id: string): Array<Record<string, unknown>> {
  const spy = (helper as unknown as { _NodePrototype: { status: unknown } })._NodePrototype.status as {
    getCalls(): Array<{ thisValue: { id: string }; args: any[] }>;
  };
  return spy
    .getCalls()
    .filter((call) => call.thisValue?.id === id)
    .map((call) => call.args[0]);
}

export async function runCase(c: FaultCase, env: FaultEnv, evidence: Evidence): Promise<void> {
  const vendor = VENDOR(c.provider);
  const endpoint = `${c.provider}.token` as Endpoint;
  // Only Date is faked: sockets, undici's timers and the simulator keep real time.
  const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
  const sink = new Sink();
  let sent = 0;
  const send = async (count: number, phase: string) => {
    const before = sink.total;
    for (let i = 0; i < count; i++) {
      const msg: Record<string, unknown> = { payload: `${phase}-${i}`, topic: c.name };
      if (c.provider === "enos") msg.url = `${env.sim.url}/asset-service/v2.1/assets?action=get&orgId=o1&assetId=a1`;
      helper.getNode("get").receive(msg);
    }
    sent += count;
    await until(`${count} ${phase} messages to come out or be caught`, () => sink.total >= before + count, WAIT_MS);
  };
  try {
    await c.arrange?.(env);
    const deploy = async (target: Target) => {
      const { flow, credentials } = faultFlow(env, c.provider, target);
      if (sent === 0) await helper.load(NODES, flow, credentials);
      else await helper.setFlows(flow, "full", credentials);
      sink.attach();
    };
    await deploy(c.target?.(env) ?? { baseUrl: env.sim.url });

    if (c.error) {
      await send(BURST, "during");
      for (const msg of sink.caught) evidence.add(msg);
      assert.equal(sink.out.length, 0, "no message goes on without a token");
      assert.equal(sink.caught.length, BURST, "every message reaches Catch");
      const requests = env.sim.count(endpoint);
      assert.ok(requests <= 1, `the messages shared one request (${requests} sent)`);
      for (const msg of sink.caught) {
        const error = msg.error as { message: string; code?: string; source: { id: string } };
        assert.ok(error.message.includes(vendor), `names the vendor: ${error.message}`);
        assert.match(error.message, c.error.text);
        if (c.error.code !== undefined) assert.equal(error.code, c.error.code);
        assert.equal(error.source.id, "get");
        assert.match(String(msg.payload), /^during-/, "Catch gets the original message");
      }
      const last = statusesOf("get").at(-1);
      assert.equal(last?.fill, "red");
      assert.equal(last?.shape, "ring");
      assert.match(String(last?.text), new RegExp(`^${vendor}: `));
      assert.match(String(last?.text), c.error.status);

      // Inside the backoff (or the vendor's Retry-After) a message fails at once, asking nobody.
      const waitMs = Math.max(FIRST_BACKOFF_MS, (c.retryAfterS ?? 0) * 1000);
      clock.tick(waitMs - 200);
      await send(1, "waiting");
      assert.equal(sink.caught.length, BURST + 1, "a message inside the backoff reaches Catch");
      assert.equal(env.sim.count(endpoint), requests, "no request before the backoff / Retry-After elapses");

      const next = await c.recover?.(env);
      if (next) await deploy(next);
      clock.tick(201);
    }

    const before = env.sim.count(endpoint);
    await send(AFTER, "after");
    const out = sink.out;
    for (const msg of out) evidence.add(msg);
    assert.equal(out.length, AFTER, `the node recovers by itself: ${sink.caught.at(-1)?.error?.message ?? ""}`);
    assert.equal(env.sim.count(endpoint), before + 1, "one request for the messages after the fault");
    for (const msg of out) {
      assert.equal(typeof msg.token, "string");
      const header = c.provider === "enos" ? msg.headers["apim-accesstoken"] : msg.headers.Authorization;
      assert.equal(header, c.provider === "enos" ? msg.token : `Bearer ${msg.token}`);
    }
    assert.equal(statusesOf("get").at(-1)?.fill, "green");
    assert.equal(sink.total, sent, "every message went on or reached Catch");
    const entry = helper.getNode("get").context().flow.get("accessToken") as Outcome["entry"];
    c.verify?.(env, { out, caught: sink.caught, entry });
  } finally {
    clock.restore();
    evidence.captureRuntime();
  }
}
