// The HTTP control API (/__simulator/...): the in-process methods, reachable from other processes
// (benchmarks, the demo, multi-process tests).
import { json, parseJsonObject } from "./http-util";
import type { BusySpell, PacingStats, RateLimitRule } from "./pacing";
import type { Accounts, Endpoint, Fault, ServerId, Reply } from "./types";

export const CONTROL_PREFIX = "/__simulator/";

/** What the control API drives; ProviderSimulator implements it. */
export interface ControlTarget {
  readonly accounts: Accounts;
  readonly clockSkewMs: number;
  counts(): Record<Endpoint, number>;
  reset(): void;
  clear(): void;
  fail(endpoint: Endpoint, fault: Fault, times?: number): void;
  setTokenLifetime(provider: ServerId, seconds: number): void;
  setIpAllowed(allowed: boolean): void;
  expireTokens(provider: ServerId): void;
  setClockSkew(ms: number): void;
  addAccount(provider: ServerId, credentials: Record<string, string>): void;
  rateLimit(server: ServerId, rule: RateLimitRule): void;
  busy(endpoint: Endpoint, spell: BusySpell): void;
  /** Per server that limited or refused a call since the last reset. */
  pacingStats(): Partial<Record<ServerId, PacingStats>>;
}

type Action = (target: ControlTarget, body: Record<string, unknown>) => unknown;

const GET: Record<string, Action> = {
  counts: (t) => t.counts(),
  accounts: (t) => t.accounts,
  "clock-skew": (t) => ({ ms: t.clockSkewMs }),
  "pacing-stats": (t) => t.pacingStats(),
};

// The methods validate their arguments (TypeError/RangeError), so bad JSON fields surface as 400.
const POST: Record<string, Action> = {
  reset: (t) => t.reset(),
  clear: (t) => t.clear(),
  fail: (t, b) =>
    t.fail(
      b.endpoint as Endpoint,
      b.fault as Fault,
      b.times === undefined || b.times === null ? undefined : (b.times as number),
    ),
  lifetime: (t, b) => t.setTokenLifetime(b.provider as ServerId, b.seconds as number),
  "ip-allowed": (t, b) => {
    if (typeof b.allowed !== "boolean") throw new TypeError("allowed must be a boolean");
    t.setIpAllowed(b.allowed);
  },
  expire: (t, b) => t.expireTokens(b.provider as ServerId),
  "clock-skew": (t, b) => t.setClockSkew(b.ms as number),
  account: (t, b) => t.addAccount(b.provider as ServerId, (b.credentials ?? {}) as Record<string, string>),
  "rate-limit": (t, b) =>
    t.rateLimit(b.server as ServerId, { calls: b.calls as number, periodMs: b.periodMs as number }),
  busy: (t, b) => t.busy(b.endpoint as Endpoint, b as unknown as BusySpell),
};

export function handleControl(target: ControlTarget, method: string, pathname: string, body: Buffer): Reply {
  const name = pathname.slice(CONTROL_PREFIX.length);
  const allowed = [Object.hasOwn(GET, name) ? "GET" : "", Object.hasOwn(POST, name) ? "POST" : ""].filter(Boolean);
  if (allowed.length === 0) return json(404, { ok: false, error: `unknown control call ${pathname}` });
  const action =
    method === "GET" && Object.hasOwn(GET, name)
      ? GET[name]
      : method === "POST" && Object.hasOwn(POST, name)
        ? POST[name]
        : undefined;
  if (!action)
    return json(405, { ok: false, error: `${method} not allowed on ${pathname}` }, { allow: allowed.join(", ") });
  const args = body.length === 0 ? {} : parseJsonObject(body);
  if (!args) return json(400, { ok: false, error: "body must be a JSON object" });
  try {
    const result = action(target, args);
    return json(200, result === undefined ? { ok: true } : result);
  } catch (e) {
    return json(400, { ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
