// The shape of one row of the fault matrix, and the environment every row can use.
import type { ProviderId } from "../simulator";
import type { ProviderSimulator } from "../simulator";
import type { TestProxy } from "../support/proxy";
import type { StubResolver } from "../support/resolver";
import type { Relay, TestCertificate } from "../support/tls";

/** Where the credentials node points, and through what. */
export interface Target {
  baseUrl: string;
  /** The credentials node's request timeout in seconds (default 10). */
  timeoutS?: number;
  /** Add a tls-config node that holds the test CA. */
  tlsCa?: boolean;
  /** Add an `http proxy` config node. */
  proxy?: { url: string; username?: string; password?: string; noproxy?: string[] };
}

export interface FaultEnv {
  sim: ProviderSimulator;
  proxy: TestProxy;
  /** TLS front of the simulator (self-signed for 127.0.0.1); undefined without the openssl CLI. */
  tls?: { relay: Relay; certificate: TestCertificate };
  resolver?: StubResolver;
  /** A port chosen by a row's arrange(), e.g. one nothing listens on yet. */
  port?: number;
  /** Run after the row, pass or fail (servers it started, stubs it installed). */
  cleanup: Array<() => unknown>;
}

export interface Outcome {
  /** Messages that went on with msg.token. */
  out: Array<Record<string, any>>;
  /** Messages that reached the Catch node. */
  caught: Array<Record<string, any>>;
  /** The get token node's context entry after the last message. */
  entry?: { token: string; expiresAt: number; obtainedAt: number; account: string };
}

export interface FaultCase {
  name: string;
  provider: ProviderId;
  /** Skip the row (with the reason) when the environment lacks something it needs. */
  skip?: (env: FaultEnv) => string | undefined;
  /** Default: the simulator, directly. Evaluated after arrange(). */
  target?: (env: FaultEnv) => Target;
  /** Make the vendor (or the network) misbehave before the first message. */
  arrange?: (env: FaultEnv) => unknown;
  /**
   * The failure the first messages must meet: the Catch text (vendor name is checked anyway), the
   * vendor code if any, and what the status shows after the vendor's name. No `error`: a row that
   * must succeed at once (a tolerated oddity: string expiry, skewed vendor clock, a proxy).
   */
  error?: { text: RegExp; code?: string; status: RegExp };
  /** The vendor's Retry-After in seconds: no request may be sent before it elapses. */
  retryAfterS?: number;
  /** Make the next answer good again when the fault does not clear itself; may redeploy to a new target. */
  recover?: (env: FaultEnv) => void | Target | Promise<void | Target>;
  /** Extra checks once messages go through. */
  verify?: (env: FaultEnv, outcome: Outcome) => void;
}
