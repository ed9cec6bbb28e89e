// Alibaba Cloud IoT Platform's RPC API (docs/vendors/aliyun-iot.md): no token; every request
// carries its AccessKeyId and a Signature over all its parameters (query, or a form body for
// POST). The gateway refuses with a 4xx and `{RequestId, HostId, Code, Message}`; the IoT layer
// answers HTTP 200 with `Success`.
import { aliyunReply } from "./aliyun-iot-reply";
import {
  aliyunSignature,
  aliyunStringToSign,
  ALIYUN_SIGNATURE_METHOD,
  ALIYUN_SIGNATURE_VERSION,
} from "./aliyun-iot-signing";
import { aliyunDevicesOf } from "./cloud-data";
import { isReply, mediaType, requestId } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { AliyunIotAccount, Reply, SimRequest } from "./types";

/** How far Timestamp may be from the vendor's clock, and how long a SignatureNonce is remembered. */
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;
export const QUERY_DEVICE_VERSION = "2018-01-20";
export const MAX_PAGE_SIZE = 50;
/** Past this PageSize x CurrentPage, QueryDevice wants NextToken. */
export const NEXT_TOKEN_THRESHOLD = 10_000;

const COMMON_PARAMETERS = [
  "Action",
  "Version",
  "AccessKeyId",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "Timestamp",
  "Signature",
] as const;

/** Gateway codes: [HTTP status, Message]. */
export const GATEWAY_ERRORS = {
  IncompleteSignature: [400, "The request signature does not conform to Aliyun standards."],
  "InvalidTimeStamp.Format": [400, "Specified time stamp or date value is not well formatted."],
  "InvalidTimeStamp.Expired": [400, "Specified time stamp or date value is expired."],
  "InvalidAccessKeyId.NotFound": [404, "Specified access key is not found."],
  SignatureDoesNotMatch: [400, "Specified signature is not matched with our calculation."],
  SignatureNonceUsed: [400, "Specified signature nonce was used already."],
  "InvalidApi.NotFound": [404, "Specified api is not found, please check your url and method."],
} as const;

interface RpcRequest {
  params: Map<string, string>;
  pairs: Array<[string, string]>;
  format: string | null;
  host: string;
}

/** Every parameter: the query's, and a POST form body's. */
function rpcRequest(req: SimRequest): RpcRequest {
  const pairs = [...req.url.searchParams];
  if (req.method === "POST" && mediaType(req.headers) === "application/x-www-form-urlencoded") {
    pairs.push(...new URLSearchParams(req.body.toString("utf8")));
  }
  const params = new Map<string, string>();
  for (const [name, value] of pairs) if (!params.has(name)) params.set(name, value);
  return { params, pairs, format: params.get("Format") ?? null, host: (req.headers.host ?? "").split(":")[0] };
}

function gatewayError(rpc: RpcRequest, status: number, code: string, message: string): Reply {
  return aliyunReply(status, rpc.format, "Error", {
    RequestId: requestId(),
    HostId: rpc.host,
    Code: code,
    Message: message,
  });
}

function refuse(rpc: RpcRequest, code: keyof typeof GATEWAY_ERRORS): Reply {
  const [status, message] = GATEWAY_ERRORS[code];
  return gatewayError(rpc, status, code, message);
}

function missing(rpc: RpcRequest, name: string): Reply {
  return gatewayError(rpc, 400, `Missing${name}`, `${name} is mandatory for this action.`);
}

/** The account behind a correctly signed request, or the gateway's refusal (checks in the vendor's order of layers). */
function authorize(state: SimState, req: SimRequest, rpc: RpcRequest): AliyunIotAccount | Reply {
  for (const name of COMMON_PARAMETERS) if (!rpc.params.get(name)) return missing(rpc, name);
  const p = (name: (typeof COMMON_PARAMETERS)[number]) => rpc.params.get(name) as string;
  if (p("SignatureMethod") !== ALIYUN_SIGNATURE_METHOD || p("SignatureVersion") !== ALIYUN_SIGNATURE_VERSION) {
    return refuse(rpc, "IncompleteSignature");
  }
  const timestamp = p("Timestamp");
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return refuse(rpc, "InvalidTimeStamp.Format");
  }
  if (Math.abs(Date.parse(timestamp) - state.vendorNow()) > TIMESTAMP_WINDOW_MS)
    return refuse(rpc, "InvalidTimeStamp.Expired");
  const account = state.account("aliyun-iot", p("AccessKeyId"));
  if (!account) return refuse(rpc, "InvalidAccessKeyId.NotFound");
  const expected = aliyunSignature(account.accessKeySecret, aliyunStringToSign(req.method, rpc.pairs));
  if (p("Signature") !== expected) return refuse(rpc, "SignatureDoesNotMatch");
  // Only a well-signed request spends its nonce.
  if (!state.useOnce(`aliyun-iot/${account.accessKeyId}`, p("SignatureNonce")))
    return refuse(rpc, "SignatureNonceUsed");
  return account;
}

