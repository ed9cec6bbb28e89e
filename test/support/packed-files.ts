// What the packed tarball holds, read from its unpacked files: which of them hold the same content,
// and which modules the runtime reaches by require() from the package's main file.
import * as fs from "node:fs";
import * as path from "node:path";

/** A file's content as the runtime sees it: JSON parsed (a reformatted copy is still a copy), else its bytes. */
function content(file: string): string {
  const text = fs.readFileSync(file);
  return file.endsWith(".json") ? JSON.stringify(JSON.parse(text.toString("utf8"))) : text.toString("base64");
}

/** Groups of two or more paths (relative to `dir`) whose content is the same. */
export function sameContent(dir: string, files: string[]): string[][] {
  const byContent = new Map<string, string[]>();
  for (const file of files) {
    const key = content(path.join(dir, file));
    byContent.set(key, [...(byContent.get(key) ?? []), file]);
  }
  return [...byContent.values()].filter((group) => group.length > 1);
}

/**
 * Every file reached from `main` by a relative require() in the compiled CommonJS (tsc writes each
 * import as `require("./x")`, a lazy `import()` as a require inside a promise): paths relative to `dir`.
 */
export function requiredFrom(dir: string, main: string): Set<string> {
  const reached = new Set<string>();
  const pending = [path.join(dir, main)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const name = path.relative(dir, file).split(path.sep).join("/");
    if (reached.has(name)) continue;
    reached.add(name);
    if (!file.endsWith(".js")) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)) {
      pending.push(require.resolve(path.resolve(path.dirname(file), m[1])));
    }
  }
  return reached;
}
