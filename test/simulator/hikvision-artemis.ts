// Hikvision Artemis (HikCentral / iSecure Center) OpenAPI gateway (docs/vendors/hikvision-artemis.md):
// no token; every request is signed with the AppSecret (X-Ca-Key, X-Ca-Signature). The gateway
// refuses with a non-200 status and the reason in X-Ca-Error-Message; business answers are HTTP
// 200 with a string `code` ("0" = success).
import { artemisCamerasOf } from "./cloud-data";
import {
  artemisSignature,
  artemisSignedHeaderNames,
  artemisStringToSign,
  type ArtemisSignedRequest,
} from "./hikvision-artemis-signing";
import { isReply, json, mediaType, parseJsonObject, requestId } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { HikvisionArtemisAccount, Reply, SimRequest } from "./types";

/** X-Ca-Timestamp's window and a nonce's (Alibaba's scheme, which Artemis follows). */
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;
/** The gateway's status for a refused signature (what HikCentral users report). */
export const GATEWAY_REFUSAL_STATUS = 401;
export const MAX_PAGE_SIZE = 1000;
/** The simulator's own business code for bad paging parameters (Hikvision's list is not public). */
export const PARAMETER_ERROR_CODE = "0x02401003";

export const GATEWAY_MESSAGES = {
  appKey: "Invalid AppKey",
  signature: "Invalid Signature",
  timestamp: "Invalid Timestamp",
  nonce: "Nonce Used",
} as const;

function gatewayRefusal(reason: keyof typeof GATEWAY_MESSAGES): Reply {
  return {
    status: GATEWAY_REFUSAL_STATUS,
    headers: { "x-ca-error-message": GATEWAY_MESSAGES[reason], "x-ca-request-id": requestId() },
    body: "",
  };
}

function business(code: string, msg: string, data?: unknown): Reply {
  return json(200, data === undefined ? { code, msg } : { code, msg, data });
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What the signature covers, as received: the query and, for a form body, its fields. */
function signedRequestOf(req: SimRequest): ArtemisSignedRequest {
  const params = [...req.url.searchParams];
  if (mediaType(req.headers) === "application/x-www-form-urlencoded") {
    params.push(...new URLSearchParams(req.body.toString("utf8")));
  }
  return {
    method: req.method,
    path: req.url.pathname,
    params,
    headers: req.headers as Record<string, string | undefined>,
    signedHeaders: artemisSignedHeaderNames(header(req, "x-ca-signature-headers")),
  };
}

/** The partner behind a correctly signed request, or the gateway's refusal. */
function authorize(state: SimState, req: SimRequest): HikvisionArtemisAccount | Reply {
  const appKey = header(req, "x-ca-key");
  const account = appKey === undefined ? undefined : state.account("hikvision-artemis", appKey);
  if (!account) return gatewayRefusal("appKey");
  // Timestamp and nonce are optional; when sent, they are checked.
  const timestamp = header(req, "x-ca-timestamp");
  if (timestamp !== undefined) {
    if (!/^\d{13}$/.test(timestamp) || Math.abs(Number(timestamp) - state.vendorNow()) > TIMESTAMP_WINDOW_MS) {
      return gatewayRefusal("timestamp");
    }
  }
  const expected = artemisSignature(account.appSecret, artemisStringToSign(signedRequestOf(req)));
  if (header(req, "x-ca-signature") !== expected) return gatewayRefusal("signature");
  const nonce = header(req, "x-ca-nonce");
  if (nonce !== undefined && !state.useOnce(`hikvision-artemis/${account.appKey}`, nonce))
    return gatewayRefusal("nonce");
  return account;
}

function whole(value: unknown, min: number, max: number): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** POST /artemis/api/resource/v1/cameras {pageNo (1-based), pageSize}. */
function cameras(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  const body = mediaType(req.headers) === "application/json" ? parseJsonObject(req.body) : undefined;
  const pageNo = whole(body?.pageNo, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = whole(body?.pageSize, 1, MAX_PAGE_SIZE);
  if (pageNo === undefined || pageSize === undefined) {
    return business(PARAMETER_ERROR_CODE, `parameter error: pageNo >= 1 and pageSize 1..${MAX_PAGE_SIZE} are required`);
  }
  const all = artemisCamerasOf(account.appKey);
  const list = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
  return business("0", "success", { total: all.length, pageNo, pageSize, list });
}

export const hikvisionArtemis: ProviderModule = {
  handle(state, req) {
    return cameras(state, req);
  },

  sample(state, _req, t) {
    if (t === null) return { code: "0", msg: "success" };
    const all = artemisCamerasOf(state.demo["hikvision-artemis"].appKey);
    return { code: "0", msg: "success", data: { total: all.length, pageNo: 1, pageSize: 20, list: all.slice(0, 20) } };
  },

  vendorError(_req, code, msg, httpStatus) {
    return { ...business(String(code), msg ?? "simulated vendor error"), status: httpStatus ?? 200 };
  },

  accountFor(state) {
    return state.demo["hikvision-artemis"].appKey;
  },
};
