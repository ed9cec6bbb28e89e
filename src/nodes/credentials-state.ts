// What the editor shows of a credentials node (its dialog's state panel, the Tokens sidebar):
// whether a token is held (never its value), until when, from where, the last error, the shared
// cache's state. Read from the node's account, or its problem when it has none.
import type { TokenError } from "../errors";
import type { Provider, ProviderId } from "../providers";
import type { TokenOrigin } from "../token-source";
import type { Working } from "./account-setup";
import type { Translate } from "./translate";

export interface CredentialsState {
  provider: ProviderId;
  vendor: string;
  tokenHeld: boolean;
  expiresAt?: number;
  origin?: TokenOrigin;
  /** The last failure's text (what Catch nodes got), or why the node cannot work. */
  lastError?: string;
  /** Whether settings.js shares tokens through Redis for this node. */
  sharedCache?: "configured" | "off";
  /** With a shared cache: whether Redis answered its last operation (absent before the first). */
  redisReachable?: boolean;
  /** A user's sign-in (grant authorization_code): whether one is held (a refresh token or a valid token). */
  signedIn?: boolean;
  /** Signed in: the account's name, when the vendor's answer gave one (display only). */
  signedInAs?: string;
}

export function describeCredentials(
  adapter: Provider,
  working: Working | { readonly problem: TokenError },
  t: Translate,
): CredentialsState {
  const base = { provider: adapter.id, vendor: adapter.vendor };
  if ("problem" in working) return { ...base, tokenHeld: false, lastError: working.problem.localize(t) };
  const { token, origin, lastError } = working.account.tokens.describe();
  const signIn = working.account.tokens.signInState();
  return {
    ...(signIn ? { signedIn: signIn.signedIn, signedInAs: signIn.accountName } : {}),
    ...base,
    tokenHeld: token !== undefined,
    expiresAt: token?.expiresAt,
    origin: token ? origin : undefined,
    lastError: lastError?.localize(t),
    sharedCache: working.lease ? "configured" : "off",
    redisReachable: working.lease?.outage.reachable,
  };
}
