// What every bound provider (types.ts BoundProvider) has alike: the account's fields and secrets
// read once from its credentials, and an authorize step that sets the token's headers on an API
// call. An adapter's bind() starts from these and adds its own token request and answer reading.
import type { BoundProvider, Credentials, ProviderAdapter, SyncBoundProvider, VendorRequest } from "./types";

type Described = Pick<ProviderAdapter, "vendor" | "credentialFields" | "secretFields" | "signsApiCalls">;

/** The account's part of a bound provider, from the adapter's description and the credentials. */
export function accountParts(
  adapter: Described,
  credentials: Credentials,
): Pick<BoundProvider, "vendor" | "fields" | "secrets" | "signsApiCalls"> {
  const value = (field: string) => credentials[field] ?? "";
  return {
    vendor: adapter.vendor,
    fields: adapter.credentialFields.map((field) => [field, value(field)] as const),
    secrets: adapter.secretFields.map(value),
    signsApiCalls: adapter.signsApiCalls,
  };
}

/** Set these headers, replacing any earlier value of the same name whatever its case (a retried message has one). */
export function replaceHeaders<T>(headers: Record<string, T>, replacements: Record<string, T>): Record<string, T> {
  const existing = Object.keys(headers);
  if (existing.length > 0) {
    for (const name of Object.keys(replacements)) {
      const lower = name.toLowerCase();
      for (const header of existing) if (header.toLowerCase() === lower) delete headers[header];
    }
  }
  return Object.assign(headers, replacements);
}

/**
 * An authorize step that gives an API call the token's headers and leaves a token request as it
 * is (the vendors' token requests carry their proof themselves).
 */
export function headerAuthorize(
  authHeaders: (token: string, request: VendorRequest, now: number) => Record<string, string>,
): SyncBoundProvider["authorize"] {
  return (request, token, now) => {
    if (request.purpose !== "api" || token === undefined) return request;
    return { ...request, headers: replaceHeaders({ ...request.headers }, authHeaders(token, request, now)) };
  };
}
