// What the get token node "get" of a test flow answers a message with: the message it sends on
// ("out"), or the error that reaches the Catch node ("caught") with its status red. Each is handed
// to the suite's leak sweep.
import assert from "node:assert/strict";
import { nextMessage, statuses } from "./flows";
import { helper } from "./node-red";
import type { SimulatorSuite } from "./simulator-suite";

/** The message get token sends on for `msg` (it may carry the token, never a secret). */
export async function tokenMessage(
  suite: SimulatorSuite,
  msg: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const out = nextMessage("out");
  helper.getNode("get").receive(msg);
  return suite.remember(await out, { tokenAllowed: true });
}

/** The error a message brings to Catch (msg.error), with get token's last status red. */
export async function caughtError(suite: SimulatorSuite): Promise<Record<string, any>> {
  const caught = nextMessage("caught");
  helper.getNode("get").receive({ payload: "p" });
  const msg = suite.remember(await caught);
  assert.equal(msg.payload, "p", "the original message reaches Catch");
  assert.equal(statuses("get").at(-1)?.fill, "red");
  return msg.error;
}
