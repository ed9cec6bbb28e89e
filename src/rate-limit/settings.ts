// A credentials node's rate limit, read from its properties (the same on every provider's dialog):
// at most `rateLimit` API calls per `ratePeriod` seconds (empty: no limit), and at most `maxQueue`
// calls waiting for their turn. A bad value is a config error naming its property.
import { SettingsReader } from "../providers/settings";
import type { ConfigProperties } from "../providers/types";
import { DEFAULT_MAX_QUEUE, DEFAULT_RATE_PERIOD_S } from "./properties";

export interface RateSettings {
  /** Calls per period; undefined: no limit (calls still wait out a busy vendor's pause). */
  readonly limit?: number;
  readonly periodMs: number;
  /** Calls that may wait for their turn; one more is refused. */
  readonly maxQueue: number;
}

export function readRateSettings(vendor: string, config: ConfigProperties): RateSettings {
  const read = new SettingsReader(vendor, config);
  const limitText = read.text("rateLimit");
  const limit = limitText ? wholeNumber(read, "rateLimit", 1) : undefined;
  const periodMs = read.seconds("ratePeriod", DEFAULT_RATE_PERIOD_S) * 1000;
  const maxQueue = read.text("maxQueue") ? wholeNumber(read, "maxQueue", 0) : DEFAULT_MAX_QUEUE;
  return { limit, periodMs, maxQueue };
}

function wholeNumber(read: SettingsReader, name: string, min: number): number {
  const text = read.text(name);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw read.bad(name, text);
  return value;
}
