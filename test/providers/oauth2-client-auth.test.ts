// The oauth2 adapter's client authentications, grants and refresh requests, request by request:
// the client assertion JWT decoded and its signature verified with node:crypto's public key, its
// claims exact; the keys it reads and the ones it refuses; what each grant and the refresh send.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { oauth2 } from "../../src/providers/oauth2";
import { ASSERTION_LIFETIME_SECONDS, JWT_BEARER_ASSERTION } from "../../src/providers/oauth2-client-auth";
import { isShown, shownCredentials } from "../../src/providers/shown-fields";
import type { RawResponse } from "../../src/providers/types";
import { bound } from "../support/bound";
import { thrown } from "../support/token-errors";

const TOKEN_URL = "https://auth.example.com/oauth2/token";
const NOW = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const pkcs8 = (key: crypto.KeyObject) => key.export({ format: "pem", type: "pkcs8" }).toString();

const settingsOf = (extra: Record<string, unknown> = {}) => oauth2.settings({ tokenUrl: TOKEN_URL, ...extra });
const form = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body));

/** The JWT's three parts: header and payload decoded, the signature's bytes, and what was signed. */
function decode(jwt: string) {
  const [header, payload, signature] = jwt.split(".");
  const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return {
    header: json(header),
    payload: json(payload),
    signature: Buffer.from(signature, "base64url"),
    signed: Buffer.from(`${header}.${payload}`),
  };
}

function assertion(
  extra: Record<string, unknown>,
  privateKey: crypto.KeyObject,
  now = NOW,
  pasted = (pem: string) => pem,
) {
  const provider = bound(oauth2, settingsOf({ clientAuth: "private_key_jwt", ...extra }), {
    clientId: "client-1",
    privateKey: pasted(pkcs8(privateKey)),
  });
  const request = provider.tokenRequest(now);
  return { request, fields: form(request.body), jwt: decode(form(request.body).client_assertion) };
}

