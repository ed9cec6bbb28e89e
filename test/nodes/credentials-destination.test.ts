// Where a credentials node sends its secrets, as pure functions of its saved config and settings.js
// (the runtime's part is a plain object here: settings and the proxy/TLS config nodes by id).
import assert from "node:assert/strict";
import type { TokenError } from "../../src/errors";
import { DEFAULT_TIMEOUT_MS } from "../../src/http";
import { providers } from "../../src/providers";
import { ALLOW_HTTP_SETTING, apiTarget, httpClient, httpSettings } from "../../src/nodes/credentials-destination";
import type { NodeAPI, NodeDef } from "../../src/nodes/node-red";

/** What httpSettings reads of the runtime: its settings and config nodes by id. */
function runtime(settings: Record<string, unknown> = {}, nodes: Record<string, unknown> = {}): NodeAPI {
  return { settings, nodes: { getNode: (id: string) => nodes[id] ?? null } } as unknown as NodeAPI;
}
const config = (extra: Record<string, unknown> = {}): NodeDef => ({
  id: "cfg",
  type: "oneaccess-credentials",
  ...extra,
});

describe("credentials destination", () => {
  it("apiTarget: a vendor's base URL as written (trimmed, path kept), its origin and the API hosts' allowed", () => {
    const target = apiTarget(
      config({ baseUrl: " https://API.example.com/prefix ", apiHosts: " https://files.example.com:8443 " }),
      providers.oneaccess,
      "tenant",
    );
    assert.equal(target.base, "https://API.example.com/prefix");
    assert.deepEqual(target.origins.origins, ["https://api.example.com", "https://files.example.com:8443"]);
    assert.equal(apiTarget(config({ baseUrl: "not a url" }), providers.oneaccess, "t").base, "not a url");
    assert.deepEqual(apiTarget(config({ baseUrl: "not a url" }), providers.oneaccess, "t").origins.origins, []);
    assert.equal(apiTarget(config({ baseUrl: 42 }), providers.oneaccess, "t").base, "");
  });

  it("apiTarget: oauth2 and custom take their apiUrl, never their token URL; no apiUrl, no base", () => {
    const tokenUrl = "https://auth.example.com:8443/realms/x/token";
    for (const adapter of [providers.oauth2, providers.custom]) {
      const own = apiTarget(
        config({ type: adapter.configType, tokenUrl, apiUrl: " https://api.example.com/v2 " }),
        adapter,
        "t",
      );
      assert.equal(own.base, "https://api.example.com/v2");
      assert.deepEqual(own.origins.origins, ["https://api.example.com"]);
      const none = apiTarget(config({ type: adapter.configType, tokenUrl, apiUrl: "" }), adapter, "t");
      assert.equal(none.base, "");
      assert.deepEqual(none.origins.origins, []);
      assert.throws(
        () => apiTarget(config({ type: adapter.configType, tokenUrl, apiUrl: "api.example.com" }), adapter, "t"),
        (err: TokenError) => err.kind === "config" && err.key === "bad-setting" && err.params.field === "apiUrl",
      );
    }
  });

  it("httpSettings: the timeout in seconds, else 10 s; plain HTTP only when the setting is exactly true", () => {
    assert.equal(httpSettings(runtime(), config({ timeout: "2.5" })).timeoutMs, 2500);
    for (const timeout of [undefined, "", "0", "-3", "soon", null]) {
      assert.equal(httpSettings(runtime(), config({ timeout })).timeoutMs, DEFAULT_TIMEOUT_MS, String(timeout));
    }
    assert.equal(DEFAULT_TIMEOUT_MS, 10_000);
    assert.equal(ALLOW_HTTP_SETTING, "accessTokenAllowHttp");
    assert.equal(httpSettings(runtime({ accessTokenAllowHttp: true }), config()).allowInsecureHttp, true);
    for (const value of ["true", 1, undefined]) {
      assert.equal(
        httpSettings(runtime({ accessTokenAllowHttp: value }), config()).allowInsecureHttp,
        false,
        String(value),
      );
    }
  });

  it("httpSettings: settings.js proxyOptions, only its boolean switches set to true", () => {
    const given = { lowerCaseOnly: true, favourUpperCase: "yes", excludeNpm: true, other: true };
    assert.deepEqual(httpSettings(runtime({ proxyOptions: given }), config()).proxyOptions, {
      lowerCaseOnly: true,
      favourUpperCase: false,
      excludeNpm: true,
    });
    assert.deepEqual(httpSettings(runtime({ proxyOptions: { favourUpperCase: true } }), config()).proxyOptions, {
      lowerCaseOnly: false,
      favourUpperCase: true,
      excludeNpm: false,
    });
    const none = { lowerCaseOnly: false, favourUpperCase: false, excludeNpm: false };
    assert.deepEqual(httpSettings(runtime({ proxyOptions: null }), config()).proxyOptions, none);
    assert.deepEqual(httpSettings(runtime(), config()).proxyOptions, none);
  });

  it("httpSettings: the proxy node's URL, no-proxy list and login; a proxy node without URL is none", () => {
    const proxy = { url: "http://proxy:3128", noproxy: ["intra"], credentials: { username: "u", password: "p" } };
    const settings = httpSettings(runtime({}, { px: proxy }), config({ proxy: "px" }));
    assert.deepEqual(settings.proxy, { url: "http://proxy:3128", noProxy: ["intra"], username: "u", password: "p" });
    assert.equal(httpSettings(runtime({}, { px: { url: "" } }), config({ proxy: "px" })).proxy, undefined);
    assert.equal(httpSettings(runtime({}, { px: proxy }), config({ proxy: "" })).proxy, undefined);
    assert.equal(httpSettings(runtime({}, { px: proxy }), config({ proxy: "gone" })).proxy, undefined);
    const bare = httpSettings(runtime({}, { px: { url: "http://proxy:3128" } }), config({ proxy: "px" }));
    assert.deepEqual(bare.proxy, {
      url: "http://proxy:3128",
      noProxy: undefined,
      username: undefined,
      password: undefined,
    });
  });

  it("httpSettings: the TLS node's options as it adds them to an empty set", () => {
    const asked: unknown[] = [];
    const tlsNode = {
      addTLSOptions: (options: Record<string, unknown>) => {
        asked.push({ ...options });
        return { ...options, ca: "CA", rejectUnauthorized: false };
      },
    };
    const settings = httpSettings(runtime({}, { t: tlsNode }), config({ tls: "t" }));
    assert.deepEqual(settings.tls, { ca: "CA", rejectUnauthorized: false });
    assert.deepEqual(asked, [{}]);
    assert.equal(httpSettings(runtime({}, { t: tlsNode }), config({ tls: "" })).tls, undefined);
  });

  it("httpClient: none for a proxy URL that does not parse; one otherwise", async () => {
    assert.equal(httpClient({ proxy: { url: "http://user:pa ss@[bad" } }), undefined);
    const client = httpClient({ proxy: { url: "http://proxy:3128" } });
    assert.ok(client);
    await client.close();
    const plain = httpClient({});
    assert.ok(plain);
    await plain.close();
  });
});
