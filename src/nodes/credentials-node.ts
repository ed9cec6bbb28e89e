// The credentials config node types, one per provider adapter: Node-RED wiring around one Account
// each (src/account/: the bound provider, its token source shared by every node and flow that uses
// these credentials, its HTTP client). The nodes that use it reach it through explicit methods, as
// the core MQTT broker node is reached. Its secrets never leave it.
import type { Account, CallOptions, CallOutcome, PlannedRequest } from "../account/account";
import { TokenError } from "../errors";
import { providers, type Provider, type ProviderId } from "../providers";
import type { Token } from "../token";
import type { GetOptions, StateChange } from "../token-source";
import { labelled, setUpAccount, type CredentialsOwner, type Setup } from "./account-setup";
import { describeCredentials, type CredentialsState } from "./credentials-state";
import { comparableConfig } from "./comparable-config";
import { migrateConfig } from "./config-version";
import type { Node, NodeAPI, NodeDef } from "./node-red";
import { forgetRefreshToken } from "./refresh-token-setup";
import { publishStateChanges } from "./state-events";
import { translator, type Translate } from "./translate";

export type { CredentialsOwner } from "./account-setup";

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
        // Deleted (not a mere redeploy): its refresh token kept at rest goes too.
        this.on("close", (removed, done) => {
          credentials
            .close()
            .then(() => (removed && adapter.id === "oauth2" ? forgetRefreshToken(RED, this.id) : undefined))
            .then(done, done);
        });
      },
      { credentials: credentialTypes },
    );
  }
}

export class CredentialsConfig {
  /** Everything this node is but its secrets (see comparableConfig): a dialog's Test must match it to use them. */
  readonly comparable: string;
  private readonly working: Setup;
  private readonly users = new Set<TokenUser>();
  private readonly t: Translate;
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
    const credentials = { ...owner.credentials };
    this.comparable = comparableConfig(config, adapter, credentials);
    // Errors name the node by its name, or by its type when it has none.
    const name = (typeof config.name === "string" ? config.name.trim() : "") || t(`${adapter.configType}.paletteLabel`);
    this.working = setUpAccount(RED, config, adapter, owner, credentials, t, {
      name,
      closing: this.closing.signal,
      share,
    });
    if (!("account" in this.working)) return;
    const tokens = this.working.account.tokens;
    tokens.on("token", (token: Token) => this.users.forEach((user) => user.tokenChanged(token)));
    // The held token still works, so messages go on; the failed refresh is logged once, here.
    tokens.on("refresh-error", (error: TokenError) => owner.warn(error.localize(t)));
    // A vendor lifetime over a day was capped: said once, with the vendor's value (it may be in ms).
    tokens.on("lifetime-capped", (seconds: number) =>
      owner.warn(t("access-token.warn.lifetime-capped", { vendor: adapter.vendor, value: seconds })),
    );
  }

  /** Why this node cannot fetch tokens (a field left empty, no URL), or undefined when it can. */
  get problem(): TokenError | undefined {
    return "problem" in this.working ? this.working.problem : undefined;
  }

  /** The account, when the node can work. */
  get account(): Account | undefined {
    return "account" in this.working ? this.working.account : undefined;
  }

  /** What the editor shows of this node: whether a token is held (never its value), until when, from where, the last error. */
  state(t: Translate): CredentialsState {
    return describeCredentials(this.adapter, this.working, t);
  }

  /** Call `listener` when what state() answers changes: a token obtained or adopted, a failed request. */
  onStateChange(listener: (change: StateChange) => void): void {
    this.account?.tokens.on("state", listener);
  }

  register(user: TokenUser): void {
    this.users.add(user);
  }

  deregister(user: TokenUser): void {
    this.users.delete(user);
  }

  /** A token fresh for the options' margin: the held one, or a new one (one request however many ask). */
  token(options: GetOptions): Promise<Token> {
    return this.labelling((account) => account.token(options));
  }

  /** An API call with this node's account (origin rule, token, authorize, one refresh-and-resend). */
  call(planned: PlannedRequest, options: CallOptions): Promise<CallOutcome> {
    return this.labelling((account) => account.call(planned, options));
  }

  /** Credentials without a token endpoint: their signature made for a sample call (the dialog's Test). */
  async signSample(): Promise<void> {
    await this.labelling(async (account) => {
      await account.authorize({ method: "GET", url: account.api.base || "https://localhost/", headers: {} }, undefined);
    });
  }

  /**
   * Abort the request in flight and close every socket and the shared-cache lease. A shared lock we
   * hold is released first (the abort ends the request; the release goes out on the still-open
   * connection), so no lock outlives a deploy and no instance waits out its TTL.
   */
  async close(): Promise<void> {
    // The users: each deregisters on its own close, and the account's close ends every token event.
    this.closing.abort();
    if ("problem" in this.working) return;
    const { account, lease, shared } = this.working;
    const closed = account.close();
    const leaseClosed = Promise.resolve(shared?.settled()).then(() => lease?.release());
    await Promise.allSettled([closed, leaseClosed]);
  }

  /** An expression of the custom provider that fails names its field: by the dialog's label. */
  private async labelling<T>(work: (account: Account) => Promise<T>): Promise<T> {
    if ("problem" in this.working) throw this.working.problem;
    try {
      return await work(this.working.account);
    } catch (err) {
      throw labelled(err, this.adapter, this.t);
    }
  }
}
