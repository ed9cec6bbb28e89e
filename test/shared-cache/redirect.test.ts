// Which @redis/client errors mean "the slot moved, ask the new owner" (a Cluster transaction is then
// run once more on the new owner) and which are real failures: built from the client's own error classes.
import assert from "node:assert/strict";
import { ErrorReply, MultiErrorReply } from "@redis/client";
import { isRedirect } from "../../src/shared-cache/redis-connection";

/** A transaction's replies as the client gives them: values and errors mixed (its type says errors only). */
const multi = (replies: unknown[], errorIndexes: number[]) =>
  new MultiErrorReply(replies as ErrorReply[], errorIndexes);

describe("Cluster redirections", () => {
  it("a MOVED or ASK reply, on its own or among a transaction's replies", () => {
    assert.equal(isRedirect(new ErrorReply("MOVED 3999 127.0.0.1:7001")), true);
    assert.equal(isRedirect(new ErrorReply("ASK 3999 127.0.0.1:7002")), true);
    const replies = ["OK", new ErrorReply("MOVED 3999 127.0.0.1:7001")];
    assert.equal(isRedirect(multi(replies, [1])), true);
  });

  it("anything else is a failure, even one that mentions MOVED later in its text", () => {
    assert.equal(isRedirect(new ErrorReply("EXECABORT Transaction discarded because of previous errors.")), false);
    assert.equal(isRedirect(new ErrorReply("ERR not MOVED 3999")), false);
    assert.equal(isRedirect(new ErrorReply("MOVEDX 1 h:1")), false);
    assert.equal(isRedirect(multi([new ErrorReply("WRONGTYPE Operation"), 1], [0])), false);
    assert.equal(isRedirect(multi(["MOVED 1 h:1"], [])), false, "a text reply is no error");
    for (const value of [undefined, null, "MOVED 1 h:1", { message: "MOVED 1 h:1" }])
      assert.equal(isRedirect(value), false);
  });
});
