// Alibaba's RPC answers in the `Format` the request asked for: JSON, or XML (the default), where
// an array is its element repeated and the root is `<Action>Response` (or `Error`).
import { json } from "./http-util";
import type { Reply } from "./types";

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", "'": "apos", '"': "quot" }[c]};`);
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join("");
  if (value !== null && typeof value === "object") {
    const inner = Object.entries(value).map(([k, v]) => element(k, v));
    return `<${name}>${inner.join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(value === null || value === undefined ? "" : String(value))}</${name}>`;
}

export function toXml(root: string, value: object): string {
  return `<?xml version='1.0' encoding='UTF-8'?>${element(root, value)}`;
}

/** `format` as the request gave it: "JSON" (any case) answers JSON, anything else XML. */
export function aliyunReply(status: number, format: string | null, root: string, value: object): Reply {
  if (format?.toUpperCase() === "JSON") return json(status, value);
  return { status, headers: { "content-type": "text/xml;charset=utf-8" }, body: toXml(root, value) };
}
