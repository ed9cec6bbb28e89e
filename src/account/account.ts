// One account at one provider, without Node-RED: the bound provider, its token source and its HTTP
// client. Every request to the vendor goes through here and passes the provider's one authorize
// step: the token request (inside the token source) and each API call (call()), which the API-origin
// rule guards before any token is fetched or call signed.
import { httpOrigin, type ApiTarget } from "../api-origins";
import { TokenError } from "../errors";
import { rawResponse, type HttpAnswer, type HttpClient } from "../http";
import type { BoundProvider, VendorRequest } from "../providers/types";
import { Limiter, type Place } from "../rate-limit/limiter";
import { DEFAULT_MAX_QUEUE } from "../rate-limit/properties";
import { SecretMask } from "../redact";
import { isFresh, type Token } from "../token";
import {
  TokenSource,
  type BackoffSettings,
  type GetOptions,
  type RefreshTokenStore,
  type SharedCache,
} from "../token-source";
import { callOnce, resendOnExpiry, type CallOutcome, type CallStep } from "./call";
import { inTurn, waitWhenBusy, type BusyOptions } from "./pacing";

export type { CallOutcome } from "./call";

export interface AccountOptions {
  provider: BoundProvider;
  /** Its proxy, TLS, timeout and HTTPS rule; closed with the account. */
  http: HttpClient;
  /** Where API calls go: the base of relative paths, and the only origins the token may be sent to. */
  api: ApiTarget;
  /** Share tokens with other instances (Redis). */
  shared?: SharedCache;
  /** Keep refresh tokens across restarts (encrypted in the user directory). */
  refreshTokens?: RefreshTokenStore;
  /** The credentials node's name, for "sign in again". */
  name?: string;
  now?: () => number;
  backoff?: Partial<BackoffSettings>;
  /** The account's call queue (rate limit, busy vendor's pause), made for the account's name; default: no limit. */
  limiter?: (account: string) => Limiter;
}

/** An API call as planned from a message, before what proves the account is added. */
export interface PlannedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** A call authorize needs nothing of but the token (no method, URL or body to sign). */
export const TOKEN_ONLY: PlannedRequest = { method: "GET", url: "", headers: {} };

export interface CallOptions {
  /** How the caller names the vendor in its errors (the node's provider label). */
  vendor: string;
  signal: AbortSignal;
  /** The answer's body is read up to this many bytes. */
  maxBytes: number;
  /** Refresh margin for the token the call starts with. */
  marginMs: number;
  /** Ask the vendor for a new token before the call. */
  forceRefresh: boolean;
  /** On the vendor's expiry signal: one shared refresh, then the call once more. */
  resend: boolean;
  /** Told when the call has to wait for a token request (for a node's status). */
  onTokenRequest?: () => void;
  /** Told when the call has to wait in the account's queue (rate limit, a busy vendor's pause). */
  onQueued?: () => void;
  /** On 429 or 503: pause the account's calls as the vendor asks and send again, within maxWaitMs. */
  busy?: Pick<BusyOptions, "maxWaitMs" | "onWait">;
}

export class Account {
  readonly tokens: TokenSource;
  /** Where every API call waits its turn (token requests do not: see pacing.ts). */
  readonly limiter: Limiter;
  private readonly now: () => number;
  /** The token whose once-per-token auth work (provider.prepare) is done. */
  private prepared?: string;
  /** The secrets' forms, made on the first failing call and reused by every later one. */
  private mask?: SecretMask;
  /** authorize's answer for a message's headers when no API call is signed: it depends on the token alone. */
  private tokenOnly?: { readonly token: Token; readonly sent: VendorRequest | Promise<VendorRequest> };

  constructor(private readonly options: AccountOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = new TokenSource({
      provider: options.provider,
      http: options.http,
      shared: options.shared,
      refreshTokens: options.refreshTokens,
      name: options.name,
      now: options.now,
      backoff: options.backoff,
    });
    this.limiter = options.limiter?.(this.tokens.account) ?? new Limiter({ maxQueue: DEFAULT_MAX_QUEUE });
  }

  get provider(): BoundProvider {
    return this.options.provider;
  }

  get api(): ApiTarget {
    return this.options.api;
  }

  /** What relative API paths join: the base the token answer named (EZVIZ's regional host), else the API URL. */
  get apiBase(): string {
    return this.tokens.apiBase ?? this.options.api.base;
  }

  /** Names the account without revealing the secret: a token stored for another one is never used. */
  get name(): string {
    return this.tokens.account;
  }

  /** A token fresh for the options' margin, its auth work done: the held one, or a new one (one request however many ask). */
  async token(options: GetOptions): Promise<Token> {
    if (this.options.provider.tokenless) throw this.noTokenEndpoint();
    const token = await this.tokens.get(options);
    const { provider } = this.options;
    if (provider.prepare && this.prepared !== token.value) {
      await provider.prepare(token.value);
      this.prepared = token.value;
    }
    return token;
  }

