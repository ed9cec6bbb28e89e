// Redaction as a pure unit: every shape a secret can take on its way into a message is masked, in
// TokenErrors and in anything else that is thrown. The secret has every character whose encodings differ.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import { redactError, redactText, secretForms } from "../src/redact";

const SECRET = "a b&c+/=%:é";
/** The shapes the secret takes, written out by hand (not computed the way src/ computes them). */
const SHAPES = {
  plain: SECRET,
  form: "a+b%26c%2B%2F%3D%25%3A%C3%A9",
  percent: "a%20b%26c%2B%2F%3D%25%3A%C3%A9",
  percentLowerHex: "a%20b%26c%2b%2f%3d%25%3a%c3%a9",
  base64: "YSBiJmMrLz0lOsOp",
};

describe("redaction", () => {
  for (const [shape, text] of Object.entries(SHAPES)) {
    it(`masks the secret in its ${shape} shape`, () => {
      const redacted = redactText(`before ${text} after`, [SECRET]);
      assert.equal(redacted, "before *** after");
    });
  }

  it("masks the base64 shapes of a secret whose base64 holds + and / (standard and URL-safe)", () => {
    const secret = "ü>?~ü>?~";
    const standard = Buffer.from(secret).toString("base64").replace(/=+$/, "");
    assert.match(standard, /[+/]/, "the sample must exercise the URL-safe alphabet");
    const urlSafe = standard.replace(/\+/g, "-").replace(/\//g, "_");
    assert.equal(redactText(`Basic ${standard}`, [secret]), "Basic ***");
    assert.equal(redactText(`jwt ${urlSafe}`, [secret]), "jwt ***");
  });

  it("masks a secret quoted in JSON (its quote and backslash escaped)", () => {
    const secret = 'q"\\x';
    const body = JSON.stringify({ error: `bad secret ${secret}` });
    assert.equal(body.includes(secret), false, "the sample must differ from its JSON shape");
    assert.equal(redactText(body, [secret]), '{"error":"bad secret ***"}');
  });

  it("masks the longer of two overlapping secrets whole", () => {
    assert.equal(redactText("x=abc-123 y=abc", ["abc", "abc-123"]), "x=*** y=***");
  });

  it("leaves text without a secret as it is, and ignores empty secrets", () => {
    assert.equal(redactText("nothing to hide: a b", ["", SECRET]), "nothing to hide: a b");
    assert.deepEqual(secretForms(""), []);
  });

  it("masks every parameter, code and request id of a TokenError", () => {
    const error = new TokenError({
      kind: "vendor",
      vendor: "OneAccess",
      key: "vendor-code",
      code: `E-${SHAPES.form}`,
      requestId: `req-${SHAPES.percent}`,
      httpStatus: 400,
      params: { msg: `client_secret=${SHAPES.form} is wrong` },
    });
    const redacted = redactError(error, "OneAccess", [SECRET]);
    assert.equal(redacted.params.msg, "client_secret=*** is wrong");
    assert.equal(redacted.code, "E-***");
    assert.equal(redacted.requestId, "req-***");
    assert.equal(redacted.httpStatus, 400);
    assert.equal(redacted.key, "vendor-code");
    assertFree(redacted);
  });

  it("turns an Error that is no TokenError into one, the secret masked", () => {
    const redacted = redactError(new RangeError(`failed for ${SHAPES.form} and ${SECRET}`), "EnOS", [SECRET]);
    assert.ok(redacted instanceof TokenError);
    assert.equal(redacted.kind, "response");
    assert.equal(redacted.key, "unexpected");
    assert.equal(redacted.params.detail, "failed for *** and ***");
    assertFree(redacted);
  });

  it("turns a thrown string into a TokenError, the secret masked", () => {
    const redacted = redactError(`thrown ${SHAPES.base64}`, "EnOS", [SECRET]);
    assert.equal(redacted.params.detail, "thrown ***");
    assertFree(redacted);
  });
});

/** No shape of the secret anywhere in the error as it would be logged or caught. */
function assertFree(error: TokenError): void {
  const text = [error.message, JSON.stringify(error.params), error.code, error.requestId, String(error)].join("\n");
  for (const [shape, value] of Object.entries(SHAPES)) {
    assert.ok(!text.toLowerCase().includes(value.toLowerCase()), `${shape} shape leaked: ${text}`);
  }
}
