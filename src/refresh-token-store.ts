// A credentials node's refresh token kept at rest, so that a restart of Node-RED needs no new
// sign-in: one file per node under Node-RED's user directory, AES-256-GCM under a key derived
// (HKDF-SHA256) from Node-RED's credential secret, bound to the node (the additional data) and to
// the account's settings (inside). Written atomically (a temporary file renamed over it). What is
// read back is held to the rules of a vendor answer: a file that is not exactly what we write, or
// was written for another node or account, is no sign-in (a warning, never a crash).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { RefreshTokenStore, StoredRefresh } from "./token-source";

/** The folder under the user directory (beside flows.json) that holds one file per node. */
export const REFRESH_TOKEN_DIR = "access-token-refresh";
/** The file's `format` field: what it is, for someone who finds it. */
export const FILE_FORMAT = "node-red-access-token refresh token";
export const FILE_VERSION = 1;
/** A file larger than this is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
/** RFC 6749 A.17: a refresh token is printable ASCII (VSCHAR); JWT refresh tokens can be long. */
const REFRESH_TOKEN = /^[\x20-\x7e]{1,16384}$/;
const MAX_NAME_LENGTH = 200;

/**
 * What the store reports (the catalog key access-token.warn.sign-in-<problem>): a kept refresh token
 * not used (unreadable, or another account's), or one that could not be written.
 */
export const STORE_PROBLEMS = ["unreadable", "other-account", "write-failed"] as const;
export type StoreProblem = (typeof STORE_PROBLEMS)[number];
type UnusedReason = Exclude<StoreProblem, "write-failed">;

export interface RefreshFileOptions {
  /** Node-RED's user directory. */
  readonly userDir: string;
  readonly nodeId: string;
  /** Node-RED's credential secret (settings.js credentialSecret, or the one it generated). */
  readonly secret: string;
  /** The account's non-secret id (token URL, client ID, scope ...): another one's refresh token is not used. */
  readonly account: string;
  /** A kept refresh token that could not be used, or a write that failed (its error's text, no secret in it). */
  readonly report: (problem: StoreProblem, detail?: string) => void;
}

/** The file of a node: its id as the name when it is a plain one, else the id's SHA-256. */
export function refreshTokenFile(userDir: string, nodeId: string): string {
  const name = /^[A-Za-z0-9_-]{1,64}$/.test(nodeId) ? nodeId : createHash("sha256").update(nodeId).digest("hex");
  return path.join(userDir, REFRESH_TOKEN_DIR, `${name}.json`);
}

export class RefreshTokenFile implements RefreshTokenStore {
  readonly file: string;
  private readonly key: Buffer;
  private readonly aad: Buffer;

  constructor(private readonly options: RefreshFileOptions) {
    this.file = refreshTokenFile(options.userDir, options.nodeId);
    this.key = Buffer.from(hkdfSync("sha256", options.secret, "node-red-access-token", "refresh token store v1", 32));
    this.aad = Buffer.from(`${FILE_FORMAT} v${FILE_VERSION} ${options.nodeId}`, "utf8");
  }

  async load(): Promise<StoredRefresh | undefined> {
    let text: string;
    try {
      const stat = await fs.stat(this.file);
      if (stat.size > MAX_FILE_BYTES) return this.unused("unreadable");
      text = await fs.readFile(this.file, "utf8");
    } catch (err) {
      // No file: never signed in (or signed out). Anything else is a file we cannot read.
      return isMissing(err) ? undefined : this.unused("unreadable");
    }
    const content = this.decrypt(text);
    if (!content) return this.unused("unreadable");
    if (content.account !== this.options.account) return this.unused("other-account");
    return content.entry;
  }

  async save(entry: StoredRefresh): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(this.aad);
    const plain = JSON.stringify({ account: this.options.account, ...entry });
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const file = {
      format: FILE_FORMAT,
      version: FILE_VERSION,
      iv: iv.toString("base64url"),
      tag: cipher.getAuthTag().toString("base64url"),
      data: data.toString("base64url"),
    };
    try {
      await writeAtomically(this.file, JSON.stringify(file) + "\n");
    } catch (err) {
      this.options.report("write-failed", errnoOf(err));
    }
  }

  async remove(): Promise<void> {
    try {
      await fs.rm(this.file, { force: true });
    } catch (err) {
      this.options.report("write-failed", errnoOf(err));
    }
  }

  private unused(reason: UnusedReason): undefined {
    this.options.report(reason);
    return undefined;
  }

  /** The file's content, or undefined when it is not exactly what save() writes with this key for this node. */
  private decrypt(text: string): { account: unknown; entry: StoredRefresh } | undefined {
    const file = parseObject(text);
    if (!file || file.format !== FILE_FORMAT || file.version !== FILE_VERSION) return undefined;
    const iv = base64url(file.iv);
    const tag = base64url(file.tag);
    const data = base64url(file.data);
    if (iv?.length !== 12 || tag?.length !== 16 || !data) return undefined;
    let plain: string;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv, { authTagLength: 16 });
      decipher.setAAD(this.aad);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
    const content = parseObject(plain);
    const refreshToken = content?.refreshToken;
    const name = content?.accountName;
    if (typeof refreshToken !== "string" || !REFRESH_TOKEN.test(refreshToken)) return undefined;
    if (name !== undefined && (typeof name !== "string" || name.length > MAX_NAME_LENGTH)) return undefined;
    return {
      account: content?.account,
      entry: name === undefined ? { refreshToken } : { refreshToken, accountName: name },
    };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function base64url(value: unknown): Buffer | undefined {
  return typeof value === "string" && /^[A-Za-z0-9_-]*$/.test(value) ? Buffer.from(value, "base64url") : undefined;
}

function isMissing(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "ENOENT";
}

/** The error's code (EACCES, ENOSPC ...): a path or a message could say more than needed. */
function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "error";
}

/** A new file of its own (owner only) synced to disk, then renamed over the old one: never half written. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await fs.open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (err) {
    // Gone already when the open failed: nothing to clean up then, and the first error is the one to report.
    await fs.rm(temporary).catch(() => undefined);
    throw err;
  }
}
