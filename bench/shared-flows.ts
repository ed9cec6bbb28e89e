// The flow each Node-RED process of the shared-cache rows runs: GET /run -> the bench's driver node
// (shared-run-node.ts) -> get token (OneAccess, scope none: the token source and Redis are the only
// caches) -> back to the driver, and Catch -> the driver; the driver answers the request.
import type { Accounts } from "./flows";

/** What GET /run answers. */
export interface RunAnswer {
  sent: number;
  arrived: number;
  failed: number;
  /** Per message, from its send to its return with msg.token, ms. */
  lat: number[];
  tokens: string[];
}

export function sharedBenchFlows(simUrl: string, account: Accounts, marginS: number): unknown[] {
  let y = 0;
  const at = () => ({ x: 200, y: (y += 60) });
  return [
    { id: "tab", type: "tab", label: "shared cache bench" },
    {
      id: "cfg",
      type: "oneaccess-credentials",
      name: "",
      baseUrl: simUrl,
      proxy: "",
      tls: "",
      timeout: 10,
      credentials: { ...account },
    },
    {
      id: "in",
      type: "http in",
      z: "tab",
      name: "",
      url: "/run",
      method: "get",
      upload: false,
      wires: [["run"]],
      ...at(),
    },
    { id: "run", type: "bench-shared-run", z: "tab", wires: [["get"], ["res"]], ...at() },
    {
      id: "get",
      type: "access-token",
      z: "tab",
      name: "",
      provider: "oneaccess",
      oneaccess: "cfg",
      scope: "none",
      store: "",
      key: "accessToken",
      margin: marginS,
      headers: false,
      wires: [["run"]],
      ...at(),
    },
    { id: "catch", type: "catch", z: "tab", name: "", scope: ["get"], uncaught: false, wires: [["run"]], ...at() },
    { id: "res", type: "http response", z: "tab", name: "", statusCode: "", headers: {}, wires: [], ...at() },
  ];
}
