// The flow of the multi-process rate-limit tests (its credentials node also the bench's): GET /call makes one API call
// through an api request node on an OAuth2 credentials node with a rate limit, and answers the
// vendor's HTTP status (errors sent on, so a 429 is an answer too).
import type { ProviderSimulator } from "../simulator";

export interface RateFlowOptions {
  rateLimit: number | "";
  ratePeriod: number;
  maxQueue?: number;
}

/** The OAuth2 credentials node "cfg" on the simulator's demo client, with these rate-limit properties. */
export function rateCredentials(sim: Pick<ProviderSimulator, "url" | "accounts">, options: RateFlowOptions) {
  const { clientId, clientSecret } = sim.accounts.oauth2;
  return {
    id: "cfg",
    type: "oauth2-credentials",
    name: "",
    tokenUrl: `${sim.url}/oauth2/token`,
    apiUrl: sim.url,
    proxy: "",
    tls: "",
    timeout: 10,
    rateLimit: options.rateLimit,
    ratePeriod: options.ratePeriod,
    maxQueue: options.maxQueue ?? 10_000,
    credentials: { clientId, clientSecret },
  };
}

/** The OAuth2 simulator's list that the rate limit's tests and bench call. */
export const THINGS_PATH = "/oauth2/api/things";

/** The api request node they pace: GET the list, answered as text, errors on its output. */
export function thingsCall(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "api",
    type: "access-token-request",
    name: "",
    provider: "oauth2",
    oauth2: "cfg",
    method: "GET",
    url: THINGS_PATH,
    ret: "txt",
    retry: true,
    errors: "output",
    ...extra,
  };
}

export function rateFlows(sim: Pick<ProviderSimulator, "url" | "accounts">, options: RateFlowOptions): unknown[] {
  let y = 0;
  const at = () => ({ x: 200, y: (y += 60) });
  return [
    { id: "tab", type: "tab", label: "rate limit" },
    rateCredentials(sim, options),
    {
      id: "in",
      type: "http in",
      z: "tab",
      name: "",
      url: "/call",
      method: "get",
      upload: false,
      swaggerDoc: "",
      wires: [["api"]],
      ...at(),
    },
    { ...thingsCall({ z: "tab", wires: [["status"]] }), ...at() },
    {
      id: "status",
      type: "change",
      z: "tab",
      name: "",
      rules: [
        { t: "set", p: "payload", pt: "msg", to: "statusCode", tot: "msg" },
        { t: "delete", p: "headers", pt: "msg" },
        { t: "delete", p: "statusCode", pt: "msg" },
      ],
      wires: [["res"]],
      ...at(),
    },
    { id: "res", type: "http response", z: "tab", name: "", statusCode: "", headers: {}, wires: [], ...at() },
    { id: "catch", type: "catch", z: "tab", name: "", scope: null, uncaught: false, wires: [["fail"]], ...at() },
    {
      id: "fail",
      type: "change",
      z: "tab",
      name: "",
      rules: [
        { t: "set", p: "statusCode", pt: "msg", to: "500", tot: "num" },
        { t: "set", p: "payload", pt: "msg", to: "error.message", tot: "msg" },
      ],
      wires: [["res"]],
      ...at(),
    },
  ];
}
