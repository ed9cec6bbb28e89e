// Alibaba Cloud IoT Platform, RPC API 2018-01-20 (docs/vendors/aliyun-iot.md): no token; sign adds
// the common parameters and the Signature (version 1.0) to every call's query. RegionId comes from
// the API host (iot.<RegionId>.aliyuncs.com) unless $params.RegionId says otherwise; an instance's
// IotInstanceId, when it has one, is a parameter of the credentials ($params.IotInstanceId).
import { PRESET_VENDORS } from "../preset-ids";
import { NONCE_UUID } from "./nonce-uuid";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

/**
 * Signature = Base64(HMAC-SHA1(secret & "&", METHOD & "&%2F&" & percentEncode(canonical query))),
 * the canonical query being every parameter (the query's, and a POST form body's) but Signature,
 * sorted and percent-encoded ($canonicalQuery). The common parameters are added where the call
 * has not set them itself: Format (JSON), Version (2018-01-20) and RegionId may be given by a call;
 * AccessKeyId, SignatureMethod, SignatureVersion, SignatureNonce (a UUID) and Timestamp (ISO 8601
 * UTC, to the second) are sign's.
 */
const SIGN = `(
  ${NONCE_UUID}
  $region := $params.RegionId ? $params.RegionId : $match($url, /^https?:\\/\\/iot\\.([a-z0-9-]+)\\.aliyuncs\\.com(?:[:\\/]|$)/).groups[0];
  $form := $method = "POST" and $contains($string($headers."content-type"), "application/x-www-form-urlencoded")
    ? $merge($split($body, "&")[$ != ""].(
        $decode := function($t) { $decodeUrlComponent($replace($t, "+", " ")) };
        {$decode($substringBefore($, "=")): $contains($, "=") ? $decode($substringAfter($, "=")) : ""}
      ));
  $given := $sift($merge([$query, $form]), function($v, $k) { $k != "Signature" });
  $common := {
    "Format": "JSON",
    "Version": "2018-01-20",
    "RegionId": $region,
    "IotInstanceId": $params.IotInstanceId ? $params.IotInstanceId,
    "AccessKeyId": $key,
    "SignatureMethod": "HMAC-SHA1",
    "SignatureVersion": "1.0",
    "SignatureNonce": $nonceUuid,
    "Timestamp": $fromMillis($timestamp, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z")
  };
  $added := $sift($common, function($v, $k) { $exists($v) and $not($exists($lookup($given, $k))) });
  $stringToSign := $method & "&" & $percentEncode("/") & "&" & $percentEncode($canonicalQuery($merge([$given, $added])));
  {"query": $merge([$added, {"Signature": $hmacSha1($secret & "&", $stringToSign, "base64")}])}
)`;

/** Our hints after Alibaba's words, for the codes a user can fix in the credentials node or the server. */
const HINTS = `{
  "SignatureDoesNotMatch": " Check the AccessKey Secret: it must be the one of this AccessKey ID.",
  "InvalidAccessKeyId.NotFound": " Check the AccessKey ID.",
  "InvalidAccessKeyId.Inactive": " The AccessKey is disabled: enable it in the RAM console.",
  "InvalidTimeStamp.Expired": " Set this server's clock right (NTP): Alibaba allows 15 minutes."
}`;

export const aliyunIot: Preset = {
  id: "aliyun-iot",
  vendor: PRESET_VENDORS["aliyun-iot"],
  fields: {
    params: '{"IotInstanceId": ""}',
    sign: SIGN,
    authHeader: "",
    // No token: nothing expires.
    apiExpired: "false",
    // The gateway refuses with 4xx {Code, Message}; the IoT layer with HTTP 200 {Success: false, Code, ErrorMessage}.
    apiOk: "statusCode < 300 and $not(body.Success = false)",
    apiErrorCode: "body.Code",
    apiErrorMessage: `(
  $text := body.Message ? body.Message : body.ErrorMessage;
  $text ? $text & $lookup(${HINTS}, $string(body.Code))
)`,
  },
  regions: {
    "cn-shanghai": { tokenUrl: "", apiUrl: "https://iot.cn-shanghai.aliyuncs.com" },
    "ap-southeast-1": { tokenUrl: "", apiUrl: "https://iot.ap-southeast-1.aliyuncs.com" },
    "ap-northeast-1": { tokenUrl: "", apiUrl: "https://iot.ap-northeast-1.aliyuncs.com" },
    "us-west-1": { tokenUrl: "", apiUrl: "https://iot.us-west-1.aliyuncs.com" },
    "us-east-1": { tokenUrl: "", apiUrl: "https://iot.us-east-1.aliyuncs.com" },
    "eu-central-1": { tokenUrl: "", apiUrl: "https://iot.eu-central-1.aliyuncs.com" },
  },
  params: ["IotInstanceId"],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION["aliyun-iot"],
  listCall: { method: "GET", path: "/?Action=QueryDevice&ProductKey=YOUR_PRODUCT_KEY&PageSize=50" },
};
