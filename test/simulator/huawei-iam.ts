// Huawei Cloud as one provider module: IAM's token (huawei-iam-token.ts) and IoTDA's API
// (huawei-iotda.ts) on one simulated host (docs/vendors/huawei-iam.md).
import { huaweiUserKey } from "./accounts";
import { parseJsonObject } from "./http-util";
import { field, iamError, iamToken, SUBJECT_TOKEN_HEADER, tokenBody } from "./huawei-iam-token";
import { iotdaDevices, iotdaSample, iotdaVendorError } from "./huawei-iotda";
import type { ProviderModule } from "./provider";

export const huaweiIam: ProviderModule = {
  handle(state, req) {
    return req.endpoint === "huawei-iam.token" ? iamToken(state, req) : iotdaDevices(state, req);
  },

  sample(state, req, t) {
    if (req.endpoint === "huawei-iam.devices") return iotdaSample(state, t);
    const now = Date.now();
    const seconds = typeof t?.expiresIn === "number" ? t.expiresIn : state.lifetimes["huawei-iam"];
    return tokenBody(state.demo["huawei-iam"], now, t === null ? null : now + seconds * 1000, false);
  },

  vendorError(req, code, msg, httpStatus) {
    if (req.endpoint === "huawei-iam.devices") return iotdaVendorError(code, msg, httpStatus);
    return iamError(httpStatus ?? 401, "Unauthorized", msg ?? `simulated IAM error ${code}`);
  },

  accountFor(state, req) {
    const user = field(field(field(field(parseJsonObject(req.body), "auth"), "identity"), "password"), "user");
    const key = huaweiUserKey(String(field(field(user, "domain"), "name")), String(field(user, "name")));
    return state.account("huawei-iam", key)
      ? key
      : huaweiUserKey(state.demo["huawei-iam"].domainName, state.demo["huawei-iam"].userName);
  },

  tokenHeaders(value) {
    return { [SUBJECT_TOKEN_HEADER]: value };
  },
};
