// Huawei Cloud IoTDA's application API (docs/vendors/huawei-iam.md): list devices under
// /v5/iot/{project_id}/devices, authorised by the IAM token in X-Auth-Token or, instead, by an
// AK/SK signature. Refusals come from the API gateway (APIG.0301, HTTP 401) or from IoTDA itself
// (`{error_code: "IOTDA.xxxxxx", error_msg}` with a 4xx status).
import { huaweiDevicesOf } from "./cloud-data";
import { iamTime } from "./huawei-iam-token";
import {
  huaweiCanonicalRequest,
  huaweiSignature,
  huaweiStringToSign,
  parseHuaweiAuthorization,
  parseHuaweiSdkDate,
} from "./huawei-signing";
import { intParam, isReply, json, randomHex } from "./http-util";
import type { SampleToken } from "./provider";
import type { SimState } from "./state";
import type { HuaweiIamAccount, Reply, SimRequest } from "./types";

/** How far X-Sdk-Date may be from the vendor's clock (15 minutes, as the signing guide's replay window). */
export const SDK_DATE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_LIMIT = 50;
export const MAX_OFFSET = 500;
/** The marker of the first page: every record id is smaller. */
const FIRST_MARKER = "f".repeat(24);

/** The API gateway's refusal: APIG.0301 with the reason after IAM's prefix. */
export function apigRefusal(reason: string): Reply {
  return json(401, {
    error_msg: `Incorrect IAM authentication information: ${reason}`,
    error_code: "APIG.0301",
    request_id: randomHex(16),
  });
}

function iotdaError(status: number, code: string, msg: string): Reply {
  return json(status, { error_code: code, error_msg: msg });
}

const invalidInput = (what: string) => iotdaError(400, "IOTDA.000006", `Invalid input data: ${what}`);

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}

/** The IAM user behind an AK/SK-signed call, or the gateway's refusal. */
function signedAccount(state: SimState, req: SimRequest, authorization: string): HuaweiIamAccount | Reply {
  const auth = parseHuaweiAuthorization(authorization);
  if (!auth) return apigRefusal("verify aksk signature fail");
  const account = [...state.accounts["huawei-iam"].values()].find((a) => a.accessKey === auth.accessKey);
  if (!account) return apigRefusal(`Get secretKey failed,ak:${auth.accessKey},err:ak not exist`);
  const sdkDate = header(req, "x-sdk-date");
  const signedAt = sdkDate === undefined ? undefined : parseHuaweiSdkDate(sdkDate);
  // X-Sdk-Date must be signed and fresh; the gateway gives no separate reason for either.
  if (!sdkDate || signedAt === undefined || !auth.signedHeaders.includes("x-sdk-date")) {
    return apigRefusal("verify aksk signature fail");
  }
  if (Math.abs(signedAt - state.vendorNow()) > SDK_DATE_WINDOW_MS) return apigRefusal("verify aksk signature fail");
  const canonical = huaweiCanonicalRequest({
    method: req.method,
    path: decodedPath(req.url),
    query: [...req.url.searchParams],
    headers: req.headers as Record<string, string | undefined>,
    signedHeaders: auth.signedHeaders,
    body: req.body,
  });
  const expected = huaweiSignature(account.secretKey, huaweiStringToSign(sdkDate, canonical));
  return auth.signature === expected ? account : apigRefusal("verify aksk signature fail");
}

/** The IAM user behind the call: X-Auth-Token, or an AK/SK signature in Authorization. */
function authorize(state: SimState, req: SimRequest): HuaweiIamAccount | Reply {
  const authorization = header(req, "authorization");
  if (authorization?.startsWith("SDK-HMAC-SHA256 ")) return signedAccount(state, req, authorization);
  const token = header(req, "x-auth-token");
  if (!token) return apigRefusal("x-auth-token not found");
  const rec = state.find("huawei-iam", token);
  const account = rec && state.account("huawei-iam", rec.accountId);
  if (!rec || !account) return apigRefusal("decrypt token fail");
  if (state.isExpired(rec)) {
    return apigRefusal(`token expires, expires_at: ${iamTime(rec.expiresAt + state.clockSkewMs)}`);
  }
  return account;
}

/** GET /v5/iot/{project_id}/devices?limit=..&marker=..&offset=..[&product_id=..]: newest first, paged by marker. */
export function iotdaDevices(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  const projectId = req.url.pathname.split("/")[3];
  if (projectId !== account.projectId) return iotdaError(401, "IOTDA.000002", "The request is unauthorized.");
  const limit = intParam(req.url, "limit", 10);
  const offset = intParam(req.url, "offset", 0);
  const marker = (req.url.searchParams.get("marker") || FIRST_MARKER).toLowerCase();
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) return invalidInput(`limit must be 1..${MAX_LIMIT}`);
  if (offset === undefined || offset > MAX_OFFSET) return invalidInput(`offset must be 0..${MAX_OFFSET}`);
  if (!/^[0-9a-f]{24}$/.test(marker)) return invalidInput("marker must be 24 hex digits");
  const productId = req.url.searchParams.get("product_id");
  const matching = huaweiDevicesOf(account.projectId).filter((d) => !productId || d.device.product_id === productId);
  // Equal-length lower-case hex compares as the numbers do.
  const page = matching.filter((d) => d.recordId < marker).slice(offset, offset + limit);
  return json(200, {
    devices: page.map((d) => d.device),
    page: { count: matching.length, marker: page.at(-1)?.recordId ?? marker },
  });
}

export function iotdaSample(state: SimState, t: SampleToken): unknown {
  if (t === null) return {};
  const all = huaweiDevicesOf(state.demo["huawei-iam"].projectId);
  return { devices: all.slice(0, 10).map((d) => d.device), page: { count: all.length, marker: all[9].recordId } };
}

export function iotdaVendorError(
  code: string | number,
  msg: string | undefined,
  httpStatus: number | undefined,
): Reply {
  const text = msg ?? "simulated vendor error";
  if (code === "APIG.0301") return { ...apigRefusal(text), status: httpStatus ?? 401 };
  return iotdaError(httpStatus ?? 400, String(code), text);
}
