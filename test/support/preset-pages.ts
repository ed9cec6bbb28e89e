// Every page of a preset's list call, walked step by step by the test (one message to an api request
// node per page, so each page's answer can be looked at): the preset's nextPage over {request: {url,
// query, body}, response: {statusCode, headers, body}, page} (page from 1) gives the next request's
// changes, applied as the node's own `paginate: preset` applies them (nextRequest), or nothing; its
// items expression picks each page's items out of the message.
import { nextRequest, type PageRequest as NodePageRequest } from "../../src/nodes/api-pages";
import type { Preset } from "../../src/providers/presets";
import { expressionEvaluator } from "./expressions";

export interface PageRequest {
  url: string;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

export interface Walked {
  items: unknown[];
  pages: number;
}

export async function walkPages(
  preset: Preset,
  first: PageRequest,
  send: (request: PageRequest) => Promise<Record<string, any>>,
  maxPages = 20,
): Promise<Walked> {
  const { items: itemsOf, nextPage } = preset.pagination;
  const items: unknown[] = [];
  let request: PageRequest | undefined = first;
  let page = 0;
  while (request) {
    if (++page > maxPages) throw new Error(`${preset.id}: more than ${maxPages} pages`);
    const msg = await send(request);
    const found = await expressionEvaluator.evaluate(itemsOf, msg, {});
    items.push(...(Array.isArray(found) ? found : found === undefined ? [] : [found]));
    const response = { statusCode: msg.statusCode, headers: msg.headers, body: msg.payload };
    // The test's first query may hold numbers: sent as text all the same.
    const current = { query: {}, body: undefined, ...request } as NodePageRequest;
    const changes = await expressionEvaluator.evaluate(nextPage, { request: current, response, page }, {});
    const next = nextRequest(current, changes, preset.vendor);
    request = next && { url: next.url, query: { ...next.query }, body: next.body as PageRequest["body"] };
  }
  return { items, pages: page };
}
