// EnOS token service (apim-token-service v2.0): get and refresh. Every answer is HTTP 200 with
// `{status, msg, business, data}`; `status` carries the error.
import { isReply, json, mediaType, parseJsonObject, sha256Hex } from "./http-util";
import type { SimState } from "./state";
import type { EnosAccount, Reply, SimRequest } from "./types";

export const BUSINESS = "apim-token-service";
/** How far a request timestamp may be from the vendor's clock. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export function tokenReply(status: number | string, msg: string, data: unknown = null, httpStatus = 200): Reply {
  return json(httpStatus, { status, msg, business: BUSINESS, data });
}

interface Checked {
  account: EnosAccount;
  encryption: string;
  body: Record<string, unknown>;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** Validates what get and refresh share; consumes nothing (the caller marks the encryption used). */
function check(state: SimState, req: SimRequest, fields: string[]): Checked | Reply {
  if (mediaType(req.headers) !== "application/json") {
    return tokenReply(1004, "invalid parameter: Content-Type must be application/json");
  }
  const body = parseJsonObject(req.body);
  if (!body) return tokenReply(1004, "invalid parameter: request body is not a JSON object");
  for (const name of fields) {
    if (!present(body[name])) return tokenReply(1202, `parameter empty: ${name}`);
  }
  const { appKey, encryption, timestamp } = body;
  if (typeof appKey !== "string" || typeof encryption !== "string") {
    return tokenReply(1004, "invalid parameter: appKey and encryption must be strings");
  }
  const ts =
    typeof timestamp === "number"
      ? timestamp
      : typeof timestamp === "string" && /^\d+$/.test(timestamp)
        ? Number(timestamp)
        : NaN;
  if (!Number.isSafeInteger(ts))
    return tokenReply(1004, "invalid parameter: timestamp must be milliseconds since the epoch");
  const account = state.enos.get(appKey);
  if (!account) return tokenReply(1002, "appKey does not exist");
  // The digest covers the timestamp as the client wrote it (number or string, same text).
  if (encryption !== sha256Hex(appKey + String(timestamp) + account.appSecret)) {
    return tokenReply(1003, "encryption invalid");
  }
  if (Math.abs(ts - state.vendorNow()) > TIMESTAMP_WINDOW_MS) {
    return tokenReply(1004, "invalid parameter: timestamp is out of range (more than 5 minutes from server time)");
  }
  return { account, encryption, body };
}

export function getToken(state: SimState, req: SimRequest): Reply {
  const c = check(state, req, ["appKey", "encryption", "timestamp"]);
  if (isReply(c)) return c;
  if (!state.useEncryption(c.encryption)) return tokenReply(1001, "duplicated request");
  // As documented: while the app's token is valid the same one comes back, with what is left of it.
  const current = state.enosCurrentToken(c.account.appKey);
  if (current) return tokenReply(0, "SUCCESS", { accessToken: current.token, expire: state.remainingSeconds(current) });
  const rec = state.issue("enos", c.account.appKey);
  state.setEnosCurrent(c.account.appKey, rec);
  return tokenReply(0, "SUCCESS", { accessToken: rec.token, expire: state.lifetimes.enos });
}

export function refreshToken(state: SimState, req: SimRequest): Reply {
  const c = check(state, req, ["appKey", "encryption", "timestamp", "accessToken"]);
  if (isReply(c)) return c;
  const old = typeof c.body.accessToken === "string" ? state.find("enos", c.body.accessToken) : undefined;
  // An expired token may still be refreshed; one of another app (or unknown) may not.
  if (!old || old.accountId !== c.account.appKey) return tokenReply(1204, "refresh failed: accessToken invalid");
  if (!state.useEncryption(c.encryption)) return tokenReply(1001, "duplicated request");
  // The old token stays valid until its own expiry (nothing public says otherwise).
  const rec = state.issue("enos", c.account.appKey);
  state.setEnosCurrent(c.account.appKey, rec);
  return tokenReply(0, "SUCCESS", { accessToken: rec.token, expire: state.lifetimes.enos });
}
