// One error type for everything that can go wrong while obtaining a token. It carries what a
// user needs to act (vendor, HTTP status, vendor code, request id, a hint) and an i18n key so the
// Node-RED side can show it in the editor's language. It never carries a secret: messages are
// built from catalog templates and non-secret parameters only, and `cause` is never attached.
import { formatMessage, type MessageParams } from "./messages";

export type TokenErrorKind =
  | "vendor" // the vendor answered with an error code
  | "response" // the answer could not be understood (HTML, bad JSON, missing token ...)
  | "http" // an HTTP error status without a vendor code
  | "network" // connection refused, DNS, TLS, reset
  | "timeout"
  | "too-large"
  | "config" // our own configuration is unusable (bad URL, plain HTTP, missing credential)
  | "aborted"; // the node was closed while the request was in flight

export interface TokenErrorDetails {
  kind: TokenErrorKind;
  vendor: string;
  key: string;
  params?: MessageParams;
  httpStatus?: number;
  code?: string;
  requestId?: string;
  /** The vendor asked us to wait this long before trying again (Retry-After). */
  retryAfterMs?: number;
}

export class TokenError extends Error {
  readonly kind: TokenErrorKind;
  readonly vendor: string;
  readonly key: string;
  readonly params: MessageParams;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;

  constructor(details: TokenErrorDetails) {
    const params: MessageParams = {
      vendor: details.vendor,
      status: details.httpStatus,
      code: details.code,
      ...details.params,
    };
    super(composeMessage(details.key, params, details.requestId));
    this.name = "TokenError";
    this.kind = details.kind;
    this.vendor = details.vendor;
    this.key = details.key;
    this.params = params;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Re-render the message with another catalog (the Node-RED runtime's language). */
  localize(translate: (key: string, params: MessageParams) => string): string {
    return composeMessage(this.key, this.params, this.requestId, translate);
  }
}

function composeMessage(
  key: string,
  params: MessageParams,
  requestId: string | undefined,
  translate: (key: string, params: MessageParams) => string = formatMessage,
): string {
  const text = translate(`errors.${key}`, params);
  return requestId ? `${text} ${translate("errors.request-id", { requestId })}` : text;
}
