// Adapters as the account uses them, for tests that look at one provider's pure description: bound
// to settings and credentials, and an API call's auth headers as authorize sets them.
import type { BoundProvider, Credentials, ProviderAdapter, VendorRequest } from "../../src/providers/types";

export function bound<S, B extends BoundProvider>(
  adapter: ProviderAdapter<S, B>,
  settings: S,
  credentials: Credentials = {},
): B {
  return adapter.bind(settings, credentials);
}

/** An API call as authorize receives it; none given: a GET of no URL (what get token passes when nothing is signed). */
export function apiRequest(call?: { method: string; url: string; body?: string | Uint8Array }): VendorRequest {
  return { purpose: "api", headers: {}, ...(call ?? { method: "GET", url: "" }) };
}

/** The headers authorize adds to an API call with this token. */
export function authHeaders(
  provider: BoundProvider,
  token: string,
  call?: { method: string; url: string; body?: string | Uint8Array },
  now = 0,
): Record<string, string> {
  const sent = provider.authorize(apiRequest(call), token, now);
  // A sign expression makes authorize asynchronous: such tests await authorize themselves.
  if (sent instanceof Promise) throw new Error("authorize evaluates an expression here: await it");
  return { ...sent.headers };
}
