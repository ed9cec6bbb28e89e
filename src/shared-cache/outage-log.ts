// What the runtime's log hears from the shared cache: one warning when Redis goes away, one line
// when it is back, silence in between; and one line per key for an entry that fails its MAC, and
// one for a genuine entry that is not the last one written (an older one put back).
import { formatMessage, type MessageParams } from "../messages";

/** Tells the runtime's log when the shared store goes away and comes back: once per outage, not per message. */
export interface OutageReporter {
  failed(error: Error): void;
  ok(): void;
}

export class OutageLog implements OutageReporter {
  /** Whether the last store operation reached the store; undefined before the first one. */
  private lastReached?: boolean;
  /** The warnings about entries said so far, by message key and Redis key. */
  private readonly entriesSeen = new Set<string>();

  constructor(
    private readonly where: string,
    private readonly log: { warn(text: string): void; info(text: string): void },
    private readonly translate: (key: string, params: MessageParams) => string = formatMessage,
    /** The client's own last connection error: "the client is offline" alone says little. */
    private readonly cause: () => Error | undefined = () => undefined,
  ) {}

  /** Whether Redis answered the last operation (undefined until one was made): for the editor's state panel. */
  get reachable(): boolean | undefined {
    return this.lastReached;
  }

  failed(error: Error): void {
    // Already down: this outage was reported.
    if (this.lastReached === false) return;
    this.lastReached = false;
    const detail = this.cause()?.message ?? error.message;
    this.log.warn(this.translate("access-token.warn.shared-cache-down", { detail: `${this.where}: ${detail}` }));
  }

  ok(): void {
    const wasDown = this.lastReached === false;
    this.lastReached = true;
    if (!wasDown) return;
    this.log.info(this.translate("access-token.warn.shared-cache-up", { where: this.where }));
  }

  /** An entry under this key failed its MAC or the token rules: said once per key. */
  forged(key: string): void {
    this.entryOnce("access-token.warn.shared-entry-forged", key);
  }

  /** A genuine entry under this key is not the last one written (an older one put back): said once per key. */
  replayed(key: string): void {
    this.entryOnce("access-token.warn.shared-entry-replayed", key);
  }

  private entryOnce(message: string, key: string): void {
    const seen = `${message} ${key}`;
    if (this.entriesSeen.has(seen)) return;
    this.entriesSeen.add(seen);
    this.log.warn(this.translate(message, { where: `${this.where} ${key}` }));
  }
}
