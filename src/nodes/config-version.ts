// Every saved node config carries a `version`; a config saved by an older release is brought up to
// date here, in one place, before a node reads it. Version 0 is a config without one: saved by
// 0.1.0, whose properties are those of version 1. A config newer than this release is used as saved.
import type { NodeDef } from "./node-red";

/** The version this release saves (the editor's default for `version`). */
export const CONFIG_VERSION = 1;

/** Turns a config of version n into one of version n + 1 (index n); may look at config.type. */
type Migration = (config: NodeDef) => NodeDef;

const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: 0.1.0 saved no version; nothing else changed.
  (config) => config,
];

export function savedVersion(config: NodeDef): number {
  const version = config.version;
  return typeof version === "number" && Number.isInteger(version) && version >= 0 ? version : 0;
}

/** The config as this release reads it: every migration since its saved version applied, in order. */
export function migrateConfig(config: NodeDef): NodeDef {
  let current: NodeDef = { ...config };
  for (let version = savedVersion(config); version < CONFIG_VERSION; version++) {
    current = { ...MIGRATIONS[version](current), version: version + 1 };
  }
  return current;
}
