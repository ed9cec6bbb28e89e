// Tuya's cloud OpenAPI (docs/vendors/tuya.md): every request, the token request included, carries
// an HMAC-SHA256 `sign`; business calls sign the token in too. Answers are HTTP 200 with
// `success`; an error is `{code, msg, success: false}`.
import { tuyaDevicesOf } from "./cloud-data";
import { isReply, json, randomHex } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import { signatureHeaderNames, tuyaSign, TUYA_SIGN_METHOD, type TuyaSignedRequest } from "./tuya-signing";
import type { Reply, SimRequest, TuyaAccount } from "./types";

/** How far `t` may be from the vendor's clock (Tuya's older docs: a signed request is valid 5 minutes). */
export const TUYA_TIME_WINDOW_MS = 5 * 60 * 1000;

/** Tuya's codes and texts, as its error table has them. */
export const TUYA_ERRORS = {
  tokenNull: [1002, "access_token is null"],
  grantType: [1003, "grant type invalid"],
  sign: [1004, "sign invalid"],
  clientId: [1005, "clientId invalid"],
  expired: [1010, "token is expired"],
  invalid: [1011, "token invalid"],
  time: [1013, "request time is invalid"],
  empty: [1100, "param is empty"],
  path: [1108, "uri path invalid"],
  illegal: [1109, "param is illegal, please check it"],
} as const;

type TuyaError = keyof typeof TUYA_ERRORS;

/** `t` is the server's time in ms, `tid` a trace id. */
function envelope(now: number): { t: number; tid: string } {
  return { t: now, tid: randomHex(16) };
}

function ok(state: SimState, result: unknown): Reply {
  return json(200, { success: true, ...envelope(state.vendorNow()), result });
}

function failure(now: number, code: number | string, msg: string, httpStatus = 200): Reply {
  return json(httpStatus, { code, msg, success: false, ...envelope(now) });
}

