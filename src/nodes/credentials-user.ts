// What get token and api request do alike as nodes that use a credentials node: register with it
// (its new tokens shown in their status), keep the status, track messages in flight, hand every
// failure to Catch with msg.error.statusCode, and leave nothing behind on close. A message is
// worked on only when the node can work: with a credentials node that has an account.
import type { Account } from "../account/account";
import { TokenError } from "../errors";
import { isProviderId, type ProviderId } from "../providers";
import type { Token } from "../token";
import { labelled } from "./account-setup";
import { asTokenError, catchable } from "./catchable-error";
import { doneWithStatusCode } from "./catch-status-code";
import { findCredentials, noCredentials, type CredentialsConfig, type TokenUser } from "./credentials-node";
import { InFlight } from "./in-flight";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "./node-red";
import { TokenStatus } from "./token-status";
import type { Translate } from "./translate";

/** A credentials node that can work, and its account: what a message is worked on with. */
export interface Ready {
  readonly credentials: CredentialsConfig;
  readonly account: Account;
}

export interface UserOptions {
  /** A setting of the node itself the editor would refuse (it comes first). */
  ownProblem?: (vendor: string) => TokenError | undefined;
  /** The node hands out the token itself (get token): credentials without a token endpoint cannot serve it. */
  needsToken?: boolean;
}

type Send = (msg: NodeMessage) => void;
type Done = (err?: Error) => void;

export class CredentialsUser implements TokenUser {
  readonly provider: ProviderId | undefined;
  /** How errors name the vendor: the provider's label, or the node's own when none is chosen. */
  readonly vendor: string;
  readonly status: TokenStatus;
  /** Set when the node can work; else `problem` says why. */
  readonly ready?: Ready;
  readonly problem?: TokenError;
  /** Aborted on close: no call outlives a deploy. */
  readonly closing = new AbortController();
  private readonly inFlight: InFlight;
  /** The runtime's message hooks, for msg.error.statusCode at Catch nodes. */
  private readonly hooks: NodeAPI["hooks"];

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    node: Node,
    config: NodeDef,
    nodeLabel: string,
    options: UserOptions = {},
  ) {
    this.provider = isProviderId(config.provider) ? config.provider : undefined;
    const credentials = this.provider ? findCredentials(RED, config[this.provider], this.provider) : undefined;
    const account = credentials?.account;
    // A bound provider with a name of its own (custom credentials started from a preset: "Tuya") is
    // named so; else the provider's label in the runtime's language.
    const named =
      account && account.provider.vendor !== credentials.adapter.vendor ? account.provider.vendor : undefined;
    this.vendor = named ?? (this.provider ? t(`access-token.provider.${this.provider}`) : nodeLabel);
    this.status = new TokenStatus(node, t);
    this.inFlight = new InFlight(node, t);
    this.hooks = RED.hooks;
    this.problem =
      options.ownProblem?.(this.vendor) ??
      (credentials ? credentials.problem : noCredentials(this.vendor)) ??
      (options.needsToken && account?.provider.tokenless
        ? new TokenError({ kind: "config", vendor: this.vendor, key: "no-token-endpoint" })
        : undefined);
    if (credentials && account && !this.problem) this.ready = { credentials, account };
    credentials?.register(this);
    this.status.start(account?.tokens.current(), this.problem);
    node.on("close", (_removed, done) => {
      this.inFlight.close();
      this.closing.abort();
      this.status.close();
      credentials?.deregister(this);
      done();
    });
  }

  tokenChanged(token: Token): void {
    this.status.token(token);
  }

  /** Work on a message with the ready credentials; its outcome sent on, or handed to Catch. */
  run(msg: NodeMessage, send: Send, done: Done, work: (ready: Ready, msg: NodeMessage) => Promise<NodeMessage>): void {
    this.inFlight.run(this.attempt(msg, work), send, done, (err) => this.fail(err, done));
  }

  private async attempt(msg: NodeMessage, work: (ready: Ready, msg: NodeMessage) => Promise<NodeMessage>) {
    if (!this.ready) throw this.problem ?? noCredentials(this.vendor);
    return work(this.ready, msg);
  }

  /** A red status and done(err), with the HTTP status at msg.error.statusCode. */
  fail(err: unknown, done: Done): void {
    const caught = asTokenError(err, this.vendor);
    // A provider's expression that fails names its field by the dialog's label.
    const error = this.ready ? labelled(caught, this.ready.credentials.adapter, this.t) : caught;
    this.status.failed(error);
    doneWithStatusCode(this.hooks, done, catchable(error, this.t));
  }
}
