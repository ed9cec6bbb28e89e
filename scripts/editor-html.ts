// Fills the build placeholders of the editor file (nodes/access-token.html) from the provider
// definitions: the credentials dialogs and the get token node's provider choices become static
// HTML (what the Flow Library and node-red-dev read, and what Node-RED needs before a dialog's
// oneditprepare), and the editor script gets the definitions as JSON. Pure: text in, text out.
import type { EditorDefinitions, EditorField, EditorProvider } from "../src/providers/editor-definitions";
import type { FormProperty } from "../src/providers/types";
import { DEFAULT_MAX_QUEUE, DEFAULT_RATE_PERIOD_S } from "../src/rate-limit/properties";

/** In the editor script: `const EDITOR = __EDITOR_DEFINITIONS__;` becomes the JSON. */
export const DEFINITIONS_PLACEHOLDER = "__EDITOR_DEFINITIONS__";

/** A line `<!-- @build:name -->` in the HTML is replaced by the generated lines, at its indentation. */
const MARKER = /^([ \t]*)<!-- @build:([a-z-]+) -->\r?\n/gm;

/** The credential fields' icons: the account's id, then its secret. */
const FIELD_ICONS: Record<EditorField["input"], string> = { text: "fa-user", password: "fa-lock" };

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** OrionStar style: a region picker that sets baseUrl; the URL field only shows for "custom". */
function regionRows(provider: EditorProvider, regions: Readonly<Record<string, string>>): string[] {
  const type = provider.configType;
  const options = [
    ...Object.entries(regions).map(
      ([name, url]) => `        <option value="${escapeHtml(url)}" data-i18n="${type}.region.${name}"></option>`,
    ),
    `        <option value="custom" data-i18n="${type}.region.custom"></option>`,
  ];
  return [
    `<div class="form-row">`,
    `    <label for="node-config-input-region"><i class="fa fa-globe"></i> <span data-i18n="${type}.label.region"></span></label>`,
    `    <!-- Not stored: picks baseUrl, and is picked from baseUrl when the dialog opens. -->`,
    `    <select id="node-config-input-region">`,
    ...options,
    `    </select>`,
    `</div>`,
    `<div class="form-row access-token-custom-url-row">`,
    `    <label for="node-config-input-baseUrl"><i class="fa fa-link"></i> <span data-i18n="common.label.baseUrl"></span></label>`,
    `    <input type="text" id="node-config-input-baseUrl" placeholder="https://">`,
    `</div>`,
  ];
}

/** Without regions the URL is typed, under the provider's own name for it and with an example. */
function urlRows(provider: EditorProvider): string[] {
  if (provider.regions) return regionRows(provider, provider.regions);
  const type = provider.configType;
  if (provider.urlProperty === "tokenUrl") {
    return [
      `<div class="form-row">`,
      `    <label for="node-config-input-tokenUrl"><i class="fa fa-link"></i> <span data-i18n="common.label.tokenUrl"></span></label>`,
      `    <input type="text" id="node-config-input-tokenUrl" data-i18n="[placeholder]${type}.placeholder.tokenUrl">`,
      `</div>`,
    ];
  }
  return [
    `<div class="form-row">`,
    `    <label for="node-config-input-baseUrl"><i class="fa fa-link"></i> <span data-i18n="${type}.label.baseUrl"></span></label>`,
    `    <input type="text" id="node-config-input-baseUrl" data-i18n="[placeholder]${type}.placeholder.baseUrl">`,
    `</div>`,
  ];
}

function fieldRows(provider: EditorProvider, field: EditorField): string[] {
  const id = `node-config-input-${field.name}`;
  // A PEM key keeps its line breaks only in a text area (an input drops them).
  const control = field.multiline
    ? `    <textarea id="${id}" rows="4" spellcheck="false" autocomplete="off" style="width:70%; font-family:monospace" data-i18n="[placeholder]${provider.configType}.placeholder.${field.name}"></textarea>`
    : `    <input type="${field.input}" id="${id}">`;
  return [
    `<div class="form-row">`,
    `    <label for="${id}"><i class="fa ${FIELD_ICONS[field.input]}"></i> <span data-i18n="${provider.configType}.label.${field.name}"></span></label>`,
    control,
    `</div>`,
  ];
}

