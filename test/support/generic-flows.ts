// Flows and one-off token sources for the generic providers (oauth2, custom) against the simulator.
import * as fs from "node:fs";
import * as path from "node:path";
import { HttpClient } from "../../src/http";
import { providers, type ProviderId } from "../../src/providers";
import type { Credentials } from "../../src/providers/types";
import type { Token } from "../../src/token";
import { TokenSource } from "../../src/token-source";
import type { ProviderSimulator } from "../simulator";
import { expressionEvaluator } from "./expressions";
import { at, getTokenNode } from "./flows";

export const CUSTOM_EXAMPLE = "Custom token - a signed home-made endpoint and the three vendors in JSONata.json";

/** A credentials node of the custom example, by id: the descriptions docs/custom-language.md shows. */
export function exampleConfig(id: string): Record<string, unknown> {
  const file = path.join(__dirname, "..", "..", "..", "examples", CUSTOM_EXAMPLE);
  const flow = JSON.parse(fs.readFileSync(file, "utf8")) as Array<Record<string, unknown>>;
  const node = flow.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id} in the custom example`);
  return node;
}

/** The token URL moved to the simulator, its path kept; an API URL moved there too. */
export function onSimulator(config: Record<string, unknown>, sim: ProviderSimulator): Record<string, unknown> {
  const apiUrl = config.apiUrl ? { apiUrl: sim.url } : {};
  return { ...config, tokenUrl: sim.url + new URL(String(config.tokenUrl)).pathname, ...apiUrl };
}

/** One token through a TokenSource over real HTTP, as a credentials node gets it. */
export async function sourceToken(
  provider: ProviderId,
  config: Record<string, unknown>,
  credentials: Credentials,
): Promise<Token> {
  const adapter = providers[provider];
  const http = new HttpClient();
  const source = new TokenSource({
    provider: adapter.bind(adapter.settings(config, expressionEvaluator), credentials),
    http,
  });
  try {
    return await source.get();
  } finally {
    source.close();
    await http.close();
  }
}

/** get token -> out and http request -> api, catch -> caught; with a credentials node `cfg`. */
export function genericFlow(provider: ProviderId, config: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { id: "tab1", type: "tab", label: "generic" },
    { name: "", proxy: "", tls: "", timeout: 10, ...config, id: "cfg", type: providers[provider].configType },
    getTokenNode({ provider, wires: [["out", "call"]] }),
    { id: "out", type: "helper", z: "tab1", ...at() },
    {
      id: "call",
      type: "http request",
      z: "tab1",
      method: "GET",
      ret: "obj",
      paytoqs: "ignore",
      url: "",
      tls: "",
      persist: false,
      proxy: "",
      authType: "",
      senderr: false,
      headers: [],
      wires: [["api"]],
      ...at(),
    },
    { id: "api", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
  ];
}
