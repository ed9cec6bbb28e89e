// The TokenError a call throws or a promise rejects with; anything else (or nothing) fails the test.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";

export function thrown(fn: () => unknown): TokenError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TokenError, `expected a TokenError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a TokenError");
}

export async function rejection(promise: unknown): Promise<TokenError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TokenError, `expected a TokenError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a TokenError");
}
