// The rate limit's properties and defaults: a leaf, so the editor's build can read them before the
// catalogs that the settings reader's errors need are in dist/.

/** The properties every credentials dialog has for its rate limit, by name. */
export const RATE_PROPERTIES = ["rateLimit", "ratePeriod", "maxQueue"] as const;
export const DEFAULT_RATE_PERIOD_S = 1;
export const DEFAULT_MAX_QUEUE = 1000;
