// Any OAuth2 authorization server (RFC 6749): Keycloak, Entra ID, Auth0, Siemens Insights Hub,
// Bosch IoT Suite ... The grant is client credentials (4.4), the resource owner's password (4.3) or
// a user's sign-in, the authorization code with PKCE (4.1, oauth2-authorization-code.ts);
// the client proves itself as oauth2-client-auth.ts says (a secret, a signed JWT or its TLS
// certificate); a refresh token that comes with a token is used before the next token request
// (section 6); answers are read as 5.1 and errors as 5.2.
import { signInRequired, TokenError } from "../errors";
import { isTokenValue } from "../token";
import { bearerHeaders, bearerVerdict } from "./api-answer";
import { accountParts, headerAuthorize } from "./bound";
import {
  CLIENT_AUTH,
  CLIENT_AUTH_CREDENTIALS,
  clientAuthenticator,
  type ClientAuth,
  type ClientProof,
} from "./oauth2-client-auth";
import {
  AUTHORIZATION_CODE,
  accountNameOf,
  authorizationRedirect,
  codeExchangeForm,
} from "./oauth2-authorization-code";
import { GRANT_CREDENTIALS, grantForm, GRANTS, type Grant } from "./oauth2-grants";
import { codeOf, hints, httpError, isTransientStatus, parseJsonOrHttpError, textOf, validToken } from "./parse";
import { SettingsReader } from "./settings";
import { API_HOSTS, API_URL } from "./url";
import type {
  ConfigProperties,
  CredentialInput,
  Credentials,
  ParsedToken,
  ProviderAdapter,
  RawResponse,
  SyncBoundProvider,
  TokenRequest,
} from "./types";

const VENDOR = "OAuth2";
/**
 * RFC 6749 5.2 error codes with a hint of their own (errors.oauth2.<code>), and
 * <code>-<variant> where the fix depends on the client authentication or the grant.
 */
const HINTS = hints("oauth2", [
  "invalid_client",
  "invalid_client-key",
  "invalid_client-certificate",
  "invalid_grant-password",
  "invalid_scope",
  "unauthorized_client",
  "unsupported_grant_type",
]);
const HINT_VARIANTS: Partial<Record<ClientAuth | Grant, string>> = {
  private_key_jwt: "key",
  tls_client_auth: "certificate",
  password: "password",
};
export const DEFAULT_LIFETIME_SECONDS = 3600;

const CREDENTIAL_FIELDS = ["clientId", "clientSecret", "privateKey", "username", "password"] as const;

/** The rows a choice of `property` shows: each field those of its values that need it list. */
function shownBy<T extends string>(property: string, needs: Readonly<Record<T, readonly string[]>>) {
  const rows: Record<string, CredentialInput> = {};
  for (const field of new Set(Object.values<readonly string[]>(needs).flat())) {
    const values = (Object.keys(needs) as T[]).filter((value) => needs[value].includes(field));
    rows[field] = { shownWhen: { property, values } };
  }
  return rows;
}

const PRIVATE_KEY_JWT = { property: "clientAuth", values: ["private_key_jwt"] };
const SIGN_IN = { property: "grant", values: [AUTHORIZATION_CODE] };

export interface OAuth2Settings {
  readonly tokenUrl: string;
  readonly grant: Grant;
  /** authorization_code: the authorization endpoint the browser signs in at (4.1.1); "" otherwise. */
  readonly authorizationUrl: string;
  /** authorization_code: the config node's id. A user's sign-in belongs to this node alone. */
  readonly signInNode: string;
  /** basic = client_secret_basic (2.3.1, the default); body = client_secret_post; private_key_jwt; tls_client_auth. */
  readonly clientAuth: ClientAuth;
  /** private_key_jwt: the assertion's `kid` header, "" for none. */
  readonly keyId: string;
  /** private_key_jwt: the assertion's `aud`, "" for the token URL. */
  readonly assertionAudience: string;
  /** Space-separated scopes, "" for none. */
  readonly scope: string;
  readonly audience: string;
  readonly resource: string;
  /** Seconds assumed when the answer has no expires_in. */
  readonly lifetime: number;
}