const answer = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("oauth2 client authentication, grants and refresh", () => {
  describe("private_key_jwt (RFC 7523 2.2, OpenID Connect Core 9)", () => {
    it("RS256 with an RSA key: iss = sub = the client ID, aud = the token URL, a jti, exp = iat + 60 s", () => {
      const { request, fields, jwt } = assertion({}, rsa.privateKey);
      assert.deepEqual(jwt.header, { alg: "RS256", typ: "JWT" });
      const iat = Math.floor(NOW / 1000);
      assert.deepEqual(jwt.payload, {
        iss: "client-1",
        sub: "client-1",
        aud: TOKEN_URL,
        jti: jwt.payload.jti,
        iat,
        exp: iat + 60,
      });
      assert.equal(ASSERTION_LIFETIME_SECONDS, 60);
      assert.match(jwt.payload.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(crypto.verify("sha256", jwt.signed, rsa.publicKey, jwt.signature), "signed by the private key");
      assert.ok(
        !crypto.verify(
          "sha256",
          jwt.signed,
          crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey,
          jwt.signature,
        ),
      );
      // No secret anywhere: the assertion in the body, no Authorization header.
      assert.deepEqual(Object.keys(fields), ["grant_type", "client_id", "client_assertion_type", "client_assertion"]);
      assert.equal(fields.client_assertion_type, JWT_BEARER_ASSERTION);
      assert.equal(JWT_BEARER_ASSERTION, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      assert.equal(fields.client_id, "client-1");
      assert.deepEqual(request.headers, {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      });
      assert.ok(request.secrets.includes(fields.client_assertion), "the assertion is masked like a secret");
    });

    it("ES256 with an EC P-256 key: the JOSE signature (r || s, 64 bytes), kid and the audience when set", () => {
      const { jwt } = assertion({ keyId: " key-7 ", assertionAudience: "https://auth.example.com" }, ec.privateKey);
      assert.deepEqual(jwt.header, { alg: "ES256", typ: "JWT", kid: "key-7" });
      assert.equal(jwt.payload.aud, "https://auth.example.com");
      assert.equal(jwt.signature.length, 64);
      const verifier = { key: ec.publicKey, dsaEncoding: "ieee-p1363" as const };
      assert.ok(crypto.verify("sha256", jwt.signed, verifier, jwt.signature));
    });

    it("a fresh assertion for every request: another jti, the request's own time", () => {
      const provider = bound(oauth2, settingsOf({ clientAuth: "private_key_jwt" }), {
        clientId: "c",
        privateKey: pkcs8(ec.privateKey),
      });
      const first = decode(form(provider.tokenRequest(NOW).body).client_assertion).payload;
      const second = decode(form(provider.tokenRequest(NOW + 5_000).body).client_assertion).payload;
      assert.notEqual(first.jti, second.jti);
      assert.equal(second.iat - first.iat, 5);
    });

    it("a key pasted with blank lines and spaces around it is read", () => {
      const { jwt } = assertion({}, rsa.privateKey, NOW, (pem) => `\n  \t\n${pem}\n\n  `);
      assert.equal(jwt.header.alg, "RS256");
      assert.ok(crypto.verify("sha256", jwt.signed, rsa.publicKey, jwt.signature));
    });

    it("a text of several PEM blocks signs with its first key, as OpenSSL reads it; an encrypted copy after it is not in the way", () => {
      const encryptedEc = ec.privateKey
        .export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" })
        .toString();
      const { jwt } = assertion({}, rsa.privateKey, NOW, (pem) => `${pem}${encryptedEc}`);
      assert.equal(jwt.header.alg, "RS256");
      assert.ok(crypto.verify("sha256", jwt.signed, rsa.publicKey, jwt.signature), "signed by the first key");
    });

    it("reads PKCS#1 RSA and SEC1 EC keys too", () => {
      const pkcs1 = rsa.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
      const sec1 = ec.privateKey.export({ format: "pem", type: "sec1" }).toString();
      for (const [pem, alg] of [
        [pkcs1, "RS256"],
        [sec1, "ES256"],
      ]) {
        const provider = bound(oauth2, settingsOf({ clientAuth: "private_key_jwt" }), {
          clientId: "c",
          privateKey: pem,
        });
        assert.equal(decode(form(provider.tokenRequest(NOW).body).client_assertion).header.alg, alg);
      }
    });

    it("a key it cannot use is a config error when bound, saying why and holding nothing of the key", () => {
      const ed = crypto.generateKeyPairSync("ed25519").privateKey;
      const p384 = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
      const encrypted = rsa.privateKey
        .export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" })
        .toString();
      const broken = pkcs8(rsa.privateKey).replace(/\n[A-Za-z0-9+/]{64}\n/, "\n");
      // Node reads an SM2 key (the Chinese national standard curve) as a type it has no name for.
      const sm2 = crypto.generateKeyPairSync("ec", { namedCurve: "SM2" }).privateKey;
      // What `openssl pkcs12 -nodes` writes before the key: the text must start with its BEGIN line.
      const bagAttributes = `Bag Attributes\n    localKeyID: 01 00 00 00\n${pkcs8(rsa.privateKey)}`;
      for (const [key, reason] of [
        ["", /it is not a PEM private key/],
        [rsa.publicKey.export({ format: "pem", type: "spki" }).toString(), /it is not a PEM private key/],
        [pkcs8(ed), /it is an ed25519 key; use an RSA or EC P-256 key/],
        [pkcs8(p384), /it is an ec secp384r1 key; use an RSA or EC P-256 key/],
        [encrypted, /encrypted with a passphrase/],
        [broken, /its PEM text does not decode/],
        [pkcs8(sm2), /it is an unknown key; use an RSA or EC P-256 key/],
        [bagAttributes, /it is not a PEM private key \(-----BEGIN PRIVATE KEY----- \.\.\.\)/],
      ] as const) {
        const error = thrown(() =>
          bound(oauth2, settingsOf({ clientAuth: "private_key_jwt" }), { clientId: "c", privateKey: key }),
        );
        assert.equal(error.kind, "config");
        assert.equal(error.key, "private-key");
        assert.match(error.message, reason);
        assert.match(error.message, /^OAuth2: the private key in the credentials node cannot be read: /);
        const keyLines = key.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"));
        for (const line of keyLines) assert.ok(!error.message.includes(line));
      }
    });
  });

  it("tls_client_auth (RFC 8705 2): the client ID in the body, no secret; the TLS node must have a certificate", () => {
    const provider = bound(oauth2, settingsOf({ clientAuth: "tls_client_auth" }), { clientId: "c" });
    const request = provider.tokenRequest(NOW);
    assert.deepEqual(form(request.body), { grant_type: "client_credentials", client_id: "c" });
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(
      request.secrets,
      [request.body],
      "nothing of its own to mask (the body is, as every token request's)",
    );
    assert.equal(provider.needsClientCertificate, true);
    assert.equal(bound(oauth2, settingsOf(), { clientId: "c", clientSecret: "s" }).needsClientCertificate, undefined);
  });

  it("password (RFC 6749 4.3): username and password besides the client's proof, all masked", () => {
    const credentials = { clientId: "c", clientSecret: "s3cret", username: "ann", password: "p&ss w" };
    const provider = bound(oauth2, settingsOf({ grant: "password", scope: "read" }), credentials);
    const request = provider.tokenRequest(NOW);
    assert.deepEqual(form(request.body), {
      grant_type: "password",
      username: "ann",
      password: "p&ss w",
      scope: "read",
    });
    assert.match(request.headers.authorization!, /^Basic /);
    for (const secret of ["ann", "p&ss w", "s3cret", request.body!]) assert.ok(request.secrets.includes(secret));
    assert.deepEqual([...provider.secrets].sort(), ["ann", "p&ss w", "s3cret"]);
  });

  it("password without a username or password (the node refuses to run first): sent empty, never as undefined", () => {
    const request = bound(oauth2, settingsOf({ grant: "password" }), { clientId: "c", clientSecret: "s" }).tokenRequest(
      NOW,
    );
    assert.deepEqual(form(request.body), { grant_type: "password", username: "", password: "" });
  });

  it("refresh (RFC 6749 6): the refresh token with the same client proof, no scope; masked", () => {
    const provider = bound(oauth2, settingsOf({ clientAuth: "body", scope: "read" }), {
      clientId: "c",
      clientSecret: "s",
    });
    const request = provider.refreshRequest!("rt-1", NOW);
    assert.equal(request.url, TOKEN_URL);
    assert.deepEqual(form(request.body as string), {
      grant_type: "refresh_token",
      refresh_token: "rt-1",
      client_id: "c",
      client_secret: "s",
    });
    assert.ok(request.secrets.includes("rt-1"));
    const jwt = bound(oauth2, settingsOf({ clientAuth: "private_key_jwt" }), {
      clientId: "c",
      privateKey: pkcs8(ec.privateKey),
    }).refreshRequest!("rt-2", NOW);
    assert.equal(form(jwt.body as string).client_assertion_type, JWT_BEARER_ASSERTION);
  });

  it("the answer's refresh token is kept with the token; one that could not be sent back is ignored", () => {
    const provider = bound(oauth2, settingsOf(), { clientId: "c", clientSecret: "s" });
    const body = { access_token: "at", token_type: "Bearer", expires_in: 60 };
    assert.equal(provider.parseToken(answer({ ...body, refresh_token: "rt-9" }), 0).refreshToken, "rt-9");
    assert.equal(provider.parseToken(answer({ ...body, refresh_token: "two words" }), 0).refreshToken, undefined);
    assert.equal(provider.parseToken(answer({ ...body, refresh_token: 7 }), 0).refreshToken, undefined);
    assert.equal(provider.parseToken(answer(body), 0).refreshToken, undefined);
  });

  it("hints by client authentication and grant: a key, a certificate, a user's password", () => {
    const error = (extra: Record<string, unknown>, code: string, credentials: Record<string, string> = {}) =>
      thrown(() =>
        bound(oauth2, settingsOf(extra), { clientId: "c", ...credentials }).parseToken(answer({ error: code }, 400), 0),
      ).key;
    const key = { privateKey: pkcs8(ec.privateKey) };
    assert.equal(error({ clientAuth: "private_key_jwt" }, "invalid_client", key), "oauth2.invalid_client-key");
    assert.equal(error({ clientAuth: "tls_client_auth" }, "invalid_client"), "oauth2.invalid_client-certificate");
    assert.equal(error({}, "invalid_client"), "oauth2.invalid_client");
    assert.equal(error({ grant: "password" }, "invalid_grant"), "oauth2.invalid_grant-password");
    assert.equal(error({}, "invalid_grant"), "vendor-code");
    assert.equal(error({ clientAuth: "private_key_jwt" }, "invalid_scope", key), "oauth2.invalid_scope");
  });

  it("the credentials each choice needs, and those alone name the account (an older node keeps its key)", () => {
    const all = { clientId: "c", clientSecret: "s", privateKey: pkcs8(ec.privateKey), username: "u", password: "p" };
    const names = (extra: Record<string, unknown>) => bound(oauth2, settingsOf(extra), all).fields.map(([n]) => n);
    assert.deepEqual(names({}), ["clientId", "clientSecret"]);
    assert.deepEqual(names({ clientAuth: "private_key_jwt" }), ["clientId", "privateKey"]);
    assert.deepEqual(names({ clientAuth: "tls_client_auth", grant: "password" }), ["clientId", "username", "password"]);
    const shown = (config: Record<string, unknown>) => shownCredentials(oauth2, config);
    assert.deepEqual(shown({}), ["clientId", "clientSecret"], "a node saved before grant and the new modes");
    assert.deepEqual(shown({ clientAuth: "body", grant: "password" }), [
      "clientId",
      "clientSecret",
      "username",
      "password",
    ]);
    assert.deepEqual(shown({ clientAuth: "private_key_jwt" }), ["clientId", "privateKey"]);
    assert.deepEqual(shown({ clientAuth: "tls_client_auth" }), ["clientId"]);
    // A saved choice is read as the adapter reads it: trimmed, and spaces alone are the default.
    assert.deepEqual(names({ clientAuth: " private_key_jwt " }), ["clientId", "privateKey"]);
    assert.deepEqual(shown({ clientAuth: " private_key_jwt " }), ["clientId", "privateKey"]);
    assert.deepEqual(names({ clientAuth: "  " }), ["clientId", "clientSecret"]);
    assert.deepEqual(shown({ clientAuth: "  " }), ["clientId", "clientSecret"]);
    assert.notEqual(
      bound(oauth2, settingsOf({ grant: "password" }), all).accountId,
      bound(oauth2, settingsOf(), all).accountId,
      "another grant is another token",
    );
    assert.equal(bound(oauth2, settingsOf(), all).accountId, `oauth2 ${TOKEN_URL} c ||`, "as before the grant existed");
  });

  it("a row shown by a property the form does not list: unsaved, that property is the empty text", () => {
    const form = { ...oauth2.form, properties: [] };
    const whenEmpty = { property: "clientAuth", values: [""] };
    assert.equal(isShown(form, whenEmpty, {}), true);
    assert.equal(isShown(form, whenEmpty, { clientAuth: " " }), true);
    assert.equal(isShown(form, whenEmpty, { clientAuth: "body" }), false);
    assert.equal(isShown(form, { property: "clientAuth", values: ["undefined"] }, {}), false);
  });
});
