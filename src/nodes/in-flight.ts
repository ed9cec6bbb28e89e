// The messages a node is still working on. Each ends in send + done, or in done(err); a throw from
// Node-RED's own send or done (a message whose getter throws when Catch clones it) is reported,
// never left as an unhandled rejection that would stop Node-RED. Messages cut off by a redeploy
// (their token request or call aborted) are neither sent nor completed: one log line counts them.
import { TokenError } from "../errors";
import type { Node, NodeMessage } from "./node-red";
import type { Translate } from "./translate";

export class InFlight {
  private pending = 0;
  private closed = false;
  /** Messages ended by the close, reported once when the last of them has settled. */
  private dropped = 0;

  constructor(
    private readonly node: Node,
    private readonly t: Translate,
  ) {}

  run(
    work: Promise<NodeMessage>,
    send: (msg: NodeMessage) => void,
    done: (err?: Error) => void,
    fail: (err: unknown) => void,
  ): void {
    this.pending += 1;
    work
      .then(
        (out) => {
          send(out);
          done();
        },
        (err: unknown) => {
          if (this.closed && err instanceof TokenError && err.kind === "aborted") this.dropped += 1;
          else fail(err);
        },
      )
      .catch((err: unknown) => this.node.error(err))
      .finally(() => {
        this.pending -= 1;
        if (this.closed && this.pending === 0 && this.dropped > 0) {
          this.node.warn(this.t("access-token.warn.dropped", { count: this.dropped }));
          this.dropped = 0;
        }
      });
  }

  /** From now on an aborted message is one of those the redeploy ended. */
  close(): void {
    this.closed = true;
  }
}
