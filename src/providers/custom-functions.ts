// The functions the custom provider's JSONata expressions sign and encode with (docs/custom-language.md).
// JSONata calls them as plain JavaScript functions with the arguments as written: no signature is
// needed for an optional or absent argument. A wrong argument throws an Error naming the function and
// the argument's type, never its value: the value may be the secret.
import { isUtf8 } from "node:buffer";
import { createHash, createHmac, randomUUID } from "node:crypto";
import { absent } from "./custom-absent";

/** The type an error names instead of the value. */
function typeName(value: unknown): string {
  if (value === undefined) return "nothing";
  return value === null ? "null" : typeof value;
}

/** A text argument: numbers and booleans as they print. */
function text(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`$${name} needs a text, got ${typeName(value)}`);
}

/** A digest's optional last argument: "base64", or nothing for lower-case hex. */
function digestEncoding(name: string, value: unknown): "hex" | "base64" {
  if (value === undefined) return "hex";
  if (value === "base64") return "base64";
  const got = typeof value === "string" ? "another text" : typeName(value);
  throw new Error(`$${name} takes "base64" or nothing (hex) as its last argument, got ${got}`);
}

/**
 * JSONata's $map, $filter and $each pass a function as many arguments (value, index, array) as it
 * declares unless it says its `arity`: without it, $map(texts, $sha256) would pass the index as the encoding.
 */
function withArity<F extends (...args: never[]) => unknown>(arity: number, fn: F): F {
  return Object.assign(fn, { arity });
}

// Parameters are plain names: JSONata reads them from the function's source for a partial
// application such as $hmacSha256($secret, ?).
const digest = (name: string, algorithm: string) =>
  withArity(1, (value: unknown, encoding: unknown) =>
    createHash(algorithm).update(text(name, value), "utf8").digest(digestEncoding(name, encoding)),
  );

const hmac = (name: string, algorithm: string) =>
  withArity(2, (key: unknown, value: unknown, encoding: unknown) =>
    createHmac(algorithm, text(name, key)).update(text(name, value), "utf8").digest(digestEncoding(name, encoding)),
  );

// Base64 with either alphabet (+/ or base64url's -_), padding optional; no length leaves 6 bits over.
const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The bytes of base64 `encoded`, or undefined when it is none. */
function base64Bytes(encoded: string, alphabet: RegExp): Buffer | undefined {
  const unpadded = encoded.replace(/={1,2}$/, "");
  const padded = unpadded !== encoded;
  if (!alphabet.test(unpadded) || unpadded.length % 4 === 1 || (padded && encoded.length % 4 !== 0)) return undefined;
  return Buffer.from(unpadded, "base64");
}

// WHATWG's UTF-8 decode: a leading byte order mark is dropped.
const utf8 = new TextDecoder();

/** The UTF-8 text of `bytes`, or undefined when they are none (a lone byte of a character, say). */
function utf8Text(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? utf8.decode(bytes) : undefined;
}

function base64Decode(value: unknown): string {
  const bytes = base64Bytes(text("base64Decode", value), BASE64);
  if (!bytes) throw new Error("$base64Decode needs base64, got a text that is not");
  const decoded = utf8Text(bytes);
  if (decoded === undefined) throw new Error("$base64Decode gives a text, got base64 of bytes that are no UTF-8 text");
  return decoded;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986: every UTF-8 byte but the unreserved characters as %XX, upper-case hex. */
function percentEncoded(value: string): string {
  let encoded = "";
  for (const byte of Buffer.from(value, "utf8")) {
    // A byte past 0x7F gives a Latin-1 character here, never an unreserved one: it is encoded.
    const char = String.fromCharCode(byte);
    encoded += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/** Code point order, as the UTF-8 bytes sort (UTF-16's order differs past U+FFFF). */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

function canonicalQuery(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`$canonicalQuery needs an object, got ${Array.isArray(value) ? "array" : typeName(value)}`);
  }
  const pairs: string[] = [];
  for (const name of Object.keys(value).sort(byCodePoint)) {
    const given = (value as Record<string, unknown>)[name];
    for (const one of Array.isArray(given) ? given : [given]) {
      // A name without a value (null, or an empty array) is left out, as a query leaves out null values.
      if (absent(one)) continue;
      if (typeof one === "object") {
        throw new Error(
          `$canonicalQuery needs texts, numbers or booleans (or arrays of them) as values, got ${typeof one}`,
        );
      }
      pairs.push(`${percentEncoded(name)}=${percentEncoded(text("canonicalQuery", one))}`);
    }
  }
  return pairs.join("&");
}

/** The object `json` holds, or undefined when it holds none (or is no JSON). */
function jsonObject(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // No JSON: no object either.
  }
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/** The claims of a compact JWS (header.payload.signature), read and not verified: to read its `exp`. */
function jwtClaims(value: unknown): Record<string, unknown> {
  const parts = text("jwtClaims", value).split(".");
  const notJwt = (got: string) =>
    new Error(`$jwtClaims needs a JWT (three base64url parts joined by dots), got ${got}`);
  if (parts.length !== 3) throw notJwt(`a text of ${parts.length} part${parts.length === 1 ? "" : "s"}`);
  const [header, payload] = parts;
  if (!header || !payload || !parts.every((part) => BASE64URL.test(part))) {
    throw notJwt("a text with a part that is empty or not base64url");
  }
  const bytes = base64Bytes(payload, BASE64URL);
  const claims = jsonObject(bytes && utf8Text(bytes));
  if (claims === undefined)
    throw new Error("$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not");
  return claims;
}

/** The functions, by their JSONata names without the $. */
export const functions = {
  sha256: digest("sha256", "sha256"),
  md5: digest("md5", "md5"),
  sha1: digest("sha1", "sha1"),
  hmacSha256: hmac("hmacSha256", "sha256"),
  hmacSha1: hmac("hmacSha1", "sha1"),
  base64: (value: unknown) => Buffer.from(text("base64", value), "utf8").toString("base64"),
  base64Decode,
  percentEncode: (value: unknown) => percentEncoded(text("percentEncode", value)),
  canonicalQuery,
  jwtClaims,
  uuid: () => randomUUID(),
};
