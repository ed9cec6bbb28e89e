// Where a credentials config node sends its secrets, read from its config and settings.js: the base
// of relative API paths and the origins its token may go to, the HTTP settings (timeout, plain-HTTP
// opt-in, proxy, TLS) and the client built from them.
import { API_HOSTS_PROPERTY, apiOrigins, ApiOrigins, httpOrigin, readApiHosts, type ApiTarget } from "../api-origins";
import { TokenError } from "../errors";
import { DEFAULT_TIMEOUT_MS, HttpClient, type HttpSettings, type TlsSettings } from "../http";
import type { Provider } from "../providers";
import type { ProxyOptions } from "../proxy";
import type { NodeAPI, NodeDef } from "./node-red";

/** settings.js option that allows plain HTTP to hosts other than loopback (default: refused). */
export const ALLOW_HTTP_SETTING = "accessTokenAllowHttp";

interface ProxyNode {
  url?: string;
  noproxy?: string[];
  credentials?: { username?: string; password?: string };
}

interface TlsConfigNode {
  addTLSOptions(options: TlsSettings): TlsSettings;
}

/**
 * The credentials' API URL (a vendor's base URL, or the apiUrl of oauth2 and custom) and API hosts.
 * A bad entry (or an apiUrl that is no http(s) URL) is a config error naming its property.
 */
export function apiTarget(config: NodeDef, adapter: Provider, owner: string): ApiTarget {
  const text = (name: string) => (typeof config[name] === "string" ? config[name].trim() : "");
  const property = adapter.form.apiUrlProperty;
  const base = text(property);
  if (base && property === "apiUrl" && httpOrigin(base) === undefined) {
    const value = JSON.stringify(base);
    throw new TokenError({
      kind: "config",
      vendor: adapter.vendor,
      key: "bad-setting",
      params: { field: property, value },
    });
  }
  const listed = readApiHosts(text(API_HOSTS_PROPERTY), adapter.vendor);
  return { base, origins: new ApiOrigins(apiOrigins(base, listed), owner) };
}

/** The HTTP client's settings: the node's timeout, proxy and TLS nodes, and settings.js. */
export function httpSettings(RED: NodeAPI, config: NodeDef): HttpSettings {
  const seconds = Number(config.timeout);
  const settings: HttpSettings = {
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS,
    allowInsecureHttp: RED.settings[ALLOW_HTTP_SETTING] === true,
    proxyOptions: proxyOptions(RED.settings.proxyOptions),
  };
  const proxy = configNode<ProxyNode>(RED, config.proxy);
  if (proxy?.url) {
    settings.proxy = {
      url: proxy.url,
      noProxy: proxy.noproxy,
      username: proxy.credentials?.username,
      password: proxy.credentials?.password,
    };
  }
  const tls = configNode<TlsConfigNode>(RED, config.tls);
  if (tls) settings.tls = tls.addTLSOptions({});
  return settings;
}

/** settings.js `proxyOptions` as the core http request node reads it: only its boolean switches. */
function proxyOptions(value: unknown): ProxyOptions {
  const given = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  return {
    lowerCaseOnly: given.lowerCaseOnly === true,
    favourUpperCase: given.favourUpperCase === true,
    excludeNpm: given.excludeNpm === true,
  };
}

/**
 * The HTTP client, or undefined when its proxy URL (the proxy node's, or http_proxy/https_proxy)
 * does not parse. The parser's error holds the URL, which may hold a password: it is never kept.
 */
export function httpClient(settings: HttpSettings): HttpClient | undefined {
  if (settings.proxy && !URL.canParse(settings.proxy.url)) return undefined;
  try {
    return new HttpClient(settings);
  } catch {
    return undefined;
  }
}

/** A core config node (http proxy, tls-config) by id: typed as the part of it we read. */
function configNode<T>(RED: NodeAPI, id: unknown): T | undefined {
  // getNode answers a node object, or null for an id it does not know.
  return typeof id === "string" && id ? ((RED.nodes.getNode(id) ?? undefined) as T | undefined) : undefined;
}
