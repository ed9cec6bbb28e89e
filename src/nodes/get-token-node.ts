// The get token node: thin glue between a message and the token cache of the chosen credentials
// node. Sets msg.token (and the auth headers), mirrors the token into context when it changes,
// shows the state as a status, and hands every failure to Catch nodes via done(err).
import { TokenError } from "../errors";
import { isProviderId, type ProviderId } from "../providers";
import type { Token } from "../token";
import { DEFAULT_MARGIN_MS } from "../token-source";
import { applyAuthHeaders } from "./api-call";
import { entryToken, readEntry, tokenEntry, writeEntry, type ContextLocation, type Scope } from "./context-entry";
import { asTokenError, catchable } from "./catchable-error";
import { doneWithStatusCode } from "./catch-status-code";
import { migrateConfig } from "./config-version";
import { InFlight } from "./in-flight";
import { ALLOW_HTTP_SETTING } from "./credentials-destination";
import { findCredentials, noCredentials, type CredentialsConfig, type TokenUser } from "./credentials-node";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "./node-red";
import { TokenStatus } from "./token-status";
import { translator, type Translate } from "./translate";

interface Settings {
  provider: ProviderId | undefined;
  scope: Scope;
  storeName: string | undefined;
  key: string;
  marginMs: number;
  setHeaders: boolean;
  /** A saved value the editor would have refused: the node reports it and works with none. */
  invalid?: "context-key" | "margin";
}

/** The saved config as settings; `isPropertyKey` is the runtime's own rule for a context key. */
function readSettings(config: NodeDef, isPropertyKey: (key: string) => boolean): Settings {
  const scope = config.scope === "global" || config.scope === "none" ? config.scope : "flow";
  const key = typeof config.key === "string" && config.key.trim() ? config.key.trim() : "accessToken";
  // Absent (an older or hand-written config): the default. Present, it must be a number >= 0.
  const margin =
    config.margin === undefined || config.margin === null ? DEFAULT_MARGIN_MS / 1000 : Number(config.margin);
  const marginOk = typeof config.margin !== "boolean" && config.margin !== "" && Number.isFinite(margin) && margin >= 0;
  return {
    provider: isProviderId(config.provider) ? config.provider : undefined,
    scope,
    storeName: typeof config.store === "string" && config.store.trim() ? config.store.trim() : undefined,
    key,
    marginMs: marginOk ? margin * 1000 : DEFAULT_MARGIN_MS,
    setHeaders: config.headers !== false,
    invalid: scope !== "none" && !isPropertyKey(key) ? "context-key" : marginOk ? undefined : "margin",
  };
}

/** The context key as the core nodes check it: a property expression ("token", "tokens.orion"). */
function propertyKeyRule(RED: NodeAPI): (key: string) => boolean {
  return (key) => {
    try {
      RED.util.normalisePropertyExpression(key);
      return true;
    } catch {
      return false;
    }
  };
}

export function registerGetTokenNode(RED: NodeAPI): void {
  RED.nodes.registerType(
    "access-token",
    function (this: Node, saved: NodeDef) {
      RED.nodes.createNode(this, saved);
      const config = migrateConfig(saved);
      new GetToken(RED, translator(RED), this, readSettings(config, propertyKeyRule(RED)), config);
    },
    // Exported so the credentials dialogs accept the plain-HTTP URLs the runtime accepts. Only this
    // boolean: accessTokenSharedCache holds a Redis URL that may carry a password.
    { settings: { [ALLOW_HTTP_SETTING]: { value: false, exportable: true } } },
  );
}

