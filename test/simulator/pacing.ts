// What a vendor does to callers that go too fast: a strict limit per account on a server's API
// endpoints (at most `calls` in any window of `periodMs`, counted on arrival; above it 429 with
// Retry-After, and the refused call does not count), and spells during which an endpoint answers
// 429 or 503 to everyone (with or without Retry-After, in seconds or as an HTTP date). Token
// endpoints are never limited here: vendors limit them apart. Set per test; reset() clears them.
import { json } from "./http-util";
import type { SimState } from "./state";
import {
  ENDPOINTS,
  SERVERS,
  TOKEN_ENDPOINTS,
  type Endpoint,
  type Reply,
  type ServerId,
  type SimRequest,
} from "./types";

export interface RateLimitRule {
  /** Calls let through per account in any window of periodMs. */
  calls: number;
  periodMs: number;
}

export interface BusySpell {
  status: 429 | 503;
  /** How long from now the endpoint answers so. */
  ms: number;
  /** Retry-After in seconds; absent: no header. */
  retryAfter?: number;
  /** Send Retry-After as an HTTP date (retryAfter seconds from now) instead of seconds. */
  retryAfterDate?: boolean;
}

/** An API call a limited server let through: when it arrived, and its path and query. */
export interface AcceptedCall {
  at: number;
  url: string;
}

/** Per server: the API calls let through and refused (429) by its rate limit, and answered by a busy spell. */
export interface PacingStats {
  accepted: number;
  refused: number;
  busy: number;
}

export class VendorPacing {
  private readonly rules = new Map<ServerId, RateLimitRule>();
  /** server + account -> arrival times of the calls let through, oldest first. */
  private readonly arrivals = new Map<string, number[]>();
  private readonly spells = new Map<Endpoint, BusySpell & { until: number }>();
  private stats = new Map<ServerId, PacingStats>();
  private accepted = new Map<ServerId, AcceptedCall[]>();

  /** Limit every API endpoint of `server`, per account. */
  limit(server: ServerId, rule: RateLimitRule): void {
    if (!SERVERS.includes(server)) throw new TypeError(`unknown server ${JSON.stringify(server)}`);
    if (!Number.isInteger(rule.calls) || rule.calls < 1) throw new RangeError("calls must be an integer >= 1");
    if (!(typeof rule.periodMs === "number" && rule.periodMs > 0)) throw new RangeError("periodMs must be > 0");
    this.rules.set(server, { calls: rule.calls, periodMs: rule.periodMs });
  }

  /** The endpoint answers `status` to every request for `ms` from now. */
  busy(endpoint: Endpoint, spell: BusySpell): void {
    if (!ENDPOINTS.includes(endpoint)) throw new TypeError(`unknown endpoint ${JSON.stringify(endpoint)}`);
    if (spell.status !== 429 && spell.status !== 503) throw new RangeError("status must be 429 or 503");
    if (!(typeof spell.ms === "number" && spell.ms >= 0)) throw new RangeError("ms must be >= 0");
    if (spell.retryAfter !== undefined && !(Number.isInteger(spell.retryAfter) && spell.retryAfter >= 0))
      throw new RangeError("retryAfter must be a whole number of seconds >= 0");
    this.spells.set(endpoint, { ...spell, until: Date.now() + spell.ms });
  }

  statsOf(server: ServerId): PacingStats {
    return { ...(this.stats.get(server) ?? { accepted: 0, refused: 0, busy: 0 }) };
  }

  /** The calls a limited server let through, in the order they arrived. */
  acceptedCalls(server: ServerId): AcceptedCall[] {
    return [...(this.accepted.get(server) ?? [])];
  }

  allStats(): Partial<Record<ServerId, PacingStats>> {
    return Object.fromEntries([...this.stats].map(([server, stats]) => [server, { ...stats }]));
  }

  clear(): void {
    this.rules.clear();
    this.arrivals.clear();
    this.spells.clear();
    this.stats = new Map();
    this.accepted = new Map();
  }

  /** The answer that stops this request (a busy spell, the rate limit), or undefined to serve it. */
  answer(state: SimState, req: SimRequest): Reply | undefined {
    const server = req.endpoint.split(".")[0] as ServerId;
    const now = Date.now();
    const spell = this.spells.get(req.endpoint);
    if (spell && now < spell.until) {
      this.count(server).busy += 1;
      return refusal(spell.status, spell.retryAfter, spell.retryAfterDate, now);
    }
    const rule = this.rules.get(server);
    if (!rule || TOKEN_ENDPOINTS.includes(req.endpoint)) return undefined;
    const key = `${server}\n${accountOf(state, server, req)}`;
    const times = this.arrivals.get(key) ?? [];
    this.arrivals.set(key, times);
    while (times.length > 0 && times[0] <= now - rule.periodMs) times.shift();
    if (times.length >= rule.calls) {
      this.count(server).refused += 1;
      return refusal(429, Math.max(1, Math.ceil((times[0] + rule.periodMs - now) / 1000)), false, now);
    }
    times.push(now);
    this.count(server).accepted += 1;
    let calls = this.accepted.get(server);
    if (!calls) this.accepted.set(server, (calls = []));
    calls.push({ at: now, url: req.url.pathname + req.url.search });
    return undefined;
  }

  private count(server: ServerId): PacingStats {
    let stats = this.stats.get(server);
    if (!stats) this.stats.set(server, (stats = { accepted: 0, refused: 0, busy: 0 }));
    return stats;
  }
}

function refusal(status: 429 | 503, retryAfter: number | undefined, asDate: boolean | undefined, now: number): Reply {
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined)
    headers["retry-after"] = asDate ? new Date(now + retryAfter * 1000).toUTCString() : String(retryAfter);
  const error = status === 429 ? "too_many_requests" : "service_unavailable";
  return json(status, { error, message: status === 429 ? "rate limit exceeded" : "try again later" }, headers);
}

/** The account a call is made for: the one its token (in any header or query value) was issued to. */
function accountOf(state: SimState, server: ServerId, req: SimRequest): string {
  const values = [
    ...Object.values(req.headers).flatMap((value) => (Array.isArray(value) ? value : value ? [value] : [])),
    ...req.url.searchParams.values(),
  ];
  for (const value of values) {
    for (const word of value.split(/[\s,]+/)) {
      const rec = word ? state.find(server, word) : undefined;
      if (rec) return rec.accountId;
    }
  }
  // Signed calls without a token (and unknown tokens) share one count.
  return "";
}
