// Secrets are values, not log material: anything that can surface passes through here first.
import { TokenError } from "./errors";

const MASK = "***";

/**
 * Forms that look nothing like the secret (its hex, the base64 of a longer text around it) are masked
 * only from this many characters on: the few characters a 1-5 byte secret gives would mask ordinary
 * words and numbers everywhere. A secret that short gets its other forms masked all the same.
 */
const MIN_DERIVED_LENGTH = 8;

/**
 * Every literal shape a secret takes on its way out: as is; percent-encoded (a URL: encodeURIComponent,
 * and strict RFC 3986 with !'()* encoded too); form-encoded (space as "+": the WHATWG and Java
 * URLEncoder form, and the stricter one with "*" as %2A); inside a JSON string; base64 (standard and
 * URL-safe, without padding, as in a Basic header or a JWT); the hex of its UTF-8 bytes; and the
 * base64 of a longer text that holds it (see base64Runs). HTML entities are a pattern (htmlPattern).
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const base64 = bytes.toString("base64").replace(/=+$/, "");
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const derived = [bytes.toString("hex"), ...base64Runs(bytes)].filter((run) => run.length >= MIN_DERIVED_LENGTH);
  const forms = new Set([
    secret,
    percent,
    percent.replace(/[!'()*]/g, percentEscape),
    form,
    form.replace(/\*/g, "%2A"),
    JSON.stringify(secret).slice(1, -1),
    ...[base64, ...derived].flatMap((text) => [text, urlSafe(text)]),
  ]);
  return [...forms].filter((text) => text !== "");
}

const percentEscape = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
const urlSafe = (base64: string) => base64.replace(/\+/g, "-").replace(/\//g, "_");

/**
 * The base64 characters that depend on the secret's bytes alone, for each of the three places it can
 * start at in a longer encoded text (after 0, 1 or 2 bytes of a 3-byte group): a Basic header's
 * "id:secret", a JWT or a JSON body encoded whole. The characters at either end, which share bits
 * with what is around the secret, are left out.
 */
function base64Runs(bytes: Buffer): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    return encoded.slice(first, end);
  });
}

/** What an HTML escaper may write for a character: its named entity and its decimal and hex references. */
const HTML_ESCAPES: Record<string, readonly string[]> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  '"': ["&quot;"],
  "'": ["&apos;"],
  "/": [],
  "`": [],
  "=": [],
};

/**
 * The secret HTML-escaped, as a pattern: each character an escaper may replace (& < > " ' and the
 * / ` = some escape too) as itself or any of its entities (&amp;, &#38;, &#x26; or &#038;),
 * whichever each one chose. For a secret with none of them, the secret itself.
 */
function htmlPattern(secret: string): Form {
  let source = "";
  let length = 0;
  for (const char of secret) {
    const escapes = HTML_ESCAPES[char];
    if (!escapes) {
      source += escapeRegExp(char);
      length += char.length;
      continue;
    }
    const code = char.charCodeAt(0);
    source += `(?:${[...escapes, `&#0*${code};`, `&#x0*${code.toString(16)};`, escapeRegExp(char)].join("|")})`;
    length += (escapes[0] ?? `&#${code};`).length;
  }
  return { source, length };
}

/** A regular expression source that matches one shape of a secret, and about how long that shape is. */
interface Form {
  source: string;
  length: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function formsOf(secrets: readonly string[]): Form[] {
  // An empty secret has no form: as a pattern it would match everywhere.
  return secrets
    .filter((secret) => secret !== "")
    .flatMap((secret) => [
      ...secretForms(secret).map((text) => ({ source: escapeRegExp(text), length: text.length })),
      htmlPattern(secret),
    ]);
}

/**
 * The forms of a list of secrets compiled once into one pattern: made once per failing request (or
 * kept per account) and applied to every text of the error, never on the way of a good answer.
 */
export class SecretMask {
  private readonly forms: readonly Form[];
  private readonly pattern?: RegExp;

  private constructor(forms: readonly Form[]) {
    // Longest first, so that a form is never half-masked by a shorter one it contains.
    const unique = new Map(forms.map((form) => [form.source, form]));
    this.forms = [...unique.values()].sort((a, b) => b.length - a.length);
    // Matched regardless of case: percent escapes and hex come as %2B or %2b, and a value that differs
    // from a secret only by case is masked too (erring on the safe side).
    if (this.forms.length > 0) this.pattern = new RegExp(this.forms.map((form) => form.source).join("|"), "gi");
  }

  static of(secrets: readonly string[]): SecretMask {
    return new SecretMask(formsOf(secrets));
  }

  /** This mask with more values (the token of a call): the forms already made are reused. */
  and(values: readonly string[]): SecretMask {
    return new SecretMask([...this.forms, ...formsOf(values)]);
  }

  /** The text with every form of every secret masked. */
  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASK) : text;
  }

  /** A TokenError whose every parameter, code and request id is free of the secrets; unknown errors become one too. */
  error(error: unknown, vendor: string): TokenError {
    if (error instanceof TokenError) {
      const params = Object.fromEntries(
        Object.entries(error.params).map(([name, value]) => [
          name,
          typeof value === "string" ? this.text(value) : value,
        ]),
      );
      return new TokenError({
        ...error.details,
        params,
        code: error.code === undefined ? undefined : this.text(error.code),
        requestId: error.requestId === undefined ? undefined : this.text(error.requestId),
      });
    }
    const text = error instanceof Error ? error.message : String(error);
    return new TokenError({ kind: "response", vendor, key: "unexpected", params: { detail: this.text(text) } });
  }
}

/** The text with every form of every secret masked. */
export function redactText(text: string, secrets: readonly string[]): string {
  return SecretMask.of(secrets).text(text);
}

/** A TokenError whose every parameter is free of the secrets; unknown errors become one too. */
export function redactError(error: unknown, vendor: string, secrets: readonly string[]): TokenError {
  return SecretMask.of(secrets).error(error, vendor);
}
