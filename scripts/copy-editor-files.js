// Node-RED finds a node's .html, locales/ and icons/ next to its .js, so the editor
// side (nodes/) and the icons are copied beside the compiled runtime side (dist/src/nodes/).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const target = path.join(root, "dist", "src", "nodes");
fs.mkdirSync(target, { recursive: true });
fs.cpSync(path.join(root, "nodes"), target, { recursive: true });
fs.cpSync(path.join(root, "icons"), path.join(target, "icons"), { recursive: true });
