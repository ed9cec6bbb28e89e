// A real authorization server for the OAuth2 tests: panva's oidc-provider 9 (a dev dependency no one
// here wrote) on 127.0.0.1 at a free port, over HTTP or, for tls_client_auth, HTTPS with client
// certificates. Its clients, its refresh token policy and its token lifetimes are the test's; its
// token endpoint, client authentication, PKCE, refresh rotation and sign-in pages are its own code.
//
//   const server = await startOidcServer({ clients: [{ id: "c1", auth: "client_secret_basic", secret: "s" }] });
//   ... server.tokenUrl, server.authorizationUrl, server.requests ...
//   await server.close();
import * as crypto from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import { freePort } from "./ports";
import type { MutualTlsCertificates } from "./tls";

/** How a client proves itself at the token endpoint (RFC 7591 `token_endpoint_auth_method`). */
export type OidcClientAuth = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "tls_client_auth";

/** One registered client. */
export interface OidcClient {
  id: string;
  auth: OidcClientAuth;
  /** For client_secret_basic and client_secret_post. */
  secret?: string;
  /** For private_key_jwt: the client's public keys (PEM, RSA or EC P-256), each with its `kid` if any. */
  publicKeys?: Array<{ pem: string; kid?: string }>;
  /** For tls_client_auth: the certificate subject the client must present, e.g. `CN=node-red-client`. */
  subjectDn?: string;
  /**
   * The grants it may use (default: client_credentials, refresh_token, password when the server has it,
   * and authorization_code when it has redirect URIs).
   */
  grants?: string[];
  /** For authorization_code: where the server may send the user back. */
  redirectUris?: string[];
}

export interface OidcServerOptions {
  clients: OidcClient[];
  /** Serve HTTPS with these certificates and ask for client certificates (for tls_client_auth). */
  tls?: MutualTlsCertificates;
  /** Seconds an access token lives (default 3600). */
  accessTokenTtl?: number;
  /**
   * Whether a grant answers with a refresh token (oidc-provider's `issueRefreshToken` policy;
   * default: when the client may use refresh_token, `offline_access` or not). The client
   * credentials grant never does (oidc-provider follows RFC 6749 4.4.3).
   */
  issueRefreshToken?: (grantType: string, clientId: string) => boolean;
  /** Rotate refresh tokens on use (default true): the used one is consumed, reusing it revokes the grant. */
  rotateRefreshTokens?: boolean;
  /**
   * A password grant (RFC 6749 4.3), which oidc-provider does not have, registered through its
   * `registerGrantType` with its own token models (so refreshing and rotation stay its code).
   */
  password?: { username: string; password: string };
}

/** One token request the server answered, in order. */
export interface OidcTokenRequest {
  grantType: string;
  clientId?: string;
  /** The OAuth error code (`invalid_client`, `invalid_grant`, ...) when it was refused. */
  error?: string;
  errorDescription?: string;
}

export interface OidcServer {
  /** e.g. `http://127.0.0.1:41234` (https with `tls`). */
  issuer: string;
  port: number;
  tokenUrl: string;
  authorizationUrl: string;
  /** Every token request answered, oldest first; clear it with `requests.length = 0`. */
  requests: OidcTokenRequest[];
  /** The refresh tokens the server holds (values, oldest first), with whether each was used. */
  refreshTokens(): Array<{ value: string; consumed: boolean }>;
  /** Forget every token and grant: the next refresh is refused with invalid_grant. */
  revokeAll(): void;
  /**
   * Sign a user in through the server's own login and consent pages over HTTP (no browser):
   * `authorizeUrl` is the full authorization request; answers the URL the server sends the browser
   * back to (the redirect URI with `code` and `state`, or `error`). Any login and password pass.
   */
  signIn(authorizeUrl: string, login?: string): Promise<URL>;
  close(): Promise<void>;
}

// oidc-provider is ESM only; tsc would turn `import()` into `require()` in our CommonJS build.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;

const DAY_S = 24 * 3600;

type Payload = Record<string, unknown> & { consumed?: number; grantId?: string; uid?: string; userCode?: string };

/** oidc-provider's storage: one map per server (its default memory adapter is shared by the process). */
class Store {
  readonly entries = new Map<string, { model: string; id: string; payload: Payload }>();

