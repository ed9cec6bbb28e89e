// thingsboard: to be written from docs/vendors/thingsboard.md.
import type { Preset } from "./types";

export const thingsboard: Preset = {
  id: "thingsboard",
  vendor: "thingsboard",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
