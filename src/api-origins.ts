// Where an account's token (and EnOS's signature made with its secret) may be sent: the origins
// (scheme, host, port) of its API URL and of the hosts listed in its API hosts. Compared as WHATWG
// URL origins: default ports dropped, host lower-cased, international names in punycode. Pure.
import { TokenError } from "./errors";

/** The credentials property listing further API origins, comma- or space-separated. */
export const API_HOSTS_PROPERTY = "apiHosts";

/** The origin of an http(s) URL; undefined for text that is no such URL (other schemes have no origin to compare). */
export function httpOrigin(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
}

/**
 * The origins an API hosts text lists. Each entry must be an origin and nothing more: a path, a
 * query, a user or a missing scheme is a config error naming the property and the entry.
 */
export function readApiHosts(text: string, vendor: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const origin = httpOrigin(entry);
      const url = origin === undefined ? undefined : new URL(entry);
      if (!url || url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
        throw new TokenError({
          kind: "config",
          vendor,
          key: "bad-api-host",
          params: { field: API_HOSTS_PROPERTY, value: JSON.stringify(entry) },
        });
      }
      return url.origin;
    });
}

/** The API URL's origin (when it is an http(s) URL) and the listed ones, each once. */
export function apiOrigins(apiUrl: string, listed: readonly string[]): string[] {
  const own = httpOrigin(apiUrl);
  return [...new Set(own === undefined ? listed : [own, ...listed])];
}

/** Where an api request may send the token: the base of relative paths, and the allowed origins. */
export interface ApiTarget {
  /** What relative API paths ("/v1/...") join: the API URL as it is (its path prefix kept); "" when none. */
  readonly base: string;
  /** The API URL's origin and those of its API hosts: the only ones a call carrying the token may go to. */
  readonly origins: ApiOrigins;
}

/** The origins one credentials node's token may be sent to, and how errors name that node. */
export class ApiOrigins {
  constructor(
    readonly origins: readonly string[],
    private readonly owner: string,
  ) {}

  /**
   * Refuse a call to any other origin, before a token is fetched or a call signed: a flow that
   * passes an untrusted msg.url must not hand the account to that URL's host.
   */
  check(url: string, vendor: string): void {
    const origin = httpOrigin(url);
    if (origin !== undefined && this.origins.includes(origin)) return;
    // Another scheme has no origin: its scheme and host name it (the rest may hold a secret).
    const named = origin ?? (URL.canParse(url) ? `${new URL(url).protocol}//${new URL(url).host}` : "");
    const params = { name: this.owner, origins: this.origins.join(", "), origin: named };
    const key = this.origins.length > 0 ? "api-origin" : "api-origin-none";
    throw new TokenError({ kind: "config", vendor, key, params });
  }
}
