// What the editor's Test compares before it uses a deployed node's stored secret: every property a
// dialog sends (the common ones, the URL, the provider's own) and every credential that is not a
// secret, normalised so that a dialog that changed nothing equals the deployed node. Any change
// could carry the secret back to whoever tests (an error message or a lifetime computed from
// $secret) or send it elsewhere (another URL, proxy or client id), so every one counts.
import { DEFAULT_TIMEOUT_MS } from "../http";
import type { Provider } from "../providers";
import type { Credentials, FormProperty } from "../providers/types";
import type { NodeDef } from "./node-red";

/** What the comparison reads of a property: a default only stands in for an empty number. */
type ComparedProperty = Pick<FormProperty, "name" | "input"> & { readonly default?: FormProperty["default"] };

/** The properties every credentials dialog sends beside its provider's URL and own properties. */
const COMMON_PROPERTIES: readonly ComparedProperty[] = [
  { name: "timeout", input: { kind: "number", min: 1 }, default: DEFAULT_TIMEOUT_MS / 1000 },
  { name: "proxy", input: { kind: "text" } },
  { name: "tls", input: { kind: "text" } },
];

/** Every non-secret property a dialog sends, by name: the common ones, the URL, the provider's own. */
export function dialogProperties(adapter: Provider): string[] {
  return comparedProperties(adapter).map((property) => property.name);
}

/**
 * Everything a credentials node is but its secrets, as one text: its type, every property a dialog
 * sends and every credential that is not a secret (a client id too: it goes out with the secret).
 * The Test route uses a stored secret only for a dialog whose text equals the deployed node's.
 */
export function comparableConfig(config: NodeDef, adapter: Provider, credentials: Credentials): string {
  const properties = comparedProperties(adapter).map((property) => normalised(config[property.name], property));
  const named = adapter.credentialFields
    .filter((field) => !adapter.secretFields.includes(field))
    .map((field) => credentials[field] ?? "");
  return JSON.stringify([adapter.configType, properties, named]);
}

function comparedProperties(adapter: Provider): ComparedProperty[] {
  const url: ComparedProperty = { name: adapter.form.urlProperty, input: { kind: "text" } };
  return [...COMMON_PROPERTIES, url, ...(adapter.form.properties ?? [])];
}

/**
 * A property as the saved config and the dialog may both hold it: trimmed text (the adapters read
 * it so), a number the same as its text, and an empty number or choice as the value it stands for
 * (its default, or the first option as SettingsReader.choice takes it), which the editor fills in.
 */
function normalised(value: unknown, property: ComparedProperty): string {
  const text = typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
  if (property.input.kind === "select") return text || property.input.options[0];
  if (property.input.kind !== "number") return text;
  const number = Number(text || property.default);
  return Number.isFinite(number) ? String(number) : text;
}
