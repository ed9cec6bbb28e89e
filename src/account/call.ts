// The steps an API call is made of, each wrapping the next as undici's interceptors wrap dispatch:
// an attempt sends the call with one token and reads the vendor's verdict; resendOnExpiry wraps it
// with one refresh and one resend when that verdict says the token is no longer valid.
import type { HttpAnswer } from "../http";
import type { ApiVerdict } from "../providers/types";
import type { Token } from "../token";

/** One try of a call with one token (none without a token endpoint): the answer, what it means, the token it carried. */
export interface Attempt {
  readonly answer: HttpAnswer;
  readonly verdict: ApiVerdict;
  readonly token?: Token;
}

/** What a call came to: its last attempt, the token it started with, and whether it was sent again. */
export interface CallOutcome extends Attempt {
  readonly firstToken?: Token;
  readonly resent: boolean;
}

export type CallStep = (token: Token | undefined) => Promise<Attempt>;

/** The call sent once, whatever the verdict. */
export function callOnce(attempt: CallStep): (token: Token | undefined) => Promise<CallOutcome> {
  return async (token) => ({ ...(await attempt(token)), firstToken: token, resent: false });
}

/**
 * The call, and on "token no longer valid" one more with the token `renew` gives for the refused
 * one (shared: every call that saw this token refused waits for the same one new token).
 */
export function resendOnExpiry(
  attempt: CallStep,
  renew: (stale: Token) => Promise<Token>,
): (token: Token) => Promise<CallOutcome> {
  return async (token) => {
    const first = await attempt(token);
    if (first.verdict.outcome !== "token-rejected") return { ...first, firstToken: token, resent: false };
    return { ...(await attempt(await renew(token))), firstToken: token, resent: true };
  };
}
