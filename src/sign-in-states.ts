// The sign-ins under way: each `state` (RFC 6749 10.12) handed to a browser with the PKCE verifier
// it goes with (RFC 7636), kept on the server only, for 10 minutes, and given back once. Whoever
// holds a state may finish that sign-in: it was made for a user whom the authorize route let in
// (the callback, reached by the vendor's redirect, carries no login of Node-RED's own).
/** How long a sign-in may take, from the Sign in button to the callback. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;
/** Sign-ins under way at once, at most: the oldest is dropped for a new one (no unbounded memory). */
export const MAX_PENDING = 100;
/** Our states are 43 characters; anything much longer is not one of them. */
const MAX_STATE_LENGTH = 128;

export interface PendingSignIn {
  /** The credentials node that signs in. */
  readonly nodeId: string;
  /** Its settings when the sign-in began (CredentialsConfig.comparable): a redeploy in between ends it. */
  readonly comparable: string;
  readonly verifier: string;
  /** The redirect URI the browser was sent with: the code exchange must name the same (RFC 6749 4.1.3). */
  readonly redirectUri: string;
  /** The Node-RED user who started it (none without adminAuth). */
  readonly user?: string;
}

export class SignInStates {
  private readonly pending = new Map<string, PendingSignIn & { readonly expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keep a sign-in under this state (one this module's caller made unguessable). */
  add(state: string, entry: PendingSignIn): void {
    this.sweep();
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(state, { ...entry, expiresAt: this.now() + SIGN_IN_TTL_MS });
  }

  /** The sign-in of this state, once: undefined when unknown, used already or expired. */
  take(state: unknown): PendingSignIn | undefined {
    if (typeof state !== "string" || state.length > MAX_STATE_LENGTH) return undefined;
    const entry = this.pending.get(state);
    if (!entry) return undefined;
    this.pending.delete(state);
    if (entry.expiresAt <= this.now()) return undefined;
    const { expiresAt: _expiresAt, ...pending } = entry;
    return pending;
  }

  /** How many are kept (expired ones are dropped as new ones come). */
  get size(): number {
    return this.pending.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [state, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(state);
  }
}
