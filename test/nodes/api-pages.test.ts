// The pages' pure parts (src/nodes/api-pages.ts): the first page's request split from the planned
// URL, how nextPage's changes make the next request (query entries replace those of the same name,
// null removes one; url replaces the URL and its query; body replaces the body), what is refused, and
// the saved settings read as the node reads them.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import {
  firstPage,
  nextRequest,
  pagesProblem,
  readPagesSettings,
  walkPages,
  type Page,
  type PageRequest,
  type Walk,
} from "../../src/nodes/api-pages";
import type { NodeMessage } from "../../src/nodes/node-red";
import { expressionEvaluator } from "../support/expressions";

const first: PageRequest = firstPage("https://api.example.com/v1/list?limit=10&tag=a&tag=b&offset=0", {
  pagination: { pageNo: 1 },
});

describe("api pages: the next request", () => {
  it("the first request: the URL without its query, the query by name (a repeated name as an array), the body", () => {
    assert.deepEqual(first, {
      url: "https://api.example.com/v1/list",
      query: { limit: "10", tag: ["a", "b"], offset: "0" },
      body: { pagination: { pageNo: 1 } },
    });
  });

  it("nothing, null or false: no next page", () => {
    for (const stop of [undefined, null, false]) assert.equal(nextRequest(first, stop, "V"), undefined);
  });

  it("query: entries replace those of the same name as text, null removes one, the others are kept", () => {
    const next = nextRequest(first, { query: { offset: 10, tag: ["c", 1], limit: null, extra: true } }, "V");
    assert.deepEqual(next, {
      url: first.url,
      query: { tag: ["c", "1"], offset: "10", extra: "true" },
      body: first.body,
    });
  });

  it("url: replaces the URL and the query with the new URL's own; query changes apply after", () => {
    assert.deepEqual(nextRequest(first, { url: "/v1/list?cursor=x y&limit=5", query: { limit: 20 } }, "V"), {
      url: "/v1/list",
      query: { cursor: "x y", limit: "20" },
      body: first.body,
    });
    assert.deepEqual(nextRequest(first, { url: "https://api.example.com/v1/list/page/2" }, "V"), {
      url: "https://api.example.com/v1/list/page/2",
      query: {},
      body: first.body,
    });
    // An expression's text may end in a newline: the URL and its query are read without the blanks around them.
    assert.deepEqual(nextRequest(first, { url: " /v1/list?cursor=x \n" }, "V"), {
      url: "/v1/list",
      query: { cursor: "x" },
      body: first.body,
    });
  });

  it("url: a query alone keeps the URL and replaces the query", () => {
    assert.deepEqual(nextRequest(first, { url: "?cursor=x" }, "V"), {
      url: first.url,
      query: { cursor: "x" },
      body: first.body,
    });
  });

  it("url: a fragment is cut (a ? inside it starts no query); a fragment alone keeps the URL and the query", () => {
    assert.deepEqual(nextRequest(first, { url: "/v1/list#top?page=2" }, "V"), {
      url: "/v1/list",
      query: {},
      body: first.body,
    });
    assert.deepEqual(nextRequest(first, { url: "/v1/list?page=2#top" }, "V")?.query, { page: "2" });
    assert.deepEqual(nextRequest(first, { url: "#top" }, "V"), first);
  });

  it("query: an entry left undefined (a JavaScript answer) removes it, as null does", () => {
    assert.deepEqual(nextRequest(first, { query: { offset: undefined, limit: null } }, "V")?.query, {
      tag: ["a", "b"],
    });
  });

  it("body: replaces the body; left out, the body is sent again", () => {
    assert.deepEqual(nextRequest(first, { body: { pagination: { pageNo: 2 } } }, "V")?.body, {
      pagination: { pageNo: 2 },
    });
    assert.deepEqual(nextRequest(first, { query: {} }, "V")?.body, first.body);
  });

  it("refuses what is no change, naming its shape and no value", () => {
    for (const [answer, shape] of [
      ["next", "a string"],
      [[1], "an array"],
      [{ params: { page: 2 } }, "an object with params"],
      [{ query: { page: 2 }, page: 2 }, "an object with query, page"],
      [{ url: " \n" }, "an object with url"],
      [{ url: 3 }, "an object with url"],
      [{ query: "page=2" }, "an object with query"],
      [{ query: { page: { n: 2 } } }, "an object with query"],
    ] as const) {
      assert.throws(
        () => nextRequest(first, answer, "V"),
        (err: unknown) => err instanceof TokenError && err.key === "api-next-page" && err.params.value === shape,
        JSON.stringify(answer),
      );
    }
  });
});

