// The dispatcher that sends each request direct or through its proxy (proxy-router.ts), over real
// sockets: one pooled agent per route, reused from request to request (no new connection, no new
// CONNECT tunnel per request), made ahead by prepare() without connecting, and every one of them
// closed on close or destroy (a deploy), in each of the Dispatcher's calling forms.
import assert from "node:assert/strict";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { request } from "undici";
import { ProxyRouter } from "../src/proxy-router";
import { TestProxy } from "./support/proxy";
import { selfSignedCertificate } from "./support/tls";

describe("ProxyRouter", () => {
  let server: http.Server;
  let proxy: TestProxy;
  let origin: string;
  let connections = 0;
  const open = new Set<Socket>();
  /** Requests the server holds without answering (to see a destroy reject them). */
  let hold = false;

  before(async () => {
    server = http.createServer((req, res) => {
      if (!hold) res.end(req.url);
    });
    server.on("connection", (socket: Socket) => {
      connections += 1;
      open.add(socket);
      socket.once("close", () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    proxy = await TestProxy.start();
  });
  after(async () => {
    await proxy?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(() => {
    proxy.reset();
    hold = false;
  });

  const get = async (router: ProxyRouter, path: string) =>
    (await request(`${origin}${path}`, { dispatcher: router })).body.text();

  /** Wait (bounded) until the server has no connection left open. */
  async function allClosed(): Promise<boolean> {
    for (let i = 0; i < 100 && open.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return open.size === 0;
  }

  /** A router with a direct route ("/direct...") and one through the proxy (everything else), both used. */
  async function usedRouter(): Promise<ProxyRouter> {
    const router = new ProxyRouter((target) => (target.pathname.startsWith("/direct") ? "" : proxy.url), {});
    assert.equal(await get(router, "/direct"), "/direct");
    assert.equal(await get(router, "/proxied"), "/proxied");
    assert.ok(proxy.counts.tunnels > 0, "through the proxy");
    assert.ok(open.size >= 2, "a connection of each route stays open");
    return router;
  }

  it("remembers the routes of at most 64 origins: past that it starts over, asking the route again", () => {
    const asked: string[] = [];
    const router = new ProxyRouter((target) => {
      asked.push(target.origin);
      return "";
    }, {});
    const at = (i: number) => new URL(`https://h${i}.example/`);
    for (let i = 0; i < 64; i++) router.proxyFor(at(i));
    router.proxyFor(at(0));
    assert.equal(asked.length, 64, "the first origin's route remembered");
    router.proxyFor(at(64));
    router.proxyFor(at(0));
    assert.deepEqual(asked.slice(64), ["https://h64.example", "https://h0.example"], "the 65th started over");
  });

  it("names each request's proxy as the route does", () => {
    const router = new ProxyRouter((target) => (target.hostname === "a.example" ? "http://p:1" : ""), {});
    assert.equal(router.proxyFor(new URL("https://a.example/x")), "http://p:1");
    assert.equal(router.proxyFor(new URL("https://b.example/x")), "");
    void router.destroy();
  });

  it("reuses one pool per origin and one agent per proxy: later requests open no new connection and no new tunnel", async () => {
    const router = await usedRouter();
    try {
      const tunnels = proxy.counts.tunnels;
      const before = connections;
      for (let i = 0; i < 3; i++) {
        assert.equal(await get(router, `/proxied/${i}`), `/proxied/${i}`);
        assert.equal(await get(router, `/direct/${i}`), `/direct/${i}`);
      }
      assert.equal(proxy.counts.tunnels, tunnels, "no tunnel per request");
      assert.equal(connections, before, "no connection per request");
    } finally {
      await router.destroy();
    }
  });

  it("prepare() makes an origin's route and pool without connecting; the first request connects", async () => {
    let routed = 0;
    const router = new ProxyRouter(() => {
      routed += 1;
      return "";
    }, {});
    try {
      const before = connections;
      router.prepare(`${origin}/token`);
      router.prepare("https://127.0.0.1:1/api");
      for (const url of ["not a url", "ftp://127.0.0.1/file", ""]) router.prepare(url);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(connections, before, "no connection made by prepare");
      assert.equal(routed, 2, "only the http and https URLs routed");
      assert.equal(await get(router, "/token"), "/token");
      assert.equal(connections, before + 1, "the first request's own connection");
      assert.equal(await get(router, "/api"), "/api");
      assert.equal(routed, 2, "the route decided once, when prepared");
    } finally {
      await router.close();
    }
    assert.ok(await allClosed(), `${open.size} connection(s) left open`);
  });

  it("a prepared pool opens a connection per request in flight", async () => {
    const router = new ProxyRouter(() => "", {});
    router.prepare(origin);
    hold = true;
    const held = [get(router, "/held/1"), get(router, "/held/2")].map((request) => assert.rejects(request));
    try {
      for (let i = 0; i < 100 && open.size < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(open.size, 2, "two requests in flight, two connections");
    } finally {
      await router.destroy(new Error("redeployed"));
      await Promise.all(held);
    }
    assert.ok(await allClosed(), `${open.size} connection(s) left open`);
  });

  it("prepare() after close makes only closed dispatchers: nothing to connect, nothing left open", async () => {
    const router = new ProxyRouter(() => "", {});
    await router.close();
    const before = connections;
    router.prepare(`${origin}/late`);
    await assert.rejects(get(router, "/late"), (err: Error) => /^Client(Closed|Destroyed)Error$/.test(err.name));
    assert.equal(connections, before, "no connection made");
  });

  it("destroy() and close() close every agent, direct and proxied, and resolve when done", async () => {
    for (const end of [(router: ProxyRouter) => router.destroy(), (router: ProxyRouter) => router.close()]) {
      const done = end(await usedRouter());
      assert.ok(done instanceof Promise);
      assert.equal(await done, undefined);
      assert.ok(await allClosed(), `${open.size} connection(s) left open`);
    }
  });

  it("once closed or destroyed, refuses a request to a route not used before, opening no connection (as a closed Agent)", async () => {
    for (const end of [(router: ProxyRouter) => router.close(), (router: ProxyRouter) => router.destroy()]) {
      const router = new ProxyRouter((target) => (target.pathname.startsWith("/direct") ? "" : proxy.url), {});
      await end(router);
      const before = connections;
      const tunnels = proxy.counts.tunnels;
      for (const path of ["/direct/late", "/proxied/late"]) {
        await assert.rejects(get(router, path), (err: Error) => /^Client(Closed|Destroyed)Error$/.test(err.name), path);
      }
      assert.equal(connections, before, "no connection made");
      assert.equal(proxy.counts.tunnels, tunnels, "no tunnel made");
    }
  });

  it("close(callback) and destroy(callback) call back once every agent is closed", async () => {
    for (const end of [
      (router: ProxyRouter, callback: () => void) => router.close(callback),
      (router: ProxyRouter, callback: () => void) => router.destroy(callback),
      (router: ProxyRouter, callback: () => void) => router.destroy(null, callback),
    ]) {
      const router = await usedRouter();
      let calls = 0;
      await new Promise<void>((resolve) => {
        assert.equal(
          end(router, () => {
            calls += 1;
            resolve();
          }),
          undefined,
        );
      });
      assert.equal(calls, 1);
      assert.ok(await allClosed(), `${open.size} connection(s) left open`);
    }
  });

  it("sends a direct request with the TLS options given (a private CA)", async function () {
    const certificate = selfSignedCertificate();
    if (!certificate) return this.skip();
    const server = https.createServer(certificate, (_req, res) => res.end("over tls"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const trusting = new ProxyRouter(() => "", { ca: certificate.cert });
    const plain = new ProxyRouter(() => "", {});
    try {
      assert.equal(await (await request(url, { dispatcher: trusting })).body.text(), "over tls");
      await assert.rejects(request(url, { dispatcher: plain }), /self[- ]signed|certificate/i);
    } finally {
      await Promise.all([trusting.destroy(), plain.destroy()]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("destroy(err) ends the requests in flight on every route", async () => {
    const router = new ProxyRouter((target) => (target.pathname.startsWith("/direct") ? "" : proxy.url), {});
    hold = true;
    const ended = [get(router, "/direct/held"), get(router, "/proxied/held")].map((held) =>
      assert.rejects(held, /destroyed/),
    );
    for (let i = 0; i < 100 && open.size < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    // (undici fails them as destroyed: the error given is not what their callers see.)
    await router.destroy(new Error("redeployed"));
    await Promise.all(ended);
    assert.ok(await allClosed(), `${open.size} connection(s) left open`);
  });
});
