// Rows 6 and 7: API calls per second, the same OneAccess call made by our api request node, by the
// chain users build today (get token + core http request) and by the core http request node alone
// with a fixed Authorization header; then what the api request node itself costs per call (CPU in
// this package's code, token lookup and header building included) against the time a call takes.
import { median } from "./driver";
import { apiLayout, type ApiContender } from "./api-flows";
import type { Accounts } from "./flows";
import { merge } from "./flows";
import { profileTraffic, type Profile } from "./profile";
import type { BenchRuntime } from "./runtime";
import { interleave, pairedRatio, type ThroughputOptions, type ThroughputResult } from "./throughput";
import type { ProviderSimulator } from "../test/simulator";

export const API_CONTENDERS: readonly ApiContender[] = ["api-request", "token-http", "http-fixed"];

export interface ApiCallsResult {
  rows: Array<{ contender: ApiContender; medianPerSecond: number; lost: number; invalid: number }>;
  /** api request's calls per second over each other contender's, median of per-round ratios. */
  ratios: Record<ApiContender, number>;
  cost: { profile: Profile; calls: number; ourUsPerCall: number; callMs: number; share: number };
  window: number;
}

/** A good answer to the users call: HTTP 200 with a users array (whichever node made the call). */
export const isUsersAnswer = (msg: Record<string, any>) => msg.statusCode === 200 && Array.isArray(msg.payload?.users);

export async function apiCalls(
  rt: BenchRuntime,
  sim: ProviderSimulator,
  account: Accounts,
  options: ThroughputOptions,
  profileMs: number,
): Promise<ApiCallsResult> {
  // The fixed header needs a token that outlives the run: one fetched here, as a user would paste it.
  const token = await fetchToken(sim.url, account);
  const sets = API_CONTENDERS.map((contender) =>
    apiLayout({ contender, prefix: `api-${contender}`, simUrl: sim.url, account, token }),
  );
  await rt.deploy(merge(...sets));
  const lines = API_CONTENDERS.map((contender, i) => ({
    name: contender,
    targets: [rt.node(sets[i].lines[0].first)],
    valid: isUsersAnswer,
  }));
  const rounds = await interleave(lines, options);
  const results: ThroughputResult[] = rounds.map((r, i) => ({
    variant: { name: API_CONTENDERS[i], contender: "get-token" },
    rounds: r,
    medianPerSecond: median(r.map((x) => x.perSecond)),
  }));
  const ratios = Object.fromEntries(
    API_CONTENDERS.map((contender, i) => [contender, pairedRatio(results[0], results[i])]),
  ) as Record<ApiContender, number>;

  const traffic = await profileTraffic(
    rt,
    apiLayout({ contender: "api-request", prefix: "api-prof", simUrl: sim.url, account }),
    { ms: profileMs, window: options.window, valid: isUsersAnswer },
  );
  const calls = traffic.arrived;
  // Sampled wall time in our own code, per call; a call's time is its mean latency at this window.
  const ourUsPerCall = ((traffic.profile.packageSelf * traffic.elapsedMs) / calls) * 1000;
  const callMs = (options.window * traffic.elapsedMs) / calls;
  return {
    rows: results.map((r, i) => ({
      contender: API_CONTENDERS[i],
      medianPerSecond: r.medianPerSecond,
      lost: r.rounds.reduce((n, x) => n + x.lost, 0),
      invalid: r.rounds.reduce((n, x) => n + x.invalid, 0),
    })),
    ratios,
    cost: { profile: traffic.profile, calls, ourUsPerCall, callMs, share: ourUsPerCall / 1000 / callMs },
    window: options.window,
  };
}

/** One token from the simulator, as a user would fetch it to paste into a fixed header. */
export async function fetchToken(simUrl: string, account: Accounts): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: account.clientId,
    client_secret: account.clientSecret,
  });
  const response = await fetch(`${simUrl}/api/v2/tenant/token`, { method: "POST", body: form });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from the simulator (HTTP ${response.status})`);
  return body.access_token;
}
