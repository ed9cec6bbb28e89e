// The pages in docs/ that the README points to: every link to them (from the README, the help texts
// and one another) reaches a file of the repository and a heading it names, every screenshot is
// shown somewhere, each provider has its page, and the code cites these pages, not files elsewhere.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../src/providers";
import { repoRoot } from "./e2e/support/package-tarball";

const DOCS = path.join(repoRoot, "docs");
const REPOSITORY = "https://github.com/iot-token/node-red-access-token/blob/main/";
const RAW = "https://raw.githubusercontent.com/iot-token/node-red-access-token/main/";

/** The files below a folder whose names match, as git holds them: bench/scratch/ (git-ignored) holds another package's install. */
function filesUnder(dir: string, name: RegExp): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !["node_modules", "scratch"].includes(entry.name))
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name), name)
        : name.test(entry.name)
          ? [path.join(dir, entry.name)]
          : [],
    );
}

/** Link targets outside code blocks and code spans (where `](` is JSONata or JavaScript); in HTML, hrefs. */
function linkTargets(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)|href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function anchors(markdown: string): Set<string> {
  const headings = [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#+ (.+)$/gm)].map((m) => m[1]);
  return new Set(
    headings.map((heading) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    ),
  );
}

/** The repository file (and heading) a link points to, or undefined for a page elsewhere. */
function resolveTarget(page: string, target: string): { file: string; anchor?: string } | undefined {
  const [where, anchor] = target.split("#");
  if (target.startsWith(REPOSITORY)) return { file: path.join(repoRoot, where.slice(REPOSITORY.length)), anchor };
  if (target.startsWith(RAW)) return { file: path.join(repoRoot, where.slice(RAW.length)) };
  if (/^[a-z]+:/.test(target)) return undefined;
  return { file: where === "" ? page : path.resolve(path.dirname(page), where), anchor };
}

describe("the docs pages", () => {
  const pages = filesUnder(DOCS, /\.md$/);
  const readme = path.join(repoRoot, "README.md");
  const helpTexts = ["en-US", "zh-CN"].map((lang) =>
    path.join(repoRoot, "nodes", "locales", lang, "access-token.html"),
  );

  it("are linked from the README, the help texts and one another by links that reach a file and a heading", () => {
    let checked = 0;
    for (const page of [readme, ...helpTexts, ...pages]) {
      for (const target of linkTargets(fs.readFileSync(page, "utf8"))) {
        const resolved = resolveTarget(page, target);
        if (!resolved) continue;
        const where = `${path.relative(repoRoot, page)}: ${target}`;
        assert.ok(fs.existsSync(resolved.file), `${where}: no such file`);
        if (resolved.anchor) {
          assert.ok(
            anchors(fs.readFileSync(resolved.file, "utf8")).has(resolved.anchor),
            `${where}: no such heading in ${path.relative(repoRoot, resolved.file)}`,
          );
        }
        checked++;
      }
    }
    assert.ok(checked > 40, `the README and docs link one another (${checked} links)`);
  });

  it("show every screenshot of docs/images/, between them and the README", () => {
    const shown = new Set<string>();
    for (const page of [readme, ...pages]) {
      for (const m of fs.readFileSync(page, "utf8").matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const resolved = resolveTarget(page, m[1]);
        if (resolved) shown.add(path.relative(repoRoot, resolved.file));
      }
    }
    const images = fs.readdirSync(path.join(DOCS, "images")).map((f) => `docs/images/${f}`);
    assert.ok(images.length >= 8, images.join("\n"));
    assert.deepEqual(
      images.filter((image) => !shown.has(image)),
      [],
      "screenshots no page shows",
    );
  });

  it("have a page per provider, linked from the README and naming the provider's credentials node type", () => {
    const readmeText = fs.readFileSync(readme, "utf8");
    for (const provider of Object.values(providers)) {
      const page = path.join(DOCS, "vendors", `${provider.id}.md`);
      assert.ok(fs.existsSync(page), `docs/vendors/${provider.id}.md`);
      assert.ok(fs.readFileSync(page, "utf8").includes(`\`${provider.configType}\``), `${provider.id}: its node type`);
      assert.ok(readmeText.includes(`](${REPOSITORY}docs/vendors/${provider.id}.md)`), `README links ${provider.id}`);
    }
  });

  it("are what the code cites for vendor facts: pages that exist, never a file outside the repository", () => {
    // Spelled in two pieces so that this file does not cite them either.
    const outside = new RegExp(["vendor" + "-docs", "PROVIDERS" + "\\.md"].join("|"));
    let cited = 0;
    for (const file of ["src", "test", "scripts", "bench"].flatMap((dir) =>
      filesUnder(path.join(repoRoot, dir), /\.(ts|js|mjs)$/),
    )) {
      const text = fs.readFileSync(file, "utf8");
      const where = path.relative(repoRoot, file);
      assert.doesNotMatch(text, outside, `${where} cites a file outside the repository`);
      for (const m of text.matchAll(/docs\/vendors\/([a-z0-9-]+)\.md/g)) {
        assert.ok(fs.existsSync(path.join(DOCS, "vendors", `${m[1]}.md`)), `${where}: ${m[0]}`);
        cited++;
      }
    }
    assert.ok(cited >= 3, `the adapters cite their vendor's page (${cited} citations)`);
  });
});
