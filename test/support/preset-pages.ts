// Every page of a preset's list call, walked the way issue #28's `paginate: preset` is to walk
// them, until that exists: the preset's nextPage over {request: {url, query, body}, response:
// {statusCode, headers, body}, page} (page from 1) gives the next request's url, query or body (each
// replacing the one before) or nothing, and its items expression picks each page's items out of
// the message. A page is sent by the caller (an api request node).
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
    const changes = (await expressionEvaluator.evaluate(nextPage, { request, response, page }, {})) as
      Partial<PageRequest> | undefined;
    request = changes === undefined ? undefined : { ...request, ...changes };
  }
  return { items, pages: page };
}
