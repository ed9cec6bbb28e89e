// RESP2, the Redis wire protocol: encode a command, decode replies from a byte stream that may
// split a reply across chunks (or carry several in one). Only what our few commands need.

export type RespValue = string | number | null | RespValue[];

/** A `-ERR ...` reply: the command failed, the connection is fine. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisReplyError";
  }
}

/** A command as an array of bulk strings: binary-safe, so values never need escaping. */
export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg), "utf8");
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Where a reply ends, or "incomplete" when the bytes so far do not hold all of it. */
type Parsed = { value: RespValue | RedisReplyError; end: number } | "incomplete";

/** Caps what a reply may claim, so a corrupt stream cannot make us buffer without end. */
const MAX_BULK = 16 * 1024 * 1024;
const MAX_ARRAY = 1_000_000;

export class RespDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns every reply they complete, in order. Throws on a malformed stream. */
  push(chunk: Buffer): Array<RespValue | RedisReplyError> {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const replies: Array<RespValue | RedisReplyError> = [];
    let offset = 0;
    for (;;) {
      const parsed = parseAt(this.buffer, offset);
      if (parsed === "incomplete") break;
      replies.push(parsed.value);
      offset = parsed.end;
    }
    this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
    return replies;
  }
}

function parseAt(buffer: Buffer, offset: number): Parsed {
  if (offset >= buffer.length) return "incomplete";
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) return "incomplete";
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new RedisReplyError(line), end: next };
    case ":":
      return { value: integer(line), end: next };
    case "$": {
      const length = integer(line);
      if (length < 0) return { value: null, end: next };
      if (length > MAX_BULK) throw new Error(`Redis reply too large (${length} bytes)`);
      if (buffer.length < next + length + 2) return "incomplete";
      return { value: buffer.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = integer(line);
      if (count < 0) return { value: null, end: next };
      if (count > MAX_ARRAY) throw new Error(`Redis reply too large (${count} elements)`);
      const items: RespValue[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buffer, end);
        if (item === "incomplete") return "incomplete";
        // An error nested in an array (EXEC, EVAL tables) is kept as its text.
        items.push(item.value instanceof RedisReplyError ? item.value.message : item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`malformed Redis reply (type byte 0x${buffer[offset].toString(16)})`);
  }
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error("malformed Redis reply (bad integer)");
  return value;
}
