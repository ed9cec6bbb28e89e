// Tuya's request signature (docs/vendors/tuya.md), written from the vendor's description as a
// reference: the simulator checks requests with it, and tests can check a client's output with it.
import { createHmac } from "node:crypto";
import { sha256Hex } from "./http-util";

export const TUYA_SIGN_METHOD = "HMAC-SHA256";

/** What a Tuya signature covers. */
export interface TuyaSignedRequest {
  method: string;
  /** The path alone, no query. */
  path: string;
  /** Decoded query parameters, in any order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** The raw body bytes (empty for none). */
  body: Buffer | string;
  /** The headers named by `Signature-Headers`, in that order, with their values. */
  signedHeaders: ReadonlyArray<readonly [string, string]>;
}

/** The names listed in a `Signature-Headers` header (joined with ":"). */
export function signatureHeaderNames(value: string | undefined): string[] {
  return (value ?? "").split(":").filter((name) => name !== "");
}

/** Path, then "?" and the query sorted by name (byte order), values not encoded. */
export function tuyaUrlPart(path: string, query: ReadonlyArray<readonly [string, string]>): string {
  if (query.length === 0) return path;
  const sorted = [...query].sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  return `${path}?${sorted.map(([k, v]) => `${k}=${v}`).join("&")}`;
}

/** METHOD \n sha256(body) \n headers (each "name:value\n") \n url. */
export function tuyaStringToSign(req: TuyaSignedRequest): string {
  const headers = req.signedHeaders.map(([name, value]) => `${name}:${value}\n`).join("");
  return [req.method.toUpperCase(), sha256Hex(req.body), headers, tuyaUrlPart(req.path, req.query)].join("\n");
}

/** What is HMACed: client_id + access_token (business calls only; "" for token calls) + t + nonce + stringToSign. */
export function tuyaSignInput(clientId: string, accessToken: string, t: string, nonce: string, stringToSign: string) {
  return clientId + accessToken + t + nonce + stringToSign;
}

/** Upper-case hex HMAC-SHA256 keyed with the Access Secret. */
export function tuyaHmac(secret: string, input: string): string {
  return createHmac("sha256", secret).update(input, "utf8").digest("hex").toUpperCase();
}

export interface TuyaSignParams {
  clientId: string;
  secret: string;
  t: string;
  nonce?: string;
  /** Empty or absent for the token request and a refresh. */
  accessToken?: string;
}

/** The `sign` header of a request (the algorithm for projects created after 2021-06-30). */
export function tuyaSign(p: TuyaSignParams, req: TuyaSignedRequest): string {
  return tuyaHmac(p.secret, tuyaSignInput(p.clientId, p.accessToken ?? "", p.t, p.nonce ?? "", tuyaStringToSign(req)));
}

/** The old algorithm (projects before 2021-06-30): HMAC of client_id + access_token + t alone. */
export function tuyaLegacySign(p: TuyaSignParams): string {
  return tuyaHmac(p.secret, p.clientId + (p.accessToken ?? "") + p.t);
}
