// Each node's help names the example flows that use it, in every language: an example added or
// renamed fails here until the help of every node it holds lists it under its file name.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(path.dirname(__dirname), "..", "..");
const LANGUAGES = ["en-US", "zh-CN"];
/** The flow nodes whose help lists examples. */
const NODE_TYPES = ["access-token", "access-token-request"];

function helpOf(lang: string, type: string): string {
  const html = fs.readFileSync(path.join(root, "nodes", "locales", lang, "access-token.html"), "utf8");
  const help = new RegExp(`data-help-name="${type}">([\\s\\S]*?)</script>`).exec(html);
  assert.ok(help, `${lang} has help for ${type}`);
  return help[1];
}

/** The names an example list holds: the items of the <ul> after the help's examples heading. */
function listedExamples(help: string): string[] {
  const list = /<h3>(?:Examples|示例)<\/h3>[\s\S]*?<ul>([\s\S]*?)<\/ul>/.exec(help);
  return list ? [...list[1].matchAll(/<li>([^<]+)<\/li>/g)].map(([, name]) => name.trim()) : [];
}

describe("help: the examples of each node", () => {
  const examples = fs
    .readdirSync(path.join(root, "examples"))
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      name: file.slice(0, -".json".length),
      types: new Set(
        (JSON.parse(fs.readFileSync(path.join(root, "examples", file), "utf8")) as { type: string }[]).map(
          (n) => n.type,
        ),
      ),
    }));

  for (const lang of LANGUAGES)
    for (const type of NODE_TYPES)
      it(`${lang} ${type}: lists exactly the examples that hold the node`, () => {
        const using = examples.filter((example) => example.types.has(type)).map((example) => example.name);
        assert.ok(using.length > 0, `some example uses ${type}`);
        assert.deepEqual([...listedExamples(helpOf(lang, type))].sort(), using.sort());
      });
});
