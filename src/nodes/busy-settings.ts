// The api request node's answer to a busy vendor (429, 503): `busy` "catch" (the error goes to Catch
// nodes) or "wait" (the account's calls pause for the vendor's Retry-After and the call is sent
// again, up to `maxWait` seconds in all). A maxWait the editor would refuse is the node's problem,
// named as its own field (not the credentials node's).
import { TokenError } from "../errors";
import type { NodeDef } from "./node-red";
import type { Translate } from "./translate";

export const BUSY_CHOICES = ["catch", "wait"] as const;
export const DEFAULT_MAX_WAIT_S = 60;

export interface BusySettings {
  readonly busy: (typeof BUSY_CHOICES)[number];
  readonly maxWaitMs: number;
}

/** The settings; an unusable maxWait with busy "wait" is a config error naming the field by its label. */
export function readBusySettings(config: NodeDef, vendor: string, t: Translate): BusySettings | TokenError {
  const busy = config.busy === "wait" ? "wait" : "catch";
  const given = config.maxWait;
  const text = typeof given === "string" ? given.trim() : typeof given === "number" ? String(given) : "";
  const seconds = text ? Number(text) : DEFAULT_MAX_WAIT_S;
  if (busy === "wait" && !(Number.isFinite(seconds) && seconds >= 0)) {
    const field = t("access-token-request.label.maxWait");
    return new TokenError({
      kind: "config",
      vendor,
      key: "api-max-wait-setting",
      params: { field, value: JSON.stringify(text) },
    });
  }
  return { busy, maxWaitMs: seconds * 1000 };
}
