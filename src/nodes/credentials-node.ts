// The credentials config node types, one per provider adapter. Each config node is a typed
// CredentialsConfig: it owns one HttpClient (its proxy, TLS and timeout) and one TokenSource (the
// cache that every node using these credentials shares, across all flows), and offers the nodes
// that use it explicit methods, as the core MQTT broker node does. Its secrets never leave it.
import { ApiOrigins } from "../api-origins";
import { TokenError } from "../errors";
import { DEFAULT_TIMEOUT_MS, type HttpAnswer, type HttpClient, type OutgoingRequest } from "../http";
import { providers, type Provider, type ProviderId } from "../providers";
import type { ApiCall, Credentials, ProviderAdapter } from "../providers/types";
import { SecretMask } from "../redact";
import {
  acquireSharedCache,
  readSharedCacheSetting,
  SHARED_CACHE_SETTING,
  type SharedCacheLease,
} from "../shared-cache/runtime-cache";
import { lockTtlFor, SharedRefresh } from "../shared-cache/shared-refresh";
import type { Token } from "../token";
import { TokenSource, type GetOptions, type StateChange, type TokenOrigin } from "../token-source";
import { migrateConfig } from "./config-version";
import { comparableConfig } from "./comparable-config";
import { apiTarget, httpClient, httpSettings, type ApiTarget } from "./credentials-destination";
import { expressionLimits } from "./expression-settings";
import { jsonataEvaluator } from "./jsonata";
import type { Node, NodeAPI, NodeDef } from "./node-red";
import { publishStateChanges } from "./state-events";
import { translator, type Translate } from "./translate";

/** A node that uses these credentials: told of every new token (to show it and mirror it). */
export interface TokenUser {
  tokenChanged(token: Token): void;
}

/** The error of a node that names no credentials node (or one of another provider). */
export function noCredentials(vendor: string): TokenError {
  return new TokenError({ kind: "config", vendor, key: "no-credentials" });
}

/** The typed object behind each credentials config node, found by the node Node-RED hands out. */
const configs = new WeakMap<object, CredentialsConfig>();

/** The credentials config of this provider behind a config node id, or undefined (none, or another provider's). */
export function findCredentials(RED: NodeAPI, id: unknown, provider: ProviderId): CredentialsConfig | undefined {
  const config = credentialsOf(typeof id === "string" && id ? RED.nodes.getNode(id) : undefined);
  return config?.adapter.id === provider ? config : undefined;
}

/** The typed object behind a node Node-RED handed out, if it is one of our credentials nodes. */
export function credentialsOf(node: unknown): CredentialsConfig | undefined {
  return node !== null && typeof node === "object" ? configs.get(node) : undefined;
}

export function registerCredentialsNodes(RED: NodeAPI): void {
  for (const adapter of Object.values(providers)) {
    const credentialTypes = Object.fromEntries(
      adapter.credentialFields.map((field) => [
        field,
        { type: adapter.secretFields.includes(field) ? "password" : "text" } as const,
      ]),
    );
    RED.nodes.registerType(
      adapter.configType,
      function (this: Node, saved: NodeDef) {
        RED.nodes.createNode(this, saved);
        const credentials = new CredentialsConfig(RED, migrateConfig(saved), adapter, this);
        configs.set(this, credentials);
        publishStateChanges(RED, this, credentials);
        this.on("close", (_removed, done) => {
          credentials.close().then(done, done);
        });
      },
      { credentials: credentialTypes },
    );
  }
}

export interface CredentialsState {
  provider: ProviderId;
  vendor: string;
  tokenHeld: boolean;
  expiresAt?: number;
  origin?: TokenOrigin;
  /** The last failure's text (what Catch nodes got), or why the node cannot work. */
  lastError?: string;
  /** Whether settings.js shares tokens through Redis for this node. */
  sharedCache?: "configured" | "off";
  /** With a shared cache: whether Redis answered its last operation (absent before the first). */
  redisReachable?: boolean;
}

/** Where a CredentialsConfig gets its secrets and reports: the config node, or the dialog's Test button. */
export type CredentialsOwner = Pick<Node, "credentials" | "warn" | "error">;

/** What a credentials node runs on when it can work; when it cannot, the reason instead. */
type Working =
  { source: TokenSource; http: HttpClient; lease?: SharedCacheLease; shared?: SharedRefresh } | { problem: TokenError };

