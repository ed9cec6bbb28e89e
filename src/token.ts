// The token's data type, its freshness rule and the one validation every token passes, wherever it
// comes from (the vendor's answer, another instance through Redis, a context store). A leaf: it
// imports nothing of ours, so every other module can depend on it without an import circle.
export interface Token {
  value: string;
  /** Epoch ms at which the vendor stops accepting it (local receive time + expires_in). */
  expiresAt: number;
  /** Epoch ms at which it was received: expiresAt - obtainedAt is the lifetime. */
  obtainedAt: number;
}

/** Tokens longer than this are refused: OrionStar documents up to 2048 bytes; 8 KiB leaves room. */
export const MAX_TOKEN_LENGTH = 8192;
/** A lifetime shorter than this is refused: it would mean a vendor request per message. */
export const MIN_LIFETIME_MS = 1_000;
/** A vendor claiming a longer lifetime is believed only this far: refetching daily costs nothing. */
export const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** How far another instance's clock may run ahead of ours when it stamps obtainedAt. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** Fresh while more than the margin (at most half the lifetime) remains. */
export function isFresh(token: Token, now: number, marginMs: number): boolean {
  const lifetime = Math.max(token.expiresAt - token.obtainedAt, 0);
  const margin = Math.min(Math.max(marginMs, 0), lifetime / 2);
  return now < token.expiresAt - margin;
}

/** Goes into an HTTP header as is: printable ASCII without spaces (no CR LF), and not huge. */
export function isTokenValue(value: unknown): value is string {
  return (
    typeof value === "string" && value.length > 0 && value.length <= MAX_TOKEN_LENGTH && /^[\x21-\x7e]+$/.test(value)
  );
}

/**
 * A vendor's lifetime in seconds as the ms we believe: undefined when it is under a second (or no
 * number), capped at a day. A finite number of seconds that overflows to Infinity as ms (>= 1.8e305)
 * is as large as any other.
 */
export function believedLifetimeMs(seconds: number): { ms: number; capped: boolean } | undefined {
  const ms = seconds * 1000;
  if (!Number.isFinite(seconds) || ms < MIN_LIFETIME_MS) return undefined;
  return ms > MAX_LIFETIME_MS ? { ms: MAX_LIFETIME_MS, capped: true } : { ms, capped: false };
}

/**
 * A token read from somewhere other than the vendor's answer, accepted only within the bounds a
 * vendor token is held to: the same value rules, obtainedAt <= expiresAt, a lifetime between a
 * second and a day, obtained no later than now (give or take clock skew). Undefined otherwise.
 */
export function checkToken(value: unknown, expiresAt: unknown, obtainedAt: unknown, now: number): Token | undefined {
  if (!isTokenValue(value)) return undefined;
  if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) return undefined;
  if (typeof obtainedAt !== "number" || !Number.isFinite(obtainedAt)) return undefined;
  const lifetime = expiresAt - obtainedAt;
  if (lifetime < MIN_LIFETIME_MS || lifetime > MAX_LIFETIME_MS) return undefined;
  if (obtainedAt > now + MAX_CLOCK_SKEW_MS) return undefined;
  return { value, expiresAt, obtainedAt };
}
