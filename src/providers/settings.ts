// Reading a config node's own properties into an adapter's settings: each bad value is a config
// error that names the property, so the user knows what to fix.
import { TokenError } from "../errors";
import type { ExpressionEvaluator } from "./expressions";
import type { ConfigProperties } from "./types";

export class SettingsReader {
  constructor(
    private readonly vendor: string,
    private readonly config: ConfigProperties,
  ) {}

  /** Trimmed text, "" when absent. */
  text(name: string): string {
    const value = this.config[name];
    return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
  }

  required(name: string): string {
    const value = this.text(name);
    if (!value)
      throw new TokenError({ kind: "config", vendor: this.vendor, key: "missing-field", params: { field: name } });
    return value;
  }

  /** A required http(s) URL (a browser goes there: the HTTPS rule is the caller's). */
  url(name: string): string {
    const value = this.required(name);
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (parsed?.protocol !== "https:" && parsed?.protocol !== "http:") throw this.bad(name, value);
    return value;
  }

  /** One of the options; empty means the first. */
  choice<T extends string>(name: string, options: readonly T[]): T {
    const value = this.text(name);
    if (!value) return options[0];
    if ((options as readonly string[]).includes(value)) return value as T;
    throw this.bad(name, value);
  }

  /** A number of seconds greater than 0; empty means the fallback. */
  seconds(name: string, fallback: number): number {
    const value = this.text(name);
    if (!value) return fallback;
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0) throw this.bad(name, value);
    return seconds;
  }

  /** A JSONata expression, checked for syntax now; undefined when empty. */
  expression(name: string, evaluator: ExpressionEvaluator): string | undefined {
    const source = this.text(name);
    if (!source) return undefined;
    try {
      evaluator.check(source);
    } catch (err) {
      throw new TokenError({
        kind: "config",
        vendor: this.vendor,
        key: "bad-expression",
        params: { field: name, detail: expressionMessage(err) },
      });
    }
    return source;
  }

  bad(name: string, value: string): TokenError {
    return new TokenError({
      kind: "config",
      vendor: this.vendor,
      key: "bad-setting",
      params: { field: name, value: JSON.stringify(value) },
    });
  }
}

/** JSONata throws plain objects `{code, message, position}`: their text, with the code. */
export function expressionMessage(err: unknown): string {
  if (err !== null && typeof err === "object" && "message" in err && typeof err.message === "string") {
    const code = "code" in err && typeof err.code === "string" ? `${err.code}: ` : "";
    return code + err.message;
  }
  return String(err);
}
