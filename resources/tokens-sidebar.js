// The Tokens sidebar: every credentials node of the workspace with what its deployed node holds
// (whether a token, never its value; until when; from where; the shared cache; the last error with
// its hint), the nodes that use it, and two actions: Refresh (a new token) and Test. It reads the
// states through the admin route (which checks the user's permission) and reads them again when
// the runtime says, over comms, that one changed. Added and removed with the get token node type
// (nodes/access-token.html: onpaletteadd), which hands over the provider definitions and its
// translate function; what it shows is built by resources/tokens-view.js.
(function () {
  "use strict";

  const TAB_ID = "access-token-tokens";
  /** Several changes in a burst (a deploy closes and starts every node) make one read. */
  const READ_DELAY_MS = 200;
  /** setTimeout's limit: a token that lives longer is shown as expired at the next read. */
  const MAX_TIMER_MS = 2 ** 31 - 1;

  let added;

  /**
   * The definitions as the editor script has them (src/providers/editor-definitions.ts); `_`
   * translates in this node set's catalog.
   */
  function add(definitions, _) {
    if (!added) added = createSidebar(definitions, _, window.AccessTokenView);
  }

  function remove() {
    if (added) added.destroy();
    added = undefined;
  }

  function createSidebar(definitions, _, view) {
    /** Relative to the editor's page: Node-RED's admin root may be a path. */
    const adminUrl = definitions.adminRoot.replace(/^\//, "");
    const providerOf = {};
    definitions.providers.forEach(function (provider) {
      providerOf[provider.configType] = provider.id;
    });
    const canAct = RED.user.hasPermission(definitions.actionPermissions.slice());
    /** Node id -> the last action's result line and whether one is running. */
    const results = {};
    let states = null;
    let readError = "";
    let readTimer;
    let renderTimer;
    let expiryTimer;

    const content = $("<div>", { class: "access-token-sidebar" });
    $("<div>", { class: "access-token-sidebar-help" }).text(_("common.sidebar.help")).appendTo(content);
    const message = $("<div>", { class: "access-token-sidebar-message", role: "status" }).appendTo(content);
    const list = $("<ul>", { class: "access-token-sidebar-list" }).appendTo(content);
    const toolbar = $("<div>", { class: "red-ui-sidebar-footer access-token-sidebar-toolbar" });
    $("<button>", {
      type: "button",
      class: "red-ui-footer-button access-token-sidebar-reload",
      title: _("common.sidebar.reload"),
    })
      .append($("<i>", { class: "fa fa-refresh" }))
      .on("click", function (event) {
        event.preventDefault();
        readStates();
      })
      .appendTo(toolbar);

    /** The editor's credentials nodes, with the nodes that use each, as tokens-view.js takes them. */
    function workspaceConfigs() {
      const configs = [];
      RED.nodes.eachConfig(function (node) {
        if (!Object.prototype.hasOwnProperty.call(providerOf, node.type)) return;
        configs.push({
          id: node.id,
          label: RED.utils.getNodeLabel(node, node.id),
          provider: providerOf[node.type],
          preset: node.preset,
          changed: !!node.changed,
          users: (node.users || []).map(function (user) {
            const tab = RED.nodes.workspace(user.z) || RED.nodes.subflow(user.z);
            return {
              id: user.id,
              label: RED.utils.getNodeLabel(user, user.type),
              tab: tab ? tab.label || tab.name || "" : "",
            };
          }),
        });
      });
      return configs;
    }

    function row(table, label, value, rowClass) {
      const tr = $("<tr>")
        .addClass(rowClass || "")
        .appendTo(table);
      $("<th>").text(label).appendTo(tr);
      return $("<td>").text(value).appendTo(tr);
    }

    function usersCell(cell, users) {
      cell.text(users.length ? "" : _("common.sidebar.unused")).addClass("access-token-sidebar-users");
      users.forEach(function (user) {
        $("<a>", { href: "#", "data-node": user.id })
          .text(user.tab ? user.label + " (" + user.tab + ")" : user.label)
          .on("click", function (event) {
            event.preventDefault();
            RED.view.reveal(user.id);
          })
          .appendTo(cell);
      });
    }

    function actionButton(entry, kind, icon, label) {
      const running = results[entry.id] && results[entry.id].running;
      return $("<button>", { type: "button", class: "red-ui-button red-ui-button-small access-token-sidebar-" + kind })
        .prop("disabled", !canAct || !entry.deployed || !!running)
        .attr("title", canAct ? null : _("common.sidebar.no-permission"))
        .append($("<i>", { class: "fa " + icon }), " ", $("<span>").text(label))
        .on("click", function (event) {
          event.preventDefault();
          act(entry.id, kind);
        });
    }

    function entryElement(entry) {
      const item = $("<li>", { class: "access-token-sidebar-entry", "data-id": entry.id });
      $("<div>", { class: "access-token-sidebar-title" }).text(entry.label).appendTo(item);
      const table = $("<table>").appendTo(item);
      row(table, _("access-token.label.provider"), entry.provider, "access-token-sidebar-provider");
      if (entry.preset) row(table, _("common.sidebar.preset"), entry.preset, "access-token-sidebar-preset");
      if (entry.values) {
        Object.keys(entry.values).forEach(function (name) {
          const error = name === "lastError" && entry.hasError;
          row(
            table,
            _("common.state." + name),
            entry.values[name],
            "access-token-sidebar-" + name + (error ? " access-token-sidebar-error" : ""),
          );
        });
      }
      usersCell(row(table, _("common.sidebar.usedBy"), "", "access-token-sidebar-usedBy"), entry.users);
      const note = !entry.deployed ? "not-deployed" : entry.changed ? "changed" : "";
      if (note && states)
        $("<div>", { class: "access-token-sidebar-note" })
          .text(_("common.sidebar." + note))
          .appendTo(item);
      $("<div>", { class: "access-token-sidebar-actions" })
        .append(actionButton(entry, "refresh", "fa-refresh", _("common.sidebar.refresh")))
        .append(actionButton(entry, "test", "fa-plug", _("common.test.label")))
        .appendTo(item);
      const result = results[entry.id] || { kind: "", text: "" };
      $("<div>", { class: "access-token-sidebar-result", role: "status", "data-result": result.kind })
        .text(result.text)
        .appendTo(item);
      return item;
    }

    /** Shows the list again from the editor's nodes and the last states read. */
    function render() {
      const now = Date.now();
      const entries = view.sidebarEntries(workspaceConfigs(), states, _, now);
      message.text(readError || (entries.length ? "" : _("common.sidebar.empty")));
      list.empty().append(entries.map(entryElement));
      // A held token lapses without the runtime saying so: show it expired when it does.
      clearTimeout(expiryTimer);
      const next = Math.min.apply(
        null,
        Object.keys(states || {})
          .map(function (id) {
            return states[id].tokenHeld && typeof states[id].expiresAt === "number"
              ? states[id].expiresAt - now
              : Infinity;
          })
          .filter(function (wait) {
            return wait > 0;
          }),
      );
      if (next < MAX_TIMER_MS) expiryTimer = setTimeout(render, next + 50);
    }

    function readStates() {
      clearTimeout(readTimer);
      readTimer = undefined;
      $.ajax({ url: adminUrl + "/states", method: "GET", dataType: "json", cache: false })
        .done(function (answer) {
          states = answer;
          readError = "";
        })
        .fail(function (xhr) {
          states = null;
          readError = view.routeErrorView(
            xhr.status,
            xhr.responseJSON && xhr.responseJSON.message,
            _,
            "common.sidebar.read-forbidden",
          ).text;
        })
        .always(render);
    }

    function readSoon() {
      if (!readTimer) readTimer = setTimeout(readStates, READ_DELAY_MS);
    }

    function showResult(id, result) {
      results[id] = result;
      const item = list.children().filter(function () {
        return $(this).attr("data-id") === id;
      });
      if (item.length)
        item.replaceWith(
          entryElement(
            view.sidebarEntries(workspaceConfigs(), states, _, Date.now()).find(function (e) {
              return e.id === id;
            }),
          ),
        );
    }

    /** Refresh: a new token for the deployed node. Test: the Test route with the node's id (its cache). */
    function act(id, kind) {
      const request =
        kind === "refresh"
          ? { url: adminUrl + "/" + encodeURIComponent(id) + "/refresh", data: "{}" }
          : { url: adminUrl + "/test", data: JSON.stringify({ id: id }) };
      showResult(id, { kind: "busy", text: _("common.test.busy"), running: true });
      $.ajax({
        url: request.url,
        method: "POST",
        contentType: "application/json",
        data: request.data,
        dataType: "json",
      })
        .done(function (answer) {
          showResult(id, view.answerView(answer, _));
        })
        .fail(function (xhr) {
          showResult(
            id,
            view.routeErrorView(
              xhr.status,
              xhr.responseJSON && xhr.responseJSON.message,
              _,
              "common.sidebar.forbidden",
            ),
          );
        });
    }

    /** Only the node's id and a change marker come over comms: the state is read through the route. */
    function stateChanged(topic, change) {
      if (change && typeof change.id === "string") readSoon();
    }
    /** Nodes added, removed or edited in the workspace: a burst (an import, a paste) makes one render. */
    function workspaceChanged() {
      if (!renderTimer)
        renderTimer = setTimeout(function () {
          renderTimer = undefined;
          render();
        }, READ_DELAY_MS);
    }

    RED.sidebar.addTab({
      id: TAB_ID,
      label: _("common.sidebar.label"),
      name: _("common.sidebar.label"),
      iconClass: "fa fa-key",
      content: content,
      toolbar: toolbar,
      enableOnEdit: true,
      onchange: readStates,
    });
    RED.comms.subscribe(definitions.stateTopic, stateChanged);
    RED.events.on("deploy", readSoon);
    ["nodes:add", "nodes:remove", "nodes:change"].forEach(function (event) {
      RED.events.on(event, workspaceChanged);
    });

    return {
      destroy: function () {
        clearTimeout(readTimer);
        clearTimeout(renderTimer);
        clearTimeout(expiryTimer);
        RED.comms.unsubscribe(definitions.stateTopic, stateChanged);
        RED.events.off("deploy", readSoon);
        ["nodes:add", "nodes:remove", "nodes:change"].forEach(function (event) {
          RED.events.off(event, workspaceChanged);
        });
        RED.sidebar.removeTab(TAB_ID);
      },
    };
  }

  window.AccessTokenSidebar = { add: add, remove: remove };
})();
