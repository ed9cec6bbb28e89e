// EnOS as one provider module: the token service plus the signed API calls.
import { assetOf, devicesOf } from "./data";
import { apiReply, handleApi } from "./enos-api";
import { BUSINESS, getToken, refreshToken, tokenReply } from "./enos-token";
import { parseJsonObject, randomHex, requestId } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimRequest } from "./types";

function isTokenEndpoint(req: SimRequest): boolean {
  return req.endpoint === "enos.token" || req.endpoint === "enos.refresh";
}

export const enos: ProviderModule = {
  handle(state, req) {
    if (req.endpoint === "enos.token") return getToken(state, req);
    if (req.endpoint === "enos.refresh") return refreshToken(state, req);
    return handleApi(state, req);
  },

  sample(state, req, token) {
    if (isTokenEndpoint(req)) {
      const base = { status: 0, msg: "SUCCESS", business: BUSINESS };
      if (token === null) return { ...base, data: {} };
      const t = token ?? { value: randomHex(24), expiresIn: state.lifetimes.enos };
      return { ...base, data: { accessToken: t.value, expire: t.expiresIn } };
    }
    const base = { code: 0, msg: "OK", requestId: requestId() };
    if (token === null) return base;
    const demo = state.demo.enos;
    const devices = devicesOf(demo.orgId, demo.assetId);
    if (req.endpoint === "enos.asset") return { ...base, data: assetOf(devices[0]) };
    if (req.endpoint === "enos.device_get") return { ...base, data: devices[0] };
    return {
      ...base,
      data: devices.slice(0, 10),
      pagination: { pageNo: 1, pageSize: 10, totalSize: devices.length, sortedBy: null },
    };
  },

  vendorError(req, code, msg, httpStatus) {
    const text = msg ?? "simulated vendor error";
    return isTokenEndpoint(req)
      ? tokenReply(code, text, null, httpStatus ?? 200)
      : apiReply(code, text, null, httpStatus ?? 200);
  },

  accountFor(state, req) {
    const appKey = parseJsonObject(req.body)?.appKey;
    return typeof appKey === "string" && state.enos.has(appKey) ? appKey : state.demo.enos.appKey;
  },
};
