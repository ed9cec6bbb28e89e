// Which rows of a credentials dialog a saved config shows (FormProperty.shownWhen,
// CredentialInput.shownWhen): the dialog hides the others, and the runtime does not ask for a
// credential the dialog hides (oauth2 needs no client secret with a private key). Pure.
import type { ConfigProperties, CredentialsForm, ProviderAdapter, ShownWhen } from "./types";

/** Whether the condition holds: the property's saved value, or its default when it has none, is one of the values. */
export function isShown(form: CredentialsForm, shownWhen: ShownWhen | undefined, config: ConfigProperties): boolean {
  if (!shownWhen) return true;
  const saved = config[shownWhen.property];
  const text = typeof saved === "string" ? saved.trim() : "";
  const fallback = form.properties?.find((property) => property.name === shownWhen.property)?.default;
  return shownWhen.values.includes(text || String(fallback ?? ""));
}

/** The credential fields the saved config shows, in the adapter's order: the ones it needs. */
export function shownCredentials(
  adapter: Pick<ProviderAdapter, "credentialFields" | "form">,
  config: ConfigProperties,
): string[] {
  return adapter.credentialFields.filter((field) =>
    isShown(adapter.form, adapter.form.credentials?.[field]?.shownWhen, config),
  );
}