function business(rpc: RpcRequest, value: object): Reply {
  return aliyunReply(200, rpc.format, `${rpc.params.get("Action") ?? ""}Response`, {
    RequestId: requestId(),
    ...value,
  });
}

function invalidPage(rpc: RpcRequest, why: string): Reply {
  return business(rpc, { Success: false, Code: "iot.common.InvalidPageParams", ErrorMessage: why });
}

/** NextToken: an opaque text that names the next page. */
function nextToken(page: number): string {
  return Buffer.from(`page:${page}`, "utf8").toString("base64");
}

function pageOfToken(token: string): number | undefined {
  const m = /^page:(\d{1,6})$/.exec(Buffer.from(token, "base64").toString("utf8"));
  return m ? Number(m[1]) : undefined;
}

function positive(rpc: RpcRequest, name: string, fallback: number): number | undefined {
  const raw = rpc.params.get(name);
  if (raw === undefined || raw === "") return fallback;
  return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

/** QueryDevice: PageSize <= 50, CurrentPage 1-based or NextToken; newest first; NextToken "" on the last page. */
function queryDevice(account: AliyunIotAccount, rpc: RpcRequest): Reply {
  const productKey = rpc.params.get("ProductKey");
  if (!productKey) return missing(rpc, "ProductKey");
  const pageSize = positive(rpc, "PageSize", 10);
  const token = rpc.params.get("NextToken");
  const current = token ? pageOfToken(token) : positive(rpc, "CurrentPage", 1);
  if (pageSize === undefined || pageSize > MAX_PAGE_SIZE)
    return invalidPage(rpc, `PageSize must be 1..${MAX_PAGE_SIZE}`);
  if (current === undefined) return invalidPage(rpc, "CurrentPage or NextToken is not valid");
  if (!token && pageSize * current > NEXT_TOKEN_THRESHOLD)
    return invalidPage(rpc, "NextToken is required past 10,000 items");
  // Another product's devices are not the account's: an empty list.
  const all = productKey === account.productKey ? aliyunDevicesOf(productKey) : [];
  const pageCount = Math.ceil(all.length / pageSize);
  return business(rpc, {
    Success: true,
    Total: all.length,
    PageSize: pageSize,
    PageCount: pageCount,
    Page: current,
    NextToken: current < pageCount ? nextToken(current + 1) : "",
    Data: { DeviceInfo: all.slice((current - 1) * pageSize, current * pageSize) },
  });
}

function api(state: SimState, req: SimRequest): Reply {
  const rpc = rpcRequest(req);
  const account = authorize(state, req, rpc);
  if (isReply(account)) return account;
  if (rpc.params.get("Action") !== "QueryDevice" || rpc.params.get("Version") !== QUERY_DEVICE_VERSION) {
    return refuse(rpc, "InvalidApi.NotFound");
  }
  return queryDevice(account, rpc);
}

export const aliyunIot: ProviderModule = {
  handle(state, req) {
    return api(state, req);
  },

  sample(state, _req, t) {
    const base = { RequestId: requestId(), Success: true };
    if (t === null) return base;
    const all = aliyunDevicesOf(state.demo["aliyun-iot"].productKey);
    const pageCount = Math.ceil(all.length / 10);
    return {
      ...base,
      Total: all.length,
      PageSize: 10,
      PageCount: pageCount,
      Page: 1,
      NextToken: nextToken(2),
      Data: { DeviceInfo: all.slice(0, 10) },
    };
  },

  vendorError(req, code, msg, httpStatus) {
    const rpc = rpcRequest(req);
    const message = msg ?? "simulated vendor error";
    // A status asked for is the gateway layer; without one, the IoT layer (HTTP 200, Success false).
    if (httpStatus !== undefined && httpStatus !== 200) return gatewayError(rpc, httpStatus, String(code), message);
    return business(rpc, { Success: false, Code: String(code), ErrorMessage: message });
  },

  accountFor(state) {
    return state.demo["aliyun-iot"].accessKeyId;
  },
};
