// What the custom provider's JSONata expressions see: $key, $secret, $timestamp (ms), $nonce and
// the functions home-made token endpoints sign with (./custom-functions.ts).
import { randomBytes } from "node:crypto";
import { functions } from "./custom-functions";
import type { Credentials, RequestStamp } from "./types";

/** $key, $secret and the functions. */
export function accountBindings(credentials: Credentials): Record<string, unknown> {
  return { key: credentials.key ?? "", secret: credentials.secret ?? "", ...functions };
}

/** A new timestamp and nonce for every request, the same in every expression of it. */
export function newStamp(now: number): RequestStamp {
  return { timestamp: Math.floor(now), nonce: randomBytes(16).toString("hex") };
}

/** $key, $secret, the functions, and the request's $timestamp and $nonce. */
export function requestBindings(credentials: Credentials, stamp: RequestStamp): Record<string, unknown> {
  return { ...accountBindings(credentials), timestamp: stamp.timestamp, nonce: stamp.nonce };
}

/** The secret as it may appear in a JSON body or a message, besides its URL forms (redact.ts). */
export function secretForms(secret: string | undefined): string[] {
  // No secret (a credential left out): nothing to mask.
  if (!secret) return [];
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1)])];
}
