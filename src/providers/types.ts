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

/** The time and random value of one request, the same in every expression evaluated for it. */
export interface RequestStamp {
  readonly timestamp: number;
  readonly nonce: string;
}

export interface TokenRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Values that must never surface in an error, a log or a status (the http layer redacts them). */
  secrets: string[];
  /** Set when expressions built the request: its authorize step evaluates with the same values. */
  stamp?: RequestStamp;
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
  /** A refresh token that came with it: a secret, held in memory only. */
  refreshToken?: string;
  /** The base URL the answer names for API calls (EZVIZ's areaDomain): relative paths join it. */
  apiBase?: string;
  /** A user's sign-in: the account's name the answer gives (its ID token's claims), for display only. */
  accountName?: string;
}

/** The steps of a user's sign-in (oauth2's authorization code grant with PKCE): no token request without one. */
export interface SignInSteps {
  /** Where the browser signs in: the authorization endpoint with these values (RFC 6749 4.1.1, RFC 7636 4.3). */
  authorizationRedirect(redirectUri: string, state: string, verifier: string): string;
  /** The code's exchange for the first token (RFC 6749 4.1.3, RFC 7636 4.5), the client authenticated as for every request. */
  codeRequest(code: string, redirectUri: string, verifier: string, now: number): TokenRequest | Promise<TokenRequest>;
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
  /** How the dialog shows some credential fields (the others: one line, always shown and required). */
  readonly credentials?: Readonly<Record<string, CredentialInput>>;
  /** A user's sign-in: its rows (the redirect URI, the Sign in button) shown while the grant that signs in is chosen. */
  readonly signIn?: ShownWhen;
}

/**
 * A dialog row that is shown only while a select property of the dialog has one of these values
 * (oauth2's client secret for the client authentications that use one). A hidden credential is not
 * required, and the runtime does not ask for it either.
 */
export interface ShownWhen {
  readonly property: string;
  readonly values: readonly string[];
}

/** How the dialog asks for one credential field. */
export interface CredentialInput {
  /** Several lines (a PEM key): a text area. */
  readonly multiline?: boolean;
  readonly shownWhen?: ShownWhen;
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
  readonly shownWhen?: ShownWhen;
}

/** The config node's saved properties, as Node-RED hands them to the runtime. */
export type ConfigProperties = Readonly<Record<string, unknown>>;

/** Why a request goes to the vendor: a token request, a refresh with a refresh token, or an API call. */
export type RequestPurpose = "token" | "refresh" | "api";

/**
 * A request to the vendor as it would be sent before the provider's authorize step adds what proves
 * the account (a token header, a signature): every request of the package passes that one step.
 */
export interface VendorRequest {
  readonly purpose: RequestPurpose;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes that will be sent ("" or undefined for none). */
  readonly body?: string | Uint8Array;
  /** The request's time and random value, when expressions already used them (its token request). */
  readonly stamp?: RequestStamp;
}

/**
 * One provider bound to one account's settings and credentials (adapter.bind): everything a token
 * source and an API call need of the provider, with nothing left to pass back in. Pure as the
 * adapter is: time comes in as an argument; nothing of it changes after binding but the auth work
 * done once per token (prepare).
 */
export interface BoundProvider {
  /** The vendor's name as users know it, for messages. */
  readonly vendor: string;
  /** A non-secret name of the account, so a cached entry is never used for another one. */
  readonly accountId: string;
  /** Every credential field and its value, in the adapter's order: the account key's fingerprint input. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** The account's secret credential values, masked from every error. */
  readonly secrets: readonly string[];
  /** Whether authorize needs the API call's method, URL and body (EnOS signs every request). */
  readonly signsApiCalls: boolean;
  /** The TLS client certificate proves the client (oauth2 tls_client_auth): the TLS node must hold one. */
  readonly needsClientCertificate?: boolean;
  /** No token endpoint: every API call is proven by authorize alone (custom with an empty token URL). */
  readonly tokenless?: boolean;
  /** The token answer names the API's base URL (custom's apiBase): relative paths wait for it. */
  readonly givesApiBase?: boolean;
  /** A user's sign-in gives the tokens (authorization code): then a refresh token, never a token request. */
  readonly signIn?: SignInSteps;
  tokenRequest(now: number): TokenRequest | Promise<TokenRequest>;
  /** The request for a new token with a refresh token (providers whose answers give one). */
  refreshRequest?(refreshToken: string, now: number): TokenRequest | Promise<TokenRequest>;
  /** `receivedAt`: when the answer arrived (ms), for an answer that gives an absolute expiry time. */
  parseToken(response: RawResponse, receivedAt: number): ParsedToken | Promise<ParsedToken>;
  /**
   * Work the auth needs once per token, asynchronously (custom evaluates its authValue): awaited
   * before a token is used; authorize then answers synchronously.
   */
  prepare?(token: string): Promise<void>;
  /**
   * The request as sent: what proves the account added (for an API call the token's headers, which
   * replace any of the same name whatever its case; custom's sign expression for any request).
   * `token`: the access token of an API call, or the one a refresh replaces; undefined otherwise.
   * Asynchronous only where an expression is evaluated per request (custom's sign).
   */
  authorize(request: VendorRequest, token: string | undefined, now: number): VendorRequest | Promise<VendorRequest>;
  /** What an API call's answer means: ok, the token no longer valid (refresh and resend once), or a vendor error. */
  judgeApiResponse(response: RawResponse): ApiVerdict | Promise<ApiVerdict>;
  /** How the vendor pages its lists; undefined where it has no one convention (oauth2, custom without a preset). */
  readonly pagination?: PageConvention;
}

/**
 * A provider's own way of paging its list calls (the api request node's `paginate: preset`), in the
 * node's JSONata: `items` over a page's message (payload = the answer's body) gives that page's
 * items; `nextPage` over {request: {url, query, body}, response: {statusCode, headers, body}, page}
 * gives the next request's changes {url, query, body}, or nothing on the last page.
 */
export interface PageConvention {
  readonly items: string;
  readonly nextPage: string;
}

/** A provider that needs no asynchronous work (all but custom): no expressions to evaluate. */
export interface SyncBoundProvider extends BoundProvider {
  tokenRequest(now: number): TokenRequest;
  refreshRequest?(refreshToken: string, now: number): TokenRequest;
  parseToken(response: RawResponse, receivedAt: number): ParsedToken;
  authorize(request: VendorRequest, token: string | undefined, now: number): VendorRequest;
  judgeApiResponse(response: RawResponse): ApiVerdict;
}

/**
 * One provider. `S` is what the adapter reads from a config node's properties (`settings`): the base
 * URL for the vendors, a typed object for oauth2 and custom. It stays inside the adapter: what
 * leaves is the BoundProvider that bind() makes of it.
 */
export interface ProviderAdapter<S = unknown, B extends BoundProvider = BoundProvider> {
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
  /** Whether authorize needs the outgoing call (EnOS signs every request). */
  readonly signsApiCalls: boolean;
  /**
   * Read and check the config node's properties; a missing or bad one throws a config TokenError
   * naming it. The evaluator compiles and runs JSONata for the providers that use it.
   */
  settings(config: ConfigProperties, evaluator: ExpressionEvaluator): S;
  /** The provider for one account: these settings and credentials, secrets computed once. */
  bind(settings: S, credentials: Credentials): B;
}

/** The vendors (OrionStar, EnOS, OneAccess): settings = the base URL. */
export interface VendorAdapter<Id extends string = string> extends ProviderAdapter<string, SyncBoundProvider> {
  readonly id: Id;
}
