// The simulator's mutable state: accounts, issued tokens, settings and counters.
// Every time read goes through Date.now() so tests that fake Date see tokens expire.
import { ACCOUNT_KINDS, demoAccounts } from "./accounts";
import { LIST_SIZES } from "./data";
import { randomHex } from "./http-util";
import { VendorPacing } from "./pacing";
import {
  ENDPOINTS,
  type Accounts,
  type AuthorizationCode,
  type Endpoint,
  type ProviderId,
  type ServerId,
  type TokenServerId,
} from "./types";

/** Access token lifetimes in seconds, as each vendor documents them. */
export const DEFAULT_LIFETIMES: Readonly<Record<TokenServerId, number>> = {
  orionstar: 7200,
  enos: 7200,
  oneaccess: 1800,
  oauth2: 3600,
  homemade: 3600,
  tuya: 7200,
  "huawei-iam": 24 * 3600,
  thingsboard: 9000,
  ezviz: 7 * 24 * 3600,
};

type AccountMaps = { [K in ServerId]: Map<string, Accounts[K]> };

function demoAccountMaps(demo: Accounts): AccountMaps {
  const seed = <K extends ServerId>(server: K): Map<string, Accounts[K]> =>
    new Map([[ACCOUNT_KINDS[server].key(demo[server]), demo[server]]]);
  return {
    orionstar: seed("orionstar"),
    enos: seed("enos"),
    oneaccess: seed("oneaccess"),
    oauth2: seed("oauth2"),
    homemade: seed("homemade"),
    tuya: seed("tuya"),
    "huawei-iam": seed("huawei-iam"),
    thingsboard: seed("thingsboard"),
    ezviz: seed("ezviz"),
    "hikvision-artemis": seed("hikvision-artemis"),
    "aliyun-iot": seed("aliyun-iot"),
  };
}

export interface TokenRecord {
  provider: TokenServerId;
  token: string;
  /** The key of the account the token belongs to (ACCOUNT_KINDS). */
  accountId: string;
  expiresAt: number;
  /** Set by expireTokens(): expired whatever the clock says. */
  forcedExpired: boolean;
  /** Set when a refresh replaced it (Tuya): no longer valid, though not expired. */
  replaced: boolean;
}

/** A refresh token (Tuya, ThingsBoard) and the access token issued with it. */
export interface RefreshRecord {
  provider: TokenServerId;
  token: string;
  accountId: string;
  accessToken: string;
  /** Infinity when it does not expire by time (Tuya). */
  expiresAt: number;
  /** Set once it has been used, for vendors whose refresh tokens work once (Tuya). */
  used: boolean;
}

export class SimState {
  readonly demo: Accounts = demoAccounts();
  /** Every server's accounts, by the key the server looks them up by (ACCOUNT_KINDS). */
  readonly accounts: AccountMaps = demoAccountMaps(this.demo);
  readonly orionstar = this.accounts.orionstar;
  readonly enos = this.accounts.enos;
  readonly oneaccess = this.accounts.oneaccess;
  readonly oauth2 = this.accounts.oauth2;
  readonly homemade = this.accounts.homemade;

  /** Rate limits and busy spells (pacing.ts). */
  readonly pacing = new VendorPacing();
  lifetimes: Record<TokenServerId, number> = { ...DEFAULT_LIFETIMES };
  /** How many items the three vendors' lists hold (robots, devices, users). */
  listSizes: Record<ProviderId, number> = { ...LIST_SIZES };
  ipAllowed = true;
  clockSkewMs = 0;

  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  /** EnOS hands the same token back while it is valid: appKey -> current token. */
  private readonly enosCurrent = new Map<string, string>();
  /** Values a vendor accepts once (EnOS's `encryption`, signature nonces): scope + value -> local time first seen. */
  private readonly usedOnce = new Map<string, number>();
  /** The authorization codes of the oauth2 server (RFC 6749 4.1), by value. */
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  private countsByEndpoint = zeroCounts();

  addAccount<K extends ServerId>(provider: K, creds: Record<string, string>): void {
    const kind = ACCOUNT_KINDS[provider] as (typeof ACCOUNT_KINDS)[K] | undefined;
    if (!kind) throw new TypeError(`unknown provider ${String(provider)}`);
    const account = kind.build(creds);
    this.accounts[provider].set(kind.key(account), account);
  }

  account<K extends ServerId>(provider: K, key: string): Accounts[K] | undefined {
    return this.accounts[provider].get(key);
  }

  /** The vendor's clock (EnOS checks timestamps against it). */
  vendorNow(): number {
    return Date.now() + this.clockSkewMs;
  }

