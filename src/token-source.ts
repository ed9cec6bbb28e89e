// The state of one account's token: the held token, the one request in flight (single-flight),
// the failure backoff. It knows nothing about Node-RED, so it is tested directly with fake timers.
import { EventEmitter } from "node:events";
import { deriveAccountKey } from "./account-key";
import { TokenError } from "./errors";
import type { HttpClient } from "./http";
import { redactError } from "./redact";
import type { BoundProvider, TokenRequest } from "./providers/types";
import { checkToken, isFresh, type Token } from "./token";

/** What a refresh will accept from other instances in place of asking the vendor. */
export interface Wanted {
  /** Refresh margin: a shared token inside it is not worth adopting. */
  marginMs: number;
  /** A forced refresh: the caller wants a newer token than the one it has. */
  forced: boolean;
  /** The token the caller found stale (forced refresh): that one is never adopted. */
  stale?: string;
  /**
   * When the stale token was obtained, if it is the one held here: a token obtained before it is at
   * least as stale (a failover can bring one back), so only one obtained since is adopted.
   */
  staleObtainedAt?: number;
  /** When the refresh began: a forced refresh with nothing known to be stale adopts only tokens obtained since. */
  startedAt: number;
  /** Entries shared for this account are signed with this key; one that fails the check is never adopted. */
  macKey: Buffer;
}

/**
 * What a token source needs from a cache shared with other instances (Redis): a token for the
 * account, either one another instance shared or the one `fetch` gets from the vendor. Declared
 * here, by its user, so the core names no plug-in.
 */
export interface SharedCache {
  obtain(account: string, wanted: Wanted, signal: AbortSignal, fetch: () => Promise<Token>): Promise<Token>;
}

/** A token asked from the vendor here, shared by another instance, or adopted from a context store. */
export type TokenOrigin = "vendor" | "shared" | "context";

export interface GetOptions {
  /** Refresh this long before expiry; capped at half the token's lifetime. */
  marginMs?: number;
  /** Ask the vendor for a new token even though the held one looks valid. */
  forceRefresh?: boolean;
  /** With forceRefresh: the token the caller found stale. A newer held token satisfies the call. */
  staleToken?: string;
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** A vendor's Retry-After is honoured up to this long. */
  maxRetryAfterMs: number;
}

export interface TokenSourceOptions {
  /** The provider bound to this account (adapter.bind): builds the token request and reads the answer. */
  provider: BoundProvider;
  http: Pick<HttpClient, "send">;
  now?: () => number;
  backoff?: Partial<BackoffSettings>;
  /** Share tokens with other instances (Redis): a refresh asks them before it asks the vendor. */
  shared?: SharedCache;
}

export const DEFAULT_MARGIN_MS = 300_000;
const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1_000, maxMs: 60_000, maxRetryAfterMs: 600_000 };

/** What changed in what describe() answers: a token obtained or adopted, or a failure. */
export type StateChange = "token" | "error";

/**
 * Events: "token" (a new token was obtained), "refresh-error" (a refresh failed while the held token
 * still works), "lifetime-capped" (the vendor claimed more than a day; emitted once, with its value in seconds),
 * "state" (what describe() answers changed, with a StateChange: once per request or adoption, never per caller).
 */
export class TokenSource extends EventEmitter {
  readonly provider: BoundProvider;
  /** Names the account without revealing the secret; a token cached for another account is never used. */
  readonly account: string;
  private readonly http: Pick<HttpClient, "send">;
  private readonly now: () => number;
  private readonly backoff: BackoffSettings;
  private readonly shared?: SharedCache;
  private readonly macKey: Buffer;
  private cappedWarned = false;
  private token?: Token;
  /** The refresh token of the last answer that gave one: a secret, in memory only. */
  private refreshToken?: string;
  /** The API base URL the last answer that named one gave (a token adopted from elsewhere names none). */
  private answeredApiBase?: string;
  /** Where the held token came from, for the editor's view of a credentials node. */
  private origin?: TokenOrigin;
  private inflight?: Promise<Token>;
  private controller?: AbortController;
  private failures = 0;
  private lastError?: TokenError;
  private retryAt = 0;
  private closed = false;

