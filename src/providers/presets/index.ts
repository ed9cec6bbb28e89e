// The presets, one file per cloud: this record is the one list of them (its keys are PRESET_IDS).
import { aliyunIot } from "./aliyun-iot";
import { ezviz } from "./ezviz";
import { hikvisionArtemis } from "./hikvision-artemis";
import { huaweiIam } from "./huawei-iam";
import type { PresetId } from "../preset-ids";
import { thingsboard } from "./thingsboard";
import { tuya } from "./tuya";
import type { Preset } from "./types";

export const presets: Readonly<Record<PresetId, Preset>> = {
  tuya,
  "huawei-iam": huaweiIam,
  thingsboard,
  ezviz,
  "hikvision-artemis": hikvisionArtemis,
  "aliyun-iot": aliyunIot,
};

export { PRESET_IDS, type PresetId } from "../preset-ids";
export type { Preset, PresetRegion } from "./types";
