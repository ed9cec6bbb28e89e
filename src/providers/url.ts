/** Join a configured base URL (maybe with a path prefix or a trailing slash) and an API path. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.trim().replace(/\/+$/, "") + path;
}
