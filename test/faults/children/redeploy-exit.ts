// Child process of child-process.test.ts: a Node-RED runtime with two credentials nodes (one
// direct, one through the parent's proxy) whose token requests hang at the parent's simulator; it
// redeploys, sends again, stops the runtime and then simply returns. The process must end by itself:
// any timer or socket left by the nodes would keep it alive, and the parent would kill it.
import { at, configNode, getTokenNode } from "../../support/flows";
import { helper } from "../../support/node-red";
import { NODES } from "../runner";

const simUrl = process.env.FAULTS_SIM_URL ?? "";
const proxyUrl = process.env.FAULTS_PROXY_URL ?? "";
const credentials = {
  direct: { clientId: process.env.FAULTS_ONEACCESS_ID ?? "", clientSecret: process.env.FAULTS_ONEACCESS_SECRET ?? "" },
  proxied: { appid: process.env.FAULTS_ORIONSTAR_ID ?? "", secret: process.env.FAULTS_ORIONSTAR_SECRET ?? "" },
  proxy: { username: process.env.FAULTS_PROXY_USER ?? "", password: process.env.FAULTS_PROXY_PASSWORD ?? "" },
};

function flow(revision: number): Array<Record<string, unknown>> {
  return [
    { id: "tab1", type: "tab", label: "exit" },
    { id: "proxy", type: "http proxy", name: "", url: proxyUrl, noproxy: [] },
    configNode("oneaccess", simUrl, "direct", { timeout: 30 + revision }),
    configNode("orionstar", simUrl, "proxied", { timeout: 30 + revision, proxy: "proxy" }),
    getTokenNode({ id: "getDirect", provider: "oneaccess", config: "direct", wires: [["out"]] }),
    getTokenNode({ id: "getProxied", provider: "orionstar", config: "proxied", wires: [["out"]] }),
    { id: "out", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
  ];
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendBoth(count: number): void {
  for (let i = 0; i < count; i++) {
    helper.getNode("getDirect").receive({ payload: i });
    helper.getNode("getProxied").receive({ payload: i });
  }
}

async function main(): Promise<void> {
  const rejections: string[] = [];
  process.on("unhandledRejection", (reason) => rejections.push(String(reason)));
  let out = 0;
  await helper.load(NODES, flow(0), credentials);
  helper.getNode("out").on("input", () => out++);
  sendBoth(5);
  await delay(500); // both token requests are now hanging at the parent's simulator
  await helper.setFlows(flow(1), "full", credentials);
  helper.getNode("out").on("input", () => out++);
  sendBoth(5);
  await delay(500);
  await helper.unload();
  console.log(JSON.stringify({ rejections, out }));
  // Diagnostics only: if something keeps the process alive, say what (unref: it keeps nothing alive).
  setTimeout(() => console.error("still alive, holding:", process.getActiveResourcesInfo()), 3_000).unref();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
