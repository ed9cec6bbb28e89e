// Every saved node config carries a `version`; a config saved by an older release is brought up to
// date here, in one place, before a node reads it. Version 0 is a config without one: saved by
// 0.1.0, whose properties are those of version 1. A config newer than this release is used as saved.
import { httpOrigin } from "../api-origins";
import { providers } from "../providers";
import { custom } from "../providers/custom";
import { DEFAULT_AUTH_HEADER } from "../providers/custom-settings";
import type { NodeDef } from "./node-red";

/** The version this release saves (the editor's default for `version`). */
export const CONFIG_VERSION = 3;

/** The credentials types whose API URL is a property of its own (apiUrl), not their token URL. */
const OWN_API_URL: ReadonlySet<unknown> = new Set(
  Object.values(providers)
    .filter((adapter) => adapter.form.apiUrlProperty === "apiUrl")
    .map((adapter) => adapter.configType),
);

/** Turns a config of version n into one of version n + 1 (index n); may look at config.type. */
type Migration = (config: NodeDef) => NodeDef;

const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: 0.1.0 saved no version; nothing else changed.
  (config) => config,
  // 1 -> 2: oauth2 and custom joined relative API paths to their token URL's origin; they now have
  // an apiUrl for that, which a node saved before it starts with, so its flows keep working.
  (config) =>
    OWN_API_URL.has(config.type) && !("apiUrl" in config)
      ? { ...config, apiUrl: httpOrigin(typeof config.tokenUrl === "string" ? config.tokenUrl.trim() : "") ?? "" }
      : config,
  // 2 -> 3: custom's authHeader left empty meant Authorization; now it means no auth header (the
  // token goes where sign puts it), so a node saved before keeps sending its Authorization header.
  (config) =>
    config.type === custom.configType && (typeof config.authHeader !== "string" || !config.authHeader.trim())
      ? { ...config, authHeader: DEFAULT_AUTH_HEADER }
      : config,
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
