// A token endpoint scripted at the HTTP client and a refresh token store in memory, for the token
// source's suites: every answer and every write can be held back to set up an interleaving. The
// vendor honours the abort signal as the real client does, and records each request it is handed.
import { TokenError } from "../../src/errors";
import type { RawResponse } from "../../src/providers/types";
import type { RefreshTokenStore, StoredRefresh } from "../../src/token-source";

export interface Held<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
export function held<T = void>(): Held<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** An answer of the token endpoint: a status and JSON body, or a failure of the connection. */
export type Answer = { status: number; body: Record<string, unknown> } | "network";

/** The authorization server: records each token request and answers as scripted, else rotates. */
export class ScriptedVendor {
  readonly asked: { grant: string | null; refreshToken: string | null }[] = [];
  private readonly script: (() => Answer | Promise<Answer>)[] = [];
  private issued = 0;

  /** The next requests' answers, in order; each may wait (a held answer). */
  then(...answers: (() => Answer | Promise<Answer>)[]): void {
    this.script.push(...answers);
  }

  /** A token answer with a new access token and a rotated refresh token. */
  token = (extra: Record<string, unknown> = {}): Answer => {
    this.issued += 1;
    return {
      status: 200,
      body: {
        access_token: `at-${this.issued}`,
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: `rt-${this.issued}`,
        ...extra,
      },
    };
  };

  readonly http = {
    send: async (
      request: { body?: string | Uint8Array },
      vendor: string,
      signal?: AbortSignal,
    ): Promise<RawResponse> => {
      const form = new URLSearchParams(String(request.body ?? ""));
      this.asked.push({ grant: form.get("grant_type"), refreshToken: form.get("refresh_token") });
      const step = this.script.shift() ?? (() => this.token());
      const aborted = new Promise<never>((_, reject) => {
        const abort = () => reject(new TokenError({ kind: "aborted", vendor, key: "aborted" }));
        if (signal?.aborted) abort();
        signal?.addEventListener("abort", abort, { once: true });
      });
      const answer = await Promise.race([Promise.resolve(step()), aborted]);
      if (answer === "network")
        throw new TokenError({
          kind: "network",
          vendor,
          key: "connection-reset",
          params: { host: "auth.example.com" },
        });
      return {
        status: answer.status,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(answer.body),
      };
    },
  };
}

/** A refresh token store in memory: what is kept, each operation in order, and reads and writes that can be held. */
export class MemoryRefreshStore implements RefreshTokenStore {
  kept?: StoredRefresh;
  readonly log: string[] = [];
  loads = 0;
  /** Set to hold the next read until released. */
  reading?: Promise<void>;
  /** Set to make the read fail. */
  readFails = false;
  /** How many of the next saves fail (a store that breaks its word: saves should report, never reject). */
  failingSaves = 0;
  /** Holds for the next writes, in order (a write with none left goes through at once). */
  readonly writes: Promise<void>[] = [];

  constructor(kept?: StoredRefresh) {
    this.kept = kept;
  }

  async load(): Promise<StoredRefresh | undefined> {
    this.loads += 1;
    await this.reading;
    if (this.readFails) throw new Error("EIO: the disk is gone");
    return this.kept;
  }

  async save(entry: StoredRefresh): Promise<void> {
    this.log.push(`save ${entry.refreshToken} begins`);
    await this.writes.shift();
    if (this.failingSaves > 0) {
      this.failingSaves -= 1;
      this.log.push(`save ${entry.refreshToken} fails`);
      throw new Error("ENOSPC: no space left on device");
    }
    this.kept = JSON.parse(JSON.stringify(entry)) as StoredRefresh; // as a file holds it: no undefined fields
    this.log.push(`save ${entry.refreshToken} ends`);
  }

  async remove(): Promise<void> {
    this.log.push("remove begins");
    await this.writes.shift();
    this.kept = undefined;
    this.log.push("remove ends");
  }
}
