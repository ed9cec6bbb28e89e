// A preset as a custom-token-credentials node's properties, pointed at the simulator: the preset's
// fields, its id, and the region's token URL and API URL with their origin swapped for the
// simulator's (paths kept; no token URL stays none).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Preset } from "../../src/providers/presets";

/** `url` on the simulator: its path (no trailing slash) on `simUrl`; "" stays "". */
function onSimulator(url: string, simUrl: string): string {
  return url && simUrl + new URL(url).pathname.replace(/\/$/, "");
}

export function presetConfig(preset: Preset, region: string, simUrl: string): Record<string, unknown> {
  const urls = preset.regions[region];
  if (!urls) throw new Error(`${preset.id} has no region "${region}"`);
  return {
    ...preset.fields,
    preset: preset.id,
    tokenUrl: onSimulator(urls.tokenUrl, simUrl),
    apiUrl: onSimulator(urls.apiUrl, simUrl),
  };
}

/** The message catalogs, by language (dist/test/support -> the repository's nodes/locales). */
const LANGUAGES = ["en-US", "zh-CN"];
function catalog(lang: string): unknown {
  const file = path.join(__dirname, "..", "..", "..", "nodes", "locales", lang, "access-token.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}

/** A preset's text in a language: custom-token-credentials.preset.<id>.<key> (key dotted: "region.cn"). */
export function presetText(preset: Preset, lang: string, key: string): unknown {
  return [preset.id, ...key.split(".")].reduce<unknown>(
    (node, part) => (node as Record<string, unknown> | undefined)?.[part],
    (catalog(lang) as Record<string, Record<string, unknown>>)["custom-token-credentials"]?.preset,
  );
}

/** The texts a preset needs (key, secret, help, each region and parameter) that a language lacks, as "lang: key". */
export function missingCatalogKeys(preset: Preset): string[] {
  const keys = [
    "key",
    "secret",
    "help",
    ...Object.keys(preset.regions).map((name) => `region.${name}`),
    ...preset.params.map((name) => `param.${name}`),
  ];
  return LANGUAGES.flatMap((lang) =>
    keys
      .filter((key) => {
        const text = presetText(preset, lang, key);
        return typeof text !== "string" || text.trim() === "";
      })
      .map((key) => `${lang}: ${key}`),
  );
}

/** A page of docs/ as text (dist/test/support -> the repository's docs). */
export function docsPage(name: string): string {
  return fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", name), "utf8");
}
