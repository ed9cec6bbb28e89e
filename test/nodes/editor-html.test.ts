// The editor file as the build leaves it (dist/src/nodes/access-token.html): every node type is
// visible to the Flow Library's parser, the generated parts come from the provider adapters, and the
// source (nodes/access-token.html) keeps no provider value of its own. The build step itself
// (scripts/editor-html.ts) refuses a file whose placeholders do not match.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { renderEditorHtml } from "../../scripts/editor-html";
import { LOOPBACK } from "../../src/loopback";
import { providers } from "../../src/providers";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { editorDefinitions } from "../../src/providers/editor-definitions";
import { editorResources } from "../support/editor-resources";
import { NODE_TYPES } from "../support/node-types";

const root = path.join(path.dirname(__dirname), "..", "..");
const sourceHtml = fs.readFileSync(path.join(root, "nodes", "access-token.html"), "utf8");
const builtHtml = fs.readFileSync(path.join(root, "dist", "src", "nodes", "access-token.html"), "utf8");
const TYPES = NODE_TYPES;

/** The <script type="text/javascript"> blocks, found as node-red-dev finds them. */
function editorScripts(html: string): string[] {
  return [...html.matchAll(/<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi)].map(
    (match) => match[1],
  );
}

function template(html: string, type: string): string {
  const match = new RegExp(`<script type="text/html" data-template-name="${type}">([\\s\\S]*?)</script>`).exec(html);
  assert.ok(match, `a template for ${type}`);
  return match[1];
}

interface Registration {
  type?: string;
  problems: string[];
}

/**
 * registerType calls as the Flow Library indexer (node-red-dev's acorn parser) reads them: it
 * records a type only for a literal name with an object literal, and fails on a spread in it.
 */
function registrations(script: string): Registration[] {
  const found: Registration[] = [];
  walk.simple(acorn.parse(script, { ecmaVersion: "latest" }), {
    CallExpression(node) {
      const callee = node.callee;
      if (
        callee.type !== "MemberExpression" ||
        callee.property.type !== "Identifier" ||
        callee.property.name !== "registerType"
      )
        return;
      const [name, definition] = node.arguments;
      const problems: string[] = [];
      const type = name?.type === "Literal" && typeof name.value === "string" ? name.value : undefined;
      if (!type) problems.push("the type name is not a string literal");
      if (definition?.type !== "ObjectExpression") {
        problems.push("the definition is not an object literal");
      } else {
        for (const property of definition.properties) {
          if (property.type === "SpreadElement") problems.push("the definition holds a ...spread");
          else if (
            property.key.type === "Identifier" &&
            property.key.name === "category" &&
            property.value.type !== "Literal"
          ) {
            problems.push("category is not a literal");
          }
        }
      }
      found.push({ type, problems });
    },
  });
  return found;
}

/** The scripts of resources/ that the editor file loads, as one text. */
function resourceScripts(html: string): string {
  const files = editorResources(html);
  assert.ok(files.length > 0, "the editor file loads scripts from resources/");
  return files.map((file) => fs.readFileSync(path.join(root, file), "utf8")).join("\n");
}

/** The JSON the build put in place of the editor script's placeholder. */
function handedDefinitions(html: string): unknown {
  const json = /^\s*const EDITOR = (.*);$/m.exec(html)?.[1];
  assert.ok(json, "the editor script has its definitions");
  return JSON.parse(json);
}

