// The flow the install test deploys, shaped as the editor sends it: one credentials node per
// provider (with `credentials`, which the runtime moves into the encrypted store) and, per provider,
// an HTTP endpoint GET /token/<provider> -> get token -> payload = token -> http response.
// OrionStar and EnOS keep their token in the "file" context store (it survives a restart without a
// vendor request); OneAccess keeps none, so after a restart it must ask with the decrypted credentials.
import type { Accounts, ProviderId } from "../../simulator";
import { shapesOf } from "../../support/secret-shapes";
import { VENDOR_IDS } from "../../support/vendors";

export const PROVIDER_IDS: readonly ProviderId[] = VENDOR_IDS;
export const TAB = "e2e-tab";
export const configId = (provider: ProviderId) => `cfg-${provider}`;
export const getTokenId = (provider: ProviderId) => `get-${provider}`;
export const contextKey = (provider: ProviderId) => `token_${provider}`;
export const persists = (provider: ProviderId) => provider !== "oneaccess";
export const endpoint = (provider: ProviderId) => `/token/${provider}`;
/** GET /users/oneaccess: api request to OneAccess's users; a failure answers 502 with what Catch got. */
export const API_ENDPOINT = "/users/oneaccess";

export function credentialsFor(accounts: Accounts, provider: ProviderId): Record<string, string> {
  if (provider === "orionstar") return { appid: accounts.orionstar.appid, secret: accounts.orionstar.secret };
  if (provider === "enos") return { appKey: accounts.enos.appKey, appSecret: accounts.enos.appSecret };
  return { clientId: accounts.oneaccess.clientId, clientSecret: accounts.oneaccess.clientSecret };
}

/** Every demo secret in every shape it can leak in (plain, form- and percent-encoded, base64). */
export const secretsOf = (accounts: Accounts): string[] =>
  [accounts.orionstar.secret, accounts.enos.appSecret, accounts.oneaccess.clientSecret].flatMap(shapesOf);

/** Every credential value (ids too): none of them may appear in flows.json or GET /flows. */
export const credentialValuesOf = (accounts: Accounts): string[] =>
  PROVIDER_IDS.flatMap((p) => Object.values(credentialsFor(accounts, p)));

export function installFlow(simUrl: string, accounts: Accounts): Array<Record<string, unknown>> {
  const flow: Array<Record<string, unknown>> = [
    { id: TAB, type: "tab", label: "access token e2e", disabled: false, info: "" },
  ];
  PROVIDER_IDS.forEach((provider, row) => {
    const y = 60 + row * 80;
    const ids = { in: `in-${provider}`, get: getTokenId(provider), set: `set-${provider}`, out: `out-${provider}` };
    flow.push(
      {
        id: configId(provider),
        type: `${provider}-credentials`,
        name: `${provider} e2e`,
        baseUrl: simUrl,
        proxy: "",
        tls: "",
        timeout: 10,
        credentials: credentialsFor(accounts, provider),
      },
      {
        id: ids.in,
        type: "http in",
        z: TAB,
        name: "",
        url: endpoint(provider),
        method: "get",
        upload: false,
        swaggerDoc: "",
        x: 120,
        y,
        wires: [[ids.get]],
      },
      {
        id: ids.get,
        type: "access-token",
        z: TAB,
        name: "",
        provider,
        [provider]: configId(provider),
        scope: persists(provider) ? "flow" : "none",
        store: persists(provider) ? "file" : "",
        key: contextKey(provider),
        margin: 300,
        // EnOS signs each API call and so needs msg.url; this endpoint only hands out the token.
        headers: false,
        x: 320,
        y,
        wires: [[ids.set]],
      },
      {
        id: ids.set,
        type: "change",
        z: TAB,
        name: "",
        rules: [{ t: "set", p: "payload", pt: "msg", to: "token", tot: "msg" }],
        x: 520,
        y,
        wires: [[ids.out]],
      },
      { id: ids.out, type: "http response", z: TAB, name: "", statusCode: "", headers: {}, x: 700, y, wires: [] },
    );
  });
  flow.push(...apiCallRow(60 + PROVIDER_IDS.length * 80));
  return flow;
}

/** GET /users/oneaccess -> api request -> http response; Catch -> payload = msg.error's code and status -> 502. */
function apiCallRow(y: number): Array<Record<string, unknown>> {
  const node = (id: string, type: string, x: number, wires: string[], more: Record<string, unknown>) => ({
    id,
    type,
    z: TAB,
    name: "",
    x,
    y,
    wires: [wires],
    ...more,
  });
  const response = { statusCode: "", headers: {} };
  const http = { url: API_ENDPOINT, method: "get", upload: false, swaggerDoc: "" };
  const caught = [
    { t: "set", p: "payload", pt: "msg", to: '{"code": error.code, "statusCode": error.statusCode}', tot: "jsonata" },
    { t: "set", p: "statusCode", pt: "msg", to: "502", tot: "num" },
  ];
  return [
    node("api-in", "http in", 120, ["api-call"], http),
    node("api-call", "access-token-request", 320, ["api-out"], {
      provider: "oneaccess",
      oneaccess: configId("oneaccess"),
      method: "GET",
      url: "/api/v2/tenant/users",
      ret: "obj",
      retry: true,
      errors: "catch",
    }),
    node("api-out", "http response", 520, [], response),
    node("api-catch", "catch", 120, ["api-error"], { y: y + 40, scope: ["api-call"], uncaught: false }),
    node("api-error", "change", 320, ["api-error-out"], { y: y + 40, rules: caught }),
    node("api-error-out", "http response", 520, [], { y: y + 40, ...response }),
  ];
}
