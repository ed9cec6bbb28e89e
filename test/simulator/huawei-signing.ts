// Huawei Cloud's AK/SK request signature, SDK-HMAC-SHA256 (docs/vendors/huawei-iam.md), written
// from the vendor's signing guide as a reference: IoTDA in the simulator accepts calls signed so,
// and tests can check a client's output with it. (The derived V11 variant is not modeled.)
import { createHmac } from "node:crypto";
import { sha256Hex } from "./http-util";

export const HUAWEI_SIGN_ALGORITHM = "SDK-HMAC-SHA256";

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ as %XY (upper-case hex); a space is %20. */
export function huaweiPercentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Each decoded path segment encoded, always ending with "/". */
export function huaweiCanonicalUri(decodedPath: string): string {
  const uri = decodedPath.split("/").map(huaweiPercentEncode).join("/");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** Encoded `name=value` pairs sorted by name (then value), joined with "&"; "" without a query. */
export function huaweiCanonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([name, value]) => [huaweiPercentEncode(name), huaweiPercentEncode(value)])
    .sort(([an, av], [bn, bv]) => byBytes(an, bn) || byBytes(av, bv))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

export interface HuaweiSignedRequest {
  method: string;
  /** The decoded path. */
  path: string;
  /** Decoded query parameters. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Header name (any case) -> value; only the signed ones are read. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The names of the signed headers (any case, any order). */
  signedHeaders: readonly string[];
  body: Buffer | string;
}

/** The signed header names as the signature lists them: lower case, sorted, joined with ";". */
export function huaweiSignedHeaderList(names: readonly string[]): string {
  return names
    .map((name) => name.toLowerCase())
    .sort(byBytes)
    .join(";");
}

function headerValue(headers: HuaweiSignedRequest["headers"], name: string): string {
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? "" : (headers[found] ?? "");
}

/** METHOD \n URI \n query \n headers (each "name:value\n") \n signed header list \n sha256(body). */
export function huaweiCanonicalRequest(req: HuaweiSignedRequest): string {
  const list = huaweiSignedHeaderList(req.signedHeaders);
  const headers = list
    .split(";")
    .map((name) => `${name}:${headerValue(req.headers, name).trim()}\n`)
    .join("");
  return [
    req.method.toUpperCase(),
    huaweiCanonicalUri(req.path),
    huaweiCanonicalQuery(req.query),
    headers,
    list,
    sha256Hex(req.body),
  ].join("\n");
}

/** SDK-HMAC-SHA256 \n X-Sdk-Date \n sha256(canonical request). */
export function huaweiStringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${HUAWEI_SIGN_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

/** Lower-case hex HMAC-SHA256 keyed with the secret key. */
export function huaweiSignature(secretKey: string, stringToSign: string): string {
  return createHmac("sha256", secretKey).update(stringToSign, "utf8").digest("hex");
}

/** The X-Sdk-Date of a moment: YYYYMMDDTHHMMSSZ (UTC). */
export function huaweiSdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** A X-Sdk-Date back to ms; undefined when malformed. */
export function parseHuaweiSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

export function huaweiAuthorization(accessKey: string, signedHeaders: readonly string[], signature: string): string {
  return `${HUAWEI_SIGN_ALGORITHM} Access=${accessKey}, SignedHeaders=${huaweiSignedHeaderList(signedHeaders)}, Signature=${signature}`;
}

export interface HuaweiAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads an `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..` header. */
export function parseHuaweiAuthorization(value: string): HuaweiAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-f]+)$/.exec(value.trim());
  return m ? { accessKey: m[1], signedHeaders: m[2].split(";"), signature: m[3] } : undefined;
}
