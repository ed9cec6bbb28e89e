// EZVIZ / Ys7 open platform (docs/vendors/ezviz.md): AppKey + AppSecret as a form -> accessToken with
// an absolute expiry in ms and the account's API host (`data.areaDomain`, which apiBase follows);
// every call a form POST carrying the token as the `accessToken` form field (put there by sign: no
// auth header); answers are HTTP 200 with a string `code`, "10002" being the expiry.
import { PRESET_VENDORS } from "../preset-ids";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

/** Our hints after EZVIZ's words, for the codes that mean wrong credentials. */
const CREDENTIAL_HINTS = `{
  "10005": " (the AppKey is frozen: see the EZVIZ open platform console)",
  "10017": " (check the AppKey)",
  "10030": " (check the AppSecret: it must be the one issued with this AppKey)"
}`;

export const ezviz: Preset = {
  id: "ezviz",
  vendor: PRESET_VENDORS.ezviz,
  fields: {
    method: "POST",
    bodyType: "form",
    request: '{"body": {"appKey": $key, "appSecret": $secret}}',
    token: "body.data.accessToken",
    // expireTime is an absolute time in ms; $timestamp is when the answer arrived.
    expiresIn: "(body.data.expireTime - $timestamp) / 1000",
    ok: 'statusCode = 200 and body.code = "200"',
    errorCode: "body.code",
    errorMessage: `body.msg ? body.msg & $lookup(${CREDENTIAL_HINTS}, $string(body.code))`,
    // The token is valid only on the account's regional host; China's answer may name none (the API URL then).
    apiBase: "body.data.areaDomain",
    // The token is a form field of every call. A call that is no form would reach EZVIZ without it
    // (its answer: 10001, "parameter empty"): say what to send instead.
    sign: `$purpose = "api" ? (
  $contains($string($headers."content-type"), "application/x-www-form-urlencoded")
    ? {"body": {"accessToken": $token}}
    : $error("EZVIZ calls are forms: set msg.headers to {\\"content-type\\": \\"application/x-www-form-urlencoded\\"} and msg.payload to the fields (an object)")
)`,
    authHeader: "",
    apiExpired: 'body.code = "10002"',
    apiOk: 'statusCode < 300 and body.code = "200"',
    apiErrorCode: "body.code",
    apiErrorMessage: "body.msg",
  },
  regions: {
    // Mainland China: token and API on one host.
    cn: { tokenUrl: "https://open.ys7.com/api/lapp/token/get", apiUrl: "https://open.ys7.com" },
    // Elsewhere: one token host; the calls go to the host the token answer names (areaDomain).
    international: {
      tokenUrl: "https://open.ezvizlife.com/api/lapp/token/get",
      apiUrl: "https://open.ezvizlife.com",
    },
  },
  params: [],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION.ezviz,
  listCall: { method: "POST", path: "/api/lapp/device/list" },
};
