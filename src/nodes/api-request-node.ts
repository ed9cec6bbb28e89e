// The api request node: the API call itself, with the token of the chosen credentials node (the
// same one-per-credentials cache as get token), EnOS's signature over the exact bytes sent, the
// vendor's errors, and one forced refresh and resend when the vendor says the token is no longer
// valid (shared: a hundred messages that see the expiry cause one token request).
import { setMaxListeners } from "node:events";
import type { TokenError } from "../errors";
import type { HttpAnswer } from "../http";
import { isProviderId } from "../providers";
import type { ApiVerdict } from "../providers/types";
import type { Token } from "../token";
import { DEFAULT_MARGIN_MS } from "../token-source";
import { replaceHeaders } from "./api-call";
import { planCall, readApiRequestSettings, type ApiRequestSettings, type PlannedCall } from "./api-request";
import { apiError, responsePayload } from "./api-response";
import { asTokenError, catchable } from "./catchable-error";
import { doneWithStatusCode } from "./catch-status-code";
import { migrateConfig } from "./config-version";
import { InFlight } from "./in-flight";
import { findCredentials, noCredentials, type CredentialsConfig, type TokenUser } from "./credentials-node";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "./node-red";
import { markedResponseHeaders } from "./response-headers";
import { TokenStatus } from "./token-status";
import { translator, type Translate } from "./translate";

/** settings.js option: the largest API answer body the node reads, in bytes. */
export const MAX_BYTES_SETTING = "accessTokenRequestMaxBytes";
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function registerApiRequestNode(RED: NodeAPI): void {
  RED.nodes.registerType("access-token-request", function (this: Node, saved: NodeDef) {
    RED.nodes.createNode(this, saved);
    new ApiRequest(RED, translator(RED), this, migrateConfig(saved));
  });
}

/** The body cap from settings.js; a value that is no positive number is reported once and the default used. */
function maxBytes(RED: NodeAPI, node: Node, t: Translate): number {
  const value = RED.settings[MAX_BYTES_SETTING];
  if (value === undefined) return DEFAULT_MAX_BYTES;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return Math.floor(value);
  node.warn(t("access-token-request.warn.max-bytes", { setting: MAX_BYTES_SETTING, bytes: DEFAULT_MAX_BYTES }));
  return DEFAULT_MAX_BYTES;
}

class ApiRequest implements TokenUser {
  private readonly credentials?: CredentialsConfig;
  private readonly settings: ApiRequestSettings;
  private readonly status: TokenStatus;
  private readonly maxBytes: number;
  private readonly vendor: string;
  /** Aborted on close: no call outlives a deploy. */
  private readonly closing = new AbortController();
  private readonly inFlight: InFlight;
  /** The runtime's message hooks, for msg.error.statusCode at Catch nodes. */
  private readonly hooks: NodeAPI["hooks"];

  constructor(
    RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    config: NodeDef,
  ) {
    const provider = isProviderId(config.provider) ? config.provider : undefined;
    this.vendor = provider ? t(`access-token.provider.${provider}`) : t("access-token-request.paletteLabel");
    this.credentials = provider ? findCredentials(RED, config[provider], provider) : undefined;
    this.settings = readApiRequestSettings(config);
    this.maxBytes = maxBytes(RED, node, t);
    this.status = new TokenStatus(node, t);
    this.inFlight = new InFlight(node, t);
    this.hooks = RED.hooks;
    // Every call in flight listens to it (hundreds at once are normal), so no listener limit.
    setMaxListeners(0, this.closing.signal);
    this.credentials?.register(this);
    this.status.start(this.credentials?.currentToken(), this.problem());
    node.on("input", (msg, send, done) => {
      this.inFlight.run(this.handle(msg), send, done, (err) => this.fail(err, done));
    });
    node.on("close", (_removed, done) => {
      this.inFlight.close();
      this.closing.abort();
      this.status.close();
      this.credentials?.deregister(this);
      done();
    });
  }

  tokenChanged(token: Token): void {
    this.status.token(token);
  }

  /** No credentials node chosen, or one that cannot work (a field left empty). */
  private problem(): TokenError | undefined {
    return this.credentials ? this.credentials.problem : noCredentials(this.vendor);
  }

  private async handle(msg: NodeMessage): Promise<NodeMessage> {
    const problem = this.problem();
    if (problem) throw problem;
    const credentials = this.credentials!;
    const call = planCall(this.settings, msg, credentials.api.base, this.vendor);
    // Before any token is fetched or call signed: the token goes to the API's own origins only.
    credentials.api.origins.check(call.url, this.vendor);
    const forced = msg.refreshToken === true;
    delete msg.refreshToken;
    if (forced || !credentials.currentToken()) this.status.fetching();
    const first = await credentials.getToken({ marginMs: DEFAULT_MARGIN_MS, forceRefresh: forced });
    let token = first;
    let answer = await this.send(credentials, call, token);
    let verdict = judge(credentials, answer);
    const retried = verdict.outcome === "token-rejected" && this.settings.retry;
    if (retried) {
      // Shared: every call that saw this token refused waits for the same one new token.
      token = await credentials.getToken({ marginMs: DEFAULT_MARGIN_MS, forceRefresh: true, staleToken: first.value });
      answer = await this.send(credentials, call, token);
      verdict = judge(credentials, answer);
    }
    this.status.token(token);
    if (verdict.outcome !== "ok" && this.settings.errors === "catch") {
      msg.statusCode = answer.status;
      // The vendor may quote any token this call sent, as well as the secrets.
      const mask = credentials.secretMask([first.value, token.value]);
      throw apiError(verdict, answer, call, this.vendor, (text) => mask.text(text), retried);
    }
    return this.output(msg, call, answer);
  }

  /** The call with this token's auth headers (signed now, so a resend is signed anew). */
  private send(credentials: CredentialsConfig, call: PlannedCall, token: Token): Promise<HttpAnswer> {
    const auth = credentials.authHeaders(
      token.value,
      { method: call.method, url: call.url, body: call.body },
      Date.now(),
    );
    const headers = replaceHeaders({ ...call.headers }, auth);
    return credentials.callApi(
      { method: call.method, url: call.url, headers, body: call.body },
      this.closing.signal,
      this.maxBytes,
    );
  }

  /** As the core http request node answers: payload, statusCode, the response's headers, responseUrl. */
  private output(msg: NodeMessage, call: PlannedCall, answer: HttpAnswer): NodeMessage {
    const { payload, notJson } = responsePayload(answer, this.settings.ret);
    if (notJson) this.node.warn(this.t("access-token-request.warn.not-json", { call: call.label }));
    msg.payload = payload;
    msg.statusCode = answer.status;
    msg.headers = markedResponseHeaders(answer.headers);
    msg.responseUrl = call.url;
    return msg;
  }

  private fail(err: unknown, done: (err?: Error) => void): void {
    const error = asTokenError(err, this.vendor);
    this.status.failed(error);
    doneWithStatusCode(this.hooks, done, catchable(error, this.t));
  }
}

function judge(credentials: CredentialsConfig, answer: HttpAnswer): ApiVerdict {
  return credentials.adapter.judgeApiResponse({
    status: answer.status,
    headers: answer.headers,
    body: answer.body.toString("utf8"),
  });
}
