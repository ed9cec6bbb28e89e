// The get token node: thin glue between a message and the token cache of the chosen credentials
// node. Sets msg.token (and the auth headers), mirrors the token into context when it changes,
// shows the state as a status, and hands every failure to Catch nodes via done(err).
import { TokenError } from "../errors";
import { isProviderId, type ProviderId } from "../providers";
import type { Token } from "../token";
import { DEFAULT_MARGIN_MS } from "../token-source";
import { applyAuthHeaders } from "./api-call";
import { entryToken, readEntry, tokenEntry, writeEntry, type ContextLocation, type Scope } from "./context-entry";
import { migrateConfig } from "./config-version";
import { ALLOW_HTTP_SETTING, findCredentials, type CredentialsConfig, type TokenUser } from "./credentials-node";
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
}

function readSettings(config: NodeDef): Settings {
  const margin = Number(config.margin);
  return {
    provider: isProviderId(config.provider) ? config.provider : undefined,
    scope: config.scope === "global" || config.scope === "none" ? config.scope : "flow",
    storeName: typeof config.store === "string" && config.store.trim() ? config.store.trim() : undefined,
    key: typeof config.key === "string" && config.key.trim() ? config.key.trim() : "accessToken",
    marginMs: Number.isFinite(margin) && margin >= 0 ? margin * 1000 : DEFAULT_MARGIN_MS,
    setHeaders: config.headers !== false,
  };
}

export function registerGetTokenNode(RED: NodeAPI): void {
  RED.nodes.registerType(
    "access-token",
    function (this: Node, saved: NodeDef) {
      RED.nodes.createNode(this, saved);
      const config = migrateConfig(saved);
      new GetToken(RED, translator(RED), this, readSettings(config), config);
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

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    private readonly settings: Settings,
    config: NodeDef,
  ) {
    this.status = new TokenStatus(node, t);
    const credentials = settings.provider
      ? findCredentials(RED, config[settings.provider], settings.provider)
      : undefined;
    this.credentials = credentials;
    if (settings.scope !== "none") {
      const context = node.context();
      this.location = { store: context[settings.scope], storeName: settings.storeName, key: settings.key };
    }
    credentials?.register(this);
    this.warm = credentials ? this.seedFromContext(credentials) : Promise.resolve();
    void this.warm.then(() => (this.warmed = true));
    const held = credentials?.currentToken();
    if (held) this.status.token(held);
    // A node that cannot work says so on deploy, not only when the first message comes.
    const problem = this.configProblem();
    if (problem) this.status.failed(problem);
    node.on("input", (msg, send, done) => {
      const cached = this.cachedToken(msg);
      if (!cached) {
        this.handle(msg).then(
          (out) => {
            send(out);
            done();
          },
          (err: unknown) => this.fail(err, msg, done),
        );
        return;
      }
      try {
        this.stamp(msg, cached);
      } catch (err) {
        this.fail(err, msg, done);
        return;
      }
      this.status.token(cached);
      send(msg);
      done();
    });
    node.on("close", (_removed, done) => {
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

  /** No credentials node chosen, or one that cannot work (a field left empty). */
  private configProblem(): TokenError | undefined {
    if (!this.credentials) return new TokenError({ kind: "config", vendor: this.vendorLabel(), key: "no-credentials" });
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
      this.node.warn(this.t("access-token.warn.context-read", { detail: errorText(err) }));
    }
  }

  private async mirror(credentials: CredentialsConfig, token: Token): Promise<void> {
    if (!this.location || this.written === token.value || !credentials.account) return;
    this.written = token.value;
    try {
      await writeEntry(this.location, tokenEntry(token, credentials.adapter.id, credentials.account));
    } catch (err) {
      this.written = undefined;
      this.node.warn(this.t("access-token.warn.context-write", { detail: errorText(err) }));
    }
  }

  private fail(err: unknown, msg: NodeMessage, done: (err?: Error) => void): void {
    const error =
      err instanceof TokenError
        ? err
        : new TokenError({
            kind: "response",
            vendor: this.vendorLabel(),
            key: "unexpected",
            params: { detail: errorText(err) },
          });
    this.status.failed(error);
    done(new CatchableError(error.localize(this.t), error));
  }

  private vendorLabel(): string {
    return this.settings.provider ? this.t(`access-token.provider.${this.settings.provider}`) : "get token";
  }
}

/**
 * The error handed to done(), which Catch nodes receive as msg.error: message is the plain text in
 * the runtime's language, code the vendor's code. Named "TokenError" as the errors users catch.
 */
class CatchableError extends Error {
  constructor(text: string, error: TokenError) {
    super(text);
    this.name = "TokenError";
    if (error.code !== undefined) Object.assign(this, { code: error.code });
  }

  override toString(): string {
    return this.message;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
