// The build's editor step (after tsc): Node-RED finds a node's .html, locales/ and icons/ next to
// its .js, so the editor side (nodes/) and the icons are copied beside the compiled runtime
// (dist/src/nodes/), and the copied access-token.html gets its generated parts: the credentials
// dialogs and the provider definitions (scripts/editor-html.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_VERSION } from "../src/nodes/config-version";
import { editorDefinitions } from "../src/providers/editor-definitions";
import { renderEditorHtml } from "./editor-html";

/** dist/scripts/build-editor.js -> the repository root. */
const root = path.resolve(__dirname, "..", "..");
const target = path.join(root, "dist", "src", "nodes");
const editorFile = path.join(target, "access-token.html");

fs.mkdirSync(target, { recursive: true });
fs.cpSync(path.join(root, "nodes"), target, { recursive: true });
fs.cpSync(path.join(root, "icons"), path.join(target, "icons"), { recursive: true });
fs.writeFileSync(editorFile, renderEditorHtml(fs.readFileSync(editorFile, "utf8"), editorDefinitions(CONFIG_VERSION)));
