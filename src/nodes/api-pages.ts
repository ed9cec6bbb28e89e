// Every page of a list, as the api request node walks it (issue #28's `paginate`), without Node-RED:
// its settings, the first page's request made of the planned call, each page fetched by the caller
// (a call like any other: token, signing, one refresh), its items picked by the `items` expression,
// and the next request from the `nextPage` expression's changes, until it gives nothing or
// `maxPages` is reached. A failing page is named in its error.
import { TokenError } from "../errors";
import type { ExpressionEvaluator } from "../providers/expressions";
import { asRecord } from "../providers/parse";
import { expressionMessage } from "../providers/settings";
import type { PageConvention } from "../providers/types";
import { primitiveText } from "./api-request";
import { asTokenError } from "./catchable-error";
import type { NodeDef, NodeMessage } from "./node-red";

export const PAGINATE_MODES = ["none", "preset", "expression"] as const;
export type Paginate = (typeof PAGINATE_MODES)[number];
export const DEFAULT_MAX_PAGES = 100;
/** msg.payload when `items` is left empty and no convention says where a page's items are. */
export const DEFAULT_ITEMS = "payload";

export interface PagesSettings {
  /** none: one call; preset: the provider's own convention; expression: the node's nextPage. */
  readonly paginate: Paginate;
  /** JSONata: the next request's changes (paginate expression). */
  readonly nextPage: string;
  /** JSONata: where a page's items are; "" = the convention's, else msg.payload. */
  readonly items: string;
  /** each: a message per page (with msg.parts); all: one message with every item. */
  readonly pageOutput: "each" | "all";
  /** The walk stops here (an error in `all`, a warning in `each`); NaN when the saved value is no whole number >= 1. */
  readonly maxPages: number;
}

function isPaginate(value: unknown): value is Paginate {
  return typeof value === "string" && (PAGINATE_MODES as readonly string[]).includes(value);
}

export function readPagesSettings(config: NodeDef): PagesSettings {
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const saved = config.maxPages;
  const maxPages = saved === undefined || saved === "" ? DEFAULT_MAX_PAGES : Number(saved);
  return {
    paginate: isPaginate(config.paginate) ? config.paginate : "none",
    nextPage: text(config.nextPage),
    items: text(config.items),
    pageOutput: config.pageOutput === "each" ? "each" : "all",
    maxPages: Number.isInteger(maxPages) && maxPages >= 1 ? maxPages : NaN,
  };
}

/** A setting the editor would refuse (a hand-edited or imported flow): the node does not start. */
export function pagesProblem(
  settings: PagesSettings,
  evaluator: ExpressionEvaluator,
  vendor: string,
): TokenError | undefined {
  if (settings.paginate === "none") return undefined;
  if (Number.isNaN(settings.maxPages))
    return new TokenError({ kind: "config", vendor, key: "api-max-pages-setting", params: { field: "maxPages" } });
  if (settings.paginate === "expression" && !settings.nextPage)
    return expressionError(vendor, "nextPage", "it is empty, and paginate by expression needs it");
  for (const field of ["nextPage", "items"] as const) {
    if (!settings[field]) continue;
    try {
      evaluator.check(settings[field]);
    } catch (err) {
      return expressionError(vendor, field, expressionMessage(err));
    }
  }
  return undefined;
}

/** The expressions a walk pages by: the node's own, or the provider's convention (its items unless the node sets them). */
export function pageExpressions(
  settings: PagesSettings,
  convention: PageConvention | undefined,
  vendor: string,
): PageConvention {
  if (settings.paginate === "expression")
    return { nextPage: settings.nextPage, items: settings.items || DEFAULT_ITEMS };
  if (!convention) throw new TokenError({ kind: "config", vendor, key: "api-paginate-preset" });
  return { nextPage: convention.nextPage, items: settings.items || convention.items };
}

/** One page's request as nextPage sees it: the URL without its query, the query by name, the body as sent. */
export interface PageRequest {
  readonly url: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly body: unknown;
}

/** A URL's query by name: a name given twice holds an array. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
}

/** The first page's request: the planned call's URL split into its path and query, the message's body. */
export function firstPage(plannedUrl: string, body: unknown): PageRequest {
  const url = new URL(plannedUrl);
  const query = queryOf(url);
  url.search = "";
  url.hash = "";
  return { url: url.toString(), query, body };
}

const CHANGE_NAMES: ReadonlySet<string> = new Set(["url", "query", "body"]);

/**
 * The next request from nextPage's answer, or undefined to stop (nothing, null or false). `url`
 * replaces the URL (a query alone keeps it) and with it the query (the new URL's own, if any);
 * `query`'s entries then replace those of the same name (null removes one); `body` replaces the body.
 */
