// The state of one account's token: the held token, the one request in flight (single-flight),
// the failure backoff. It knows nothing about Node-RED, so it is tested directly with fake timers.
import { EventEmitter } from "node:events";
import { deriveAccountKey } from "./account-key";
import { signInRequired, TokenError } from "./errors";
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

/** A refresh token kept at rest (encrypted, src/refresh-token-store.ts) and the signed-in account's name. */
export interface StoredRefresh {
  readonly refreshToken: string;
  readonly accountName?: string;
}

/**
 * Where a token source keeps its refresh token across restarts. Declared here, by its user. Each
 * call settles after the ones before it; none rejects (a store that cannot write says so itself).
 */
export interface RefreshTokenStore {
  /** The refresh token kept for this account, or undefined (none, unreadable, another account's). */
  load(): Promise<StoredRefresh | undefined>;
  save(entry: StoredRefresh): Promise<void>;
  remove(): Promise<void>;
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
  /** Keep refresh tokens across restarts. */
  refreshTokens?: RefreshTokenStore;
  /** The credentials node's name: "sign in again" says where. */
  name?: string;
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
  /** The latest sign-in: a refresh or an earlier sign-in it aborted serves its callers this instead. */
  private signingIn?: Promise<Token>;
  private failures = 0;
  private lastError?: TokenError;
  private retryAt = 0;
  private closed = false;
  private readonly store?: RefreshTokenStore;
  private readonly name?: string;
  /** The refresh token kept at rest, read once (a restart): every request waits for it. */
  private readonly restored: Promise<void>;
  /** The writes of the kept refresh token, one after another: the last one written is the newest. */
  private writing: Promise<void> = Promise.resolve();
  /** A user's sign-in (authorization code): the account's name its answers gave. */
  private accountName?: string;

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
    this.store = options.refreshTokens;
    this.name = options.name;
    this.restored = this.restore();
  }

  /** Whether the token comes from a user's sign-in (then without one there is no token at all). */
  get signsIn(): boolean {
    return this.provider.signIn !== undefined;
  }

  /**
   * The first token of a user's sign-in: the code exchanged (`build` makes the request). It replaces
   * whatever was held, and its refresh token the kept one.
   */
  async signIn(build: (now: number) => TokenRequest | Promise<TokenRequest>): Promise<Token> {
    if (this.closed) throw this.abortedError();
    await this.restored;
    this.controller?.abort();
    const controller = new AbortController();
    // Only a newer sign-in or close() aborts a sign-in: the newer one's token serves its callers too.
    const pending = this.exchange(controller.signal, "token", build, undefined, true).then(
      (token) => {
        if (this.closed || controller.signal.aborted) return this.aborted();
        this.adopt(token, "vendor");
        return token;
      },
      (error: unknown) => {
        if (controller.signal.aborted) return this.aborted();
        throw error;
      },
    );
    // Requests meanwhile wait for it and get its token: a refresh with the refresh token it
    // replaces could answer after it and put the account before back.
    this.signingIn = pending;
    return this.inFlight(controller, pending);
  }

  /** The sign-in's state for the editor: whether a refresh token is held, and the account's name. */
  signInState(): { signedIn: boolean; accountName?: string } | undefined {
    if (!this.signsIn) return undefined;
    const signedIn = this.refreshToken !== undefined || this.current() !== undefined;
    return signedIn ? { signedIn, accountName: this.accountName } : { signedIn };
  }

  /** Every read and write of the kept refresh token settled (a removed node's file goes after them). */
  async settled(): Promise<void> {
    await this.restored;
    await this.writing;
  }

  private async restore(): Promise<void> {
    // A store that rejects, against its word (the file reports and answers undefined): signed out, no crash.
    const entry = await this.store?.load().catch(() => undefined);
    // Nothing is held before it: every request to the vendor waits for this read.
    if (!entry || this.closed) return;
    this.refreshToken = entry.refreshToken;
    this.accountName = entry.accountName;
    this.emit("state", "token" satisfies StateChange);
  }

  /** The refresh token and name as they are now, kept at rest (or removed when there is none). */
  private keep(): void {
    const store = this.store;
    if (!store) return;
    const entry =
      this.refreshToken === undefined ? undefined : { refreshToken: this.refreshToken, accountName: this.accountName };
    // A write that rejects, against the store's word, must not stop the ones after it nor go unhandled.
    this.writing = this.writing.then(() => (entry ? store.save(entry) : store.remove())).catch(() => undefined);
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
    return this.inFlight(controller, this.refresh(controller.signal, fallback, wanted));
  }

  /** The one request in flight, which callers share, until it settles (or another replaced it). */
  private inFlight(controller: AbortController, pending: Promise<Token>): Promise<Token> {
    this.controller = controller;
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
      if (this.closed || signal.aborted) return await this.aborted();
      this.adopt(token, fetchedHere ? "vendor" : "shared");
      return token;
    } catch (caught) {
      if (this.closed || signal.aborted) return this.aborted();
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

  private adopt(token: Token, origin: TokenOrigin): void {
    this.token = token;
    this.origin = origin;
    this.failures = 0;
    this.lastError = undefined;
    this.retryAt = 0;
    this.emit("token", token);
    this.emit("state", "token" satisfies StateChange);
  }

  /**
   * A new token from the vendor: with the refresh token held, a refresh first; if the vendor refuses
   * it, the full token request once. A user's sign-in has no token request: without a refresh token,
   * or when the vendor refuses it (invalid_grant, RFC 6749 5.2), the user must sign in again; any
   * other failure keeps it for the next try.
   */
  private async requestToken(signal: AbortSignal): Promise<Token> {
    await this.restored;
    if (this.signsIn) return this.refreshSignIn(signal);
    const held = this.refreshToken;
    const refreshRequest = this.provider.refreshRequest?.bind(this.provider);
    if (held !== undefined && refreshRequest) {
      try {
        // The refresh replaces the held access token: the request may be signed with it.
        const replacing = this.token?.value;
        return await this.exchange(signal, "refresh", (now) => refreshRequest(held, now), replacing);
      } catch (caught) {
        if (this.closed || signal.aborted) throw caught;
        if (this.refreshToken === held) this.forget();
      }
    }
    return this.exchange(signal, "token", (now) => this.provider.tokenRequest(now), undefined);
  }

  private async refreshSignIn(signal: AbortSignal): Promise<Token> {
    const held = this.refreshToken;
    const refreshRequest = this.provider.refreshRequest?.bind(this.provider);
    if (held === undefined || !refreshRequest) throw signInRequired(this.provider.vendor, this.name);
    try {
      return await this.exchange(signal, "refresh", (now) => refreshRequest(held, now), this.token?.value);
    } catch (caught) {
      const refused = caught instanceof TokenError && caught.code === "invalid_grant";
      if (!refused || this.closed || signal.aborted) throw caught;
      // The sign-in ended: its access token goes with its refresh token.
      if (this.refreshToken === held) {
        this.forget();
        this.token = undefined;
      }
      throw signInRequired(this.provider.vendor, this.name);
    }
  }

  /** The refresh token the vendor refused: gone from memory and from rest. */
  private forget(): void {
    this.refreshToken = undefined;
    this.accountName = undefined;
    this.keep();
  }

  /** One request to the vendor; every error leaves here with the request's secrets redacted. */
  private async exchange(
    signal: AbortSignal,
    purpose: "token" | "refresh",
    build: (now: number) => TokenRequest | Promise<TokenRequest>,
    replacing: string | undefined,
    newSignIn = false,
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
      // Held here (and kept encrypted at rest), never in the token (which context and Redis keep): a
      // rotated one replaces it. A sign-in's name comes with the answers that give one.
      // Kept even when the node closed meanwhile: the vendor may have rotated the one before. A new
      // sign-in (maybe of another account) replaces the name and refresh token of the one before.
      if (parsed.accountName !== undefined || newSignIn) this.accountName = parsed.accountName;
      if (parsed.refreshToken !== undefined || (newSignIn && this.refreshToken !== undefined)) {
        this.refreshToken = parsed.refreshToken;
        this.keep();
      }
      if (parsed.apiBase !== undefined) this.answeredApiBase = parsed.apiBase;
      return { value: parsed.token, obtainedAt: receivedAt, expiresAt: receivedAt + parsed.expiresIn * 1000 };
    } catch (caught) {
      throw redactError(caught, this.provider.vendor, [...request.secrets, ...this.provider.secrets]);
    }
  }

  /** What the callers of an aborted refresh get: a sign-in's token if a sign-in aborted it, else the abort. */
  private async aborted(): Promise<Token> {
    if (!this.closed && this.signingIn) return this.signingIn;
    throw this.abortedError();
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
