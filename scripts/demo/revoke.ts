// The demo's own tab (npm start only, not an example): an inject per vendor that revokes its current
// tokens at the simulator (POST /__simulator/expire), so the next api request call in an example
// gets the vendor's "token expired" answer and a user sees the node refresh the token and send the
// call again, once; and an inject that shows the simulator's request counters, where that one new
// token request shows.
import type { FlowNode, ProviderId } from "./examples";

export const DEMO_TAB_ID = "demo-simulator-tab";
export const DEMO_TAB_LABEL = "Demo: revoke tokens";

/** Every simulated cloud that hands out tokens (Hikvision Artemis and Alibaba sign each call: none to revoke). */
const VENDORS: ReadonlyArray<[RevokedVendor, string]> = [
  ["orionstar", "OrionStar"],
  ["enos", "EnOS"],
  ["oneaccess", "OneAccess"],
  ["tuya", "Tuya"],
  ["huawei-iam", "Huawei IAM"],
  ["thingsboard", "ThingsBoard"],
  ["ezviz", "EZVIZ"],
];

/** A built-in vendor, or a preset's cloud with tokens. */
type RevokedVendor = ProviderId | "tuya" | "huawei-iam" | "thingsboard" | "ezviz";

/** The id of the inject node that revokes a provider's tokens (what the start test clicks). */
export function revokeInjectId(provider: RevokedVendor): string {
  return `demo-revoke-${provider}`;
}
export const COUNTS_INJECT_ID = "demo-counts";

const INFO = [
  "**Only in the demo (npm start)**: these nodes drive the vendor simulator, not a vendor.",
  "",
  "1. Run an example once (click its inject node): its api request nodes get a token.",
  "2. Click **revoke ... tokens** here: the simulator revokes every current token of that vendor.",
  "3. Click the example's inject node again: the vendor answers the call with its *token expired*",
  "   error (OrionStar `101024`, EnOS `1203`, OneAccess HTTP 401 `invalid_token`, Tuya `1010`,",
  "   Huawei HTTP 401, ThingsBoard HTTP 401, EZVIZ `10002`); the api request",
  "   node asks for a new token, sends the call again, once, and the example's debug output is the",
  "   same as before. The node's status shows the new token's expiry.",
  "4. **token requests so far** shows the simulator's counters: one more token request",
  "   (`orionstar.token`, ...) and one more call for the refused one.",
].join("\n");

function inject(id: string, name: string, payload: string, y: number, wires: string): FlowNode {
  return {
    id,
    type: "inject",
    z: DEMO_TAB_ID,
    name,
    props: [{ p: "payload" }],
    repeat: "",
    crontab: "",
    once: false,
    onceDelay: 0.1,
    topic: "",
    payload,
    payloadType: payload ? "json" : "date",
    x: 160,
    y,
    wires: [[wires]],
  };
}

function httpRequest(id: string, name: string, method: string, url: string, y: number, wires: string): FlowNode {
  return {
    id,
    type: "http request",
    z: DEMO_TAB_ID,
    name,
    method,
    ret: "obj",
    paytoqs: "ignore",
    url,
    tls: "",
    persist: false,
    proxy: "",
    insecureHTTPParser: false,
    authType: "",
    senderr: false,
    headers: [],
    x: 470,
    y,
    wires: [[wires]],
  };
}

function debug(id: string, name: string, complete: string, y: number): FlowNode {
  return {
    id,
    type: "debug",
    z: DEMO_TAB_ID,
    name,
    active: true,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete,
    targetType: "msg",
    statusVal: "",
    statusType: "auto",
    x: 760,
    y,
  };
}

/** The demo tab for the simulator at `simulatorUrl`. */
export function revokeTab(simulatorUrl: string): FlowNode[] {
  const revoke = "demo-revoke-request";
  const counts = "demo-counts-request";
  return [
    { id: DEMO_TAB_ID, type: "tab", label: DEMO_TAB_LABEL, disabled: false, info: INFO, env: [] },
    {
      id: "demo-comment",
      type: "comment",
      z: DEMO_TAB_ID,
      name: "Revoke a vendor's tokens, then click an example again: api request retries once (open me)",
      info: INFO,
      x: 380,
      y: 40,
    },
    ...VENDORS.map(([provider, vendor], index) =>
      inject(
        revokeInjectId(provider),
        `revoke ${vendor} tokens`,
        JSON.stringify({ provider }),
        100 + index * 60,
        revoke,
      ),
    ),
    httpRequest(revoke, "POST /__simulator/expire", "POST", `${simulatorUrl}/__simulator/expire`, 160, "demo-revoked"),
    debug("demo-revoked", "revoked", "payload", 160),
    inject(COUNTS_INJECT_ID, "token requests so far", "", 300, counts),
    httpRequest(
      counts,
      "GET /__simulator/counts",
      "GET",
      `${simulatorUrl}/__simulator/counts`,
      300,
      "demo-counts-shown",
    ),
    debug("demo-counts-shown", "simulator counts", "payload", 300),
  ];
}
