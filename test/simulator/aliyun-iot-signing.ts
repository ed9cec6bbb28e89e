// Alibaba Cloud's RPC signature, version 1.0 (docs/vendors/aliyun-iot.md), written from the
// vendor's description as a reference: the simulator checks requests with it, and tests can check
// a client's output with it.
import { createHmac } from "node:crypto";

export const ALIYUN_SIGNATURE_METHOD = "HMAC-SHA1";
export const ALIYUN_SIGNATURE_VERSION = "1.0";

/** RFC 3986 over UTF-8: A-Z a-z 0-9 - _ . ~ kept, all else %XY in upper case (a space is %20, "*" is %2A). */
export function aliyunPercentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every parameter but Signature, sorted by name (byte order), as `enc(name)=enc(value)` joined with "&". */
export function aliyunCanonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .filter(([name]) => name !== "Signature")
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")))
    .map(([name, value]) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(value)}`)
    .join("&");
}

/** METHOD & enc("/") & enc(canonical query): the canonical query is encoded a second time. */
export function aliyunStringToSign(method: string, params: ReadonlyArray<readonly [string, string]>): string {
  return `${method.toUpperCase()}&${aliyunPercentEncode("/")}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
}

/** Base64(HMAC-SHA1(AccessKeySecret + "&", stringToSign)). */
export function aliyunSignature(accessKeySecret: string, stringToSign: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign, "utf8").digest("base64");
}
