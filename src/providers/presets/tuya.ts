// Tuya's cloud OpenAPI (docs/vendors/tuya.md): every request, the token request and a refresh
// included, carries an upper-case HMAC-SHA256 `sign` header over client_id + access_token (API
// calls only) + t + nonce + stringToSign; the token goes in the `access_token` header, which sign
// sets, so there is no auth header. Answers are HTTP 200 with `success`, errors `{code, msg}`.
import { PRESET_VENDORS } from "../preset-ids";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

/**
 * Tuya's signature written in JSONata. stringToSign is the method, the SHA-256 of the body, the
 * headers `Signature-Headers` names (each "name:value\n") and the path with the query sorted by
 * name, values not encoded; a refresh replaces the token, so only API calls sign one in. Written
 * for few evaluation steps (paths rather than $map with lambdas, the signed headers only when named):
 * it runs for every call, and many calls at once share the evaluation time limit's wall clock.
 */
const SIGN = `(
  $signatureHeaders := $lookup($headers, "signature-headers");
  $signedHeaders := $signatureHeaders
    ? $join($split($signatureHeaders, ":")[$ != ""].($ & ":" & $lookup($headers, $lowercase($)) & "\\n"))
    : "";
  $names := $keys($query);
  $urlPart := $names
    ? $path & "?" & $join($sort($names).($name := $; $lookup($query, $name).($name & "=" & $)), "&")
    : $path;
  $accessToken := $purpose = "api" ? $token : "";
  $stringToSign := $method & "\\n" & $sha256($body) & "\\n" & $signedHeaders & "\\n" & $urlPart;
  {
    "headers": {
      "client_id": $key,
      "t": $string($timestamp),
      "nonce": $nonce,
      "sign_method": "HMAC-SHA256",
      "sign": $uppercase($hmacSha256($secret, $key & $accessToken & $timestamp & $nonce & $stringToSign)),
      "access_token": $purpose = "api" ? $token
    }
  }
)`;

/** Tuya's answers, token or API: HTTP 200 and success true, or `{code, msg, success: false}`. */
const SUCCESS = "statusCode = 200 and body.success = true";

export const tuya: Preset = {
  id: "tuya",
  vendor: PRESET_VENDORS.tuya,
  fields: {
    method: "GET",
    bodyType: "none",
    request: '{"query": {"grant_type": "1"}}',
    token: "body.result.access_token",
    // Some of Tuya's pages name it `expire`; its samples and the connectors say `expire_time`.
    expiresIn: "body.result.expire_time ? body.result.expire_time : body.result.expire",
    ok: SUCCESS,
    errorCode: "body.code",
    // Tuya says only "sign invalid" for a wrong Access Secret: the hint says which credential to check.
    errorMessage:
      'body.msg & (body.code = 1004 ? " (check the Access Secret)" : body.code = 1005 ? " (check the Access ID)" : "")',
    refreshToken: "body.result.refresh_token",
    refreshRequest: '{"method": "GET", "url": "/v1.0/token/" & $refreshToken}',
    sign: SIGN,
    authHeader: "",
    // 1010 token is expired; 1011 token invalid and 1012 token status invalid also mean "get a new one".
    apiExpired: "body.success = false and body.code in [1010, 1011, 1012]",
    apiOk: SUCCESS,
    apiErrorCode: "body.code",
    apiErrorMessage: "body.msg",
  },
  // One host per data center; a project's devices answer only on its own.
  regions: {
    china: { tokenUrl: "https://openapi.tuyacn.com/v1.0/token", apiUrl: "https://openapi.tuyacn.com" },
    "western-america": { tokenUrl: "https://openapi.tuyaus.com/v1.0/token", apiUrl: "https://openapi.tuyaus.com" },
    "eastern-america": {
      tokenUrl: "https://openapi-ueaz.tuyaus.com/v1.0/token",
      apiUrl: "https://openapi-ueaz.tuyaus.com",
    },
    "central-europe": { tokenUrl: "https://openapi.tuyaeu.com/v1.0/token", apiUrl: "https://openapi.tuyaeu.com" },
    "western-europe": {
      tokenUrl: "https://openapi-weaz.tuyaeu.com/v1.0/token",
      apiUrl: "https://openapi-weaz.tuyaeu.com",
    },
    india: { tokenUrl: "https://openapi.tuyain.com/v1.0/token", apiUrl: "https://openapi.tuyain.com" },
    singapore: { tokenUrl: "https://openapi-sg.iotbing.com/v1.0/token", apiUrl: "https://openapi-sg.iotbing.com" },
  },
  params: [],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION.tuya,
  listCall: { method: "GET", path: "/v2.0/devices?size=20" },
};
