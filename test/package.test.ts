// Package hygiene as the Node-RED flow library scores it, and the packed tarball holding only what a
// user needs. Works on the real `npm pack` output (shared with the e2e tests).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { nodeRedDir, nodeRedVersion } from "./e2e/support/node-red-process";
import { packTarball, repoRoot, run, type Tarball } from "./e2e/support/package-tarball";
import { NODE_TYPES } from "./support/node-types";
import { requiredFrom, sameContent } from "./support/packed-files";

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const OUR_TYPES = NODE_TYPES;
/**
 * Everything a package of ours may hold, by what loads it: npm (package.json, README, LICENSE), the
 * runtime's modules (each one must also be reached by require() from main: checked on its own), and
 * what Node-RED loads from beside the node set's .js (its editor .html, locales/, icons/) or from
 * examples/ (Import > Examples).
 */
const PACKABLE = [
  /^(package\.json|README\.md|LICENSE)$/,
  /^dist\/src\/([a-z0-9-]+\/)*[a-z0-9-]+\.js$/,
  /^dist\/src\/nodes\/access-token\.html$/,
  /^dist\/src\/nodes\/locales\/[a-zA-Z-]+\/access-token\.(json|html)$/,
  /^dist\/src\/nodes\/icons\/[a-z0-9-]+\.svg$/,
  /^examples\/[^/]+\.json$/,
  // Served to the browser by Node-RED from the package's resources/ (each named by the editor file).
  /^resources\/[a-z0-9-]+\.(js|css)$/,
];
/** Types that are part of every flow file without being nodes of a module. */
const STRUCTURAL_TYPES = ["tab", "subflow", "group", "junction"];

// Node-RED itself checks `node-red.version` with semver; use the same library it ships.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- semver from the Node-RED under test, not a dependency of ours
const semver = require(require.resolve("semver", { paths: [nodeRedDir()] })) as {
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
  major(version: string): number;
  minVersion(range: string): { version: string } | null;
  subset(sub: string, dom: string): boolean;
};

/** Core node types of the Node-RED under test, read from its registerType calls. */
function coreTypes(): Set<string> {
  const core = path.join(
    path.dirname(require.resolve("@node-red/nodes/package.json", { paths: [nodeRedDir()] })),
    "core",
  );
  const types = new Set<string>(STRUCTURAL_TYPES);
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|html)$/.test(entry.name)) {
        for (const m of fs.readFileSync(full, "utf8").matchAll(/registerType\(\s*["']([^"']+)["']/g)) types.add(m[1]);
      }
    }
  };
  walk(core);
  return types;
}

