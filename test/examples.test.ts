// The example flows (examples/*.json, Import > Examples) in a real Node-RED runtime, pointed at the
// simulator by the very function the demo (npm start) uses. What reaches each debug node is
// captured by a helper node wired beside it, so every documented output is checked, as is the
// token-expired retry (exactly one extra token request) and the Catch of a wrong secret.
import assert from "node:assert/strict";
import { combineFlows, loadExamples, providerOf, type Example, type FlowNode } from "../scripts/demo/examples";
import { rewireToSimulator, simulatorCredentials, WRONG_SECRET } from "../scripts/demo/rewire";
import { providers } from "../src/providers";
import { ProviderSimulator, type Endpoint, type ProviderId } from "./simulator";
import { delay, nextMessage, secretsOf } from "./support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "./support/node-red";
import { NODE_TYPES } from "./support/node-types";
import { shapesOf } from "./support/secret-shapes";

const CORE_FILES = {
  inject: CORE.inject,
  change: CORE.change,
  switch: "function/10-switch.js",
  "http request": CORE.httpRequest,
  debug: CORE.debug,
  catch: CORE.catch,
  comment: "common/90-comment.js",
  junction: "common/05-junction.js",
};
const NODES = [accessTokenNodes, ...Object.values(CORE_FILES).map((file) => coreNode(file))];
const OUR_TYPES = NODE_TYPES;
const ALLOWED_TYPES = new Set(["tab", ...Object.keys(CORE_FILES), ...OUR_TYPES]);
/** A credentials node's keys: its URL and own properties, no credentials. */
const configKeys = (provider: keyof typeof providers) => [
  "id",
  "type",
  "name",
  providers[provider].form.urlProperty,
  ...(providers[provider].form.properties ?? []).map((property) => property.name),
  "proxy",
  "tls",
  "timeout",
  "version",
];

const examples = loadExamples();
const example = (title: string): Example => {
  const found = examples.find((e) => e.title === title);
  if (!found) throw new Error(`no example "${title}" in examples/`);
  return found;
};