  /** Registers a token. `lifetimeSeconds` defaults to the provider's configured lifetime. */
  issue(provider: TokenServerId, accountId: string, token?: string, lifetimeSeconds?: number): TokenRecord {
    const seconds = lifetimeSeconds ?? this.lifetimes[provider];
    const rec: TokenRecord = {
      provider,
      accountId,
      token: token ?? randomHex(24),
      expiresAt: Date.now() + seconds * 1000,
      forcedExpired: false,
      replaced: false,
    };
    this.tokens.set(key(provider, rec.token), rec);
    return rec;
  }

  /** Registers a refresh token for `access`; `lifetimeSeconds` undefined: it never expires by time. */
  issueRefresh(access: TokenRecord, token: string, lifetimeSeconds?: number): RefreshRecord {
    const rec: RefreshRecord = {
      provider: access.provider,
      token,
      accountId: access.accountId,
      accessToken: access.token,
      expiresAt: lifetimeSeconds === undefined ? Infinity : Date.now() + lifetimeSeconds * 1000,
      used: false,
    };
    this.refreshTokens.set(key(rec.provider, token), rec);
    return rec;
  }

  findRefresh(provider: TokenServerId, token: string | undefined): RefreshRecord | undefined {
    return token === undefined ? undefined : this.refreshTokens.get(key(provider, token));
  }

  isRefreshExpired(rec: RefreshRecord): boolean {
    return Date.now() >= rec.expiresAt;
  }

  /** Every token and refresh token issued since the last reset: what a test checks never surfaces. */
  issuedTokens(): string[] {
    return [...this.tokens.values(), ...this.refreshTokens.values()].map((rec) => rec.token);
  }

  /** The refresh tokens alone: secrets that, unlike access tokens, no cache may hold. */
  issuedRefreshTokens(): string[] {
    return [...this.refreshTokens.values()].map((rec) => rec.token);
  }

  find(provider: ServerId, token: string | undefined): TokenRecord | undefined {
    return token === undefined ? undefined : this.tokens.get(key(provider, token));
  }

  isExpired(rec: TokenRecord): boolean {
    return rec.forcedExpired || Date.now() >= rec.expiresAt;
  }

  /** Whole seconds left, never negative. */
  remainingSeconds(rec: TokenRecord): number {
    return Math.max(0, Math.floor((rec.expiresAt - Date.now()) / 1000));
  }

  enosCurrentToken(appKey: string): TokenRecord | undefined {
    const rec = this.find("enos", this.enosCurrent.get(appKey));
    return rec && !this.isExpired(rec) ? rec : undefined;
  }

  setEnosCurrent(appKey: string, rec: TokenRecord): void {
    this.enosCurrent.set(appKey, rec.token);
  }

  /** True the first time an encryption is seen; old entries are pruned (their timestamps are stale anyway). */
  useEncryption(encryption: string): boolean {
    return this.useOnce("enos", encryption);
  }

  /**
   * True the first time `value` is seen in `scope` within the replay window (15 minutes, the
   * longest any vendor's timestamp check allows); older entries are pruned.
   */
  useOnce(scope: string, value: string): boolean {
    const now = Date.now();
    for (const [seenKey, seen] of this.usedOnce) {
      if (now - seen > REPLAY_WINDOW_MS) this.usedOnce.delete(seenKey);
    }
    const k = key(scope, value);
    if (this.usedOnce.has(k)) return false;
    this.usedOnce.set(k, now);
    return true;
  }

  /** The revoke control: every access token of the server is expired (refresh tokens stay usable). */
  expireAll(provider: ServerId): void {
    for (const rec of this.tokens.values()) if (rec.provider === provider) rec.forcedExpired = true;
  }

  /** clear(): settings back to defaults; tokens kept. */
  restoreDefaults(): void {
    this.lifetimes = { ...DEFAULT_LIFETIMES };
    this.listSizes = { ...LIST_SIZES };
    this.pacing.clear();
    this.ipAllowed = true;
    this.clockSkewMs = 0;
  }

  forgetTokens(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
    this.enosCurrent.clear();
    this.usedOnce.clear();
    this.authorizationCodes.clear();
  }

  countRequest(endpoint: Endpoint): void {
    this.countsByEndpoint[endpoint] += 1;
  }

  counts(): Record<Endpoint, number> {
    return { ...this.countsByEndpoint };
  }

  zeroCounts(): void {
    this.countsByEndpoint = zeroCounts();
  }
}

const REPLAY_WINDOW_MS = 15 * 60 * 1000;

function key(scope: string, value: string): string {
  return `${scope}\n${value}`;
}

function zeroCounts(): Record<Endpoint, number> {
  const counts = {} as Record<Endpoint, number>;
  for (const e of ENDPOINTS) counts[e] = 0;
  return counts;
}
