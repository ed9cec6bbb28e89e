// Child process of child-process.test.ts, run with --expose-gc: 10,000 concurrent messages on a
// cold cache, then 100,000 with the token cached, through a real Node-RED runtime; reports counts,
// status updates and the heap before and after. Every loop has a fixed count; the parent bounds
// the time.
import { at, configNode, getTokenNode } from "../../support/flows";
import { helper } from "../../support/node-red";
import { NODES } from "../runner";

const COLD = 10_000;
const CACHED = 100_000;
const BATCH = 1_000;
/** A batch that has not come through by then is reported lost (the parent's limit is the backstop). */
const PASS_LIMIT_MS = 30_000;
const simUrl = process.env.FAULTS_SIM_URL ?? "";
const account = {
  clientId: process.env.FAULTS_ONEACCESS_ID ?? "",
  clientSecret: process.env.FAULTS_ONEACCESS_SECRET ?? "",
};

// Two credentials nodes for the same account: "warm" exercises every code path before the
// baseline is taken, "load" starts cold for the measured run.
const flow = [
  { id: "tab1", type: "tab", label: "load" },
  configNode("oneaccess", simUrl, "warm"),
  configNode("oneaccess", simUrl, "load"),
  getTokenNode({ id: "getWarm", provider: "oneaccess", config: "warm", key: "warmToken", wires: [["out"]] }),
  getTokenNode({ id: "getLoad", provider: "oneaccess", config: "load", key: "loadToken", wires: [["out"]] }),
  { id: "out", type: "helper", z: "tab1", ...at() },
  { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
  { id: "caught", type: "helper", z: "tab1", ...at() },
];

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

let out = 0;
let caught = 0;
let statusCalls = 0;

/** Send `count` messages to `id` in one go and resolve when all have come out or been caught. */
function pass(id: string, count: number): Promise<void> {
  const target = out + caught + count;
  const node = helper.getNode(id);
  for (let i = 0; i < count; i++) node.receive({ payload: i });
  const deadline = performance.now() + PASS_LIMIT_MS;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (out + caught >= target) resolve();
      else if (performance.now() > deadline)
        reject(new Error(`${id}: ${target - out - caught} of ${count} messages neither out nor caught`));
      else setImmediate(check);
    };
    check();
  });
}

async function main(): Promise<void> {
  await helper.load(NODES, flow, { warm: account, load: account });
  // Take the helper's spies off Node.prototype — they remember every call (each message, each
  // status) and would be what this measures — and restart the flows, as wired nodes keep a
  // reference to Node.prototype.send. The runtime then runs as in production.
  (helper as unknown as { _sandbox: { restore(): void } })._sandbox.restore();
  await helper._redNodes.stopFlows();
  await helper._redNodes.startFlows();
  helper.getNode("out").on("input", () => out++);
  helper.getNode("caught").on("input", () => caught++);
  for (let i = 0; i < 5; i++) await pass("getWarm", BATCH);
  const baseline = heapAfterGc();

  const load = helper.getNode("getLoad");
  const countStatus = load.status.bind(load);
  load.status = (status: Record<string, unknown>) => {
    statusCalls++;
    countStatus(status);
  };
  await pass("getLoad", COLD);
  const afterCold = { out, caught };
  for (let i = 0; i < CACHED / BATCH; i++) {
    await pass("getLoad", BATCH);
  }
  const after = heapAfterGc();
  await helper.unload();
  console.log(JSON.stringify({ gc: Boolean(gc), baseline, after, out, caught, afterCold, statusCalls }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
