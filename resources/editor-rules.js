// The rules the editor applies without a DOM: which values the node types' properties accept (the
// validators Node-RED calls with the node as `this`, texts from its `this._`) and how the nodes are
// labelled (what a dialog derives from saved values is in dialog-rules.js). Pure: what the editor
// holds (its settings, its jsonata, its config nodes, the open dialog) comes in through the
// `editor` argument of create(), so the mocha suite runs these rules as the browser does. Node-RED
// serves this file to the editor (resources/).
(function (root, factory) {
  "use strict";
  const rules = factory();
  if (typeof module === "object" && module.exports) module.exports = rules;
  else root.AccessTokenEditorRules = rules;
})(this, function () {
  "use strict";

  /** ${NAME}: Node-RED puts the environment variable's value in when the flow starts. */
  const ENVIRONMENT_VARIABLE = /^\$\{\S+\}$/;

  function hostOf(url) {
    const text = String(url || "").trim();
    try {
      return new URL(text).host;
    } catch {
      return text;
    }
  }

  /**
   * The runtime's rule, handed over as data (src/loopback.ts): plain HTTP only to this machine.
   * URL.hostname keeps an IPv6 address in brackets ("[::1]"); the rule names it without.
   */
  function loopbackRule(loopback) {
    const ipv4 = new RegExp(loopback.ipv4);
    return function isLoopback(hostname) {
      const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
      return loopback.names.indexOf(host) !== -1 || ipv4.test(host);
    };
  }

  /**
   * Whether a row with this condition (a definition's shownWhen) shows while the select it names has
   * `value`: "" stands for the select's default, as the runtime reads it (src/providers/shown-fields.ts).
   */
  function isShown(definition, shownWhen, value) {
    if (!shownWhen) return true;
    const property = definition.properties.filter(function (p) {
      return p.name === shownWhen.property;
    })[0];
    const text = String(value === undefined || value === null ? "" : value).trim();
    return shownWhen.values.indexOf(text || String(property ? property.default : "")) !== -1;
  }

  function isNumberText(value) {
    return String(value).trim() !== "" && Number.isFinite(Number(value));
  }

  /**
   * The validators and labels for the definitions the build hands over
   * (src/providers/editor-definitions.ts). `editor` answers, when a rule runs:
   *   allowHttp()               whether the runtime's plain-HTTP opt-in is on (visible if exported)
   *   jsonata()                 the editor's jsonata function, if it has one
   *   isPropertyExpression(key) whether key is a property expression (RED.utils)
   *   configNode(id)            a config node by id, if there is one
   *   dialogValue(node, name)   a flow node's (configValue: a config node's) property as its open dialog shows it, else as saved
   *   inDialog(name)            whether the open dialog has the input of that property
   */
  function create(definitions, editor) {
    /** Provider id -> its definition. The id is also the flow nodes' property for its credentials. */
    const providers = {};
    definitions.providers.forEach(function (provider) {
      providers[provider.id] = provider;
    });
    const isLoopback = loopbackRule(definitions.loopback);

    function isProvider(value) {
      return Object.prototype.hasOwnProperty.call(providers, value);
    }

    function providerDefinition(provider) {
      if (!isProvider(provider)) throw new Error("access-token: no definition for provider " + provider);
      return providers[provider];
    }

    function providerName(node, provider) {
      return node._("access-token.provider." + provider);
    }

    // Each validator declares (value, opt), opt unused: Node-RED shows a validator's message only
    // when it declares two parameters, and takes any other's text for "valid".
    function validateBaseUrl(value, _opt) {
      const text = String(value || "").trim();
      if (!text) return this._("common.validation.baseUrl-required");
      if (ENVIRONMENT_VARIABLE.test(text)) return true;
      let url;
      try {
        url = new URL(text);
      } catch {
        return this._("common.validation.baseUrl-invalid");
      }
      if (url.protocol === "https:") return true;
      if (url.protocol === "http:" && (isLoopback(url.hostname) || editor.allowHttp())) return true;
      return this._("common.validation.https-required");
    }

    /** Whether a config node's property, as its open dialog shows it, holds something besides spaces. */
    function filled(node, property) {
      const value = editor.configValue(node, property);
      return String(value === undefined || value === null ? "" : value).trim() !== "";
    }

    /**
     * The provider's URL: required, unless the definition names an expression that proves every call
     * without one (custom's sign), which an empty URL then requires: both fields say so.
     */
    function validateUrlFor(provider) {
      const definition = providerDefinition(provider);
      const signer = definition.signedWithoutUrl;
      if (!signer) return validateBaseUrl;
      return function (value, _opt) {
        if (String(value || "").trim()) return validateBaseUrl.call(this, value, _opt);
        return filled(this, signer) || signRequired(this, definition);
      };
    }

    function signRequired(node, definition) {
      const field = node._(definition.configType + ".label." + definition.signedWithoutUrl);
      return node._("common.validation.sign-required", { field: field });
    }

    function validateTimeout(value, _opt) {
      return (isNumberText(value) && Number(value) > 0) || this._("common.validation.timeout");
    }

    function validateMargin(value, _opt) {
      return (isNumberText(value) && Number(value) >= 0) || this._("access-token.validation.margin");
    }

    /**
     * The rate limit's and busy's numbers: empty or absent (a node saved before they existed) is
     * their default, as the runtime reads it (no limit, 1 s, 1000, 60 s); else a number of at least
     * `min`, whole when `whole`.
     */
    function optionalNumber(min, whole, key, above) {
      return function (value, _opt) {
        const text = String(value === undefined || value === null ? "" : value).trim();
        if (text === "") return true;
        const number = Number(text);
        const fits =
          isNumberText(text) && (above ? number > min : number >= min) && (!whole || Number.isInteger(number));
        return fits || this._(key);
      };
    }

    const validateRateLimit = optionalNumber(1, true, "common.validation.rateLimit");
    const validateRatePeriod = optionalNumber(0, false, "common.validation.number", true);
    const validateMaxQueue = optionalNumber(0, true, "common.validation.maxQueue");
    const validateMaxWait = optionalNumber(0, false, "access-token-request.validation.maxWait");

    function validatePositive(value, _opt) {
      return (isNumberText(value) && Number(value) > 0) || this._("common.validation.number");
    }

    function missingText(node, type, name) {
      return node._("common.validation.credential-required", { field: node._(type + ".label." + name) });
    }

    /**
     * In the dialog a saved secret shows as "__PWRD__" (non-empty), so the input value decides;
     * without a dialog value, only has_<field> tells whether a secret is saved. A field the dialog
     * hides for the chosen options (oauth2's client secret with a private key) is not required.
     */
    function requiredCredential(type, field) {
      const definition = definitions.providers.filter(function (p) {
        return p.configType === type;
      })[0];
      const shownWhen = (
        definition.fields.filter(function (f) {
          return f.name === field;
        })[0] || {}
      ).shownWhen;
      return function (value, _opt) {
        if (shownWhen && !isShown(definition, shownWhen, editor.configValue(this, shownWhen.property))) return true;
        const present =
          typeof value === "string"
            ? value !== ""
            : !!(this.credentials && (this.credentials[field] || this.credentials["has_" + field]));
        return present || missingText(this, type, field);
      };
    }

    /**
     * A JSONata expression must parse (where the editor has jsonata). Empty is allowed unless
     * required, and a token request's required expression (custom's token) is not without the URL.
     */
    function validateExpression(definition, property) {
      const type = definition.configType;
      return function (value, _opt) {
        const text = String(value || "").trim();
        const needed = property.required && !(definition.signedWithoutUrl && !filled(this, definition.urlProperty));
        if (!text) return !needed || missingText(this, type, property.name);
        const jsonata = editor.jsonata();
        if (typeof jsonata !== "function") return true;
        try {
          jsonata(text);
          return true;
        } catch (err) {
          return this._("common.validation.jsonata", { error: err && err.message ? err.message : String(err) });
        }
      };
    }

    /** One of the options; an optional choice (custom's preset: only a name for help) may be any saved text. */
    function validateSelect(property) {
      return function (value, _opt) {
        if (!property.required && typeof value === "string") return true;
        return property.input.options.indexOf(value) !== -1 || this._("common.validation.choice");
      };
    }

    /** The expression that proves every call without a URL: required while the URL is empty. */
    function validateSigner(definition, property) {
      const syntax = validateExpression(definition, property);
      return function (value, _opt) {
        if (!String(value || "").trim() && !filled(this, definition.urlProperty)) return signRequired(this, definition);
        return syntax.call(this, value, _opt);
      };
    }

    /** The check of one of a provider's own properties (oauth2's scope, custom's expressions ...), by its kind. */
    function propertyCheck(provider, name) {
      const definition = providerDefinition(provider);
      const property = definition.properties.filter(function (p) {
        return p.name === name;
      })[0];
      const kind = property.input.kind;
      if (name === definition.signedWithoutUrl) return validateSigner(definition, property);
      // Text properties have no check (the build writes no validate for them).
      return kind === "jsonata"
        ? validateExpression(definition, property)
        : kind === "select"
          ? validateSelect(property)
          : validatePositive;
    }

    /** The credentials property of the chosen provider must name an existing, complete config node. */
    function validateCredentialsFor(provider) {
      return function (value, _opt) {
        if (editor.dialogValue(this, "provider") !== provider) return true;
        const name = providerName(this, provider);
        if (!value || value === "_ADD_") return this._("access-token.validation.credentials", { provider: name });
        const config = editor.configNode(value);
        return (
          (!!config && config.valid !== false) ||
          this._("access-token.validation.credentials-invalid", { provider: name })
        );
      };
    }

    /**
     * Outside the dialog an empty credentials property is not validated (it is required: false, as
     * only the chosen provider's is used), so the provider checks it. In the dialog the selector
     * reports it itself.
     */
    function validateProvider(value, _opt) {
      if (!isProvider(value)) return this._("access-token.validation.provider");
      if (editor.inDialog(value)) return true;
      return !!this[value] || this._("access-token.validation.credentials", { provider: providerName(this, value) });
    }

    function validateKey(value, _opt) {
      if (editor.dialogValue(this, "scope") === "none") return true;
      const key = String(value || "").trim();
      return (key !== "" && editor.isPropertyExpression(key)) || this._("access-token.validation.key");
    }

    /** A call's URL: absolute https://, a path on the credentials' URL ("/v1/..."), or empty to take msg.url. */
    function validateUrl(value, _opt) {
      const text = String(value || "").trim();
      if (text === "" || text.charAt(0) === "/" || ENVIRONMENT_VARIABLE.test(text)) return true;
      try {
        new URL(text);
        return true;
      } catch {
        return this._("access-token-request.validation.url");
      }
    }

    /** Config node label: its name, else the vendor and host (the appid is a credential, not shown here). */
    function credentialsLabel(provider) {
      return function () {
        if (this.name) return this.name;
        const vendor = providerName(this, provider);
        const host = hostOf(this[providerDefinition(provider).urlProperty]);
        return host ? vendor + " " + host : vendor;
      };
    }

    function credentialsPaletteLabel(provider) {
      const type = providerDefinition(provider).configType;
      return function () {
        return this._(type + ".paletteLabel");
      };
    }

    function getTokenLabel() {
      if (this.name) return this.name;
      if (isProvider(this.provider)) {
        return this._("access-token.label.withProvider", { provider: providerName(this, this.provider) });
      }
      return this._("access-token.paletteLabel");
    }

    function apiRequestLabel() {
      if (this.name) return this.name;
      const method = this.method === "use" ? "" : this.method + " ";
      if (this.url) return method + this.url;
      return this._("access-token-request.paletteLabel");
    }

    return {
      providerIds: Object.keys(providers),
      providerDefinition: providerDefinition,
      validateBaseUrl: validateBaseUrl,
      validateUrlFor: validateUrlFor,
      validateTimeout: validateTimeout,
      validateRateLimit: validateRateLimit,
      validateRatePeriod: validateRatePeriod,
      validateMaxQueue: validateMaxQueue,
      validateMaxWait: validateMaxWait,
      validateMargin: validateMargin,
      requiredCredential: requiredCredential,
      propertyCheck: propertyCheck,
      validateCredentialsFor: validateCredentialsFor,
      validateProvider: validateProvider,
      validateKey: validateKey,
      validateUrl: validateUrl,
      credentialsLabel: credentialsLabel,
      credentialsPaletteLabel: credentialsPaletteLabel,
      getTokenLabel: getTokenLabel,
      apiRequestLabel: apiRequestLabel,
    };
  }

  return {
    hostOf: hostOf,
    loopbackRule: loopbackRule,
    isShown: isShown,
    create: create,
  };
});