const PROPERTY_ICONS: Record<FormProperty["input"]["kind"], string> = {
  text: "fa-pencil",
  number: "fa-clock-o",
  select: "fa-list",
  jsonata: "fa-code",
};

/** A property of the config node: a select, a number with its unit, a text, or a JSONata expression (a typedInput). */
function propertyRows(provider: EditorProvider, property: FormProperty): string[] {
  const type = provider.configType;
  const id = `node-config-input-${property.name}`;
  const input = property.input;
  const control =
    input.kind === "select"
      ? [
          `    <select id="${id}">`,
          ...input.options.map(
            (option) =>
              `        <option value="${escapeHtml(option)}" data-i18n="${type}.option.${property.name}.${option}"></option>`,
          ),
          `    </select>`,
        ]
      : input.kind === "number"
        ? [
            `    <input type="text" id="${id}" style="text-align:end; width:80px !important">`,
            `    <span data-i18n="${type}.unit.${property.name}"></span>`,
          ]
        : [`    <input type="text" id="${id}">`];
  return [
    `<div class="form-row">`,
    `    <label for="${id}"><i class="fa ${PROPERTY_ICONS[input.kind]}"></i> <span data-i18n="${type}.label.${property.name}"></span></label>`,
    ...control,
    `</div>`,
  ];
}

/** Proxy and TLS: a checkbox that reveals the optional config node selector (see prepareOptionalConfig). */
function optionalConfigRows(property: string, checkbox: string, icon: string): string[] {
  return [
    `<div class="form-row">`,
    `    <input type="checkbox" id="node-config-input-${checkbox}" style="display:inline-block; width:auto; vertical-align:top;">`,
    `    <label for="node-config-input-${checkbox}" style="width:auto;" data-i18n="common.label.${checkbox}"></label>`,
    `    <div class="access-token-option-row access-token-${property}-row">`,
    `        <label for="node-config-input-${property}"><i class="fa ${icon}"></i> <span data-i18n="common.label.${property}"></span></label>`,
    `        <input type="text" id="node-config-input-${property}" style="width:calc(100% - 150px)">`,
    `    </div>`,
    `</div>`,
  ];
}

/** The rate limit every credentials node has: N calls per period (empty: none), and its queue's bound. */
function rateLimitRows(): string[] {
  const number = (name: string, width: number) =>
    `    <input type="text" id="node-config-input-${name}" style="text-align:end; width:${width}px !important">`;
  return [
    `<div class="form-row">`,
    `    <label for="node-config-input-rateLimit"><i class="fa fa-tachometer"></i> <span data-i18n="common.label.rateLimit"></span></label>`,
    number("rateLimit", 70),
    `    <span data-i18n="common.label.callsPer"></span>`,
    number("ratePeriod", 60),
    `    <span data-i18n="common.label.seconds"></span>`,
    `</div>`,
    `<div class="form-row">`,
    `    <label for="node-config-input-maxQueue"><i class="fa fa-list-ol"></i> <span data-i18n="common.label.maxQueue"></span></label>`,
    number("maxQueue", 80),
    `    <span data-i18n="common.label.maxQueueUnit"></span>`,
    `</div>`,
  ];
}

/** What the state panel lists of a deployed node, each filled in by the editor script (see showState). */
const STATE_ROWS = ["signIn", "tokenHeld", "expiresAt", "origin", "sharedCache", "lastError"] as const;

/**
 * A user's sign-in (resources/sign-in.js shows it while the grant that signs in is chosen): the
 * redirect URI to register with the vendor (filled in from the editor's location), copyable, and
 * the Sign in button with what came of it.
 */
