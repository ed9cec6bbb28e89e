// The editor's rules on their own (resources/editor-rules.js, the file Node-RED serves to the
// editor): validators, labels and what a credentials dialog derives from saved values, run on the
// definitions the build hands the editor, with a stand-in for what they read of the editor (its
// settings, jsonata, config nodes and open dialog) and the English catalog as the node's `_`.
// test/i18n.test.ts runs the same rules through the built editor file.
import assert from "node:assert/strict";
import * as path from "node:path";
import { isLoopback } from "../../src/loopback";
import { formatMessage } from "../../src/messages";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { editorDefinitions, type EditorProvider } from "../../src/providers/editor-definitions";

type Validator = (this: unknown, value: unknown, opt: object) => unknown;
type Label = (this: unknown) => string;
interface EditorState {
  allowHttp(): boolean;
  jsonata(): ((source: string) => unknown) | undefined;
  isPropertyExpression(key: string): boolean;
  configNode(id: string): { valid?: boolean } | undefined;
  dialogValue(node: Record<string, unknown>, property: string): unknown;
  configValue(node: Record<string, unknown>, property: string): unknown;
  inDialog(property: string): boolean;
}
interface Rules {
  providerIds: string[];
  providerDefinition(provider: string): EditorProvider;
  validateBaseUrl: Validator;
  validateUrlFor(provider: string): Validator;
  validateTimeout: Validator;
  validateMargin: Validator;
  requiredCredential(type: string, field: string): Validator;
  propertyCheck(provider: string, name: string): Validator;
  validateCredentialsFor(provider: string): Validator;
  validateProvider: Validator;
  validateKey: Validator;
  validateUrl: Validator;
  credentialsLabel(provider: string): Label;
  credentialsPaletteLabel(provider: string): Label;
  getTokenLabel: Label;
  apiRequestLabel: Label;
}
interface EditorRules {
  hostOf(url: unknown): string;
  isShown(definition: unknown, shownWhen: unknown, value: unknown): boolean;
  loopbackRule(loopback: unknown): (hostname: string) => boolean;
  create(definitions: unknown, editor: EditorState): Rules;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the editor's script as Node-RED serves it, by path
const editorRules = require(
  path.join(path.dirname(__dirname), "..", "..", "resources", "editor-rules.js"),
) as EditorRules;
/** As the editor has them: JSON, as the build writes them into the editor file. */
const definitions = JSON.parse(JSON.stringify(editorDefinitions(CONFIG_VERSION))) as ReturnType<
  typeof editorDefinitions
>;
const _ = (key: string, params?: Record<string, string>) => formatMessage(key, params ?? {});

/** The editor as the rules see it: no dialog open, no plain-HTTP opt-in, no jsonata, unless a test says. */
function editorState(more: Partial<EditorState> = {}): EditorState {
  return {
    allowHttp: () => false,
    jsonata: () => undefined,
    isPropertyExpression: (key) => /^[A-Za-z_][\w.]*$/.test(key),
    configNode: () => undefined,
    dialogValue: (node, property) => node[property],
    configValue: (node, property) => node[property],
    inDialog: () => false,
    ...more,
  };
}

const rules = (more: Partial<EditorState> = {}) => editorRules.create(definitions, editorState(more));
/** A validator's verdict for a node with these properties: true, or the text the editor shows. */
const check = (validator: Validator, value: unknown, node: Record<string, unknown> = {}) =>
  validator.call({ ...node, _ }, value, {});

describe("editor rules (resources/editor-rules.js)", () => {
  it("every validator declares (value, opt): Node-RED shows the message of no other", () => {
    const all = rules();
    const validators: Array<[string, Validator]> = [
      ["validateBaseUrl", all.validateBaseUrl],
      ["validateTimeout", all.validateTimeout],
      ["validateMargin", all.validateMargin],
      ["validateProvider", all.validateProvider],
      ["validateKey", all.validateKey],
      ["validateUrl", all.validateUrl],
    ];
    for (const provider of definitions.providers) {
      validators.push([`${provider.id} URL`, all.validateUrlFor(provider.id)]);
      validators.push([`${provider.id} credentials`, all.validateCredentialsFor(provider.id)]);
      for (const field of provider.fields)
        validators.push([`${provider.id}.${field.name}`, all.requiredCredential(provider.configType, field.name)]);
      for (const property of provider.properties.filter((p) => p.input.kind !== "text"))
        validators.push([`${provider.id}.${property.name}`, all.propertyCheck(provider.id, property.name)]);
    }
    assert.deepEqual(
      validators.filter(([, validator]) => validator.length !== 2).map(([name]) => name),
      [],
    );
  });

  it("the host of a URL for labels, else the text as typed", () => {
    assert.equal(editorRules.hostOf(" https://Auth.Example.com:8443/token "), "auth.example.com:8443");
    assert.equal(editorRules.hostOf("not a url"), "not a url");
    assert.equal(editorRules.hostOf(undefined), "");
  });

  it("applies the runtime's loopback rule as handed over", () => {
    const rule = editorRules.loopbackRule(definitions.loopback);
    const hosts = ["localhost", "LOCALHOST", "127.0.0.1", "127.9.8.7", "[::1]", "127.0.0.1.example.com", "example.com"];
    assert.deepEqual(hosts.map(rule), hosts.map(isLoopback));
    assert.deepEqual(hosts.map(rule), [true, true, true, true, true, false, false]);
  });

  it("plain http:// to another host only with the runtime's opt-in, and never another scheme", () => {
    const url = "http://apim.example.com";
    const refused = "Use an https:// URL (plain http:// only for localhost)";
    assert.equal(check(rules().validateBaseUrl, url), refused);
    assert.equal(check(rules({ allowHttp: () => true }).validateBaseUrl, url), true);
    assert.equal(check(rules({ allowHttp: () => true }).validateBaseUrl, "ftp://apim.example.com"), refused);
    assert.equal(check(rules().validateBaseUrl, " ${GATEWAY} "), true, "an environment variable");
  });

  it("checks a JSONata property with the editor's jsonata when it has one, and requires it only if required", () => {
    const broken = (source: string) => {
      if (source.includes("(")) throw new Error("unclosed (");
    };
    const token = (editor: Partial<EditorState>) => rules(editor).propertyCheck("custom", "token");
    assert.equal(check(token({}), "body.("), true, "no jsonata: not checked");
    assert.equal(check(token({ jsonata: () => broken }), "body.("), "Not a valid JSONata expression: unclosed (");
    assert.equal(check(token({ jsonata: () => broken }), "body.token"), true);
    assert.equal(check(token({}), "  ", { tokenUrl: "https://auth.example.com/token" }), "Enter the Token");
    assert.equal(check(rules().propertyCheck("custom", "ok"), ""), true, "optional");
  });

  it("requires the URL, but custom's token URL only without Sign every request, which it then requires", () => {
    const required = "Without a token URL every call is signed: enter Sign every request, or a token URL";
    const custom = rules();
    const url = custom.validateUrlFor("custom");
    const sign = custom.propertyCheck("custom", "sign");
    assert.equal(check(url, "", { sign: "" }), required);
    assert.equal(check(sign, "", { tokenUrl: "" }), required);
    assert.equal(check(url, " ", { sign: ' {"headers": {}} ' }), true, "signed: no token URL needed");
    assert.equal(check(sign, ' {"headers": {}} ', { tokenUrl: "" }), true);
    assert.equal(check(sign, "", { tokenUrl: "https://auth.example.com/token" }), true, "optional with a token URL");
    // A token URL that is there is checked as every URL is.
    assert.equal(
      check(url, "http://auth.example.com/token", { sign: "x" }),
      check(custom.validateBaseUrl, "http://auth.example.com/token"),
    );
    assert.equal(check(url, "https://auth.example.com/token", {}), true);
    // In the dialog, the other field's unsaved value decides.
    const dialog = (values: Record<string, string>) =>
      rules({ configValue: (node, property) => values[property] ?? node[property] });
    assert.equal(check(dialog({ sign: "$x" }).validateUrlFor("custom"), "", { sign: "" }), true);
    assert.equal(
      check(dialog({ tokenUrl: "" }).propertyCheck("custom", "sign"), "", { tokenUrl: "https://a.example.com" }),
      required,
    );
    // Without a token URL there is no token to read: Token is not required then (as the runtime reads it).
    const token = custom.propertyCheck("custom", "token");
    assert.equal(check(token, "", { tokenUrl: "" }), true);
    assert.equal(check(token, "", { tokenUrl: "https://auth.example.com/token" }), "Enter the Token");
    // A broken signature is still a broken expression.
    const broken = rules({
      jsonata: () => () => {
        throw new Error("unclosed (");
      },
    }).propertyCheck("custom", "sign");
    assert.equal(check(broken, "(", { tokenUrl: "" }), "Not a valid JSONata expression: unclosed (");
    // Every other provider's URL is required, as before.
    for (const provider of ["orionstar", "enos", "oneaccess", "oauth2"])
      assert.equal(check(rules().validateUrlFor(provider), ""), "Enter the URL", provider);
  });

  it("takes a custom node's preset of another release as saved (only a name for help), other choices only from the list", () => {
    const preset = rules().propertyCheck("custom", "preset");
    assert.equal(check(preset, ""), true, "blank");
    assert.equal(check(preset, "tuya"), true);
    assert.equal(check(preset, "a-cloud-of-a-later-release"), true);
    assert.equal(check(rules().propertyCheck("custom", "method"), "PUT"), "Choose one of the options");
  });

  it("reads the provider and the scope from the open dialog, not from the saved node", () => {
    const dialog = (values: Record<string, string>) =>
      rules({ dialogValue: (node, property) => values[property] ?? node[property], inDialog: (p) => p in values });
    const saved = { provider: "enos", scope: "flow" };
    const orionstar = dialog({ provider: "orionstar" }).validateCredentialsFor("orionstar");
    assert.equal(check(orionstar, "_ADD_", saved), "Choose or add OrionStar credentials");
    assert.equal(check(rules().validateCredentialsFor("orionstar"), "_ADD_", saved), true, "not chosen when saved");
    assert.equal(check(dialog({ scope: "none" }).validateKey, "not a key!", saved), true, "no key kept nowhere");
    assert.equal(
      check(rules().validateKey, "not a key!", saved),
      "Enter a context key: letters, digits, _ and . (for example accessToken)",
    );
    // In the dialog the selector reports a missing credentials node itself.
    assert.equal(check(dialog({ enos: "" }).validateProvider, "enos", saved), true);
    assert.equal(check(rules().validateProvider, "enos", saved), "Choose or add EnOS credentials");
  });

  it("requires a credential while the dialog shows it: oauth2's secret, key and user by the chosen options", () => {
    const oauth2 = definitions.providers.find((p) => p.id === "oauth2")!;
    const field = (name: string) => oauth2.fields.find((f) => f.name === name)!;
    const required = (name: string, options: Record<string, string>, value: unknown = "") =>
      check(rules().requiredCredential(oauth2.configType, name), value, options);
    const missing = (label: string) => _("common.validation.credential-required", { field: label });
    assert.equal(required("clientSecret", {}), missing("Client secret"), "basic is the default");
    assert.equal(required("clientSecret", { clientAuth: "private_key_jwt" }), true);
    assert.equal(required("clientSecret", { clientAuth: "tls_client_auth" }), true);
    assert.equal(required("privateKey", { clientAuth: "private_key_jwt" }), missing("Private key"));
    assert.equal(required("privateKey", { clientAuth: "private_key_jwt" }, "__PWRD__"), true, "a saved key");
    assert.equal(required("privateKey", { clientAuth: "body" }), true);
    assert.equal(required("username", { grant: "password" }), missing("Username"));
    assert.equal(required("password", {}), true, "client credentials is the default");
    assert.equal(required("clientId", { clientAuth: "tls_client_auth" }), missing("Client ID"));
    // The dialog's value decides over the saved one (editor.configValue).
    const inDialog = rules({ configValue: (_node, name) => (name === "clientAuth" ? "private_key_jwt" : undefined) });
    assert.equal(
      check(inDialog.requiredCredential(oauth2.configType, "clientSecret"), "", { clientAuth: "basic" }),
      true,
    );
    // "" is the select's default, as the runtime reads it.
    assert.equal(editorRules.isShown(oauth2, field("clientSecret").shownWhen, ""), true);
    assert.equal(editorRules.isShown(oauth2, field("clientSecret").shownWhen, " body "), true);
    assert.equal(editorRules.isShown(oauth2, field("privateKey").shownWhen, undefined), false);
    assert.equal(editorRules.isShown(oauth2, undefined, "anything"), true);
  });

  it("takes a complete credentials node only", () => {
    const nodes: Record<string, { valid?: boolean }> = { complete: {}, incomplete: { valid: false } };
    const enos = rules({ configNode: (id) => nodes[id] }).validateCredentialsFor("enos");
    const node = { provider: "enos" };
    assert.equal(check(enos, "complete", node), true);
    assert.equal(check(enos, "incomplete", node), "The selected EnOS credentials are incomplete");
    assert.equal(check(enos, "gone", node), "The selected EnOS credentials are incomplete");
  });

  it("takes as a call's URL a path, an absolute URL, an environment variable or nothing", () => {
    for (const url of ["", "/v1/robots", "https://api.example.com/v1", "${API_URL}"])
      assert.equal(check(rules().validateUrl, url), true, url);
    assert.equal(
      check(rules().validateUrl, "api.example.com/v1"),
      "Enter a path starting with /, an https:// URL, or leave it empty to use msg.url",
    );
  });

  it("labels api request nodes by name, else method and URL, else the palette's name", () => {
    const label = (node: Record<string, unknown>) => rules().apiRequestLabel.call({ ...node, _ });
    assert.equal(label({ name: "robots", method: "GET", url: "/v1" }), "robots");
    assert.equal(label({ method: "POST", url: "/v1/robots" }), "POST /v1/robots");
    assert.equal(label({ method: "use", url: "/v1/robots" }), "/v1/robots", "the method from msg.method");
    assert.equal(label({ method: "GET", url: "" }), "api request");
  });

  it("labels credentials nodes by name, else the vendor and the host of their URL", () => {
    const label = (provider: string, node: Record<string, unknown>) =>
      rules()
        .credentialsLabel(provider)
        .call({ ...node, _ });
    assert.equal(label("oauth2", { tokenUrl: "https://login.example.com/t" }), "OAuth2 login.example.com");
    assert.equal(label("enos", { baseUrl: "" }), "EnOS");
    assert.equal(label("enos", { name: "plant", baseUrl: "https://x.example.com" }), "plant");
    assert.equal(rules().credentialsPaletteLabel("custom").call({ _ }), "Custom token credentials");
    assert.throws(() => rules().providerDefinition("nobody"), /no definition for provider nobody/);
  });
});