export const oauth2 = {
  id: "oauth2" as const,
  configType: "oauth2-credentials",
  form: {
    urlProperty: "tokenUrl",
    apiUrlProperty: "apiUrl",
    defaultBaseUrl: "",
    properties: [
      { name: "grant", input: { kind: "select", options: GRANTS }, default: GRANTS[0], required: true },
      { name: "authorizationUrl", input: { kind: "text" }, default: "", required: false, shownWhen: SIGN_IN },
      { name: "clientAuth", input: { kind: "select", options: CLIENT_AUTH }, default: "basic", required: true },
      { name: "keyId", input: { kind: "text" }, default: "", required: false, shownWhen: PRIVATE_KEY_JWT },
      { name: "assertionAudience", input: { kind: "text" }, default: "", required: false, shownWhen: PRIVATE_KEY_JWT },
      { name: "scope", input: { kind: "text" }, default: "", required: false },
      { name: "audience", input: { kind: "text" }, default: "", required: false },
      { name: "resource", input: { kind: "text" }, default: "", required: false },
      { name: "lifetime", input: { kind: "number", min: 1 }, default: DEFAULT_LIFETIME_SECONDS, required: true },
      API_URL,
      API_HOSTS,
    ],
    credentials: {
      ...shownBy("clientAuth", CLIENT_AUTH_CREDENTIALS),
      ...shownBy("grant", GRANT_CREDENTIALS),
      privateKey: { multiline: true, shownWhen: PRIVATE_KEY_JWT },
    },
    signIn: SIGN_IN,
  },
  vendor: VENDOR,
  credentialFields: CREDENTIAL_FIELDS,
  secretFields: ["clientSecret", "privateKey", "username", "password"],
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
      keyId: read.text("keyId"),
      assertionAudience: read.text("assertionAudience"),
      scope: read.text("scope").split(/\s+/).filter(Boolean).join(" "),
      audience: read.text("audience"),
      resource: read.text("resource"),
      lifetime: read.seconds("lifetime", DEFAULT_LIFETIME_SECONDS),
    };
  },

  bind(settings: OAuth2Settings, credentials: Credentials): SyncBoundProvider {
    // Another grant, user, scope, audience or resource is another token (the user is among the fields).
    const extra = [settings.scope, settings.audience, settings.resource].join("|");
    // A user's sign-in is that node's own account, whoever signs in.
    const grant =
      settings.grant === "client_credentials"
        ? ""
        : ` ${settings.grant}${settings.grant === AUTHORIZATION_CODE ? ` ${settings.signInNode}` : ""}`;
    const prove = clientAuthenticator(VENDOR, settings, credentials);
    const account = accountParts(oauth2, credentials);
    // Only the credentials these settings use name the account (a node saved before they existed keeps its key).
    const used = new Set([
      "clientId",
      ...CLIENT_AUTH_CREDENTIALS[settings.clientAuth],
      ...GRANT_CREDENTIALS[settings.grant],
    ]);
    const bound: SyncBoundProvider = {
      ...account,
      fields: account.fields.filter(([field]) => used.has(field)),
      secrets: account.secrets.filter(Boolean),
      accountId: `oauth2 ${settings.tokenUrl} ${credentials.clientId ?? ""} ${extra}${grant}`,
      ...(settings.clientAuth === "tls_client_auth" ? { needsClientCertificate: true } : {}),
      tokenRequest: (now) => {
        if (settings.grant === AUTHORIZATION_CODE) throw signInRequired(VENDOR);
        const { form, secrets } = grantForm(settings.grant, credentials);
        return tokenRequest(settings, { ...form, ...scopeFields(settings) }, secrets, prove(now));
      },
      refreshRequest: (refreshToken, now) =>
        // RFC 6749 6: without a scope the new token has the old one's.
        tokenRequest(
          settings,
          { grant_type: "refresh_token", refresh_token: refreshToken },
          [refreshToken],
          prove(now),
        ),
      parseToken: (response) => parseToken(response, settings),
      authorize: headerAuthorize(bearerHeaders),
      judgeApiResponse: bearerVerdict,
    };
    if (settings.grant !== AUTHORIZATION_CODE) return bound;
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
        codeRequest: (code, redirectUri, verifier, now) =>
          tokenRequest(settings, codeExchangeForm(code, redirectUri, verifier), [code, verifier], prove(now)),
      },
      // The ID token's name claims (or the answer's), for the editor's "signed in as".
      parseToken: (response) => ({ ...parseToken(response, settings), accountName: accountNameOf(response) }),
    };
  },
} satisfies ProviderAdapter<OAuth2Settings, SyncBoundProvider>;

/** The optional parameters, only when set: some servers refuse an empty scope or an unknown one. */
function scopeFields(settings: OAuth2Settings): Record<string, string> {
  const fields: Record<string, string> = {};
  if (settings.scope) fields.scope = settings.scope;
  if (settings.audience) fields.audience = settings.audience;
  if (settings.resource) fields.resource = settings.resource;
  return fields;
}

function tokenRequest(
  settings: OAuth2Settings,
  fields: Record<string, string>,
  secrets: string[],
  proof: ClientProof,
): TokenRequest {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    ...proof.headers,
  };
  const body = new URLSearchParams({ ...fields, ...proof.form }).toString();
  const masked = [...secrets, ...proof.secrets].filter(Boolean);
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
      key: hintFor(code, settings) ?? "vendor-code",
      code,
      httpStatus: response.status,
      params: { msg: uri ? `${description} (${uri})` : description, grant: settings.grant },
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
  const parsed = validToken(VENDOR, response, body.access_token, body.expires_in ?? settings.lifetime, {
    token: "access_token",
    expiry: "expires_in",
  });
  // One that could not go into a form field is ignored: the next token is then asked for anew.
  const refreshToken = isTokenValue(body.refresh_token) ? body.refresh_token : undefined;
  return refreshToken ? { ...parsed, refreshToken } : parsed;
}

/** The hint of this client authentication or grant for the code, else the code's own. */
function hintFor(code: string, settings: OAuth2Settings) {
  const variants = [HINT_VARIANTS[settings.clientAuth], HINT_VARIANTS[settings.grant]];
  for (const variant of variants) {
    const hint = variant && HINTS.forCode(`${code}-${variant}`);
    if (hint) return hint;
  }
  return HINTS.forCode(code);
}
