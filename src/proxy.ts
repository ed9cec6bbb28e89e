// Which proxy a request goes through, by the rules of the core http request node (its
// lib/proxyHelper.js, "strict" mode), so that our nodes and core's take the same route: the proxy
// node's URL and ignore list when one is selected; else the environment (npm_config_<proto>_proxy,
// <proto>_proxy, npm_config_proxy, all_proxy; npm_config_no_proxy or no_proxy), shaped by
// settings.js `proxyOptions` (lowerCaseOnly, favourUpperCase, excludeNpm). Pure: no I/O.

/** settings.js `proxyOptions`, as the core http request node reads it. */
export interface ProxyOptions {
  lowerCaseOnly?: boolean;
  favourUpperCase?: boolean;
  excludeNpm?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

function envValue(env: Env, key: string, options: ProxyOptions): string {
  if (options.excludeNpm && key.startsWith("npm_config_")) return "";
  const lower = env[key.toLowerCase()];
  const upper = env[key.toUpperCase()];
  if (options.lowerCaseOnly) return lower || "";
  if (options.favourUpperCase) return upper || lower || "";
  return lower || upper || "";
}

/** Whether the host (and port) is on the ignore list: exact names, or suffixes written ".x" or "*.x"; "*" is all. */
export function bypassesProxy(hostname: string, port: number, noProxy: string): boolean {
  const list = noProxy.toLowerCase();
  if (!list) return false;
  if (list === "*") return true;
  const host = hostname.toLowerCase();
  return list.split(/[,\s]/).some((entry) => {
    if (!entry) return false;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    const name = withPort ? withPort[1] : entry;
    if (withPort && Number(withPort[2]) !== port) return false;
    if (!/^[.*]/.test(name)) return host === name;
    return host.endsWith(name.startsWith("*") ? name.slice(1) : name);
  });
}

/** The proxy URL for a request to `target`, or "" to go direct. */
export function proxyForUrl(target: URL, env: Env, options: ProxyOptions = {}): string {
  const proto = target.protocol.replace(/:$/, "");
  // Brackets kept around an IPv6 host, as core keeps them.
  const hostname = target.host.replace(/:\d*$/, "");
  const port = Number(target.port) || DEFAULT_PORTS[proto] || 0;
  const noProxy = envValue(env, "npm_config_no_proxy", options) || envValue(env, "no_proxy", options);
  if (bypassesProxy(hostname, port, noProxy)) return "";
  const proxy =
    envValue(env, `npm_config_${proto}_proxy`, options) ||
    envValue(env, `${proto}_proxy`, options) ||
    envValue(env, "npm_config_proxy", options) ||
    envValue(env, "all_proxy", options);
  // A proxy written without a scheme takes the request's.
  return proxy && !proxy.includes("://") ? `${proto}://${proxy}` : proxy;
}

/** A proxy node's route: its URL for every host but those on its ignore list. */
export function proxyNodeRoute(url: string, noProxy: readonly string[]): (target: URL) => string {
  const list = noProxy.join(",");
  return (target) => {
    const proto = target.protocol.replace(/:$/, "");
    const port = Number(target.port) || DEFAULT_PORTS[proto] || 0;
    return bypassesProxy(target.host.replace(/:\d*$/, ""), port, list) ? "" : url;
  };
}
