// Rows of the fault matrix about reaching the vendor at all: a refused connection, a name that does
// not resolve, a certificate nobody vouches for, and the way through an HTTP proxy (the core
// `http proxy` config node with credentials, its ignore list, a proxy that refuses or is down).
import assert from "node:assert/strict";
import { StubResolver } from "../support/resolver";
import { freePort as closedPort } from "../support/ports";
import { Relay } from "../support/tls";
import type { FaultCase, FaultEnv } from "./types";

export const PROXY_USER = "proxy-user";
/** A secret like the vendor ones: the secrets sweep looks for it too. */
export const PROXY_PASSWORD = "proxy pa55&w0rd+/=%:é-7e1d";

const noTls = (env: FaultEnv) => (env.tls ? undefined : "no openssl CLI to make a test certificate");
const tlsUrl = (env: FaultEnv) => `https://127.0.0.1:${env.tls!.relay.port}`;

/** Open the port that refused until now, relaying to the simulator: the vendor is back. */
async function openPort(env: FaultEnv): Promise<void> {
  const relay = await new Relay(env.sim.port).listen(env.port);
  env.cleanup.push(() => relay.close());
}

async function pickClosedPort(env: FaultEnv): Promise<void> {
  env.port = await closedPort();
}

const viaProxy = (env: FaultEnv, password = PROXY_PASSWORD) => ({ url: env.proxy.url, username: PROXY_USER, password });

