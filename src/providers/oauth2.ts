// Any OAuth2 authorization server, client credentials grant (RFC 6749 4.4): Keycloak, Entra ID,
// Auth0, Siemens Insights Hub, Bosch IoT Suite ... The request is 4.4.2, the client authenticates
// as 2.3.1 (HTTP Basic by default, or in the body), the answer is read as 5.1 and errors as 5.2.
import { signInRequired, TokenError } from "../errors";
import { bearerHeaders, bearerVerdict } from "./api-answer";
import { codeOf, hints, httpError, isTransientStatus, parseJsonOrHttpError, textOf, validToken } from "./parse";
import { SettingsReader } from "./settings";
import { API_HOSTS, API_URL } from "./url";
import { accountParts, headerAuthorize } from "./bound";
import { AUTHORIZATION_CODE, accountNameOf, authorizationRedirect, codeExchangeForm } from "./oauth2-authorization-code";
import type {
  SyncBoundProvider,
  ConfigProperties,
  Credentials,
  ParsedToken,
  ProviderAdapter,
  RawResponse,
  TokenRequest,
} from "./types";

const VENDOR = "OAuth2";
/** RFC 6749 5.2 error codes with a hint of their own (errors.oauth2.<code>). */
const HINTS = hints("oauth2", ["invalid_client", "invalid_scope", "unauthorized_client", "unsupported_grant_type"]);
const CLIENT_AUTH = ["basic", "body"] as const;
/** RFC 6749 grants: 4.4 client credentials (the default) and 4.1 authorization code (a user's sign-in, with PKCE). */
const GRANTS = ["client_credentials", AUTHORIZATION_CODE] as const;
export const DEFAULT_LIFETIME_SECONDS = 3600;

export interface OAuth2Settings {
  readonly tokenUrl: string;
  readonly grant: (typeof GRANTS)[number];
  /** authorization_code: the authorization endpoint the browser signs in at (4.1.1); "" otherwise. */
  readonly authorizationUrl: string;
  /** authorization_code: the config node's id. A user's sign-in belongs to this node alone. */
  readonly signInNode: string;
  /** basic = client_secret_basic (2.3.1, the default); body = client_secret_post. */
  readonly clientAuth: (typeof CLIENT_AUTH)[number];
  /** Space-separated scopes, "" for none. */
  readonly scope: string;
  readonly audience: string;
  readonly resource: string;
  /** Seconds assumed when the answer has no expires_in. */
  readonly lifetime: number;
}

/** application/x-www-form-urlencoded, as RFC 6749 2.3.1 wants the id and secret before Basic. */
function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, "utf8").toString("base64");
}

export const oauth2 = {
  id: "oauth2" as const,
  configType: "oauth2-credentials",
  form: {
    urlProperty: "tokenUrl",
    apiUrlProperty: "apiUrl",
    defaultBaseUrl: "",
    properties: [
      { name: "grant", input: { kind: "select", options: GRANTS }, default: "client_credentials", required: true },
      { name: "authorizationUrl", input: { kind: "text" }, default: "", required: false },
      { name: "clientAuth", input: { kind: "select", options: CLIENT_AUTH }, default: "basic", required: true },
      { name: "scope", input: { kind: "text" }, default: "", required: false },
      { name: "audience", input: { kind: "text" }, default: "", required: false },
      { name: "resource", input: { kind: "text" }, default: "", required: false },
      { name: "lifetime", input: { kind: "number", min: 1 }, default: DEFAULT_LIFETIME_SECONDS, required: true },
      API_URL,
      API_HOSTS,
    ],
    signIn: { grantProperty: "grant", grant: AUTHORIZATION_CODE, rows: ["authorizationUrl"] },
  },
  vendor: VENDOR,
  credentialFields: ["clientId", "clientSecret"],
  secretFields: ["clientSecret"],
  hints: HINTS.keys,
  signsApiCalls: false,

  settings(config: ConfigProperties): OAuth2Settings {
    const read = new SettingsReader(VENDOR, config);
    const grant = read.choice("grant", GRANTS);
    const signIn = grant === AUTHORIZATION_CODE;
    return {
      tokenUrl: read.required("tokenUrl"),
      grant,
      authorizationUrl: signIn ? read.url("authorizationUrl") : "",
      signInNode: signIn ? read.text("id") : "",
      clientAuth: read.choice("clientAuth", CLIENT_AUTH),
      scope: read.text("scope").split(/\s+/).filter(Boolean).join(" "),
      audience: read.text("audience"),
      resource: read.text("resource"),
      lifetime: read.seconds("lifetime", DEFAULT_LIFETIME_SECONDS),
    };
  },

  bind(settings: OAuth2Settings, credentials: Credentials): SyncBoundProvider {
    // Another scope, audience or resource is another token; a user's sign-in is another account.
    const extra = [settings.scope, settings.audience, settings.resource].join("|");
    const signIn = settings.grant === AUTHORIZATION_CODE ? ` ${AUTHORIZATION_CODE} ${settings.signInNode}` : "";
    const bound: SyncBoundProvider = {
      ...accountParts(oauth2, credentials),
      accountId: `oauth2 ${settings.tokenUrl} ${credentials.clientId ?? ""} ${extra}${signIn}`,
      tokenRequest: () => tokenRequest(settings, credentials),
      parseToken: (response) => parseToken(response, settings),
      authorize: headerAuthorize(bearerHeaders),
      judgeApiResponse: bearerVerdict,
    };
    if (!signIn) return bound;
    return {
      ...bound,
      signIn: {
        authorizationRedirect: (redirectUri, state, verifier) =>
          authorizationRedirect({
            authorizationUrl: settings.authorizationUrl,
            clientId: credentials.clientId ?? "",
            redirectUri,
            scope: settings.scope,
            state,
            verifier,
          }),
        codeRequest: (code, redirectUri, verifier) =>
          clientAuthenticated(settings, credentials, codeExchangeForm(code, redirectUri, verifier), [code, verifier]),
      },
      // The ID token's name claims (or the answer's), for the editor's "signed in as".
      parseToken: (response) => ({ ...parseToken(response, settings), accountName: accountNameOf(response) }),
    };
  },
} satisfies ProviderAdapter<OAuth2Settings, SyncBoundProvider>;

