// Flow definitions the bench deploys: tabs of "first node -> bench-sink" lines for the three
// contenders (our get token node, a core change node as the baseline, the incumbent oauth2 node).
import type { FlowSet } from "./runtime";

export interface Line {
  /** The node the driver calls receive() on. */
  first: string;
  sink: string;
}

export interface Accounts {
  clientId: string;
  clientSecret: string;
}

let y = 0;
/** Flow nodes need x and y, or Node-RED takes them for config nodes. */
const at = () => ({ x: 200, y: (y += 40) });

const sink = (id: string, z: string) => ({ id, type: "bench-sink", z, wires: [], ...at() });

/** Our get token node with the defaults a user gets from the palette (flow scope, headers on). */
export function getTokenNode(
  id: string,
  z: string,
  config: string,
  next: string,
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    type: "access-token",
    z,
    name: "",
    provider: "oneaccess",
    oneaccess: config,
    scope: "flow",
    store: "",
    key: "accessToken",
    margin: 300,
    headers: true,
    wires: [[next]],
    ...options,
    ...at(),
  };
}

export function oneaccessConfig(id: string, baseUrl: string): Record<string, unknown> {
  return { id, type: "oneaccess-credentials", name: "", baseUrl, proxy: "", tls: "", timeout: 30 };
}

/**
 * The baseline: a change node that sets msg.token to a constant string; with `header`, also
 * msg.headers.Authorization, the same work our node does with "set headers" on.
 */
export function changeNode(
  id: string,
  z: string,
  token: string,
  next: string,
  header = false,
): Record<string, unknown> {
  const rules = [{ t: "set", p: "token", pt: "msg", to: token, tot: "str" }];
  if (header) rules.push({ t: "set", p: "headers.Authorization", pt: "msg", to: `Bearer ${token}`, tot: "str" });
  return {
    id,
    type: "change",
    z,
    name: "",
    wires: [[next]],
    rules,
    action: "",
    property: "",
    from: "",
    to: "",
    reg: false,
    ...at(),
  };
}

/**
 * The incumbent as its editor saves it for "Client Credentials": every default of its
 * oauth2.html, client id and secret in the flow itself (it reads config.client_id, not credentials).
 */
export function oauth2Node(
  id: string,
  z: string,
  tokenUrl: string,
  account: Accounts,
  next: string,
): Record<string, unknown> {
  return {
    id,
    type: "oauth2",
    z,
    name: "",
    container: "oauth2Response",
    grant_type: "client_credentials",
    access_token_url: tokenUrl,
    authorization_endpoint: "",
    redirect_uri: "",
    open_authentication: "",
    username: "",
    password: "",
    client_id: account.clientId,
    client_secret: account.clientSecret,
    response_type: "",
    access_type: "",
    refresh_token: "",
    prompt: "",
    scope: "",
    resource: "",
    state: "",
    proxy: "",
    debug: false,
    force: false,
    senderr: false,
    client_credentials_in_body: false,
    rejectUnauthorized: true,
    headers: {},
    wires: [[next]],
    ...at(),
  };
}

export type Contender = "get-token" | "change" | "oauth2";

export interface LayoutOptions {
  contender: Contender;
  /** Prefix for every id, so each deploy starts with new nodes and a cold cache. */
  prefix: string;
  tabs: number;
  perTab: number;
  simUrl: string;
  account: Accounts;
  /** Extra properties for our get token node (e.g. headers off). */
  getToken?: Record<string, unknown>;
  /** The change node also sets msg.headers.Authorization. */
  changeHeader?: boolean;
}

/** `tabs` tabs with `perTab` lines each; all get token nodes share one credentials node. */
export function layout(options: LayoutOptions): FlowSet & { lines: Line[] } {
  const { contender, prefix, tabs, perTab, simUrl, account } = options;
  const flows: Array<Record<string, unknown>> = [];
  const credentials: Record<string, Record<string, string>> = {};
  const lines: Line[] = [];
  const config = `${prefix}-cfg`;
  if (contender === "get-token") {
    flows.push(oneaccessConfig(config, simUrl));
    credentials[config] = { clientId: account.clientId, clientSecret: account.clientSecret };
  }
  for (let t = 0; t < tabs; t++) {
    const z = `${prefix}-tab${t}`;
    flows.push({ id: z, type: "tab", label: `${prefix} ${t}` });
    for (let i = 0; i < perTab; i++) {
      const first = `${prefix}-${t}-${i}`;
      const end = `${first}-sink`;
      if (contender === "get-token") flows.push(getTokenNode(first, z, config, end, options.getToken));
      else if (contender === "change")
        flows.push(changeNode(first, z, "baseline-token-0123456789abcdef", end, options.changeHeader));
      else flows.push(oauth2Node(first, z, `${simUrl}/api/v2/tenant/token`, account, end));
      flows.push(sink(end, z));
      lines.push({ first, sink: end });
    }
  }
  return { flows, credentials, lines };
}

/** Several layouts in one deploy (the throughput rounds run every contender in one runtime). */
export function merge(...sets: Array<FlowSet & { lines: Line[] }>): FlowSet {
  return {
    flows: sets.flatMap((s) => s.flows),
    credentials: Object.assign({}, ...sets.map((s) => s.credentials)),
  };
}

/** Where each contender leaves the token. */
export function tokenOf(contender: Contender, msg: Record<string, any>): unknown {
  return contender === "oauth2" ? msg.oauth2Response?.access_token : msg.token;
}
