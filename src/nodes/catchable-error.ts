// The error a node hands to done(), which Catch nodes receive as msg.error. Node-RED copies only its
// message, code, stack and cause into msg.error, so what a flow may want to switch on is put there:
// message is the plain text in the runtime's language, code the vendor's code, and cause carries
// the HTTP status (msg.error.cause.statusCode, lifted to msg.error.statusCode by catch-status-code);
// nothing in it is secret.
import { TokenError } from "../errors";
import type { Translate } from "./translate";

export class CatchableError extends Error {
  constructor(text: string, error: TokenError) {
    super(text);
    // The name users see and catch: the one error type of this package.
    this.name = "TokenError";
    if (error.code !== undefined) Object.assign(this, { code: error.code });
    if (error.httpStatus !== undefined) Object.assign(this, { cause: { statusCode: error.httpStatus } });
  }

  override toString(): string {
    return this.message;
  }
}

/** Any failure as a TokenError (an unexpected one named as such), for the status and for Catch. */
export function asTokenError(err: unknown, vendor: string): TokenError {
  if (err instanceof TokenError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new TokenError({ kind: "response", vendor, key: "unexpected", params: { detail } });
}

export function catchable(error: TokenError, t: Translate): CatchableError {
  return new CatchableError(error.localize(t), error);
}
