// A root hook (mocha's "require" in .mocharc): after every test the timers and the clock are the
// real ones again. A fake clock left installed, or put back by a second restore of sinon's default
// sandbox, stops every later suite's timeouts and polls; this names the test that left it.
import assert from "node:assert/strict";

const REAL = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  Date: globalThis.Date,
};

export const mochaHooks = {
  afterEach(): void {
    for (const [name, real] of Object.entries(REAL)) {
      assert.equal(
        globalThis[name as keyof typeof REAL],
        real,
        `${name} is faked after this test (left installed, or put back by a sinon.restore() of an earlier suite's fakes)`,
      );
    }
  },
};
