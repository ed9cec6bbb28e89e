// The two admin routes of a user's sign-in (oauth2-credentials with grant authorization_code).
//
// authorize (GET, ?id=<node id>): for a DEPLOYED node only (what it signs in with is what runs: its
// client ID, URLs and scope; a dialog's unsaved edits are not used, the dialog says "deploy
// first"). It needs the Test route's permissions. The dialog opens it in a new window, which
// carries no Authorization header: with adminAuth on, the editor adds its own access token as the
// `access_token` query parameter, which Node-RED's bearer strategy (passport-http-bearer) reads as
// it reads the header. The answer is a 302 to the vendor, with Referrer-Policy: no-referrer, and a
// redirect leaves no entry in the window's history, so that URL is not kept.
//
// callback (GET, the vendor's redirect with code and state): it carries no login of Node-RED's, so
// what lets it in is the `state` that authorize issued to a user with those permissions: random,
// kept on the server only, single-use, 10 minutes, bound to that node and its settings at the time
// (sign-in-states.ts). An unknown, used or expired state is refused (400) before anything is sent
// anywhere. The answer is a small page (sign-in-page.ts).
import { AUTHORIZE_PATH, CALLBACK_PATH, SIGN_IN_CHANNEL, TEST_PERMISSIONS } from "../admin-api";
import { TokenError } from "../errors";
import { isLoopback } from "../loopback";
import { newState, newVerifier } from "../providers/oauth2-authorization-code";
import { SignInStates } from "../sign-in-states";
import { needsPermissions } from "./admin-permissions";
import { asTokenError } from "./catchable-error";
import { ALLOW_HTTP_SETTING } from "./credentials-destination";
import { credentialsOf, type CredentialsConfig } from "./credentials-node";
import type { AdminRequest, NodeAPI } from "./node-red";
import { signInPage, type SignInPage } from "./sign-in-page";
import { translator, type Translate } from "./translate";

/** What these routes need of Express's request beyond AdminRequest. */
interface PageRequest extends AdminRequest {
  query?: Record<string, unknown>;
  headers?: Record<string, string | string[] | undefined>;
  protocol?: string;
  /** The path as the browser asked for it, admin root included. */
  originalUrl?: string;
  user?: { username?: string };
}

interface PageResponse {
  status(code: number): PageResponse;
  set(headers: Record<string, string>): PageResponse;
  send(body: string): void;
  redirect(status: number, url: string): void;
}

type PageHandler = (req: PageRequest, res: PageResponse) => void;

export function registerSignInRoutes(RED: NodeAPI): void {
  const t = translator(RED);
  const states = new SignInStates();
  // Express's own get: these handlers use more of the request and response than AdminHandler types.
  const get = RED.httpAdmin.get.bind(RED.httpAdmin) as (path: string, ...handlers: unknown[]) => void;
  const authorize: PageHandler = (req, res) => {
    const answer = startSignIn(RED, states, req, t);
    if ("location" in answer) {
      res.set({ "cache-control": "no-store", "referrer-policy": "no-referrer" });
      res.redirect(302, answer.location);
    } else send(res, answer);
  };
  const callback: PageHandler = (req, res) => {
    finishSignIn(RED, states, req, t).then(
      (page) => send(res, page),
      (err: unknown) => send(res, failurePage(t, 500, asTokenError(err, "OAuth2").localize(t))),
    );
  };
  get(AUTHORIZE_PATH, ...needsPermissions(RED, TEST_PERMISSIONS), authorize);
  // No permission check of Node-RED's: the browser comes back from the vendor without a login; the
  // single-use state is what lets it in (see above).
  get(CALLBACK_PATH, callback);
}

