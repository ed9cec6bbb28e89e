// aliyun-iot: to be written from docs/vendors/aliyun-iot.md.
import type { Preset } from "./types";

export const aliyunIot: Preset = {
  id: "aliyun-iot",
  vendor: "aliyun-iot",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
