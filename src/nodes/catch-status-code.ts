// msg.error.statusCode for Catch nodes. Node-RED builds a Catch node's msg.error itself, from the
// error's message, code, stack and cause only (Flow.handleError, 4.x and 5.x), so no node can put
// the HTTP status there. A message hook does it: just before a Catch node receives an error of ours,
// the status the error carries in its cause is copied up to msg.error.statusCode.
import type { NodeAPI } from "./node-red";

/** Node-RED's `hookName.label`: the label lets a second load of these nodes replace, not add. */
const HOOK_ID = "onReceive.iotTokenErrorStatus";
/** The node types whose errors carry `cause.statusCode` (CatchableError). */
const SOURCE_TYPES: ReadonlySet<unknown> = new Set(["access-token", "access-token-request"]);

interface ReceiveEvent {
  msg: { error?: unknown };
  destination: { node?: { type?: string } };
}

/** Copies cause.statusCode to statusCode when the message is a Catch node's and the error is ours. */
export function liftStatusCode(event: ReceiveEvent): void {
  const error = event.msg.error;
  if (typeof error !== "object" || error === null) return;
  if (event.destination.node?.type !== "catch") return;
  const { source, cause, statusCode } = error as { source?: { type?: unknown }; cause?: unknown; statusCode?: unknown };
  if (!SOURCE_TYPES.has(source?.type) || statusCode !== undefined) return;
  const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === "number") Object.assign(error, { statusCode: status });
}

export function registerCatchStatusCode(RED: NodeAPI): void {
  // Every supported Node-RED has hooks; without them the status stays in msg.error.cause only.
  if (!RED.hooks) return;
  RED.hooks.remove(HOOK_ID);
  RED.hooks.add(HOOK_ID, (event: ReceiveEvent) => {
    liftStatusCode(event);
  });
}
