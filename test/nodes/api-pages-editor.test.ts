// The api request dialog's pages validators (resources/api-pages-editor.js, the file Node-RED serves
// to the editor), run as the editor runs them: with the node as `this`, the open dialog's paginate
// read through dialogValue, texts from the catalog.
import assert from "node:assert/strict";
import * as path from "node:path";
import { formatMessage } from "../../src/messages";

type Validator = (this: Record<string, unknown>, value: unknown, opt: unknown) => true | string;
interface ApiPagesEditor {
  create(
    dialogValue: (node: Record<string, unknown>, property: string) => unknown,
    jsonata?: () => ((source: string) => unknown) | undefined,
  ): {
    validateNextPage: Validator;
    validateItems: Validator;
    validateMaxPages: Validator;
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the editor's script as Node-RED serves it, by path
const apiPages = require(
  path.join(path.dirname(__dirname), "..", "..", "resources", "api-pages-editor.js"),
) as ApiPagesEditor;
const _ = (key: string, params?: Record<string, string>) => formatMessage(key, params ?? {});

describe("api request dialog: pages (resources/api-pages-editor.js)", () => {
  /** The validators with the dialog showing this paginate mode (the node's saved one says otherwise). */
  const inDialog = (paginate: string, jsonata?: (source: string) => unknown) =>
    apiPages.create(
      (_node, property) => (property === "paginate" ? paginate : ""),
      () => jsonata,
    );
  /** A stand-in for the editor's parser: an unclosed bracket does not parse. */
  const parser = (source: string) => {
    if (source.includes("(") && !source.includes(")")) throw new Error("unclosed (");
  };
  const unparsable = _("common.validation.jsonata", { error: "unclosed (" });
  const check = (validator: Validator, value: unknown) => validator.call({ paginate: "none", _ }, value, {});

  it("next page: required when the dialog pages by expression, else anything", () => {
    assert.equal(check(inDialog("expression").validateNextPage, "  "), _("access-token-request.validation.nextPage"));
    assert.equal(check(inDialog("expression").validateNextPage, "page < 3"), true);
    assert.equal(check(inDialog("preset").validateNextPage, ""), true);
  });

  it("next page and items: an expression must parse (with the editor's jsonata); empty items is the convention's", () => {
    assert.equal(check(inDialog("expression", parser).validateNextPage, "$count(("), unparsable);
    assert.equal(check(inDialog("expression").validateNextPage, "$count(("), true, "no jsonata: not parsed");
    assert.equal(check(inDialog("preset", parser).validateItems, ""), true, "empty: the convention's items");
    assert.equal(check(inDialog("expression", parser).validateItems, "  "), true);
    assert.equal(check(inDialog("preset", parser).validateItems, "payload.list"), true);
    assert.equal(check(inDialog("preset", parser).validateItems, "payload.(list"), unparsable);
    assert.equal(check(inDialog("none", parser).validateItems, "payload.(list"), true, "one call: not read");
  });

  it("max pages: a whole number of 1 or more while the node pages; not read for one call", () => {
    for (const good of [1, "100", " 7 "])
      assert.equal(check(inDialog("preset").validateMaxPages, good), true, String(good));
    for (const bad of [0, "", "2.5", "x", -3])
      assert.equal(check(inDialog("expression").validateMaxPages, bad), _("access-token-request.validation.maxPages"));
    assert.equal(check(inDialog("none").validateMaxPages, "x"), true);
  });
});