function send(res: PageResponse, page: SignInPage): void {
  res.status(page.status).set(page.headers).send(page.body);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The runtime's language, for the page's lang attribute. */
function language(RED: NodeAPI): string {
  const lang = RED.settings.lang;
  return typeof lang === "string" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? lang : "en";
}

function failurePage(t: Translate, status: number, detail: string, id?: string, lang = "en"): SignInPage {
  return signInPage({
    status,
    title: t("access-token.sign-in.failed-title"),
    text: detail,
    lang,
    message: id === undefined ? undefined : { type: SIGN_IN_CHANNEL, id, ok: false },
  });
}

/** The vendor's sign-in URL for a deployed node, or the page that says why there is none. */
function startSignIn(
  RED: NodeAPI,
  states: SignInStates,
  req: PageRequest,
  t: Translate,
): { location: string } | SignInPage {
  const lang = language(RED);
  const id = text(req.query?.id);
  const config = credentialsOf(RED.nodes.getNode(id));
  if (!config) return failurePage(t, 404, t("access-token.sign-in.deploy-first"), undefined, lang);
  const steps = config.account?.provider.signIn;
  if (config.problem) return failurePage(t, 400, config.problem.localize(t), undefined, lang);
  if (!steps) return failurePage(t, 400, t("access-token.sign-in.no-sign-in"), undefined, lang);
  const redirectUri = redirectUriOf(req, text(req.query?.redirect_uri));
  if (!redirectUri) return failurePage(t, 400, t("access-token.sign-in.bad-redirect-uri"), undefined, lang);
  const verifier = newVerifier();
  const state = newState();
  let location: string;
  try {
    location = steps.authorizationRedirect(redirectUri, state, verifier);
    checkHttps(RED, location, config);
  } catch (err) {
    return failurePage(t, 400, asTokenError(err, config.adapter.vendor).localize(t), undefined, lang);
  }
  states.add(state, { nodeId: id, comparable: config.comparable, verifier, redirectUri, user: req.user?.username });
  return { location };
}

/** The vendor's sign-in page is reached over HTTPS, as every request to it: plain HTTP to loopback or with the opt-in. */
function checkHttps(RED: NodeAPI, location: string, config: CredentialsConfig): void {
  const url = new URL(location);
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && (isLoopback(url.hostname) || RED.settings[ALLOW_HTTP_SETTING] === true)) return;
  throw new TokenError({
    kind: "config",
    vendor: config.adapter.vendor,
    key: "https-required",
    params: { host: url.host },
  });
}

/**
 * The redirect URI: the callback's URL as the browser reaches Node-RED. The dialog sends the one it
 * shows (built from the editor's location: behind a TLS proxy only the browser knows the scheme);
 * it must name this very host and the callback path under this admin root. Without one, the
 * request's own scheme and host.
 */
export function redirectUriOf(req: PageRequest, given: string): string | undefined {
  const host = req.headers?.host;
  const path = (req.originalUrl ?? "").split("?")[0] ?? "";
  if (typeof host !== "string" || !path.endsWith(AUTHORIZE_PATH)) return undefined;
  const callbackPath = path.slice(0, -AUTHORIZE_PATH.length) + CALLBACK_PATH;
  if (!given) return `${req.protocol === "https" ? "https" : "http"}://${host}${callbackPath}`;
  if (!URL.canParse(given)) return undefined;
  const url = new URL(given);
  const same =
    (url.protocol === "https:" || url.protocol === "http:") &&
    url.host === new URL(`http://${host}`).host &&
    url.pathname === callbackPath &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password;
  return same ? url.toString() : undefined;
}

/** The vendor's redirect back: the state checked and used up, the code exchanged, the page that says how it went. */
async function finishSignIn(RED: NodeAPI, states: SignInStates, req: PageRequest, t: Translate): Promise<SignInPage> {
  const lang = language(RED);
  const pending = states.take(req.query?.state);
  if (!pending) return failurePage(t, 400, t("access-token.sign-in.unknown-state"), undefined, lang);
  const id = pending.nodeId;
  const vendorError = text(req.query?.error);
  if (vendorError) {
    // RFC 6749 4.1.2.1: the vendor's code and words, cut, as text (the page escapes them).
    const description = text(req.query?.error_description).slice(0, 300);
    const detail = t("access-token.sign-in.vendor-error", { code: vendorError.slice(0, 60), description });
    return failurePage(t, 400, detail, id, lang);
  }
  const code = text(req.query?.code);
  if (!code) return failurePage(t, 400, t("access-token.sign-in.no-code"), id, lang);
  const config = credentialsOf(RED.nodes.getNode(id));
  const account = config?.account;
  if (!config || !account || config.comparable !== pending.comparable)
    return failurePage(t, 409, t("access-token.sign-in.redeployed"), id, lang);
  try {
    await account.signIn(code, pending.redirectUri, pending.verifier);
  } catch (err) {
    return failurePage(t, 502, asTokenError(err, config.adapter.vendor).localize(t), id, lang);
  }
  const name = account.tokens.signInState()?.accountName;
  RED.log.info(t("access-token.sign-in.logged", { node: id, user: pending.user ?? "-" }));
  return signInPage({
    status: 200,
    title: t("access-token.sign-in.signed-in-title"),
    text: name ? t("access-token.sign-in.signed-in-as", { name }) : t("access-token.sign-in.signed-in"),
    lang,
    message: { type: SIGN_IN_CHANNEL, id, ok: true },
  });
}
