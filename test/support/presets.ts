// A preset as the dialog turns it into a custom-token-credentials node (its fields, one region's
// URLs with their origin swapped for the simulator's when given, the values of its params), and
// the texts a preset needs from the catalogs and the docs.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Preset } from "../../src/providers/presets";

/** `url` on `origin` instead of its own, path and query kept. */
function onOrigin(url: string, origin: string | undefined): string {
  if (!url || !origin) return url;
  const parsed = new URL(url);
  return origin + url.slice(parsed.origin.length);
}

/** The node's properties (no credentials): the preset's fields, the region's URLs and, when given, `params` as a JSONata object. */
export function presetConfig(
  preset: Preset,
  region: string,
  simUrl?: string,
  params: Record<string, string> = {},
): Record<string, unknown> {
  const urls = preset.regions[region];
  if (!urls) throw new Error(`${preset.id} has no region ${region}`);
  return {
    preset: preset.id,
    ...preset.fields,
    ...(Object.keys(params).length > 0 ? { params: JSON.stringify(params) } : {}),
    tokenUrl: onOrigin(urls.tokenUrl, simUrl),
    apiUrl: onOrigin(urls.apiUrl, simUrl),
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
    ...preset.params.map((name) => `params.${name}`),
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
