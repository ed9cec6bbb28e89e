// What a get token node's status shows. Set only on change: every status goes to each open editor,
// and a node passing thousands of messages a second with the same token must not send thousands
// of status events.
import type { TokenError } from "../errors";
import type { Token } from "../token";
import type { Node, NodeStatus } from "./node-red";
import type { Translate } from "./translate";

/** A token's expiry time in a remembered status text (a private-use character: no catalog has it). */
const TIME = "\uE000";
/** Status texts by translator, which is one per runtime: RED._ (i18next) takes about 0.1 ms a call. */
const remembered = new WeakMap<Translate, Map<string, string>>();

/**
 * What toLocaleTimeString() gives (the same options, the runtime's locale), made once: a new Date's
 * toLocaleTimeString builds its formatter each call, a tenth of a cold message's time after the answer.
 */
const EXPIRY_TIME = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "numeric", second: "numeric" });

/** setTimeout's limit; tokens live at most a day (the adapters cap the expiry), so this is only a guard. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class TokenStatus {
  private shown?: string;
  /** The token the status shows; any other status (fetching, failed, expired) clears it. */
  private shownToken?: Token;
  private expiryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly node: Node,
    private readonly t: Translate,
  ) {}

  /** The state on deploy, so that no status of the node's previous life stays showing. */
  start(held: Token | undefined, problem: TokenError | undefined): void {
    if (problem) this.failed(problem);
    else if (held) this.token(held);
    else
      this.set("idle", undefined, () => ({
        fill: "grey",
        shape: "dot",
        text: this.text("idle", () => this.t("access-token.status.idle")),
      }));
  }

  /** Credentials without a token endpoint: the last call went out signed (no token to show). */
  signed(): void {
    this.set("signed", undefined, () => ({
      fill: "green",
      shape: "dot",
      text: this.text("signed", () => this.t("access-token.status.signed")),
    }));
  }

  fetching(): void {
    this.set("fetching", undefined, () => ({
      fill: "yellow",
      shape: "ring",
      text: this.text("fetching", () => this.t("access-token.status.fetching")),
    }));
  }

  /** Calls wait their turn at the credentials node's rate limit or a busy vendor's pause. */
  waiting(queued: number): void {
    this.set(`waiting ${queued}`, undefined, () => ({
      fill: "yellow",
      shape: "ring",
      text: this.t("access-token.status.waiting", { queued }),
    }));
  }

  /** The vendor answered 429 or 503: calls wait this many seconds before the next try. */
  busy(seconds: number): void {
    this.set(`busy ${seconds}`, undefined, () => ({
      fill: "yellow",
      shape: "ring",
      text: this.t("access-token.status.busy", { seconds }),
    }));
  }

  token(token: Token): void {
    // Called for every message answered from the cache: showing the same token again costs nothing.
    if (this.shownToken === token) return;
    const time = () => EXPIRY_TIME.format(token.expiresAt);
    const changed = this.set(`token ${token.obtainedAt} ${token.expiresAt}`, token, () => ({
      fill: "green",
      shape: "dot",
      text: this.text("valid", () => this.t("access-token.status.valid", { time: TIME })).replace(TIME, time()),
    }));
    if (!changed) return;
    // Refreshes happen when messages come; with none, the green dot would outlive the token.
    const wait = token.expiresAt - Date.now();
    if (wait <= 0 || wait > MAX_TIMER_MS) return;
    this.expiryTimer = setTimeout(() => {
      this.set(`expired ${token.expiresAt}`, undefined, () => ({
        fill: "grey",
        shape: "ring",
        text: this.text("expired", () => this.t("access-token.status.expired", { time: TIME })).replace(TIME, time()),
      }));
    }, wait);
    this.expiryTimer.unref();
  }

  /** A red ring naming the vendor and, in a few words, the cause (see shortReason). */
  failed(error: TokenError): void {
    const reason = this.shortReason(error);
    this.set(`failed ${error.vendor} ${reason}`, undefined, () => ({
      fill: "red",
      shape: "ring",
      text: this.t("access-token.status.failed", { vendor: error.vendor, reason }),
    }));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.expiryTimer);
  }

  /**
   * The status text `name` as `translate` makes it, made once per runtime: the first token after
   * each deploy then shows its status without an i18next look-up on the message's way.
   */
  private text(name: string, translate: () => string): string {
    let texts = remembered.get(this.t);
    if (!texts) remembered.set(this.t, (texts = new Map<string, string>()));
    let text = texts.get(name);
    if (text === undefined) texts.set(name, (text = translate()));
    return text;
  }

  private set(state: string, token: Token | undefined, status: () => NodeStatus): boolean {
    if (this.closed || state === this.shown) return false;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.shown = state;
    this.shownToken = token;
    this.node.status(status());
    return true;
  }

  /**
   * The vendor's code, else the HTTP status of an error status, else a few words for what went
   * wrong ("host not found", "unusable expiry" ...). The kind alone ("network", "response") does
   * not say what to fix, and the HTTP status of a 200 answer that was too large or unusable
   * misleads. The full text is in the error that Catch nodes and the debug sidebar get.
   */
  private shortReason(error: TokenError): string {
    if (error.code !== undefined) return error.code;
    if (error.kind === "http" && error.httpStatus) return `HTTP ${error.httpStatus}`;
    return this.t(`access-token.status.reason.${error.key}`);
  }
}
