// The HTTP client (src/http.ts) against real servers on 127.0.0.1: a caller's abort mid-request, the
// response cap at its exact edge, what it leaves behind (timers, abort listeners, pooled sockets),
// the proxy node's credentials; and how each low-level failure is named (networkError, a pure unit).
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { TokenError } from "../src/errors";
import { HttpClient, networkError } from "../src/http";
import { freePort } from "./support/ports";
import { TestProxy } from "./support/proxy";

/** A server whose answer each test decides; it counts its open sockets. */
class TestServer {
  handler: http.RequestListener = (_req, res) => res.end("ok");
  readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const made = new TestServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => made.handler(req, res));
    server.on("connection", (socket: Socket) => {
      made.sockets.add(socket);
      socket.once("close", () => made.sockets.delete(socket));
    });
    return made;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

const get = (url: string) => ({ method: "GET", url, headers: {} });

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TokenError, String(err));
    return err;
  }
  assert.fail("expected a rejection");
}

/** Whether the socket closes within `ms` (it is closed at once when it already is). */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const basic = (pair: string) => `Basic ${Buffer.from(pair).toString("base64")}`;

describe("the HTTP client", function () {
  this.timeout(20_000);
  let server: TestServer;
  const clients: HttpClient[] = [];
  const client = (settings: ConstructorParameters<typeof HttpClient>[0] = {}) => {
    const made = new HttpClient(settings);
    clients.push(made);
    return made;
  };

  before(async () => {
    server = await TestServer.start();
  });
  after(() => server.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((made) => made.close()));
    server.handler = (_req, res) => res.end("ok");
  });

  it("reports a request the caller aborts while it waits as aborted, not as a timeout", async () => {
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    server.handler = () => arrived(); // never answers
    const caller = new AbortController();
    const pending = rejection(client().exchange(get(server.url), "Test", caller.signal));
    await waiting;
    caller.abort();
    const error = await pending;
    assert.equal(error.kind, "aborted");
    assert.equal(error.key, "aborted");
  });

  // With a Content-Length, and chunked (none: the cap is counted as the body comes).
  for (const declared of [true, false]) {
    it(`accepts a body of exactly the cap and refuses one byte more, naming the cap (${declared ? "Content-Length" : "chunked"})`, async () => {
      server.handler = (req, res) => {
        const body = "x".repeat(req.url === "/over" ? 2049 : 2048);
        if (declared) return res.end(body);
        res.write(body.slice(0, 1000));
        res.end(body.slice(1000));
      };
      const capped = client({ maxResponseBytes: 2048 });
      const answer = await capped.exchange(get(`${server.url}/at`), "Test");
      assert.equal(answer.body.toString(), "x".repeat(2048));
      const error = await rejection(capped.exchange(get(`${server.url}/over`), "Test"));
      assert.equal(error.key, "too-large");
      assert.equal(error.params.limit, "2 KiB");
    });
  }

  // Trailing whitespace is no part of a field's value (RFC 9110 5.5); undici passes it on as received.
  for (const length of ["4096", "4096  "]) {
    it(`refuses an answer that declares more than the cap at its headers (${JSON.stringify(length)}), without waiting for its body, and closes its connection`, async () => {
      let socket!: Socket;
      server.handler = (req, res) => {
        socket = req.socket;
        res.writeHead(200, { "content-length": length });
        res.flushHeaders(); // and never the body
      };
      const error = await rejection(
        client({ maxResponseBytes: 2048, timeoutMs: 5_000 }).exchange(get(server.url), "Test"),
      );
      assert.equal(error.key, "too-large", "not a timeout");
      // Left open, the refused answer would hold its connection until the client closes (a redeploy).
      assert.ok(await closedWithin(socket, 2_000), "the connection of the refused answer is closed");
    });
  }

  for (const url of ["ftp://127.0.0.1/token", "file:///etc/passwd", "ws://127.0.0.1/token"]) {
    it(`refuses ${url.split(":")[0]}: as a setting to fix, sending nothing`, async () => {
      const error = await rejection(client({ allowInsecureHttp: true }).exchange(get(url), "Test"));
      assert.equal(error.kind, "config");
      assert.equal(error.key, "https-required");
    });
  }

  it("leaves no abort listener on the caller's signal and no timer behind, however many requests it made", async () => {
    const caller = new AbortController();
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const made = client({ timeoutMs: 60_000 });
    await made.exchange(get(server.url), "Test", caller.signal); // undici's own timers started
    const before = timers();
    for (let i = 0; i < 20; i++) await made.exchange(get(server.url), "Test", caller.signal);
    assert.equal(getEventListeners(caller.signal, "abort").length, 0);
    assert.equal(timers(), before, "no request's timeout outlives it");
  });

  it("closes its pooled connections on close()", async () => {
    const made = new HttpClient();
    await made.exchange(get(server.url), "Test");
    assert.equal(server.sockets.size, 1, "the connection is kept alive in the pool");
    await made.close();
    while (server.sockets.size > 0) await new Promise((resolve) => setImmediate(resolve));
  });

  describe("through a proxy node", () => {
    let proxy: TestProxy;
    before(async () => {
      proxy = await TestProxy.start();
    });
    after(() => proxy.close());
    afterEach(() => proxy.reset());

    const cases: Array<[string, { username?: string; password?: string }, string | undefined]> = [
      ["a user without a password", { username: "user" }, basic("user:")],
      ["a password without a user", { password: "pw" }, basic(":pw")],
      ["neither", {}, undefined],
    ];
    for (const [label, credentials, sent] of cases) {
      it(`sends ${sent ? "the proxy node's credentials" : "no credentials"} with ${label}`, async () => {
        const answer = await client({ proxy: { url: proxy.url, ...credentials } }).exchange(get(server.url), "Test");
        assert.equal(answer.status, 200);
        assert.equal(proxy.total, 1);
        assert.deepEqual(proxy.authorizations, sent ? [sent] : []);
      });
    }

    it("without an ignore list, takes every host through the proxy, bare names too", async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const made = client({ proxy: { url: closed }, timeoutMs: 3_000 });
      for (const host of ["vendor.example", "intranet", "was", "here"]) {
        const error = await rejection(made.exchange(get(`https://${host}/token`), "Test"));
        assert.equal(error.key, "proxy-unreachable", host);
        assert.equal(error.params.proxy, closed, host);
      }
    });

    it("without the node's user and password, sends the user:password of the proxy URL", async () => {
      const url = proxy.url.replace("http://", "http://url-user:url-pw@");
      const answer = await client({ proxy: { url } }).exchange(get(server.url), "Test");
      assert.equal(answer.status, 200);
      assert.deepEqual(proxy.authorizations, [basic("url-user:url-pw")]);
    });
  });
});

