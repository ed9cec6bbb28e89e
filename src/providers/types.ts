// The contract every provider adapter fulfils. Adapters are pure descriptions: they build the
// token request, parse the answer and say how the token is presented on API calls. No Node-RED,
// no I/O, no clock reads (time comes in as an argument).
import type { HintKey } from "../errors";

export type ProviderId = "orionstar" | "enos" | "oneaccess";

export type Credentials = Record<string, string | undefined>;

export interface TokenRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Values that must never surface in an error, a log or a status (the http layer redacts them). */
  secrets: string[];
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What an API call's answer means (read by the provider, see api-answer.ts). */
export type ApiVerdict =
  | { readonly outcome: "ok" }
  | { readonly outcome: "token-rejected"; readonly code?: string; readonly text?: string }
  | {
      readonly outcome: "error";
      /** The vendor's code, else undefined (the HTTP status then says it). */
      readonly code?: string;
      /** The vendor's own words, as it sent them (redacted and cut by the caller). */
      readonly text?: string;
      /** The vendor asked to wait this long (429/503 with Retry-After). */
      readonly retryAfterMs?: number;
    };

export interface ParsedToken {
  token: string;
  /** Seconds the vendor says the token stays valid, counted from when the answer arrived. */
  expiresIn: number;
  /** The vendor's expires_in when it claimed more than a day and expiresIn was capped (it may have sent ms). */
  cappedFrom?: number;
}

/** An outgoing API call, for providers whose auth headers depend on it (EnOS signs each call). */
export interface ApiCall {
  method: string;
  url: string;
  /** The exact bytes that will be sent as the body ("" or undefined for none). */
  body?: string | Uint8Array;
}

/** What the editor needs beyond the fields to build a provider's credentials dialog (handed to it by the build). */
export interface CredentialsForm {
  /** The URL a new credentials node starts with ("" = the user types one). */
  readonly defaultBaseUrl: string;
  /** Named hosts offered in a picker (OrionStar's regions); any other URL is "custom". */
  readonly regions?: Readonly<Record<string, string>>;
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  /** The credentials config node type ("orionstar-credentials"): also its catalog namespace. */
  readonly configType: string;
  readonly form: CredentialsForm;
  /** The vendor's name as users know it, for messages. */
  readonly vendor: string;
  /** Credential field names, as stored in the config node; the secret ones are listed apart. */
  readonly credentialFields: readonly string[];
  readonly secretFields: readonly string[];
  /** The catalog keys of this provider's own hints (errors.<key>): every one has a text in every language. */
  readonly hints: readonly HintKey[];
  /** Whether authHeaders needs the outgoing call (EnOS signs every request). */
  readonly signsApiCalls: boolean;
  tokenRequest(baseUrl: string, credentials: Credentials, now: number): TokenRequest;
  parseToken(response: RawResponse): ParsedToken;
  authHeaders(token: string, credentials: Credentials, call: ApiCall | undefined, now: number): Record<string, string>;
  /** What an API call's answer means: ok, the token no longer valid (refresh and resend once), or a vendor error. */
  judgeApiResponse(response: RawResponse): ApiVerdict;
  /** A non-secret name of the account, so a cached entry is never used for another one. */
  accountId(baseUrl: string, credentials: Credentials): string;
}
