// A preset as the dialog turns it into a custom-token-credentials node: its fields, one region's
// URLs (their origin swapped for the simulator's when given) and the values of its params.
import type { Preset } from "../../src/providers/presets";

/** `url` on `origin` instead of its own, path and query kept. */
function onOrigin(url: string, origin: string | undefined): string {
  if (!url || !origin) return url;
  const parsed = new URL(url);
  return origin + url.slice(parsed.origin.length);
}

/** The node's properties (no credentials): the preset's fields, the region's URLs and `params` as a JSONata object. */
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
    ...(preset.params.length > 0 ? { params: JSON.stringify(params) } : {}),
    tokenUrl: onOrigin(urls.tokenUrl, simUrl),
    apiUrl: onOrigin(urls.apiUrl, simUrl),
  };
}
