// The coordination (shared-refresh.ts) on an in-memory store with fake timers: a holder that dies,
// an aborted holder, and waiters woken at once by the share (not after a poll). Runs in milliseconds.
import assert from "node:assert/strict";
import * as sinon from "sinon";
import { SharedRefresh } from "../../src/shared-cache/shared-refresh";
import type { Token } from "../../src/token";
import type { Wanted } from "../../src/token-source";
import { MemoryTokenStore } from "./memory-store";

const LOCK_TTL = 15_000;
const LIFETIME = 3_600_000;

describe("shared refresh interleavings (in-memory store, fake timers)", () => {
  let clock: sinon.SinonFakeTimers;
  let store: MemoryTokenStore;
  let outages: string[];
  let issued: number;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000 });
    store = new MemoryTokenStore(() => Date.now());
    outages = [];
    issued = 0;
  });
  afterEach(() => clock.restore());

  const instance = () =>
    new SharedRefresh({
      store,
      outage: { failed: (e) => outages.push(e.message), ok: () => undefined },
      lockTtlMs: LOCK_TTL,
    });
  const wanted = (extra: Partial<Wanted> = {}): Wanted => ({
    marginMs: 300_000,
    forced: false,
    startedAt: Date.now(),
    macKey: Buffer.alloc(32),
    ...extra,
  });
  /** A vendor request that answers after `ms` on the fake clock. */
  const vendor = (ms: number) => (): Promise<Token> =>
    new Promise((resolve) =>
      setTimeout(() => {
        issued += 1;
        resolve({ value: `token-${issued}`, obtainedAt: Date.now(), expiresAt: Date.now() + LIFETIME });
      }, ms),
    );

  it("waiters are woken by the share itself: done when the holder's request is, not a poll later", async () => {
    const signal = new AbortController().signal;
    const holder = instance().obtain("acct", wanted(), signal, vendor(300));
    await clock.tickAsync(1);
    const finished: number[] = [];
    const waiters = [instance(), instance()].map((i) =>
      i.obtain("acct", wanted(), signal, vendor(300)).then((t) => (finished.push(Date.now()), t)),
    );
    const started = Date.now();
    await clock.tickAsync(299);
    const tokens = await Promise.all([holder, ...waiters]);
    assert.equal(issued, 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
    assert.deepEqual(
      finished.map((at) => at - started),
      [299, 299],
      "woken in the same tick as the share",
    );
  });

  it("a holder that dies: waiters take the lock once it expires, one request", async () => {
    const signal = new AbortController().signal;
    assert.equal(await store.tryLock("acct", LOCK_TTL), 1, "a holder that will never share");
    const waiters = [instance(), instance()].map((i) => i.obtain("acct", wanted(), signal, vendor(100)));
    await clock.tickAsync(LOCK_TTL - 1);
    assert.equal(issued, 0, "nobody asks while the dead holder's lock lasts");
    await clock.tickAsync(LOCK_TTL);
    const tokens = await Promise.all(waiters);
    assert.equal(issued, 1);
    assert.equal(tokens[0].value, tokens[1].value);
  });

  it("an aborted holder releases its lock at once; settled() resolves after that", async () => {
    const controller = new AbortController();
    const shared = instance();
    const holder = shared
      .obtain(
        "acct",
        wanted(),
        controller.signal,
        () =>
          new Promise<Token>((_, reject) =>
            controller.signal.addEventListener("abort", () => reject(new Error("aborted"))),
          ),
      )
      .catch((err: Error) => err);
    await clock.tickAsync(1);
    assert.equal(store.lockOf("acct"), 1);
    controller.abort();
    await shared.settled();
    assert.equal(store.lockOf("acct"), undefined, "released, not left for its TTL");
    assert.match(((await holder) as Error).message, /aborted/);
    assert.equal(clock.countTimers(), 0, "no timer left behind");
  });
});
