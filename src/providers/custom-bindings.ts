// What the custom provider's JSONata expressions see: $key, $secret, $timestamp (ms), $nonce and
// the functions home-made token endpoints sign with. Digests are lowercase hex.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Credentials } from "./types";

function text(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`$${name} needs a text, got ${value === undefined ? "nothing" : typeof value}`);
}

const functions = {
  sha256: (value: unknown) => createHash("sha256").update(text("sha256", value), "utf8").digest("hex"),
  md5: (value: unknown) => createHash("md5").update(text("md5", value), "utf8").digest("hex"),
  hmacSha256: (key: unknown, value: unknown) =>
    createHmac("sha256", text("hmacSha256", key)).update(text("hmacSha256", value), "utf8").digest("hex"),
  base64: (value: unknown) => Buffer.from(text("base64", value), "utf8").toString("base64"),
};

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