function signInRows(): string[] {
  return [
    `<div class="form-row access-token-sign-in-row">`,
    `    <label for="access-token-redirect-uri"><i class="fa fa-reply"></i> <span data-i18n="common.sign-in.redirectUri"></span></label>`,
    `    <input type="text" id="access-token-redirect-uri" readonly style="width:calc(100% - 250px)">`,
    `    <button type="button" class="red-ui-button access-token-copy-redirect-uri"><i class="fa fa-clipboard"></i> <span data-i18n="common.sign-in.copy"></span></button>`,
    `</div>`,
    `<div class="form-row access-token-sign-in-row">`,
    `    <label><i class="fa fa-sign-in"></i> <span data-i18n="common.sign-in.label"></span></label>`,
    `    <button type="button" class="red-ui-button access-token-sign-in-button"><i class="fa fa-user"></i> <span data-i18n="common.sign-in.button"></span></button>`,
    `    <div class="access-token-sign-in-result" role="status" aria-live="polite"></div>`,
    `</div>`,
    `<div class="form-tips access-token-sign-in-row" data-i18n="common.sign-in.tip"></div>`,
  ];
}

/**
 * The Test button, its result, and the deployed node's state with a refresh link: the same in
 * every credentials dialog (the editor script's prepareTestPanel runs them).
 */
function testRows(): string[] {
  return [
    `<div class="form-row access-token-test-row">`,
    `    <label><i class="fa fa-check-square-o"></i> <span data-i18n="common.test.label"></span></label>`,
    `    <button type="button" class="red-ui-button access-token-test-button"><i class="fa fa-plug"></i> <span data-i18n="common.test.button"></span></button>`,
    `    <div class="access-token-test-result" role="status" aria-live="polite"></div>`,
    `</div>`,
    `<div class="form-row access-token-state-row">`,
    `    <label><i class="fa fa-info-circle"></i> <span data-i18n="common.state.label"></span></label>`,
    `    <div class="access-token-state">`,
    `        <div class="access-token-state-message"></div>`,
    `        <table class="access-token-state-table">`,
    ...STATE_ROWS.map(
      (row) => `            <tr data-state="${row}"><th data-i18n="common.state.${row}"></th><td></td></tr>`,
    ),
    `        </table>`,
    `        <a href="#" class="access-token-state-refresh"><i class="fa fa-refresh"></i> <span data-i18n="common.state.refresh"></span></a>`,
    `    </div>`,
    `</div>`,
  ];
}

/**
 * Start from (a preset): under its select, the preset's help, its region picker and one input per
 * parameter, filled in by resources/preset-picker.js from the definitions (hidden for "blank").
 */
function presetRows(provider: EditorProvider): string[] {
  const type = provider.configType;
  return [
    `<div class="form-tips access-token-preset-help" style="display:none"></div>`,
    `<div class="form-row access-token-preset-region-row" style="display:none">`,
    `    <label for="access-token-preset-region"><i class="fa fa-globe"></i> <span data-i18n="${type}.label.region"></span></label>`,
    `    <!-- Not stored: picks tokenUrl and apiUrl, and is picked from them when the dialog opens. -->`,
    `    <select id="access-token-preset-region"></select>`,
    `</div>`,
    `<div class="access-token-preset-params"></div>`,
  ];
}

/** One row of a dialog with sections: the URL, a credential field or a property (Start from with its rows). */
function sectionRow(provider: EditorProvider, name: string): string[] {
  if (name === provider.urlProperty) return urlRows(provider);
  const field = provider.fields.find((f) => f.name === name);
  if (field) return fieldRows(provider, field);
  const property = provider.properties.find((p) => p.name === name);
  if (!property) throw new Error(`${provider.configType}: the dialog's sections name ${name}, which it does not have`);
  const rows = propertyRows(provider, property);
  return name === "preset" && provider.presets ? [...rows, ...presetRows(provider)] : rows;
}

/** The URL, the fields and the properties: in their sections under headings, else one after another. */
function ownRows(provider: EditorProvider): string[] {
  const sections = provider.sections;
  if (!sections) {
    return [
      ...urlRows(provider),
      ...provider.fields.flatMap((field) => fieldRows(provider, field)),
      ...provider.properties.flatMap((property) => propertyRows(provider, property)),
    ];
  }
  const all = [provider.urlProperty, ...provider.fields.map((f) => f.name), ...provider.properties.map((p) => p.name)];
  const placed = sections.flatMap((section) => section.rows);
  const wrong = [
    ...all.filter((name) => placed.filter((row) => row === name).length !== 1),
    ...placed.filter((name) => !all.includes(name)),
  ];
  if (wrong.length)
    throw new Error(`${provider.configType}: the dialog's sections must hold each row once (${wrong.join(", ")})`);
  return sections.flatMap((section) => [
    ...(section.heading
      ? [
          `<h4 class="access-token-group" data-group="${section.heading}" data-i18n="${provider.configType}.group.${section.heading}"></h4>`,
        ]
      : []),
    ...section.rows.flatMap((name) => sectionRow(provider, name)),
  ]);
}

