// hikvision-artemis: to be written from docs/vendors/hikvision-artemis.md.
import type { Preset } from "./types";

export const hikvisionArtemis: Preset = {
  id: "hikvision-artemis",
  vendor: "hikvision-artemis",
  fields: {},
  regions: {},
  params: [],
  pagination: { items: "payload", nextPage: "" },
  listCall: { method: "GET", path: "/" },
};
