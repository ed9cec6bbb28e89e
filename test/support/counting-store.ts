// A Node-RED context store in memory that records every write and read: for tests that count how
// often a node writes its context, or wait until it has read it. Implements the context store API (open, close, get, set, keys, delete,
// clean), synchronously as the built-in memory store does and with callbacks.
type Callback = (err: Error | null, ...values: unknown[]) => void;

export interface Write {
  scope: string;
  key: string;
  value: unknown;
}

export function countingStore(): { module: (config: unknown) => unknown; writes: Write[]; reads: string[] } {
  const writes: Write[] = [];
  /** The keys read, in order. */
  const reads: string[] = [];
  const data = new Map<string, Map<string, unknown>>();
  const scopeOf = (scope: string) => {
    if (!data.has(scope)) data.set(scope, new Map());
    return data.get(scope)!;
  };
  const answer = (callback: Callback | undefined, value?: unknown) => {
    if (callback) process.nextTick(callback, null, value);
    return value;
  };
  const store = {
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    get: (scope: string, key: string | string[], callback?: Callback) => {
      reads.push(...(Array.isArray(key) ? key : [key]));
      return answer(callback, Array.isArray(key) ? key.map((k) => scopeOf(scope).get(k)) : scopeOf(scope).get(key));
    },
    set: (scope: string, key: string, value: unknown, callback?: Callback) => {
      writes.push({ scope, key, value });
      if (value === undefined) scopeOf(scope).delete(key);
      else scopeOf(scope).set(key, value);
      return answer(callback);
    },
    keys: (scope: string, callback?: Callback) => answer(callback, [...scopeOf(scope).keys()]),
    delete: (scope: string) => {
      data.delete(scope);
      return Promise.resolve();
    },
    clean: () => Promise.resolve(),
  };
  return { module: () => store, writes, reads };
}