  constructor(options: TokenSourceOptions) {
    super();
    this.provider = options.provider;
    this.http = options.http;
    this.now = options.now ?? Date.now;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.shared = options.shared;
    // The account id plus a fingerprint of every credential field from a slow, salted derivation
    // (account-key.ts), so a token stored by an old secret is not reused after the credentials are
    // edited, and what context or Redis holds is no fast oracle for the secret.
    const key = deriveAccountKey(options.provider.accountId, options.provider.fields);
    this.account = key.name;
    this.macKey = key.macKey;
  }

  /** The API base URL the vendor's last token answer named, if it names one. */
  get apiBase(): string | undefined {
    return this.answeredApiBase;
  }

  /** The held token while the vendor still accepts it (even inside the refresh margin). */
  current(): Token | undefined {
    const token = this.token;
    return token && token.expiresAt > this.now() ? token : undefined;
  }

  /** The held token while it is fresh for this margin: what get() answers at once, without a promise. */
  fresh(marginMs: number): Token | undefined {
    const token = this.token;
    return token && !this.closed && isFresh(token, this.now(), marginMs) ? token : undefined;
  }

  /** Adopt a token found elsewhere (a context store) if it is valid and newer than the held one. */
  seed(found: Token): boolean {
    // Held to the rules a vendor token passes (token.ts): a planted entry is not served.
    const token = checkToken(found.value, found.expiresAt, found.obtainedAt, this.now());
    if (!token || this.closed || token.expiresAt <= this.now()) return false;
    if (this.token && this.token.expiresAt >= token.expiresAt) return false;
    this.token = token;
    this.origin = "context";
    this.emit("state", "token" satisfies StateChange);
    return true;
  }

  /** The held token, where it came from and the last failure: what the editor shows of this account. */
  describe(): { token?: Token; origin?: TokenOrigin; lastError?: TokenError } {
    return { token: this.current(), origin: this.origin, lastError: this.lastError };
  }

  async get(options: GetOptions = {}): Promise<Token> {
    if (this.closed) throw new TokenError({ kind: "aborted", vendor: this.provider.vendor, key: "aborted" });
    const now = this.now();
    const held = this.current();
    if (held && !options.forceRefresh && isFresh(held, now, options.marginMs ?? DEFAULT_MARGIN_MS)) return held;
    if (held && options.forceRefresh && options.staleToken !== undefined && options.staleToken !== held.value)
      return held;
    if (this.inflight) return this.inflight;
    if (now < this.retryAt && this.lastError) {
      // Inside the backoff window: a token that still works beats an error; otherwise fail fast.
      if (held && !options.forceRefresh) return held;
      throw this.lastError;
    }
    const forced = options.forceRefresh === true;
    // What a forced refresh must not be answered with: the caller's stale token, else the held one.
    const stale = forced ? (options.staleToken ?? held?.value) : undefined;
    const wanted: Wanted = {
      marginMs: options.marginMs ?? DEFAULT_MARGIN_MS,
      forced,
      stale,
      staleObtainedAt: held && stale === held.value ? held.obtainedAt : undefined,
      startedAt: now,
      macKey: this.macKey,
    };
    return this.startRefresh(forced ? undefined : held, wanted);
  }

  /** Abort the request in flight and refuse further calls; leaves no timer or socket of its own. */
  close(): void {
    this.closed = true;
    this.refreshToken = undefined;
    this.controller?.abort();
    this.removeAllListeners();
  }

  private startRefresh(fallback: Token | undefined, wanted: Wanted): Promise<Token> {
    const controller = new AbortController();
    this.controller = controller;
    const pending = this.refresh(controller.signal, fallback, wanted);
    this.inflight = pending;
    const settle = () => {
      if (this.inflight === pending) this.inflight = undefined;
      if (this.controller === controller) this.controller = undefined;
    };
    pending.then(settle, settle);
    return pending;
  }

