// A shared token as it is stored in Redis: the token, its times and the fence of the lock holder
// that wrote it, signed with a MAC keyed from the credentials (account-key.ts). Someone who can
// write to Redis but does not hold the credentials cannot make an entry that passes; and a signed
// entry is still held to the rules every token passes (token.ts). Beside the entry the holder
// writes its mark (fence and MAC): a genuine entry that is not the one the mark names is an older
// one put back (a replay), and is refused too.
import { createHmac, timingSafeEqual } from "node:crypto";
import { checkToken, type Token } from "../token";

const VERSION = 2;

export interface EntryOptions {
  /** Binds the entry to its key, so one account's entry cannot be copied to another's. */
  key: string;
  macKey: Buffer;
}

export interface EncodedEntry {
  /** What the token key holds. */
  text: string;
  /** Names this entry among every entry of the key, from either side of a Redis restart: its fence and MAC. */
  mark: string;
}

export function encodeEntry(token: Token, fence: number, options: EntryOptions): EncodedEntry {
  const fields = { v: VERSION, token: token.value, expiresAt: token.expiresAt, obtainedAt: token.obtainedAt, fence };
  const signature = mac(fields, options);
  return { text: JSON.stringify({ ...fields, mac: signature }), mark: markOf(fence, signature) };
}

/**
 * The token in an entry: "forged" when it fails the MAC or the token rules, "replayed" when it is
 * genuine but not the entry `written` marks as the last one written (or nothing is marked),
 * undefined when there is none.
 */
export function decodeEntry(
  text: string | null,
  written: string | null,
  options: EntryOptions,
  now: number,
): Token | "forged" | "replayed" | undefined {
  if (text === null) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    // Not JSON: entry stays undefined, refused just below like any value that is no object.
  }
  if (entry === null || typeof entry !== "object") return "forged";
  const { v, token, expiresAt, obtainedAt, fence, mac: given } = entry as Record<string, unknown>;
  if (v !== VERSION || typeof given !== "string" || typeof fence !== "number") return "forged";
  const expected = Buffer.from(mac({ v, token, expiresAt, obtainedAt, fence }, options), "base64url");
  const actual = Buffer.from(given, "base64url");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return "forged";
  const checked = checkToken(token, expiresAt, obtainedAt, now);
  if (!checked) return "forged";
  return written === markOf(fence, given) ? checked : "replayed";
}

function markOf(fence: number, signature: string): string {
  return `${fence}:${signature}`;
}

function mac(fields: Record<string, unknown>, options: EntryOptions): string {
  const { v, token, expiresAt, obtainedAt, fence } = fields;
  return createHmac("sha256", options.macKey)
    .update(JSON.stringify([v, options.key, token, expiresAt, obtainedAt, fence]))
    .digest("base64url");
}