function refuse(state: SimState, error: TuyaError): Reply {
  const [code, msg] = TUYA_ERRORS[error];
  return failure(state.vendorNow(), code, msg);
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What the request's signature covers, as received. */
function signedRequestOf(req: SimRequest): TuyaSignedRequest {
  return {
    method: req.method,
    path: req.url.pathname,
    query: [...req.url.searchParams],
    body: req.body,
    signedHeaders: signatureHeaderNames(header(req, "signature-headers")).map((name) => [
      name,
      header(req, name.toLowerCase()) ?? "",
    ]),
  };
}

interface Signed {
  account: TuyaAccount;
  /** "" on token calls. */
  accessToken: string;
}

/** Checks the common headers and the signature: token calls sign without a token, business calls with it. */
function verify(state: SimState, req: SimRequest, purpose: "token" | "business"): Signed | Reply {
  const clientId = header(req, "client_id");
  const sign = header(req, "sign");
  const t = header(req, "t");
  const signMethod = header(req, "sign_method");
  if (!clientId || !sign || !t || !signMethod) return refuse(state, "empty");
  const account = state.account("tuya", clientId);
  if (!account) return refuse(state, "clientId");
  if (!/^\d{13}$/.test(t) || Math.abs(Number(t) - state.vendorNow()) > TUYA_TIME_WINDOW_MS)
    return refuse(state, "time");
  const accessToken = purpose === "business" ? header(req, "access_token") : "";
  if (accessToken === undefined) return refuse(state, "tokenNull");
  if (signMethod !== TUYA_SIGN_METHOD) return refuse(state, "sign");
  const expected = tuyaSign(
    { clientId, secret: account.accessSecret, t, nonce: header(req, "nonce"), accessToken },
    signedRequestOf(req),
  );
  // The signature is checked before the token's state, so 1010 always answers a well-signed call.
  return sign === expected ? { account, accessToken } : refuse(state, "sign");
}

function tokenResult(state: SimState, account: TuyaAccount): Record<string, unknown> {
  const access = state.issue("tuya", account.accessId);
  const refresh = state.issueRefresh(access, randomHex(16));
  return {
    uid: account.uid,
    access_token: access.token,
    refresh_token: refresh.token,
    expire_time: state.lifetimes.tuya,
  };
}

/** GET /v1.0/token?grant_type=1 ("simple mode"). */
function token(state: SimState, req: SimRequest): Reply {
  if (req.method !== "GET") return refuse(state, "path");
  const signed = verify(state, req, "token");
  if (isReply(signed)) return signed;
  if (req.url.searchParams.get("grant_type") !== "1") return refuse(state, "grantType");
  return ok(state, tokenResult(state, signed.account));
}

/** GET /v1.0/token/{refresh_token}: once per refresh token; the old pair dies with it. */
function refresh(state: SimState, req: SimRequest): Reply {
  if (req.method !== "GET") return refuse(state, "path");
  const signed = verify(state, req, "token");
  if (isReply(signed)) return signed;
  const value = req.url.pathname.slice("/v1.0/token/".length);
  const rec = state.findRefresh("tuya", value);
  if (!rec || rec.used || rec.accountId !== signed.account.accessId) return refuse(state, "invalid");
  rec.used = true;
  const old = state.find("tuya", rec.accessToken);
  if (old) old.replaced = true;
  return ok(state, tokenResult(state, signed.account));
}

function authorize(state: SimState, req: SimRequest): TuyaAccount | Reply {
  const signed = verify(state, req, "business");
  if (isReply(signed)) return signed;
  const rec = state.find("tuya", signed.accessToken);
  if (!rec || rec.replaced || rec.accountId !== signed.account.accessId) return refuse(state, "invalid");
  if (state.isExpired(rec)) return refuse(state, "expired");
  return signed.account;
}

/** GET /v2.0/devices?size=..[&last_row_key=..]: `has_more` and `last_row_key` lead to the next page. */
function devices(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  const size = req.url.searchParams.get("size");
  if (size === null || size === "") return refuse(state, "empty");
  if (!/^\d{1,4}$/.test(size) || Number(size) < 1) return refuse(state, "illegal");
  const all = tuyaDevicesOf(account.accessId, account.uid);
  const after = req.url.searchParams.get("last_row_key");
  const start = after ? all.findIndex((d) => d.id === after) + 1 : 0;
  if (after && start === 0) return refuse(state, "illegal");
  const page = all.slice(start, start + Number(size));
  return ok(state, {
    devices: page,
    has_more: start + page.length < all.length,
    last_row_key: page.at(-1)?.id ?? after ?? "",
    total: all.length,
  });
}

export const tuya: ProviderModule = {
  handle(state, req) {
    if (req.endpoint === "tuya.token") return token(state, req);
    if (req.endpoint === "tuya.refresh") return refresh(state, req);
    return devices(state, req);
  },

  sample(state, req, t) {
    const base = { success: true, ...envelope(state.vendorNow()) };
    if (req.endpoint === "tuya.devices") {
      if (t === null) return base;
      const demo = state.demo.tuya;
      const all = tuyaDevicesOf(demo.accessId, demo.uid);
      return {
        ...base,
        result: { devices: all.slice(0, 20), has_more: true, last_row_key: all[19].id, total: all.length },
      };
    }
    if (t === null) return { ...base, result: { uid: state.demo.tuya.uid } };
    const v = t ?? { value: randomHex(16), expiresIn: state.lifetimes.tuya };
    return {
      ...base,
      result: {
        uid: state.demo.tuya.uid,
        access_token: v.value,
        refresh_token: randomHex(16),
        expire_time: v.expiresIn,
      },
    };
  },

  vendorError(_req, code, msg, httpStatus) {
    return failure(Date.now(), code, msg ?? "simulated vendor error", httpStatus);
  },

  accountFor(state, req) {
    const clientId = header(req, "client_id");
    return clientId && state.account("tuya", clientId) ? clientId : state.demo.tuya.accessId;
  },
};
