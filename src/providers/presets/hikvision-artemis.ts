// Hikvision Artemis, the OpenAPI gateway of HikCentral and iSecure Center
// (docs/vendors/hikvision-artemis.md): no token; sign makes every request's X-Ca-* headers, an
// HMAC-SHA256 keyed with the AppSecret over the string to sign Hikvision's SDK builds. The gateway
// runs on the customer's own platform: one region, whose host the user fills in.
import { PRESET_VENDORS } from "../preset-ids";
import { NONCE_UUID } from "./nonce-uuid";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

/**
 * The string to sign: the method; Accept, Content-MD5, Content-Type and Date, each on its line only
 * when sent (unlike Alibaba's gateway, no empty line for an absent one); the signed x-ca-* headers
 * as `name:value`, sorted; the path, then `?` and the query's and a form body's parameters sorted
 * by name, not encoded, a bare name for an empty value. A JSON body is not part of it. Signed are
 * X-Ca-Key, X-Ca-Nonce, X-Ca-Timestamp and any X-Ca-* header of the message (as the SDK signs); a
 * message that sets X-Ca-Signature-Headers itself chooses them ("" signs none and sends X-Ca-Key
 * alone: the minimal variant some platforms document). Content-MD5 is signed when the message
 * sends one: the SDK sends none, and the vendor's own example signs a JSON body without it.
 */
const SIGN = `(
  ${NONCE_UUID}
  $fresh := {"x-ca-key": $key, "x-ca-nonce": $nonceUuid, "x-ca-timestamp": $string($timestamp)};
  $own := $sift($headers, function($v, $k) {
    $substring($k, 0, 5) = "x-ca-" and $not($k in ["x-ca-signature", "x-ca-signature-headers"])
  });
  $values := $merge([$own, $fresh]);
  $listed := $headers."x-ca-signature-headers";
  $names := $distinct($exists($listed)
    ? $split($listed, ",").$lowercase($trim($))[$ != ""]
    : $keys($values));
  $signed := $exists($names) ? $sort($names) : [];
  $accept := $headers.accept ? $headers.accept : "*/*";
  $lines := [$method, $accept, $headers."content-md5", $headers."content-type", $headers.date][$ != ""];
  $form := $contains($string($headers."content-type"), "application/x-www-form-urlencoded")
    ? $split($body, "&")[$ != ""].(
        $decode := function($t) { $decodeUrlComponent($replace($t, "+", " ")) };
        {"k": $decode($substringBefore($, "=")), "v": $contains($, "=") ? $decode($substringAfter($, "=")) : ""}
      );
  $fromQuery := $keys($query).($k := $; $lookup($query, $k).{"k": $k, "v": $});
  $pairs := $sort($append($fromQuery, $form), function($a, $b) { $a.k > $b.k });
  $resource := $path & ($exists($pairs) ? "?" & $join($pairs.(v = "" ? k : k & "=" & v), "&"));
  $stringToSign := $join($lines, "\\n") & "\\n" & $join($signed.($ & ":" & $lookup($values, $) & "\\n")) & $resource;
  {"headers": $merge([
    {"Accept": $accept, "X-Ca-Key": $key},
    "x-ca-nonce" in $signed ? {"X-Ca-Nonce": $nonceUuid},
    "x-ca-timestamp" in $signed ? {"X-Ca-Timestamp": $fresh."x-ca-timestamp"},
    {"X-Ca-Signature-Headers": $join($signed, ","),
     "X-Ca-Signature": $hmacSha256($secret, $stringToSign, "base64")}
  ])}
)`;

/** What a gateway refusal's X-Ca-Error-Message means for the user. */
const GATEWAY_HINT = `(
  $e := $string(headers."x-ca-error-message");
  $contains($lowercase($e), "signature") ? $e & ": check the AppSecret (it must be this AppKey's), and that nothing changes the request after it is signed"
  : $contains($lowercase($e), "appkey") ? $e & ": check the AppKey (the platform's Partner Management page)"
  : $contains($lowercase($e), "timestamp") ? $e & ": set this server's clock right (NTP); the gateway allows 15 minutes"
  : $e
)`;

export const hikvisionArtemis: Preset = {
  id: "hikvision-artemis",
  vendor: PRESET_VENDORS["hikvision-artemis"],
  fields: {
    sign: SIGN,
    authHeader: "",
    // No token: nothing expires.
    apiExpired: "false",
    // Business answers: HTTP 200 with a string code, "0" for success; a body with no code (a picture) is ok too.
    apiOk: 'statusCode < 300 and (body.code = "0" or $not($exists(body.code)))',
    // A gateway refusal has no code, only X-Ca-Error-Message: that text names it.
    apiErrorCode: '$exists(body.code) ? body.code : headers."x-ca-error-message"',
    apiErrorMessage: `$exists(body.code) ? body.msg : (headers."x-ca-error-message" ? ${GATEWAY_HINT})`,
  },
  regions: {
    platform: { tokenUrl: "", apiUrl: "https://YOUR-PLATFORM-HOST" },
  },
  params: [],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION["hikvision-artemis"],
  listCall: { method: "POST", path: "/artemis/api/resource/v1/cameras" },
};
