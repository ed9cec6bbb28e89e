// The credentials config node types, one per provider adapter. Each config node is a typed
// CredentialsConfig: it owns one HttpClient (its proxy, TLS and timeout) and one TokenSource (the
// cache that every node using these credentials shares, across all flows), and offers the nodes
// that use it explicit methods, as the core MQTT broker node does. Its secrets never leave it.
import { TokenError } from "../errors";
import { DEFAULT_TIMEOUT_MS, HttpClient, type HttpSettings, type TlsSettings } from "../http";
import { providers, type Provider, type ProviderId } from "../providers";
import type { ApiCall, Credentials, ProviderAdapter } from "../providers/types";
import {
  acquireSharedCache,
  readSharedCacheSetting,
  SHARED_CACHE_SETTING,
  type SharedCacheLease,
} from "../shared-cache/runtime-cache";
import { SharedRefresh } from "../shared-cache/shared-refresh";
import type { Token } from "../token";
import { TokenSource, type GetOptions } from "../token-source";
import { migrateConfig } from "./config-version";
import { jsonataEvaluator } from "./jsonata";
import type { Node, NodeAPI, NodeDef } from "./node-red";
import { translator, type Translate } from "./translate";

interface ProxyNode {
  url?: string;
  noproxy?: string[];
  credentials?: { username?: string; password?: string };
}

interface TlsConfigNode {
  addTLSOptions(options: TlsSettings): TlsSettings;
}

/** A node that uses these credentials: told of every new token (to show it and mirror it). */
export interface TokenUser {
  tokenChanged(token: Token): void;
}

/** settings.js option that allows plain HTTP to hosts other than loopback (default: refused). */
export const ALLOW_HTTP_SETTING = "accessTokenAllowHttp";

/** The typed object behind each credentials config node, found by the node Node-RED hands out. */
const configs = new WeakMap<object, CredentialsConfig>();

/** The credentials config of this provider behind a config node id, or undefined (none, or another provider's). */
export function findCredentials(RED: NodeAPI, id: unknown, provider: ProviderId): CredentialsConfig | undefined {
  const node = typeof id === "string" && id ? RED.nodes.getNode(id) : undefined;
  const config = node !== null && typeof node === "object" ? configs.get(node) : undefined;
  return config?.adapter.id === provider ? config : undefined;
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
        const credentials = new CredentialsConfig(RED, this, migrateConfig(saved), adapter);
        configs.set(this, credentials);
        this.on("close", (_removed, done) => {
          credentials.close().then(done, done);
        });
      },
      { credentials: credentialTypes },
    );
  }
}

export class CredentialsConfig {
  /** Why this node cannot fetch tokens (a field left empty, no URL), or undefined when it can. */
  readonly problem?: TokenError;
  private readonly source?: TokenSource;
  private readonly http?: HttpClient;
  private readonly lease?: SharedCacheLease;
  /** Kept for signing API calls (EnOS); never copied into a message. */
  private readonly credentials: Credentials;
  /** What the adapter read from this node's properties (its URL, scope, expressions). */
  private readonly settings?: unknown;
  /** The token whose auth work is done (adapters with prepareAuth): only it is answered synchronously. */
  private prepared?: string;
  private readonly users = new Set<TokenUser>();
  private readonly t: Translate;

  constructor(
    RED: NodeAPI,
    node: Node,
    config: NodeDef,
    readonly adapter: Provider,
  ) {
    const t = translator(RED);
    this.t = t;
    this.credentials = { ...node.credentials };
    const missing = adapter.credentialFields.find((field) => !this.credentials[field]);
    if (missing) {
      const field = t(`${adapter.configType}.label.${missing}`);
      this.problem = new TokenError({
        kind: "config",
        vendor: adapter.vendor,
        key: "missing-field",
        params: { field },
      });
      return;
    }
    try {
      this.settings = adapter.settings(config, jsonataEvaluator(RED.util, node));
    } catch (err) {
      this.problem = labelled(err, adapter, t);
      return;
    }
    const settings = httpSettings(RED, config);
    this.http = new HttpClient(settings);
    this.lease = sharedCacheLease(RED, node, t);
    // The lock outlives the holder's slowest vendor request (its HTTP timeout) plus a few Redis round trips.
    const lockTtlMs = (settings.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 5_000;
    const shared = this.lease && new SharedRefresh({ store: this.lease.store, outage: this.lease.outage, lockTtlMs });
    this.source = new TokenSource({
      adapter,
      settings: this.settings,
      credentials: { ...this.credentials },
      http: this.http,
      shared,
    });
    this.source.on("token", (token: Token) => this.users.forEach((user) => user.tokenChanged(token)));
    // The held token still works, so messages go on; the failed refresh is logged once, here.
    this.source.on("refresh-error", (error: TokenError) => node.warn(error.localize(t)));
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
    if (!this.source) {
      throw this.problem ?? new TokenError({ kind: "config", vendor: this.adapter.vendor, key: "no-credentials" });
    }
    try {
      const token = await this.source.get(options);
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

  /** Abort the request in flight and close every socket and the shared-cache lease. */
  async close(): Promise<void> {
    this.users.clear();
    this.source?.close();
    await Promise.allSettled([this.http?.close(), this.lease?.release()]);
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
function sharedCacheLease(RED: NodeAPI, node: Node, t: Translate): SharedCacheLease | undefined {
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

function httpSettings(RED: NodeAPI, config: NodeDef): HttpSettings {
  const seconds = Number(config.timeout);
  const settings: HttpSettings = {
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS,
    allowInsecureHttp: RED.settings[ALLOW_HTTP_SETTING] === true,
  };
  const proxy = configNode<ProxyNode>(RED, config.proxy);
  if (proxy?.url) {
    settings.proxy = {
      url: proxy.url,
      noProxy: proxy.noproxy,
      username: proxy.credentials?.username,
      password: proxy.credentials?.password,
    };
  }
  const tls = configNode<TlsConfigNode>(RED, config.tls);
  if (tls) settings.tls = tls.addTLSOptions({});
  return settings;
}

/** A core config node (http proxy, tls-config) by id: typed as the part of it we read. */
function configNode<T>(RED: NodeAPI, id: unknown): T | undefined {
  const node = typeof id === "string" && id ? RED.nodes.getNode(id) : undefined;
  return node !== null && typeof node === "object" ? (node as T) : undefined;
}
