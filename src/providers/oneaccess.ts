// Huawei Cloud OneAccess: POST /api/v2/tenant/token, form-encoded client credentials
// (docs/vendors/oneaccess.md). Two error shapes: {error_code, error_msg} on 400 and
// the OAuth2 {error, error_description} for bad clients.
import { TokenError } from "../errors";
import { bearerHeaders, bearerVerdict } from "./api-answer";
import { codeOf, hints, httpError, isTransientStatus, parseJsonOrHttpError, textOf, validToken } from "./parse";
import { accountParts, headerAuthorize } from "./bound";
import type {
  SyncBoundProvider,
  ConfigProperties,
  Credentials,
  ParsedToken,
  RawResponse,
  TokenRequest,
  VendorAdapter,
  PageConvention,
} from "./types";
import { API_HOSTS, baseUrlSetting, joinUrl } from "./url";

const VENDOR = "OneAccess";
/**
 * OAuth2 error codes with a hint of their own (errors.oneaccess.<code>), and one hint for all of
 * OneAccess's own codes (`{error_code: "USER.0033", error_msg}` on 400), whose message names the bad value.
 */
const HINTS = hints("oneaccess", [
  "invalid_client",
  "unsupported_grant_type",
  "invalid_request",
  "invalid_token",
  "user-error",
]);
const USER_CODE = /^USER\.\d+$/;

/**
 * The tenant API's lists (docs/vendors/oneaccess.md): `offset` (from 0) and `limit` (default 10)
 * in the query, the answer's `total` beside the list (users: `users`); the next offset follows
 * the items received until it reaches the total (or a page comes back empty).
 */
const PAGES: PageConvention = {
  items: "payload.users",
  nextPage: `(
  $offset := request.query.offset ? $number(request.query.offset) : 0;
  $received := $count(response.body.users);
  $received > 0 and $offset + $received < response.body.total
    ? {"query": {"offset": $string($offset + $received)}}
)`,
};

export const oneaccess: VendorAdapter<"oneaccess"> = {
  id: "oneaccess",
  configType: "oneaccess-credentials",
  form: { urlProperty: "baseUrl", apiUrlProperty: "baseUrl", defaultBaseUrl: "", properties: [API_HOSTS] },
  vendor: VENDOR,
  credentialFields: ["clientId", "clientSecret"],
  secretFields: ["clientSecret"],
  hints: HINTS.keys,
  signsApiCalls: false,

  /** The settings of a vendor are its base URL. */
  settings(config: ConfigProperties) {
    return baseUrlSetting(VENDOR, config);
  },

  bind(baseUrl: string, credentials: Credentials): SyncBoundProvider {
    return {
      ...accountParts(oneaccess, credentials),
      accountId: `oneaccess ${joinUrl(baseUrl, "")} ${credentials.clientId ?? ""}`,
      tokenRequest: () => tokenRequest(baseUrl, credentials),
      parseToken,
      authorize: headerAuthorize(bearerHeaders),
      judgeApiResponse: bearerVerdict,
      pagination: PAGES,
    };
  },
};

function tokenRequest(baseUrl: string, credentials: Credentials): TokenRequest {
  const form = new URLSearchParams({
    client_id: credentials.clientId ?? "",
    client_secret: credentials.clientSecret ?? "",
    grant_type: "client_credentials",
  });
  return {
    method: "POST",
    url: joinUrl(baseUrl, "/api/v2/tenant/token"),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: form.toString(),
    secrets: [credentials.clientSecret ?? "", form.toString()],
  };
}

function parseToken(response: RawResponse): ParsedToken {
  const body = parseJsonOrHttpError(VENDOR, response);
  const code = codeOf(body.error_code) ?? codeOf(body.error);
  if (isTransientStatus(response.status)) throw httpError(VENDOR, response, undefined, code);
  if (code !== undefined) {
    throw new TokenError({
      kind: "vendor",
      vendor: VENDOR,
      key: HINTS.forCode(USER_CODE.test(code) ? "user-error" : code) ?? "vendor-code",
      code,
      httpStatus: response.status,
      params: { msg: textOf(body.error_msg) ?? textOf(body.error_description) ?? "" },
    });
  }
  if (response.status !== 200) throw httpError(VENDOR, response);
  return validToken(VENDOR, response, body.access_token, body.expires_in, {
    token: "access_token",
    expiry: "expires_in",
  });
}