  adapter(model: string) {
    const key = (id: string) => `${model}:${id}`;
    const find = (test: (payload: Payload) => boolean) =>
      [...this.entries.values()].find((entry) => entry.model === model && test(entry.payload))?.payload;
    return {
      upsert: async (id: string, payload: Payload) => void this.entries.set(key(id), { model, id, payload }),
      find: async (id: string) => this.entries.get(key(id))?.payload,
      findByUid: async (uid: string) => find((payload) => payload.uid === uid),
      findByUserCode: async (userCode: string) => find((payload) => payload.userCode === userCode),
      consume: async (id: string) => {
        const entry = this.entries.get(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id: string) => void this.entries.delete(key(id)),
      revokeByGrantId: async (grantId: string) => {
        for (const [k, entry] of this.entries) if (entry.payload.grantId === grantId) this.entries.delete(k);
      },
    };
  }
}

function clientMetadata(client: OidcClient, password: boolean): Record<string, unknown> {
  const redirectUris = client.redirectUris ?? [];
  const grants = client.grants ?? [
    "client_credentials",
    ...(password ? ["password"] : []),
    "refresh_token",
    ...(redirectUris.length ? ["authorization_code"] : []),
  ];
  return {
    client_id: client.id,
    ...(client.secret !== undefined ? { client_secret: client.secret } : {}),
    token_endpoint_auth_method: client.auth,
    grant_types: grants,
    response_types: grants.includes("authorization_code") ? ["code"] : [],
    redirect_uris: redirectUris,
    ...(client.publicKeys
      ? {
          jwks: {
            keys: client.publicKeys.map(({ pem, kid }) => ({
              ...crypto.createPublicKey(pem).export({ format: "jwk" }),
              ...(kid ? { kid } : {}),
            })),
          },
        }
      : {}),
    ...(client.subjectDn ? { tls_client_auth_subject_dn: client.subjectDn } : {}),
  };
}

/** The peer certificate of an HTTPS request as PEM, or undefined. */
function peerCertificate(socket: TLSSocket | undefined): string | undefined {
  const raw = socket?.getPeerCertificate?.()?.raw;
  if (!raw) return undefined;
  return new crypto.X509Certificate(raw).toString();
}

/** `CN=a\nO=b` (Node's form) as RFC 4514 text (`O=b,CN=a`: the most specific part first). */
function subjectDn(pem: string): string {
  return new crypto.X509Certificate(pem).subject.split("\n").reverse().join(",");
}

export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const { Provider, errors } = await importEsm("oidc-provider");
  const port = await freePort();
  const issuer = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const store = new Store();
  const ttl = () => options.accessTokenTtl ?? 3600;
  const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    adapter: (model: string) => store.adapter(model),
    clients: options.clients.map((client) => clientMetadata(client, Boolean(options.password))),
    clientAuthMethods: [
      "client_secret_basic",
      "client_secret_post",
      "private_key_jwt",
      ...(options.tls ? ["tls_client_auth"] : []),
    ],
    jwks: { keys: [{ ...signingKey, kid: "server-signing", alg: "RS256", use: "sig" }] },
    cookies: { keys: [crypto.randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], profile: ["name"] },
    // As Keycloak, Entra ID and Auth0 answer: the ID token carries the profile claims the scope asks
    // for (the sign-in shows the account's name from it), not only the userinfo endpoint.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, name: sub }) }),
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      // Its login and consent pages, for clients that sign users in (it warns when they are on).
      devInteractions: { enabled: options.clients.some((client) => client.redirectUris?.length) },
      mTLS: {
        enabled: Boolean(options.tls),
        tlsClientAuth: Boolean(options.tls),
        getCertificate: (ctx: { socket?: TLSSocket }) => peerCertificate(ctx.socket),
        certificateAuthorized: (ctx: { socket?: TLSSocket }) => ctx.socket?.authorized === true,
        certificateSubjectMatches: (ctx: { socket?: TLSSocket }, property: string, expected: string) => {
          const pem = peerCertificate(ctx.socket);
          return property === "tls_client_auth_subject_dn" && pem !== undefined && subjectDn(pem) === expected;
        },
      },
    },
    pkce: { required: () => true },
    issueRefreshToken: (ctx: { oidc: { params?: { grant_type?: string } } }, client: OidcClientModel) =>
      options.issueRefreshToken
        ? options.issueRefreshToken(String(ctx.oidc.params?.grant_type ?? ""), client.clientId)
        : client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Grant: 14 * DAY_S,
      RefreshToken: 14 * DAY_S,
      Session: 14 * DAY_S,
    },
  });

  const requests: OidcTokenRequest[] = [];
  const record = (ctx: TokenContext, error?: { error?: string; error_description?: string }) =>
    requests.push({
      grantType: String(ctx.oidc?.params?.grant_type ?? ""),
      clientId: ctx.oidc?.client?.clientId,
      ...(error ? { error: error.error, errorDescription: error.error_description } : {}),
    });
  provider.on("grant.success", (ctx: TokenContext) => record(ctx));
  provider.on("grant.error", (ctx: TokenContext, error: { error?: string; error_description?: string }) =>
    record(ctx, error),
  );

  if (options.password) registerPasswordGrant(provider, errors, options.password, options.issueRefreshToken);

  const listener = provider.callback();
  const server = options.tls
    ? https.createServer(
        { ...options.tls.server, ca: options.tls.ca, requestCert: true, rejectUnauthorized: false },
        listener,
      )
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const dispatcher = options.tls ? new Agent({ connect: { ca: options.tls.ca } }) : undefined;

  return {
    issuer,
    port: (server.address() as AddressInfo).port,
    tokenUrl: `${issuer}/token`,
    authorizationUrl: `${issuer}/auth`,
    requests,
    refreshTokens: () =>
      [...store.entries.values()]
        .filter((entry) => entry.model === "RefreshToken")
        .map((entry) => ({ value: entry.id, consumed: entry.payload.consumed !== undefined })),
    revokeAll: () => store.entries.clear(),
    signIn: (authorizeUrl, login = "alice") => signIn(authorizeUrl, login, issuer, dispatcher),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher?.close();
    },
  };
}

