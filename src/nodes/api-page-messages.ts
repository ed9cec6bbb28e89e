// What the api request node sends of the pages it walks (src/nodes/api-pages.ts): in `each` mode a
// message per page with msg.parts, as the split node gives them, so a join node in automatic mode
// puts the pages' items back into one list; in `all` mode one message holding every item in order,
// or nothing when a page fails or maxPages cuts the list short.
import { randomUUID } from "node:crypto";
import { TokenError } from "../errors";
import type { Page } from "./api-pages";
import type { NodeMessage } from "./node-red";

export interface PageOutput {
  readonly mode: "each" | "all";
  /** Sends a page's message before the walk ends (the last one is the walk's outcome). */
  readonly send: (msg: NodeMessage) => void;
  /** `each` mode: maxPages was reached with pages still to come (told once per walk). */
  readonly warnCut: (pages: number) => void;
  /** How errors name the vendor and the call ("GET /path"). */
  readonly vendor: string;
  readonly call: string;
}

/** The message the walk ends with: the last page's (`each`) or every item's (`all`). */
export async function pageMessages(
  pages: AsyncIterable<Page>,
  input: NodeMessage,
  out: PageOutput,
): Promise<NodeMessage> {
  const id = randomUUID();
  const all: unknown[] = [];
  for await (const page of pages) {
    if (out.mode === "all") {
      for (const item of page.items) all.push(item);
      if (!page.last) continue;
      if (page.cut) throw maxPagesError(out, page.number);
      page.msg.payload = all;
      return page.msg;
    }
    page.msg.payload = page.items;
    page.msg.parts = {
      id,
      // The join node concatenates its parts' arrays when `len` (a split node's chunk size) is over 1.
      type: "array",
      index: page.number - 1,
      len: Math.max(page.items.length, 2),
      // Known once nextPage gives nothing: the last page says how many there were.
      ...(page.last ? { count: page.number } : {}),
      // A message that was itself a part keeps its place, as the split node nests parts.
      ...(input.parts !== undefined ? { parts: input.parts } : {}),
    };
    if (!page.last) {
      out.send(page.msg);
      continue;
    }
    if (page.cut) out.warnCut(page.number);
    return page.msg;
  }
  // walkPages ends only after a page marked last, or by throwing.
  throw new Error("the walk ended without a last page");
}

function maxPagesError(out: PageOutput, pages: number): TokenError {
  return new TokenError({ kind: "api", vendor: out.vendor, key: "api-max-pages", params: { call: out.call, pages } });
}
