// Wherever the help texts list the providers, they name every one: a passage (a paragraph, a term
// or its definition, with any list inside it) that names LIST_SIZE providers or more is a list of
// them, and must name all of src/providers, unless it is reviewed below as speaking of some vendors
// only. A provider is named by what either catalog calls it (access-token.provider.<id>), so a new
// provider fails this test until every such list in every language names it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../../src/providers";

const root = path.join(path.dirname(__dirname), "..", "..");
const LANGUAGES = ["en-US", "zh-CN"];
/** Three providers in one passage make a list (two are often a comparison: "OrionStar and EnOS"). */
const LIST_SIZE = 3;

/** Passages that name several vendors on purpose, each found by its language, help and words (as normalise() reads them). */
const VENDORS_ONLY = [
  { lang: "en-US", help: "access-token", words: "for example 101025 (OrionStar)", why: "examples of vendor codes" },
  { lang: "zh-CN", help: "access-token", words: "例如 101025（猎户星空）", why: "examples of vendor codes" },
  { lang: "en-US", help: "custom-token-credentials", words: "The example flow", why: "what the example flow holds" },
  { lang: "zh-CN", help: "custom-token-credentials", words: "示例流程", why: "what the example flow holds" },
  { lang: "en-US", help: "access-token-request", words: "that use this node", why: "the example flows of this node" },
  { lang: "zh-CN", help: "access-token-request", words: "使用此节点的流程", why: "the example flows of this node" },
];

/** Case, spaces and punctuation aside: "Custom token endpoint" names "custom token endpoint". */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

function catalogNames(lang: string): Record<string, string> {
  const file = path.join(root, "nodes", "locales", lang, "access-token.json");
  return JSON.parse(fs.readFileSync(file, "utf8"))["access-token"].provider;
}

/** Provider id -> its names, as each catalog writes it. */
const NAMES = Object.fromEntries(
  Object.keys(providers).map((id) => [id, LANGUAGES.map((lang) => normalise(catalogNames(lang)[id] ?? ""))]),
);

interface Passage {
  lang: string;
  help: string;
  text: string;
  named: string[];
}

/** Each help's paragraphs, terms and definitions (a list inside one stays with it), as plain text. */
function passagesOf(lang: string, html: string): Passage[] {
  return [...html.matchAll(/data-help-name="([^"]+)">([\s\S]*?)<\/script>/g)].flatMap(([, help, body]) =>
    body
      .split(/(?=<(?:p|dt|dd|h3|h4)\b)/)
      .map((part) =>
        part
          .replace(/<[^>]*>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .filter((text) => text !== "")
      .map((text) => {
        const words = normalise(text);
        const named = Object.keys(NAMES).filter((id) => NAMES[id].some((name) => words.includes(name)));
        return { lang, help, text, named };
      }),
  );
}

const reviewed = (passage: Passage) =>
  VENDORS_ONLY.find(
    (r) => r.lang === passage.lang && r.help === passage.help && normalise(passage.text).includes(normalise(r.words)),
  );
const listsOf = (passages: Passage[]) => passages.filter((passage) => passage.named.length >= LIST_SIZE);

/** The lists that leave out a provider, unless reviewed, as readable lines. */
function incomplete(passages: Passage[]): string[] {
  return listsOf(passages)
    .filter((passage) => !reviewed(passage))
    .filter((passage) => passage.named.length < Object.keys(providers).length)
    .map((p) => `${p.lang} ${p.help}: "${p.text.slice(0, 80)}..." names ${p.named.join(", ")}`);
}

const all = LANGUAGES.flatMap((lang) =>
  passagesOf(lang, fs.readFileSync(path.join(root, "nodes", "locales", lang, "access-token.html"), "utf8")),
);
const lists = listsOf(all);

describe("the help texts' lists of providers", () => {
  it("name every provider of src/providers", () => {
    assert.deepEqual(incomplete(all), []);
  });

  it("the check catches a list that leaves one out, as a new provider would", () => {
    const help = (text: string) => `<script type="text/html" data-help-name="x"><p>${text}</p></script>`;
    const fourOfFive = help("From OrionStar, EnOS, OneAccess or an OAuth2 client credentials server.");
    assert.equal(incomplete(passagesOf("en-US", fourOfFive)).length, 1);
    const five = help("From OrionStar, EnOS, OneAccess, OAuth2 client credentials or a custom token endpoint.");
    assert.deepEqual(incomplete(passagesOf("en-US", five)), []);
  });

  it("are found: the get token help's opening, its auth headers and its Provider property, in every language", () => {
    for (const lang of LANGUAGES) {
      const complete = lists.filter((p) => p.lang === lang && p.help === "access-token" && !reviewed(p));
      assert.ok(complete.length >= 3, `${lang}: ${complete.length} lists in the get token help`);
      const opening = all.find((first) => first.lang === lang && first.help === "access-token");
      assert.ok(complete.includes(opening!), `${lang}: the opening paragraph is one`);
    }
  });

  it("leave out vendors only in the passages reviewed here, each found once", () => {
    for (const review of VENDORS_ONLY) {
      const found = lists.filter((passage) => reviewed(passage) === review);
      assert.equal(found.length, 1, `${review.lang} ${review.help} "${review.words}" (${review.why})`);
    }
  });

  it("tell each provider by its names, and a passage's list from a mention", () => {
    const opening = (lang: string, help: string) => all.find((p) => p.lang === lang && p.help === help)?.named;
    assert.deepEqual(opening("en-US", "orionstar-credentials"), ["orionstar"]);
    assert.deepEqual(opening("zh-CN", "custom-token-credentials"), ["custom"]);
    const mentions = all.filter((p) => p.named.length > 0 && p.named.length < LIST_SIZE);
    assert.ok(mentions.length > 20, `${mentions.length} passages name a provider or two`);
    for (const names of Object.values(NAMES))
      assert.ok(
        names.every((name) => name.length >= 4),
        names.join(),
      );
  });
});
