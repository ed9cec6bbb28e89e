// EnOS API gateway calls: every request is signed, and the simulator checks the signature the way
// the gateway does, so a client that signs wrongly fails here and not only in production.
import { assetOf, devicesOf, type Device } from "./data";
import { isReply, json, parseJsonObject, requestId, sha256Hex } from "./http-util";
import type { SimState } from "./state";
import { TIMESTAMP_WINDOW_MS } from "./enos-token";
import type { EnosAccount, Reply, SimRequest } from "./types";

export function apiReply(
  code: number | string,
  msg: string,
  data: unknown = null,
  httpStatus = 200,
  extra: object = {},
): Reply {
  return json(httpStatus, { code, msg, requestId: requestId(), data, ...extra });
}

/** Query parameters sorted by name (byte order of UTF-8 = ASCII order), as `k1v1k2v2...`. */
export function paramsData(url: URL): string {
  const pairs = [...url.searchParams];
  pairs.sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  return pairs.map(([k, v]) => k + v).join("");
}

/** sha256(accessToken + paramsData + timestamp + appSecret), paramsData ending with the raw body bytes. */
export function enosSignature(token: string, url: URL, body: Buffer, timestamp: string, appSecret: string): string {
  return sha256Hex([Buffer.from(token + paramsData(url), "utf8"), body, Buffer.from(timestamp + appSecret, "utf8")]);
}

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The account behind a correctly signed request, or the gateway's refusal. */
function authorize(state: SimState, req: SimRequest): EnosAccount | Reply {
  const token = header(req, "apim-accesstoken");
  if (!token) return apiReply(401, "missing header apim-accesstoken", null, 401);
  const rec = state.find("enos", token);
  const account = rec && state.enos.get(rec.accountId);
  if (!rec || !account) return apiReply(401, "invalid access token", null, 401);
  if (state.isExpired(rec)) return apiReply(1203, "token expired");
  const timestamp = header(req, "apim-timestamp");
  const signature = header(req, "apim-signature");
  if (!timestamp || !signature)
    return apiReply(401, "invalid signature: missing apim-timestamp or apim-signature", null, 401);
  if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - state.vendorNow()) > TIMESTAMP_WINDOW_MS) {
    return apiReply(401, "invalid signature: apim-timestamp is out of range", null, 401);
  }
  if (signature !== enosSignature(token, req.url, req.body, timestamp, account.appSecret)) {
    return apiReply(401, "invalid signature", null, 401);
  }
  return account;
}

/** orgId must be the caller's; returns an error reply or undefined when fine. */
function checkOrg(account: EnosAccount, url: URL): Reply | undefined {
  const orgId = url.searchParams.get("orgId");
  if (!orgId) return apiReply(99400, "invalid argument: orgId is required");
  if (orgId !== account.orgId) return apiReply(99403, `no permission for organization ${orgId}`);
  return undefined;
}

function findDevice(account: EnosAccount, url: URL, action: string): Device | Reply {
  if (url.searchParams.get("action") !== action) return apiReply(99400, `invalid argument: action must be ${action}`);
  const orgError = checkOrg(account, url);
  if (orgError) return orgError;
  const assetId = url.searchParams.get("assetId");
  if (!assetId) return apiReply(99400, "invalid argument: assetId is required");
  const device = devicesOf(account.orgId, account.assetId).find((d) => d.assetId === assetId);
  return device ?? apiReply(99404, `asset not found: ${assetId}`);
}

function searchDevices(state: SimState, account: EnosAccount, req: SimRequest): Reply {
  if (req.url.searchParams.get("action") !== "search")
    return apiReply(99400, "invalid argument: action must be search");
  const orgError = checkOrg(account, req.url);
  if (orgError) return orgError;
  const body = req.body.length === 0 ? {} : parseJsonObject(req.body);
  if (!body) return apiReply(99400, "invalid argument: request body is not a JSON object");
  const p = (body.pagination ?? {}) as Record<string, unknown>;
  const pageNo = p.pageNo ?? 1;
  const pageSize = p.pageSize ?? 10;
  if (
    !Number.isInteger(pageNo) ||
    (pageNo as number) < 1 ||
    !Number.isInteger(pageSize) ||
    (pageSize as number) < 1 ||
    (pageSize as number) > 1000
  ) {
    return apiReply(99400, "invalid argument: pagination");
  }
  const no = pageNo as number;
  const size = pageSize as number;
  const total = state.listSizes.enos;
  return apiReply(0, "OK", devicesOf(account.orgId, account.assetId, total, (no - 1) * size, no * size), 200, {
    pagination: { pageNo: no, pageSize: size, totalSize: total, sortedBy: null },
  });
}

export function handleApi(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  if (req.endpoint === "enos.device_search") return searchDevices(state, account, req);
  const found = findDevice(account, req.url, "get");
  if (isReply(found)) return found;
  return apiReply(0, "OK", req.endpoint === "enos.asset" ? assetOf(found) : found);
}
