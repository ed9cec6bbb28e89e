// The English texts of errors raised outside Node-RED (messages.ts): a catalog entry found by its
// dotted key and its __name__ placeholders filled; a key with no text is answered as itself.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatMessage } from "../src/messages";

describe("messages", () => {
  const root = path.join(__dirname, "..", "..");
  const catalog = JSON.parse(
    fs.readFileSync(path.join(root, "nodes", "locales", "en-US", "access-token.json"), "utf8"),
  ) as { "access-token": { status: Record<string, string> } };
  const status = catalog["access-token"].status;
  const fill = (template: string, values: Record<string, string>) =>
    Object.entries(values).reduce((text, [name, value]) => text.split(`__${name}__`).join(value), template);

  it("fills each placeholder with its parameter, a number as its digits, and one not given with nothing", () => {
    assert.equal(formatMessage("access-token.status.busy", { seconds: 30 }), fill(status.busy, { seconds: "30" }));
    const partial = formatMessage("access-token.status.failed", { vendor: "EnOS" });
    assert.equal(partial, fill(status.failed, { vendor: "EnOS", reason: "" }));
    assert.ok(!partial.includes("undefined") && !partial.includes("__"), partial);
  });

  it("a key with no text in the catalog is answered as itself, however deep it goes, also past a text", () => {
    for (const key of ["nowhere", "nowhere.at.all", "access-token.status.nowhere.deeper", "access-token.status.idle.0"])
      assert.equal(formatMessage(key), key);
    assert.equal(formatMessage("access-token.status"), "access-token.status", "a group of texts is no text");
  });
});
