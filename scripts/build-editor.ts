// The build's editor step (after tsc): Node-RED finds a node's .html, locales/ and icons/ next to
// its .js, so the editor side (nodes/) and the icons are copied beside the compiled runtime
// (dist/src/nodes/), and the copied access-token.html gets its generated parts: the credentials
// dialogs and the provider definitions (scripts/editor-html.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { renderEditorHtml } from "./editor-html";

/** dist/scripts/build-editor.js -> the repository root. */
const root = path.resolve(__dirname, "..", "..");
const target = path.join(root, "dist", "src", "nodes");
const editorFile = path.join(target, "access-token.html");

async function main(): Promise<void> {
  fs.mkdirSync(target, { recursive: true });
  fs.cpSync(path.join(root, "nodes"), target, { recursive: true });
  fs.cpSync(path.join(root, "icons"), path.join(target, "icons"), { recursive: true });
  // Loaded after the copy: the runtime's messages (src/messages.ts) load the en-US catalog from it.
  const { CONFIG_VERSION } = await import("../src/nodes/config-version");
  const { editorDefinitions } = await import("../src/providers/editor-definitions");
  fs.writeFileSync(
    editorFile,
    renderEditorHtml(fs.readFileSync(editorFile, "utf8"), editorDefinitions(CONFIG_VERSION)),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
