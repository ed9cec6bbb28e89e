// The simulator's mutable state: accounts, issued tokens, settings and counters.
// Every time read goes through Date.now() so tests that fake Date see tokens expire.
import {
  demoAccounts,
  enosAccount,
  homemadeAccount,
  oauth2Account,
  oneaccessAccount,
  orionstarAccount,
} from "./accounts";
import { randomHex } from "./http-util";
import {
  ENDPOINTS,
  type Accounts,
  type EnosAccount,
  type Endpoint,
  type HomemadeAccount,
  type OAuth2Account,
  type OneAccessAccount,
  type OrionStarAccount,
  type ServerId,
} from "./types";

export const DEFAULT_LIFETIMES: Readonly<Record<ServerId, number>> = {
  orionstar: 7200,
  enos: 7200,
  oneaccess: 1800,
  oauth2: 3600,
  homemade: 3600,
};

export interface TokenRecord {
  provider: ServerId;
  token: string;
  /** appid / appKey / clientId of the account the token belongs to. */
  accountId: string;
  expiresAt: number;
  /** Set by expireTokens(): expired whatever the clock says. */
  forcedExpired: boolean;
}

export class SimState {
  readonly demo: Accounts = demoAccounts();
  readonly orionstar = new Map<string, OrionStarAccount>([[this.demo.orionstar.appid, this.demo.orionstar]]);
  readonly enos = new Map<string, EnosAccount>([[this.demo.enos.appKey, this.demo.enos]]);
  readonly oneaccess = new Map<string, OneAccessAccount>([[this.demo.oneaccess.clientId, this.demo.oneaccess]]);
  readonly oauth2 = new Map<string, OAuth2Account>([[this.demo.oauth2.clientId, this.demo.oauth2]]);
  readonly homemade = new Map<string, HomemadeAccount>([[this.demo.homemade.appKey, this.demo.homemade]]);

  lifetimes: Record<ServerId, number> = { ...DEFAULT_LIFETIMES };
  ipAllowed = true;
  clockSkewMs = 0;

  private readonly tokens = new Map<string, TokenRecord>();
  /** EnOS hands the same token back while it is valid: appKey -> current token. */
  private readonly enosCurrent = new Map<string, string>();
  /** EnOS refuses a reused `encryption`: encryption -> local time first seen. */
  private readonly usedEncryptions = new Map<string, number>();
  private countsByEndpoint = zeroCounts();

  addAccount(provider: ServerId, creds: Record<string, string>): void {
    if (provider === "orionstar") {
      const a = orionstarAccount(creds);
      this.orionstar.set(a.appid, a);
    } else if (provider === "enos") {
      const a = enosAccount(creds);
      this.enos.set(a.appKey, a);
    } else if (provider === "oneaccess") {
      const a = oneaccessAccount(creds);
      this.oneaccess.set(a.clientId, a);
    } else if (provider === "oauth2") {
      const a = oauth2Account(creds);
      this.oauth2.set(a.clientId, a);
    } else if (provider === "homemade") {
      const a = homemadeAccount(creds);
      this.homemade.set(a.appKey, a);
    } else {
      throw new TypeError(`unknown provider ${String(provider)}`);
    }
  }

  /** The vendor's clock (EnOS checks timestamps against it). */
  vendorNow(): number {
    return Date.now() + this.clockSkewMs;
  }

  /** Registers a token. `lifetimeSeconds` defaults to the provider's configured lifetime. */
  issue(provider: ServerId, accountId: string, token?: string, lifetimeSeconds?: number): TokenRecord {
    const seconds = lifetimeSeconds ?? this.lifetimes[provider];
    const rec: TokenRecord = {
      provider,
      accountId,
      token: token ?? randomHex(24),
      expiresAt: Date.now() + seconds * 1000,
      forcedExpired: false,
    };
    this.tokens.set(key(provider, rec.token), rec);
    return rec;
  }

  /** Every token issued since the last reset: what a test checks never surfaces. */
  issuedTokens(): string[] {
    return [...this.tokens.values()].map((rec) => rec.token);
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
    const now = Date.now();
    for (const [enc, seen] of this.usedEncryptions) {
      if (now - seen > 15 * 60 * 1000) this.usedEncryptions.delete(enc);
    }
    if (this.usedEncryptions.has(encryption)) return false;
    this.usedEncryptions.set(encryption, now);
    return true;
  }

  expireAll(provider: ServerId): void {
    for (const rec of this.tokens.values()) if (rec.provider === provider) rec.forcedExpired = true;
  }

  /** clear(): settings back to defaults; tokens kept. */
  restoreDefaults(): void {
    this.lifetimes = { ...DEFAULT_LIFETIMES };
    this.ipAllowed = true;
    this.clockSkewMs = 0;
  }

  forgetTokens(): void {
    this.tokens.clear();
    this.enosCurrent.clear();
    this.usedEncryptions.clear();
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

function key(provider: ServerId, token: string): string {
  return `${provider}\n${token}`;
}

function zeroCounts(): Record<Endpoint, number> {
  const counts = {} as Record<Endpoint, number>;
  for (const e of ENDPOINTS) counts[e] = 0;
  return counts;
}
