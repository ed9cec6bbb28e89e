// The token mirrored into flow or global context, so that a persistent or shared context store
// keeps it across restarts and instances. Goes through the async context API: any store works.
import { checkToken, type Token } from "../token";
import type { ProviderId } from "../providers";
import type { ContextStore } from "./node-red";

export type Scope = "flow" | "global" | "none";

export interface ContextEntry {
  token: string;
  expiresAt: number;
  obtainedAt: number;
  provider: ProviderId;
  account: string;
}

export interface ContextLocation {
  store: ContextStore;
  storeName: string | undefined;
  key: string;
}

export function readEntry(location: ContextLocation): Promise<unknown> {
  return new Promise((resolve, reject) => {
    location.store.get(location.key, location.storeName, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

export function writeEntry(location: ContextLocation, entry: ContextEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    location.store.set(location.key, entry, location.storeName, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * A stored entry as a Token, only when it was written for this provider and account and passes the
 * rules a vendor token passes (token.ts): anyone who can write context could have planted it.
 */
export function entryToken(value: unknown, provider: ProviderId, account: string, now = Date.now()): Token | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const entry = value as Partial<Record<keyof ContextEntry, unknown>>;
  if (entry.provider !== provider || entry.account !== account) return undefined;
  return checkToken(entry.token, entry.expiresAt, entry.obtainedAt, now);
}

export function tokenEntry(token: Token, provider: ProviderId, account: string): ContextEntry {
  return { token: token.value, expiresAt: token.expiresAt, obtainedAt: token.obtainedAt, provider, account };
}
