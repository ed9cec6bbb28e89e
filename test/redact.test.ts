// Redaction as a pure unit: every shape a secret can take on its way into a message is masked, in
// TokenErrors and in anything else that is thrown. The secret has every character whose encodings differ.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import { redactError, redactText, SecretMask, secretForms } from "../src/redact";

const SECRET = "a b&c+/=%:é";
/** The shapes the secret takes, written out by hand (not computed the way src/ computes them). */
const SHAPES = {
  plain: SECRET,
  form: "a+b%26c%2B%2F%3D%25%3A%C3%A9",
  percent: "a%20b%26c%2B%2F%3D%25%3A%C3%A9",
  percentLowerHex: "a%20b%26c%2b%2f%3d%25%3a%c3%a9",
  base64: "YSBiJmMrLz0lOsOp",
};

/**
 * A secret with every character whose shape differs between the encodings below (16 bytes: its
 * plain base64 is no run of a longer text's), and its shapes in them, written out by hand.
 */
const ENCODED = `Ab!'(*)~ &<">éz`;
const ENCODED_SHAPES = {
  "strict RFC 3986 percent-encoding": "Ab%21%27%28%2A%29~%20%26%3C%22%3E%C3%A9z",
  "strict RFC 3986 percent-encoding, lower-case hex": "Ab%21%27%28%2a%29~%20%26%3c%22%3e%c3%a9z",
  "Java URLEncoder form (* and ~ encoded, space as +)": "Ab%21%27%28%2A%29%7E+%26%3C%22%3E%C3%A9z",
  "lower-case hex": "41622127282a297e20263c223ec3a97a",
  "upper-case hex": "41622127282A297E20263C223EC3A97A",
  "HTML named entities with &#39;": "Ab!&#39;(*)~ &amp;&lt;&quot;&gt;éz",
  "HTML named entities with &apos;": "Ab!&apos;(*)~ &amp;&lt;&quot;&gt;éz",
  "HTML decimal references": "Ab!&#39;(*)~ &#38;&#60;&#34;&#62;éz",
  "HTML decimal references with leading zeros": "Ab!&#039;(*)~ &#038;&#060;&#034;&#062;éz",
  "HTML hex references": "Ab!&#x27;(*)~ &#x26;&#x3C;&#x22;&#x3E;éz",
  "HTML entities, named and numeric mixed": "Ab!&#39;(*)~ &amp;&lt;&#34;&gt;éz",
};

describe("redaction", () => {
  for (const [shape, text] of Object.entries(SHAPES)) {
    it(`masks the secret in its ${shape} shape`, () => {
      const redacted = redactText(`before ${text} after`, [SECRET]);
      assert.equal(redacted, "before *** after");
    });
  }

  for (const [shape, text] of Object.entries(ENCODED_SHAPES)) {
    it(`masks the secret in its ${shape} shape`, () => {
      assert.equal(redactText(`before ${text} after`, [ENCODED]), "before *** after");
    });
  }

  // The base64 of a text that holds the secret after 0, 1 or 2 bytes of a 3-byte group: only the few
  // characters that share bits with the text around it may stay (at most 4 on either side, and padding).
  for (const before of ["", "x", "xy"]) {
    for (const [alphabet, encoding] of [
      ["standard", "base64"],
      ["URL-safe", "base64url"],
    ] as const) {
      it(`masks the secret in the ${alphabet} base64 of a longer text, ${before.length} bytes before it`, () => {
        const text = Buffer.from(`${before}${ENCODED}!?`).toString(encoding);
        const redacted = redactText(`basic ${text}.`, [ENCODED]);
        assert.match(redacted, /^basic .{0,4}\*\*\*.{0,4}=*\.$/, `${text} -> ${redacted}`);
      });
    }
  }

  it("the base64 samples after 1 and 2 bytes use the alphabets' differing characters", () => {
    for (const before of ["x", "xy"]) assert.match(Buffer.from(`${before}${ENCODED}!?`).toString("base64"), /\+/);
  });

  it("masks a short secret's hex and base64 runs only from 8 characters on: shorter ones are ordinary text", () => {
    // "ab" is 6162 in hex: masking it would eat a number in every text.
    assert.equal(redactText("order 6162 of YWJj", ["ab"]), "order 6162 of YWJj");
    // Four bytes give eight hex digits: masked.
    assert.equal(redactText("id 61626364", ["abcd"]), "id ***");
  });

  it("a mask made once takes more values (the tokens of a call) besides its secrets", () => {
    const account = SecretMask.of([SECRET]);
    const call = account.and(["tok-1", "tok-2"]);
    assert.equal(call.text(`${SECRET} tok-1 tok-2`), "*** *** ***");
    assert.equal(account.text("tok-1"), "tok-1", "the account's mask is left as it was");
    assert.equal(SecretMask.of([]).text("nothing"), "nothing");
  });

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

  it("an HTML-escaped secret counts at its escaped length: masked whole, not cut by a shorter secret it starts with", () => {
    // "x/y" escaped is "x&#47;y" (7 characters); "x&" (its own pattern 6) must not take its start first.
    assert.equal(redactText("at x&#47;y.", ["x&", "x/y"]), "at ***.");
    assert.equal(redactText("at x&#x2f;y and x&.", ["x/y", "x&"]), "at *** and ***.");
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
