// What the Test route compares before it uses a deployed node's stored secret, as a pure function of
// a config and its credentials: every property a dialog sends and every credential but the secrets,
// normalised only where the saved config and the dialog say the same thing differently.
import assert from "node:assert/strict";
import { comparableConfig, dialogProperties } from "../../src/nodes/comparable-config";
import type { NodeDef } from "../../src/nodes/node-red";
import { providers } from "../../src/providers";
import { formOf } from "../support/form";

const oneaccess = providers.oneaccess;
const custom = providers.custom;
const config = (type: string, extra: Record<string, unknown> = {}): NodeDef => ({ id: "cfg", type, ...extra });

describe("comparable config: what a dialog must share with the deployed node to use its secret", () => {
  it("the dialog's properties: timeout, proxy, TLS, the URL and the provider's own, in that order", () => {
    assert.deepEqual(dialogProperties(oneaccess), ["timeout", "proxy", "tls", "baseUrl", "apiHosts"]);
    assert.deepEqual(dialogProperties(custom), [
      "timeout",
      "proxy",
      "tls",
      "tokenUrl",
      ...(custom.form.properties ?? []).map((p) => p.name),
    ]);
  });

  it("type, trimmed URL, proxy and TLS ids, timeout and the client id; the secret is left out", () => {
    const deployed = { baseUrl: "https://t.example", proxy: "px", tls: "t", timeout: 10 };
    const credentials = { clientId: "id-1", clientSecret: "s-1" };
    const base = comparableConfig(config("oneaccess-credentials", deployed), oneaccess, credentials);
    assert.equal(base, JSON.stringify(["oneaccess-credentials", ["10", "px", "t", "https://t.example", ""], ["id-1"]]));
    // As a dialog sends it: every value as text, spaces around, another secret.
    const dialog = { baseUrl: " https://t.example ", proxy: "px", tls: "t", timeout: "10" };
    assert.equal(comparableConfig(config("oneaccess-credentials", dialog), oneaccess, { clientId: "id-1" }), base);
    const changed: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ ...deployed, baseUrl: "https://u.example" }, credentials],
      [{ ...deployed, proxy: "py" }, credentials],
      [{ ...deployed, tls: "" }, credentials],
      [{ ...deployed, timeout: 11 }, credentials],
      [{ ...deployed, apiHosts: "https://u.example" }, credentials],
      [deployed, { ...credentials, clientId: "id-2" }],
      [deployed, { ...credentials, clientId: " id-1" }],
    ];
    for (const [properties, given] of changed) {
      assert.notEqual(comparableConfig(config("oneaccess-credentials", properties), oneaccess, given), base);
    }
    const asEnos = comparableConfig(config("enos-credentials", deployed), providers.enos, { appKey: "id-1" });
    assert.notEqual(asEnos, base, "another type");
    const empty = comparableConfig(config("oneaccess-credentials", { baseUrl: 5 }), oneaccess, {});
    assert.equal(
      empty,
      JSON.stringify(["oneaccess-credentials", ["10", "", "", "5", ""], [""]]),
      "no timeout: the default",
    );
  });

  it("every property of the custom provider counts; an empty number or choice is its default", () => {
    const { byName } = formOf(custom);
    const saved = Object.fromEntries(Object.values(byName).map((p) => [p.name, p.default]));
    const deployed = { ...saved, tokenUrl: "https://t.example/token", timeout: 10 };
    const base = comparableConfig(config(custom.configType, deployed), custom, { key: "k" });
    const asText = Object.fromEntries(Object.entries(deployed).map(([name, value]) => [name, String(value)]));
    assert.equal(comparableConfig(config(custom.configType, asText), custom, { key: "k" }), base);
    const blanks = { ...deployed, method: "", bodyType: "", lifetime: "", timeout: undefined };
    assert.equal(comparableConfig(config(custom.configType, blanks), custom, { key: "k" }), base);
    for (const name of dialogProperties(custom)) {
      const value = byName[name]?.input.kind === "select" ? "GET" : "2";
      const changed = comparableConfig(config(custom.configType, { ...deployed, [name]: value }), custom, { key: "k" });
      assert.notEqual(changed, base, name);
    }
    const expression = { ...deployed, errorMessage: "$substring($secret, 1)" };
    assert.notEqual(comparableConfig(config(custom.configType, expression), custom, { key: "k" }), base);
    assert.equal(
      comparableConfig(config(custom.configType, { ...deployed, errorMessage: " " }), custom, { key: "k" }),
      base,
      "an expression of spaces is an empty one, as the adapter reads it",
    );
  });
});
