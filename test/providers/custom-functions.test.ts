// The custom provider's functions through Node-RED's own JSONata, as its expressions call them:
// known answers from the standards (FIPS 180, RFC 1321, 2202, 4231, 4648, 3986, 7519), the signing
// examples of Alibaba Cloud IoT and Hikvision Artemis rebuilt in JSONata, and every error, none of
// which shows the value it was given.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { custom } from "../../src/providers/custom";
import { accountBindings } from "../../src/providers/custom-bindings";
import { credentials, rejection, settingsOf } from "../support/custom-adapter";
import { expressionEvaluator as evaluator } from "../support/expressions";
import { bound } from "../support/bound";

const SECRET = "testsecret";
const evaluate = (source: string, input: unknown = {}) =>
  evaluator.evaluate(source, input, accountBindings({ key: "testid", secret: SECRET }));

/** The error an expression fails with (an Error, as the evaluator rejects). */
async function failure(source: string, input: unknown = {}): Promise<Error> {
  try {
    await evaluate(source, input);
  } catch (err) {
    assert.ok(err instanceof Error, `${source}: rejects with an Error`);
    return err;
  }
  assert.fail(`${source} did not fail`);
}

const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

describe("custom provider functions", () => {
  it("are the functions the language names, besides $key and $secret", () => {
    const names = Object.keys(accountBindings({})).filter((name) => !["key", "secret"].includes(name));
    assert.deepEqual(names.sort(), [
      "base64",
      "base64Decode",
      "canonicalQuery",
      "hmacSha1",
      "hmacSha256",
      "jwtClaims",
      "md5",
      "percentEncode",
      "sha1",
      "sha256",
      "uuid",
    ]);
  });

  describe("digests: lower-case hex, or base64 when asked", () => {
    // FIPS 180-2 appendix A/B (SHA-1, SHA-256 of "abc"), RFC 1321 appendix A.5 (MD5).
    const vectors: Array<[string, string, string]> = [
      ["sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
      ["sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
      ["sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      ["sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["md5", "abc", "900150983cd24fb0d6963f7d28e17f72"],
      ["md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ];
    for (const [name, message, hex] of vectors) {
      it(`$${name}(${JSON.stringify(message)})`, async () => {
        assert.equal(await evaluate(`$${name}(text)`, { text: message }), hex);
        assert.equal(await evaluate(`$${name}(text, "base64")`, { text: message }), hexToBase64(hex));
      });
    }

    it("hash the UTF-8 bytes of the text; numbers and booleans as they print", async () => {
      const ofBytes = createHash("sha1")
        .update(Buffer.from([0xc3, 0xa9]))
        .digest("hex");
      assert.equal(await evaluate(`$sha1("é")`), ofBytes, "the SHA-1 of C3 A9, the UTF-8 of é");
      assert.equal(await evaluate(`$sha1(1) = $sha1("1") and $md5(true) = $md5("true")`), true);
    });
  });

  describe("HMACs: the key and the text as UTF-8, lower-case hex or base64", () => {
    // RFC 2202 section 3 (HMAC-SHA-1) and RFC 4231 section 4 (HMAC-SHA-256): the cases whose key and
    // data are ASCII (the others use bytes past 0x7f, which no text's UTF-8 is).
    const key0b = "\x0b".repeat(20);
    const key0c = "\x0c".repeat(20);
    const jefe = ["Jefe", "what do ya want for nothing?"];
    const vectors: Array<[string, string, string, string]> = [
      ["hmacSha1", key0b, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"],
      ["hmacSha1", jefe[0], jefe[1], "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"],
      ["hmacSha1", key0c, "Test With Truncation", "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"],
      ["hmacSha256", key0b, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
      ["hmacSha256", jefe[0], jefe[1], "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
    ];
    for (const [name, key, data, hex] of vectors) {
      it(`$${name}: ${JSON.stringify(data)}`, async () => {
        assert.equal(await evaluate(`$${name}(key, data)`, { key, data }), hex);
        assert.equal(await evaluate(`$${name}(key, data, "base64")`, { key, data }), hexToBase64(hex));
      });
    }

    it("RFC 4231 case 5 (output truncated to 128 bits): the first 32 hex digits", async () => {
      const hex = await evaluate(`$hmacSha256(key, "Test With Truncation")`, { key: key0c });
      assert.equal(String(hex).slice(0, 32), "a3b6167473100ee06e0c796c2955552b");
    });
  });

  describe("base64 both ways (RFC 4648 section 10)", () => {
    const vectors = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [decoded, encoded] of vectors) {
      it(`${JSON.stringify(decoded)} <-> ${JSON.stringify(encoded)}`, async () => {
        assert.equal(await evaluate(`$base64(t)`, { t: decoded }), encoded);
        assert.equal(await evaluate(`$base64Decode(t)`, { t: encoded }), decoded);
        assert.equal(
          await evaluate(`$base64Decode(t)`, { t: encoded.replace(/=+$/, "") }),
          decoded,
          "padding optional",
        );
      });
    }

    it("UTF-8 texts, and base64url's alphabet decodes too", async () => {
      assert.equal(await evaluate(`$base64("é€😀")`), "w6nigqzwn5iA");
      assert.equal(await evaluate(`$base64Decode("w6nigqzwn5iA")`), "é€😀");
      assert.equal(await evaluate(`$base64("~~~") & " " & $base64("???")`), "fn5+ Pz8/");
      assert.equal(await evaluate(`$base64Decode("fn5-") & $base64Decode("Pz8_")`), "~~~???");
    });

    it("a leading byte order mark is dropped, as UTF-8 decoding does", async () => {
      assert.equal(await evaluate(`$base64Decode("77u/QQ==")`), "A");
    });
  });

  describe("$percentEncode (RFC 3986, section 2)", () => {
    const vectors: Array<[string, string]> = [
      ["AZaz09-_.~", "AZaz09-_.~"], // unreserved: kept
      [":/?#[]@", "%3A%2F%3F%23%5B%5D%40"], // gen-delims
      ["!$&'()*+,;=", "%21%24%26%27%28%29%2A%2B%2C%3B%3D"], // sub-delims
      [" ", "%20"],
      ["%", "%25"],
      ['"<>\\^`{|}', "%22%3C%3E%5C%5E%60%7B%7C%7D"],
      ["é", "%C3%A9"],
      ["€", "%E2%82%AC"],
      ["😀", "%F0%9F%98%80"],
      ["\n\x7f", "%0A%7F"],
      ["\x7f\x80", "%7F%C2%80"], // the last ASCII character, the first past it
      ["\u00aa\u00b5\u00ff", "%C2%AA%C2%B5%C3%BF"], // Latin-1 letters: UTF-8 bytes, each encoded
    ];
    for (const [raw, encoded] of vectors) {
      it(`${JSON.stringify(raw)} -> ${encoded}`, async () => {
        assert.equal(await evaluate(`$percentEncode(t)`, { t: raw }), encoded);
      });
    }

    it("numbers and booleans as they print", async () => {
      assert.equal(await evaluate(`$percentEncode(-1.5) & $percentEncode(false)`), "-1.5false");
    });
  });

  describe("$canonicalQuery", () => {
    it("sorts names by code point: upper case before lower case, U+FF01 before U+1F600 (UTF-16 sorts them the other way)", async () => {
      const query = { b: 1, a: 2, B: 3, A: 4, _: 5, "~": 6, é: 7, "😀": 8, "\uff01": 9, a1: 10, "": 11 };
      assert.equal(
        await evaluate(`$canonicalQuery($)`, query),
        "=11&A=4&B=3&_=5&a=2&a1=10&b=1&~=6&%C3%A9=7&%EF%BC%81=9&%F0%9F%98%80=8",
      );
    });

    it("percent-encodes names and values as $percentEncode; numbers and booleans as they print", async () => {
      assert.equal(
        await evaluate(`$canonicalQuery({"a b": "c&d=e*~", "n": 1.5, "t": true, "e": ""})`),
        "a%20b=c%26d%3De%2A~&e=&n=1.5&t=true",
      );
    });

    it("a repeated name (an array) once per value, in order; null values and empty arrays are left out", async () => {
      assert.equal(
        await evaluate(`$canonicalQuery({"tag": ["b", "a", null, 2], "x": null, "y": [], "z": "1"})`),
        "tag=b&tag=a&tag=2&z=1",
      );
      assert.equal(await evaluate(`$canonicalQuery({})`), "");
    });

    it("a regex group that matched nothing (undefined in JSONata's array) is left out, as null is", async () => {
      assert.equal(await evaluate(`$canonicalQuery({"group": $match("a", /a(b)?/).groups, "z": "1"})`), "z=1");
    });
  });

  describe("vendors' signatures, rebuilt in JSONata", () => {
    // Alibaba Cloud's signature v1.0 (https://www.alibabacloud.com/help/en/iot/developer-reference/request-signatures):
    // base64(HMAC-SHA1(secret & "&", method & "&" & percentEncode("/") & "&" & percentEncode(canonical query))).
    const aliyun = `(
      $stringToSign := "GET&" & $percentEncode("/") & "&" & $percentEncode($canonicalQuery($));
      {"stringToSign": $stringToSign, "signature": $hmacSha1($secret & "&", $stringToSign, "base64")}
    )`;

    it("Alibaba Cloud IoT, the Pub example of that page", async () => {
      const params = {
        MessageContent: "aGVsbG93b3JsZA=",
        Action: "Pub",
        Timestamp: "2017-10-02T09:39:41Z",
        SignatureVersion: "1.0",
        ServiceCode: "iot",
        Format: "XML",
        Qos: "0",
        SignatureNonce: "0715a395-aedf-4a41-bab7-746b43d38d88",
        Version: "2017-04-20",
        AccessKeyId: "testid",
        SignatureMethod: "HMAC-SHA1",
        RegionId: "cn-shanghai",
        ProductKey: "12345abcdeZ",
        TopicFullName: "/productKey/testdevice/get",
      };
      assert.deepEqual(await evaluate(aliyun, params), {
        stringToSign:
          "GET&%2F&AccessKeyId%3Dtestid%26Action%3DPub%26Format%3DXML%26MessageContent%3DaGVsbG93b3JsZA%253D%26ProductKey%3D12345abcdeZ%26Qos%3D0%26RegionId%3Dcn-shanghai%26ServiceCode%3Diot%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0715a395-aedf-4a41-bab7-746b43d38d88%26SignatureVersion%3D1.0%26Timestamp%3D2017-10-02T09%253A39%253A41Z%26TopicFullName%3D%252FproductKey%252Ftestdevice%252Fget%26Version%3D2017-04-20",
        signature: "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=",
      });
      assert.equal(
        await evaluate(`$percentEncode("Y9eWn4nF8QPh3c4zAFkM/k/u7eA=")`),
        "Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D",
      );
    });

    it("Alibaba Cloud RPC, the DescribeRegions example of Alibaba's ECS signing page", async () => {
      const params = {
        AccessKeyId: "testid",
        Action: "DescribeRegions",
        Format: "XML",
        SignatureMethod: "HMAC-SHA1",
        SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        SignatureVersion: "1.0",
        Timestamp: "2016-02-23T12:46:24Z",
        Version: "2014-05-26",
      };
      assert.deepEqual(await evaluate(aliyun, params), {
        stringToSign:
          "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
      });
    });

    // Hikvision publishes no vector: these values were computed independently from the string to sign
    // of its SDKs (artemis-http-client's buildStringToSign), with and without the signed x-ca- headers.
    it("Hikvision Artemis: X-Ca-Signature = base64(HMAC-SHA256(AppSecret, string to sign))", async () => {
      const secret = { secret: "0123456789abcdefghij" };
      const signed = `$hmacSha256(secret, "POST\\n*/*\\napplication/json\\n" & headers & "/artemis/api/resource/v1/cameras", "base64")`;
      const headers =
        "x-ca-key:12345678\nx-ca-nonce:b2d3e0f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f\nx-ca-timestamp:1700000000000\n";
      assert.equal(await evaluate(signed, { ...secret, headers }), "IXO4Lh1ElO6XpfVXkP0a226H6kJib2NlHLFjTL6LSbs=");
      assert.equal(await evaluate(signed, { ...secret, headers: "" }), "lp+TqH2Oasmr2jyF+JkUMeYGv06o2ioSs46zsefOmF0=");
    });
  });

  describe("$jwtClaims: the payload, not verified", () => {
    // RFC 7519 section 3.1 (an HS256 JWS) and section 6.1 (an unsecured JWT: an empty signature).
    const claims = { iss: "joe", exp: 1300819380, "http://example.com/is_root": true };
    const payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    const signed = `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${payload}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`;
    const unsecured = `eyJhbGciOiJub25lIn0.${payload}.`;

    it("reads the claims of RFC 7519's examples, signed and unsecured", async () => {
      assert.deepEqual(await evaluate(`$jwtClaims(t)`, { t: signed }), claims);
      assert.deepEqual(await evaluate(`$jwtClaims(t)`, { t: unsecured }), claims);
      assert.equal(await evaluate(`$jwtClaims(t).exp - 1300819000`, { t: signed }), 380);
    });

    it("does not verify: a wrong signature still gives the claims", async () => {
      assert.deepEqual(await evaluate(`$jwtClaims(t)`, { t: signed.replace(/\.[^.]+$/, ".AAAA") }), claims);
    });
  });

  describe("$uuid()", () => {
    it("random version 4 UUIDs, lower case, different every call", async () => {
      const uuids = (await evaluate(`[1..200].$uuid()`)) as string[];
      assert.equal(uuids.length, 200);
      for (const uuid of uuids)
        assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(new Set(uuids).size, uuids.length);
    });
  });

  describe("in JSONata's hands", () => {
    it("as a function argument ($map passes no index as the encoding), partly applied, and after ~>", async () => {
      const abc = "a9993e364706816aba3e25717850c26c9cd0d89d";
      assert.deepEqual([...((await evaluate(`$map(["abc", "abc"], $sha1)`)) as string[])], [abc, abc]);
      assert.deepEqual(
        await evaluate(`$map(["Hi There"], $hmacSha1("Jefe", ?))`),
        await evaluate(`$hmacSha1("Jefe", "Hi There")`),
      );
      assert.equal(await evaluate(`$map(["abc"], $sha1(?, "base64"))`), hexToBase64(abc));
      assert.equal(await evaluate(`"abc" ~> $sha1("base64")`), hexToBase64(abc));
      assert.equal(await evaluate(`$percentEncode("a b") ~> $base64()`), "YSUyMGI=");
    });
  });

  describe("errors: the function and the type of what it got, never the value", () => {
    // Values that would show if a message quoted them.
    const VALUE = "Sh0wn-v4lue";
    const encodedValue = Buffer.from(VALUE).toString("base64url");
    const cases: Array<[string, string, unknown?]> = [
      [`$sha256(v)`, "$sha256 needs a text, got object", { v: { k: VALUE } }],
      [`$sha1(missing)`, "$sha1 needs a text, got nothing"],
      [`$md5(null)`, "$md5 needs a text, got null"],
      [`$hmacSha1(v, "a")`, "$hmacSha1 needs a text, got object", { v: [VALUE] }],
      [`$hmacSha256("k", missing)`, "$hmacSha256 needs a text, got nothing"],
      [`$base64({})`, "$base64 needs a text, got object"],
      [
        `$sha256("a", v)`,
        '$sha256 takes "base64" or nothing (hex) as its last argument, got another text',
        { v: VALUE },
      ],
      [`$md5("a", "hex")`, '$md5 takes "base64" or nothing (hex) as its last argument, got another text'],
      [`$sha1("a", 64)`, '$sha1 takes "base64" or nothing (hex) as its last argument, got number'],
      [
        `$hmacSha1("k", "a", "BASE64")`,
        '$hmacSha1 takes "base64" or nothing (hex) as its last argument, got another text',
      ],
      [`$hmacSha256("k", "a", null)`, '$hmacSha256 takes "base64" or nothing (hex) as its last argument, got null'],
      [`$base64Decode(v)`, "$base64Decode needs base64, got a text that is not", { v: `${VALUE}!` }],
      [`$base64Decode("Zm9v YmFy")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("Zm9vY")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("Zg=")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("Zm9=v")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("Zm=9")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("Zg==Zg==")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("+/-_")`, "$base64Decode needs base64, got a text that is not"],
      [`$base64Decode("/w==")`, "$base64Decode gives a text, got base64 of bytes that are no UTF-8 text"],
      [`$base64Decode([])`, "$base64Decode needs a text, got object"],
      [`$percentEncode(missing)`, "$percentEncode needs a text, got nothing"],
      [`$canonicalQuery(v)`, "$canonicalQuery needs an object, got string", { v: VALUE }],
      [`$canonicalQuery(v)`, "$canonicalQuery needs an object, got array", { v: [VALUE] }],
      [`$canonicalQuery(missing)`, "$canonicalQuery needs an object, got nothing"],
      [`$canonicalQuery({"a": $sha1})`, "$canonicalQuery needs a text, got function"],
      [
        `$canonicalQuery(v)`,
        "$canonicalQuery needs texts, numbers or booleans (or arrays of them) as values, got object",
        { v: { a: { b: VALUE } } },
      ],
      [
        `$canonicalQuery(v)`,
        "$canonicalQuery needs texts, numbers or booleans (or arrays of them) as values, got object",
        { v: { a: [[VALUE]] } },
      ],
      [
        `$jwtClaims(v)`,
        "$jwtClaims needs a JWT (three base64url parts joined by dots), got a text of 1 part",
        { v: VALUE },
      ],
      [
        `$jwtClaims(v)`,
        "$jwtClaims needs a JWT (three base64url parts joined by dots), got a text of 5 parts",
        { v: `${encodedValue}.e.e.e.e` },
      ],
      [
        `$jwtClaims(v)`,
        "$jwtClaims needs a JWT (three base64url parts joined by dots), got a text with a part that is empty or not base64url",
        { v: `e30.${VALUE}!.x` },
      ],
      [
        `$jwtClaims(".e30.x")`,
        "$jwtClaims needs a JWT (three base64url parts joined by dots), got a text with a part that is empty or not base64url",
      ],
      [
        `$jwtClaims("e30..x")`,
        "$jwtClaims needs a JWT (three base64url parts joined by dots), got a text with a part that is empty or not base64url",
      ],
      [
        `$jwtClaims(v)`,
        "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not",
        { v: `e30.${encodedValue}.x` },
      ],
      [
        `$jwtClaims("e30.W10.x")`,
        "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not",
      ],
      [
        `$jwtClaims("e30.bnVsbA.x")`,
        "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not",
      ],
      [
        `$jwtClaims("e30.e30x.x")`,
        "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not",
      ],
      [`$jwtClaims("e30.MQ.x")`, "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not"],
      [
        `$jwtClaims("e30.InRleHQi.x")`,
        "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not",
      ],
      [`$jwtClaims("e30._w.x")`, "$jwtClaims needs a JWT whose payload is a JSON object, got one whose payload is not"],
      [`$jwtClaims({})`, "$jwtClaims needs a text, got object"],
    ];
    for (const [source, message, input] of cases) {
      it(`${source}${input ? ` of ${JSON.stringify(input)}` : ""}`, async () => {
        const error = await failure(source, input);
        assert.equal(error.message, message);
        assert.ok(!error.message.includes(VALUE) && !error.message.includes(encodedValue), "no value in the message");
      });
    }

    it("in a custom provider: expression-failed, naming the field, with the function's message", async () => {
      const settings = settingsOf({ request: `{"body": {"sign": $hmacSha1($secret, $secret, "hex")}}` });
      const error = await rejection(bound(custom, settings, credentials).tokenRequest(0));
      assert.deepEqual([error.kind, error.key, error.params.field], ["config", "expression-failed", "request"]);
      assert.equal(
        error.params.detail,
        '$hmacSha1 takes "base64" or nothing (hex) as its last argument, got another text',
      );
    });
  });
});
