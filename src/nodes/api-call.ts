// The auth headers a message needs for the API call that follows. For EnOS that call is signed over
// its exact body, so an object payload is serialized here, once, and the http request node then
// sends those very bytes.
import * as querystring from "node:querystring";
import { TokenError } from "../errors";
import { TOKEN_ONLY, type Account, type PlannedRequest } from "../account/account";
import { replaceHeaders } from "../providers/bound";
import { asRecord } from "../providers/parse";
import type { VendorRequest } from "../providers/types";
import type { Token } from "../token";
import type { NodeMessage } from "./node-red";
import { isResponseHeaders } from "./response-headers";

/** The core http request node sends no body for these (its default "ignore" payload option). */
const BODYLESS = new Set(["GET", "HEAD"]);

/** Who adds the auth headers: the account, which keeps the secret they may be signed with. */
export type AuthSource = Pick<Account, "authorize" | "authorizeTokenOnly" | "provider">;

/**
 * msg.headers with what proves the account for the call that follows (EnOS: signed over that call;
 * custom's sign may add query entries and body fields too, so msg.url and msg.payload become what
 * was signed). A promise only when authorize evaluates an expression.
 */
export function applyAuthHeaders(msg: NodeMessage, account: AuthSource, token: Token): Promise<void> | undefined {
  const given = asRecord(msg.headers);
  // A response's headers (a retry loop sends them back) are not this request's: start afresh.
  const headers: Record<string, unknown> = given && !isResponseHeaders(given) ? { ...given } : {};
  let call: PlannedRequest = TOKEN_ONLY;
  let authorized: VendorRequest | Promise<VendorRequest>;
  if (account.provider.signsApiCalls) {
    call = signedCall(msg, headers, account.provider.vendor);
    authorized = account.authorize(call, token);
  } else authorized = account.authorizeTokenOnly(token);
  if (authorized instanceof Promise) return authorized.then((sent) => applySent(msg, headers, call, sent));
  applySent(msg, headers, call, authorized);
  return undefined;
}

function applySent(
  msg: NodeMessage,
  headers: Record<string, unknown>,
  call: PlannedRequest,
  sent: VendorRequest,
): void {
  msg.headers = replaceHeaders(headers, { ...sent.headers });
  if (sent.url !== call.url) msg.url = sent.url;
  if (sent.body !== call.body) msg.payload = sent.body;
}

function signedCall(msg: NodeMessage, headers: Record<string, unknown>, vendor: string): PlannedRequest {
  if (typeof msg.url !== "string" || !/^https?:\/\//i.test(msg.url)) {
    throw new TokenError({ kind: "config", vendor, key: "sign-needs-url" });
  }
  const method = (typeof msg.method === "string" && msg.method ? msg.method : "GET").toUpperCase();
  const url = msg.url;
  // The message's own headers go too: a sign expression reads them (its body's type among them).
  const call = (body: string | Buffer) => ({ method, url, headers: textHeaders(headers), body });
  if (BODYLESS.has(method) || msg.payload === undefined) return call("");
  if (Buffer.isBuffer(msg.payload)) return call(msg.payload);
  // Serialize here, as the http request node would, so that the bytes signed are the bytes sent
  // (a text is itself).
  const body = serializeBody(msg.payload, headers);
  msg.payload = body;
  return call(body);
}

/** The headers that are texts (or numbers): what a request sends of them. */
function textHeaders(headers: Record<string, unknown>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string" || typeof value === "number") texts[name] = String(value);
  }
  return texts;
}

/**
 * A payload as the bytes a request sends, as the core http request node serializes it: an object
 * as JSON (and content-type application/json when none is set), or form-encoded when the
 * content-type says so; anything else as its text. Sets the content-type in `headers` if needed.
 */
export function serializeBody(payload: unknown, headers: Record<string, unknown>): string {
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (typeof payload !== "object") {
    return String(payload); // eslint-disable-line @typescript-eslint/no-base-to-string -- a number or boolean: objects are below
  }
  if (contentType === undefined) headers["content-type"] = "application/json";
  return contentType === "application/x-www-form-urlencoded"
    ? querystring.stringify(payload as querystring.ParsedUrlQueryInput)
    : JSON.stringify(payload);
}
