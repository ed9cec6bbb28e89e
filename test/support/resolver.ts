// A host-name resolver under the test's control, for "DNS failure" cases that must not make a real
// DNS query (this machine's resolver is not on loopback).
//
// Why this way: net.connect — which undici calls without a `lookup` option — resolves names through
// the `lookup` property of the public `dns` module at connect time, so replacing that property
// reaches every connection the runtime makes, with no change to the package and no test-only
// setting in it. While installed, the stub answers every call itself and never falls through to
// the system resolver. The tests resolve only `localhost`, so even if a future Node.js bypassed the
// stub, the answer would come from /etc/hosts, never from a DNS server (the tests then fail on
// `calls`, which says the stub was not reached).
import dns from "node:dns";

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;

export class StubResolver {
  /** Host names asked for, in order. */
  readonly calls: string[] = [];
  /** name -> IPv4 address; a name not listed fails with ENOTFOUND, as an unknown host does. */
  readonly names = new Map<string, string>();
  private readonly original = dns.lookup;

  constructor() {
    const stub = (hostname: string, options: unknown, callback?: LookupCallback) => {
      const cb = (typeof options === "function" ? options : callback) as LookupCallback;
      const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all === true;
      this.calls.push(hostname);
      const address = this.names.get(hostname.toLowerCase());
      if (address === undefined) {
        const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: "ENOTFOUND",
          errno: -3008,
          syscall: "getaddrinfo",
          hostname,
        });
        process.nextTick(cb, error);
      } else if (all) {
        process.nextTick(cb, null, [{ address, family: 4 }]);
      } else {
        process.nextTick(cb, null, address, 4);
      }
    };
    (dns as unknown as { lookup: unknown }).lookup = stub;
  }

  restore(): void {
    (dns as unknown as { lookup: unknown }).lookup = this.original;
  }
}