describe("network failures, named by their code", () => {
  const failure = (code: string | undefined, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error("connect failed https://vendor.example/token?secret=x"), { code, ...extra });
  const wrapped = (cause: unknown) => Object.assign(new TypeError("fetch failed"), { cause });
  const keyOf = (err: unknown, proxy?: string) => networkError(err, "Test", "vendor.example", proxy).key;

  it("maps each errno to what the user should check", () => {
    const table: Array<[string, string]> = [
      ["ECONNREFUSED", "connection-refused"],
      ["ENOTFOUND", "dns"],
      ["EAI_AGAIN", "dns"],
      ["CERT_HAS_EXPIRED", "tls"],
      ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
      ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
      ["ECONNRESET", "connection-reset"],
      ["UND_ERR_SOCKET", "connection-reset"],
      ["EPIPE", "connection-reset"],
      ["EHOSTUNREACH", "network"],
    ];
    for (const [code, key] of table) assert.equal(keyOf(wrapped(failure(code))), key, code);
  });

  it("names the errno, and UNKNOWN when there is none; never the error's own text", () => {
    const error = networkError(new Error("boom https://vendor.example/?secret=x"), "Test", "vendor.example", undefined);
    assert.equal(error.key, "network");
    assert.equal(error.params.errno, "UNKNOWN");
    assert.ok(!error.message.includes("secret"), error.message);
  });

  it("reads the code of the innermost cause that has one, past causes without a code", () => {
    const err = wrapped(failure("ECONNRESET", { cause: new Error("no code here") }));
    assert.equal(keyOf(err), "connection-reset");
    assert.equal(keyOf(wrapped(wrapped(failure("ENOTFOUND")))), "dns");
  });

  it("reads codes on error objects only: a string or a function in the cause chain is no error", () => {
    assert.equal(keyOf(wrapped("ECONNREFUSED")), "network");
    const callback = Object.assign(() => undefined, { code: "ECONNREFUSED" });
    const error = networkError(wrapped(callback), "Test", "vendor.example", undefined);
    assert.equal(error.key, "network");
    assert.equal(error.params.errno, "UNKNOWN");
  });

  it("reads five levels of causes, no deeper", () => {
    const nested = (levels: number) => {
      let err: unknown = failure("ECONNRESET");
      for (let i = 0; i < levels; i++) err = wrapped(err);
      return err;
    };
    assert.equal(keyOf(nested(4)), "connection-reset", "the fifth level");
    assert.equal(keyOf(nested(5)), "network", "the sixth level is not read");
  });

  it("stops on a cause chain that loops", () => {
    const looped: { cause?: unknown } & Error = failure("ECONNREFUSED");
    looped.cause = looped;
    assert.equal(keyOf(looped), "connection-refused");
  });

  it("reads the status a proxy answered with", () => {
    const error = networkError(new Error("Proxy response (407) !== 200 when HTTP Tunneling"), "T", "h", "http://p:1");
    assert.equal(error.key, "proxy");
    assert.equal(error.params.proxyStatus, "407");
  });

  describe("the proxy itself unreachable", () => {
    const proxyKey = (proxy: string, cause: Record<string, unknown>, code = "ECONNREFUSED") =>
      keyOf(wrapped(failure(code, cause)), proxy);

    for (const code of ["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]) {
      it(`${code} at the proxy's address and port names the proxy`, () => {
        assert.equal(proxyKey("http://10.1.2.3:3128", { address: "10.1.2.3", port: 3128 }, code), "proxy-unreachable");
      });
    }

    it("a proxy name that does not resolve names the proxy; another name is the vendor's", () => {
      for (const code of ["ENOTFOUND", "EAI_AGAIN"]) {
        assert.equal(proxyKey("http://proxy.example:3128", { hostname: "proxy.example" }, code), "proxy-unreachable");
        assert.equal(proxyKey("http://proxy.example:3128", { hostname: "vendor.example" }, code), "dns");
      }
    });

    it("a proxy URL without a port means 80 for http and 443 for https", () => {
      assert.equal(proxyKey("http://10.1.2.3", { address: "10.1.2.3", port: 80 }), "proxy-unreachable");
      assert.equal(proxyKey("https://10.1.2.3", { address: "10.1.2.3", port: 443 }), "proxy-unreachable");
      assert.equal(proxyKey("https://10.1.2.3", { address: "10.1.2.3", port: 80 }), "connection-refused");
    });

    it("another port, or another address of an IP proxy, is not the proxy", () => {
      assert.equal(proxyKey("http://10.1.2.3:3128", { address: "10.1.2.3", port: 443 }), "connection-refused");
      assert.equal(proxyKey("http://10.1.2.3:3128", { address: "10.9.9.9", port: 3128 }), "connection-refused");
      assert.equal(proxyKey("http://[::1]:3128", { address: "::2", port: 3128 }), "connection-refused");
      assert.equal(proxyKey("http://[::1]:3128", { address: "::1", port: 3128 }), "proxy-unreachable");
    });

    it("a named proxy refusing at its port names the proxy by its origin only", () => {
      const error = networkError(
        wrapped(failure("ECONNREFUSED", { address: "10.1.2.3", port: 3128 })),
        "Test",
        "vendor.example",
        "http://user:secret@proxy.example:3128",
      );
      assert.equal(error.key, "proxy-unreachable");
      assert.equal(error.params.proxy, "http://proxy.example:3128");
    });

    it("a failure with no proxy in the way is the vendor's", () => {
      assert.equal(keyOf(wrapped(failure("ECONNREFUSED", { address: "10.1.2.3", port: 3128 }))), "connection-refused");
    });
  });
});
