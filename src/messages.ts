// English texts for errors raised outside Node-RED. The catalog is the editor's own en-US locale
// file, loaded as a module, so a message reads the same in a log, a test and the editor, is written
// once, and no code of ours reads a file to show an error.

// The copy the build puts beside the compiled nodes (dist/src/nodes/locales/), where Node-RED loads it
// too: an import of nodes/locales/ would make tsc emit a second copy into the package.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path of the build's output, not of src/
const catalog: unknown = require("./nodes/locales/en-US/access-token.json");

export type MessageParams = Record<string, string | number | undefined>;

export function lookup(key: string): string | undefined {
  let node: unknown = catalog;
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
