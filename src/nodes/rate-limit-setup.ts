// A credentials node's call queue made from its rate-limit properties (src/rate-limit/): a local
// budget, or with the shared cache configured the budget shared through Redis, whose outages the
// node's log hears once each. A bad value is the node's problem, named by the dialog's label.
import { TokenError } from "../errors";
import { LocalBudget, type Budget } from "../rate-limit/budget";
import { Limiter } from "../rate-limit/limiter";
import { readRateSettings, type RateSettings } from "../rate-limit/settings";
import { SharedBudget } from "../rate-limit/shared-budget";
import type { SharedCacheLease } from "../shared-cache/runtime-cache";
import type { Translate } from "./translate";

export interface RateLog {
  warn(text: string): void;
  log(text: string): void;
}

/** The settings, or a config error whose field is the dialog's label of the property. */
export function rateSettings(vendor: string, config: Record<string, unknown>, t: Translate): RateSettings | TokenError {
  try {
    return readRateSettings(vendor, config);
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    const field = t(`common.label.${String(err.params.field)}`);
    return new TokenError({ ...err.details, params: { ...err.details.params, field } });
  }
}

/** Makes the account's limiter for its name: shared through the lease's Redis when there is one. */
export function limiterFor(
  settings: RateSettings,
  lease: SharedCacheLease | undefined,
  holdMs: number,
  log: RateLog,
  t: Translate,
): (account: string) => Limiter {
  return (account) => {
    const { limit, periodMs, maxQueue } = settings;
    let budget: Budget | undefined;
    if (limit !== undefined) {
      budget = lease
        ? new SharedBudget(limit, periodMs, {
            account,
            store: lease.rates,
            holdMs,
            outage: {
              down: (error) => log.warn(t("access-token.warn.rate-limit-local", { limit, detail: error.message })),
              up: () => log.log(t("access-token.warn.rate-limit-shared")),
            },
          })
        : new LocalBudget(limit, periodMs);
    }
    return new Limiter({ budget, maxQueue, limit, periodMs });
  };
}
