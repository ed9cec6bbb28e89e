// The example flows (examples/*.json, Import > Examples) in a real Node-RED runtime, pointed at the
// simulator by the very function the demo (npm start) uses. What reaches each debug node is
// captured by a helper node wired beside it, and the property the debug node shows is read from it,
// so every documented output is checked, as is api request's retry after the tokens are revoked
// (exactly one extra token request) and the Catch of a wrong secret. The files are checked too:
// ids no other example uses (an import never asks "already exist"), Catch and debug nodes.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { combineFlows, loadExamples, providerOf, type Example, type FlowNode } from "../scripts/demo/examples";
import { rewireToSimulator, simulatorCredentials, WRONG_SECRET } from "../scripts/demo/rewire";
import { AUTHORIZE_PATH, CALLBACK_PATH } from "../src/admin-api";
import { CONFIG_VERSION } from "../src/nodes/config-version";
import { providers } from "../src/providers";
import { presets, type PresetId } from "../src/providers/presets";
import { simulatorSuite } from "./support/simulator-suite";
import { ProviderSimulator, type CloudId, type Endpoint, type ProviderId } from "./simulator";
import { ALIYUN_DEVICE_COUNT, ARTEMIS_CAMERA_COUNT, EZVIZ_DEVICE_COUNT } from "./simulator/cloud-data";
import { delay, nextMessage, nextMessages, secretsOf } from "./support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "./support/node-red";
import { NODE_TYPES } from "./support/node-types";
import { shapesOf } from "./support/secret-shapes";

