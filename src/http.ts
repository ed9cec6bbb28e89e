// Every HTTP request to a vendor goes through here. It enforces the HTTPS rule, a timeout and a response
// size cap, routes through a proxy (the Node-RED `http proxy` node, or http_proxy/https_proxy/
// no_proxy from the environment as the core http request node does), applies TLS options (the
// Node-RED `tls-config` node), and turns every failure into a TokenError that holds no secret.
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { request, type Dispatcher } from "undici";
import { TokenError } from "./errors";
import { isLoopback } from "./loopback";
import { proxyForUrl, proxyNodeRoute, type ProxyOptions } from "./proxy";
import { ProxyRouter } from "./proxy-router";
import type { RawResponse } from "./providers/types";

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ProxySettings {
  url: string;
  /** Hosts reached directly, as in the Node-RED proxy node's "ignore hosts" list. */
  noProxy?: string[];
  username?: string;
  password?: string;
}

export type TlsSettings = Pick<
  ConnectionOptions,
  "ca" | "cert" | "key" | "pfx" | "passphrase" | "servername" | "rejectUnauthorized"
>;

/** Any request: a token request, or an API call made by the api request node. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** An answer as received: status, headers and the body's bytes (at most the cap). */
export interface HttpAnswer {
  status: number;
  headers: RawResponse["headers"];
  body: Buffer;
}

/** An answer as the providers read it (token answers, API verdicts): the body as text. */
export function rawResponse(answer: HttpAnswer): RawResponse {
  return { status: answer.status, headers: answer.headers, body: answer.body.toString("utf8") };
}

export interface HttpSettings {
  timeoutMs?: number;
  maxResponseBytes?: number;
  proxy?: ProxySettings;
  tls?: TlsSettings;
  /** Plain HTTP to a host that is not loopback: only when the user explicitly opted in. */
  allowInsecureHttp?: boolean;
  /** Without a proxy node: settings.js `proxyOptions`, applied to the environment's proxy variables. */
  proxyOptions?: ProxyOptions;
}

export class HttpClient {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly allowInsecureHttp: boolean;
  private readonly dispatcher: ProxyRouter;

  constructor(settings: HttpSettings = {}) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.allowInsecureHttp = settings.allowInsecureHttp ?? false;
    this.dispatcher = createDispatcher(settings);
  }

  /** Make the connection pools of these URLs' origins ahead of their first request (see ProxyRouter.prepare). */
  prepare(urls: readonly string[]): void {
    for (const url of urls) this.dispatcher.prepare(url);
  }

  /** Send a token request; resolve with status, headers and body text, or reject with a TokenError. */
  async send(outgoing: OutgoingRequest, vendor: string, signal?: AbortSignal): Promise<RawResponse> {
    return rawResponse(await this.exchange(outgoing, vendor, signal));
  }

  /**
   * Send one request; resolve with the answer, or reject with a TokenError. maxBytes caps the body
   * (the token cap unless an API call asks for its own).
   */
  async exchange(
    outgoing: OutgoingRequest,
    vendor: string,
    signal?: AbortSignal,
    maxBytes = this.maxResponseBytes,
  ): Promise<HttpAnswer> {
    const target = this.checkUrl(outgoing.url, vendor);
    const host = target.host;
    if (signal?.aborted) throw new TokenError({ kind: "aborted", vendor, key: "aborted" });

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await request(target, {
        method: outgoing.method,
        headers: outgoing.headers,
        body: outgoing.body,
        dispatcher: this.dispatcher,
        signal: timeout.signal,
      });
      const body = await readBody(response, vendor, maxBytes);
      return { status: response.statusCode, headers: response.headers, body };
    } catch (err) {
      if (err instanceof TokenError) throw err;
      if (signal?.aborted) throw new TokenError({ kind: "aborted", vendor, key: "aborted" });
      if (timeout.signal.aborted) {
        throw new TokenError({
          kind: "timeout",
          vendor,
          key: "timeout",
          params: { host, seconds: this.timeoutMs / 1000 },
        });
      }
      throw networkError(err, vendor, host, this.dispatcher.proxyFor(target));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Close every pooled connection: nothing may outlive a redeploy. */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }

  private checkUrl(url: string, vendor: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new TokenError({ kind: "config", vendor, key: "bad-url" });
    }
    if (target.protocol === "https:") return target;
    if (target.protocol === "http:" && (this.allowInsecureHttp || isLoopback(target.hostname))) return target;
    throw new TokenError({ kind: "config", vendor, key: "https-required", params: { host: target.host } });
  }
}

