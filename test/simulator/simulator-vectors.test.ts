// The published test vectors of the vendors' signature docs, reproduced exactly by the simulator's
// reference signers (test/simulator/*-signing.ts): the string to sign and the signature, byte for
// byte. The signers are what the simulator checks requests with, so these pin its checks to the
// vendors' own examples (docs/vendors/tuya.md, huawei-iam.md, hikvision-artemis.md, aliyun-iot.md).
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { aliyunCanonicalQuery, aliyunPercentEncode, aliyunSignature, aliyunStringToSign } from "./aliyun-iot-signing";
import { artemisSignature, artemisStringToSign } from "./hikvision-artemis-signing";
import { huaweiAuthorization, huaweiCanonicalRequest, huaweiSignature, huaweiStringToSign } from "./huawei-signing";
import { sha256Hex } from "./http-util";
import { tuyaLegacySign, tuyaSign, tuyaStringToSign, type TuyaSignedRequest } from "./tuya-signing";

describe("simulator: the vendors' published signature test vectors", () => {
  describe("Tuya (new algorithm and the old one)", () => {
    const params = {
      clientId: "1KAD46OrT9HafiKdsXeg",
      secret: "4OHBOnWOqaEC1mWXOpVL3yV50s0qGSRC",
      t: "1588925778000",
      nonce: "5138cc3a9033d69856923fd07b491173",
    };
    const accessToken = "3f4eda2bdec17232f67c0b188af3eec1";
    const signedHeaders: TuyaSignedRequest["signedHeaders"] = [
      ["area_id", "29a33e8796834b1efa6"],
      ["call_id", "8afdb70ab2ed11eb85290242ac130003"],
    ];
    const tokenRequest: TuyaSignedRequest = {
      method: "GET",
      path: "/v1.0/token",
      query: [["grant_type", "1"]],
      body: "",
      signedHeaders,
    };

    it("token request: the string to sign and the sign", () => {
      assert.equal(
        tuyaStringToSign(tokenRequest),
        "GET\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\narea_id:29a33e8796834b1efa6\ncall_id:8afdb70ab2ed11eb85290242ac130003\n\n/v1.0/token?grant_type=1",
      );
      assert.equal(tuyaSign(params, tokenRequest), "9E48A3E93B302EEECC803C7241985D0A34EB944F40FB573C7B5C2A82158AF13E");
    });

    it("business request: the sign, with the token signed in and the query sorted", () => {
      const business: TuyaSignedRequest = {
        ...tokenRequest,
        path: "/v2.0/apps/schema/users",
        // Given out of order: the signer sorts.
        query: [
          ["page_size", "50"],
          ["page_no", "1"],
        ],
      };
      assert.equal(
        tuyaSign({ ...params, accessToken }, business),
        "AE4481C692AA80B25F3A7E12C3A5FD9BBF6251539DD78E565A1A72A508A88784",
      );
    });

    it("negative check: without the newline after the last signed header the sign differs (0BDAB2B7...)", () => {
      const withoutBlankLine = tuyaStringToSign(tokenRequest).replace("0003\n\n", "0003\n");
      const input = params.clientId + params.t + params.nonce + withoutBlankLine;
      const sign = createHmac("sha256", params.secret).update(input).digest("hex").toUpperCase();
      assert.ok(sign.startsWith("0BDAB2B7"), sign);
    });

    it("old algorithm: token and business signs", () => {
      assert.equal(tuyaLegacySign(params), "CEAAFB5CCDC2F723A9FD3E91D3D2238EE0DD9A6D7C3C365DEB50FC2AF277AA83");
      assert.equal(
        tuyaLegacySign({ ...params, accessToken }),
        "36C30E300F226B68ADD014DD1EF56A81EDB7B7A817840485769B9D6C96D0FAA1",
      );
    });
  });

  describe("Huawei Cloud AK/SK (SDK-HMAC-SHA256)", () => {
    it("the signing guide's request: canonical request, its hash, string to sign, signature, Authorization", () => {
      const canonical = huaweiCanonicalRequest({
        method: "GET",
        path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        query: [
          ["marker", "13551d6b-755d-4757-b956-536f674975c0"],
          ["limit", "2"],
        ],
        headers: {
          "Content-Type": "application/json",
          Host: "service.region.example.com",
          "X-Sdk-Date": "20191115T033655Z",
        },
        signedHeaders: ["X-Sdk-Date", "host", "content-type"],
        body: "",
      });
      assert.equal(
        canonical,
        "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      );
      assert.equal(sha256Hex(canonical), "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
      const stringToSign = huaweiStringToSign("20191115T033655Z", canonical);
      assert.equal(
        stringToSign,
        "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
      );
      const signature = huaweiSignature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", stringToSign);
      assert.equal(signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
      assert.equal(
        huaweiAuthorization("QTWAOYTTINDUT2QVKYUC", ["content-type", "host", "x-sdk-date"], signature),
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      );
    });
  });

  describe("Hikvision Artemis (the doc's own check values; Hikvision publishes none)", () => {
    const camerasRequest = {
      method: "POST",
      path: "/artemis/api/resource/v1/cameras",
      params: [],
    };

    it("with x-ca-key, x-ca-nonce and x-ca-timestamp signed", () => {
      const stringToSign = artemisStringToSign({
        ...camerasRequest,
        headers: {
          accept: "*/*",
          "content-type": "application/json",
          "x-ca-key": "12345678",
          "x-ca-nonce": "b2d3e0f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
          "x-ca-timestamp": "1700000000000",
        },
        // Listed in another order: the block is sorted.
        signedHeaders: ["x-ca-timestamp", "x-ca-key", "x-ca-nonce"],
      });
      assert.equal(
        stringToSign,
        "POST\n*/*\napplication/json\nx-ca-key:12345678\nx-ca-nonce:b2d3e0f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f\nx-ca-timestamp:1700000000000\n/artemis/api/resource/v1/cameras",
      );
      assert.equal(
        artemisSignature("0123456789abcdefghij", stringToSign),
        "IXO4Lh1ElO6XpfVXkP0a226H6kJib2NlHLFjTL6LSbs=",
      );
    });

    it("the minimal variant: no signed headers, no line for an absent Content-MD5 or Date", () => {
      const stringToSign = artemisStringToSign({
        ...camerasRequest,
        headers: { accept: "*/*", "content-type": "application/json", "x-ca-key": "12345678" },
        signedHeaders: [],
      });
      assert.equal(stringToSign, "POST\n*/*\napplication/json\n/artemis/api/resource/v1/cameras");
      assert.equal(
        artemisSignature("0123456789abcdefghij", stringToSign),
        "lp+TqH2Oasmr2jyF+JkUMeYGv06o2ioSs46zsefOmF0=",
      );
    });
  });

  describe("Alibaba Cloud RPC signature 1.0", () => {
    it("the IoT Platform's Pub example: string to sign, signature and its URL form", () => {
      const url = new URL(
        "http://iot.cn-shanghai.aliyuncs.com/?MessageContent=aGVsbG93b3JsZA%3D&Action=Pub&Timestamp=2017-10-02T09%3A39%3A41Z&SignatureVersion=1.0&ServiceCode=iot&Format=XML&Qos=0&SignatureNonce=0715a395-aedf-4a41-bab7-746b43d38d88&Version=2017-04-20&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&RegionId=cn-shanghai&ProductKey=12345abcdeZ&TopicFullName=%2FproductKey%2Ftestdevice%2Fget",
      );
      const stringToSign = aliyunStringToSign("GET", [...url.searchParams]);
      assert.equal(
        stringToSign,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DPub%26Format%3DXML%26MessageContent%3DaGVsbG93b3JsZA%253D%26ProductKey%3D12345abcdeZ%26Qos%3D0%26RegionId%3Dcn-shanghai%26ServiceCode%3Diot%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0715a395-aedf-4a41-bab7-746b43d38d88%26SignatureVersion%3D1.0%26Timestamp%3D2017-10-02T09%253A39%253A41Z%26TopicFullName%3D%252FproductKey%252Ftestdevice%252Fget%26Version%3D2017-04-20",
      );
      const signature = aliyunSignature("testsecret", stringToSign);
      assert.equal(signature, "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=");
      assert.equal(`Signature=${aliyunPercentEncode(signature)}`, "Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D");
    });

    it("the generic DescribeRegions example", () => {
      const params: Array<[string, string]> = [
        ["AccessKeyId", "testid"],
        ["Action", "DescribeRegions"],
        ["Format", "XML"],
        ["SignatureMethod", "HMAC-SHA1"],
        ["SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"],
        ["SignatureVersion", "1.0"],
        ["Timestamp", "2016-02-23T12:46:24Z"],
        ["Version", "2014-05-26"],
      ];
      const stringToSign = aliyunStringToSign("GET", params);
      assert.equal(
        stringToSign,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
      );
      assert.equal(aliyunSignature("testsecret", stringToSign), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    });

    it("percent-encodes as RFC 3986 (space %20, * %2A, ~ kept) and leaves Signature out of the canonical query", () => {
      assert.equal(aliyunPercentEncode("a b*c~d+e/é"), "a%20b%2Ac~d%2Be%2F%C3%A9");
      assert.equal(
        aliyunCanonicalQuery([
          ["b", "2"],
          ["Signature", "x"],
          ["a", "1"],
          ["B", "3"],
        ]),
        "B=3&a=1&b=2",
      );
    });
  });
});
