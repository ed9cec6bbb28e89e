// The sign-ins under way (src/sign-in-states.ts): a state is given back once, within 10 minutes,
// and only as many are kept as the bound allows.
import assert from "node:assert/strict";
import { MAX_PENDING, SIGN_IN_TTL_MS, SignInStates } from "../src/sign-in-states";

const entry = (nodeId = "n1") => ({
  nodeId,
  comparable: "c",
  verifier: "v",
  redirectUri: "https://nr/cb",
  user: "ann",
});

describe("sign-in states", () => {
  let now = 1_000_000;
  const clock = () => now;

  it("gives a state's sign-in back once", () => {
    const states = new SignInStates(clock);
    states.add("s1", entry());
    assert.deepEqual(states.take("s1"), entry());
    assert.equal(states.take("s1"), undefined, "reused");
    assert.equal(states.take("never-issued"), undefined, "unknown");
    assert.equal(states.take(undefined), undefined);
    assert.equal(states.take(["s1"]), undefined);
  });

  it("forgets a sign-in after 10 minutes", () => {
    const states = new SignInStates(clock);
    states.add("s1", entry());
    states.add("s2", entry());
    now += SIGN_IN_TTL_MS - 1;
    assert.ok(states.take("s1"), "just in time");
    now += 1;
    assert.equal(states.take("s2"), undefined, "expired");
  });

  it("keeps at most MAX_PENDING, dropping the oldest, and sweeps expired ones", () => {
    const states = new SignInStates(clock);
    for (let i = 0; i <= MAX_PENDING; i++) states.add(`s${i}`, entry(`n${i}`));
    assert.equal(states.size, MAX_PENDING);
    assert.equal(states.take("s0"), undefined, "the oldest went");
    assert.equal(states.take(`s${MAX_PENDING}`)?.nodeId, `n${MAX_PENDING}`);
    now += SIGN_IN_TTL_MS;
    states.add("fresh", entry());
    assert.equal(states.size, 1);
  });

  it("refuses a state longer than any it issues without looking it up", () => {
    const states = new SignInStates(clock);
    const long = "x".repeat(200);
    states.add(long, entry());
    assert.equal(states.take(long), undefined);
    // The bound itself: a state of 128 characters is looked up, one of 129 is not.
    const longest = "y".repeat(128);
    states.add(longest, entry());
    states.add(`${longest}z`, entry());
    assert.deepEqual(states.take(longest), entry());
    assert.equal(states.take(`${longest}z`), undefined);
  });
});
