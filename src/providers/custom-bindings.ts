// What the custom provider's JSONata expressions see: $key, $secret, $timestamp (ms), $nonce and
// the functions home-made token endpoints sign with (./custom-functions.ts).
import { randomBytes } from "node:crypto";
import { functions } from "./custom-functions";
import type { Credentials } from "./types";

/** $key, $secret and the functions. */
export function accountBindings(credentials: Credentials): Record<string, unknown> {
  return { key: credentials.key ?? "", secret: credentials.secret ?? "", ...functions };
}

/** Plus $timestamp (ms) and a fresh $nonce: one set per request, shared by its expressions. */
export function bindings(credentials: Credentials, now: number): Record<string, unknown> {
  return { ...accountBindings(credentials), timestamp: Math.floor(now), nonce: randomBytes(16).toString("hex") };
}

/** The secret as it may appear in a JSON body or a message, besides its URL forms (redact.ts). */
export function secretForms(secret: string): string[] {
  if (!secret) return [];
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1)])];
}