class GetToken implements TokenUser {
  private readonly credentials?: CredentialsConfig;
  private readonly location?: ContextLocation;
  /** The last token this node wrote to its context, so it writes only on change. */
  private written?: string;
  /** Reading the context entry once, on start; messages wait for it. */
  private readonly warm: Promise<void>;
  /** The context entry has been read (see warm): the synchronous path may answer. */
  private warmed = false;
  private readonly status: TokenStatus;
  private readonly inFlight: InFlight;
  /** The runtime's message hooks, for msg.error.statusCode at Catch nodes. */
  private readonly hooks: NodeAPI["hooks"];

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    private readonly settings: Settings,
    config: NodeDef,
  ) {
    this.status = new TokenStatus(node, t);
    this.inFlight = new InFlight(node, t);
    this.hooks = RED.hooks;
    const credentials = settings.provider
      ? findCredentials(RED, config[settings.provider], settings.provider)
      : undefined;
    this.credentials = credentials;
    // A node that cannot work says so on deploy, not only when the first message comes, and never
    // answers from the cache.
    const problem = this.configProblem();
    if (settings.scope !== "none" && !problem) {
      const context = node.context();
      this.location = { store: context[settings.scope], storeName: settings.storeName, key: settings.key };
    }
    credentials?.register(this);
    this.warm = credentials && !problem ? this.seedFromContext(credentials) : Promise.resolve();
    if (!problem) void this.warm.then(() => (this.warmed = true));
    this.status.start(credentials?.currentToken(), problem);
    node.on("input", (msg, send, done) => {
      const cached = this.cachedToken(msg);
      if (!cached) {
        this.inFlight.run(this.handle(msg), send, done, (err) => this.fail(err, done));
        return;
      }
      try {
        this.stamp(msg, cached);
      } catch (err) {
        this.fail(err, done);
        return;
      }
      this.status.token(cached);
      send(msg);
      done();
    });
    node.on("close", (_removed, done) => {
      this.inFlight.close();
      this.status.close();
      credentials?.deregister(this);
      done();
    });
  }

  tokenChanged(token: Token): void {
    this.status.token(token);
  }

  /**
   * The common case, answered synchronously: a fresh token is held and already in context. handle()
   * would do the same in three awaits; at a few hundred thousand messages a second those promises
   * are most of this node's cost. Undefined leaves the message to handle().
   */
  private cachedToken(msg: NodeMessage): Token | undefined {
    if (!this.warmed || msg.refreshToken === true) return undefined;
    const token = this.credentials?.freshToken(this.settings.marginMs);
    return token && (!this.location || this.written === token.value) ? token : undefined;
  }

  private async handle(msg: NodeMessage): Promise<NodeMessage> {
    const problem = this.configProblem();
    if (problem) throw problem;
    const credentials = this.credentials!;
    await this.warm;
    const forceRefresh = msg.refreshToken === true;
    if (!credentials.currentToken() || forceRefresh) this.status.fetching();
    const token = await credentials.getToken({
      marginMs: this.settings.marginMs,
      forceRefresh,
      staleToken: forceRefresh && typeof msg.token === "string" ? msg.token : undefined,
    });
    this.stamp(msg, token);
    await this.mirror(credentials, token);
    this.status.token(token);
    return msg;
  }

  /** What every answered message gets, on either path: the auth headers, msg.token, no msg.refreshToken. */
  private stamp(msg: NodeMessage, token: Token): void {
    // First, as it may throw (EnOS needs msg.url to sign): a refused message leaves unchanged.
    if (this.settings.setHeaders) applyAuthHeaders(msg, this.credentials!, token.value, Date.now());
    if (msg.refreshToken !== undefined) delete msg.refreshToken;
    msg.token = token.value;
  }

  /** A setting the editor would refuse, no credentials node chosen, or one that cannot work (a field left empty). */
  private configProblem(): TokenError | undefined {
    const { invalid, key } = this.settings;
    if (invalid) return new TokenError({ kind: "config", vendor: this.vendorLabel(), key: invalid, params: { key } });
    if (!this.credentials) return noCredentials(this.vendorLabel());
    return this.credentials.problem;
  }

  /** On a cold start, adopt the token a persistent or shared context store still holds. */
  private async seedFromContext(credentials: CredentialsConfig): Promise<void> {
    if (!this.location || !credentials.account) return;
    try {
      const token = entryToken(await readEntry(this.location), credentials.adapter.id, credentials.account);
      if (token && credentials.adoptToken(token)) this.written = token.value;
      else if (token) this.written = token.value === credentials.currentToken()?.value ? token.value : undefined;
    } catch (err) {
      this.node.warn(
        this.t("access-token.warn.context-read", { detail: credentials.secretMask().text(errorText(err)) }),
      );
    }
  }

  private async mirror(credentials: CredentialsConfig, token: Token): Promise<void> {
    if (!this.location || this.written === token.value || !credentials.account) return;
    this.written = token.value;
    try {
      await writeEntry(this.location, tokenEntry(token, credentials.adapter.id, credentials.account));
    } catch (err) {
      this.written = undefined;
      // A store's error may quote the entry it was given: the token in it is masked.
      const detail = credentials.secretMask([token.value]).text(errorText(err));
      this.node.warn(this.t("access-token.warn.context-write", { detail }));
    }
  }

  private fail(err: unknown, done: (err?: Error) => void): void {
    const error = asTokenError(err, this.vendorLabel());
    this.status.failed(error);
    doneWithStatusCode(this.hooks, done, catchable(error, this.t));
  }

  private vendorLabel(): string {
    return this.settings.provider ? this.t(`access-token.provider.${this.settings.provider}`) : "get token";
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
