import { TokenError } from "../errors";
import type { ConfigProperties } from "./types";

/** Join a configured base URL (maybe with a path prefix or a trailing slash) and an API path. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.trim().replace(/\/+$/, "") + path;
}

/** The vendors' setting: the config node's base URL, trimmed; a missing one is a config error naming it. */
export function baseUrlSetting(vendor: string, config: ConfigProperties): string {
  const baseUrl = typeof config.baseUrl === "string" ? config.baseUrl.trim() : "";
  if (!baseUrl) throw new TokenError({ kind: "config", vendor, key: "missing-field", params: { field: "baseUrl" } });
  return baseUrl;
}
