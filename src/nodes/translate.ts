// RED._ in the runtime's language, falling back to the English catalog where the runtime has no
// catalog loaded (the test helper's RED._ returns the key itself).
import { formatMessage, type MessageParams } from "../messages";
import type { NodeAPI } from "./node-red";

export type Translate = (key: string, params?: MessageParams) => string;

/** One per runtime: what is remembered per translator (token-status.ts) outlives a deploy. */
const translators = new WeakMap<NodeAPI, Translate>();

export function translator(RED: NodeAPI): Translate {
  let t = translators.get(RED);
  if (!t) {
    t = (key, params = {}) => {
      const text = RED._(key, params);
      return !text || text === key || text.endsWith(`:${key}`) ? formatMessage(key, params) : text;
    };
    translators.set(RED, t);
  }
  return t;
}
