// Child process of expression-runaway.test.ts: a Node-RED runtime whose custom credentials node has
// a `request` expression that never ends (RUNAWAY_REQUEST). A get token message starts it; while it
// runs, the admin API is asked for the node's state; then the Test route is asked with the same
// dialog. It reports the order of the answers, what Catch and the status got, and the Test answer.
// With RUNAWAY_STOP, the budget is a minute and the runtime is stopped while the expression runs:
// the process must then end by itself, soon (an evaluation left running would keep it alive).
// Today's fault would freeze or kill this process, which is why it runs apart: the parent kills it.
import { ADMIN_ROOT } from "../../../src/admin-api";
import { EXPRESSION_TIMEOUT_SETTING } from "../../../src/providers/expression-limits";
import { at, getTokenNode, statuses, until } from "../../support/flows";
import { exampleConfig } from "../../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];
const config = {
  ...exampleConfig("cfg-custom-homemade"),
  tokenUrl: `${process.env.RUNAWAY_SIM_URL ?? ""}/openapi/v3/auth/token`,
  request: process.env.RUNAWAY_REQUEST ?? "",
  timeout: 10,
};
const credentials = { key: process.env.RUNAWAY_KEY ?? "", secret: process.env.RUNAWAY_SECRET ?? "" };

const flow = [
  { id: "tab1", type: "tab", label: "runaway" },
  { ...config, id: "cfg", z: undefined, proxy: "", tls: "" },
  getTokenNode({ provider: "custom" }),
  { id: "out", type: "helper", z: "tab1", ...at() },
  { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
  { id: "caught", type: "helper", z: "tab1", ...at() },
];

/** Start the expression, stop the runtime while it runs, and return. */
async function stopWhileRunning(): Promise<void> {
  const rejections: string[] = [];
  process.on("unhandledRejection", (reason) => rejections.push(String(reason)));
  helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: 60_000 });
  await helper.load(NODES, flow, { cfg: credentials });
  helper.getNode("get").receive({ payload: "p" });
  await until("the token request", () => statuses("get").some((status) => status.fill === "yellow"));
  await helper.unload();
  console.log(JSON.stringify({ rejections }));
  // Diagnostics only: if something keeps the process alive, say what (unref: it keeps nothing alive).
  setTimeout(() => console.error("still alive, holding:", process.getActiveResourcesInfo()), 3_000).unref();
}

async function main(): Promise<void> {
  if (process.env.RUNAWAY_STOP) return stopWhileRunning();
  await helper.startServer();
  await helper.load(NODES, flow, { cfg: credentials });
  const events: string[] = [];
  const caught = new Promise<Record<string, any>>((resolve) =>
    helper.getNode("caught").on("input", (msg: Record<string, any>) => {
      events.push("caught");
      resolve(msg.error);
    }),
  );
  helper.getNode("get").receive({ payload: "p" });
  // The node says it is fetching once the expression runs; only then is the admin API asked.
  await until("the token request", () => statuses("get").some((status) => status.fill === "yellow"));
  const state = helper
    .request()
    .get(`${ADMIN_ROOT}/cfg/state`)
    .then((res: { body: Record<string, unknown> }) => {
      events.push("admin");
      return res.body;
    });
  const [error, stateAnswer] = await Promise.all([caught, state]);
  const dialog = { ...config, type: "custom-token-credentials", credentials };
  const test = (await helper.request().post(`${ADMIN_ROOT}/test`).send(dialog)).body as Record<string, unknown>;
  const after = (await helper.request().get(`${ADMIN_ROOT}/cfg/state`)).body as Record<string, unknown>;
  const status = statuses("get").at(-1);
  await helper.unload();
  await helper.stopServer();
  console.log(JSON.stringify({ events, error, status, stateAnswer, test, after }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