function credentialsTemplate(provider: EditorProvider): string[] {
  const rows = [
    `<div class="form-row">`,
    `    <label for="node-config-input-name"><i class="fa fa-tag"></i> <span data-i18n="node-red:common.label.name"></span></label>`,
    `    <input type="text" id="node-config-input-name" data-i18n="[placeholder]node-red:common.label.name">`,
    `</div>`,
    ...ownRows(provider),
    `<div class="form-row">`,
    `    <label for="node-config-input-timeout"><i class="fa fa-clock-o"></i> <span data-i18n="common.label.timeout"></span></label>`,
    `    <input type="text" id="node-config-input-timeout" style="text-align:end; width:80px !important">`,
    `    <span data-i18n="common.label.seconds"></span>`,
    `</div>`,
    ...rateLimitRows(),
    ...optionalConfigRows("proxy", "useProxy", "fa-globe"),
    ...optionalConfigRows("tls", "useTls", "fa-shield"),
    ...(provider.signIn ? signInRows() : []),
    ...testRows(),
    `<div class="form-tips" data-i18n="${provider.configType}.tip"></div>`,
    `<div class="form-tips" data-i18n="common.tip.apiHosts"></div>`,
  ];
  return [
    `<script type="text/html" data-template-name="${provider.configType}">`,
    `    <div class="access-token-form">`,
    ...rows.map((line) => `        ${line}`),
    `    </div>`,
    `</script>`,
  ];
}

function credentialsTemplates(definitions: EditorDefinitions): string[] {
  return definitions.providers.flatMap((provider, index) => [
    ...(index > 0 ? [""] : []),
    ...credentialsTemplate(provider),
  ]);
}

function providerOptions(definitions: EditorDefinitions): string[] {
  return definitions.providers.map(
    (provider) => `<option value="${provider.id}" data-i18n="access-token.provider.${provider.id}"></option>`,
  );
}

/** The get token node keeps one credentials property per provider, named by its id (saved flows use these names). */
function credentialsSelectors(definitions: EditorDefinitions): string[] {
  return definitions.providers.flatMap((provider) => [
    `<div class="form-row access-token-credentials-row" data-provider="${provider.id}">`,
    `    <label for="node-input-${provider.id}"><i class="fa fa-key"></i> <span data-i18n="access-token.label.credentials"></span></label>`,
    `    <input type="text" id="node-input-${provider.id}" style="width:calc(100% - 170px)">`,
    `</div>`,
  ]);
}

/** A JavaScript string literal (JSON's is one), safe inside a <script> element. */
const js = (value: string | number): string => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * The editor script's object of what the types share (nodes/access-token.html declares it, from
 * resources/access-token-editor.js): the generated calls name its functions.
 */
const SHARED = "shared";

/**
 * One literal registerType call per credentials type, its defaults and credentials written out as
 * object literals: the Flow Library's parser (node-red-dev) reads a type's properties only from an
 * inline object. What the types share is in the functions of SHARED that the call names.
 */
