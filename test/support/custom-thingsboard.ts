// ThingsBoard's login and refresh written as custom provider fields (a login that answers an access
// and a refresh token, a refresh request with the refresh token): for suites that need a cloud
// whose refresh tokens rotate.
export const THINGSBOARD_CUSTOM = {
  method: "POST",
  bodyType: "json",
  request: '{"body": {"username": $key, "password": $secret}}',
  token: "body.token",
  expiresIn: "",
  lifetime: 3600,
  refreshToken: "body.refreshToken",
  refreshRequest: '{"url": "/api/auth/token", "body": {"refreshToken": $refreshToken}}',
  authHeader: "X-Authorization",
  authValue: '"Bearer " & $token',
};