describe("api pages: the saved settings", () => {
  const node = (props: Record<string, unknown>) => ({ id: "n", type: "access-token-request", ...props });

  it("a node saved before pages existed makes one call; the defaults are all and 100 pages", () => {
    assert.deepEqual(readPagesSettings(node({})), {
      paginate: "none",
      nextPage: "",
      items: "",
      pageOutput: "all",
      maxPages: 100,
    });
  });

  it("maxPages as the editor saves it (a number, or its text); anything else does not start", () => {
    assert.equal(readPagesSettings(node({ maxPages: "7" })).maxPages, 7);
    assert.equal(readPagesSettings(node({ maxPages: 1 })).maxPages, 1, "one page is a limit too");
    assert.equal(readPagesSettings(node({ maxPages: "" })).maxPages, 100, "a field left empty: the default");
    for (const bad of [0, -1, 2.5, "x", " "]) {
      const settings = readPagesSettings(node({ paginate: "preset", maxPages: bad }));
      const problem = pagesProblem(settings, expressionEvaluator, "V");
      assert.equal(problem?.key, "api-max-pages-setting", String(bad));
      assert.match(problem.message, /node's maxPages must be a whole number of 1 or more/);
    }
  });

  it("the expressions are read without the blanks around them", () => {
    const settings = readPagesSettings(node({ paginate: "expression", nextPage: " \n", items: "  payload.items \n" }));
    assert.equal(settings.items, "payload.items");
    assert.equal(
      pagesProblem(settings, expressionEvaluator, "V")?.key,
      "api-page-expression",
      "a blank nextPage is empty",
    );
  });

  it("paginate none: one call, whatever the page settings hold (they are not checked)", () => {
    const settings = readPagesSettings(node({ paginate: "none", maxPages: 0, nextPage: "(", items: "[" }));
    assert.equal(pagesProblem(settings, expressionEvaluator, "V"), undefined);
  });

  it("expression needs a nextPage that parses; items, when set, must parse too", () => {
    const problem = (props: Record<string, unknown>) =>
      pagesProblem(readPagesSettings(node({ paginate: "expression", ...props })), expressionEvaluator, "V");
    assert.equal(problem({ nextPage: "" })?.key, "api-page-expression");
    assert.equal(problem({ nextPage: "(" })?.params.field, "nextPage");
    assert.equal(problem({ nextPage: "page < 3", items: "payload[" })?.params.field, "items");
    assert.equal(problem({ nextPage: "page < 3" }), undefined);
  });
});

describe("api pages: the walk", () => {
  const page = (payload: unknown): NodeMessage => ({ _msgid: "m", payload, statusCode: 200, headers: {} });
  const walkOf = (
    controller: AbortController,
    items = "payload.items",
    nextPage = "page < 3 ? { 'query': { 'page': page + 1 } }",
  ) =>
    ({
      expressions: { nextPage, items },
      maxPages: 10,
      evaluator: expressionEvaluator,
      signal: controller.signal,
      vendor: "V",
    }) satisfies Walk;
  const all = async (pages: AsyncGenerator<Page>) => {
    const seen: Page[] = [];
    for await (const one of pages) seen.push(one);
    return seen;
  };
  const caught = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (err) {
      return err as TokenError;
    }
    assert.fail("no error");
  };

  it("items that give nothing: the page has no items (the walk goes on)", async () => {
    const pages = await all(walkPages(first, async () => page({}), walkOf(new AbortController())));
    assert.deepEqual(
      pages.map((one) => one.items),
      [[], [], []],
    );
  });

  it("items that fail: an error naming the field, the page and the language's message", async () => {
    const payloads = [{ items: [1] }, { items: "no list" }];
    const walk = walkOf(
      new AbortController(),
      '$type(payload.items) = "array" ? payload.items : $error("items are no list")',
    );
    const error = await caught(all(walkPages(first, async (_request, number) => page(payloads[number - 1]), walk)));
    assert.equal(error.key, "api-page-expression");
    assert.deepEqual([error.params.field, error.params.detail, error.page], ["items", "D3137: items are no list", 2]);
  });

  it("closed between two pages: no page is fetched after it, and the walk ends as aborted", async () => {
    const controller = new AbortController();
    const fetched: number[] = [];
    const fetch = async (_request: PageRequest, number: number) => {
      fetched.push(number);
      controller.abort();
      return page({ items: [number] });
    };
    const error = await caught(all(walkPages(first, fetch, walkOf(controller))));
    assert.equal(error.kind, "aborted");
    assert.deepEqual(fetched, [1]);
  });

  it("closed while a page is fetched or its expressions run: aborted, and no page is named as failing", async () => {
    const controller = new AbortController();
    const aborted = new TokenError({ kind: "aborted", vendor: "V", key: "aborted" });
    const fetch = async () => {
      controller.abort();
      throw aborted;
    };
    const duringFetch = await caught(all(walkPages(first, fetch, walkOf(controller))));
    assert.deepEqual(
      [duringFetch.kind, duringFetch.page, duringFetch.message],
      ["aborted", undefined, aborted.message],
    );
    // A message whose payload fails when read as the node is closed (the items expression reads it).
    const closing = new AbortController();
    const msg = page(undefined);
    Object.defineProperty(msg, "payload", {
      enumerable: true,
      get() {
        closing.abort();
        throw new Error("gone");
      },
    });
    const duringItems = await caught(all(walkPages(first, async () => msg, walkOf(closing))));
    assert.deepEqual([duringItems.kind, duringItems.page], ["aborted", undefined]);
  });
});
