// Fault injection: which misbehaviour each endpoint owes its next requests, and how to serve it.
import type { ServerResponse } from "node:http";
import { writeReply } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import {
  ENDPOINTS,
  TOKEN_ENDPOINTS,
  isTokenServer,
  type Endpoint,
  type Fault,
  type ServerId,
  type SimRequest,
} from "./types";

export const DEFAULT_HUGE_BYTES = 10 * 1024 * 1024;
const MAX_HUGE_BYTES = 1024 * 1024 * 1024;

function fail(msg: string): never {
  throw new TypeError(`invalid fault: ${msg}`);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/** Checks a fault from code or from the control API; throws TypeError with the reason. */
export function validateFault(value: unknown): Fault {
  if (value === null || typeof value !== "object") fail("not an object");
  const f = value as Record<string, unknown>;
  switch (f.kind) {
    case "status":
      // No 1xx: an interim response would leave the client waiting for the real one.
      if (!isInt(f.status, 200, 599)) fail("status must be an integer 200..599");
      if (f.retryAfter !== undefined && !(typeof f.retryAfter === "number" && f.retryAfter >= 0))
        fail("retryAfter must be >= 0");
      if (f.body !== undefined && typeof f.body !== "string") fail("body must be a string");
      break;
    case "slow":
      if (!(typeof f.ms === "number" && Number.isFinite(f.ms) && f.ms >= 0)) fail("ms must be a number >= 0");
      break;
    case "huge-body":
      if (f.bytes !== undefined && !isInt(f.bytes, 1, MAX_HUGE_BYTES)) fail("bytes must be an integer 1..1 GiB");
      break;
    case "wrong-shape":
      if (f.shape !== undefined && f.shape !== "array" && f.shape !== "string")
        fail('shape must be "array" or "string"');
      break;
    case "token":
      if (f.token !== undefined && typeof f.token !== "string") fail("token must be a string");
      break;
    case "vendor-error":
      if (typeof f.code !== "string" && typeof f.code !== "number") fail("code must be a string or a number");
      if (f.msg !== undefined && typeof f.msg !== "string") fail("msg must be a string");
      if (f.httpStatus !== undefined && !isInt(f.httpStatus, 200, 599)) fail("httpStatus must be an integer 200..599");
      break;
    case "html":
    case "truncated-json":
    case "missing-fields":
    case "reset":
      break;
    default:
      fail(`unknown kind ${JSON.stringify(f.kind)}`);
  }
  return f as unknown as Fault;
}

interface Entry {
  fault: Fault;
  remaining: number;
}

/** Per endpoint, a queue: the first fault is served `times` times, then the next one takes over. */
export class FaultTable {
  private readonly queues = new Map<Endpoint, Entry[]>();

  add(endpoint: Endpoint, fault: Fault, times?: number): void {
    if (!ENDPOINTS.includes(endpoint)) throw new TypeError(`unknown endpoint ${JSON.stringify(endpoint)}`);
    if (times !== undefined && !isInt(times, 1, Number.MAX_SAFE_INTEGER))
      throw new TypeError("times must be an integer >= 1");
    const queue = this.queues.get(endpoint) ?? [];
    queue.push({ fault: validateFault(fault), remaining: times ?? Infinity });
    this.queues.set(endpoint, queue);
  }

  /** The fault the next request gets, if any (and one use of it is spent). */
  take(endpoint: Endpoint): Fault | undefined {
    const queue = this.queues.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queues.clear();
  }
}

export interface FaultContext {
  res: ServerResponse;
  req: SimRequest;
  state: SimState;
  provider: ServerId;
  module: ProviderModule;
}

const HTML_502 =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center></body></html>\n";

/** Waits `ms`, or less if the connection goes away (close() destroys it), never holding the process. */
function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on("close", done);
  });
}

function waitDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** A valid JSON document of exactly `bytes` bytes (when bytes allows), sent chunked without buffering it. */
async function streamHuge(res: ServerResponse, bytes: number): Promise<void> {
  const head = Buffer.from('{"code":0,"msg":"","data":{"padding":"');
  const tail = Buffer.from('"}}');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.write(head);
  let left = Math.max(0, bytes - head.length - tail.length);
  while (left > 0) {
    if (res.destroyed) return;
    const n = Math.min(left, chunk.length);
    left -= n;
    if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await waitDrain(res);
  }
  if (!res.destroyed) res.end(tail);
}

/** Headers and the first half of a success body, then the socket is destroyed. */
function resetMidBody(ctx: FaultContext): void {
  const body = Buffer.from(JSON.stringify(ctx.module.sample(ctx.state, ctx.req, undefined)), "utf8");
  ctx.res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) });
  ctx.res.write(body.subarray(0, Math.floor(body.length / 2)), () => ctx.res.socket?.destroy());
}

/** Seconds a "token" fault's token lives: its expiresIn when that reads as positive seconds. */
function lifetimeOf(expiresIn: unknown, fallback: number): number {
  const n = typeof expiresIn === "number" ? expiresIn : typeof expiresIn === "string" ? Number(expiresIn) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Serves a fault. Resolves "continue" when the normal handler should still answer (after "slow"),
 * "done" when the response has been dealt with.
 */
export async function serveFault(fault: Fault, ctx: FaultContext): Promise<"continue" | "done"> {
  const { res, req, state, module } = ctx;
  const ok = (value: unknown, raw?: string, headers: Record<string, string> = {}): void => {
    const body = raw ?? JSON.stringify(value);
    writeReply(res, { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body });
  };
  switch (fault.kind) {
    case "slow":
      await sleep(fault.ms, res);
      return res.destroyed ? "done" : "continue";
    case "status": {
      const isJson = fault.body === undefined || /^\s*[[{"]/.test(fault.body);
      const headers: Record<string, string> = {
        "content-type": isJson ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      };
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
      const body =
        fault.body ??
        JSON.stringify({ error: "simulated", status: fault.status, message: `simulated HTTP ${fault.status}` });
      writeReply(res, { status: fault.status, headers, body });
      return "done";
    }
    case "html":
      writeReply(res, { status: 502, headers: { "content-type": "text/html; charset=utf-8" }, body: HTML_502 });
      return "done";
    case "truncated-json": {
      const text = JSON.stringify(module.sample(state, req, undefined));
      ok(undefined, text.slice(0, Math.floor(text.length / 2)));
      return "done";
    }
    case "missing-fields":
      ok(module.sample(state, req, null));
      return "done";
    case "wrong-shape":
      ok(fault.shape === "string" ? "unexpected response" : [module.sample(state, req, undefined)]);
      return "done";
    case "huge-body":
      await streamHuge(res, fault.bytes ?? DEFAULT_HUGE_BYTES);
      return "done";
    case "reset":
      resetMidBody(ctx);
      return "done";
    case "token": {
      // Only token endpoints carry a token; elsewhere this fault is a plain success.
      if (!TOKEN_ENDPOINTS.includes(req.endpoint) || !isTokenServer(ctx.provider)) {
        ok(module.sample(state, req, undefined));
        return "done";
      }
      // The token is real: API calls made with it succeed until it expires.
      const lifetime = lifetimeOf(fault.expiresIn, state.lifetimes[ctx.provider]);
      const rec = state.issue(ctx.provider, module.accountFor(state, req), fault.token, lifetime);
      const expiresIn = fault.expiresIn !== undefined ? fault.expiresIn : state.lifetimes[ctx.provider];
      ok(module.sample(state, req, { value: rec.token, expiresIn }), undefined, module.tokenHeaders?.(rec.token));
      return "done";
    }
    case "vendor-error":
      writeReply(res, module.vendorError(req, fault.code, fault.msg, fault.httpStatus));
      return "done";
  }
}
