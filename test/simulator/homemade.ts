// A home-made token endpoint of a shape none of the seed vendors has, as many IoT clouds run:
// a JSON body signed with HMAC-SHA256 (appKey, timestamp, nonce), the token under
// result.auth.token with an absolute expiry time (ISO 8601), errors as {errno, errmsg}, and API
// calls that carry the token in an X-Access-Token header.
import { createHmac } from "node:crypto";
import { json, mediaType, parseJsonObject, randomHex } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { Reply, SimRequest } from "./types";

/** How far the request's timestamp may be from the server's clock. */
const WINDOW_MS = 5 * 60 * 1000;
const usedNonces = new WeakMap<SimState, Set<string>>();

export function homemadeSignature(appSecret: string, appKey: string, timestamp: number, nonce: string): string {
  return createHmac("sha256", appSecret).update(`${appKey}\n${timestamp}\n${nonce}`, "utf8").digest("hex");
}

function failure(status: number, errno: number, errmsg: string): Reply {
  return json(status, { errno, errmsg, result: null });
}

function success(value: string, expiresAt: number): object {
  return { errno: 0, errmsg: "ok", result: { auth: { token: value, expiresAt: new Date(expiresAt).toISOString() } } };
}

function token(state: SimState, req: SimRequest): Reply {
  if (mediaType(req.headers) !== "application/json") return failure(400, 40000, "body must be JSON");
  const body = parseJsonObject(req.body);
  const { appKey, timestamp, nonce, sign } = body ?? {};
  if (typeof appKey !== "string" || typeof timestamp !== "number" || typeof nonce !== "string" || !nonce) {
    return failure(400, 40000, "appKey, timestamp (ms) and nonce are required");
  }
  const account = state.homemade.get(appKey);
  if (!account) return failure(401, 40101, "unknown appKey");
  if (Math.abs(state.vendorNow() - timestamp) > WINDOW_MS) return failure(401, 40102, "timestamp out of range");
  if (sign !== homemadeSignature(account.appSecret, appKey, timestamp, nonce)) {
    return failure(401, 40103, "signature mismatch");
  }
  const nonces = usedNonces.get(state) ?? new Set<string>();
  usedNonces.set(state, nonces);
  if (nonces.has(nonce)) return failure(401, 40104, "nonce already used");
  nonces.add(nonce);
  const rec = state.issue("homemade", appKey);
  return json(200, success(rec.token, rec.expiresAt));
}

function api(state: SimState, req: SimRequest): Reply {
  const header = req.headers["x-access-token"];
  const rec = state.find("homemade", Array.isArray(header) ? header[0] : header);
  if (!rec || state.isExpired(rec)) return failure(401, 40110, "access token invalid or expired");
  return json(200, { errno: 0, errmsg: "ok", result: { devices: [{ sn: "HM-0001" }, { sn: "HM-0002" }] } });
}

export const homemade: ProviderModule = {
  handle(state, req) {
    return req.endpoint === "homemade.token" ? token(state, req) : api(state, req);
  },
  sample(state, req, t) {
    if (req.endpoint === "homemade.api") return { errno: 0, errmsg: "ok", result: t === null ? {} : { devices: [] } };
    if (t === null) return { errno: 0, errmsg: "ok", result: { auth: {} } };
    const v = t ?? { value: randomHex(24), expiresIn: state.lifetimes.homemade };
    const seconds = typeof v.expiresIn === "number" ? v.expiresIn : state.lifetimes.homemade;
    return success(v.value, Date.now() + seconds * 1000);
  },
  vendorError(_req, code, msg, httpStatus) {
    return failure(httpStatus ?? 200, Number(code) || 50000, msg ?? "simulated error");
  },
  accountFor(state) {
    return state.demo.homemade.appKey;
  },
};
