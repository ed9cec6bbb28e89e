// Builders for test flows around the get token node, and small waits on what nodes emit.
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { providers } from "../../src/providers";
import type { ProviderId } from "../../src/providers";
import type { ProviderSimulator } from "../simulator";
import { helper, type TestNode } from "./node-red";
import { shapesOf } from "./secret-shapes";

export function demoCredentials(sim: ProviderSimulator, provider: ProviderId): Record<string, string> {
  const a = sim.accounts;
  if (provider === "orionstar") return { appid: a.orionstar.appid, secret: a.orionstar.secret };
  if (provider === "enos") return { appKey: a.enos.appKey, appSecret: a.enos.appSecret };
  if (provider === "oauth2") return { clientId: a.oauth2.clientId, clientSecret: a.oauth2.clientSecret };
  return { clientId: a.oneaccess.clientId, clientSecret: a.oneaccess.clientSecret };
}

/** A field of a demo account that holds a secret: secret, appSecret, clientSecret, password, secretKey, ... */
const SECRET_FIELD = /secret|password/i;

/** Every secret-like field of every demo account (the vendors', the generic servers', the clouds'), by name. */
export function accountSecrets(sim: ProviderSimulator): Array<{ name: string; value: string }> {
  return Object.entries(sim.accounts).flatMap(([server, account]) =>
    Object.entries(account as Record<string, unknown>)
      .filter(([field, value]) => SECRET_FIELD.test(field) && typeof value === "string" && value !== "")
      .map(([field, value]) => ({ name: `${server}.${field}`, value: value as string })),
  );
}

/** Every demo secret of every account in every shape it can leak in (see shapesOf). */
export function secretsOf(sim: ProviderSimulator): string[] {
  return accountSecrets(sim).flatMap(({ value }) => shapesOf(value));
}

let position = 0;
/** Flow nodes on a tab need x and y, or Node-RED takes them for config nodes. */
export function at(): { x: number; y: number } {
  position += 20;
  return { x: 100 + (position % 400), y: 100 + Math.floor(position / 400) * 40 };
}

export interface GetTokenOptions {
  id?: string;
  z?: string;
  provider: ProviderId;
  config?: string;
  scope?: "flow" | "global" | "none";
  store?: string;
  key?: string;
  margin?: number;
  headers?: boolean;
  wires?: string[][];
}

export function getTokenNode(options: GetTokenOptions): Record<string, unknown> {
  return {
    id: options.id ?? "get",
    type: "access-token",
    z: options.z ?? "tab1",
    name: "",
    provider: options.provider,
    [options.provider]: options.config ?? "cfg",
    scope: options.scope ?? "flow",
    store: options.store ?? "",
    key: options.key ?? "accessToken",
    margin: options.margin ?? 300,
    headers: options.headers ?? true,
    wires: options.wires ?? [["out"]],
    ...at(),
  };
}

export interface ApiRequestOptions {
  id?: string;
  provider: ProviderId;
  config?: string;
  method?: string;
  url?: string;
  ret?: "obj" | "txt" | "bin";
  retry?: boolean;
  errors?: "catch" | "output";
  wires?: string[][];
}

export function apiRequestNode(options: ApiRequestOptions): Record<string, unknown> {
  return {
    id: options.id ?? "api",
    type: "access-token-request",
    z: "tab1",
    name: "",
    provider: options.provider,
    [options.provider]: options.config ?? "cfg",
    method: options.method ?? "GET",
    url: options.url ?? "",
    ret: options.ret ?? "obj",
    retry: options.retry ?? true,
    errors: options.errors ?? "catch",
    version: 1,
    wires: options.wires ?? [["out"]],
    ...at(),
  };
}

/** A tab with api request -> out, and catch -> caught; plus the credentials node (with these properties). */
export function apiFlow(
  provider: ProviderId,
  baseUrl: string,
  options: Partial<ApiRequestOptions> = {},
  config: Record<string, unknown> = {},
) {
  return [
    { id: "tab1", type: "tab", label: "api" },
    configNode(provider, baseUrl, "cfg", config),
    apiRequestNode({ provider, ...options }),
    { id: "out", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
  ];
}

export function configNode(
  provider: ProviderId,
  baseUrl: string,
  id = "cfg",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  // Saved by this release: no migration applies (a test of older configs builds its own).
  const saved = { version: CONFIG_VERSION };
  return {
    id,
    type: providers[provider].configType,
    name: "",
    baseUrl,
    proxy: "",
    tls: "",
    timeout: 10,
    ...saved,
    ...extra,
  };
}

/** A tab with get token -> out, and catch -> caught; plus the credentials node. */
export function basicFlow(
  provider: ProviderId,
  baseUrl: string,
  options: Partial<GetTokenOptions> = {},
): Record<string, unknown>[] {
  return [
    { id: "tab1", type: "tab", label: "one" },
    configNode(provider, baseUrl),
    getTokenNode({ provider, ...options }),
    { id: "out", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
  ];
}

/** Resolve with the next `count` messages a helper node receives. */
export function nextMessages(id: string, count: number, timeoutMs = 10_000): Promise<Array<Record<string, any>>> {
  const node: TestNode = helper.getNode(id);
  const received: Array<Record<string, any>> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${id} received ${received.length} of ${count} messages`)),
      timeoutMs,
    );
    node.on("input", (msg: Record<string, any>) => {
      received.push(msg);
      if (received.length === count) {
        clearTimeout(timer);
        resolve(received);
      }
    });
  });
}

export const nextMessage = async (id: string, timeoutMs?: number) => (await nextMessages(id, 1, timeoutMs))[0];

/** Every status this node has shown so far. */
export function statuses(id: string): Array<Record<string, unknown>> {
  const node = helper.getNode(id);
  // The test helper spies on Node.prototype.status: one spy for all nodes, each call with its node.
  const spy = node.status as unknown as { getCalls(): Array<{ thisValue: unknown; args: any[] }> };
  return spy
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0]);
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolve once the predicate holds (checked every 5 ms), or reject naming `what` after timeoutMs. */
export async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

/** A core tls-config node whose certificates are uploads: its credentials (cadata, certdata, keydata) hold them. */
export function tlsConfigNode(id = "tls"): Record<string, unknown> {
  return { id, type: "tls-config", name: "", cert: "", key: "", ca: "", verifyservercert: true, servername: "" };
}
