// The contract every provider adapter fulfils. Adapters are pure descriptions: they build the
// token request, parse the answer and say how the token is presented on API calls. No Node-RED,
// no I/O, no clock reads (time comes in as an argument). What differs between two config nodes of
// one provider (its URL, and for oauth2 and custom the scope or the JSONata expressions) is the
// adapter's settings: read from the config node's properties by the adapter itself.
import type { HintKey } from "../errors";
import type { ExpressionEvaluator } from "./expressions";

/** What an API call's answer means (the adapters' judgeApiResponse, see api-answer.ts). */
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
  /** The config node property that holds the URL: a base URL (the vendors) or a token endpoint (oauth2, custom). */
  readonly urlProperty: "baseUrl" | "tokenUrl";
  /**
   * The property holding the API's URL: what relative API paths join, and the first origin the
   * token may be sent to (src/api-origins.ts). The vendors' base URL; oauth2's and custom's apiUrl.
   */
  readonly apiUrlProperty: "baseUrl" | "apiUrl";
  /** The URL a new credentials node starts with ("" = the user types one). */
  readonly defaultBaseUrl: string;
  /** Named hosts offered in a picker (OrionStar's regions); any other URL is "custom". */
  readonly regions?: Readonly<Record<string, string>>;
  /** The provider's own properties beyond the URL, in the order the dialog shows them. */
  readonly properties?: readonly FormProperty[];
}

/** How the dialog asks for a property of the config node (not a credential). */
export type PropertyInput =
  | { readonly kind: "text" }
  | { readonly kind: "number"; readonly min: number }
  | { readonly kind: "select"; readonly options: readonly string[] }
  /** A JSONata expression, edited with the editor's expression editor (typedInput "jsonata"). */
  | { readonly kind: "jsonata" };

export interface FormProperty {
  /** The property name; its label is <configType>.label.<name>. */
  readonly name: string;
  readonly input: PropertyInput;
  /** The value a new config node starts with. */
  readonly default: string | number;
  readonly required: boolean;
}

/** The config node's saved properties, as Node-RED hands them to the runtime. */
export type ConfigProperties = Readonly<Record<string, unknown>>;

/**
 * One provider. `S` is what the adapter reads from a config node's properties (`settings`): the base
 * URL for the vendors, a typed object for oauth2 and custom. Token request and parsing may be
 * asynchronous (custom evaluates JSONata); the vendors' are synchronous.
 */
export interface ProviderAdapter<S = unknown> {
  /** The provider id: the get token node's `provider` value and its credentials property. */
  readonly id: string;
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
  /**
   * Read and check the config node's properties; a missing or bad one throws a config TokenError
   * naming it. The evaluator compiles and runs JSONata for the providers that use it.
   */
  settings(config: ConfigProperties, evaluator: ExpressionEvaluator): S;
  tokenRequest(settings: S, credentials: Credentials, now: number): TokenRequest | Promise<TokenRequest>;
  /** `receivedAt`: when the answer arrived (ms), for an answer that gives an absolute expiry time. */
  parseToken(
    response: RawResponse,
    settings: S,
    credentials: Credentials,
    receivedAt: number,
  ): ParsedToken | Promise<ParsedToken>;
  authHeaders(
    token: string,
    credentials: Credentials,
    call: ApiCall | undefined,
    now: number,
    settings: S,
  ): Record<string, string>;
  /**
   * Work the auth headers need once per token, asynchronously (custom evaluates its authValue):
   * awaited before a token is used; authHeaders then answers from it.
   */
  prepareAuth?(token: string, credentials: Credentials, settings: S): Promise<void>;
  /** What an API call's answer means: ok, the token no longer valid (refresh and resend once), or a vendor error. */
  judgeApiResponse(response: RawResponse): ApiVerdict;
  /** A non-secret name of the account, so a cached entry is never used for another one. */
  accountId(settings: S, credentials: Credentials): string;
}

/** The vendors (OrionStar, EnOS, OneAccess): settings = the base URL, and everything synchronous. */
export interface VendorAdapter<Id extends string = string> extends ProviderAdapter<string> {
  readonly id: Id;
  tokenRequest(baseUrl: string, credentials: Credentials, now: number): TokenRequest;
  parseToken(response: RawResponse): ParsedToken;
  authHeaders(token: string, credentials: Credentials, call: ApiCall | undefined, now: number): Record<string, string>;
}
