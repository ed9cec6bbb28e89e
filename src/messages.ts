// English texts for errors raised outside Node-RED. The catalog is the editor's own en-US locale
// file, so a message reads the same in a log, a test and the editor, and is written once.
import * as fs from "node:fs";
import * as path from "node:path";

export type MessageParams = Record<string, string | number | undefined>;

let catalog: Record<string, unknown> | undefined;

function loadCatalog(): Record<string, unknown> {
  if (!catalog) {
    // dist/src/messages.js -> dist/src/nodes/locales/en-US/access-token.json (copied by the build)
    const file = path.join(__dirname, "nodes", "locales", "en-US", "access-token.json");
    catalog = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  }
  return catalog;
}

export function lookup(key: string): string | undefined {
  let node: unknown = loadCatalog();
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** Node-RED's i18next interpolation is `__name__`; the same syntax is used here. */
export function interpolate(template: string, params: MessageParams): string {
  return template.replace(/__([A-Za-z0-9_]+?)__/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? "" : String(value);
  });
}

export function formatMessage(key: string, params: MessageParams = {}): string {
  const template = lookup(key);
  return template === undefined ? key : interpolate(template, params);
}
