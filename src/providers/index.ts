// The providers, each one adapter file: this record is the one list of them. Their ids (the
// get token node's `provider` values), the editor's dialogs, the catalog keys per provider and the
// credentials node types all follow from it.
import { custom } from "./custom";
import { enos } from "./enos";
import { oauth2 } from "./oauth2";
import { oneaccess } from "./oneaccess";
import { orionstar } from "./orionstar";
import type { ProviderAdapter } from "./types";

const adapters = { orionstar, enos, oneaccess, oauth2, custom };

export type ProviderId = keyof typeof adapters;

/** An adapter of this package, known by its id. */
export type Provider = ProviderAdapter & { readonly id: ProviderId };

/** In the order the editor offers them. */
export const providers: Readonly<Record<ProviderId, Provider>> = adapters;

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(providers, value);
}

export type * from "./types";