describe("the built editor file (dist/src/nodes/access-token.html)", () => {
  it("registers each of our types with a literal name and an inline object without spread", () => {
    const calls = editorScripts(builtHtml).flatMap(registrations);
    assert.deepEqual(
      calls.filter((call) => call.problems.length > 0),
      [],
    );
    assert.deepEqual(calls.map((call) => call.type).sort(), TYPES);
  });

  it("the parse check catches a computed name and a spread", () => {
    const calls = registrations(
      `RED.nodes.registerType(type, {}); RED.nodes.registerType("x", { ...shared, category: "config" });`,
    );
    assert.deepEqual(
      calls.map((call) => call.problems),
      [["the type name is not a string literal"], ["the definition holds a ...spread"]],
    );
  });

  it("hands the editor script the definitions derived from the adapters, loopback rule included", () => {
    const handed = handedDefinitions(builtHtml) as { loopback: unknown };
    assert.deepEqual(handed, JSON.parse(JSON.stringify(editorDefinitions(CONFIG_VERSION))));
    assert.deepEqual(handed.loopback, LOOPBACK);
  });

  it("offers in each region picker exactly the adapter's regional URLs, plus a custom URL", () => {
    for (const adapter of Object.values(providers)) {
      const dialog = template(builtHtml, adapter.configType);
      const options = [...dialog.matchAll(/<option value="([^"]*)" data-i18n="([^"]+\.region\.[^"]+)">/g)].map(
        ([, url, key]) => [key, url],
      );
      const expected = Object.entries(adapter.form.regions ?? {}).map(([name, url]) => [
        `${adapter.configType}.region.${name}`,
        url,
      ]);
      if (expected.length) expected.push([`${adapter.configType}.region.custom`, "custom"]);
      assert.deepEqual(options, expected, adapter.id);
      assert.equal(
        dialog.includes('id="node-config-input-region"'),
        expected.length > 0,
        `${adapter.id}: region picker`,
      );
    }
  });

  it("gives oauth2 and custom their token URL and own properties: selects, numbers, texts, JSONata inputs", () => {
    const kinds = new Set<string>();
    for (const adapter of Object.values(providers)) {
      const dialog = template(builtHtml, adapter.configType);
      const url = adapter.form.urlProperty;
      assert.ok(dialog.includes(`id="node-config-input-${url}"`), `${adapter.id}: ${url}`);
      assert.equal(dialog.includes('id="node-config-input-tokenUrl"'), url === "tokenUrl", adapter.id);
      for (const property of adapter.form.properties ?? []) {
        kinds.add(property.input.kind);
        const id = `node-config-input-${property.name}`;
        if (property.input.kind === "select") {
          const select = new RegExp(`<select id="${id}">([\\s\\S]*?)</select>`).exec(dialog)?.[1] ?? "";
          const values = [...select.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1]);
          assert.deepEqual(values, property.input.options, `${adapter.id}.${property.name}`);
        } else {
          assert.ok(dialog.includes(`<input type="text" id="${id}"`), `${adapter.id}.${property.name}`);
        }
        if (property.input.kind === "number")
          assert.ok(dialog.includes(`data-i18n="${adapter.configType}.unit.${property.name}"`), property.name);
      }
    }
    assert.deepEqual([...kinds].sort(), ["jsonata", "number", "select", "text"]);
    // The JSONata inputs become the editor's typedInput of type jsonata (expression editor and test tool).
    assert.match(resourceScripts(builtHtml), /typedInput\(\{ types: \["jsonata"\] \}\)/);
  });

  it("groups the custom dialog under headings, each row once in its section's order; the others stay one list", () => {
    for (const provider of editorDefinitions(CONFIG_VERSION).providers) {
      const dialog = template(builtHtml, provider.configType);
      const headings = [
        ...dialog.matchAll(/<h4 class="access-token-group" data-group="([^"]+)" data-i18n="([^"]+)">/g),
      ];
      if (!provider.sections) {
        assert.equal(headings.length, 0, `${provider.id}: no headings`);
        continue;
      }
      assert.deepEqual(
        headings.map(([, group, key]) => [group, key]),
        provider.sections
          .filter((section) => section.heading)
          .map((section) => [section.heading, `${provider.configType}.group.${section.heading}`]),
      );
      // The inputs in the order the sections list them (Start from's own rows aside).
      const inputs = [...dialog.matchAll(/id="node-config-input-([^"]+)"/g)].map((match) => match[1]);
      const rows = provider.sections.flatMap((section) => section.rows);
      assert.deepEqual(
        inputs.filter((name) => rows.includes(name)),
        rows,
      );
      // A section's rows come after its heading and before the next one.
      for (const section of provider.sections.filter((s) => s.heading)) {
        const at = dialog.indexOf(`data-group="${section.heading}"`);
        for (const row of section.rows) assert.ok(dialog.indexOf(`id="node-config-input-${row}"`) > at, row);
      }
    }
    const custom = editorDefinitions(CONFIG_VERSION).providers.find((p) => p.id === "custom")!;
    assert.deepEqual(
      custom.sections!.map((section) => section.heading ?? ""),
      ["", "tokenRequest", "tokenAnswer", "refresh", "everyRequest", "apiAnswers", "api"],
    );
  });

  it("puts the preset's help, region picker and parameter inputs under Start from, filled in by the editor", () => {
    const dialog = template(builtHtml, "custom-token-credentials");
    const at = (text: string) => dialog.indexOf(text);
    const select = at('<select id="node-config-input-preset">');
    assert.ok(select > 0);
    for (const part of [
      'class="form-tips access-token-preset-help"',
      'id="access-token-preset-region"',
      'class="access-token-preset-params"',
    ])
      assert.ok(at(part) > select && at(part) < at('id="node-config-input-params"'), part);
    assert.match(dialog, /<select id="access-token-preset-region"><\/select>/, "its options come from the definitions");
    for (const adapter of Object.values(providers).filter((a) => a.id !== "custom"))
      assert.ok(!template(builtHtml, adapter.configType).includes("access-token-preset"), adapter.id);
  });

  it("the build refuses sections that leave out or repeat a row, or name one the dialog does not have", () => {
    const definitions = editorDefinitions(CONFIG_VERSION);
    const withSections = (change: (rows: string[][]) => string[][]) => ({
      ...definitions,
      providers: definitions.providers.map((provider) =>
        provider.sections
          ? {
              ...provider,
              sections: change(provider.sections.map((section) => [...section.rows])).map((rows, index) => ({
                ...provider.sections![index],
                rows,
              })),
            }
          : provider,
      ),
    });
    const render = (defs: typeof definitions) => () => renderEditorHtml(sourceHtml, defs);
    assert.doesNotThrow(render(withSections((rows) => rows)));
    assert.throws(
      render(withSections((rows) => rows.map((r) => r.filter((name) => name !== "sign")))),
      /each row once \(sign\)/,
    );
    assert.throws(render(withSections((rows) => [[...rows[0], "token"], ...rows.slice(1)])), /each row once \(token\)/);
    assert.throws(render(withSections((rows) => [[...rows[0], "nothing"], ...rows.slice(1)])), /each row once/);
  });

  it("gives each credentials dialog an input per credential field, secrets as passwords, a PEM key a text area", () => {
    for (const adapter of Object.values(providers)) {
      const inputs = [
        ...template(builtHtml, adapter.configType).matchAll(
          /<(?:input type="(text|password)"|textarea) id="node-config-input-([^"]+)"/g,
        ),
      ];
      const fields = inputs.filter(([, , name]) => adapter.credentialFields.includes(name));
      assert.deepEqual(
        fields.map(([, , name]) => name),
        adapter.credentialFields,
        adapter.id,
      );
      for (const [, type, name] of fields) {
        const multiline = adapter.form.credentials?.[name]?.multiline === true;
        const expected = multiline ? undefined : adapter.secretFields.includes(name) ? "password" : "text";
        assert.equal(type, expected, `${adapter.id} ${name}`);
      }
    }
    // Its credential type stays password: Node-RED never sends it back to the editor.
    assert.match(builtHtml, /privateKey: \{ type: "password", validate: /);
  });

  it("gives each credentials dialog one Test button and one state panel, and no other dialog any", () => {
    const count = (html: string, text: string) => html.split(text).length - 1;
    for (const adapter of Object.values(providers)) {
      const dialog = template(builtHtml, adapter.configType);
      assert.equal(count(dialog, `class="red-ui-button access-token-test-button"`), 1, adapter.id);
      assert.equal(count(dialog, `class="access-token-test-result"`), 1, adapter.id);
      const rows = [...dialog.matchAll(/<tr data-state="([^"]+)">/g)].map((match) => match[1]);
      // The sign-in row is shown only for a node whose state has a sign-in (oauth2's authorization code).
      assert.deepEqual(rows, ["signIn", "tokenHeld", "expiresAt", "origin", "sharedCache", "lastError"], adapter.id);
      assert.equal(count(dialog, `class="access-token-state-refresh"`), 1, adapter.id);
      // The redirect URI and the Sign in button: in the dialog of the provider that signs users in alone.
      const signsIn = adapter.form.signIn ? 1 : 0;
      assert.equal(count(dialog, `class="red-ui-button access-token-sign-in-button"`), signsIn, adapter.id);
      assert.equal(count(dialog, `id="access-token-redirect-uri"`), signsIn, adapter.id);
    }
    for (const type of ["access-token", "access-token-request"]) {
      assert.ok(!template(builtHtml, type).includes("access-token-test-button"), type);
    }
    assert.ok(!sourceHtml.includes('class="red-ui-button access-token-test-button"'), "generated, not hand-written");
  });

  it("offers each provider in the get token dialog, with a credentials selector named by its id", () => {
    const dialog = template(builtHtml, "access-token");
    const options = [...dialog.matchAll(/<option value="([^"]+)" data-i18n="access-token\.provider\.\1">/g)].map(
      (match) => match[1],
    );
    assert.deepEqual(options, Object.keys(providers));
    const selectors = [
      ...dialog.matchAll(
        /data-provider="([^"]+)">\s*<label for="node-input-\1">[\s\S]*?<input type="text" id="node-input-\1"/g,
      ),
    ];
    assert.deepEqual(
      selectors.map((match) => match[1]),
      Object.keys(providers),
    );
  });
});

