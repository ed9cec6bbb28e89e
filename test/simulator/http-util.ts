// Small helpers shared by the handlers: replies, ids, hashing, body reading.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Reply } from "./types";

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this we stop draining an oversized upload and drop the connection. */
const HARD_BODY_LIMIT = 32 * MAX_BODY_BYTES;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(value),
  };
}

/** Tells a handler's early-return error apart from the value it was looking up. */
export function isReply(value: object): value is Reply {
  return "body" in value && "status" in value && typeof (value as Reply).status === "number";
}

export function sha256Hex(data: string | Buffer | Buffer[]): string {
  const hash = createHash("sha256");
  for (const part of Array.isArray(data) ? data : [data]) hash.update(part);
  return hash.digest("hex");
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function requestId(): string {
  return randomUUID();
}

/** The media type of a request, lower-cased and without parameters ("application/json"). */
export function mediaType(headers: IncomingMessage["headers"]): string {
  return (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** `Authorization: Bearer <token>` -> token; undefined when absent or of another scheme. */
export function bearerToken(headers: IncomingMessage["headers"]): string | undefined {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return m ? m[1] : undefined;
}

/** Parses a JSON object body; undefined when it is not a JSON object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A non-negative integer query parameter; `fallback` when absent, undefined when malformed. */
export function intParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw)) return undefined;
  return Number(raw);
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean };

/**
 * Reads the whole body. An oversized body is drained (not kept) so the client gets to read our
 * 413 instead of an EPIPE; a truly absurd one gets the connection dropped.
 */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_BODY_LIMIT) {
        req.socket.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? { ok: false, tooLarge } : { ok: true, body: Buffer.concat(chunks, size) }));
    req.on("error", () => resolve({ ok: false, tooLarge: false }));
    req.on("close", () => {
      if (!req.complete) resolve({ ok: false, tooLarge: false });
    });
  });
}

/** Writes a whole reply with an exact Content-Length. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  // 204 and 304 carry no body by definition (a "status" fault may ask for them).
  const bodyless = reply.status === 204 || reply.status === 304;
  const body = bodyless
    ? Buffer.alloc(0)
    : typeof reply.body === "string"
      ? Buffer.from(reply.body, "utf8")
      : reply.body;
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.end(body);
}
