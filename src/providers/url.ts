import { API_HOSTS_PROPERTY } from "../api-origins";
import { TokenError } from "../errors";
import type { ConfigProperties, FormProperty } from "./types";

/** Every provider's dialog: further origins (beside the API URL's) that the token may be sent to. */
export const API_HOSTS: FormProperty = {
  name: API_HOSTS_PROPERTY,
  input: { kind: "text" },
  default: "",
  required: false,
};
/** oauth2's and custom's dialog: the API's URL, which their token URL is not (empty: absolute URLs only). */
export const API_URL: FormProperty = { name: "apiUrl", input: { kind: "text" }, default: "", required: false };

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