interface OidcClientModel {
  clientId: string;
  grantTypeAllowed(grant: string): boolean;
}
interface TokenContext {
  oidc?: { params?: { grant_type?: unknown }; client?: OidcClientModel };
}

function registerPasswordGrant(
  provider: any,
  errors: any,
  account: { username: string; password: string },
  policy: OidcServerOptions["issueRefreshToken"],
): void {
  const handler = async (ctx: any) => {
    const { client, params } = ctx.oidc;
    if (!params.username || !params.password) throw new errors.InvalidRequest("username and password are required");
    if (params.username !== account.username || params.password !== account.password) {
      throw new errors.InvalidGrant("wrong username or password");
    }
    const scope = typeof params.scope === "string" ? params.scope : undefined;
    const grant = new provider.Grant({ accountId: account.username, clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const common = { accountId: account.username, client, grantId, gty: "password", scope };
    const accessToken = new provider.AccessToken(common);
    const body: Record<string, unknown> = {
      access_token: await accessToken.save(),
      token_type: "Bearer",
      expires_in: accessToken.expiration,
      ...(scope ? { scope } : {}),
    };
    const refresh = policy ? policy("password", client.clientId) : client.grantTypeAllowed("refresh_token");
    if (refresh) body.refresh_token = await new provider.RefreshToken(common).save();
    ctx.body = body;
  };
  provider.registerGrantType("password", handler, ["username", "password", "scope"]);
}

/** Walks the dev login and consent pages as a browser would, keeping the server's cookies. */
async function signIn(authorizeUrl: string, login: string, issuer: string, dispatcher?: Agent): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizeUrl);
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await undiciFetch(url, {
      method: form ? "POST" : "GET",
      body: form,
      redirect: "manual",
      dispatcher,
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url);
      form = undefined;
      if (url.origin !== new URL(issuer).origin) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!response.ok || !action) throw new Error(`sign-in page ${url.pathname} answered ${response.status}: ${page}`);
    url = new URL(action.replace(/&amp;/g, "&"), url);
    form = page.includes('name="login"')
      ? new URLSearchParams({ prompt: "login", login, password: "any" })
      : new URLSearchParams({ prompt: "consent" });
  }
  throw new Error("sign-in did not come back to the redirect URI");
}
