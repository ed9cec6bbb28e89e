// The get token node: thin glue between a message and the token cache of the chosen credentials
// node. Sets msg.token (and the auth headers), mirrors the token into context when it changes,
// shows the state as a status, and hands every failure to Catch nodes via done(err).
import type { Account } from "../account/account";
import { TokenError } from "../errors";
import type { ProviderId } from "../providers";
import type { Token } from "../token";
import { DEFAULT_MARGIN_MS } from "../token-source";
import { applyAuthHeaders } from "./api-call";
import { entryToken, readEntry, tokenEntry, writeEntry, type ContextLocation, type Scope } from "./context-entry";
import { migrateConfig } from "./config-version";
import { ALLOW_HTTP_SETTING } from "./credentials-destination";
import { CredentialsUser, type Ready } from "./credentials-user";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "./node-red";
import { translator, type Translate } from "./translate";

interface Settings {
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

class GetToken {
  private readonly user: CredentialsUser;
  private readonly location?: ContextLocation;
  /** The last token this node wrote to its context, so it writes only on change. */
  private written?: string;
  /** Reading the context entry once, on start; messages wait for it. */
  private readonly warm: Promise<void>;
  /** The context entry has been read (see warm): the synchronous path may answer. */
  private warmed = false;

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    private readonly settings: Settings,
    config: NodeDef,
  ) {
    // A node that cannot work says so on deploy, not only when the first message comes, and never
    // answers from the cache.
    this.user = new CredentialsUser(RED, t, node, config, "get token", {
      ownProblem: (vendor) => settingProblem(settings, vendor),
      needsToken: true,
    });
    const { ready } = this.user;
    if (settings.scope !== "none" && ready) {
      const context = node.context();
      this.location = { store: context[settings.scope], storeName: settings.storeName, key: settings.key };
    }
    this.warm = ready ? this.seedFromContext(ready) : Promise.resolve();
    if (ready) void this.warm.then(() => (this.warmed = true));
    node.on("input", (msg, send, done) => {
      const cached = ready && this.cachedToken(ready.account, msg);
      if (!cached) {
        this.user.run(msg, send, done, (work, input) => this.handle(work, input));
        return;
      }
      let stamped: Promise<void> | undefined;
      try {
        stamped = this.stamp(ready.account, msg, cached);
      } catch (err) {
        this.user.fail(err, done);
        return;
      }
      if (stamped) {
        // A signature that evaluates an expression (custom's sign): answered once it is made.
        const signed = stamped;
        this.user.run(msg, send, done, () => signed.then(() => this.answered(msg, cached)));
        return;
      }
      send(this.answered(msg, cached));
      done();
    });
  }

  /**
   * The common case, answered synchronously: a fresh token is held and already in context. handle()
   * would do the same in three awaits; at a few hundred thousand messages a second those promises
   * are most of this node's cost. Undefined leaves the message to handle().
   */
  private cachedToken(account: Account, msg: NodeMessage): Token | undefined {
    if (!this.warmed || msg.refreshToken === true) return undefined;
    const token = account.fresh(this.settings.marginMs);
    return token && (!this.location || this.written === token.value) ? token : undefined;
  }

  private async handle({ credentials, account }: Ready, msg: NodeMessage): Promise<NodeMessage> {
    await this.warm;
    const forceRefresh = msg.refreshToken === true;
    if (!account.tokens.current() || forceRefresh) this.user.status.fetching();
    const token = await credentials.token({
      marginMs: this.settings.marginMs,
      forceRefresh,
      staleToken: forceRefresh && typeof msg.token === "string" ? msg.token : undefined,
    });
    await this.stamp(account, msg, token);
    await this.mirror(credentials.adapter.id, account, token);
    return this.answered(msg, token);
  }

  private answered(msg: NodeMessage, token: Token): NodeMessage {
    this.user.status.token(token);
    return msg;
  }
  /** What every answered message gets, on either path: the auth headers, msg.token, no msg.refreshToken. */
  private stamp(account: Account, msg: NodeMessage, token: Token): Promise<void> | undefined {
    const finish = () => {
      delete msg.refreshToken;
      msg.token = token.value;
    };
    // First, as it may throw (EnOS needs msg.url to sign): a refused message leaves unchanged.
    const signing = this.settings.setHeaders ? applyAuthHeaders(msg, account, token) : undefined;
    if (signing) return signing.then(finish);
    finish();
    return undefined;
  }

  /** On a cold start, adopt the token a persistent or shared context store still holds. */
  private async seedFromContext({ credentials, account }: Ready): Promise<void> {
    if (!this.location) return;
    try {
      const token = entryToken(await readEntry(this.location), credentials.adapter.id, account.name);
      if (token && account.tokens.seed(token)) this.written = token.value;
      else if (token) this.written = token.value === account.tokens.current()?.value ? token.value : undefined;
    } catch (err) {
      this.node.warn(this.t("access-token.warn.context-read", { detail: account.secretMask().text(errorText(err)) }));
    }
  }

  private async mirror(provider: ProviderId, account: Account, token: Token): Promise<void> {
    if (!this.location || this.written === token.value) return;
    this.written = token.value;
    try {
      await writeEntry(this.location, tokenEntry(token, provider, account.name));
    } catch (err) {
      this.written = undefined;
      // A store's error may quote the entry it was given: the token in it is masked.
      const detail = account.secretMask([token.value]).text(errorText(err));
      this.node.warn(this.t("access-token.warn.context-write", { detail }));
    }
  }
}

/** A setting the editor would refuse: the node reports it and works with none. */
function settingProblem(settings: Settings, vendor: string): TokenError | undefined {
  const { invalid, key } = settings;
  return invalid ? new TokenError({ kind: "config", vendor, key: invalid, params: { key } }) : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
