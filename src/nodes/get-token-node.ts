// The get token node: thin glue between a message and the shared TokenSource of the chosen
// credentials node. Sets msg.token (and the auth headers), mirrors the token into context when it
// changes, shows the state as a status, and hands every failure to Catch nodes via done(err).
import { TokenError } from "../errors";
import { isProviderId } from "../providers";
import type { ProviderId } from "../providers/types";
import type { Token } from "../token";
import { DEFAULT_MARGIN_MS, type TokenSource } from "../token-source";
import { applyAuthHeaders } from "./api-call";
import { entryToken, readEntry, tokenEntry, writeEntry, type ContextLocation, type Scope } from "./context-entry";
import { ALLOW_HTTP_SETTING, type CredentialsNode } from "./credentials-node";
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
    function (this: Node, config: NodeDef) {
      RED.nodes.createNode(this, config);
      new GetToken(RED, translator(RED), this, readSettings(config), config);
    },
    // Exported so the credentials dialogs accept the plain-HTTP URLs the runtime accepts. Only this
    // boolean: accessTokenSharedCache holds a Redis URL that may carry a password.
    { settings: { [ALLOW_HTTP_SETTING]: { value: false, exportable: true } } },
  );
}

class GetToken {
  private readonly credentialsNode?: CredentialsNode;
  private readonly location?: ContextLocation;
  /** The last token this node wrote to its context, so it writes only on change. */
  private written?: string;
  /** Reading the context entry once, on start; messages wait for it. */
  private readonly warm: Promise<void>;
  /** The context entry has been read (see warm): the synchronous path may answer. */
  private warmed = false;
  private readonly status: TokenStatus;
  private readonly onToken = (token: Token) => this.status.token(token);

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    private readonly settings: Settings,
    config: NodeDef,
  ) {
    this.status = new TokenStatus(node, t);
    const configId = settings.provider ? config[settings.provider] : undefined;
    const candidate = typeof configId === "string" && configId ? RED.nodes.getNode(configId) : null;
    const credentialsNode = candidate as CredentialsNode | null;
    if (credentialsNode && credentialsNode.provider === settings.provider) this.credentialsNode = credentialsNode;
    if (settings.scope !== "none") {
      const context = node.context();
      this.location = { store: context[settings.scope], storeName: settings.storeName, key: settings.key };
    }
    const source = this.credentialsNode?.source;
    source?.on("token", this.onToken);
    this.warm = source ? this.seedFromContext(source) : Promise.resolve();
    void this.warm.then(() => (this.warmed = true));
    const held = source?.current();
    if (held) this.status.token(held);
    // A node that cannot work says so on deploy, not only when the first message comes.
    const problem = this.configProblem();
    if (problem) this.status.failed(problem);
    node.on("input", (msg, send, done) => {
      if (this.handleCached(msg)) {
        send(msg);
        done();
        return;
      }
      this.handle(msg).then(
        (out) => {
          send(out);
          done();
        },
        (err: unknown) => this.fail(err, msg, done),
      );
    });
    node.on("close", (_removed, done) => {
      this.status.close();
      source?.off("token", this.onToken);
      done();
    });
  }

  /**
   * The common case, answered synchronously: a fresh token is held, already in context and on the
   * status. handle() would do the same in three awaits; at a few hundred thousand messages a second
   * those promises are most of this node's cost. Returns false to leave the message to handle().
   */
  private handleCached(msg: NodeMessage): boolean {
    if (!this.warmed || msg.refreshToken === true) return false;
    const source = this.credentialsNode?.source;
    const token = source?.fresh(this.settings.marginMs);
    if (!source || !token || (this.location && this.written !== token.value) || !this.status.shows(token)) return false;
    if (this.settings.setHeaders) {
      // A throw here (EnOS without msg.url) goes to handle(), which reports it.
      try {
        applyAuthHeaders(msg, source.adapter, token.value, this.credentialsNode!.signingCredentials, Date.now());
      } catch {
        return false;
      }
    }
    if (msg.refreshToken !== undefined) delete msg.refreshToken;
    msg.token = token.value;
    return true;
  }

  private async handle(msg: NodeMessage): Promise<NodeMessage> {
    const problem = this.configProblem();
    if (problem) throw problem;
    const credentialsNode = this.credentialsNode!;
    const source = credentialsNode.source!;
    await this.warm;
    const forceRefresh = msg.refreshToken === true;
    if (!source.current() || forceRefresh) this.status.fetching();
    const token = await source.get({
      marginMs: this.settings.marginMs,
      forceRefresh,
      staleToken: forceRefresh && typeof msg.token === "string" ? msg.token : undefined,
    });
    delete msg.refreshToken;
    if (this.settings.setHeaders) {
      applyAuthHeaders(msg, source.adapter, token.value, credentialsNode.signingCredentials, Date.now());
    }
    msg.token = token.value;
    await this.mirror(source, token);
    this.status.token(token);
    return msg;
  }

  /** No credentials node chosen, or one that cannot work (a field left empty). */
  private configProblem(): TokenError | undefined {
    // A credentials node has either a token source or the error that kept it from making one.
    if (this.credentialsNode?.source) return undefined;
    return this.credentialsNode?.configError ?? new TokenError({ kind: "config", vendor: this.vendorLabel(), key: "no-credentials" });
  }

  /** On a cold start, adopt the token a persistent or shared context store still holds. */
  private async seedFromContext(source: TokenSource): Promise<void> {
    if (!this.location) return;
    try {
      const token = entryToken(await readEntry(this.location), source.adapter.id, source.account);
      if (token && source.seed(token)) this.written = token.value;
      else if (token) this.written = token.value === source.current()?.value ? token.value : undefined;
    } catch (err) {
      this.node.warn(this.t("access-token.warn.context-read", { detail: errorText(err) }));
    }
  }

  private async mirror(source: TokenSource, token: Token): Promise<void> {
    if (!this.location || this.written === token.value) return;
    this.written = token.value;
    try {
      await writeEntry(this.location, tokenEntry(token, source.adapter.id, source.account));
    } catch (err) {
      this.written = undefined;
      this.node.warn(this.t("access-token.warn.context-write", { detail: errorText(err) }));
    }
  }

  private fail(err: unknown, msg: NodeMessage, done: (err?: Error) => void): void {
    const error = err instanceof TokenError ? err : new TokenError({ kind: "response", vendor: this.vendorLabel(), key: "unexpected", params: { detail: errorText(err) } });
    const text = error.localize(this.t);
    this.status.failed(error);
    done(new NodeError(text, error));
  }

  private vendorLabel(): string {
    return this.settings.provider ? this.t(`access-token.provider.${this.settings.provider}`) : "get token";
  }
}

/** What a Catch node receives: msg.error.message is the plain text, msg.error.code the vendor code. */
class NodeError extends Error {
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
