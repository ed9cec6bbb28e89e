// Secrets are values, not log material: anything that can surface passes through here first.
import { TokenError } from "./errors";

const MASK = "***";

export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ])) {
      result = result.split(form).join(MASK);
    }
  }
  return result;
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