describe("the editor source (nodes/access-token.html)", () => {
  it("holds no provider list, regional URL or loopback rule of its own", () => {
    for (const adapter of Object.values(providers)) {
      assert.ok(
        !sourceHtml.includes(`data-template-name="${adapter.configType}"`),
        `${adapter.id}: no hand-written dialog`,
      );
      assert.ok(!sourceHtml.includes(`value="${adapter.id}"`), `${adapter.id}: no hand-written provider option`);
      for (const url of Object.values(adapter.form.regions ?? {})) assert.ok(!sourceHtml.includes(url), url);
    }
    assert.ok(!sourceHtml.includes("localhost") && !sourceHtml.includes("127("), "no loopback rule");
  });

  it("the build refuses a missing, repeated or unknown placeholder", () => {
    const definitions = editorDefinitions(CONFIG_VERSION);
    const render = (html: string) => () => renderEditorHtml(html, definitions);
    assert.doesNotThrow(render(sourceHtml));
    assert.throws(
      render(sourceHtml.replace("<!-- @build:provider-options -->\n", "")),
      /@build:provider-options 1 times, expected 2/,
    );
    assert.throws(render(sourceHtml.replace("__EDITOR_DEFINITIONS__", "null")), /__EDITOR_DEFINITIONS__ once/);
    assert.throws(render(`${sourceHtml}<!-- @build:provider-options -->\n`), /provider-options 3 times, expected 2/);
    assert.throws(render(`${sourceHtml}<!-- @build:no-such-part -->\n`), /unknown build placeholder/);
    assert.throws(render(sourceHtml.replace("const shared = ", "const other = ")), /declares no `const shared`/);
  });
});
