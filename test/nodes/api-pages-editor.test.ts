// The api request dialog's pages validators (resources/api-pages-editor.js, the file Node-RED serves
// to the editor), run as the editor runs them: with the node as `this`, the open dialog's paginate
// read through dialogValue, texts from the catalog.
import assert from "node:assert/strict";
import * as path from "node:path";
import { formatMessage } from "../../src/messages";

type Validator = (this: Record<string, unknown>, value: unknown, opt: unknown) => true | string;
interface ApiPagesEditor {
  create(dialogValue: (node: Record<string, unknown>, property: string) => unknown): {
    validateNextPage: Validator;
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
  const inDialog = (paginate: string) =>
    apiPages.create((_node, property) => (property === "paginate" ? paginate : ""));
  const check = (validator: Validator, value: unknown) => validator.call({ paginate: "none", _ }, value, {});

  it("next page: required when the dialog pages by expression, else anything", () => {
    assert.equal(check(inDialog("expression").validateNextPage, "  "), _("access-token-request.validation.nextPage"));
    assert.equal(check(inDialog("expression").validateNextPage, "page < 3"), true);
    assert.equal(check(inDialog("preset").validateNextPage, ""), true);
  });

  it("max pages: a whole number of 1 or more while the node pages; not read for one call", () => {
    for (const good of [1, "100", " 7 "])
      assert.equal(check(inDialog("preset").validateMaxPages, good), true, String(good));
    for (const bad of [0, "", "2.5", "x", -3])
      assert.equal(check(inDialog("expression").validateMaxPages, bad), _("access-token-request.validation.maxPages"));
    assert.equal(check(inDialog("none").validateMaxPages, "x"), true);
  });
});
