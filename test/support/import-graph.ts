// The import graph of a source tree, read with the TypeScript parser: every `import`, `import type`
// and `export ... from` between the tree's own files (a type-only import is a dependency too: it
// couples the modules as much as a value import does).
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : entry.name.endsWith(".ts") ? [file] : [];
  });
}

/** "./x" from a/b.ts -> a/x.ts or a/x/index.ts; undefined for packages and files outside the tree. */
function resolve(from: string, specifier: string, files: Set<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((file) => files.has(file));
}

/** Module specifiers of a file's import and re-export declarations. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, false);
  return source.statements.flatMap((statement) => {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)
          ? statement.moduleReference.expression
          : undefined;
    return specifier && ts.isStringLiteral(specifier) ? [specifier.text] : [];
  });
}

/** The graph of a directory, keyed by paths relative to it ("nodes/get-token-node.ts"). */
export function importGraph(dir: string): ImportGraph {
  const files = sourceFiles(dir);
  const known = new Set(files);
  const name = (file: string) => path.relative(dir, file).split(path.sep).join("/");
  return new Map(
    files.map((file) => [
      name(file),
      specifiers(file).flatMap((specifier) => {
        const target = resolve(file, specifier, known);
        return target ? [name(target)] : [];
      }),
    ]),
  );
}

/** Every import circle, each as the path that closes it ["a.ts", "b.ts", "a.ts"]; none is []. */
export function importCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
