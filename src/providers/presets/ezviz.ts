// ezviz: to be written from docs/vendors/ezviz.md.
import type { Preset } from "./types";

export const ezviz: Preset = {
  id: "ezviz",
  vendor: "ezviz",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
