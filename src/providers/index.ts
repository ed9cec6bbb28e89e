import { enos } from "./enos";
import { oneaccess } from "./oneaccess";
import { orionstar } from "./orionstar";
import type { ProviderAdapter, ProviderId } from "./types";

export const providers: Record<ProviderId, ProviderAdapter> = { orionstar, enos, oneaccess };

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(providers, value);
}

export type * from "./types";
