// What the node types of nodes/access-token.html share: its script calls create() once with the
// definitions the build wrote into it (src/providers/editor-definitions.ts), and its registerType
// calls (which stay in the .html, where the Flow Library's parser reads them) use what create()
// returns: the rules (editor-rules.js), the credentials dialogs (credentials-dialog.js), the get
// token and api request dialogs (below) and the Tokens sidebar (tokens-sidebar.js). Node-RED runs
// the files of resources/ in no set order but all of them before the .html's own script: so each
// file only sets its global, and looks the others up when it is called.
(function () {
  "use strict";

  /** What the rules read of the editor, when they run (editor-rules.js create). */
  const EDITOR_STATE = {
    // accessTokenAllowHttp is the runtime's opt-in; it is only visible here if exported.
    allowHttp: function () {
      return RED.settings.accessTokenAllowHttp === true;
    },
    jsonata: function () {
      return window.jsonata;
    },
    isPropertyExpression: function (key) {
      return RED.utils.validatePropertyExpression(key);
    },
    configNode: function (id) {
      return RED.nodes.node(id);
    },
    /**
     * A property as the open dialog shows it, else as saved (the pattern of core tls-config): a
     * validator that depends on another field must see that field's unsaved value.
     */
    dialogValue: function (node, property) {
      const input = $("#node-input-" + property);
      return input.length ? input.val() : node[property];
    },
    /** The same for a config node: its dialog's inputs are node-config-input-<property>. */
    configValue: function (node, property) {
      const input = $("#node-config-input-" + property);
      return input.length ? input.val() : node[property];
    },
    inDialog: function (property) {
      return $("#node-input-" + property).length > 0;
    },
  };

  /** The node's translate function, as the view functions take it. */
  function translate(node) {
    return function (key, params) {
      return node._(key, params);
    };
  }

  /** Show only the chosen provider's credentials selector; then call `changed`. */
  function prepareProviderChoice(changed) {
    $("#node-input-provider").on("change", function () {
      const provider = $(this).val();
      $(".access-token-credentials-row").each(function () {
        $(this).toggle($(this).attr("data-provider") === provider);
      });
      changed();
      RED.tray.resize();
    });
  }

  /**
   * The runtime's context stores (settings.js contextStorage). As in core's typedInput, the
   * default store is saved as "" (no store named), so the flow follows a change of the default.
   * A saved store the settings no longer list stays selectable.
   */
  function prepareStoreSelect(node) {
    const context = RED.settings.context;
    if (!context || !Array.isArray(context.stores)) return;
    const select = $("<select>", { id: "node-input-store" });
    $("<option>", { value: "" })
      .text(node._("access-token.store.default", { store: context.default }))
      .appendTo(select);
    context.stores.forEach(function (store) {
      if (store !== context.default) $("<option>", { value: store }).text(store).appendTo(select);
    });
    const saved = node.store === context.default ? "" : node.store || "";
    if (saved && context.stores.indexOf(saved) === -1) {
      $("<option>", { value: saved })
        .text(node._("access-token.store.missing", { store: saved }))
        .appendTo(select);
    }
    $("#node-input-store").replaceWith(select);
    select.val(saved);
  }

  function prepareGetToken(node) {
    const showEnosTip = function () {
      const enos = $("#node-input-provider").val() === "enos";
      $(".access-token-enos-tip").toggle(enos && $("#node-input-headers").is(":checked"));
    };
    prepareProviderChoice(showEnosTip);
    $("#node-input-scope").on("change", function () {
      $(".access-token-context-row").toggle($(this).val() !== "none");
      RED.tray.resize();
    });
    $("#node-input-headers").on("change", showEnosTip);
    prepareStoreSelect(node);
    window.AccessTokenCredentialsDialog.prepareSpinner("#node-input-margin", { min: 0, step: 60 });
  }

  function prepareApiRequest() {
    prepareProviderChoice(function () {});
    prepareBusyChoice();
  }

  /** Wait at most: only for busy "wait". */
  function prepareBusyChoice() {
    window.AccessTokenCredentialsDialog.prepareSpinner("#node-input-maxWait", { min: 0 });
    $("#node-input-busy")
      .on("change", function () {
        $(".access-token-max-wait-row").toggle($(this).val() === "wait");
      })
      .trigger("change");
  }

  function create(definitions) {
    const rules = window.AccessTokenEditorRules.create(definitions, EDITOR_STATE);
    /** The admin routes, relative to the editor's page: Node-RED's admin root may be a path. */
    const adminUrl = definitions.adminRoot.replace(/^\//, "");

    /**
     * Keep only the chosen provider's credentials: a hidden selector must not hold a reference that
     * keeps an unused credentials node (and its secret) in the flow.
     */
    function keepChosenCredentialsOnly() {
      const provider = $("#node-input-provider").val();
      rules.providerIds.forEach(function (other) {
        if (other !== provider) $("#node-input-" + other).val("_ADD_");
      });
    }

    return {
      // The credentials types (their registerType calls are generated: scripts/editor-html.ts).
      validateBaseUrl: rules.validateBaseUrl,
      validateUrlFor: rules.validateUrlFor,
      validateTimeout: rules.validateTimeout,
      validateRateLimit: rules.validateRateLimit,
      validateRatePeriod: rules.validateRatePeriod,
      validateMaxQueue: rules.validateMaxQueue,
      requiredCredential: rules.requiredCredential,
      propertyCheck: rules.propertyCheck,
      credentialsPaletteLabel: rules.credentialsPaletteLabel,
      credentialsLabel: rules.credentialsLabel,
      prepareCredentialsDialog: function (node, provider) {
        window.AccessTokenCredentialsDialog.prepare(
          node,
          rules.providerDefinition(provider),
          adminUrl,
          translate(node),
          definitions,
        );
      },
      saveCredentialsDialog: function () {
        window.AccessTokenCredentialsDialog.save();
      },
      // get token and api request: each has one credentials property per provider.
      validateCredentialsFor: rules.validateCredentialsFor,
      validateProvider: rules.validateProvider,
      validateKey: rules.validateKey,
      validateMargin: rules.validateMargin,
      validateMaxWait: rules.validateMaxWait,
      validateUrl: rules.validateUrl,
      getTokenLabel: rules.getTokenLabel,
      apiRequestLabel: rules.apiRequestLabel,
      prepareGetToken: prepareGetToken,
      prepareApiRequest: prepareApiRequest,
      keepChosenCredentialsOnly: keepChosenCredentialsOnly,
      // The Tokens sidebar comes and goes with the get token node type.
      addSidebar: function (node) {
        window.AccessTokenSidebar.add(definitions, translate(node));
      },
      removeSidebar: function () {
        window.AccessTokenSidebar.remove();
      },
    };
  }

  window.AccessTokenEditor = { create: create };
})();
