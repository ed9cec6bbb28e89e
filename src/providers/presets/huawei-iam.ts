// Huawei Cloud IoTDA with an IAM user token (docs/vendors/huawei-iam.md): the password token request
// names the account (domain) and the project, which $params hold; IAM answers 201 with the token in
// the X-Subject-Token response header, and IoTDA calls send it in X-Auth-Token. Nothing is signed,
// and there is no refresh token: an expired token (401 APIG.0301) is asked for again.
import { PRESET_VENDORS } from "../preset-ids";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

/** The password method; the project by its id (32 hex digits) or its name (such as cn-north-4). */
const REQUEST = `{
  "query": {"nocatalog": "true"},
  "body": {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {"name": $key, "password": $secret, "domain": {"name": $params.domain}}}},
    "scope": {"project": $contains($params.project, /^[0-9a-f]{32}$/) ? {"id": $params.project} : {"name": $params.project}}
  }}
}`;

export const huaweiIam: Preset = {
  id: "huawei-iam",
  vendor: PRESET_VENDORS["huawei-iam"],
  fields: {
    method: "POST",
    bodyType: "json",
    request: REQUEST,
    token: 'headers."x-subject-token"',
    // The 24 hours IAM states (expires_at - issued_at), counted from the answer: right whatever this server's clock says.
    expiresIn: "($toMillis(body.token.expires_at) - $toMillis(body.token.issued_at)) / 1000",
    ok: 'statusCode = 201 and $exists(headers."x-subject-token")',
    // IAM's refusals are OpenStack's {error: {code, message, title}}; the API gateway's {error_code, error_msg}.
    errorCode: "body.error_code ? body.error_code : body.error.code",
    errorMessage:
      '(body.error_msg ? body.error_msg : body.error.message) & (statusCode = 401 ? " (check the IAM user, its password and the account (domain) name)" : "")',
    authHeader: "X-Auth-Token",
    authValue: "$token",
    // APIG.0301: the token is expired or no longer valid. IOTDA.000002 (another project's path) is not.
    apiExpired: 'statusCode = 401 and body.error_code = "APIG.0301"',
    apiOk: "statusCode < 400",
    apiErrorCode: "body.error_code",
    apiErrorMessage: "body.error_msg",
  },
  // The basic edition's shared endpoint; Huawei's SDK names this region's (standard and enterprise
  // instances have their own endpoint, shown in the console: a custom API URL).
  regions: {
    "cn-north-4": {
      tokenUrl: "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens",
      apiUrl: "https://iotda.cn-north-4.myhuaweicloud.com",
    },
  },
  params: ["domain", "project"],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION["huawei-iam"],
  listCall: { method: "GET", path: "/v5/iot/YOUR_PROJECT_ID/devices?limit=10" },
};