function credentialsRegistrations(definitions: EditorDefinitions): string[] {
  return definitions.providers.flatMap((provider, index) => {
    const id = js(provider.id);
    const type = js(provider.configType);
    // A text property takes any value: it gets no validate (Node-RED 4 calls whatever validate holds).
    const properties = provider.properties.map(
      (property) =>
        `        ${property.name}: { value: ${js(property.default)}${property.input.kind === "text" ? "" : `, validate: ${SHARED}.propertyCheck(${id}, ${js(property.name)})`} },`,
    );
    const credentials = provider.fields
      .filter((field) => field.credential)
      .map(
        (field) =>
          `        ${field.name}: { type: ${js(field.input)}${field.required ? `, validate: ${SHARED}.requiredCredential(${type}, ${js(field.name)})` : ""} },`,
      );
    return [
      ...(index > 0 ? [""] : []),
      `RED.nodes.registerType(${type}, {`,
      `    category: "config",`,
      `    defaults: {`,
      `        name: { value: "" },`,
      `        ${provider.urlProperty}: { value: ${js(provider.defaultBaseUrl)}, validate: ${SHARED}.validateUrlFor(${id}) },`,
      ...properties,
      `        proxy: { value: "", type: "http proxy", required: false },`,
      `        tls: { value: "", type: "tls-config", required: false },`,
      `        timeout: { value: 10, validate: ${SHARED}.validateTimeout },`,
      `        rateLimit: { value: "", validate: ${SHARED}.validateRateLimit },`,
      `        ratePeriod: { value: ${DEFAULT_RATE_PERIOD_S}, validate: ${SHARED}.validateRatePeriod },`,
      `        maxQueue: { value: ${DEFAULT_MAX_QUEUE}, validate: ${SHARED}.validateMaxQueue },`,
      `        // Saved with every config, so that a later release knows what to migrate (config-version.ts).`,
      `        version: { value: ${js(definitions.configVersion)} },`,
      `    },`,
      `    credentials: {`,
      ...credentials,
      `    },`,
      `    paletteLabel: ${SHARED}.credentialsPaletteLabel(${id}),`,
      `    label: ${SHARED}.credentialsLabel(${id}),`,
      `    oneditprepare: function () {`,
      `        ${SHARED}.prepareCredentialsDialog(this, ${id});`,
      `    },`,
      `    oneditsave: ${SHARED}.saveCredentialsDialog,`,
      `});`,
    ];
  });
}

/** In a node's defaults (get token, api request): one credentials property per provider, named by its id. */
function credentialsProperties(definitions: EditorDefinitions): string[] {
  return definitions.providers.map(
    (provider) =>
      `${provider.id}: { value: "", type: ${js(provider.configType)}, required: false, validate: ${SHARED}.validateCredentialsFor(${js(provider.id)}) },`,
  );
}

/** Each part, and how many times the editor file holds it (get token and api request each choose a provider). */
const SECTIONS: Record<string, { render: (definitions: EditorDefinitions) => string[]; count: number }> = {
  "credentials-templates": { render: credentialsTemplates, count: 1 },
  "provider-options": { render: providerOptions, count: 2 },
  "credentials-selectors": { render: credentialsSelectors, count: 2 },
  "credentials-registrations": { render: credentialsRegistrations, count: 1 },
  "credentials-properties": { render: credentialsProperties, count: 2 },
};

/** JSON that can stand inside a <script> element: no "</script>" or "<!--" can end or hide it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function replaceOnce(html: string, placeholder: string, replacement: string): string {
  const parts = html.split(placeholder);
  if (parts.length !== 2)
    throw new Error(`expected ${placeholder} once in the editor file, found it ${parts.length - 1} times`);
  return parts[0] + replacement + parts[1];
}

/**
 * The editor file as Node-RED loads it; throws if a placeholder is missing, unknown or there too
 * often, or if the script does not declare the SHARED object the generated calls use.
 */
export function renderEditorHtml(source: string, definitions: EditorDefinitions): string {
  const filled = new Map<string, number>();
  const html = source.replace(MARKER, (_line, indent: string, name: string) => {
    const section = SECTIONS[name];
    if (!section) throw new Error(`unknown build placeholder @build:${name}`);
    filled.set(name, (filled.get(name) ?? 0) + 1);
    return section
      .render(definitions)
      .map((line) => (line ? indent + line : line) + "\n")
      .join("");
  });
  const wrong = Object.entries(SECTIONS).filter(([name, { count }]) => (filled.get(name) ?? 0) !== count);
  if (wrong.length) {
    const found = wrong.map(([name, { count }]) => `@build:${name} ${filled.get(name) ?? 0} times, expected ${count}`);
    throw new Error(`build placeholders in the editor file: ${found.join("; ")}`);
  }
  if (!new RegExp(`^\\s*const ${SHARED} = `, "m").test(html))
    throw new Error(`the editor script declares no \`const ${SHARED}\`, which the credentials types' calls use`);
  return replaceOnce(html, DEFINITIONS_PLACEHOLDER, scriptJson(definitions));
}