  /** The held token while it is fresh for this margin and ready to authorize, else undefined: the answer that needs no promise. */
  fresh(marginMs: number): Token | undefined {
    const token = this.tokens.fresh(marginMs);
    return token && (!this.options.provider.prepare || this.prepared === token.value) ? token : undefined;
  }

  /**
   * The one authorize step of every API request: what proves the account (the token's headers, a
   * signature over the exact bytes, made now, so a resend is signed anew) added to the request.
   */
  authorize(request: PlannedRequest, token: Token | undefined): VendorRequest | Promise<VendorRequest> {
    return this.options.provider.authorize({ purpose: "api", ...request }, token?.value, this.now());
  }

  /**
   * The same step for a call it needs nothing of (`TOKEN_ONLY`: get token's headers when the
   * provider signs no API call), made once per token: get token answers every cached message with
   * it, and the headers of a token never change.
   */
  authorizeTokenOnly(token: Token): VendorRequest | Promise<VendorRequest> {
    if (this.tokenOnly?.token !== token) this.tokenOnly = { token, sent: this.authorize(TOKEN_ONLY, token) };
    return this.tokenOnly.sent;
  }

  /**
   * One API call: the origin rule, a token, authorize, send, the vendor's verdict; with `resend`,
   * one shared refresh and a second try when the vendor says the token is no longer valid.
   */
  async call(planned: PlannedRequest, options: CallOptions): Promise<CallOutcome> {
    // Its place in line now: the calls behind it wait for it while it waits for its token.
    const place = this.limiter.reserve();
    try {
      return await this.callAt(place, planned, options);
    } finally {
      this.limiter.settle(place);
    }
  }

  private async callAt(place: Place, planned: PlannedRequest, options: CallOptions): Promise<CallOutcome> {
    // Before any token is fetched or call signed: the token goes to the API's own origins only (and
    // to the base the vendor's own token answer named).
    const named = this.tokens.apiBase;
    if (!named || httpOrigin(planned.url) !== httpOrigin(named))
      this.options.api.origins.check(planned.url, options.vendor);
    const send: CallStep = async (token) => {
      const answer = await this.send(await this.authorize(planned, token), options);
      return { answer, verdict: await this.options.provider.judgeApiResponse(rawResponse(answer)), token };
    };
    const attempt = this.paced(send, place, options);
    // Without a token endpoint each call is proven by its signature alone: nothing to refresh.
    if (this.options.provider.tokenless) return callOnce(attempt)(undefined);
    if (options.forceRefresh || !this.tokens.current()) options.onTokenRequest?.();
    const first = await this.token({ marginMs: options.marginMs, forceRefresh: options.forceRefresh });
    const renew = (stale: Token) =>
      this.token({ marginMs: options.marginMs, forceRefresh: true, staleToken: stale.value });
    return (options.resend ? resendOnExpiry(attempt, renew) : callOnce(attempt))(first);
  }

  /** What masks this account's secrets and the given values (the tokens of a call) in any of their encodings. */
  secretMask(values?: readonly string[]): SecretMask {
    this.mask ??= SecretMask.of(this.options.provider.secrets);
    return values ? this.mask.and(values) : this.mask;
  }

  /**
   * A user's sign-in: the authorization code exchanged for the first token (with the PKCE verifier
   * and the redirect URI the browser was sent with), through the same authorize and HTTP client.
   */
  async signIn(code: string, redirectUri: string, verifier: string): Promise<Token> {
    const steps = this.options.provider.signIn;
    if (!steps) throw new TokenError({ kind: "config", vendor: this.options.provider.vendor, key: "no-sign-in" });
    return this.tokens.signIn((now) => steps.codeRequest(code, redirectUri, verifier, now));
  }

  /** Each try in its turn at the limiter, with a token still fresh after the wait; a busy vendor waited out if asked. */
  private paced(send: CallStep, place: Place, options: CallOptions): CallStep {
    const { marginMs } = options;
    const fresh = async (token: Token | undefined) =>
      !token || isFresh(token, this.now(), marginMs) ? token : this.token({ marginMs });
    const turn = inTurn(send, this.limiter, place, fresh, options);
    const limiter = this.limiter;
    return waitWhenBusy(turn, options.busy && { ...options.busy, pause: (ms) => limiter.pause(ms), now: this.now });
  }

  /** Abort the token request in flight, refuse further calls (and end those waiting their turn), close every socket; the kept refresh token written. */
  async close(): Promise<void> {
    this.limiter.close();
    this.tokens.close();
    await Promise.all([this.options.http.close(), this.tokens.settled()]);
  }

  private noTokenEndpoint(): TokenError {
    return new TokenError({ kind: "config", vendor: this.options.provider.vendor, key: "no-token-endpoint" });
  }

  private send(request: VendorRequest, options: CallOptions): Promise<HttpAnswer> {
    return this.options.http.exchange(request, this.options.provider.vendor, options.signal, options.maxBytes);
  }
}
