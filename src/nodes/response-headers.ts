// Response headers on a message are marked, as the core http request node marks them, so that the
// next request node (ours or core's) does not send them as request headers: a response's
// content-length sent with the next call makes it hang waiting for a body that never comes.

/** The core http request node's mark: its value is a hash of the other headers (unchanged = the response's). */
export const RESPONSE_HEADERS_MARK = "x-node-red-request-node";

/**
 * The hash core compares against (the hash-sum package, MIT, which core uses): the same folding
 * over sorted keys, type tags and values, for the plain data that headers hold. Tested against
 * hash-sum itself, so a core http request node after ours recognises our response headers.
 */
export function headerHash(value: unknown): string {
  return foldValue(0, value, "", []).toString(16).padStart(8, "0");
}

// hash-sum returns an empty text's hash unchanged first: the loop below does too, as every hash is >= 0.
function fold(hash: number, text: string): number {
  let folded = hash;
  for (let i = 0; i < text.length; i++) folded = ((folded << 5) - folded + text.charCodeAt(i)) | 0;
  return folded < 0 ? folded * -2 : folded;
}

function foldValue(input: number, value: unknown, key: string, seen: unknown[]): number {
  const hash = fold(fold(fold(input, key), Object.prototype.toString.call(value)), typeof value);
  if (value === null) return fold(hash, "null");
  if (value === undefined) return fold(hash, "undefined");
  if (typeof value === "object" || typeof value === "function") {
    if (seen.includes(value)) return fold(hash, `[Circular]${key}`);
    seen.push(value);
    const record = value as Record<string, unknown>;
    const objectHash = Object.keys(record)
      .sort()
      .reduce((acc, name) => foldValue(acc, record[name], name, seen), hash);
    // Arrays and plain objects have valueOf (Object.prototype's), which gives the value itself.
    return fold(objectHash, String((value as { valueOf(): unknown }).valueOf()));
  }
  return fold(hash, String(value)); // eslint-disable-line @typescript-eslint/no-base-to-string -- a primitive: objects returned above
}

/** The response's headers as a message carries them: marked as core marks them. */
export function markedResponseHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...headers };
  delete copy[RESPONSE_HEADERS_MARK];
  return { ...copy, [RESPONSE_HEADERS_MARK]: headerHash(copy) };
}

/** Whether msg.headers are a response's (marked), not headers the user set for the next request. */
export function isResponseHeaders(headers: Record<string, unknown>): boolean {
  return RESPONSE_HEADERS_MARK in headers;
}
