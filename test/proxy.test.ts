// The proxy route of a request, against the core http request node's own rules (its
// lib/proxyHelper.js, run here from the Node-RED under test), and the HTTP client following it.
import assert from "node:assert/strict";
import * as path from "node:path";
import { proxyForUrl, proxyNodeRoute, type Env, type ProxyOptions } from "../src/proxy";
import { fetchError, fetchToken } from "./support/fetch-token";
import { nodeRedPath } from "./support/node-red";
import { freePort } from "./support/ports";
import { simulatorHttp } from "./support/simulator-http";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- core's proxy helper from the Node-RED under test, by path
const core = require(
  path.join(
    path.dirname(require.resolve("@node-red/nodes/package.json", { paths: [path.dirname(nodeRedPath)] })),
    "core",
    "network",
    "lib",
    "proxyHelper.js",
  ),
) as { getProxyForUrl(url: string, options: ProxyOptions & { env: Env }): string };

describe("proxy routes, as the core http request node takes them", () => {
  const envs: Env[] = [
    {},
    { http_proxy: "http://p:3128" },
    { HTTPS_PROXY: "http://P:8080", http_proxy: "http://p:3128" },
    { https_proxy: "p.example:3128" },
    { npm_config_https_proxy: "http://npm:1", https_proxy: "http://env:2" },
    { npm_config_proxy: "http://npm:1", all_proxy: "http://all:2" },
    { all_proxy: "socks5://all:1080" },
    { https_proxy: "http://p:1", no_proxy: "vendor.example" },
    { https_proxy: "http://p:1", no_proxy: ".example" },
    { https_proxy: "http://p:1", no_proxy: "*.example,other" },
    { https_proxy: "http://p:1", NO_PROXY: "api.vendor.example:8443" },
    { https_proxy: "http://p:1", no_proxy: "*" },
    { https_proxy: "http://p:1", npm_config_no_proxy: "vendor.example", no_proxy: "" },
    { HTTPS_PROXY: "http://upper:1", https_proxy: "http://lower:2" },
    // A list written with ", " (an empty entry matches nothing); a suffix is the whole ".x".
    { https_proxy: "http://p:1", no_proxy: "other, .vendor.example" },
    // A port must end the entry.
    { https_proxy: "http://p:1", no_proxy: "api.vendor.example:8443x" },
  ];
  const urls = [
    "https://api.vendor.example/v1/x",
    "https://api.vendor.example:8443/v1/x",
    "http://api.vendor.example/",
    "https://vendor.example",
    "https://other/",
    "https://[::1]:9000/",
    "https://notvendor.example/",
  ];
  const options: ProxyOptions[] = [{}, { lowerCaseOnly: true }, { favourUpperCase: true }, { excludeNpm: true }];

  it("agrees with core's proxy helper on every environment, option and URL of the table", () => {
    let cases = 0;
    for (const env of envs) {
      for (const option of options) {
        for (const url of urls) {
          const expected = core.getProxyForUrl(url, { ...option, env, mode: "strict" } as never);
          assert.equal(proxyForUrl(new URL(url), env, option), expected, `${url} ${JSON.stringify({ env, option })}`);
          cases += 1;
        }
      }
    }
    assert.ok(cases > 300);
    // The table covers both answers, so agreeing is not trivially "always direct".
    assert.equal(proxyForUrl(new URL(urls[0]), envs[2], {}), "http://P:8080");
    assert.equal(proxyForUrl(new URL(urls[0]), envs[8], {}), "");
  });

  it("a proxy node: its URL for every host but its ignore list", () => {
    const route = proxyNodeRoute("http://proxy:3128/", ["vendor.example", ".internal"]);
    assert.equal(route(new URL("https://api.other/")), "http://proxy:3128/");
    assert.equal(route(new URL("https://vendor.example/")), "");
    assert.equal(route(new URL("https://db.internal/")), "");
    assert.equal(route(new URL("https://vendor.example.evil/")), "http://proxy:3128/", "a suffix is no match");
  });

  it("a proxy node's ignore list with ports: the scheme's default port counts; an IPv6 host keeps its brackets", () => {
    const route = proxyNodeRoute("http://proxy:3128/", ["vendor.example:443", "[::1]", "plain.example:80"]);
    assert.equal(route(new URL("https://vendor.example/")), "", "https is port 443");
    assert.equal(route(new URL("https://vendor.example:8443/")), "http://proxy:3128/");
    assert.equal(route(new URL("http://plain.example/")), "", "http is port 80");
    assert.equal(route(new URL("https://[::1]:9000/")), "");
    assert.equal(route(new URL("https://[::2]:9000/")), "http://proxy:3128/");
  });
});

describe("the HTTP client follows settings.js proxyOptions", function () {
  this.timeout(20_000);
  const suite = simulatorHttp();
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("HTTP_PROXY (upper case) is used by default and ignored with lowerCaseOnly", async () => {
    delete process.env.http_proxy;
    process.env.HTTP_PROXY = `http://127.0.0.1:${await freePort()}`;
    const credentials = {
      clientId: suite.sim.accounts.oneaccess.clientId,
      clientSecret: suite.sim.accounts.oneaccess.clientSecret,
    };
    const refused = await fetchError("oneaccess", suite.sim.url, credentials, {});
    assert.equal(refused.key, "proxy-unreachable", "the upper-case variable is honoured by default, as core does");
    const direct = await fetchToken("oneaccess", suite.sim.url, credentials, { proxyOptions: { lowerCaseOnly: true } });
    assert.ok(direct.token);
  });

  it("a proxy node's ignore list sends its hosts direct; every other host goes to the proxy", async () => {
    const credentials = {
      clientId: suite.sim.accounts.oneaccess.clientId,
      clientSecret: suite.sim.accounts.oneaccess.clientSecret,
    };
    // Nothing listens at the proxy: a request routed to it fails as proxy-unreachable.
    const proxy = { url: `http://127.0.0.1:${await freePort()}` };
    const direct = await fetchToken("oneaccess", suite.sim.url, credentials, {
      proxy: { ...proxy, noProxy: ["127.0.0.1"] },
    });
    assert.ok(direct.token, "the simulator's host is on the ignore list");
    const refused = await fetchError("oneaccess", suite.sim.url, credentials, {
      proxy: { ...proxy, noProxy: ["vendor.example"] },
    });
    assert.equal(refused.key, "proxy-unreachable");
  });
});
