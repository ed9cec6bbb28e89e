// Making a credentials node's Account from what Node-RED hands over: the saved properties, the
// credentials, settings.js (plain-HTTP opt-in, proxy options, expression bounds, shared cache) and
// the proxy and TLS config nodes. What cannot work becomes the node's problem, named by the dialog's
// labels, instead of an account.
import { Account } from "../account/account";
import type { ApiTarget } from "../api-origins";
import { TokenError } from "../errors";
import { DEFAULT_TIMEOUT_MS } from "../http";
import type { Provider } from "../providers";
import { shownCredentials } from "../providers/shown-fields";
import type { Credentials, ProviderAdapter } from "../providers/types";
import {
  acquireSharedCache,
  readSharedCacheSetting,
  SHARED_CACHE_SETTING,
  type SharedCacheLease,
} from "../shared-cache/runtime-cache";
import { lockTtlFor, SharedRefresh } from "../shared-cache/shared-refresh";
import { apiTarget, httpClient, httpSettings } from "./credentials-destination";
import { expressionLimits } from "./expression-settings";
import { jsonataEvaluator } from "./jsonata";
import { refreshTokenStore } from "./refresh-token-setup";
import type { Node, NodeAPI, NodeDef } from "./node-red";
import { limiterFor, rateSettings } from "./rate-limit-setup";
import type { Translate } from "./translate";

/** Where a credentials node gets its secrets and reports: the config node, or the dialog's Test button. */
export type CredentialsOwner = Pick<Node, "credentials" | "warn" | "error" | "log">;

/** What a credentials node runs on when it can work. */
export interface Working {
  readonly account: Account;
  /** The shared cache's client, released on close (after the shared refresh in flight settles). */
  readonly lease?: SharedCacheLease;
  readonly shared?: SharedRefresh;
}

/** A credentials node's account, or the first reason it has none. */
export type Setup = Working | { readonly problem: TokenError };

export interface SetupOptions {
  /** Node-RED's name for the node in errors: its name, or its type's label. */
  name: string;
  /** Aborted on close: an expression still being evaluated stops at its next step. */
  closing: AbortSignal;
  /** Take part in the shared cache; off for a one-off test of what a dialog holds. */
  share: boolean;
}

/** The account of a credentials node, or the first reason it has none (in the order the dialog shows the fields). */
export function setUpAccount(
  RED: NodeAPI,
  config: NodeDef,
  adapter: Provider,
  owner: CredentialsOwner,
  credentials: Credentials,
  t: Translate,
  options: SetupOptions,
): Setup {
  let api: ApiTarget | TokenError;
  try {
    api = apiTarget(config, adapter, options.name);
  } catch (err) {
    api = labelled(err, adapter, t);
  }
  const fail = (problem: TokenError): Setup => ({ problem });
  const missing = shownCredentials(adapter, config).find((field) => !credentials[field]);
  if (missing) {
    const field = t(`${adapter.configType}.label.${missing}`);
    return fail(new TokenError({ kind: "config", vendor: adapter.vendor, key: "missing-field", params: { field } }));
  }
  let provider;
  try {
    const limits = () => expressionLimits(RED.settings, (text) => owner.warn(text), t);
    const evaluator = jsonataEvaluator(RED.util, owner, limits, options.closing);
    provider = adapter.bind(adapter.settings(config, evaluator), credentials);
  } catch (err) {
    return fail(labelled(err, adapter, t));
  }
  if (api instanceof TokenError) return fail(api);
  const rates = rateSettings(adapter.vendor, config, t);
  if (rates instanceof TokenError) return fail(rates);
  const settings = httpSettings(RED, config);
  const http = httpClient(settings);
  if (!http) return fail(new TokenError({ kind: "config", vendor: adapter.vendor, key: "proxy-url" }));
  // Its token endpoint's and API's pools are made with the node, so that the first message after a deploy waits for less.
  const tokenUrl = config[adapter.form.urlProperty];
  http.prepare(typeof tokenUrl === "string" ? [tokenUrl.trim(), api.base] : [api.base]);
  // The core tls-config node adds a certificate and its key (files, uploads, environment) or a PKCS#12 file.
  const tls = settings.tls;
  if (provider.needsClientCertificate && !((tls?.cert && tls.key) || tls?.pfx)) {
    return fail(new TokenError({ kind: "config", vendor: adapter.vendor, key: "client-certificate" }));
  }
  const lease = options.share ? sharedCacheLease(RED, owner, t) : undefined;
  const lockTtlMs = lockTtlFor(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const shared = lease && new SharedRefresh({ store: lease.store, outage: lease.outage, lockTtlMs });
  // Any grant of oauth2 may give refresh tokens; a dialog's one-off Test keeps none.
  const refreshTokens =
    options.share && adapter.id === "oauth2"
      ? refreshTokenStore(
          RED,
          config,
          {
            name: options.name,
            account: provider.accountId,
            signIn: !!provider.signIn,
            warn: (text) => owner.warn(text),
          },
          t,
        )
      : undefined;
  // A call's slot in the shared budget outlives its slowest answer as the token lock does.
  const limiter = limiterFor(rates, lease, lockTtlMs, owner, t);
  const account = new Account({ provider, http, api, shared, refreshTokens, name: options.name, limiter });
  return { account, lease, shared };
}

/**
 * An error that names a property of the adapter's dialog (a config error of its settings, a token
 * answer its `token` expression found nothing in) shows it by its label there: the field to fix.
 */
export function labelled(err: unknown, adapter: ProviderAdapter, t: Translate): TokenError {
  if (!(err instanceof TokenError)) throw err;
  const property = err.params.field;
  if (typeof property !== "string" || !isProperty(adapter, property)) return err;
  const field =
    property === adapter.form.urlProperty
      ? t(`common.label.${adapter.form.urlProperty}`)
      : t(`${adapter.configType}.label.${property}`);
  return new TokenError({ ...err.details, params: { ...err.details.params, field } });
}

/** A property of the adapter's dialog (a field already named by its label is none: labelled once). */
function isProperty(adapter: ProviderAdapter, name: string): boolean {
  return (
    name === adapter.form.urlProperty || (adapter.form.properties ?? []).some((property) => property.name === name)
  );
}

/** The runtime's shared Redis client when settings.js asks for one; a bad option is reported and ignored (tokens stay per instance). */
function sharedCacheLease(RED: NodeAPI, node: CredentialsOwner, t: Translate): SharedCacheLease | undefined {
  try {
    const setting = readSharedCacheSetting(RED.settings[SHARED_CACHE_SETTING]);
    return setting && acquireSharedCache(setting, RED.log, t);
  } catch (err) {
    node.error(
      t("access-token.warn.shared-cache-ignored", {
        setting: SHARED_CACHE_SETTING,
        detail: err instanceof Error ? err.message : String(err),
      }),
    );
    return undefined;
  }
}
