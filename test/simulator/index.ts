// A stand-in for the three vendors (OrionStar, EnOS, OneAccess), two generic token servers and the
// six IoT clouds of the custom provider's presets, so the package can be tested without accounts.
// Public entry point: ProviderSimulator, the types other code uses, and the vendors' reference
// signers (to check what the package sends).
import type { ControlTarget } from "./control";
import { FaultTable } from "./faults";
import type { AcceptedCall, BusySpell, PacingStats, RateLimitRule } from "./pacing";
import { SimServer } from "./server";
import { SimState } from "./state";
import {
  ENDPOINTS,
  PROVIDERS,
  SERVERS,
  isTokenServer,
  type Accounts,
  type Endpoint,
  type Fault,
  type ProviderId,
  type ServerId,
  type SimulatorOptions,
} from "./types";

export { CLOUDS, ENDPOINTS, PROVIDERS, SERVERS, TOKENLESS_CLOUDS } from "./types";
export type {
  Accounts,
  CloudId,
  Endpoint,
  Fault,
  ProviderId,
  ServerId,
  SimulatorOptions,
  TokenServerId,
} from "./types";
export { homemadeSignature } from "./homemade";
export type { AcceptedCall, BusySpell, PacingStats, RateLimitRule } from "./pacing";
export { DEFAULT_LIFETIMES } from "./state";
export { enosSignature, paramsData } from "./enos-api";
export * from "./tuya-signing";
export * from "./huawei-signing";
export * from "./hikvision-artemis-signing";
export * from "./aliyun-iot-signing";
export { jwtClaims } from "./thingsboard-jwt";

function checkProvider(provider: ServerId): void {
  if (!SERVERS.includes(provider)) throw new TypeError(`unknown provider ${JSON.stringify(provider)}`);
}

export class ProviderSimulator implements ControlTarget {
  readonly url: string;
  readonly port: number;
  /** The demo accounts that always exist (the same values on every run). */
  readonly accounts: Accounts;

  private constructor(
    private readonly server: SimServer,
    private readonly state: SimState,
    private readonly faults: FaultTable,
    host: string,
  ) {
    this.port = server.port;
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`;
    this.accounts = state.demo;
  }

  static async start(options: SimulatorOptions = {}): Promise<ProviderSimulator> {
    const host = options.host ?? "127.0.0.1";
    const state = new SimState();
    const faults = new FaultTable();
    // The control API needs the instance, which needs the listening server: bind it late.
    let sim: ProviderSimulator | undefined;
    const server = await SimServer.listen(options.port ?? 0, host, state, faults, () => sim as ProviderSimulator);
    sim = new ProviderSimulator(server, state, faults, host);
    return sim;
  }

  get clockSkewMs(): number {
    return this.state.clockSkewMs;
  }

  setClockSkew(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError("clock skew must be a finite number of ms");
    this.state.clockSkewMs = ms;
  }

  addAccount(provider: ServerId, credentials: Record<string, string>): void {
    checkProvider(provider);
    this.state.addAccount(provider, credentials);
  }

  setTokenLifetime(provider: ServerId, seconds: number): void {
    checkProvider(provider);
    if (!isTokenServer(provider)) throw new TypeError(`${provider} signs every call: it has no tokens`);
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0)
      throw new RangeError("seconds must be a number >= 0");
    this.state.lifetimes[provider] = seconds;
  }

  /** How many items a vendor's list holds (OrionStar's robots, EnOS's devices, OneAccess's users) until clear(). */
  setListSize(provider: ProviderId, items: number): void {
    if (!PROVIDERS.includes(provider)) throw new TypeError(`${provider} has no list of its own in the simulator`);
    if (!Number.isInteger(items) || items < 0) throw new RangeError("items must be a whole number >= 0");
    this.state.listSizes[provider] = items;
  }

  setIpAllowed(allowed: boolean): void {
    if (typeof allowed !== "boolean") throw new TypeError("allowed must be a boolean");
    this.state.ipAllowed = allowed;
  }

  /** A strict limit per account on every API endpoint of `server` (429 with Retry-After above it), until clear(). */
  rateLimit(server: ServerId, rule: RateLimitRule): void {
    this.state.pacing.limit(server, rule);
  }

  /** `endpoint` answers 429 or 503 to every request for a while. */
  busy(endpoint: Endpoint, spell: BusySpell): void {
    this.state.pacing.busy(endpoint, spell);
  }

  /** The calls each limited server let through, refused with 429, and answered busy, since the last reset. */
  pacingStats(): Partial<Record<ServerId, PacingStats>> {
    return this.state.pacing.allStats();
  }

  /** One server's counts (zeros when nothing was limited). */
  pacingStatsOf(server: ServerId): PacingStats {
    return this.state.pacing.statsOf(server);
  }

  /** The API calls a rate-limited server let through, in the order they arrived. */
  acceptedCalls(server: ServerId): AcceptedCall[] {
    return this.state.pacing.acceptedCalls(server);
  }

  fail(endpoint: Endpoint, fault: Fault, times?: number): void {
    this.faults.add(endpoint, fault, times);
  }

  clear(): void {
    this.faults.clear();
    this.state.restoreDefaults();
  }

  reset(): void {
    this.clear();
    this.state.forgetTokens();
    this.state.zeroCounts();
  }

  /**
   * The revoke control (the demo's): every current access token of the server now gets the
   * vendor's expiry answer; refresh tokens stay usable. A token-less cloud has nothing to revoke.
   */
  expireTokens(provider: ServerId): void {
    checkProvider(provider);
    this.state.expireAll(provider);
  }

  /** Every token issued since the last reset (tests check that none surfaces in a log or an error). */
  issuedTokens(): string[] {
    return this.state.issuedTokens();
  }

  /** Every refresh token issued since the last reset. */
  issuedRefreshTokens(): string[] {
    return this.state.issuedRefreshTokens();
  }

  count(endpoint: Endpoint): number {
    if (!ENDPOINTS.includes(endpoint)) throw new TypeError(`unknown endpoint ${JSON.stringify(endpoint)}`);
    return this.state.counts()[endpoint];
  }

  counts(): Record<Endpoint, number> {
    return this.state.counts();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