  /** A new token from the other instances (when shared) or the vendor; bookkeeping of success and failure. */
  private async refresh(signal: AbortSignal, fallback: Token | undefined, wanted: Wanted): Promise<Token> {
    try {
      let fetchedHere = false;
      const fetch = () => {
        fetchedHere = true;
        return this.requestToken(signal);
      };
      const token = this.shared ? await this.shared.obtain(this.account, wanted, signal, fetch) : await fetch();
      if (this.closed || signal.aborted) throw this.abortedError();
      this.token = token;
      this.origin = fetchedHere ? "vendor" : "shared";
      this.failures = 0;
      this.lastError = undefined;
      this.retryAt = 0;
      this.emit("token", token);
      this.emit("state", "token" satisfies StateChange);
      return token;
    } catch (caught) {
      if (this.closed || signal.aborted) throw this.abortedError();
      // A shared cache's own failure (not a TokenError) may quote anything: it leaves with the secrets masked too.
      const error =
        caught instanceof TokenError ? caught : redactError(caught, this.provider.vendor, this.provider.secrets);
      if (error.kind === "aborted") throw error;
      this.failures += 1;
      this.lastError = error;
      this.retryAt = this.now() + this.backoffMs(error);
      this.emit("state", "error" satisfies StateChange);
      const stillValid = fallback && fallback.expiresAt > this.now() ? fallback : undefined;
      if (stillValid) {
        this.emit("refresh-error", error);
        return stillValid;
      }
      throw error;
    }
  }

  /**
   * A new token from the vendor: with the refresh token held, a refresh first; if the vendor refuses
   * it, the full token request once.
   */
  private async requestToken(signal: AbortSignal): Promise<Token> {
    const held = this.refreshToken;
    const refreshRequest = this.provider.refreshRequest?.bind(this.provider);
    if (held !== undefined && refreshRequest) {
      try {
        // The refresh replaces the held access token: the request may be signed with it.
        const replacing = this.token?.value;
        return await this.exchange(signal, "refresh", (now) => refreshRequest(held, now), replacing);
      } catch (caught) {
        if (this.closed || signal.aborted) throw caught;
        if (this.refreshToken === held) this.refreshToken = undefined;
      }
    }
    return this.exchange(signal, "token", (now) => this.provider.tokenRequest(now), undefined);
  }

  /** One request to the vendor; every error leaves here with the request's secrets redacted. */
  private async exchange(
    signal: AbortSignal,
    purpose: "token" | "refresh",
    build: (now: number) => TokenRequest | Promise<TokenRequest>,
    replacing: string | undefined,
  ): Promise<Token> {
    // Building the request may fail too (custom evaluates JSONata): it redacts its own errors.
    const now = this.now();
    const request = await build(now);
    try {
      const sent = await this.provider.authorize({ purpose, ...request }, replacing, now);
      const response = await this.http.send(sent, this.provider.vendor, signal);
      const receivedAt = this.now();
      const parsed = await this.provider.parseToken(response, receivedAt);
      if (parsed.cappedFrom !== undefined && !this.cappedWarned) {
        this.cappedWarned = true;
        this.emit("lifetime-capped", parsed.cappedFrom);
      }
      // Held here only, never in the token (which context and Redis keep): a rotated one replaces it.
      if (parsed.refreshToken !== undefined) this.refreshToken = parsed.refreshToken;
      if (parsed.apiBase !== undefined) this.answeredApiBase = parsed.apiBase;
      return { value: parsed.token, obtainedAt: receivedAt, expiresAt: receivedAt + parsed.expiresIn * 1000 };
    } catch (caught) {
      throw redactError(caught, this.provider.vendor, [...request.secrets, ...this.provider.secrets]);
    }
  }

  private abortedError(): TokenError {
    return new TokenError({ kind: "aborted", vendor: this.provider.vendor, key: "aborted" });
  }

  private backoffMs(error: TokenError): number {
    const growing = Math.min(this.backoff.initialMs * 2 ** (this.failures - 1), this.backoff.maxMs);
    const asked = Math.min(error.retryAfterMs ?? 0, this.backoff.maxRetryAfterMs);
    return Math.max(growing, asked);
  }
}
