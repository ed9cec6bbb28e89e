// The credentials dialogs, one per provider (their HTML is generated: scripts/editor-html.ts): the
// region picker, the API URL of a node saved before apiUrl existed, the provider's own properties,
// the custom dialog's Start from (preset-picker.js), the timeout spinner, the optional proxy and TLS
// config nodes, the sign-in of oauth2's authorization code (sign-in.js), and the Test button and
// state panel (credentials-test-panel.js). What they derive
// from saved values is in dialog-rules.js.
(function () {
  "use strict";

  /** The definition of the dialog open now, for save(). */
  let opened;

  function prepareSpinner(id, options) {
    $(id).spinner(options);
    // A spinner click changes the value without a change event; validation listens for one.
    $(id)
      .parent()
      .find(".ui-spinner-button")
      .on("click", function () {
        $(id).trigger("change");
      });
  }

  /**
   * Proxy and TLS are optional config nodes. As in the core http request node, a checkbox reveals
   * the selector, and an unticked box saves no reference (see saveOptionalConfig).
   */
  function prepareOptionalConfig(node, property, checkboxId, rowClass) {
    $("#" + checkboxId)
      .prop("checked", !!node[property])
      .on("change", function () {
        $("." + rowClass).toggle(this.checked);
        RED.tray.resize();
      })
      .trigger("change");
  }

  function saveOptionalConfig(property, checkboxId) {
    if (!$("#" + checkboxId).is(":checked")) $("#node-config-input-" + property).val("_ADD_");
  }

  /** An optional config node's id when its box is ticked and one is chosen, else "". */
  function optionalConfigValue(property, checkboxId) {
    const value = $("#node-config-input-" + property).val();
    return $("#" + checkboxId).is(":checked") && value && value !== "_ADD_" ? value : "";
  }

  /** The region picker is not stored: it is picked from baseUrl, and picking a region sets baseUrl. */
  function prepareRegionPicker(regions) {
    const url = $("#node-config-input-baseUrl");
    const region = $("#node-config-input-region");
    region.val(window.AccessTokenDialogRules.regionOf(url.val(), regions));
    region
      .on("change", function () {
        const custom = region.val() === "custom";
        if (!custom) url.val(region.val()).trigger("change");
        $(".access-token-custom-url-row").toggle(custom);
        RED.tray.resize();
      })
      .trigger("change");
  }

  function prepareApiUrl(node, definition) {
    const origin = window.AccessTokenDialogRules.legacyApiUrl(definition, node);
    if (origin !== undefined) $("#node-config-input-apiUrl").val(origin);
  }

  /** The rows shown only for some values of a select (oauth2's secret, key and user fields), by input. */
  function conditionalRows(definition) {
    return definition.fields.concat(definition.properties).filter(function (row) {
      return !!row.shownWhen;
    });
  }

  function rowShown(definition, row) {
    const select = $("#node-config-input-" + row.shownWhen.property).val();
    return window.AccessTokenEditorRules.isShown(definition, row.shownWhen, select);
  }

  /** Each conditional row follows its select; a credential's check runs again as it shows or hides. */
  function prepareConditionalRows(definition) {
    const rows = conditionalRows(definition);
    const update = function () {
      rows.forEach(function (row) {
        const input = $("#node-config-input-" + row.name);
        input.closest(".form-row").toggle(rowShown(definition, row));
        if (row.credential) input.trigger("change");
      });
      RED.tray.resize();
    };
    rows.forEach(function (row) {
      $("#node-config-input-" + row.shownWhen.property).on("change", update);
    });
    update();
  }

  /** Numbers get a spinner; JSONata expressions the editor's expression editor (with its test tool). */
  function prepareProperties(node, definition) {
    definition.properties.forEach(function (property) {
      const id = "#node-config-input-" + property.name;
      if (property.input.kind === "number") prepareSpinner(id, { min: property.input.min });
      if (property.input.kind !== "jsonata") return;
      // A saved multi-line expression (a preset's, an example's): its line breaks as the expression editor keeps them.
      if (typeof node[property.name] === "string")
        $(id).val(window.AccessTokenDialogRules.typedText(node[property.name]));
      $(id).typedInput({ types: ["jsonata"] });
    });
  }

  /**
   * What the open dialog holds, as the Test route takes it. A secret the dialog did not change is
   * Node-RED's placeholder, never the secret: the route takes it from the deployed node `id`.
   */
  function dialogValues(node, definition) {
    const body = { id: node.id, type: definition.configType, credentials: {} };
    const rules = window.AccessTokenDialogRules;
    rules.testedProperties(definition).forEach(function (name) {
      body[name] = rules.sentValue($("#node-config-input-" + name).val(), node[name]);
    });
    body.proxy = optionalConfigValue("proxy", "node-config-input-useProxy");
    body.tls = optionalConfigValue("tls", "node-config-input-useTls");
    definition.fields.forEach(function (field) {
      body.credentials[field.name] = $("#node-config-input-" + field.name).val();
    });
    return body;
  }

  /**
   * `adminUrl`: the admin routes, relative to the editor's page; `_`: the node's translate function;
   * `definitions`: the editor's (the sign-in's routes).
   */
  function prepare(node, definition, adminUrl, _, definitions) {
    if (definition.regions) prepareRegionPicker(definition.regions);
    prepareApiUrl(node, definition);
    prepareProperties(node, definition);
    prepareConditionalRows(definition);
    opened = definition;
    if (definition.presets) window.AccessTokenPresetPicker.prepare(node, definition, _);
    prepareSpinner("#node-config-input-timeout", { min: 1 });
    prepareSpinner("#node-config-input-maxQueue", { min: 0 });
    prepareOptionalConfig(node, "proxy", "node-config-input-useProxy", "access-token-proxy-row");
    prepareOptionalConfig(node, "tls", "node-config-input-useTls", "access-token-tls-row");
    // A user's sign-in (oauth2's authorization code): shown while that grant is chosen.
    const signIn = window.AccessTokenSignIn.prepare(node, definition, definitions, _);
    const panel = window.AccessTokenTestPanel.prepare(
      node,
      adminUrl,
      function () {
        return dialogValues(node, definition);
      },
      _,
      // The expressions a custom test used, by their labels in this dialog.
      function (name) {
        return _(definition.configType + ".label." + name);
      },
      signIn.onState,
    );
    if (signIn.setReload) signIn.setReload(panel.reloadState);
  }

  function save() {
    // A credential hidden by the chosen options is not kept (a client secret no longer used).
    if (opened)
      conditionalRows(opened).forEach(function (row) {
        if (row.credential && !rowShown(opened, row)) $("#node-config-input-" + row.name).val("");
      });
    saveOptionalConfig("proxy", "node-config-input-useProxy");
    saveOptionalConfig("tls", "node-config-input-useTls");
  }

  window.AccessTokenCredentialsDialog = { prepare: prepare, save: save, prepareSpinner: prepareSpinner };
})();