export class CredentialsConfig {
  /** Where API calls with this node's token go: the base of relative paths, and the only origins allowed. */
  readonly api: ApiTarget;
  /** Everything this node is but its secrets (see comparableConfig): a dialog's Test must match it to use them. */
  readonly comparable: string;
  private readonly working: Working;
  /** Kept for signing API calls (EnOS); never copied into a message. */
  private readonly credentials: Credentials;
  /** What the adapter read from this node's properties (its URL, scope, expressions). */
  private readonly settings?: unknown;
  /** The token whose auth work is done (adapters with prepareAuth): only it is answered synchronously. */
  private prepared?: string;
  private readonly users = new Set<TokenUser>();
  private readonly t: Translate;
  private accountMask?: SecretMask;
  /** Aborted on close: an expression still being evaluated stops at its next step. */
  private readonly closing = new AbortController();

  /**
   * `share`: take part in the shared cache (Redis) when settings.js configures one; off for a
   * one-off test of what a dialog holds, which must not hand its token to other instances.
   */
  constructor(
    RED: NodeAPI,
    config: NodeDef,
    readonly adapter: Provider,
    owner: CredentialsOwner,
    share = true,
  ) {
    const t = translator(RED);
    this.t = t;
    this.credentials = { ...owner.credentials };
    this.comparable = comparableConfig(config, adapter, this.credentials);
    // Errors name the node by its name, or by its type when it has none.
    const name = (typeof config.name === "string" ? config.name.trim() : "") || t(`${adapter.configType}.paletteLabel`);
    let targetProblem: TokenError | undefined;
    try {
      this.api = apiTarget(config, adapter, name);
    } catch (err) {
      this.api = { base: "", origins: new ApiOrigins([], name) };
      targetProblem = labelled(err, adapter, t);
    }
    const missing = adapter.credentialFields.find((field) => !this.credentials[field]);
    if (missing) {
      const field = t(`${adapter.configType}.label.${missing}`);
      this.working = {
        problem: new TokenError({ kind: "config", vendor: adapter.vendor, key: "missing-field", params: { field } }),
      };
      return;
    }
    try {
      const limits = () => expressionLimits(RED.settings, (text) => owner.warn(text), t);
      this.settings = adapter.settings(config, jsonataEvaluator(RED.util, owner, limits, this.closing.signal));
    } catch (err) {
      this.working = { problem: labelled(err, adapter, t) };
      return;
    }
    if (targetProblem) {
      this.working = { problem: targetProblem };
      return;
    }
    const settings = httpSettings(RED, config);
    const http = httpClient(settings);
    if (!http) {
      this.working = { problem: new TokenError({ kind: "config", vendor: adapter.vendor, key: "proxy-url" }) };
      return;
    }
    const lease = share ? sharedCacheLease(RED, owner, t) : undefined;
    const lockTtlMs = lockTtlFor(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const shared = lease && new SharedRefresh({ store: lease.store, outage: lease.outage, lockTtlMs });
    const source = new TokenSource({
      adapter,
      settings: this.settings,
      credentials: { ...this.credentials },
      http,
      shared,
    });
    source.on("token", (token: Token) => this.users.forEach((user) => user.tokenChanged(token)));
    // The held token still works, so messages go on; the failed refresh is logged once, here.
    source.on("refresh-error", (error: TokenError) => owner.warn(error.localize(t)));
    // A vendor lifetime over a day was capped: said once, with the vendor's value (it may be in ms).
    source.on("lifetime-capped", (seconds: number) =>
      owner.warn(t("access-token.warn.lifetime-capped", { vendor: adapter.vendor, value: seconds })),
    );
    this.working = { source, http, lease, shared };
  }

  /** Why this node cannot fetch tokens (a field left empty, no URL), or undefined when it can. */
  get problem(): TokenError | undefined {
    return "problem" in this.working ? this.working.problem : undefined;
  }

  private get source(): TokenSource | undefined {
    return "source" in this.working ? this.working.source : undefined;
  }

  /** What the editor shows of this node: whether a token is held (never its value), until when, from where, the last error. */
  state(t: Translate): CredentialsState {
    const base = { provider: this.adapter.id, vendor: this.adapter.vendor };
    if ("problem" in this.working) return { ...base, tokenHeld: false, lastError: this.working.problem.localize(t) };
    const { token, origin, lastError } = this.working.source.describe();
    return {
      ...base,
      tokenHeld: token !== undefined,
      expiresAt: token?.expiresAt,
      origin: token ? origin : undefined,
      lastError: lastError?.localize(t),
      sharedCache: this.working.lease ? "configured" : "off",
      redisReachable: this.working.lease?.outage.reachable,
    };
  }

  /** Call `listener` when what state() answers changes: a token obtained or adopted, a failed request. */
  onStateChange(listener: (change: StateChange) => void): void {
    this.source?.on("state", listener);
  }

  /** Names the account without revealing the secret: a token stored for another one is never used. */
  get account(): string | undefined {
    return this.source?.account;
  }

  register(user: TokenUser): void {
    this.users.add(user);
  }

  deregister(user: TokenUser): void {
    this.users.delete(user);
  }

  /** A token fresh for the options' margin: the held one, or a new one (one request however many ask). */
  async getToken(options: GetOptions): Promise<Token> {
    if ("problem" in this.working) throw this.working.problem;
    try {
      const token = await this.working.source.get(options);
      if (this.adapter.prepareAuth && this.prepared !== token.value) {
        await this.adapter.prepareAuth(token.value, this.credentials, this.settings);
        this.prepared = token.value;
      }
      return token;
    } catch (err) {
      // An expression of the custom provider that fails names its field: by the dialog's label.
      throw labelled(err, this.adapter, this.t);
    }
  }

  /** The held token while it is fresh for this margin, else undefined: the answer that needs no promise. */
  freshToken(marginMs: number): Token | undefined {
    const token = this.source?.fresh(marginMs);
    // A token whose auth headers still need asynchronous work goes the way of getToken.
    return token && (!this.adapter.prepareAuth || this.prepared === token.value) ? token : undefined;
  }

  /** The held token while the vendor still accepts it (even inside the refresh margin). */
  currentToken(): Token | undefined {
    return this.source?.current();
  }

  /** Adopt a token found elsewhere (a context store) if it is valid and newer than the held one. */
  adoptToken(token: Token): boolean {
    return this.source?.seed(token) ?? false;
  }

  /** The provider's auth headers for an API call with this token (EnOS signs it with the secret, which stays here). */
  authHeaders(token: string, call: ApiCall | undefined, now: number): Record<string, string> {
    return this.adapter.authHeaders(token, this.credentials, call, now, this.settings);
  }

  /** What masks this node's secrets and the given values (the tokens of a call) in any of their encodings. */
  secretMask(values: readonly string[] = []): SecretMask {
    // The secrets' forms are made once, on the first failing call, and reused by every later one.
    this.accountMask ??= SecretMask.of(this.adapter.secretFields.map((field) => this.credentials[field] ?? ""));
    return this.accountMask.and(values);
  }

  /**
   * Send an API call through this node's HTTP client (its proxy, TLS, timeout and HTTPS rule), with
   * the body capped at maxBytes.
   */
  async callApi(call: OutgoingRequest, signal: AbortSignal, maxBytes: number): Promise<HttpAnswer> {
    if ("problem" in this.working) throw this.working.problem;
    return this.working.http.exchange(call, this.adapter.vendor, signal, maxBytes);
  }

  /**
   * Abort the request in flight and close every socket and the shared-cache lease. A shared lock we
   * hold is released first (the abort ends the request; the release goes out on the still-open
   * connection), so no lock outlives a deploy and no instance waits out its TTL.
   */
  async close(): Promise<void> {
    this.users.clear();
    this.closing.abort();
    if ("problem" in this.working) return;
    const { source, http, lease, shared } = this.working;
    source.close();
    const leaseClosed = Promise.resolve(shared?.settled()).then(() => lease?.release());
    await Promise.allSettled([http.close(), leaseClosed]);
  }
}

/** A config error of the adapter's settings names a property: shown by its label in the dialog. */
function labelled(err: unknown, adapter: ProviderAdapter, t: Translate): TokenError {
  if (!(err instanceof TokenError)) throw err;
  const property = err.params.field;
  if (err.kind !== "config" || typeof property !== "string" || !property) return err;
  const field =
    property === adapter.form.urlProperty
      ? t(`common.label.${adapter.form.urlProperty}`)
      : t(`${adapter.configType}.label.${property}`);
  return new TokenError({ ...err.details, params: { ...err.details.params, field } });
}

/** The runtime's shared Redis client when settings.js asks for one; a bad option is reported and ignored (tokens stay per instance). */
function sharedCacheLease(RED: NodeAPI, node: CredentialsOwner, t: Translate): SharedCacheLease | undefined {
  try {
    const setting = readSharedCacheSetting(RED.settings[SHARED_CACHE_SETTING]);
    return setting && acquireSharedCache(setting, RED.log, t);
  } catch (err) {
    node.error(
      t("access-token.warn.shared-cache-ignored", {
        setting: SHARED_CACHE_SETTING,
        detail: err instanceof Error ? err.message : String(err),
      }),
    );
    return undefined;
  }
}
