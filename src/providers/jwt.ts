// Signed JWTs (RFC 7515 compact form) with Node's crypto: RS256 with an RSA key, ES256 with an EC
// P-256 key (its signature as JOSE wants it, r || s, not DER). No JWT library: the package has no
// runtime dependency for this, and these two algorithms are all OAuth2 client assertions need.
import * as crypto from "node:crypto";

export type JwtAlgorithm = "RS256" | "ES256";

/** A private key read from PEM, with the algorithm it signs with. */
export interface SigningKey {
  readonly key: crypto.KeyObject;
  readonly algorithm: JwtAlgorithm;
}

/** Why a PEM text is no signing key, in words that hold nothing of the key. */
export class UnreadableKey extends Error {}

/** The key in `pem` (PKCS#8, or PKCS#1 RSA / SEC1 EC), unencrypted: RSA -> RS256, EC P-256 -> ES256. */
export function signingKey(pem: string): SigningKey {
  const text = pem.trim();
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new UnreadableKey("it is not a PEM private key (-----BEGIN PRIVATE KEY----- ...)");
  }
  if (/^-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new UnreadableKey("it is encrypted with a passphrase; export it without one");
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: text, format: "pem" });
  } catch {
    // crypto's own message names the decoder that failed, never the key, but says nothing useful.
    throw new UnreadableKey("its PEM text does not decode (copy it whole, with its BEGIN and END lines)");
  }
  if (key.asymmetricKeyType === "rsa") return { key, algorithm: "RS256" };
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") {
    return { key, algorithm: "ES256" };
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new UnreadableKey(
    `it is an ${key.asymmetricKeyType ?? "unknown"}${curve ? ` ${curve}` : ""} key; use an RSA or EC P-256 key`,
  );
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** header.payload.signature, with `alg` and `typ` set in the header before `extraHeader` (e.g. kid). */
export function signJwt(
  signing: SigningKey,
  payload: Readonly<Record<string, unknown>>,
  extraHeader: Readonly<Record<string, string>> = {},
): string {
  const header = { alg: signing.algorithm, typ: "JWT", ...extraHeader };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // dsaEncoding shapes ECDSA signatures alone: an RSA one is the same with or without it.
  const signature = crypto.sign("sha256", Buffer.from(input), { key: signing.key, dsaEncoding: "ieee-p1363" });
  return `${input}.${base64url(signature)}`;
}
