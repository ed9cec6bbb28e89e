// tuya: to be written from docs/vendors/tuya.md.
import type { Preset } from "./types";

export const tuya: Preset = {
  id: "tuya",
  vendor: "tuya",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
