// The sign-in of a credentials dialog whose grant signs a user in (oauth2-credentials, grant
// authorization_code; its rows are generated: scripts/editor-html.ts signInRows): the redirect URI
// to register with the vendor, and the Sign in button, which opens the runtime's authorize route
// (src/nodes/sign-in-routes.ts) in a new window. That route sends the window on to the vendor's
// sign-in page; the vendor sends it back to the callback, whose page says on a BroadcastChannel
// that the sign-in ended; the dialog then reads the node's state (the state route) and shows it.
// Started by credentials-dialog.js.
(function () {
  "use strict";

  /** One channel for the open dialog (one dialog is open at a time): told which node it waits for. */
  let channel;
  let waiting;

  function listen(name) {
    if (channel || typeof BroadcastChannel !== "function") return;
    channel = new BroadcastChannel(name);
    channel.onmessage = function (event) {
      const data = event.data || {};
      if (waiting && data.type === name && data.id === waiting.id) waiting.ended(data.ok === true);
    };
  }

  /** The callback's absolute URL as this browser reaches Node-RED: the editor's page is at the admin root. */
  function redirectUri(signInRoot) {
    return new URL(signInRoot.replace(/^\//, "") + "/callback", window.location.href).href;
  }

  /**
   * Whether the deployed node is what the dialog shows: Sign in uses the deployed node (its client
   * ID, URLs and scope), so a node never deployed, saved since, or edited in the open dialog is not.
   */
  function deployedAsShown(node, definition) {
    if (!RED.nodes.node(node.id) || node.changed) return false;
    const names = [definition.urlProperty].concat(
      definition.properties.map(function (property) {
        return property.name;
      }),
    );
    const sameProperties = names.every(function (name) {
      const input = $("#node-config-input-" + name);
      return !input.length || String(input.val()) === String(node[name] === undefined ? "" : node[name]);
    });
    // A saved secret the dialog did not touch shows Node-RED's placeholder, one never saved (a field
    // of another grant or client authentication) stays empty; anything else is an edit.
    const sameCredentials = definition.fields.every(function (field) {
      const value = $("#node-config-input-" + field.name).val();
      if (field.input === "password") {
        const saved = node.credentials && node.credentials["has_" + field.name];
        return saved ? value === "__PWRD__" : !value;
      }
      const saved = node.credentials && node.credentials[field.name];
      return saved === undefined || value === saved;
    });
    return sameProperties && sameCredentials;
  }

  /** The authorize route for this node, with the editor's own access token when adminAuth is on (a new window sends no header). */
  function authorizeUrl(definitions, node, uri) {
    const tokens = RED.settings.get("auth-tokens");
    const query = "?id=" + encodeURIComponent(node.id) + "&redirect_uri=" + encodeURIComponent(uri);
    const login = tokens && tokens.access_token ? "&access_token=" + encodeURIComponent(tokens.access_token) : "";
    return definitions.signInRoot.replace(/^\//, "") + "/authorize" + query + login;
  }

  function copy(input, button, _) {
    const done = function () {
      button.find("span").text(_("common.sign-in.copied"));
      setTimeout(function () {
        button.find("span").text(_("common.sign-in.copy"));
      }, 1500);
    };
    const text = input.val();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    // Over plain HTTP the clipboard API is missing: the selected text, copied the old way.
    input.trigger("select");
    if (document.execCommand("copy")) done();
  }

  /**
   * `definitions`: the editor's (signInRoot, signInChannel); `reloadState(loaded)`: reads the node's
   * state again (credentials-test-panel.js); `_`: the node's translate function. Answers what the
   * state panel tells the sign-in (onState).
   */
  function prepare(node, definition, definitions, _) {
    const form = definition.signIn;
    if (!form) return { onState: function () {} };
    const grant = $("#node-config-input-" + form.property);
    const result = $(".access-token-sign-in-result");
    const button = $(".access-token-sign-in-button");
    const uri = redirectUri(definitions.signInRoot);
    const show = function (kind, text) {
      result
        .removeClass("access-token-result-success access-token-result-error")
        .addClass(
          kind === "success" ? "access-token-result-success" : kind === "error" ? "access-token-result-error" : "",
        )
        .attr("data-result", kind)
        .text(text);
      RED.tray.resize();
    };
    // The sign-in's own properties (authorizationUrl) follow their shownWhen (credentials-dialog.js).
    const toggle = function () {
      $(".access-token-sign-in-row").toggle(form.values.indexOf(grant.val()) !== -1);
      RED.tray.resize();
    };
    $("#access-token-redirect-uri").val(uri);
    $(".access-token-copy-redirect-uri").on("click", function (event) {
      event.preventDefault();
      copy($("#access-token-redirect-uri"), $(this), _);
    });
    grant.on("change", toggle);
    toggle();
    listen(definitions.signInChannel);
    let reload = function () {};
    waiting = undefined;
    button.on("click", function (event) {
      event.preventDefault();
      if (!deployedAsShown(node, definition)) {
        show("error", _("common.sign-in.deploy-first"));
        return;
      }
      // Opened at once, on the click (pop-up blockers allow that), with no way back to this page
      // (no window.opener for the vendor's page); the BroadcastChannel says when it is done.
      const win = window.open("", "access-token-sign-in", "popup,width=520,height=720");
      if (!win) {
        show("error", _("common.sign-in.popup-blocked"));
        return;
      }
      win.opener = null;
      win.location.href = new URL(authorizeUrl(definitions, node, uri), window.location.href).href;
      show("busy", _("common.sign-in.busy"));
      waiting = {
        id: node.id,
        ended: function (ok) {
          if (!ok) show("error", _("common.sign-in.failed"));
          reload();
        },
      };
    });
    return {
      /** Given the state panel's reload, once it exists. */
      setReload: function (reloadState) {
        reload = reloadState;
      },
      /** Each state the panel read: the sign-in's part of it beside the button. */
      onState: function (state) {
        const text = state && window.AccessTokenView.signInText(state, _);
        if (text === undefined || result.attr("data-result") === "error") return;
        show(state.signedIn ? "success" : "", text);
      },
    };
  }

  window.AccessTokenSignIn = { prepare: prepare };
})();