describe("package", function () {
  this.timeout(120_000);
  let tarball: Tarball;
  /** The tarball's files as installed (package/ stripped). */
  let unpacked: string;
  before(async () => {
    tarball = await packTarball();
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-unpacked-"));
    await run("tar", ["xzf", tarball.file, "-C", unpacked, "--strip-components=1"], unpacked, 60_000);
  });
  after(() => {
    if (unpacked) fs.rmSync(unpacked, { recursive: true, force: true });
  });

  describe("metadata the flow library scores", () => {
    it("is scoped, Apache-2.0 licensed with the LICENSE text, and links its repository and issues", () => {
      assert.match(pkg.name, /^@[a-z0-9-]+\/node-red-[a-z0-9-]+$/);
      assert.equal(pkg.license, "Apache-2.0");
      assert.match(fs.readFileSync(path.join(repoRoot, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
      assert.match(pkg.repository?.url ?? "", /^git\+https:\/\/github\.com\/.+\.git$/);
      assert.match(pkg.bugs?.url ?? "", /^https:\/\/.+\/issues$/);
      assert.match(pkg.homepage ?? "", /^https:\/\//);
      assert.ok(typeof pkg.description === "string" && pkg.description.length > 20, "a description");
    });

    it("has the node-red keyword and a node-red.version range that admits Node-RED 4 and 5", () => {
      assert.ok(pkg.keywords.includes("node-red"));
      const range = pkg["node-red"]?.version;
      assert.ok(semver.validRange(range), `node-red.version ${range} is a semver range`);
      for (const version of ["4.0.0", "4.1.15", "5.0.0", nodeRedVersion()]) {
        assert.ok(semver.satisfies(version, range), `Node-RED ${version} satisfies ${range}`);
      }
      assert.ok(!semver.satisfies("3.1.0", range), "Node-RED 3 is not claimed");
    });

    it("declares engines.node, and the Node.js running the tests satisfies it", () => {
      const range = pkg.engines?.node;
      assert.ok(semver.validRange(range), `engines.node ${range}`);
      assert.ok(semver.satisfies(process.versions.node, range), `Node.js ${process.versions.node} satisfies ${range}`);
      assert.ok(semver.satisfies("24.0.0", range), "Node.js 24 (Node-RED 5) satisfies it");
    });

    it("installs without an engine warning on every Node.js it claims: the package's, or for development devEngines'", () => {
      // npm warns (EBADENGINE) for each installed package whose engines.node leaves out the Node.js
      // running npm: a user's install holds the runtime packages, a developer's every package.
      const development = pkg.devEngines?.runtime?.version;
      assert.equal(pkg.devEngines.runtime.name, "node");
      assert.ok(semver.satisfies(process.versions.node, development), `Node.js ${process.versions.node} develops`);
      assert.ok(
        semver.subset(development, pkg.engines.node),
        "development needs no Node.js the package does not run on",
      );
      const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
      assert.equal(lock.version, pkg.version, "the lock is of this version");
      const refusing = Object.entries(lock.packages as Record<string, { dev?: boolean; engines?: { node?: string } }>)
        .filter(([name, entry]) => name !== "" && entry.engines?.node)
        .filter(([, entry]) => !semver.subset(entry.dev ? development : pkg.engines.node, entry.engines!.node!))
        .map(([name, entry]) => `${name} wants Node.js ${entry.engines!.node}`);
      assert.deepEqual(refusing, []);
    });

    it("depends at run time on @redis/client and undici only, in ranges that admit the locked releases", () => {
      assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ["@redis/client", "undici"]);
      const redisClient = JSON.parse(
        fs.readFileSync(path.join(repoRoot, "node_modules", "@redis", "client", "package.json"), "utf8"),
      );
      assert.ok(semver.satisfies(redisClient.version, pkg.dependencies["@redis/client"]));
      assert.deepEqual(Object.keys(redisClient.dependencies ?? {}), [], "@redis/client brings no dependency");
      const ourMinimum = semver.minVersion(pkg.engines.node)?.version ?? "0.0.0";
      assert.ok(semver.satisfies(ourMinimum, redisClient.engines.node), "it runs on the oldest Node.js we claim");
      assert.ok(!pkg.peerDependencies?.["node-red"] || pkg.peerDependencies["node-red"] === pkg["node-red"].version);
      const installed = JSON.parse(
        fs.readFileSync(path.join(repoRoot, "node_modules", "undici", "package.json"), "utf8"),
      ).version;
      assert.ok(
        semver.satisfies(installed, pkg.dependencies.undici),
        `undici ${installed} satisfies ${pkg.dependencies.undici}`,
      );
      // Node-RED's own runtime moved to undici 7; an older major would duplicate and age.
      assert.ok(semver.major(semver.minVersion(pkg.dependencies.undici)?.version ?? "0.0.0") >= 7);
    });

    it("has one node set with an edit dialog per node type, and SVG icons", () => {
      assert.deepEqual(pkg["node-red"].nodes, { "access-token": "dist/src/nodes/access-token.js" });
      // Look for each type's dialog in the editor file as packed: the build generates the credentials dialogs.
      const html = fs.readFileSync(path.join(repoRoot, "dist", "src", "nodes", "access-token.html"), "utf8");
      for (const type of OUR_TYPES)
        assert.match(html, new RegExp(`data-template-name=["']${type}["']`), `${type} has an edit dialog`);
      const icons = fs.readdirSync(path.join(repoRoot, "icons"));
      assert.ok(icons.length > 0 && icons.every((f) => f.endsWith(".svg")), `icons are SVG: ${icons.join(", ")}`);
      for (const m of html.matchAll(/icon\s*:\s*["']([^"']+)["']/g)) {
        const icon = m[1];
        if (icon.startsWith("font-awesome/") || icon.startsWith("node-red/")) continue;
        assert.ok(icons.includes(icon), `icon ${icon} is one of icons/*.svg`);
      }
    });

    it("uses only core node types and its own in examples/*.json", () => {
      const allowed = coreTypes();
      for (const type of OUR_TYPES) allowed.add(type);
      const files = fs.readdirSync(path.join(repoRoot, "examples")).filter((f) => f.endsWith(".json"));
      assert.ok(files.length > 0, "examples/ holds at least one flow");
      for (const file of files) {
        const flow = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples", file), "utf8")) as Array<{
          type: string;
        }>;
        assert.ok(Array.isArray(flow), `${file} is a flow (an array of nodes)`);
        const foreign = [...new Set(flow.map((n) => n.type))].filter(
          (t) => !allowed.has(t) && !t.startsWith("subflow:"),
        );
        assert.deepEqual(foreign, [], `${file} uses node types that need another module`);
      }
    });
  });

  describe("the README as the npm and Flow Library pages show it", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const repository = String(pkg.repository.url)
      .replace(/^git\+/, "")
      .replace(/\.git$/, "");
    const [owner, name] = new URL(repository).pathname.slice(1).split("/");

    it("links images and repository files by absolute URL from package.json's repository, each to a file that exists", () => {
      const raw = `https://raw.githubusercontent.com/${owner}/${name}/main/`;
      const blob = `${repository}/blob/main/`;
      const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      assert.ok(targets.length > 5, "the README links its images and docs");
      for (const target of targets) {
        assert.match(
          target,
          /^(https:\/\/|#)/,
          `${target}: a relative link is broken on the npm and Flow Library pages`,
        );
        const file = target.startsWith(raw)
          ? target.slice(raw.length)
          : target.startsWith(blob)
            ? target.slice(blob.length)
            : "";
        if (target.startsWith("https://") && file === "" && target.includes(`${owner}/${name}`)) {
          assert.fail(`${target} points into the repository but not at main`);
        }
        if (file) assert.ok(fs.existsSync(path.join(repoRoot, file.split("#")[0])), `${target}: no such file`);
      }
      // The screenshots are shown by the docs pages (test/docs.test.ts); the front page shows a running flow.
      const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
      assert.ok(images.length >= 1 && images.every((image) => image.startsWith(raw)), images.join("\n"));
    });

    it("stays a front page: under 200 lines, one headline line each for the mutation score and the benchmark", () => {
      assert.ok(readme.split("\n").length < 200, `${readme.split("\n").length} lines`);
      for (const page of ["mutation-testing", "benchmark"]) {
        const headlines = readme
          .split("\n")
          .filter((line) => line.includes(`](${repository}/blob/main/docs/${page}.md)`));
        assert.equal(headlines.length, 1, `one line links docs/${page}.md`);
        assert.match(headlines[0], /\d(\.\d+)?( ×|%).*\(\d{4}-\d{2}-\d{2}\)/, `docs/${page}.md: a dated figure`);
      }
    });

    it("keeps exactly two set-up commands on its first screen: npm start and npm test", () => {
      const firstScreen = readme.split("\n").slice(0, 40).join("\n");
      const commands = [...firstScreen.matchAll(/^npm install && npm (\S+)/gm)].map((m) => m[1]);
      assert.deepEqual(commands, ["start", "test"]);
      for (const script of commands) assert.ok(pkg.scripts[script], `npm ${script} exists`);
    });
  });

  describe("the packed tarball", () => {
    it("holds the runtime, editor, catalogs, icon, examples, README and LICENSE", () => {
      const has = (file: string) => assert.ok(tarball.files.includes(file), `${file} is packed`);
      for (const file of ["package.json", "README.md", "LICENSE", pkg["node-red"].nodes["access-token"]]) has(file);
      has("dist/src/nodes/access-token.html");
      for (const lang of ["en-US", "zh-CN"]) {
        has(`dist/src/nodes/locales/${lang}/access-token.json`);
        has(`dist/src/nodes/locales/${lang}/access-token.html`);
      }
      for (const icon of fs.readdirSync(path.join(repoRoot, "icons"))) has(`dist/src/nodes/icons/${icon}`);
      for (const example of fs.readdirSync(path.join(repoRoot, "examples"))) has(`examples/${example}`);
      // Served to the editor from the package's resources/ folder (the Tokens sidebar).
      for (const resource of fs.readdirSync(path.join(repoRoot, "resources"))) has(`resources/${resource}`);
    });

    it("names in `main` the packed node file, so require() of the package works", () => {
      assert.ok(tarball.files.includes(pkg.main), `main ${pkg.main} is not in the tarball`);
      assert.equal(pkg.main, pkg["node-red"].nodes["access-token"]);
    });

    it("holds no tests, simulator, TypeScript sources, source maps or stray build output", () => {
      const unwanted = tarball.files.filter(
        (f) => /(^|\/)(test|tests|simulator|scripts|bench)\//.test(f) || /\.(ts|map|tgz)$/.test(f),
      );
      assert.deepEqual(unwanted, []);
      // Every compiled file comes from a current src/ file (a deleted source leaves stale output).
      const stale = tarball.files
        .filter((f) => f.startsWith("dist/src/") && f.endsWith(".js"))
        .filter((f) => !fs.existsSync(path.join(repoRoot, f.replace(/^dist\//, "").replace(/\.js$/, ".ts"))));
      assert.deepEqual(stale, [], "compiled files without a source");
      const outside = tarball.files.filter(
        (f) => !/^(dist\/src\/|examples\/|resources\/|LICENSE$|README\.md$|package\.json$)/.test(f),
      );
      assert.deepEqual(outside, []);
    });

    it("carries no file twice (a catalog reformatted is the same catalog)", () => {
      assert.deepEqual(sameContent(unpacked, tarball.files), []);
    });

    it("holds only what npm, Node-RED or the runtime loads: every module is reached from main", () => {
      assert.deepEqual(
        tarball.files.filter((f) => !PACKABLE.some((pattern) => pattern.test(f))),
        [],
        "files no one loads",
      );
      const required = requiredFrom(unpacked, pkg.main);
      assert.ok(required.has("dist/src/nodes/locales/en-US/access-token.json"), "the runtime's English catalog");
      const browser = tarball.files.filter((f) => f.startsWith("resources/"));
      const unreached = tarball.files.filter((f) => f.endsWith(".js") && !browser.includes(f) && !required.has(f));
      assert.deepEqual(unreached, [], "modules main never requires (type-only, or used by the build alone)");
      // What the browser loads instead: each file of resources/ is named by the packed editor file.
      const editor = fs.readFileSync(path.join(unpacked, "dist", "src", "nodes", "access-token.html"), "utf8");
      const named = browser.filter((f) => editor.includes(`"${f.replace(/^resources\//, `resources/${pkg.name}/`)}"`));
      assert.deepEqual(named, browser, "files of resources/ the editor never loads");
    });

    // A bound that catches a stray folder or a source map, not the growth of texts: 0.2.0 with the
    // OAuth2 grants, pages and rate limits packs about 218 kB, most of it help and catalogs.
    it("stays small", () => {
      assert.ok(fs.statSync(tarball.file).size < 256 * 1024, `${fs.statSync(tarball.file).size} bytes`);
    });

    it("is the file the README's install lines name (the version bumped everywhere)", () => {
      const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
      const named = [...readme.matchAll(/[\w.-]+\.tgz\b/g)].map((m) => m[0]);
      assert.ok(named.length > 0, "the README installs from a tarball");
      assert.deepEqual([...new Set(named)], [path.basename(tarball.file)]);
    });
  });
});
