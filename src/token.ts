// The token's data type and its freshness rule. A leaf: it imports nothing of ours, so every other
// module (token source, shared cache, nodes) can depend on it without an import circle.
export interface Token {
  value: string;
  /** Epoch ms at which the vendor stops accepting it (local receive time + expires_in). */
  expiresAt: number;
  /** Epoch ms at which it was received: expiresAt - obtainedAt is the lifetime. */
  obtainedAt: number;
}

/** Fresh while more than the margin (at most half the lifetime) remains. */
export function isFresh(token: Token, now: number, marginMs: number): boolean {
  const margin = Math.min(Math.max(marginMs, 0), (token.expiresAt - token.obtainedAt) / 2);
  return now < token.expiresAt - margin;
}
