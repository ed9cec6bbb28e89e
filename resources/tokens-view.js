// What the editor shows of credentials nodes, as plain data: the state rows of a deployed node (the
// credentials dialog's state panel and the Tokens sidebar) and the sidebar's list, built from what
// the editor knows (the config nodes and the nodes that use them) and what the states route
// answered. Pure: no DOM, no RED; texts come from the translate function `_` passed in. Node-RED
// serves this file to the editor (resources/); the mocha suite requires it.
(function (root, factory) {
  "use strict";
  const view = factory();
  if (typeof module === "object" && module.exports) module.exports = view;
  else root.AccessTokenView = view;
})(this, function () {
  "use strict";

  function localTime(epochMs) {
    return new Date(epochMs).toLocaleString();
  }

  /** Shared cache: not configured, or configured and (as last seen) reachable or not. */
  function redisState(state) {
    if (state.sharedCache !== "configured") return "off";
    if (state.redisReachable === false) return "unreachable";
    return state.redisReachable === true ? "reachable" : "configured";
  }

  /** A user's sign-in (credentials whose grant signs in): signed in (as whom, when known) or not; else undefined. */
  function signInText(state, _) {
    if (typeof state.signedIn !== "boolean") return undefined;
    if (!state.signedIn) return _("common.sign-in.not-signed-in");
    return typeof state.signedInAs === "string" && state.signedInAs
      ? _("common.sign-in.signed-in-as", { name: state.signedInAs })
      : _("common.sign-in.signed-in");
  }

  /**
   * A deployed node's state (the state route's answer) as texts by row name, in the order of the
   * rows (scripts/editor-html.ts STATE_ROWS); the sign-in's only for credentials that sign in. A
   * token past its expiry (it may have lapsed since the state was read, at `now`) is not held.
   */
  function stateValues(state, _, now) {
    const none = _("common.state.none");
    const held = state.tokenHeld === true && !(typeof state.expiresAt === "number" && state.expiresAt <= now);
    const values = {};
    const signIn = signInText(state, _);
    if (signIn !== undefined) values.signIn = signIn;
    return Object.assign(values, {
      tokenHeld: _(held ? "common.state.yes" : "common.state.no"),
      expiresAt: held && typeof state.expiresAt === "number" ? localTime(state.expiresAt) : none,
      origin: held && state.origin ? _("common.state.origins." + state.origin) : none,
      sharedCache: _("common.state.redis." + redisState(state)),
      lastError: state.lastError || none,
    });
  }

  function byLabel(a, b) {
    return a.label.localeCompare(b.label) || a.id.localeCompare(b.id);
  }

  /**
   * The sidebar's list, one entry per credentials node of the workspace, by label. `configs`: the
   * editor's credentials nodes as { id, label, provider (id), preset, changed, users: [{ id, label,
   * tab }] }; `states`: the states route's answer (node id -> state), or null when it could not be
   * read. A node in the workspace but not in the answer is not deployed (new, or since removed).
   */
  function sidebarEntries(configs, states, _, now) {
    return configs
      .map(function (config) {
        const state = states ? states[config.id] : undefined;
        return {
          id: config.id,
          label: config.label,
          provider: _("access-token.provider." + config.provider),
          preset: typeof config.preset === "string" && config.preset.trim() !== "" ? config.preset.trim() : "",
          deployed: !!state,
          changed: !!config.changed,
          values: state ? stateValues(state, _, now) : null,
          hasError: !!(state && state.lastError),
          users: config.users.slice().sort(byLabel),
        };
      })
      .sort(byLabel);
  }

  /**
   * A token request's answer (Test, Refresh) as a line: the expiry (never a token), "signing only"
   * for credentials without a token URL (their sign was evaluated for a sample call), or the error
   * as a Catch node gets it; then, on a line of its own, the expressions a custom test used
   * (`fields`), each by `fieldLabel(name)` when given.
   */
  function answerView(answer, _, fieldLabel) {
    const ok = !!answer && answer.ok === true;
    const view =
      ok && answer.signingOnly === true
        ? { kind: "success", text: _("common.test.signing-only", { vendor: answer.vendor }) }
        : ok && typeof answer.expiresAt === "number"
          ? {
              kind: "success",
              text: _("common.test.success", { vendor: answer.vendor, time: localTime(answer.expiresAt) }),
            }
          : { kind: "error", text: (answer && answer.message) || _("common.test.failed") };
    const fields = answer && Array.isArray(answer.fields) ? answer.fields : [];
    if (fields.length) {
      const names = fields.map(function (name) {
        return fieldLabel ? fieldLabel(name) : name;
      });
      view.text += "\n" + _("common.test.fields", { fields: names.join(", ") });
    }
    return view;
  }

  /**
   * A route that did not answer with a result: refused (no permission, or logged out), a bad
   * request, or no answer at all. The route's own text when it sent one. `forbiddenKey`: the text
   * that says which permission was missing.
   */
  function routeErrorView(status, message, _, forbiddenKey) {
    if (status === 401 || status === 403) return { kind: "error", text: _(forbiddenKey, { status: status }) };
    if (message) return { kind: "error", text: message };
    if (!status) return { kind: "error", text: _("common.test.no-answer") };
    return { kind: "error", text: _("common.test.http-error", { status: status }) };
  }

  return {
    localTime: localTime,
    signInText: signInText,
    stateValues: stateValues,
    sidebarEntries: sidebarEntries,
    answerView: answerView,
    routeErrorView: routeErrorView,
  };
});
