// The pages' pure parts (src/nodes/api-pages.ts): the first page's request split from the planned
// URL, how nextPage's changes make the next request (query entries replace those of the same name,
// null removes one; url replaces the URL and its query; body replaces the body), what is refused, and
// the saved settings read as the node reads them.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import { firstPage, nextRequest, pagesProblem, readPagesSettings, type PageRequest } from "../../src/nodes/api-pages";
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
    assert.deepEqual(nextRequest(first, { url: "https://api.example.com/v1/list/page/2" }, "V")?.query, {});
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
    for (const bad of [0, -1, 2.5, "x"]) {
      const settings = readPagesSettings(node({ paginate: "preset", maxPages: bad }));
      assert.equal(pagesProblem(settings, expressionEvaluator, "V")?.key, "api-max-pages-setting", String(bad));
    }
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
