// The api request dialog's pages (paginate, nextPage, items, pageOutput, maxPages): which rows show
// for which paginate mode, the two JSONata fields as the editor's expression inputs, and the
// validators Node-RED calls with the node as `this`. The validators read the open dialog's value of
// paginate through `dialogValue` (the saved one without a dialog), so the mocha suite runs them as
// the browser does. Node-RED serves this file to the editor (resources/).
(function (root, factory) {
  "use strict";
  const pages = factory();
  if (typeof module === "object" && module.exports) module.exports = pages;
  else root.AccessTokenApiPages = pages;
})(this, function () {
  "use strict";

  /**
   * `dialogValue(node, property)`: the open dialog's value of a property, else the saved one;
   * `jsonata()`: the editor's jsonata function, if it has one (an expression is then parsed).
   */
  function create(dialogValue, jsonata) {
    const paginate = function (node) {
      return dialogValue(node, "paginate") || "none";
    };
    /** True when the text parses (or no jsonata to parse it with), else the parser's complaint. */
    const parses = function (node, text) {
      const parse = jsonata && jsonata();
      if (typeof parse !== "function") return true;
      try {
        parse(text);
        return true;
      } catch (err) {
        return node._("common.validation.jsonata", { error: err && err.message ? err.message : String(err) });
      }
    };
    return {
      /** Paginate by expression needs a next page expression, one that parses. */
      validateNextPage: function (value, _opt) {
        if (paginate(this) !== "expression") return true;
        const text = String(value || "").trim();
        return text === "" ? this._("access-token-request.validation.nextPage") : parses(this, text);
      },
      /** Empty means the convention's items (else the payload); an expression must parse. */
      validateItems: function (value, _opt) {
        const text = String(value || "").trim();
        return paginate(this) === "none" || text === "" || parses(this, text);
      },
      /** A whole number of pages, 1 or more (not read when the node makes one call). */
      validateMaxPages: function (value, _opt) {
        if (paginate(this) === "none") return true;
        const text = String(value === undefined || value === null ? "" : value).trim();
        const pages = Number(text);
        return (
          (text !== "" && Number.isInteger(pages) && pages >= 1) || this._("access-token-request.validation.maxPages")
        );
      },
    };
  }

  /** The dialog (browser only): the expression inputs, and the rows of the chosen mode. */
  function prepare() {
    ["nextPage", "items"].forEach(function (name) {
      $("#node-input-" + name).typedInput({ types: ["jsonata"] });
    });
    $("#node-input-maxPages").spinner({ min: 1 });
    $("#node-input-paginate").on("change", function () {
      const mode = $(this).val();
      $(".access-token-pages-row").toggle(mode !== "none");
      $(".access-token-pages-expression-row").toggle(mode === "expression");
      RED.tray.resize();
    });
    $("#node-input-paginate").trigger("change");
  }

  /** In the browser: validators over the open dialog. */
  const browserValidators =
    typeof $ === "function"
      ? create(
          function (node, property) {
            const input = $("#node-input-" + property);
            return input.length ? input.val() : node[property];
          },
          function () {
            return window.jsonata;
          },
        )
      : undefined;

  return {
    create: create,
    prepare: prepare,
    validateNextPage: browserValidators && browserValidators.validateNextPage,
    validateItems: browserValidators && browserValidators.validateItems,
    validateMaxPages: browserValidators && browserValidators.validateMaxPages,
  };
});
