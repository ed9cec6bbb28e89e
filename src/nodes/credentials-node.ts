// The three credentials config node types, made by one factory over the provider adapters. Each
// config node owns one HttpClient (its proxy, TLS and timeout) and one TokenSource: the cache that
// every get token node using these credentials shares, across all flows.
import { TokenError } from "../errors";
import { DEFAULT_TIMEOUT_MS, HttpClient, type HttpSettings, type TlsSettings } from "../http";
import { providers } from "../providers";
import type { Credentials, ProviderAdapter, ProviderId } from "../providers/types";
import { acquireSharedCache, readSharedCacheSetting, SHARED_CACHE_SETTING, type RuntimeLog, type SharedCacheLease } from "../shared-cache/runtime-cache";
import { SharedRefresh } from "../shared-cache/shared-refresh";
import { TokenSource } from "../token-source";
import type { Node, NodeAPI, NodeDef } from "./node-red";
import { translator, type Translate } from "./translate";

export interface CredentialsNode extends Node {
  readonly provider: ProviderId;
  /** Why this node cannot fetch tokens (missing field, bad URL), or undefined when it can. */
  readonly configError?: TokenError;
  readonly source?: TokenSource;
  /** Credentials for request signing (EnOS); never copied into a message. */
  readonly signingCredentials: Credentials;
}

interface ProxyNode {
  url?: string;
  noproxy?: string[];
  credentials?: { username?: string; password?: string };
}

interface TlsConfigNode {
  addTLSOptions(options: Record<string, unknown>): Record<string, unknown>;
}

/** settings.js option that allows plain HTTP to hosts other than loopback (default: refused). */
export const ALLOW_HTTP_SETTING = "accessTokenAllowHttp";

export function registerCredentialsNodes(RED: NodeAPI): void {
  for (const adapter of Object.values(providers)) {
    const credentialTypes = Object.fromEntries(
      adapter.credentialFields.map((field) => [field, { type: adapter.secretFields.includes(field) ? "password" : "text" } as const]),
    );
    RED.nodes.registerType(
      adapter.configType,
      function (this: Node, config: NodeDef) {
        RED.nodes.createNode(this, config);
        setUp(RED, this as Node & Record<string, unknown>, config, adapter);
      },
      { credentials: credentialTypes },
    );
  }
}

function setUp(RED: NodeAPI, node: Node & Record<string, unknown>, config: NodeDef, adapter: ProviderAdapter): void {
  const t = translator(RED);
  node.provider = adapter.id;
  node.signingCredentials = { ...node.credentials };
  const baseUrl = typeof config.baseUrl === "string" ? config.baseUrl.trim() : "";
  const missing = adapter.credentialFields.find((field) => !node.credentials?.[field]);
  if (!baseUrl || missing) {
    node.configError = new TokenError({
      kind: "config",
      vendor: adapter.vendor,
      key: "missing-field",
      params: { field: t(missing ? `${adapter.configType}.label.${missing}` : "common.label.baseUrl") },
    });
    return;
  }
  const settings = httpSettings(RED, config);
  const http = new HttpClient(settings);
  const lease = sharedCacheLease(RED, node, t);
  // The lock outlives the holder's slowest vendor request (its HTTP timeout) plus a few Redis round trips.
  const shared = lease && new SharedRefresh({ store: lease.store, outage: lease.outage, lockTtlMs: (settings.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 5_000 });
  const source = new TokenSource({ adapter, baseUrl, credentials: { ...node.credentials }, http, shared });
  node.source = source;
  // The held token still works, so messages go on; the failed refresh is logged once, here.
  source.on("refresh-error", (error: TokenError) => node.warn(error.localize(t)));
  node.on("close", (_removed: boolean, done: () => void) => {
    source.close();
    Promise.all([http.close(), lease?.release()]).then(() => done(), () => done());
  });
}

/** The runtime's shared Redis client when settings.js asks for one; a bad option is reported and ignored (tokens stay per instance). */
function sharedCacheLease(RED: NodeAPI, node: Node, t: Translate): SharedCacheLease | undefined {
  try {
    const setting = readSharedCacheSetting(RED.settings[SHARED_CACHE_SETTING]);
    if (!setting) return undefined;
    const log = (RED as unknown as { log?: RuntimeLog }).log;
    return acquireSharedCache(setting, log ?? { warn: (text) => node.warn(text), info: (text) => node.log(text) }, t);
  } catch (err) {
    node.error(t("access-token.warn.shared-cache-ignored", { setting: SHARED_CACHE_SETTING, detail: err instanceof Error ? err.message : String(err) }));
    return undefined;
  }
}

function httpSettings(RED: NodeAPI, config: NodeDef): HttpSettings {
  const seconds = Number(config.timeout);
  const settings: HttpSettings = {
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS,
    allowInsecureHttp: RED.settings[ALLOW_HTTP_SETTING] === true,
  };
  const proxy = typeof config.proxy === "string" && config.proxy ? (RED.nodes.getNode(config.proxy) as ProxyNode | null) : null;
  if (proxy?.url) {
    settings.proxy = {
      url: proxy.url,
      noProxy: proxy.noproxy,
      username: proxy.credentials?.username,
      password: proxy.credentials?.password,
    };
  }
  const tls = typeof config.tls === "string" && config.tls ? (RED.nodes.getNode(config.tls) as TlsConfigNode | null) : null;
  if (tls) settings.tls = tls.addTLSOptions({}) as TlsSettings;
  return settings;
}
