// The flows of the multi-process shared-cache tests: real http in / access-token / http response
// nodes around one OrionStar credentials node pointing at the simulator.
import type { ProviderSimulator } from "../simulator";

/**
 * The flows both instances run: GET /token answers the token; GET /refresh?stale=<token> forces a
 * refresh of the token the caller found stale; a failure answers 500 with the error's text.
 * `timeoutS` is the credentials node's HTTP timeout, which sets the shared lock's TTL.
 */
export function flows(sim: ProviderSimulator, timeoutS = 10): unknown[] {
  const { appid, secret } = sim.accounts.orionstar;
  let y = 0;
  const at = () => ({ x: 200, y: (y += 60) });
  const httpIn = (id: string, url: string, next: string) => ({
    id,
    type: "http in",
    z: "tab",
    name: "",
    url,
    method: "get",
    upload: false,
    swaggerDoc: "",
    wires: [[next]],
    ...at(),
  });
  const change = (id: string, rules: unknown[], next: string) => ({
    id,
    type: "change",
    z: "tab",
    name: "",
    rules,
    action: "",
    property: "",
    from: "",
    to: "",
    reg: false,
    wires: [[next]],
    ...at(),
  });
  const set = (p: string, to: string, tot: string) => ({ t: "set", p, pt: "msg", to, tot });
  return [
    { id: "tab", type: "tab", label: "shared cache" },
    {
      id: "cfg",
      type: "orionstar-credentials",
      name: "",
      baseUrl: sim.url,
      proxy: "",
      tls: "",
      timeout: timeoutS,
      credentials: { appid, secret },
    },
    httpIn("in-token", "/token", "get"),
    // GET /refresh?stale=<token>: msg.refreshToken with the token the caller found stale.
    httpIn("in-refresh", "/refresh", "mark"),
    change("mark", [set("refreshToken", "true", "bool"), set("token", "req.query.stale", "msg")], "get"),
    {
      id: "get",
      type: "access-token",
      z: "tab",
      name: "",
      provider: "orionstar",
      orionstar: "cfg",
      scope: "none",
      store: "",
      key: "accessToken",
      margin: 300,
      headers: false,
      wires: [["reply"]],
      ...at(),
    },
    change("reply", [set("payload", "token", "msg")], "res"),
    { id: "res", type: "http response", z: "tab", name: "", statusCode: "", headers: {}, wires: [], ...at() },
    { id: "catch", type: "catch", z: "tab", name: "", scope: null, uncaught: false, wires: [["fail"]], ...at() },
    change("fail", [set("statusCode", "500", "num"), set("payload", "error.message", "msg")], "res"),
  ];
}
