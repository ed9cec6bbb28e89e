// The presets of Tuya, Huawei Cloud IoTDA and ThingsBoard as a user deploys them: a
// custom-token-credentials node holding the preset's fields (nothing written by hand) and an api
// request node, in a real Node-RED runtime against the simulator over real HTTP. Per cloud: its list
// call answered, every page walked by the preset's pagination, a revoked token replaced once (by a
// refresh where the vendor has one) for one call and for 100 concurrent ones, a refused refresh
// falling back to one full token request, a wrong secret at Catch with the vendor's code, and no
// secret, token or refresh token in a message, an error, a log line, context or the user directory.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WRONG_SECRET } from "../../scripts/demo/rewire";
import { nextRequest, type PageRequest } from "../../src/nodes/api-pages";
import { presets, type Preset } from "../../src/providers/presets";
import type { Accounts, Endpoint, ProviderSimulator } from "../simulator";
import { HUAWEI_DEVICE_COUNT, THINGSBOARD_DEVICE_COUNT, TUYA_DEVICE_COUNT } from "../simulator/cloud-data";
import { expressionEvaluator } from "../support/expressions";
import { apiFlow, nextMessage, nextMessages } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { presetConfig } from "../support/presets";
import { shapesOf } from "../support/secret-shapes";
import { logged, simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

/** What differs between the three clouds, from their docs (docs/vendors/) and the simulator's accounts. */
interface Cloud {
  readonly preset: Preset;
  credentials(accounts: Accounts): { key: string; secret: string };
  params?(accounts: Accounts): Record<string, string>;
  /** The placeholders of the preset's list call, filled with the simulator account's ids. */
  placeholders?(accounts: Accounts): Record<string, string>;
  readonly token: Endpoint;
  readonly refresh?: Endpoint;
  readonly list: Endpoint;
  /** How many items the simulator's list holds. */
  readonly count: number;
  /** How many items the whole list holds, read from its first page. */
  total(payload: any): number;
  /** The cloud as its users know it: its node's errors start with it. */
  readonly name: string;
  /** msg.error.code and a text of msg.error.message for a wrong secret: the vendor's words and the hint. */
  readonly wrongSecret: { code: string; text: RegExp };
}

const CLOUDS: readonly Cloud[] = [
  {
    preset: presets.tuya,
    name: "Tuya",
    credentials: (a) => ({ key: a.tuya.accessId, secret: a.tuya.accessSecret }),
    token: "tuya.token",
    refresh: "tuya.refresh",
    list: "tuya.devices",
    count: TUYA_DEVICE_COUNT,
    total: (payload) => payload.result.total,
    wrongSecret: { code: "1004", text: /sign invalid \(check the Access Secret\)/ },
  },
  {
    preset: presets["huawei-iam"],
    name: "Huawei Cloud IoTDA",
    credentials: (a) => ({ key: a["huawei-iam"].userName, secret: a["huawei-iam"].password }),
    params: (a) => ({ domain: a["huawei-iam"].domainName, project: a["huawei-iam"].projectName }),
    placeholders: (a) => ({ YOUR_PROJECT_ID: a["huawei-iam"].projectId }),
    token: "huawei-iam.token",
    list: "huawei-iam.devices",
    count: HUAWEI_DEVICE_COUNT,
    total: (payload) => payload.page.count,
    wrongSecret: { code: "401", text: /The username or password is wrong\. \(check the IAM user, its password/ },
  },
  {
    preset: presets.thingsboard,
    name: "ThingsBoard",
    credentials: (a) => ({ key: a.thingsboard.username, secret: a.thingsboard.password }),
    token: "thingsboard.token",
    refresh: "thingsboard.refresh",
    list: "thingsboard.devices",
    count: THINGSBOARD_DEVICE_COUNT,
    total: (payload) => payload.totalElements,
    wrongSecret: { code: "10", text: /Invalid username or password \(check the user name and password\)/ },
  },
];

/** The list call's path with its placeholders filled, split into the path and msg.query. */
function listCall(cloud: Cloud, accounts: Accounts): { url: string; query: Record<string, string> } {
  const filled = Object.entries(cloud.placeholders?.(accounts) ?? {}).reduce(
    (path, [word, value]) => path.replaceAll(word, value),
    cloud.preset.listCall.path,
  );
  const url = new URL(filled, "http://host");
  return { url: url.pathname, query: Object.fromEntries(url.searchParams) };
}

describe("presets Tuya, Huawei Cloud IoTDA and ThingsBoard in a runtime against the simulator", function () {
  this.timeout(30_000);
  const suite = simulatorSuite();

  for (const cloud of CLOUDS) {
    const { preset } = cloud;
    const list = () => listCall(cloud, suite.sim.accounts);

    /** The preset's node on the simulator, and an api request node taking msg.url and msg.query. */
    async function load(secret?: string, pages?: Record<string, unknown>): Promise<void> {
      const { sim } = suite;
      const [region] = Object.keys(preset.regions);
      const config = presetConfig(preset, region, sim.url, cloud.params?.(sim.accounts));
      const credentials = cloud.credentials(sim.accounts);
      const flow = apiFlow("custom", "", { method: preset.listCall.method, pages }, config);
      await helper.load(NODES, flow, { cfg: { ...credentials, ...(secret ? { secret } : {}) } });
    }

    /** One list call; resolves with the answer. */
    async function call(): Promise<Record<string, any>> {
      const out = nextMessage("out");
      helper.getNode("api").receive(list());
      return out;
    }

    /** Every secret of the account in every shape, and every token the simulator issued. */
    function unsayable(sim: ProviderSimulator): string[] {
      return [...shapesOf(cloud.credentials(sim.accounts).secret), ...shapesOf(WRONG_SECRET), ...sim.issuedTokens()];
    }

    /** The flow and global context as text: a refresh token must never be there. */
    function contextText(): string {
      const context = helper.getNode("api").context();
      const dump = (store: { keys(): string[]; get(key: string): unknown }) =>
        store.keys().map((key) => JSON.stringify([key, store.get(key)]));
      return [...dump(context.flow), ...dump(context.global)].join("\n");
    }

    function assertNothingLeaked(seen: unknown[]): void {
      const text = [
        ...seen.map((item) => JSON.stringify(item)),
        ...logged("warn"),
        ...logged("error"),
        contextText(),
      ].join("\n");
      for (const value of unsayable(suite.sim))
        assert.ok(!text.includes(value), `${preset.id}: a secret or token surfaced`);
    }

    describe(preset.vendor, () => {
      it("gets a token and the list call is answered", async () => {
        await load();
        const msg = await call();
        assert.equal(msg.statusCode, 200);
        const items = await expressionEvaluator.evaluate(preset.pagination.items, msg, {});
        assert.ok(Array.isArray(items) && items.length > 0, "the page's items where the preset says they are");
        assert.equal(suite.sim.count(cloud.token), 1);
        assert.equal(suite.sim.count(cloud.list), 1);
        assertNothingLeaked([msg]);
      });

      it("walks every page by the preset's pagination, each item once", async () => {
        await load();
        let request: PageRequest = { ...list(), body: undefined };
        const ids = new Set<string>();
        let total: number | undefined;
        for (let page = 1; page <= 20; page++) {
          const out = nextMessage("out");
          helper.getNode("api").receive({ ...request });
          const msg = await out;
          assert.equal(msg.statusCode, 200, `page ${page}`);
          total ??= cloud.total(msg.payload);
          const items = (await expressionEvaluator.evaluate(preset.pagination.items, msg, {})) as unknown[];
          for (const item of [items].flat()) ids.add(JSON.stringify(item));
          const changes = await expressionEvaluator.evaluate(
            preset.pagination.nextPage,
            { request, response: { statusCode: msg.statusCode, headers: msg.headers, body: msg.payload }, page },
            {},
          );
          // Applied as the node's own paginate: preset applies them.
          const next = nextRequest(request, changes, preset.vendor);
          if (next === undefined) break;
          request = next;
        }
        assert.ok(total !== undefined && total > 20, "a list over several pages");
        assert.equal(ids.size, total, "every item, none twice");
        assert.equal(suite.sim.count(cloud.token), 1);
      });

      it("the api request node walks every page itself (paginate: preset): every item once, in one message", async () => {
        await load(undefined, { paginate: "preset", pageOutput: "all" });
        const msg = await call();
        const total = cloud.count;
        assert.equal(msg.payload.length, total, "every item");
        assert.equal(new Set(msg.payload.map((item: unknown) => JSON.stringify(item))).size, total, "none twice");
        assert.ok(suite.sim.count(cloud.list) > 1, "over several pages");
        assert.equal(suite.sim.count(cloud.token), 1, "one token for every page");
      });

      const renewal = cloud.refresh ? "one refresh" : "one new token";
      /** After a revoke: one refresh (no new full token request) where the vendor has one, else one token request. */
      const assertRenewedOnce = () => {
        if (cloud.refresh) {
          assert.equal(suite.sim.count(cloud.refresh), 1, "one refresh");
          assert.equal(suite.sim.count(cloud.token), 1, "no new full token request");
        } else assert.equal(suite.sim.count(cloud.token), 2, "one new token request");
      };

      it(`a revoked token: ${renewal}, and the call answered`, async () => {
        await load();
        const first = await call();
        suite.sim.expireTokens(preset.id);
        const second = await call();
        assert.equal(second.statusCode, 200);
        assert.deepEqual(second.payload, { ...first.payload, ...timeFields(second.payload) }, "the same answer");
        assertRenewedOnce();
        assert.equal(suite.sim.count(cloud.list), 3, "the refused call sent again once");
        assertNothingLeaked([first, second]);
      });

      it(`100 concurrent calls after a revoke: ${renewal} for all of them, every call answered`, async () => {
        await load();
        await call();
        suite.sim.expireTokens(preset.id);
        const all = nextMessages("out", 100);
        for (let i = 0; i < 100; i++) helper.getNode("api").receive(list());
        const messages = await all;
        assert.ok(messages.every((msg) => msg.statusCode === 200));
        assertRenewedOnce();
        assertNothingLeaked(messages);
      });

      if (cloud.refresh) {
        it("a refused refresh falls back to one full token request; the refresh token surfaces nowhere", async () => {
          await load();
          const first = await call();
          suite.sim.fail(cloud.refresh!, { kind: "status", status: 401 }, 1);
          suite.sim.expireTokens(preset.id);
          const second = await call();
          assert.equal(second.statusCode, 200);
          assert.equal(suite.sim.count(cloud.refresh!), 1);
          assert.equal(suite.sim.count(cloud.token), 2, "the refused refresh is followed by one full token request");
          assertNothingLeaked([first, second]);
        });
      }

      if (cloud.refresh) {
        it("its refresh token lives in memory only: nothing is written to the user directory", async () => {
          const userDir = await fs.mkdtemp(path.join(os.tmpdir(), "preset-userdir-"));
          try {
            helper.settings({ userDir, credentialSecret: "credential-secret-of-this-runtime" });
            await load();
            await call();
            suite.sim.expireTokens(preset.id);
            assert.equal((await call()).statusCode, 200);
            assertRenewedOnce();
            // Closed: every write the node started has settled.
            await helper.unload();
            assert.deepEqual(await fs.readdir(userDir, { recursive: true }), []);
          } finally {
            await fs.rm(userDir, { recursive: true, force: true });
          }
        });
      }

      it(`a wrong secret: the vendor's code ${cloud.wrongSecret.code} at Catch with its text, the secret nowhere`, async () => {
        await load(WRONG_SECRET);
        const caught = nextMessage("caught");
        helper.getNode("api").receive(list());
        const msg = await caught;
        assert.equal(msg.error.code, cloud.wrongSecret.code);
        assert.match(msg.error.message, cloud.wrongSecret.text);
        assert.match(msg.error.message, new RegExp(cloud.wrongSecret.code));
        assert.ok(msg.error.message.startsWith(`${cloud.name} error ${cloud.wrongSecret.code} `), msg.error.message);
        assert.equal(suite.sim.count(cloud.list), 0, "no call without a token");
        assertNothingLeaked([msg]);
      });
    });
  }
});

/** The fields of an answer that change with every call (Tuya's server time and trace id). */
function timeFields(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => key === "t" || key === "tid"));
}
