// Secrets are values, not log material: anything that can surface passes through here first.
import { TokenError } from "./errors";

const MASK = "***";

/**
 * Every shape a secret takes on its way out: as is, percent-encoded (a URL), form-encoded (a query
 * or form body: space as "+"), inside a JSON string, and base64 (standard and URL-safe, without the
 * padding, as in a Basic header or a JWT).
 */
export function secretForms(secret: string): string[] {
  const base64 = Buffer.from(secret, "utf8").toString("base64").replace(/=+$/, "");
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    base64,
    base64.replace(/\+/g, "-").replace(/\//g, "_"),
  ]);
  return [...forms].filter((form) => form !== "");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The text with every form of every secret masked. Matched regardless of case: percent escapes come
 * as %2B or %2b, and a value that differs from a secret only by case is masked too (erring on the safe side).
 */
export function redactText(text: string, secrets: readonly string[]): string {
  // Longest first, so that a form is never half-masked by a shorter one it contains.
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return text;
  return text.replace(new RegExp(forms.map(escapeRegExp).join("|"), "gi"), MASK);
}

/** A TokenError whose every parameter is free of the secrets; unknown errors become one too. */
export function redactError(error: unknown, vendor: string, secrets: readonly string[]): TokenError {
  if (error instanceof TokenError) {
    const params = Object.fromEntries(
      Object.entries(error.params).map(([name, value]) => [
        name,
        typeof value === "string" ? redactText(value, secrets) : value,
      ]),
    );
    return new TokenError({
      ...error.details,
      params,
      code: error.code === undefined ? undefined : redactText(error.code, secrets),
      requestId: error.requestId === undefined ? undefined : redactText(error.requestId, secrets),
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new TokenError({ kind: "response", vendor, key: "unexpected", params: { detail: redactText(text, secrets) } });
}
