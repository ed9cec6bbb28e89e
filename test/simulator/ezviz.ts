// EZVIZ's open platform (docs/vendors/ezviz.md): appKey + appSecret (a form) -> accessToken with an
// absolute expireTime in ms and the account's regional API host (areaDomain); every call is a form
// POST with `accessToken` as a form field. Answers are HTTP 200 with a string `code` ("200" = ok).
import { randomBytes } from "node:crypto";
import { ezvizDevicesOf } from "./cloud-data";
import { isReply, json, mediaType } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { EzvizAccount, Reply, SimRequest } from "./types";

export const EZVIZ_OK_MSG = "Operating succeeded!";
export const MAX_PAGE_SIZE = 50;

/** EZVIZ's codes and what they mean, as its code table says. */
export const EZVIZ_ERRORS = {
  param: ["10001", "parameter empty or wrong format"],
  token: ["10002", "accessToken exception or expired"],
  appKey: ["10017", "appKey does not exist"],
  mismatch: ["10030", "appKey and appSecret mismatched"],
} as const;

function reply(code: string, msg: string, extra: object = {}, httpStatus = 200): Reply {
  return json(httpStatus, { ...extra, code, msg });
}

function refuse(error: keyof typeof EZVIZ_ERRORS): Reply {
  const [code, msg] = EZVIZ_ERRORS[error];
  return reply(code, msg);
}

/** The form fields; undefined when the body is not a form. */
function form(req: SimRequest): URLSearchParams | undefined {
  return mediaType(req.headers) === "application/x-www-form-urlencoded"
    ? new URLSearchParams(req.body.toString("utf8"))
    : undefined;
}

const BASE36 = "abcdefghijklmnopqrstuvwxyz0123456789";
function base36(length: number): string {
  return [...randomBytes(length)].map((b) => BASE36[b % BASE36.length]).join("");
}

/** "at." and an opaque text, as EZVIZ's tokens look. */
function newToken(): string {
  return `at.${base36(32)}-${base36(10)}-${base36(7)}-${base36(9)}`;
}

/** The regional API host to use from now on: this simulator, as the client reached it. */
function areaDomain(req: SimRequest): string {
  return `http://${req.headers.host ?? "127.0.0.1"}`;
}

function tokenData(value: string, expireTime: unknown, req: SimRequest) {
  return { accessToken: value, expireTime, areaDomain: areaDomain(req) };
}

/** POST /api/lapp/token/get (form appKey, appSecret): a new token each call; earlier ones stay valid. */
function token(state: SimState, req: SimRequest): Reply {
  const fields = form(req);
  const appKey = fields?.get("appKey");
  const appSecret = fields?.get("appSecret");
  if (!appKey || !appSecret) return refuse("param");
  const account = state.account("ezviz", appKey);
  if (!account) return refuse("appKey");
  if (account.appSecret !== appSecret) return refuse("mismatch");
  const rec = state.issue("ezviz", appKey, newToken());
  const expireTime = state.vendorNow() + state.lifetimes.ezviz * 1000;
  return reply("200", EZVIZ_OK_MSG, { data: tokenData(rec.token, expireTime, req) });
}

function authorize(state: SimState, fields: URLSearchParams): EzvizAccount | Reply {
  const value = fields.get("accessToken");
  if (!value) return refuse("param");
  const rec = state.find("ezviz", value);
  const account = rec && state.account("ezviz", rec.accountId);
  if (!rec || !account || state.isExpired(rec)) return refuse("token");
  return account;
}

/** A form field that is a whole number >= min; `fallback` when absent; undefined when malformed. */
function wholeField(fields: URLSearchParams, name: string, fallback: number, min: number): number | undefined {
  const raw = fields.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d{1,6}$/.test(raw) && Number(raw) >= min ? Number(raw) : undefined;
}

/** POST /api/lapp/device/list (form accessToken, pageStart 0-based, pageSize <= 50). */
function deviceList(state: SimState, req: SimRequest): Reply {
  const fields = form(req);
  if (!fields) return refuse("param");
  const account = authorize(state, fields);
  if (isReply(account)) return account;
  const pageStart = wholeField(fields, "pageStart", 0, 0);
  const pageSize = wholeField(fields, "pageSize", 10, 1);
  if (pageStart === undefined || pageSize === undefined || pageSize > MAX_PAGE_SIZE) return refuse("param");
  const all = ezvizDevicesOf(account.appKey);
  return reply("200", EZVIZ_OK_MSG, {
    page: { total: all.length, page: pageStart, size: pageSize },
    data: all.slice(pageStart * pageSize, (pageStart + 1) * pageSize),
  });
}

export const ezviz: ProviderModule = {
  handle(state, req) {
    return req.endpoint === "ezviz.token" ? token(state, req) : deviceList(state, req);
  },

  sample(state, req, t) {
    const ok = { code: "200", msg: EZVIZ_OK_MSG };
    if (req.endpoint === "ezviz.device_list") {
      if (t === null) return ok;
      const all = ezvizDevicesOf(state.demo.ezviz.appKey);
      return { page: { total: all.length, page: 0, size: 10 }, data: all.slice(0, 10), ...ok };
    }
    if (t === null) return { data: { areaDomain: areaDomain(req) }, ...ok };
    const v = t ?? { value: newToken(), expiresIn: state.lifetimes.ezviz };
    // A "token" fault's expiresIn is seconds; EZVIZ's field is an absolute time in ms.
    const expireTime = typeof v.expiresIn === "number" ? Date.now() + v.expiresIn * 1000 : v.expiresIn;
    return { data: tokenData(v.value, expireTime, req), ...ok };
  },

  vendorError(_req, code, msg, httpStatus) {
    return reply(String(code), msg ?? "simulated vendor error", {}, httpStatus);
  },

  accountFor(state, req) {
    const appKey = form(req)?.get("appKey");
    return appKey && state.account("ezviz", appKey) ? appKey : state.demo.ezviz.appKey;
  },
};
