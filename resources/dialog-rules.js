// What a credentials dialog derives from values, without a DOM: the region of a saved URL, the API
// URL of a node saved before apiUrl existed, what the Test route takes, and the custom dialog's
// Start from: the fields a preset fills in, the region its saved URLs name, and its parameters read
// from and written into the `params` expression. Pure: the mocha suite runs it as the browser does.
// Node-RED serves this file to the editor (resources/); credentials-dialog.js and preset-picker.js use it.
(function (root, factory) {
  "use strict";
  const rules = factory();
  if (typeof module === "object" && module.exports) module.exports = rules;
  else root.AccessTokenDialogRules = rules;
})(this, function () {
  "use strict";

  /** What a URL is compared by: outer spaces, trailing slashes and case aside. */
  function comparableUrl(url) {
    return String(url || "")
      .trim()
      .replace(/\/+$/, "")
      .toLowerCase();
  }

  /**
   * A provider with regions (OrionStar) has one host per region. Only baseUrl is stored: the region
   * is the one whose URL it is, and any other URL is "custom", which shows the URL field.
   */
  function regionOf(url, regions) {
    const saved = comparableUrl(url);
    const known = Object.keys(regions).some(function (name) {
      return regions[name] === saved;
    });
    return known ? saved : "custom";
  }

  /**
   * A node saved before apiUrl existed joined paths to its token URL's origin: the dialog shows
   * that, as the runtime reads it (config-version.ts), so saving the dialog keeps it. Undefined
   * when the field is to be left as it is.
   */
  function legacyApiUrl(definition, node) {
    const hasApiUrl = definition.properties.some(function (p) {
      return p.name === "apiUrl";
    });
    if (!hasApiUrl || node.apiUrl !== undefined) return undefined;
    try {
      const url = new URL(String(node.tokenUrl || "").trim());
      if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
    } catch {
      // No token URL yet: nothing to carry over.
    }
    return "";
  }

  /** The dialog's properties the Test route takes, besides the credentials, proxy and TLS. */
  function testedProperties(definition) {
    return [definition.urlProperty, "timeout"].concat(
      definition.properties.map(function (p) {
        return p.name;
      }),
    );
  }

  /**
   * A JSONata text as the editor's typedInput holds it: a text input drops line breaks, so
   * Node-RED's expression editor keeps them as tabs (whitespace to JSONata), and shows them again.
   */
  function typedText(text) {
    return String(text === undefined || text === null ? "" : text).replace(/\r?\n/g, "\t");
  }

  /**
   * What the Test route gets for a property: the saved text when the dialog shows it unchanged (as
   * typedText made it), so that a deployed node's multi-line expression compares equal; else the dialog's.
   */
  function sentValue(dialogValue, saved) {
    return typeof saved === "string" && dialogValue === typedText(saved) ? saved : dialogValue;
  }

  /** The preset of a custom dialog's definition by id; undefined for "" (blank) or one this release does not know. */
  function presetOf(definition, id) {
    return (definition.presets || []).filter(function (preset) {
      return preset.id === id;
    })[0];
  }

  /**
   * The preset region whose token URL and API URL both are the saved ones (compared as regionOf
   * does), else "custom". A region without a token endpoint has "" as its token URL.
   */
  function presetRegionOf(tokenUrl, apiUrl, regions) {
    const names = Object.keys(regions || {}).filter(function (name) {
      const region = regions[name];
      return (
        comparableUrl(region.tokenUrl) === comparableUrl(tokenUrl) &&
        comparableUrl(region.apiUrl) === comparableUrl(apiUrl)
      );
    });
    return names.length ? names[0] : "custom";
  }

  /**
   * The parameters in a `params` text, when it is a plain object of texts (as the dialog writes it):
   * { readable: true, values: name -> text ("" when absent) }. Any other expression is not
   * readable: the dialog then leaves it to the Parameters field.
   */
  function readParams(text, names) {
    const source = String(text || "").trim();
    let object = {};
    if (source) {
      try {
        object = JSON.parse(source);
      } catch {
        return { readable: false, values: {} };
      }
    }
    if (!object || typeof object !== "object" || Array.isArray(object)) return { readable: false, values: {} };
    const values = {};
    const readable = names.every(function (name) {
      const value = Object.prototype.hasOwnProperty.call(object, name) ? object[name] : "";
      values[name] = value;
      return typeof value === "string";
    });
    return readable ? { readable: true, values: values } : { readable: false, values: {} };
  }

  /**
   * `params` with the named parameters set to `values` (trimmed), as a JSONata object of texts:
   * `{"domain": "...", "project": "..."}`. Other names the text held (Alibaba's RegionId) stay, in
   * their place; "" when there is no name at all.
   */
  function writeParams(text, names, values) {
    const read = readParams(text, []);
    const object = read.readable && String(text || "").trim() ? JSON.parse(String(text)) : {};
    names.forEach(function (name) {
      object[name] = String(values[name] === undefined || values[name] === null ? "" : values[name]).trim();
    });
    const entries = Object.keys(object).map(function (name) {
      return JSON.stringify(name) + ": " + JSON.stringify(object[name]);
    });
    return entries.length ? "{" + entries.join(", ") + "}" : "";
  }

  /**
   * What picking a preset sets, by property name: each property the preset gives, every other one
   * its default (so nothing of the node it replaces is left in between), the first region's token
   * URL and API URL, and its parameters (empty) in `params`. Kept as they were: the preset itself
   * (the select), the API hosts (where the user's own API is), and what is not a property (name,
   * credentials, timeout, proxy, TLS).
   */
  function presetValues(definition, id) {
    const preset = presetOf(definition, id);
    if (!preset) throw new Error("access-token: no preset " + id);
    const values = {};
    definition.properties.forEach(function (property) {
      if (property.name === "preset" || property.name === "apiHosts") return;
      const given = Object.prototype.hasOwnProperty.call(preset.fields, property.name);
      values[property.name] = given ? preset.fields[property.name] : property.default;
    });
    const first = preset.regions[Object.keys(preset.regions)[0]];
    values[definition.urlProperty] = first ? first.tokenUrl : definition.defaultBaseUrl;
    values.apiUrl = first ? first.apiUrl : "";
    if (!Object.prototype.hasOwnProperty.call(preset.fields, "params"))
      values.params = writeParams("", preset.params, {});
    return values;
  }

  return {
    regionOf: regionOf,
    legacyApiUrl: legacyApiUrl,
    testedProperties: testedProperties,
    typedText: typedText,
    sentValue: sentValue,
    presetOf: presetOf,
    presetRegionOf: presetRegionOf,
    readParams: readParams,
    writeParams: writeParams,
    presetValues: presetValues,
  };
});
