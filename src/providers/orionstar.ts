// OrionStar robot open platform: GET /v1/auth/get_token with appid and secret in the query
// string (docs/vendors/orionstar.md). Errors come as HTTP 200 with a non-zero `code`.
import { TokenError } from "../errors";
import { bearerHeaders, codeInBodyVerdict } from "./api-answer";
import {
  asRecord,
  codeOf,
  hints,
  httpError,
  isTransientStatus,
  parseJsonOrHttpError,
  textOf,
  validToken,
} from "./parse";
import { accountParts, headerAuthorize } from "./bound";
import type {
  ApiVerdict,
  SyncBoundProvider,
  ConfigProperties,
  Credentials,
  ParsedToken,
  RawResponse,
  PageConvention,
  TokenRequest,
  VendorAdapter,
} from "./types";
import { API_HOSTS, baseUrlSetting, joinUrl } from "./url";

const VENDOR = "OrionStar";
/** Codes with a hint of their own in the message catalog (errors.orionstar.<code>); 101009-acl is 101009 said of an ACL. */
const HINTS = hints("orionstar", ["101002", "101009", "101009-acl", "101024", "101025"]);

/**
 * robot_list's paging: `page` (from 1) and `page_rows` (default 1) in the query, the answer's
 * data {total_count, robot_list}; the last page is the one that reaches the total, or an empty list.
 */
const PAGES: PageConvention = {
  items: "payload.data.robot_list",
  nextPage: `(
  $page := request.query.page ? $number(request.query.page) : 1;
  $rows := request.query.page_rows ? $number(request.query.page_rows) : 1;
  $data := response.body.data;
  $count($data.robot_list) > 0 and ($exists($data.total_count) ? $page * $rows < $data.total_count : true)
    ? {"query": {"page": $string($page + 1), "page_rows": $string($rows)}}
)`,
};

export const orionstar: VendorAdapter<"orionstar"> = {
  id: "orionstar",
  configType: "orionstar-credentials",
  form: {
    urlProperty: "baseUrl",
    apiUrlProperty: "baseUrl",
    defaultBaseUrl: "https://global-openapi.orionstar.com",
    // One host per region (docs/vendors/orionstar.md); the editor's region picker offers these.
    regions: {
      china: "https://openapi.orionstar.com",
      europe: "https://global-openapi.orionstar.com",
      usa: "https://us-openapi.orionstar.com",
      japan: "https://jp-openapi.orionstar.com",
    },
    properties: [API_HOSTS],
  },
  vendor: VENDOR,
  credentialFields: ["appid", "secret"],
  secretFields: ["secret"],
  hints: HINTS.keys,
  signsApiCalls: false,

  /** The settings of a vendor are its base URL. */
  settings(config: ConfigProperties) {
    return baseUrlSetting(VENDOR, config);
  },

  bind(baseUrl: string, credentials: Credentials): SyncBoundProvider {
    return {
      ...accountParts(orionstar, credentials),
      accountId: `orionstar ${joinUrl(baseUrl, "")} ${credentials.appid ?? ""}`,
      tokenRequest: () => tokenRequest(baseUrl, credentials),
      parseToken,
      authorize: headerAuthorize(bearerHeaders),
      judgeApiResponse,
      pagination: PAGES,
    };
  },
};

function tokenRequest(baseUrl: string, credentials: Credentials): TokenRequest {
  const query = new URLSearchParams({
    appid: credentials.appid ?? "",
    secret: credentials.secret ?? "",
    grant_type: "client_credential",
  });
  return {
    method: "GET",
    url: `${joinUrl(baseUrl, "/v1/auth/get_token")}?${query.toString()}`,
    headers: { accept: "application/json" },
    // The secret travels in the URL: the whole query string is secret material.
    secrets: [credentials.secret ?? "", query.toString()],
  };
}

function parseToken(response: RawResponse): ParsedToken {
  const body = parseJsonOrHttpError(VENDOR, response);
  const requestId = textOf(body.req_id);
  // The 2021-22 API generation said `ret` where the current one says `code`.
  const code = codeOf(body.code ?? body.ret);
  if (isTransientStatus(response.status)) throw httpError(VENDOR, response, requestId, code);
  if (code !== undefined && code !== "0") {
    const msg = textOf(body.msg) ?? "";
    throw new TokenError({
      kind: "vendor",
      vendor: VENDOR,
      key: HINTS.forCode(code === "101009" && /acl|corp/i.test(msg) ? "101009-acl" : code) ?? "vendor-code",
      code,
      httpStatus: response.status,
      requestId,
      params: { msg },
    });
  }
  if (response.status !== 200) throw httpError(VENDOR, response, requestId);
  if (code === undefined) {
    throw new TokenError({
      kind: "response",
      vendor: VENDOR,
      key: "no-code",
      httpStatus: response.status,
      requestId,
      params: { field: "code" },
    });
  }
  const data = asRecord(body.data) ?? {};
  // Older answers named the lifetime `expires_in` (as a string); current ones `expire_in`.
  return validToken(
    VENDOR,
    response,
    data.access_token,
    data.expire_in ?? data.expires_in,
    {
      token: "data.access_token",
      expiry: "data.expire_in",
    },
    requestId,
  );
}

function judgeApiResponse(response: RawResponse): ApiVerdict {
  // 101024 "access_token expire" comes with HTTP 200; 101002 also covers "token not passed".
  return codeInBodyVerdict(response, { codeField: "code", messageField: "msg", rejectedCodes: ["101024"] });
}
