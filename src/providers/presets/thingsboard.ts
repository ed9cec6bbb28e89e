// ThingsBoard's REST API (docs/vendors/thingsboard.md): a login with username and password answers a
// JWT pair in the body; calls send `X-Authorization: Bearer <token>`; a refresh token brings a new
// pair without a login. Nothing is signed. Errors are {status, message, errorCode}.
import { PRESET_VENDORS } from "../preset-ids";
import { PRESET_PAGINATION } from "../preset-pagination";
import type { Preset } from "./types";

export const thingsboard: Preset = {
  id: "thingsboard",
  vendor: PRESET_VENDORS.thingsboard,
  fields: {
    method: "POST",
    bodyType: "json",
    request: '{"body": {"username": $key, "password": $secret}}',
    token: "body.token",
    // No expiry field: the JWT's own (exp - iat, 9000 s by default), right whatever this server's clock says.
    expiresIn: "($claims := $jwtClaims(body.token); $claims.exp - $claims.iat)",
    ok: "statusCode < 300",
    errorCode: "body.errorCode",
    errorMessage: 'body.message & (body.errorCode = 10 ? " (check the user name and password)" : "")',
    refreshToken: "body.refreshToken",
    refreshRequest: '{"url": "/api/auth/token", "body": {"refreshToken": $refreshToken}}',
    authHeader: "X-Authorization",
    authValue: '"Bearer " & $token',
    // 401 errorCode 11 "Token has expired", or 10 for a token it no longer knows: get a new one.
    apiExpired: "statusCode = 401",
    apiOk: "statusCode < 400",
    apiErrorCode: "body.errorCode",
    apiErrorMessage: "body.message",
  },
  // The hosted servers; a self-hosted one (http(s)://host:8080) is a custom URL.
  regions: {
    cloud: { tokenUrl: "https://thingsboard.cloud/api/auth/login", apiUrl: "https://thingsboard.cloud" },
    "eu-cloud": { tokenUrl: "https://eu.thingsboard.cloud/api/auth/login", apiUrl: "https://eu.thingsboard.cloud" },
    demo: { tokenUrl: "https://demo.thingsboard.io/api/auth/login", apiUrl: "https://demo.thingsboard.io" },
  },
  params: [],
  // How its list calls page: shipped with the runtime (src/providers/preset-pagination.ts).
  pagination: PRESET_PAGINATION.thingsboard,
  listCall: { method: "GET", path: "/api/tenant/devices?pageSize=10&page=0" },
};
