// Flows for the API-call rows: the same OneAccess users call made three ways, each line ending in a
// bench sink. Ours (api request) against the chain a user builds today (get token + core http
// request), and against the core http request node alone with a fixed Authorization header.
import type { Line } from "./flows";
import { getTokenNode, oneaccessConfig } from "./flows";
import type { FlowSet } from "./runtime";

export type ApiContender = "api-request" | "token-http" | "http-fixed";

/** A small answer, so the rows compare the calls' own costs rather than body transfer. */
export const API_PATH = "/api/v2/tenant/users?offset=0&limit=1";

let y = 0;
const at = () => ({ x: 400, y: (y += 40) });

export function coreHttpRequest(id: string, z: string, url: string, next: string, authorization?: string) {
  return {
    id,
    type: "http request",
    z,
    name: "",
    method: "GET",
    ret: "obj",
    paytoqs: "ignore",
    url,
    tls: "",
    persist: true,
    proxy: "",
    insecureHTTPParser: false,
    authType: "",
    senderr: false,
    headers: authorization
      ? [{ keyType: "other", keyValue: "Authorization", valueType: "other", valueValue: authorization }]
      : [],
    wires: [[next]],
    ...at(),
  };
}

export interface ApiLayoutOptions {
  contender: ApiContender;
  prefix: string;
  simUrl: string;
  account: { clientId: string; clientSecret: string };
  /** For http-fixed: a token fetched beforehand, valid for the whole run. */
  token?: string;
}

export function apiLayout(options: ApiLayoutOptions): FlowSet & { lines: Line[] } {
  const { contender, prefix, simUrl, account } = options;
  const z = `${prefix}-tab`;
  const config = `${prefix}-cfg`;
  const first = `${prefix}-first`;
  const sink = `${prefix}-sink`;
  const flows: Array<Record<string, unknown>> = [{ id: z, type: "tab", label: prefix }];
  const credentials: Record<string, Record<string, string>> = {};
  if (contender !== "http-fixed") {
    flows.push(oneaccessConfig(config, simUrl));
    credentials[config] = { clientId: account.clientId, clientSecret: account.clientSecret };
  }
  if (contender === "api-request") {
    flows.push({
      id: first,
      type: "access-token-request",
      z,
      name: "",
      provider: "oneaccess",
      oneaccess: config,
      method: "GET",
      url: API_PATH,
      ret: "obj",
      retry: true,
      errors: "catch",
      version: 1,
      wires: [[sink]],
      ...at(),
    });
  } else if (contender === "token-http") {
    const http = `${prefix}-http`;
    flows.push(getTokenNode(first, z, config, http), coreHttpRequest(http, z, simUrl + API_PATH, sink));
  } else {
    flows.push(coreHttpRequest(first, z, simUrl + API_PATH, sink, `Bearer ${options.token ?? ""}`));
  }
  flows.push({ id: sink, type: "bench-sink", z, wires: [], ...at() });
  return { flows, credentials, lines: [{ first, sink }] };
}
