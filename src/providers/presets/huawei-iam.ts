// huawei-iam: to be written from docs/vendors/huawei-iam.md.
import type { Preset } from "./types";

export const huaweiIam: Preset = {
  id: "huawei-iam",
  vendor: "huawei-iam",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