export function nextRequest(previous: PageRequest, changes: unknown, vendor: string): PageRequest | undefined {
  if (changes === undefined || changes === null || changes === false) return undefined;
  const record = asRecord(changes);
  const unusable = () =>
    new TokenError({ kind: "config", vendor, key: "api-next-page", params: { value: describe(changes) } });
  if (!record || Object.keys(record).some((name) => !CHANGE_NAMES.has(name))) throw unusable();
  let { url, query } = previous;
  if (record.url !== undefined) {
    if (typeof record.url !== "string" || !record.url.trim()) throw unusable();
    // A relative URL is resolved later, as the node's own URL is (against the credentials' API URL).
    // A fragment is never sent, and a ? inside it starts no query (URL rules): it goes first.
    const text = record.url.trim().replace(/#[^]*$/, "");
    // As a browser's link: a query alone (`?cursor=...`) keeps the URL, a fragment alone keeps both.
    if (text) {
      const question = text.indexOf("?");
      url = question < 0 ? text : text.slice(0, question) || url;
      query = question < 0 ? {} : queryOf(new URL(`http://query.invalid/${text.slice(question)}`));
    }
  }
  if (record.query !== undefined) {
    const changed = asRecord(record.query);
    if (!changed) throw unusable();
    const merged: Record<string, string | string[]> = { ...query };
    for (const [name, value] of Object.entries(changed)) {
      if (value === null || value === undefined) delete merged[name];
      else merged[name] = queryValue(value) ?? throwError(unusable());
    }
    query = merged;
  }
  return { url, query, body: "body" in record ? record.body : previous.body };
}

function queryValue(value: unknown): string | string[] | undefined {
  if (!Array.isArray(value)) return primitiveText(value);
  const texts = value.map(primitiveText);
  return texts.every((text) => text !== undefined) ? texts : undefined;
}

function throwError(error: Error): never {
  throw error;
}

/** A short, non-secret picture of an unusable answer: its type and keys. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  const record = asRecord(value);
  // An object is refused for a field it holds (an unknown name, a bad url or query): it has one at least.
  if (record) return `an object with ${Object.keys(record).join(", ")}`;
  return `a ${typeof value}`;
}

function expressionError(vendor: string, field: "nextPage" | "items", detail: string): TokenError {
  return new TokenError({ kind: "config", vendor, key: "api-page-expression", params: { field, detail } });
}

/** One page as fetched: the message the caller made of its answer (payload, statusCode, headers). */
export interface Page {
  /** From 1. */
  readonly number: number;
  readonly msg: NodeMessage;
  readonly items: unknown[];
  /** No page follows: nextPage gave nothing, or maxPages was reached. */
  readonly last: boolean;
  /** maxPages was reached while nextPage still gave a next page. */
  readonly cut: boolean;
}

export interface Walk {
  readonly expressions: PageConvention;
  readonly maxPages: number;
  readonly evaluator: ExpressionEvaluator;
  /** Aborted on close: no page is fetched after it. */
  readonly signal: AbortSignal;
  readonly vendor: string;
}

/** Each page in order, fetched by `fetch` (which throws on a refused call); an error names its page. */
export async function* walkPages(
  first: PageRequest,
  fetch: (request: PageRequest, number: number) => Promise<NodeMessage>,
  walk: Walk,
): AsyncGenerator<Page> {
  let request: PageRequest | undefined = first;
  for (let number = 1; request; number++) {
    if (walk.signal.aborted) throw new TokenError({ kind: "aborted", vendor: walk.vendor, key: "aborted" });
    const current: PageRequest = request;
    const msg = await onPage(number, walk.vendor, () => fetch(current, number));
    const { items, next } = await onPage(number, walk.vendor, async () => {
      const found = await evaluate(walk, "items", msg);
      const response = { statusCode: msg.statusCode, headers: msg.headers, body: msg.payload };
      const changes = await evaluate(walk, "nextPage", { request: current, response, page: number });
      return { items: itemsOf(found), next: nextRequest(current, changes, walk.vendor) };
    });
    const cut = next !== undefined && number >= walk.maxPages;
    yield { number, msg, items, last: next === undefined || cut, cut };
    request = cut ? undefined : next;
  }
}

/** What `items` gave as a list: nothing is no items, a list its items, anything else one item. */
function itemsOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

async function evaluate(walk: Walk, field: "nextPage" | "items", input: unknown): Promise<unknown> {
  try {
    return await walk.evaluator.evaluate(walk.expressions[field], input, {});
  } catch (err) {
    if (walk.signal.aborted) throw new TokenError({ kind: "aborted", vendor: walk.vendor, key: "aborted" });
    // A limit reached (ExpressionLimitError) is an Error too.
    const detail = err instanceof Error ? err.message : String(err);
    throw expressionError(walk.vendor, field, detail);
  }
}

/** The work of one page, its error (any) naming the page. */
async function onPage<T>(number: number, vendor: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const error = asTokenError(err, vendor);
    if (error.kind === "aborted") throw error;
    throw new TokenError({ ...error.details, page: number });
  }
}
