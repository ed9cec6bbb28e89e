// The HTTPS rule: secrets go in clear text only to this machine, or where the user opted in with
// accessTokenAllowHttp. As units (which hosts are loopback; the HTTP client's check, made before any
// DNS lookup) and in a Node-RED runtime (the setting's default and the opt-in, read by the
// credentials node). A stub resolver lets a non-loopback name reach the simulator on 127.0.0.1.
import assert from "node:assert/strict";
import { TokenError } from "../src/errors";
import { HttpClient } from "../src/http";
import { isLoopback } from "../src/loopback";
import { oneaccess } from "../src/providers/oneaccess";
import { basicFlow, demoCredentials, nextMessage } from "./support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "./support/node-red";
import { simulatorSuite } from "./support/simulator-suite";
import { freePort } from "./support/ports";
import { StubResolver } from "./support/resolver";
import { bound } from "./support/bound";

const NAMED_HOST = "tenant.example.com";

describe("the HTTPS rule", function () {
  this.timeout(20_000);
  // The runtime is for the last group; the simulator and the sweep for leaks serve every test.
  const suite = simulatorSuite();
  let resolver: StubResolver;
  const port = () => new URL(suite.sim.url).port;

  beforeEach(() => {
    resolver = new StubResolver();
    resolver.names.set("127.0.0.1", "127.0.0.1");
    resolver.names.set(NAMED_HOST, "127.0.0.1");
    resolver.names.set("127.0.0.1.example.com", "127.0.0.1");
    resolver.names.set("localhost.example.com", "127.0.0.1");
  });
  afterEach(() => {
    resolver.restore();
  });

  describe("loopback hosts", () => {
    const cases: Array<[string, boolean]> = [
      ["localhost", true],
      ["LOCALHOST", true],
      ["127.0.0.1", true],
      ["127.255.10.2", true],
      ["[::1]", true],
      ["::1", true],
      ["127.0.0.1.example.com", false],
      ["x127.0.0.1", false],
      ["127.0.0.1x", false],
      ["1127.0.0.1", false],
      ["128.0.0.1", false],
      ["127.0.0", false],
      ["localhost.example.com", false],
      ["mylocalhost", false],
      ["tenant.example.com", false],
      ["::2", false],
    ];
    for (const [host, loopback] of cases) {
      it(`${host} is ${loopback ? "" : "not "}loopback`, () => assert.equal(isLoopback(host), loopback));
    }
  });

  describe("the HTTP client", () => {
    const clients: HttpClient[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.close()));
    });
    const client = (allowInsecureHttp?: boolean) => {
      const made = new HttpClient(allowInsecureHttp === undefined ? {} : { allowInsecureHttp });
      clients.push(made);
      return made;
    };
    const tokenRequest = (host: string) => {
      const { clientId, clientSecret } = suite.sim.accounts.oneaccess;
      return bound(oneaccess, `http://${host}:${port()}`, { clientId, clientSecret }).tokenRequest(Date.now());
    };
    const refusal = async (promise: Promise<unknown>): Promise<TokenError> => {
      try {
        await promise;
      } catch (err) {
        assert.ok(err instanceof TokenError, String(err));
        return err;
      }
      assert.fail("expected plain HTTP to be refused");
    };

    for (const host of ["127.0.0.1.example.com", "localhost.example.com", NAMED_HOST]) {
      it(`refuses plain HTTP to ${host} by default, before looking the name up`, async () => {
        const error = await refusal(client().send(tokenRequest(host), "OneAccess"));
        assert.equal(error.key, "https-required");
        assert.equal(error.params.host, `${host}:${port()}`);
        assert.deepEqual(resolver.calls, [], "no DNS lookup");
        assert.equal(suite.sim.count("oneaccess.token"), 0, "nothing sent");
      });
    }

    it("refuses plain HTTP to a named host when the opt-in is explicitly false", async () => {
      const error = await refusal(client(false).send(tokenRequest(NAMED_HOST), "OneAccess"));
      assert.equal(error.key, "https-required");
      assert.equal(suite.sim.count("oneaccess.token"), 0);
    });

    it("sends plain HTTP to a named host with the opt-in", async () => {
      const response = await client(true).send(tokenRequest(NAMED_HOST), "OneAccess");
      assert.equal(response.status, 200);
      assert.deepEqual(resolver.calls, [NAMED_HOST]);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    });

    it("sends plain HTTP to loopback without the opt-in", async () => {
      const response = await client().send(tokenRequest("127.0.0.1"), "OneAccess");
      assert.equal(response.status, 200);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    });

    it("sends nothing when the caller's signal is already aborted", async () => {
      const aborted = new AbortController();
      aborted.abort();
      const error = await refusal(client().send(tokenRequest("127.0.0.1"), "OneAccess", aborted.signal));
      assert.equal(error.kind, "aborted");
      assert.equal(suite.sim.count("oneaccess.token"), 0);
    });

    it("names a proxy that is down by its origin: never its user name or password", async () => {
      const proxyPort = await freePort();
      const password = "p@ss w:ord+/=é";
      const proxy = `http://proxy-user:${encodeURIComponent(password)}@127.0.0.1:${proxyPort}`;
      const http = new HttpClient({ proxy: { url: proxy } });
      clients.push(http);
      const error = await refusal(http.send(tokenRequest("127.0.0.1"), "OneAccess"));
      assert.equal(error.key, "proxy-unreachable");
      assert.equal(error.params.proxy, `http://127.0.0.1:${proxyPort}`);
      const text = [error.message, JSON.stringify(error.params), String(error.stack)].join("\n");
      for (const leak of ["proxy-user", password, encodeURIComponent(password), "p%40ss"]) {
        assert.ok(!text.includes(leak), `${leak} leaked: ${text}`);
      }
    });
  });

  describe("in a Node-RED runtime (accessTokenAllowHttp in settings.js)", () => {
    const NODES = [accessTokenNodes, coreNode(CORE.catch)];
    async function deploy(settings: Record<string, unknown>): Promise<void> {
      helper.settings(settings);
      await helper.load(NODES, basicFlow("oneaccess", `http://${NAMED_HOST}:${port()}`), {
        cfg: demoCredentials(suite.sim, "oneaccess"),
      });
    }

    for (const [label, settings] of [
      ["not set", {}],
      ["false", { accessTokenAllowHttp: false }],
      ['"true" (a string, not the boolean)', { accessTokenAllowHttp: "true" }],
    ] as const) {
      it(`refuses plain HTTP to a host that is not loopback when the setting is ${label}`, async () => {
        await deploy(settings);
        const caught = nextMessage("caught");
        helper.getNode("get").receive({ payload: 1 });
        const msg = await caught;
        assert.match(msg.error.message, /https:\/\//);
        assert.equal(suite.sim.count("oneaccess.token"), 0, "nothing sent in clear text");
        assert.deepEqual(resolver.calls, [], "no DNS lookup");
      });
    }

    it("sends plain HTTP to a host that is not loopback when the setting is true", async () => {
      await deploy({ accessTokenAllowHttp: true });
      const out = nextMessage("out");
      helper.getNode("get").receive({ payload: 1 });
      const msg = await out;
      assert.equal(typeof msg.token, "string");
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      assert.ok(resolver.calls.includes(NAMED_HOST));
    });
  });
});
