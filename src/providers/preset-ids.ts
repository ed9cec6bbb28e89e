// The presets' ids: what a custom-token-credentials node saves in its `preset` property, and each
// cloud's name. A leaf shipped with the runtime, so the settings reader can list the ids and a node
// started from a preset can name its cloud without the presets' data (not packed: the dialog reads it).
export const PRESET_IDS = ["tuya", "huawei-iam", "thingsboard", "ezviz", "hikvision-artemis", "aliyun-iot"] as const;

export type PresetId = (typeof PRESET_IDS)[number];

/** The cloud's name as its users know it: errors, statuses and logs of a node started from its preset say it. */
export const PRESET_VENDORS: Readonly<Record<PresetId, string>> = {
  tuya: "Tuya",
  "huawei-iam": "Huawei Cloud IoTDA",
  thingsboard: "ThingsBoard",
  ezviz: "EZVIZ",
  "hikvision-artemis": "Hikvision Artemis",
  "aliyun-iot": "Alibaba Cloud IoT",
};
