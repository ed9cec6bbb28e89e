// A preset as a custom-token-credentials node's properties, pointed at the simulator: the preset's
// fields, its id, and the region's token URL and API URL with their origin swapped for the
// simulator's (paths kept; no token URL stays none).
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
