// An undici dispatcher that sends each request direct or through its proxy, as `route` decides per
// origin (src/proxy.ts: the proxy node, or the environment by the core http request node's rules).
// A pool per origin reached direct, an agent per proxy, all closed together.
import { Dispatcher, Pool, ProxyAgent } from "undici";
import type { ConnectionOptions } from "node:tls";

const MAX_ROUTES = 64;

export class ProxyRouter extends Dispatcher {
  /** Direct routes: a pool per origin, as undici's Agent keeps them (without its layer, which a cold message feels). */
  private readonly direct = new Map<string, Pool>();
  private readonly proxied = new Map<string, ProxyAgent>();
  /** The route of each origin reached: the route depends on the origin alone and is fixed. */
  private readonly routes = new Map<string, string>();
  /** After close() or destroy(): a dispatcher made then is closed at once (a request racing a redeploy is refused, as by a closed Agent, and opens nothing). */
  private ended = false;

  /** `token`: the Proxy-Authorization value of a proxy node's user and password, if set. */
  constructor(
    private readonly route: (target: URL) => string,
    private readonly tls: ConnectionOptions,
    private readonly token?: string,
  ) {
    super();
  }

  /** The proxy a request to this origin goes through ("" = direct). */
  proxyFor(target: URL): string {
    return this.routeOf(target.origin, () => target);
  }

  /**
   * Make the dispatcher of a URL's origin now: a deploy, not the first message, then pays for the pool
   * (no socket is opened before a request). Anything but an http(s) URL is left for the request to
   * refuse.
   */
  prepare(url: string): void {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return;
    }
    if (target.protocol !== "https:" && target.protocol !== "http:") return;
    this.dispatcherFor(
      target.origin,
      this.routeOf(target.origin, () => target),
    );
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = String(options.origin);
    const proxy = this.routeOf(origin, () => new URL(origin));
    return this.dispatcherFor(origin, proxy).dispatch(options, handler);
  }

  /** Parsing the origin and reading the environment's rules again for every request costs a cold message. */
  private routeOf(origin: string, target: () => URL): string {
    let proxy = this.routes.get(origin);
    if (proxy === undefined) {
      proxy = this.route(target());
      // An API request node may reach a few origins; no caller reaches thousands.
      if (this.routes.size >= MAX_ROUTES) this.routes.clear();
      this.routes.set(origin, proxy);
    }
    return proxy;
  }

  override close(callback: () => void): void;
  override close(): Promise<void>;
  override close(callback?: () => void): Promise<void> | void {
    this.ended = true;
    const closed = Promise.all(this.agents().map((agent) => agent.close())).then(() => undefined);
    if (!callback) return closed;
    void closed.then(callback, callback);
  }

  override destroy(err: Error | null, callback: () => void): void;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null): Promise<void>;
  override destroy(): Promise<void>;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    this.ended = true;
    const callback = typeof first === "function" ? first : second;
    const err = typeof first === "function" ? null : (first ?? null);
    const destroyed = Promise.all(this.agents().map((agent) => agent.destroy(err))).then(() => undefined);
    if (!callback) return destroyed;
    void destroyed.then(callback, callback);
  }

  private agents(): Dispatcher[] {
    return [...this.direct.values(), ...this.proxied.values()];
  }

  private dispatcherFor(origin: string, proxy: string): Dispatcher {
    if (!proxy) return this.made(this.direct, origin, () => new Pool(origin, { connect: this.tls }));
    return this.made(
      this.proxied,
      proxy,
      () => new ProxyAgent({ uri: proxy, token: this.token, requestTls: this.tls }),
    );
  }

  private made<D extends Dispatcher>(made: Map<string, D>, key: string, make: () => D): D {
    let dispatcher = made.get(key);
    if (!dispatcher) {
      dispatcher = make();
      made.set(key, dispatcher);
      if (this.ended) void dispatcher.close();
    }
    return dispatcher;
  }
}
