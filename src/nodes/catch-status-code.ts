// msg.error.statusCode for Catch nodes. Node-RED builds a Catch node's msg.error itself, from the
// error's message, code, stack and cause only (Flow.handleError, 4.x and 5.x), so no node can put
// the HTTP status there. A message hook does it: just before a Catch node receives an error of ours,
// the status the error carries in its cause is copied up to msg.error.statusCode.
//
// The hook is in place only while done(err) runs: Node-RED hands the error to the Catch nodes
// synchronously inside it (Node._complete -> error -> Flow.handleError -> catch.receive), so every
// other message of the runtime is delivered without a hook of ours to call. (Were another package's
// onReceive hook to answer asynchronously, ours would run too late and the status stays only in
// msg.error.cause.statusCode.)
import type { NodeAPI } from "./node-red";

/** Node-RED's `hookName.label`. */
export const CATCH_STATUS_HOOK = "onReceive.iotTokenErrorStatus";
/** The node types whose errors carry `cause.statusCode` (CatchableError). */
const SOURCE_TYPES: ReadonlySet<unknown> = new Set(["access-token", "access-token-request"]);

type Hooks = NonNullable<NodeAPI["hooks"]>;

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

/** How many done(err) calls are running (one inside another is possible): the hook is removed after the last. */
let reporting = 0;

/** done(err), with the hook in place while Node-RED hands the error to the Catch nodes. */
export function doneWithStatusCode(hooks: NodeAPI["hooks"], done: (err: Error) => void, err: Error): void {
  // Every supported Node-RED has hooks; without them the status stays in msg.error.cause only.
  if (!hooks) return done(err);
  if (reporting++ === 0) install(hooks);
  try {
    done(err);
  } finally {
    if (--reporting === 0) hooks.remove(CATCH_STATUS_HOOK);
  }
}

function install(hooks: Hooks): void {
  // A hook left by a load of these nodes that ended mid-report would make add() throw: replace it.
  hooks.remove(CATCH_STATUS_HOOK);
  hooks.add(CATCH_STATUS_HOOK, (event: ReceiveEvent) => {
    liftStatusCode(event);
  });
}