/** Set http_proxy for one row (no proxy node: the environment applies, as for the core http request node). */
function envProxy(env: FaultEnv, url: string): void {
  const saved = { http_proxy: process.env.http_proxy, HTTP_PROXY: process.env.HTTP_PROXY };
  env.cleanup.push(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  delete process.env.HTTP_PROXY;
  process.env.http_proxy = url;
}

export const NETWORK_CASES: FaultCase[] = [
  {
    name: "orionstar: connection refused",
    provider: "orionstar",
    arrange: pickClosedPort,
    target: (env) => ({ baseUrl: `http://127.0.0.1:${env.port}` }),
    error: {
      text: /127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)\. Check the URL and port/,
      status: /connection refused$/,
    },
    recover: openPort,
  },
  {
    name: "enos: DNS failure (a stub resolver, no real query)",
    provider: "enos",
    arrange: (env) => {
      const resolver = new StubResolver();
      env.resolver = resolver;
      env.cleanup.push(() => resolver.restore());
    },
    target: (env) => ({ baseUrl: `http://localhost:${env.sim.port}` }),
    error: {
      text: /the host name localhost:\d+ could not be resolved \(ENOTFOUND\)\. Check the URL/,
      status: /host not found$/,
    },
    recover: (env) => void env.resolver!.names.set("localhost", "127.0.0.1"),
    verify: (env) => assert.ok(env.resolver!.calls.includes("localhost"), "the stub resolver was asked"),
  },
  {
    name: "oneaccess: TLS certificate without the CA, then with a tls-config node holding it",
    provider: "oneaccess",
    skip: noTls,
    target: (env) => ({ baseUrl: tlsUrl(env) }),
    error: {
      text: /certificate of 127\.0\.0\.1:\d+ was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. .*TLS configuration with that CA/,
      status: /TLS certificate not accepted$/,
    },
    recover: (env) => ({ baseUrl: tlsUrl(env), tlsCa: true }),
  },
  {
    name: "orionstar: through an HTTP proxy that wants credentials",
    provider: "orionstar",
    arrange: (env) => void (env.proxy.auth = `${PROXY_USER}:${PROXY_PASSWORD}`),
    target: (env) => ({ baseUrl: env.sim.url, proxy: viaProxy(env) }),
    verify: (env) => {
      assert.equal(env.proxy.counts.tunnels, 1, "the token request went through the proxy");
      assert.equal(env.proxy.counts.refused, 0);
    },
  },
  {
    name: "enos: the proxy refuses our proxy credentials (407)",
    provider: "enos",
    arrange: (env) => void (env.proxy.auth = `${PROXY_USER}:another-password`),
    target: (env) => ({ baseUrl: env.sim.url, proxy: viaProxy(env) }),
    error: {
      text: /the proxy refused to connect to 127\.0\.0\.1:\d+ \(proxy answered HTTP 407\)\. Check the proxy node/,
      status: /proxy refused$/,
    },
    recover: (env) => void (env.proxy.auth = `${PROXY_USER}:${PROXY_PASSWORD}`),
  },
  {
    name: "oneaccess: the proxy cannot reach the vendor (502)",
    provider: "oneaccess",
    arrange: pickClosedPort,
    target: (env) => ({ baseUrl: `http://127.0.0.1:${env.port}`, proxy: viaProxy(env) }),
    error: { text: /proxy answered HTTP 502/, status: /proxy refused$/ },
    recover: openPort,
  },
  {
    name: "orionstar: the proxy itself is down",
    provider: "orionstar",
    arrange: pickClosedPort,
    target: (env) => ({ baseUrl: env.sim.url, proxy: { url: `http://127.0.0.1:${env.port}` } }),
    error: {
      text: /proxy http:\/\/127\.0\.0\.1:\d+\/? could not be reached \(ECONNREFUSED\)\. Check the proxy node/,
      status: /proxy unreachable$/,
    },
    recover: (env) => ({ baseUrl: env.sim.url, proxy: viaProxy(env) }),
  },
  {
    // The core http request node sends the proxy node's credentials when either field is set.
    name: "orionstar: a proxy user with an empty password is still sent",
    provider: "orionstar",
    arrange: (env) => void (env.proxy.auth = `${PROXY_USER}:`),
    target: (env) => ({ baseUrl: env.sim.url, proxy: viaProxy(env, "") }),
    verify: (env) => assert.equal(env.proxy.counts.tunnels, 1, "the proxy accepted the user"),
  },
  {
    name: "enos: without a proxy node, the http_proxy environment variable applies",
    provider: "enos",
    arrange: (env) => envProxy(env, env.proxy.url),
    verify: (env) => assert.equal(env.proxy.counts.tunnels, 1, "the token request went through the proxy"),
  },
  {
    name: "oneaccess: the proxy named by http_proxy is down",
    provider: "oneaccess",
    arrange: async (env) => {
      await pickClosedPort(env);
      envProxy(env, `http://127.0.0.1:${env.port}`);
    },
    error: {
      text: /proxy http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)\. Check the proxy node's URL \(or the http_proxy/,
      status: /proxy unreachable$/,
    },
    // The environment is read when the credentials node starts: fix it, then redeploy.
    recover: (env) => {
      process.env.http_proxy = env.proxy.url;
      return { baseUrl: env.sim.url };
    },
  },
  {
    name: "enos: a host on the proxy node's ignore list goes direct",
    provider: "enos",
    // The proxy would refuse everyone: only bypassing it can work.
    arrange: (env) => void (env.proxy.auth = "nobody:nothing"),
    target: (env) => ({ baseUrl: env.sim.url, proxy: { ...viaProxy(env), noproxy: ["127.0.0.1"] } }),
    verify: (env) => assert.equal(env.proxy.total + env.proxy.counts.refused, 0, "the proxy saw nothing"),
  },
  {
    // Host names match as in Node-RED's own proxy helper (strict mode): exact, or a suffix after a
    // leading "." or "*"; a bare address prefix is not a host and matches nothing.
    name: "oneaccess: a URL whose host is on no ignore-list entry goes through the proxy",
    provider: "oneaccess",
    arrange: (env) => void (env.proxy.auth = `${PROXY_USER}:${PROXY_PASSWORD}`),
    target: (env) => ({
      baseUrl: env.sim.url,
      proxy: { ...viaProxy(env), noproxy: ["elsewhere.example", ".0.0.1.example", "127.0.0."] },
    }),
    verify: (env) => assert.equal(env.proxy.counts.tunnels, 1, "the token request went through the proxy"),
  },
  {
    name: "oneaccess: HTTPS through the proxy with the CA from a tls-config node",
    provider: "oneaccess",
    skip: noTls,
    arrange: (env) => void (env.proxy.auth = `${PROXY_USER}:${PROXY_PASSWORD}`),
    target: (env) => ({ baseUrl: tlsUrl(env), tlsCa: true, proxy: viaProxy(env) }),
    verify: (env) => assert.equal(env.proxy.counts.tunnels, 1),
  },
];
