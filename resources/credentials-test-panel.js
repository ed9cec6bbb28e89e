// The Test button and the state panel of a credentials dialog (their HTML is generated:
// scripts/editor-html.ts testRows). The button fetches a token with what the dialog holds, through
// the admin route, which checks the user's permission; the panel shows what the deployed node
// holds. What they show is built by tokens-view.js. Started by credentials-dialog.js.
(function () {
  "use strict";

  function showView(element, view) {
    element
      .removeClass("access-token-result-success access-token-result-error")
      .addClass(
        view.kind === "success"
          ? "access-token-result-success"
          : view.kind === "error"
            ? "access-token-result-error"
            : "",
      )
      .attr("data-result", view.kind)
      .text(view.text);
    RED.tray.resize();
  }

  /**
   * A route that did not answer with a result: refused (no permission, or logged out), a bad
   * request, or no answer at all. The route's own text when it sent one.
   */
  function routeErrorView(xhr, _) {
    const message = xhr.responseJSON && xhr.responseJSON.message;
    return window.AccessTokenView.routeErrorView(xhr.status, message, _, "common.test.forbidden");
  }

  /**
   * The deployed node's state: a row per fact, each value set as text (vendor texts are never HTML);
   * a row the state has no value for (the sign-in of credentials that sign none) is hidden.
   */
  function showState(state, _) {
    const values = window.AccessTokenView.stateValues(state, _, Date.now());
    $(".access-token-state-table tr[data-state]").each(function () {
      const row = $(this);
      const value = values[row.attr("data-state")];
      row.toggle(value !== undefined);
      row.find("td").text(value === undefined ? "" : value);
    });
  }

  /** Read the deployed node's state and show it; `loaded(state)` gets it too (undefined when none could be read). */
  function loadState(node, adminUrl, _, loaded) {
    const done = loaded || function () {};
    const message = $(".access-token-state-message");
    const table = $(".access-token-state-table");
    // A node being added is in no flow yet: nothing to ask the runtime.
    if (!RED.nodes.node(node.id)) {
      table.hide();
      message.text(_("access-token.admin.not-deployed"));
      done(undefined);
      return;
    }
    message.text(_("common.state.loading"));
    $.ajax({
      url: adminUrl + "/" + encodeURIComponent(node.id) + "/state",
      method: "GET",
      dataType: "json",
      cache: false,
    })
      .done(function (state) {
        message.text("");
        showState(state, _);
        table.show();
        done(state);
      })
      .fail(function (xhr) {
        table.hide();
        message.text(routeErrorView(xhr, _).text);
        done(undefined);
      })
      .always(function () {
        RED.tray.resize();
      });
  }

  /**
   * `adminUrl`: the admin routes, relative to the editor's page; `dialogValues()`: what the open
   * dialog holds, as the Test route takes it; `_`: the node's translate function; `fieldLabel(name)`:
   * a property's label, for the expressions a test says it used; `onState(state)`: told of each
   * state read (the sign-in shows it). Answers `reloadState()`, which reads the state again.
   */
  function prepare(node, adminUrl, dialogValues, _, fieldLabel, onState) {
    const reloadState = function () {
      loadState(node, adminUrl, _, onState);
    };
    const button = $(".access-token-test-button");
    const result = $(".access-token-test-result");
    button.on("click", function (event) {
      event.preventDefault();
      button.prop("disabled", true).addClass("disabled");
      showView(result, { kind: "busy", text: _("common.test.busy") });
      $.ajax({
        url: adminUrl + "/test",
        method: "POST",
        contentType: "application/json",
        data: JSON.stringify(dialogValues()),
        dataType: "json",
      })
        .done(function (answer) {
          // The expiry (never a token) or "signing only", or the error as a Catch node gets it; and
          // the expressions the test used (custom).
          showView(result, window.AccessTokenView.answerView(answer, _, fieldLabel));
        })
        .fail(function (xhr) {
          showView(result, routeErrorView(xhr, _));
        })
        .always(function () {
          button.prop("disabled", false).removeClass("disabled");
        });
    });
    // A result speaks of what was tested: once the dialog changes, it is taken away.
    $(".access-token-form").on("input change", "input, select", function () {
      if (!button.prop("disabled")) showView(result, { kind: "", text: "" });
    });
    $(".access-token-state-refresh").on("click", function (event) {
      event.preventDefault();
      reloadState();
    });
    reloadState();
    return { reloadState: reloadState };
  }

  window.AccessTokenTestPanel = { prepare: prepare };
})();
