// Hikvision Artemis's per-request signature (docs/vendors/hikvision-artemis.md), written from the
// vendor's SDK behaviour as a reference: the simulator checks requests with it, and tests can check
// a client's output with it. Unlike Alibaba's gateway, an absent Accept / Content-MD5 /
// Content-Type / Date leaves no empty line.
import { createHmac } from "node:crypto";

/** The headers that sit on their own line, in this order, when present. */
const STANDARD_HEADERS = ["accept", "content-md5", "content-type", "date"] as const;
/** Never part of the signed x-ca-* block. */
const UNSIGNED = new Set<string>([...STANDARD_HEADERS, "x-ca-signature", "x-ca-signature-headers"]);

export interface ArtemisSignedRequest {
  method: string;
  path: string;
  /** Decoded query parameters, plus the form body's when the body is a form. */
  params: ReadonlyArray<readonly [string, string]>;
  /** Header name (lower case) -> value. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The names listed in X-Ca-Signature-Headers. */
  signedHeaders: readonly string[];
}

/** X-Ca-Signature-Headers: comma-separated names, read lower case. */
export function artemisSignedHeaderNames(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

/** Path, then "?" and the parameters sorted by name, `k=v` (a bare `k` for an empty value), not encoded. */
export function artemisUrlPart(path: string, params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return path;
  // Java's TreeMap order (UTF-16 code units), as the official SDK sorts.
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${sorted.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&")}`;
}

export function artemisStringToSign(req: ArtemisSignedRequest): string {
  let text = `${req.method.toUpperCase()}\n`;
  for (const name of STANDARD_HEADERS) {
    const value = req.headers[name];
    if (value) text += `${value}\n`;
  }
  const signed = req.signedHeaders.map((name) => name.toLowerCase()).filter((name) => !UNSIGNED.has(name));
  for (const name of [...new Set(signed)].sort()) text += `${name}:${req.headers[name] ?? ""}\n`;
  return text + artemisUrlPart(req.path, req.params);
}

/** X-Ca-Signature: Base64(HMAC-SHA256(AppSecret, stringToSign)). */
export function artemisSignature(appSecret: string, stringToSign: string): string {
  return createHmac("sha256", appSecret).update(stringToSign, "utf8").digest("base64");
}