function tokenRequest(settings: OAuth2Settings, credentials: Credentials): TokenRequest {
  // A user's sign-in gives the first token (the code exchange) and its refresh token the next ones.
  if (settings.grant === AUTHORIZATION_CODE) throw signInRequired(VENDOR);
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  // Optional parameters go only when set: some servers refuse an empty scope or an unknown one.
  if (settings.scope) form.set("scope", settings.scope);
  if (settings.audience) form.set("audience", settings.audience);
  if (settings.resource) form.set("resource", settings.resource);
  return clientAuthenticated(settings, credentials, form, []);
}

/** A token request with this grant's form, the client authenticated as 2.3.1 says; `secrets`: the form's own. */
function clientAuthenticated(
  settings: OAuth2Settings,
  credentials: Credentials,
  form: URLSearchParams,
  secrets: readonly string[],
): TokenRequest {
  const clientId = credentials.clientId ?? "";
  const clientSecret = credentials.clientSecret ?? "";
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  const masked = [...secrets, clientSecret];
  if (settings.clientAuth === "basic") {
    const basic = basicCredentials(clientId, clientSecret);
    headers.authorization = `Basic ${basic}`;
    masked.push(basic);
  } else {
    form.set("client_id", clientId);
    form.set("client_secret", clientSecret);
  }
  const body = form.toString();
  return { method: "POST" as const, url: settings.tokenUrl, headers, body, secrets: [...masked, body] };
}

function parseToken(response: RawResponse, settings: OAuth2Settings): ParsedToken {
  const body = parseJsonOrHttpError(VENDOR, response);
  const code = codeOf(body.error);
  if (isTransientStatus(response.status)) throw httpError(VENDOR, response, undefined, code);
  if (code !== undefined) {
    const description = textOf(body.error_description) ?? "";
    const uri = textOf(body.error_uri);
    throw new TokenError({
      kind: "vendor",
      vendor: VENDOR,
      key: HINTS.forCode(code) ?? "vendor-code",
      code,
      httpStatus: response.status,
      params: { msg: uri ? `${description} (${uri})` : description },
    });
  }
  if (response.status !== 200) throw httpError(VENDOR, response);
  // 5.1: token_type is case-insensitive; only bearer tokens can be sent as this package sends them.
  const type = body.token_type;
  if (type !== undefined && (typeof type !== "string" || type.toLowerCase() !== "bearer")) {
    throw new TokenError({
      kind: "response",
      vendor: VENDOR,
      key: "bad-token-type",
      httpStatus: response.status,
      params: { type: String(JSON.stringify(type)) },
    });
  }
  return validToken(VENDOR, response, body.access_token, body.expires_in ?? settings.lifetime, {
    token: "access_token",
    expiry: "expires_in",
  });
}