describe("example flows", function () {
  this.timeout(20_000);

  describe("the files", () => {
    it("are the seven documented examples", () => {
      assert.deepEqual(
        examples.map((e) => e.title),
        [
          "Custom token - a signed home-made endpoint and the three vendors in JSONata",
          "EnOS - search devices and get an asset",
          "Errors - a wrong secret",
          "OAuth2 - client credentials and an API call",
          "OneAccess - list users",
          "OrionStar - list robots",
          "Token expired - refresh and retry once",
        ],
      );
    });

    for (const { title, flow } of examples) {
      it(`${title}: one tab of core nodes and ours, with a comment, wired to nodes that exist`, () => {
        const tabs = flow.filter((n) => n.type === "tab");
        assert.equal(tabs.length, 1);
        const ids = new Set(flow.map((n) => n.id));
        assert.equal(ids.size, flow.length, "unique ids");
        for (const node of flow) {
          assert.ok(ALLOWED_TYPES.has(node.type), `${node.id}: ${node.type} is neither a core node nor ours`);
          if (node.type !== "tab" && !providerOf(node)) assert.equal(node.z, tabs[0].id, `${node.id} is on the tab`);
          for (const target of (node.wires ?? []).flat()) assert.ok(ids.has(target), `${node.id} -> ${target}`);
        }
        assert.ok(
          flow.some((n) => n.type === "comment" && /fill in/i.test(n.name) && n.info),
          "a comment says what to fill in",
        );
        assert.ok(flow.some((n) => n.type === "inject"));
        for (const token of flow.filter((n) => n.type === "access-token")) {
          const config = flow.find((n) => n.id === token[token.provider]);
          assert.equal(config && providerOf(config), token.provider, `${token.id} uses credentials in this file`);
        }
      });

      it(`${title}: holds no credentials, only the vendor's real host or a named placeholder`, () => {
        const configs = flow.filter((n) => providerOf(n));
        assert.ok(configs.length > 0);
        for (const config of configs) {
          assert.deepEqual(
            Object.keys(config).sort(),
            configKeys(providerOf(config)!).sort(),
            `${config.id}: no credentials in the file`,
          );
          if (config.tokenUrl === undefined)
            assert.match(
              config.baseUrl,
              /^https:\/\/(global-openapi\.orionstar\.com|YOUR-ENOS-API-GATEWAY|YOUR-ONEACCESS-DOMAIN)$/,
            );
          // A token endpoint (oauth2, custom): a vendor's real host or a named placeholder, and a path.
          else assert.match(config.tokenUrl, /^https:\/\/(global-openapi\.orionstar\.com|YOUR-[A-Z-]+)\/\S+$/);
        }
        const text = JSON.stringify(flow);
        for (const word of [/"credentials"/, /"(appid|secret|appKey|appSecret|clientId|clientSecret)"\s*:/])
          assert.doesNotMatch(text, word);
        // The API base is set in one rule per call chain, to a host a credentials node of the file has.
        const bases = apiBaseRules(flow).map((rule) => rule.to);
        if (flow.some((n) => n.type === "http request")) assert.ok(bases.length > 0, "msg.apiBase is set");
        for (const base of bases)
          assert.ok(
            configs.some(
              (c) => c.baseUrl === base || (c.tokenUrl && new URL(c.tokenUrl).origin === base.toLowerCase()),
            ) ||
              // An OAuth2 API lives on another host than the authorization server.
              (base === "https://YOUR-API-HOST" && configs.some((c) => c.type === "oauth2-credentials")),
            `${base} is a credentials node's URL too`,
          );
        // The http request nodes take msg.url (EnOS signs exactly that URL) and msg.method.
        for (const node of flow.filter((n) => n.type === "http request")) {
          assert.equal(node.url, "");
          assert.equal(node.method, "use");
        }
      });
    }

    it("rewired to the simulator, no vendor host or placeholder is left, and every tab combines into one flow file", async () => {
      const sim = await ProviderSimulator.start();
      try {
        const all = combineFlows(examples.map((e) => rewireToSimulator(e.flow, sim)));
        // Comments and tab descriptions name the real hosts for the reader; nothing else may.
        const working = JSON.stringify(all.filter((n) => n.type !== "comment" && n.type !== "tab"));
        assert.doesNotMatch(working, /orionstar\.com|YOUR[-_]/);
        assert.equal(all.filter((n) => n.type === "tab").length, examples.length);
        const credentials = simulatorCredentials(all, sim);
        assert.deepEqual(
          Object.keys(credentials).sort(),
          all
            .filter((n) => providerOf(n))
            .map((n) => n.id)
            .sort(),
        );
        for (const secret of secretsOf(sim)) assert.ok(!JSON.stringify(examples).includes(secret));
      } finally {
        await sim.close();
      }
    });
  });

  describe("in a Node-RED runtime against the simulator", () => {
    let sim: ProviderSimulator;
    /** debug node name -> the id of the helper node wired beside it. */
    let captures: Map<string, string>;
    let flow: FlowNode[];

    before(async () => {
      sim = await ProviderSimulator.start();
      await helper.startServer();
    });
    after(async () => {
      await helper.stopServer();
      await sim.close();
    });
    afterEach(async () => {
      await helper.unload();
      sim.reset();
    });

    async function load(title: string): Promise<void> {
      flow = rewireToSimulator(example(title).flow, sim);
      captures = new Map();
      const helpers: FlowNode[] = [];
      for (const debug of flow.filter((n) => n.type === "debug")) {
        const id = `capture-${debug.id}`;
        captures.set(debug.name, id);
        helpers.push({ id, type: "helper", z: debug.z, x: debug.x, y: debug.y + 20 });
        for (const node of flow)
          node.wires = node.wires?.map((out: string[]) => (out.includes(debug.id) ? [...out, id] : out));
      }
      await helper.load(NODES, [...flow, ...helpers], simulatorCredentials(flow, sim));
    }

    /** Resolves with the next message the debug node `name` shows. */
    function shown(name: string, timeoutMs?: number): Promise<Record<string, any>> {
      const id = captures.get(name);
      if (!id) throw new Error(`no debug node "${name}"`);
      return nextMessage(id, timeoutMs);
    }

    /** Counts the messages debug nodes other than `expected` show, to check nothing went astray. */
    function strays(expected: string[]): () => string[] {
      const seen: string[] = [];
      for (const [name, id] of captures) {
        if (!expected.includes(name))
          helper
            .getNode(id)
            .on("input", (msg: Record<string, any>) =>
              seen.push(`${name}: ${JSON.stringify(msg.payload ?? msg.error)}`),
            );
      }
      return () => seen;
    }

    function click(injectName: string): void {
      const inject = flow.find((n) => n.type === "inject" && n.name === injectName);
      if (!inject) throw new Error(`no inject node "${injectName}"`);
      helper.getNode(inject.id).receive({});
    }

    it("OrionStar: lists the robots, then shows the first robot's status, with one token request", async () => {
      await load("OrionStar - list robots");
      const stray = strays(["robot list", "robot status"]);
      const list = shown("robot list");
      const status = shown("robot status");
      click("list robots");
      const robots = (await list).payload.data;
      assert.equal(robots.total_count, 7);
      assert.equal(robots.robot_list.length, 7, "page_rows=20: all of them, not the default of 1");
      assert.equal(robots.robot_list[0].robot_sn, sim.accounts.orionstar.robotSn);
      const robot = (await status).payload.data;
      assert.equal(robot.robot_sn, sim.accounts.orionstar.robotSn);
      assert.equal(typeof robot.battery.level, "number");
      assert.ok(robot.task && robot.location, "is_report_status=1: task and location");
      assertCounts({ "orionstar.token": 1, "orionstar.robot_list": 1, "orionstar.robot_info": 1 });
      assert.deepEqual(stray(), []);
    });

    it("EnOS: searches devices (signed POST), then gets the first device's asset (signed GET)", async () => {
      await load("EnOS - search devices and get an asset");
      const stray = strays(["devices", "asset"]);
      const devices = shown("devices");
      const asset = shown("asset");
      click("search devices");
      const list = (await devices).payload;
      assert.equal(list.code, 0);
      assert.equal(list.data.length, 10, "pageSize 10 from the signed body");
      const found = (await asset).payload.data;
      assert.equal(found.assetId, sim.accounts.enos.assetId);
      assert.equal(found.orgId, sim.accounts.enos.orgId);
      assert.equal(found.name.defaultValue, "Inverter 01");
      assertCounts({ "enos.token": 1, "enos.device_search": 1, "enos.asset": 1 });
      assert.deepEqual(stray(), []);
    });

    it("OneAccess: lists the first ten users", async () => {
      await load("OneAccess - list users");
      const stray = strays(["users"]);
      const users = shown("users");
      click("list users");
      const answer = (await users).payload;
      assert.equal(answer.total, 25);
      assert.equal(answer.users.length, 10);
      assert.equal(answer.users[0].user_name, "user001");
      assertCounts({ "oneaccess.token": 1, "oneaccess.users": 1 });
      assert.deepEqual(stray(), []);
    });

    it("OAuth2: lists the things with a client-credentials token", async () => {
      await load("OAuth2 - client credentials and an API call");
      const stray = strays(["things"]);
      const things = shown("things");
      click("list things");
      assert.equal((await things).payload.things.length, 2);
      assertCounts({ "oauth2.token": 1, "oauth2.api": 1 });
      assert.deepEqual(stray(), []);
    });

    it("Custom token: the home-made cloud's devices, and each vendor's token from its JSONata description", async () => {
      await load("Custom token - a signed home-made endpoint and the three vendors in JSONata");
      const stray = strays(["devices", "OrionStar token", "EnOS token", "OneAccess token"]);
      const devices = shown("devices");
      click("list devices");
      assert.equal((await devices).payload.result.devices.length, 2);
      for (const vendor of ["OrionStar", "EnOS", "OneAccess"]) {
        const token = shown(`${vendor} token`);
        click(`${vendor} token`);
        assert.match(String((await token).token), /^[0-9a-f]{16,}$/, vendor);
      }
      assertCounts({
        "homemade.token": 1,
        "homemade.api": 1,
        "orionstar.token": 1,
        "enos.token": 1,
        "oneaccess.token": 1,
      });
      assert.deepEqual(stray(), []);
    });

    const expiry: Array<[ProviderId, string, string, Endpoint, (answer: any) => void]> = [
      [
        "orionstar",
        "OrionStar",
        "OrionStar answer",
        "orionstar.robot_list",
        (a) => assert.equal(a.data.robot_list.length, 7),
      ],
      ["enos", "EnOS", "EnOS answer", "enos.device_search", (a) => assert.equal(a.data.length, 10)],
      ["oneaccess", "OneAccess", "OneAccess answer", "oneaccess.users", (a) => assert.equal(a.users.length, 10)],
    ];
    for (const [provider, inject, answer, api, check] of expiry) {
      it(`token expired, ${provider}: refreshes and retries once, with exactly one extra token request`, async () => {
        await load("Token expired - refresh and retry once");
        const stray = strays([answer]);
        const first = shown(answer);
        click(inject);
        check((await first).payload);
        assertCounts({ [`${provider}.token`]: 1, [api]: 1 });
        sim.expireTokens(provider);
        const second = shown(answer);
        click(inject);
        const recovered = await second;
        check(recovered.payload);
        assert.equal(recovered.retries, 1);
        assertCounts({ [`${provider}.token`]: 2, [api]: 3 });
        assert.deepEqual(stray(), []);
      });
    }

    const stillExpired: Array<[ProviderId, string, string, Endpoint, string | number]> = [
      ["orionstar", "OrionStar", "OrionStar: still expired", "orionstar.robot_list", 101024],
      ["enos", "EnOS", "EnOS: still expired", "enos.device_search", 1203],
      ["oneaccess", "OneAccess", "OneAccess: still expired", "oneaccess.users", "invalid_token"],
    ];
    for (const [provider, inject, gaveUp, api, code] of stillExpired) {
      it(`token expired, ${provider}: a vendor that keeps saying so gets one retry, no more`, async () => {
        await load("Token expired - refresh and retry once");
        sim.fail(api, { kind: "vendor-error", code, msg: "token expired" }, 5);
        const stray = strays([gaveUp]);
        const shownGaveUp = shown(gaveUp);
        click(inject);
        assert.equal((await shownGaveUp).retries, 1);
        await delay(200);
        assertCounts({ [`${provider}.token`]: 2, [api]: 2 });
        assert.deepEqual(stray(), []);
      });
    }

    const wrongSecret: Array<[string, string]> = [
      ["OrionStar", "101009"],
      ["EnOS", "1003"],
      ["OneAccess", "invalid_client"],
    ];
    for (const [inject, code] of wrongSecret) {
      it(`errors, ${inject}: a wrong secret reaches the Catch node with the vendor code ${code}`, async () => {
        await load("Errors - a wrong secret");
        const stray = strays(["msg.error"]);
        const caught = shown("msg.error");
        click(inject);
        const { error } = await caught;
        assert.equal(error.code, code);
        assert.match(error.message, new RegExp(`${inject}.*${code}|${code}.*${inject}`, "s"));
        // The secret this flow really holds (the wrong one), in every shape, and the demo ones.
        const given = Object.values(simulatorCredentials(flow, sim)).flatMap((c) => Object.values(c));
        assert.ok(given.includes(WRONG_SECRET), "the flow holds the wrong secret");
        const text = [error.message, JSON.stringify(error)].join("\n");
        for (const secret of [...shapesOf(WRONG_SECRET), ...secretsOf(sim)])
          assert.ok(!text.includes(secret), `${secret} in ${text}`);
        await delay(100);
        assert.deepEqual(stray(), []);
      });
    }

    function assertCounts(expected: Record<string, number>): void {
      const counts = sim.counts() as Record<string, number>;
      for (const [endpoint, count] of Object.entries(expected))
        assert.equal(counts[endpoint], count, `${endpoint} requests`);
    }
  });
});

function apiBaseRules(flow: FlowNode[]): Array<{ p: string; to: string }> {
  return flow
    .filter((n) => n.type === "change")
    .flatMap((n) => n.rules as Array<{ t: string; p: string; pt: string; to: string }>)
    .filter((rule) => rule.t === "set" && rule.pt === "msg" && rule.p === "apiBase");
}
