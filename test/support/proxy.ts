// A small HTTP proxy for tests: CONNECT tunnels (what undici's ProxyAgent uses by default) and
// absolute-form forwarding, optionally behind Proxy-Authorization, counting what passes through.
// It only ever connects to loopback: a test must never send a packet to another address.
import * as http from "node:http";
import * as net from "node:net";
import { isLoopback } from "../../src/loopback";

export interface ProxyCounts {
  /** CONNECT requests that were accepted and tunnelled. */
  tunnels: number;
  /** Absolute-form requests that were forwarded. */
  forwards: number;
  /** Requests refused with 407 (no or wrong Proxy-Authorization). */
  refused: number;
}

export class TestProxy {
  readonly counts: ProxyCounts = { tunnels: 0, forwards: 0, refused: 0 };
  /** Every Proxy-Authorization header received (to check that credentials were sent). */
  readonly authorizations: string[] = [];
  /** "user:password" the proxy insists on, or undefined to let everyone through. */
  auth: string | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get total(): number {
    return this.counts.tunnels + this.counts.forwards;
  }

  static async start(auth?: string): Promise<TestProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const proxy = new TestProxy(server, (server.address() as net.AddressInfo).port);
    proxy.auth = auth;
    server.on("connection", (socket: net.Socket) => proxy.track(socket));
    server.on("connect", (req, socket: net.Socket, head) => proxy.tunnel(req, socket, head));
    server.on("request", (req, res) => proxy.forward(req, res));
    return proxy;
  }

  reset(): void {
    Object.assign(this.counts, { tunnels: 0, forwards: 0, refused: 0 });
    this.authorizations.length = 0;
  }

  /** Stop listening and cut every tunnel and connection at once. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  private authorized(req: http.IncomingMessage): boolean {
    const header = req.headers["proxy-authorization"];
    if (header) this.authorizations.push(header);
    if (this.auth === undefined) return true;
    if (header === `Basic ${Buffer.from(this.auth).toString("base64")}`) return true;
    this.counts.refused += 1;
    return false;
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (!this.authorized(req)) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\ncontent-length: 0\r\n\r\n',
      );
      return;
    }
    const target = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? "");
    if (!target || !isLoopback(target[1])) {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const upstream = net.connect(Number(target[2]), target[1]);
    this.track(upstream);
    upstream.once("connect", () => {
      this.counts.tunnels += 1;
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // The vendor is unreachable from the proxy: answer as a real proxy does.
    upstream.once("error", () => {
      if (!socket.destroyed) socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
    });
    socket.once("close", () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.authorized(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"', "content-length": "0" }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400, { "content-length": "0" }).end();
      return;
    }
    if (target.protocol !== "http:" || !isLoopback(target.hostname)) {
      res.writeHead(403, { "content-length": "0" }).end();
      return;
    }
    this.counts.forwards += 1;
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502, { "content-length": "0" }).end()));
    req.pipe(upstream);
  }
}
