// The api request node's pages (issue #28) in a real Node-RED runtime against the simulator over
// real HTTP: each vendor's own convention (OrionStar page/page_rows, EnOS's signed body pagination,
// OneAccess offset/limit) and a nextPage expression, `all` (one message with every item) and `each`
// (a message per page that a real join node in automatic mode puts back together), maxPages in both
// modes, a failing page (Catch names it, nothing partial is sent), a token that expires between two
// pages (one refresh, the walk goes on), the settings that cannot work, and a redeploy in the middle
// of a walk (no page fetched after it).
import assert from "node:assert/strict";
import type { ProviderId } from "../../src/providers";
import { devicesOf, robotsOf, usersOf } from "../simulator/data";
import {
  apiFlow,
  at,
  delay,
  demoCredentials,
  nextMessage,
  nextMessages,
  statuses,
  until,
  type ApiRequestOptions,
} from "../support/flows";
import { EXPRESSION_TIMEOUT_SETTING } from "../../src/providers/expression-limits";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { logged, simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.join)];
const USERS = "/api/v2/tenant/users";

describe("api request node: pages", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const remember = <T>(value: T): T => suite.remember(value);

  async function load(
    provider: ProviderId,
    options: Partial<ApiRequestOptions>,
    config: Record<string, unknown> = {},
    more: Array<Record<string, unknown>> = [],
  ): Promise<void> {
    const flow = [...apiFlow(provider, suite.sim.url, options, config), ...more];
    await helper.load(NODES, flow, { cfg: demoCredentials(suite.sim, provider) });
  }

  async function call(msg: Record<string, unknown>, id = "out"): Promise<Record<string, any>> {
    const out = nextMessage(id);
    helper.getNode("api").receive(msg);
    return remember(await out);
  }

  /** Whatever reaches the helper node `id` from now on. */
  function collect(id: string): Array<Record<string, any>> {
    const received: Array<Record<string, any>> = [];
    helper.getNode(id).on("input", (msg: Record<string, any>) => received.push(remember(msg)));
    return received;
  }

  const oneaccess = () => suite.sim.accounts.oneaccess;

  describe("each provider's own convention (paginate: preset), every item in one message", () => {
    it("OrionStar: page and page_rows until total_count", async () => {
      suite.sim.setListSize("orionstar", 23);
      await load("orionstar", { url: "/v1/robot/robot_list", pages: { paginate: "preset", pageOutput: "all" } });
      const { corpId, robotSn } = suite.sim.accounts.orionstar;
      const msg = await call({ query: { ov_corpid: corpId, page: 1, page_rows: 5 } });
      assert.deepEqual(msg.payload, robotsOf(corpId, robotSn, 23), "every robot, in order, each once");
      assert.equal(suite.sim.count("orionstar.robot_list"), 5, "23 robots in pages of 5");
      assert.equal(suite.sim.count("orionstar.token"), 1, "one token for every page");
      assert.equal(msg.statusCode, 200);
      assert.match(msg.responseUrl, /[?&]page=5(&|$)/, "the last page's URL");
      assert.equal(msg.parts, undefined);
    });

    it("EnOS: the signed POST body's pagination.pageNo until totalSize, the rest of the body kept", async () => {
      suite.sim.setListSize("enos", 12);
      await load("enos", {
        method: "POST",
        url: "/connect-service/v2.1/devices",
        pages: { paginate: "preset", pageOutput: "all" },
      });
      const { orgId, assetId } = suite.sim.accounts.enos;
      const msg = await call({
        query: { action: "search", orgId },
        payload: { pagination: { pageNo: 1, pageSize: 5 }, note: "温度 ü" },
      });
      assert.deepEqual(msg.payload, devicesOf(orgId, assetId, 12), "every device, each page signed anew");
      assert.equal(suite.sim.count("enos.device_search"), 3);
    });

    it("OneAccess: offset and limit until total", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "all" } });
      const msg = await call({ query: { org_id: oneaccess().orgId, offset: 0, limit: 10 } });
      assert.deepEqual(msg.payload, usersOf(oneaccess().orgId));
      assert.equal(suite.sim.count("oneaccess.users"), 3, "25 users in pages of 10");
    });

    it("items set in the node replaces the convention's: here each page's whole body", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", items: "payload.total" } });
      const msg = await call({ query: { limit: 10 } });
      assert.deepEqual(msg.payload, [25, 25, 25], "one item per page: its total");
    });

    it("oauth2 (no convention): Catch says to page by expression, and nothing is called", async () => {
      const tokenUrl = `${suite.sim.url}/oauth2/token`;
      await load("oauth2", { url: `${suite.sim.url}/oauth2/api/things`, pages: { paginate: "preset" } }, { tokenUrl });
      const caught = await call({}, "caught");
      assert.match(caught.error.message, /no paging convention/);
      assert.match(caught.error.message, /by a next page expression/);
      assert.equal(suite.sim.count("oauth2.api"), 0);
      assert.equal(statuses("api").at(-1)?.fill, "red");
    });
  });

  describe("paginate: expression", () => {
    it("nextPage's url (a path with its own query) and items: every user", async () => {
      suite.sim.setListSize("oneaccess", 30);
      const nextPage =
        'page * 7 < response.body.total ? {"url": "/api/v2/tenant/users?limit=7&offset=" & $string(page * 7)}';
      await load("oneaccess", {
        url: `${USERS}?limit=7&offset=0`,
        pages: { paginate: "expression", nextPage, items: "payload.users", pageOutput: "all" },
      });
      const msg = await call({});
      assert.deepEqual(msg.payload, usersOf(oneaccess().orgId, 30));
      assert.equal(suite.sim.count("oneaccess.users"), 5);
      assert.equal(msg.responseUrl, `${suite.sim.url}${USERS}?limit=7&offset=28`);
    });

    it("nextPage's query changes replace entries of the same name and keep the others (msg.query's)", async () => {
      const nextPage = `(
        $offset := $number(request.query.offset) + $count(response.body.users);
        $offset < response.body.total ? {"query": {"offset": $offset}}
      )`;
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage, items: "payload.users" } });
      const msg = await call({ query: { org_id: oneaccess().orgId, offset: 0, limit: 4 } });
      assert.deepEqual(msg.payload, usersOf(oneaccess().orgId));
      assert.equal(suite.sim.count("oneaccess.users"), 7, "limit 4 kept on every page");
    });

    it("a time budget in settings.js that is no positive number is said once by the node, and the 1 s default used", async () => {
      helper.settings({ [EXPRESSION_TIMEOUT_SETTING]: "500" });
      suite.sim.setListSize("oneaccess", 6);
      const nextPage = 'page < 3 ? {"query": {"offset": page * 2}}';
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage, items: "payload.users" } });
      assert.deepEqual((await call({ query: { limit: 2 } })).payload, usersOf(oneaccess().orgId, 6));
      assert.deepEqual((await call({ query: { limit: 2 } })).payload, usersOf(oneaccess().orgId, 6));
      assert.deepEqual(
        logged("warn").filter((line) => line.includes(EXPRESSION_TIMEOUT_SETTING)),
        [`${EXPRESSION_TIMEOUT_SETTING} must be a positive number of milliseconds; using 1000`],
      );
    });

    it("without items, each page's msg.payload is an item", async () => {
      const nextPage = 'page < 3 ? {"query": {"offset": page * 2}}';
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage } });
      const msg = await call({ query: { limit: 2 } });
      assert.equal(msg.payload.length, 3);
      assert.deepEqual(
        msg.payload.map((body: any) => body.users[0].user_name),
        usersOf(oneaccess().orgId, 25, 0, 6)
          .filter((_, i) => i % 2 === 0)
          .map((user) => user.user_name),
      );
    });

    it("a nextPage answer that is no change (a text) goes to Catch naming the page; nothing is sent", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage: '"more"' } });
      const sent = collect("out");
      const caught = await call({}, "caught");
      assert.match(caught.error.message, /next page expression gave a string/);
      assert.match(caught.error.message, /\(page 1 of the list\)/);
      assert.equal(sent.length, 0);
    });

    it("an empty nextPage or one that does not parse: the node does not start, and says which", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage: "" } });
      const empty = await call({}, "caught");
      assert.match(empty.error.message, /expression nextPage failed: it is empty/);
      await helper.unload();
      await load("oneaccess", { url: USERS, pages: { paginate: "expression", nextPage: "{" } });
      const broken = await call({}, "caught");
      assert.match(broken.error.message, /expression nextPage failed/);
      assert.equal(suite.sim.count("oneaccess.users"), 0);
    });
  });

  describe("pageOutput: each", () => {
    /** api request -> out and -> join (automatic) -> joined. */
    const joinNodes = [
      { id: "join", type: "join", z: "tab1", mode: "auto", wires: [["joined"]], ...at() },
      { id: "joined", type: "helper", z: "tab1", ...at() },
    ];

    for (const limit of [10, 1]) {
      it(`a message per page with msg.parts; a join node in automatic mode gives the whole list (pages of ${limit})`, async () => {
        suite.sim.setListSize("oneaccess", limit === 1 ? 3 : 25);
        await load(
          "oneaccess",
          { url: USERS, pages: { paginate: "preset", pageOutput: "each" }, wires: [["out", "join"]] },
          {},
          joinNodes,
        );
        const total = limit === 1 ? 3 : 25;
        const pages = Math.ceil(total / limit);
        const out = nextMessages("out", pages);
        const joined = nextMessage("joined");
        helper.getNode("api").receive({ query: { limit }, topic: "users" });
        const messages = remember(await out);
        assert.deepEqual(
          messages.map((msg) => msg.payload),
          Array.from({ length: pages }, (_, page) =>
            usersOf(oneaccess().orgId, total, page * limit, (page + 1) * limit),
          ),
          "each page's items",
        );
        assert.deepEqual(
          messages.map((msg) => msg.parts.index),
          Array.from({ length: pages }, (_, page) => page),
        );
        assert.equal(new Set(messages.map((msg) => msg.parts.id)).size, 1, "one id for the walk");
        assert.equal(messages.at(-1)?.parts.count, pages, "the last page says how many");
        assert.ok(messages.slice(0, -1).every((msg) => msg.parts.count === undefined));
        assert.ok(messages.every((msg) => msg.topic === "users" && msg.statusCode === 200));
        const whole = remember(await joined);
        assert.deepEqual(whole.payload, usersOf(oneaccess().orgId, total));
        assert.equal(whole.parts, undefined, "the join node took its parts off");
        await delay(20);
        assert.deepEqual(
          logged("warn").filter((text) => /stopped after/.test(text)),
          [],
          "a whole list: no maxPages warning",
        );
      });
    }

    it("the first page is the call as a single call sends it: a repeated name keeps its place in the query", async () => {
      suite.sim.setListSize("oneaccess", 3);
      await load("oneaccess", {
        url: `${USERS}?tag=a%20b&limit=2&tag=c`,
        pages: { paginate: "preset", pageOutput: "each" },
      });
      const out = nextMessages("out", 2);
      helper.getNode("api").receive({ query: { offset: 0 } });
      const [first] = remember(await out);
      assert.equal(first.responseUrl, `${suite.sim.url}${USERS}?tag=a+b&limit=2&tag=c&offset=0`);
      assert.deepEqual(first.payload, usersOf(oneaccess().orgId, 3, 0, 2));
    });

    it("a message that is itself a part (a split node's) keeps its place: the pages' parts nest it", async () => {
      suite.sim.setListSize("oneaccess", 3);
      await load(
        "oneaccess",
        { url: USERS, pages: { paginate: "preset", pageOutput: "each" }, wires: [["out", "join"]] },
        {},
        joinNodes,
      );
      const outer = { id: "split-1", type: "array", index: 1, count: 2, len: 1 };
      const out = nextMessages("out", 3);
      const joined = nextMessage("joined");
      helper.getNode("api").receive({ query: { limit: 1 }, parts: outer });
      const messages = remember(await out);
      const id = messages[0].parts.id;
      assert.deepEqual(
        messages.map((msg) => msg.parts),
        [0, 1, 2].map((index) => ({
          id,
          type: "array",
          index,
          len: 2,
          ...(index === 2 ? { count: 3 } : {}),
          parts: outer,
        })),
      );
      const whole = remember(await joined);
      assert.deepEqual(whole.payload, usersOf(oneaccess().orgId, 3));
      assert.deepEqual(whole.parts, outer, "the join node gives the split's place back");
    });

    it("a message that is no part: the pages' parts are a split node's, nothing more", async () => {
      suite.sim.setListSize("oneaccess", 2);
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "each" } });
      const out = nextMessages("out", 2);
      helper.getNode("api").receive({ query: { limit: 1 } });
      const messages = remember(await out);
      assert.deepEqual(
        messages.map((msg) => Object.keys(msg.parts).sort()),
        [
          ["id", "index", "len", "type"],
          ["count", "id", "index", "len", "type"],
        ],
      );
    });
  });

  describe("maxPages", () => {
    it("all: reaching it is an error at Catch (stopped after 3 pages), and nothing is sent", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "all", maxPages: 3 } });
      const sent = collect("out");
      const caught = await call({ query: { limit: 5 } }, "caught");
      assert.match(caught.error.message, /stopped after 3 pages/);
      assert.equal(suite.sim.count("oneaccess.users"), 3, "no fourth page asked for");
      await delay(50);
      assert.equal(sent.length, 0, "nothing partial");
    });

    it("all: a list of exactly maxPages pages is no error", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "all", maxPages: 5 } });
      const msg = await call({ query: { limit: 5 } });
      assert.equal(msg.payload.length, 25);
    });

    it("each: reaching it stops the walk with one warning; the last page sent carries the count", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "each", maxPages: 2 } });
      const out = nextMessages("out", 2);
      helper.getNode("api").receive({ query: { limit: 5 } });
      const messages = remember(await out);
      assert.equal(messages[1].parts.count, 2);
      await delay(50);
      assert.equal(suite.sim.count("oneaccess.users"), 2);
      const warnings = logged("warn").filter((text) => /stopped after 2 pages/.test(text));
      assert.equal(warnings.length, 1, "one warning");
    });
  });

  describe("a failing page", () => {
    /** The third call to the users endpoint answers HTTP 500. */
    function failThirdPage(): void {
      suite.sim.fail("oneaccess.users", { kind: "slow", ms: 0 }, 2);
      suite.sim.fail("oneaccess.users", { kind: "status", status: 500 }, 1);
    }

    it("all: Catch names the page and its status; nothing partial is sent", async () => {
      await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "all" } });
      failThirdPage();
      const sent = collect("out");
      const caught = await call({ query: { limit: 5 } }, "caught");
      assert.match(caught.error.message, /GET \/api\/v2\/tenant\/users failed .*HTTP 500/);
      assert.match(caught.error.message, /\(page 3 of the list\)/);
      assert.equal(caught.error.statusCode, 500);
      assert.equal(suite.sim.count("oneaccess.users"), 3, "no page after the failing one");
      await delay(50);
      assert.equal(sent.length, 0);
      assert.equal(statuses("api").at(-1)?.fill, "red");
    });

    it("each: the pages before it are sent, then Catch names it (whatever the node's errors setting)", async () => {
      await load("oneaccess", {
        url: USERS,
        errors: "output",
        pages: { paginate: "preset", pageOutput: "each" },
      });
      failThirdPage();
      const sent = collect("out");
      const caught = await call({ query: { limit: 5 } }, "caught");
      assert.match(caught.error.message, /\(page 3 of the list\)/);
      assert.deepEqual(
        sent.map((msg) => msg.parts.index),
        [0, 1],
      );
    });
  });

  it("msg.refreshToken true: one new token, for the first page; the pages after it use that token", async () => {
    suite.sim.setListSize("oneaccess", 15);
    await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "all" } });
    assert.equal((await call({ query: { limit: 5 } })).payload.length, 15);
    assert.equal(suite.sim.count("oneaccess.token"), 1);
    const forced = await call({ query: { limit: 5 }, refreshToken: true });
    assert.equal(forced.payload.length, 15);
    assert.equal("refreshToken" in forced, false);
    assert.equal(suite.sim.count("oneaccess.token"), 2, "one forced refresh for the walk");
    const texts = statuses("api").map((status) => String(status.text).replace(/\d.*/, ""));
    assert.deepEqual(texts.slice(-2), ["fetching token", "valid until "], "before the first page");
    assert.equal(suite.sim.count("oneaccess.users"), 6);
  });

  it("a token that expires between two pages: one refresh, the page sent again, the walk goes on", async () => {
    await load("orionstar", { url: "/v1/robot/robot_list", pages: { paginate: "preset", pageOutput: "all" } });
    const { corpId, robotSn } = suite.sim.accounts.orionstar;
    // Page 2 is held 300 ms by the simulator, and the token expires meanwhile.
    suite.sim.fail("orionstar.robot_list", { kind: "slow", ms: 0 }, 1);
    suite.sim.fail("orionstar.robot_list", { kind: "slow", ms: 300 }, 1);
    const out = nextMessage("out");
    helper.getNode("api").receive({ query: { ov_corpid: corpId, page: 1, page_rows: 3 } });
    await until("page 2 asked for", () => suite.sim.count("orionstar.robot_list") === 2);
    suite.sim.expireTokens("orionstar");
    const msg = remember(await out);
    assert.deepEqual(msg.payload, robotsOf(corpId, robotSn));
    assert.equal(suite.sim.count("orionstar.token"), 2, "one refresh");
    assert.equal(suite.sim.count("orionstar.robot_list"), 3 + 1, "three pages, the second sent twice");
  });

  it("a redeploy in the middle of a walk ends it: no page fetched after, nothing sent", async () => {
    await load("oneaccess", { url: USERS, pages: { paginate: "preset", pageOutput: "each" } });
    suite.sim.fail("oneaccess.users", { kind: "slow", ms: 0 }, 1);
    suite.sim.fail("oneaccess.users", { kind: "slow", ms: 500 }, 1);
    const sent = collect("out");
    helper.getNode("api").receive({ query: { limit: 5 } });
    await until("page 2 asked for", () => suite.sim.count("oneaccess.users") === 2);
    await helper.unload();
    await delay(700);
    assert.equal(suite.sim.count("oneaccess.users"), 2, "no third page");
    assert.equal(sent.length, 1, "only the first page");
  });
});