const CORE_FILES = {
  inject: CORE.inject,
  change: CORE.change,
  switch: "function/10-switch.js",
  "http request": CORE.httpRequest,
  split: "sequence/17-split.js",
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
    it("are the documented examples", () => {
      assert.deepEqual(
        examples.map((e) => e.title),
        [
          "Alibaba Cloud IoT - query devices",
          "Custom token - a signed home-made endpoint and the three vendors in JSONata",
          "EZVIZ - list cameras",
          "EnOS - search devices and get an asset",
          "Errors - a wrong secret",
          "Get token and the core http request node",
          "Hikvision Artemis - list cameras",
          "Huawei IoTDA - list devices",
          "OAuth2 - client credentials and an API call",
          "OAuth2 - sign in with a user account",
          "OneAccess - list users",
          "OrionStar - list robots",
          "ThingsBoard - list devices",
          "Tuya - list devices",
        ],
      );
    });

    it("no two examples share an id, credentials nodes included: importing one after another never asks 'already exist'", () => {
      const owner = new Map<string, string>();
      for (const { title, flow } of examples) {
        for (const node of flow) {
          const other = owner.get(node.id);
          assert.ok(other === undefined || other === title, `${node.id} is in "${other}" and "${title}"`);
          owner.set(node.id, title);
        }
      }
      // Two examples in one flow file, as the editor holds them after two imports.
      const [first, second] = examples;
      const both = combineFlows([first.flow, second.flow]);
      assert.equal(new Set(both.map((n) => n.id)).size, first.flow.length + second.flow.length);
      assert.throws(() => combineFlows([first.flow, first.flow]), /share the id/, "a shared id is refused");
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
        for (const token of flow.filter((n) => n.type === "access-token" || n.type === "access-token-request")) {
          const config = flow.find((n) => n.id === token[token.provider]);
          assert.equal(config && providerOf(config), token.provider, `${token.id} uses credentials in this file`);
        }
        // api request calls a path on its credentials node's URL, retries once, and errors go to Catch.
        for (const request of flow.filter((n) => n.type === "access-token-request")) {
          assert.match(request.url, /^\/\S+$/, `${request.id}: a path on the credentials node's URL`);
          assert.equal(request.retry, true, `${request.id}: refreshes and resends once`);
          assert.equal(request.errors, "catch", `${request.id}: vendor errors go to Catch`);
          assert.equal(request.version, CONFIG_VERSION);
        }
        // Each credentials node is this example's own, named for it.
        const names = flow.filter((n) => providerOf(n)).map((n) => n.name);
        assert.equal(new Set(names).size, names.length);
        for (const name of names) assert.match(name, /example|wrong secret/i, `${name}: says which example it is for`);
      });

      it(`${title}: a Catch node shows msg.error.message; no debug node shows the whole message`, () => {
        const byId = new Map(flow.map((n) => [n.id, n]));
        const catches = flow.filter((n) => n.type === "catch");
        assert.ok(catches.length > 0, "a Catch node");
        for (const node of catches) {
          const targets = (node.wires as string[][]).flat().map((id) => byId.get(id));
          assert.ok(
            targets.some((t) => t?.type === "debug" && t.complete === "error.message" && t.targetType === "msg"),
            `${node.id} is wired to a debug node showing msg.error.message`,
          );
        }
        for (const debug of flow.filter((n) => n.type === "debug")) {
          assert.equal(debug.targetType, "msg", debug.id);
          // One property a user wants to read: the answer, the error, or (get token examples) the token.
          assert.match(debug.complete, /^(payload|error|token)(\.\w+)*$/, `${debug.id}: shows one property`);
          assert.ok(debug.name, `${debug.id} has a name`);
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
          // A preset's node: one of its regions, and its fields as the preset has them.
          else if (config.preset) assertPresetNode(config);
          // A token endpoint (oauth2, custom): a vendor's real host or a named placeholder, and a path.
          else
            assert.match(
              config.tokenUrl,
              /^https:\/\/(global-openapi\.orionstar\.com|open\.ezvizlife\.com|open\.ys7\.com|YOUR-[A-Z-]+)\/\S+$/,
            );
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
              (c) =>
                c.baseUrl === base ||
                // oauth2 and custom: their API URL (an OAuth2 API lives on another host than the authorization server).
                c.apiUrl === base,
            ),
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
    const suite = simulatorSuite();
    /** debug node name -> the id of the helper node wired beside it. */
    let captures: Map<string, string>;
    let flow: FlowNode[];

    async function load(title: string): Promise<void> {
      flow = rewireToSimulator(example(title).flow, suite.sim);
      captures = new Map();
      const helpers: FlowNode[] = [];
      for (const debug of flow.filter((n) => n.type === "debug")) {
        const id = `capture-${debug.id}`;
        captures.set(debug.name, id);
        helpers.push({ id, type: "helper", z: debug.z, x: debug.x, y: debug.y + 20 });
        for (const node of flow)
          node.wires = node.wires?.map((out: string[]) => (out.includes(debug.id) ? [...out, id] : out));
      }
      await helper.load(NODES, [...flow, ...helpers], simulatorCredentials(flow, suite.sim));
    }

    /** Resolves with the next message the debug node `name` shows. */
    function shown(name: string, timeoutMs?: number): Promise<Record<string, any>> {
      const id = captures.get(name);
      if (!id) throw new Error(`no debug node "${name}"`);
      return nextMessage(id, timeoutMs);
    }

    /** Resolves with the next `count` messages the debug node `name` shows. */
    function shownMany(name: string, count: number): Promise<Array<Record<string, any>>> {
      const id = captures.get(name);
      if (!id) throw new Error(`no debug node "${name}"`);
      return nextMessages(id, count);
    }

    /** What the debug node `name` shows of `msg`: the property it is set to (payload.data, error.message ...). */
    function displayed(name: string, msg: Record<string, any>): any {
      const debug = flow.find((n) => n.type === "debug" && n.name === name);
      if (!debug) throw new Error(`no debug node "${name}"`);
      assert.equal(debug.targetType, "msg");
      return (debug.complete as string).split(".").reduce((value: any, key) => value?.[key], msg);
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
      const listed = await list;
      const robots = listed.payload.data;
      assert.equal(robots.total_count, 7);
      assert.equal(robots.robot_list.length, 7, "page_rows=20: all of them, not the default of 1");
      assert.equal(robots.robot_list[0].robot_sn, suite.sim.accounts.orionstar.robotSn);
      assert.deepEqual(displayed("robot list", listed), robots.robot_list, "the debug node shows the list itself");
      const detail = await status;
      const robot = detail.payload.data;
      assert.equal(robot.robot_sn, suite.sim.accounts.orionstar.robotSn);
      assert.equal(typeof robot.battery.level, "number");
      assert.ok(robot.task && robot.location, "is_report_status=1: task and location");
      assert.equal(displayed("robot status", detail), robot);
      assertCounts({ "orionstar.token": 1, "orionstar.robot_list": 1, "orionstar.robot_info": 1 });
      assert.deepEqual(stray(), []);
    });

    it("EnOS: searches devices (signed POST), then gets the first device's asset (signed GET)", async () => {
      await load("EnOS - search devices and get an asset");
      const stray = strays(["devices", "asset"]);
      const devices = shown("devices");
      const asset = shown("asset");
      click("search devices");
      const searched = await devices;
      const list = searched.payload;
      assert.equal(list.code, 0);
      assert.equal(list.data.length, 10, "pageSize 10 from the signed body");
      assert.equal(displayed("devices", searched), list.data);
      const got = await asset;
      const found = got.payload.data;
      assert.equal(found.assetId, suite.sim.accounts.enos.assetId);
      assert.equal(found.orgId, suite.sim.accounts.enos.orgId);
      assert.equal(found.name.defaultValue, "Inverter 01");
      assert.equal(displayed("asset", got), found);
      assertCounts({ "enos.token": 1, "enos.device_search": 1, "enos.asset": 1 });
      assert.deepEqual(stray(), []);
    });

    it("OneAccess: lists the first ten users, then one message per user", async () => {
      await load("OneAccess - list users");
      const stray = strays(["users", "user"]);
      const users = shown("users");
      const each = shownMany("user", 10);
      click("list users");
      const listed = await users;
      const answer = listed.payload;
      assert.equal(answer.total, 25);
      assert.equal(answer.users.length, 10);
      assert.equal(answer.users[0].user_name, "user001");
      assert.deepEqual(displayed("users", listed), answer.users);
      assert.deepEqual(
        (await each).map((msg) => displayed("user", msg)),
        answer.users.map((user: { user_name: string }) => user.user_name),
        "the user debug node shows each user's name, in order",
      );
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

    it("OAuth2 sign-in: 'sign in again' before, then a sign-in through the simulator's page, then the user's things", async () => {
      await load("OAuth2 - sign in with a user account");
      const stray = strays(["things", "error message"]);
      const refused = shown("error message");
      click("list my things");
      assert.match(String((await refused).error.message), /sign in again with the credentials "OAuth2 user sign-in/);
      assertCounts({ "oauth2.token": 0, "oauth2.api": 0 });

      // As the browser goes: the dialog's Sign in, the simulator's page and its form, the callback
      // (the admin app at a port of its own, as a browser reaches Node-RED).
      const admin = http.createServer((req, res) => (helper as any)._httpAdmin(req, res));
      await new Promise<void>((resolve) => admin.listen(0, "127.0.0.1", resolve));
      try {
        const adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
        const redirectUri = `${adminUrl}${CALLBACK_PATH}`;
        const query = new URLSearchParams({ id: "cfg-oauth2-signin", redirect_uri: redirectUri });
        const start = await fetch(`${adminUrl}${AUTHORIZE_PATH}?${query}`, { redirect: "manual" });
        assert.equal(start.status, 302, await start.text());
        const authorize = new URL(start.headers.get("location")!);
        assert.equal(`${authorize.origin}${authorize.pathname}`, `${suite.sim.url}/oauth2/authorize`);
        const page = await (await fetch(authorize)).text();
        const form = new URLSearchParams({ decision: "allow" });
        for (const [, name, value] of page.matchAll(/<input type="\w+" name="(\w+)" value="([^"]*)">/g))
          form.set(
            name,
            value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
          );
        const back = await fetch(`${suite.sim.url}/oauth2/authorize`, {
          method: "POST",
          body: form,
          redirect: "manual",
        });
        assert.equal(back.status, 302, await back.text());
        const callback = await fetch(back.headers.get("location")!);
        assert.match(await callback.text(), new RegExp(`Signed in as ${suite.sim.accounts.oauth2.username}`));

        const things = shown("things");
        click("list my things");
        assert.equal((await things).payload.things.length, 2);
        assertCounts({ "oauth2.authorize": 2, "oauth2.token": 1, "oauth2.api": 1 });
        assert.deepEqual(stray(), []);
      } finally {
        admin.closeAllConnections();
        admin.close();
      }
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

    it("get token and the core http request node: lists the robots, the vendor's code checked by a switch", async () => {
      await load("Get token and the core http request node");
      const stray = strays(["robot list"]);
      const list = shown("robot list");
      click("list robots");
      const listed = await list;
      assert.equal(listed.payload.code, 0);
      assert.equal(listed.payload.data.total_count, 7);
      assert.deepEqual(displayed("robot list", listed), listed.payload.data.robot_list);
      assert.equal(listed.payload.data.robot_list.length, 7);
      assertCounts({ "orionstar.token": 1, "orionstar.robot_list": 1 });
      assert.deepEqual(stray(), []);
    });

    it("EZVIZ: lists the cameras, the token as a form field, on the host the token answer names", async () => {
      await load("EZVIZ - list cameras");
      const stray = strays(["cameras"]);
      const cameras = shown("cameras");
      click("list cameras");
      const listed = await cameras;
      assert.equal(listed.payload.code, "200");
      assert.equal(listed.payload.page.total, EZVIZ_DEVICE_COUNT);
      assert.deepEqual(displayed("cameras", listed), listed.payload.data);
      assert.equal(listed.payload.data.length, EZVIZ_DEVICE_COUNT, "pageSize 50: every camera");
      assertCounts({ "ezviz.token": 1, "ezviz.device_list": 1 });
      assert.deepEqual(stray(), []);
    });

    it("token revoked, EZVIZ (HTTP 200, code 10002): api request renews it and resends once, the same cameras", async () => {
      await load("EZVIZ - list cameras");
      const first = shown("cameras");
      click("list cameras");
      const before = await first;
      suite.sim.expireTokens("ezviz");
      const errors = strays(["cameras"]);
      const second = shown("cameras");
      click("list cameras");
      assert.deepEqual(displayed("cameras", await second), displayed("cameras", before));
      await delay(100);
      assertCounts({ "ezviz.token": 2, "ezviz.device_list": 3 });
      assert.deepEqual(errors(), [], "nothing reached the Catch node");
    });

    it("Hikvision Artemis: lists the cameras, every call signed without a token", async () => {
      await load("Hikvision Artemis - list cameras");
      const stray = strays(["cameras"]);
      const cameras = shown("cameras");
      click("list cameras");
      const listed = await cameras;
      assert.equal(listed.payload.code, "0");
      assert.equal(listed.payload.data.total, ARTEMIS_CAMERA_COUNT);
      assert.equal(listed.payload.data.list.length, ARTEMIS_CAMERA_COUNT, "pageSize 100: every camera");
      assert.deepEqual(displayed("cameras", listed), listed.payload.data.list);
      assertCounts({ "hikvision-artemis.cameras": 1 });
      assert.deepEqual(stray(), []);
    });

    it("Alibaba Cloud IoT: queries the product's devices, every call signed without a token", async () => {
      await load("Alibaba Cloud IoT - query devices");
      const stray = strays(["devices"]);
      const devices = shown("devices");
      click("query devices");
      const listed = await devices;
      assert.equal(listed.payload.Success, true);
      assert.equal(listed.payload.Total, ALIYUN_DEVICE_COUNT);
      assert.equal(listed.payload.Data.DeviceInfo[0].ProductKey, suite.sim.accounts["aliyun-iot"].productKey);
      assert.deepEqual(displayed("devices", listed), listed.payload.Data.DeviceInfo);
      assert.equal(listed.payload.Data.DeviceInfo.length, ALIYUN_DEVICE_COUNT, "PageSize 50: every device");
      assertCounts({ "aliyun-iot.api": 1 });
      assert.deepEqual(stray(), []);
    });

    // The retry happens inside api request: the examples need no loop of their own. After the
    // simulator revokes the tokens (what the demo's revoke inject does), the same click shows the
    // same output, with exactly one extra token request and the refused call sent again once.
    const expiry: Array<[ProviderId, string, string, string, Endpoint, Endpoint]> = [
      [
        "orionstar",
        "OrionStar - list robots",
        "list robots",
        "robot status",
        "orionstar.robot_list",
        "orionstar.robot_info",
      ],
      ["enos", "EnOS - search devices and get an asset", "search devices", "asset", "enos.device_search", "enos.asset"],
      ["oneaccess", "OneAccess - list users", "list users", "users", "oneaccess.users", "oneaccess.users"],
    ];
    for (const [provider, title, inject, last, api, detail] of expiry) {
      it(`token revoked, ${provider}: api request refreshes and resends once, with exactly one extra token request`, async () => {
        await load(title);
        const first = shown(last);
        click(inject);
        const before = await first;
        await delay(100);
        const callsBefore = suite.sim.counts() as Record<string, number>;
        assertCounts({ [`${provider}.token`]: 1, [api]: 1 });
        suite.sim.expireTokens(provider);
        const errors = strays([]);
        const second = shown(last);
        click(inject);
        const recovered = await second;
        assert.deepEqual(displayed(last, recovered), displayed(last, before), "the same output as before");
        await delay(100);
        assertCounts({ [`${provider}.token`]: 2, [api]: 3 });
        if (detail !== api) assertCounts({ [detail]: callsBefore[detail] + 1 });
        assert.deepEqual(
          errors().filter((line) => line.startsWith("error message")),
          [],
          "nothing reached the Catch node",
        );
      });
    }

    // What msg.error.message names: the vendor's code, or for OneAccess (RFC 6750) the HTTP status.
    const stillExpired: Array<[ProviderId, string, string, Endpoint, string | number, RegExp]> = [
      ["orionstar", "OrionStar - list robots", "list robots", "orionstar.robot_list", 101024, /OrionStar.*101024/],
      ["enos", "EnOS - search devices and get an asset", "search devices", "enos.device_search", 1203, /EnOS.*1203/],
      ["oneaccess", "OneAccess - list users", "list users", "oneaccess.users", "invalid_token", /OneAccess.*HTTP 401/],
    ];
    for (const [provider, title, inject, api, code, names] of stillExpired) {
      it(`token expired, ${provider}: a vendor that keeps saying so gets one retry, no more, then the Catch node`, async () => {
        await load(title);
        suite.sim.fail(api, { kind: "vendor-error", code, msg: "token expired" }, 5);
        const stray = strays(["error message"]);
        const caught = shown("error message");
        click(inject);
        const msg = await caught;
        if (typeof code === "number") assert.equal(msg.error.code, String(code));
        assert.match(displayed("error message", msg), names);
        assert.match(msg.error.message, /refused a newly fetched token as well/);
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
        const stray = strays(["error message"]);
        const caught = shown("error message");
        click(inject);
        const msg = await caught;
        const { error } = msg;
        assert.equal(error.code, code);
        assert.match(error.message, new RegExp(`${inject}.*${code}|${code}.*${inject}`, "s"));
        assert.equal(displayed("error message", msg), error.message, "the debug node shows the message text");
        // The secret this flow really holds (the wrong one), in every shape, and the demo ones.
        const given = Object.values(simulatorCredentials(flow, suite.sim)).flatMap((c) => Object.values(c));
        assert.ok(given.includes(WRONG_SECRET), "the flow holds the wrong secret");
        const text = [error.message, JSON.stringify(error)].join("\n");
        for (const secret of [...shapesOf(WRONG_SECRET), ...secretsOf(suite.sim)])
          assert.ok(!text.includes(secret), `${secret} in ${text}`);
        await delay(100);
        assert.deepEqual(stray(), []);
      });
    }

    // The presets' examples: the list call answered with one token; after a revoke the same output,
    // the token renewed once (by its refresh token where the vendor has one) and the call sent again once.
    // [title, cloud, the page's devices and how many the inject node asks for, token, renewal, list call]
    const presetExamples: Array<[string, CloudId, (payload: any) => unknown[], number, Endpoint, Endpoint, Endpoint]> =
      [
        ["Tuya - list devices", "tuya", (p) => p.result.devices, 20, "tuya.token", "tuya.refresh", "tuya.devices"],
        [
          "Huawei IoTDA - list devices",
          "huawei-iam",
          (p) => p.devices,
          10,
          "huawei-iam.token",
          "huawei-iam.token",
          "huawei-iam.devices",
        ],
        [
          "ThingsBoard - list devices",
          "thingsboard",
          (p) => p.data,
          10,
          "thingsboard.token",
          "thingsboard.refresh",
          "thingsboard.devices",
        ],
      ];
    for (const [title, cloud, items, size, token, renewal, api] of presetExamples) {
      it(`${title}: the devices with one token; revoked, the same devices after one ${renewal}`, async () => {
        await load(title);
        const stray = strays(["devices"]);
        const first = shown("devices");
        click("list devices");
        const listed = await first;
        assert.equal(listed.statusCode, 200);
        const devices = displayed("devices", listed);
        assert.equal(devices.length, size, "one page of devices");
        assert.deepEqual(devices, items(listed.payload), "the debug node shows the devices");
        assertCounts({ [token]: 1, [api]: 1 });
        suite.sim.expireTokens(cloud);
        const second = shown("devices");
        click("list devices");
        assert.deepEqual(displayed("devices", await second), devices, "the same devices");
        await delay(100);
        assertCounts(renewal === token ? { [token]: 2, [api]: 3 } : { [token]: 1, [renewal]: 1, [api]: 3 });
        assert.deepEqual(stray(), [], "nothing at the Catch node");
      });
    }

    function assertCounts(expected: Record<string, number>): void {
      const counts = suite.sim.counts() as Record<string, number>;
      for (const [endpoint, count] of Object.entries(expected))
        assert.equal(counts[endpoint], count, `${endpoint} requests`);
    }
  });
});

/** A custom credentials node started from a preset: a region's URLs and the preset's fields, unchanged. */
function assertPresetNode(config: FlowNode): void {
  const preset = presets[config.preset as PresetId];
  assert.ok(preset, `${config.id}: ${config.preset} is a preset`);
  assert.ok(
    Object.values(preset.regions).some(
      (region) => region.tokenUrl === config.tokenUrl && region.apiUrl === config.apiUrl,
    ),
    `${config.id}: the URLs of one of ${preset.id}'s regions`,
  );
  for (const [name, value] of Object.entries(preset.fields))
    assert.equal(config[name], value, `${config.id}: ${name} as the preset has it`);
}

function apiBaseRules(flow: FlowNode[]): Array<{ p: string; to: string }> {
  return flow
    .filter((n) => n.type === "change")
    .flatMap((n) => n.rules as Array<{ t: string; p: string; pt: string; to: string }>)
    .filter((rule) => rule.t === "set" && rule.pt === "msg" && rule.p === "apiBase");
}
