// EnOS API gateway: POST /apim-token-service/v2.0/token/get with a SHA-256 "encryption" of
// appKey + timestamp + appSecret (docs/vendors/enos.md). API calls are signed
// per request with the app secret (the same page), so signing lives here, next to the secret's use.
import { createHash } from "node:crypto";
import { TokenError } from "../errors";
import { codeInBodyVerdict } from "./api-answer";
import { asRecord, codeOf, hints, httpError, parseJsonObject, textOf, validToken } from "./parse";
import { accountParts, headerAuthorize } from "./bound";
import type {
  ApiVerdict,
  SyncBoundProvider,
  ConfigProperties,
  Credentials,
  ParsedToken,
  RawResponse,
  TokenRequest,
  VendorAdapter,
  VendorRequest,
  PageConvention,
} from "./types";
import { API_HOSTS, baseUrlSetting, joinUrl } from "./url";

const VENDOR = "EnOS";
/**
 * Token-service status codes with a hint of their own (errors.enos.<code>), and the gateway's HTTP
 * errors documented in EnOS "getting started" (errors.enos.http<status>).
 */
const HINTS = hints("enos", ["1001", "1002", "1003", "1004", "1005", "1202", "1203", "1204", "http401", "http403"]);

export function sha256Hex(parts: Array<string | Uint8Array>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

/** EnOS paramsData: query parameters sorted by name (ASCII), concatenated as k1v1k2v2... */
export function sortedParams(url: string): string {
  const entries = [...new URL(url).searchParams.entries()];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([name, value]) => name + value).join("");
}

/**
 * The search calls' paging (docs/vendors/enos.md): the body's pagination {pageNo (from 1),
 * pageSize}, echoed in the answer with its totalSize beside the data list; the body is sent again
 * with the next pageNo until pageNo * pageSize reaches totalSize (or a page comes back empty).
 */
const PAGES: PageConvention = {
  items: "payload.data",
  nextPage: `(
  $p := response.body.pagination;
  $count(response.body.data) > 0 and $p.pageNo * $p.pageSize < $p.totalSize
    ? {"body": $merge([request.body, {"pagination": $merge([request.body.pagination, {"pageNo": $p.pageNo + 1}])}])}
)`,
};

export const enos: VendorAdapter<"enos"> = {
  id: "enos",
  configType: "enos-credentials",
  form: { urlProperty: "baseUrl", apiUrlProperty: "baseUrl", defaultBaseUrl: "", properties: [API_HOSTS] },
  vendor: VENDOR,
  credentialFields: ["appKey", "appSecret"],
  secretFields: ["appSecret"],
  hints: HINTS.keys,
  signsApiCalls: true,

  /** The settings of a vendor are its base URL. */
  settings(config: ConfigProperties) {
    return baseUrlSetting(VENDOR, config);
  },

  bind(baseUrl: string, credentials: Credentials): SyncBoundProvider {
    return {
      ...accountParts(enos, credentials),
      accountId: `enos ${joinUrl(baseUrl, "")} ${credentials.appKey ?? ""}`,
      tokenRequest: (now) => tokenRequest(baseUrl, credentials, now),
      parseToken,
      authorize: headerAuthorize((token, call, now) => signedHeaders(token, call, now, credentials.appSecret ?? "")),
      judgeApiResponse,
      pagination: PAGES,
    };
  },
};

function tokenRequest(baseUrl: string, credentials: Credentials, now: number): TokenRequest {
  const appKey = credentials.appKey ?? "";
  const appSecret = credentials.appSecret ?? "";
  // A fresh millisecond timestamp every request: EnOS refuses a reused encryption (1001).
  const timestamp = Math.floor(now);
  const encryption = sha256Hex([appKey + timestamp + appSecret]);
  return {
    method: "POST",
    url: joinUrl(baseUrl, "/apim-token-service/v2.0/token/get"),
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ appKey, encryption, timestamp }),
    secrets: [appSecret],
  };
}

function parseToken(response: RawResponse): ParsedToken {
  if (response.status !== 200) {
    const hint = HINTS.forCode(`http${response.status}`);
    if (hint) throw new TokenError({ kind: "http", vendor: VENDOR, key: hint, httpStatus: response.status });
    throw httpError(VENDOR, response);
  }
  const body = parseJsonObject(VENDOR, response);
  const status = codeOf(body.status);
  if (status === undefined) {
    throw new TokenError({
      kind: "response",
      vendor: VENDOR,
      key: "no-code",
      httpStatus: response.status,
      params: { field: "status" },
    });
  }
  if (status !== "0") {
    throw new TokenError({
      kind: "vendor",
      vendor: VENDOR,
      key: HINTS.forCode(status) ?? "vendor-code",
      code: status,
      httpStatus: response.status,
      params: { msg: textOf(body.msg) ?? "" },
    });
  }
  const data = asRecord(body.data) ?? {};
  return validToken(VENDOR, response, data.accessToken, data.expire, {
    token: "data.accessToken",
    expiry: "data.expire",
  });
}

/** Every API call is signed over the token, its sorted query, the exact body bytes, a timestamp and the secret. */
function signedHeaders(token: string, call: VendorRequest, now: number, appSecret: string): Record<string, string> {
  const timestamp = String(Math.floor(now));
  const body = call.body ?? "";
  const signature = sha256Hex([token, sortedParams(call.url), body, timestamp, appSecret]);
  return { "apim-accesstoken": token, "apim-timestamp": timestamp, "apim-signature": signature };
}

function judgeApiResponse(response: RawResponse): ApiVerdict {
  // 1203 "token expired" in the body; the gateway answers 401 for a token it does not know.
  return codeInBodyVerdict(response, {
    codeField: "code",
    messageField: "msg",
    rejectedCodes: ["1203"],
    rejectedStatuses: [401],
  });
}
