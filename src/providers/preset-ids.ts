// The presets' ids: what a custom-token-credentials node saves in its `preset` property. A leaf, so
// the settings reader can list them without importing the presets' data.
export const PRESET_IDS = ["tuya", "huawei-iam", "thingsboard", "ezviz", "hikvision-artemis", "aliyun-iot"] as const;

export type PresetId = (typeof PRESET_IDS)[number];