/** The body's bytes, or a too-large error as soon as they pass the cap (the rest is not read). */
async function readBody(response: Dispatcher.ResponseData, vendor: string, maxBytes: number): Promise<Buffer> {
  const { body, statusCode } = response;
  const tooLarge = () => {
    // Unread, the body's destroy error would have no listener: it is the answer refused, nothing more.
    body.on("error", () => undefined);
    body.destroy();
    return new TokenError({
      kind: "too-large",
      vendor,
      key: "too-large",
      httpStatus: statusCode,
      params: { limit: `${Math.round(maxBytes / 1024)} KiB` },
    });
  };
  // A declared length is all undici reads (more would be the next answer): within the cap, the body
  // is taken in one go, which a cold message feels (iterating it costs a tenth of a millisecond more).
  const declared = declaredLength(response.headers["content-length"]);
  if (declared !== undefined && declared > maxBytes) throw tooLarge();
  if (declared !== undefined) {
    const bytes = await body.bytes();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Content-Length as a number of bytes, if the answer declares one. undici refuses any other character
 * in it, but passes trailing spaces on, which are no part of the value (RFC 9110 5.5).
 */
function declaredLength(header: string | string[] | undefined): number | undefined {
  return typeof header === "string" && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
}

/**
 * Each request direct or through its proxy, as the core http request node routes it: the proxy
 * node's URL and ignore list when one is selected, else the environment's variables (read now:
 * a change takes effect on the next deploy, as for core).
 */
function createDispatcher(settings: HttpSettings): ProxyRouter {
  const tls = settings.tls ?? {};
  const proxy = settings.proxy;
  if (proxy) {
    const route = proxyNodeRoute(new URL(proxy.url).toString(), proxy.noProxy ?? []);
    return new ProxyRouter(route, tls, proxyAuthorization(proxy));
  }
  const env = { ...process.env };
  return new ProxyRouter((target) => proxyForUrl(target, env, settings.proxyOptions), tls);
}

/**
 * The proxy node's user and password, sent when either is set, as the core http request node does
 * (undici's own reading of user:password in the URL needs both). Without them, a user:password in
 * the proxy URL itself applies.
 */
function proxyAuthorization(proxy: ProxySettings): string | undefined {
  const username = proxy.username ?? "";
  const password = proxy.password ?? "";
  if (!username && !password) return undefined;
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|SSL_|HANDSHAKE|ALTNAME/i;
/** Failures to reach an endpoint at all: through a proxy, the only endpoint we reach is the proxy. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
]);

/**
 * Whether a connection failure names the proxy's own host and port, i.e. the proxy, not the vendor,
 * could not be reached (behind a proxy the vendor's unreachability comes back as a proxy status).
 */
function failedAtProxy(err: unknown, proxyUrl: string | undefined): URL | undefined {
  let proxy: URL;
  try {
    if (!proxyUrl) return undefined;
    proxy = new URL(proxyUrl);
  } catch {
    return undefined;
  }
  const cause = innermost(err) as { hostname?: unknown; address?: unknown; port?: unknown };
  const host = proxy.hostname.replace(/^\[|\]$/g, "");
  if (typeof cause.hostname === "string") return cause.hostname === host ? proxy : undefined;
  const port = Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80));
  return cause.port === port && (isIP(host) === 0 || cause.address === host) ? proxy : undefined;
}

/**
 * Map a low-level failure to a message by its code only: undici's texts may carry the URL. `proxyUrl`
 * is the proxy the request went through, if any.
 */
export function networkError(err: unknown, vendor: string, host: string, proxyUrl: string | undefined): TokenError {
  const code = errorCode(err) ?? "UNKNOWN";
  const proxy = UNREACHABLE_CODES.has(code) ? failedAtProxy(err, proxyUrl) : undefined;
  if (proxy) {
    // The origin only: a proxy URL may carry a user name and password.
    return new TokenError({
      kind: "network",
      vendor,
      key: "proxy-unreachable",
      params: { host, errno: code, proxy: proxy.origin },
    });
  }
  // undici's ProxyAgent refusing a tunnel: "Proxy response (407) !== 200 when HTTP Tunneling".
  const proxyStatus = err instanceof Error ? /Proxy response \((\d+)\)/.exec(err.message)?.[1] : undefined;
  const key =
    code === "ECONNREFUSED"
      ? "connection-refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "dns"
        : TLS_CODES.test(code)
          ? "tls"
          : code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE"
            ? "connection-reset"
            : proxyStatus !== undefined
              ? "proxy"
              : "network";
  return new TokenError({ kind: "network", vendor, key, params: { host, errno: code, proxyStatus } });
}

function errorCode(err: unknown): string | undefined {
  const code = (innermost(err) as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** undici wraps the socket error; the useful code (and host, port) is on the innermost cause that has a code. */
function innermost(err: unknown): object {
  let current: unknown = err;
  let found: object = {};
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    if (typeof (current as { code?: unknown }).code === "string") found = current;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
