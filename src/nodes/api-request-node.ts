// The api request node: the API call itself, with the token of the chosen credentials node (the
// same one-per-credentials cache as get token), EnOS's signature over the exact bytes sent, the
// vendor's errors, and one forced refresh and resend when the vendor says the token is no longer
// valid (shared: a hundred messages that see the expiry cause one token request).
import { setMaxListeners } from "node:events";
import type { CallOptions } from "../account/account";
import type { HttpAnswer } from "../http";
import type { ExpressionEvaluator } from "../providers/expressions";
import type { Limiter } from "../rate-limit/limiter";
import { DEFAULT_MARGIN_MS } from "../token-source";
import { pageMessages } from "./api-page-messages";
import {
  firstPage,
  pageExpressions,
  pagesProblem,
  readPagesSettings,
  walkPages,
  type PagesSettings,
} from "./api-pages";
import {
  callParts,
  planParts,
  readApiRequestSettings,
  sendsBody,
  type ApiRequestSettings,
  type CallParts,
  type PlannedCall,
} from "./api-request";
import { apiError, responsePayload } from "./api-response";
import { readBusySettings, type BusySettings } from "./busy-settings";
import { CallStatus } from "./call-status";
import { migrateConfig } from "./config-version";
import { CredentialsUser, type Ready } from "./credentials-user";
import { expressionLimits } from "./expression-settings";
import { jsonataEvaluator } from "./jsonata";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "./node-red";
import { markedResponseHeaders } from "./response-headers";
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

class ApiRequest {
  private readonly user: CredentialsUser;
  private readonly settings: ApiRequestSettings;
  private readonly maxBytes: number;
  private readonly pages: PagesSettings;
  /** The pages' expressions, bounded as the custom provider's are, ended by a redeploy. */
  private readonly evaluator: ExpressionEvaluator;
  private readonly busy: BusySettings | undefined;
  private readonly callStatus: CallStatus;

  constructor(
    private readonly RED: NodeAPI,
    private readonly t: Translate,
    private readonly node: Node,
    config: NodeDef,
  ) {
    // Read where the node's vendor name is known: an unusable maxWait or pages setting is the node's problem.
    let busy: BusySettings | undefined;
    this.settings = readApiRequestSettings(config);
    this.pages = readPagesSettings(config);
    this.user = new CredentialsUser(RED, t, node, config, t("access-token-request.paletteLabel"), {
      ownProblem: (vendor) => {
        const read = readBusySettings(config, vendor, t);
        if (read instanceof Error) return read;
        busy = read;
        return pagesProblem(this.pages, jsonataEvaluator(RED.util, node), vendor);
      },
    });
    this.busy = busy;
    this.callStatus = new CallStatus(this.user.status);
    node.on("close", () => this.callStatus.close());
    this.maxBytes = maxBytes(RED, node, t);
    const limits = () => expressionLimits(RED.settings, (text) => node.warn(text), t);
    this.evaluator = jsonataEvaluator(RED.util, node, limits, this.user.closing.signal);
    // Every call in flight listens to it (hundreds at once are normal), so no listener limit.
    setMaxListeners(0, this.user.closing.signal);
    node.on("input", (msg, send, done) =>
      this.user.run(msg, send, done, (ready, input) => this.handle(ready, input, send)),
    );
  }

  private async handle(ready: Ready, msg: NodeMessage, send: (msg: NodeMessage) => void): Promise<NodeMessage> {
    const { credentials, account } = ready;
    const { vendor, status } = this.user;
    // A vendor whose token answer names the API's host: a relative path waits for it.
    if (account.provider.givesApiBase && !account.tokens.current()) {
      status.fetching();
      await credentials.token({ marginMs: DEFAULT_MARGIN_MS });
    }
    const parts = callParts(this.settings, msg, vendor);
    const call = planParts(parts, account.apiBase, vendor);
    const forceRefresh = msg.refreshToken === true;
    delete msg.refreshToken;
    if (this.pages.paginate !== "none") return this.walk(ready, msg, parts, call, forceRefresh, send);
    return this.output(msg, call, await this.send(ready, msg, call, forceRefresh, this.settings.errors));
  }

  /** Every page of a list (src/nodes/api-pages.ts); a refused page goes to Catch whatever `errors` says. */
  private walk(
    ready: Ready,
    msg: NodeMessage,
    parts: CallParts,
    call: PlannedCall,
    forceRefresh: boolean,
    send: (msg: NodeMessage) => void,
  ): Promise<NodeMessage> {
    const { vendor } = this.user;
    const { account } = ready;
    const walk = {
      expressions: pageExpressions(this.pages, account.provider.pagination, vendor),
      maxPages: this.pages.maxPages,
      evaluator: this.evaluator,
      signal: this.user.closing.signal,
      vendor,
    };
    const first = firstPage(call.url, sendsBody(parts.method) ? parts.payload : undefined);
    const pages = walkPages(
      first,
      async (request, number) => {
        const page =
          number === 1
            ? call
            : planParts(
                { ...parts, url: request.url, query: request.query, payload: request.body },
                account.apiBase,
                vendor,
              );
        const answer = await this.send(ready, msg, page, number === 1 && forceRefresh, "catch");
        return this.output(this.RED.util.cloneMessage(msg), page, answer);
      },
      walk,
    );
    return pageMessages(pages, msg, {
      mode: this.pages.pageOutput,
      send,
      warnCut: (count) =>
        this.node.warn(this.t("access-token-request.warn.max-pages", { call: call.label, pages: count })),
      vendor,
      call: call.label,
    });
  }

  /** One call: token, signing, one refresh; a refused one thrown (msg given its status) when `errors` is catch. */
  private async send(
    { credentials, account }: Ready,
    msg: NodeMessage,
    call: PlannedCall,
    forceRefresh: boolean,
    errors: ApiRequestSettings["errors"],
  ): Promise<HttpAnswer> {
    const { vendor, status } = this.user;
    const outcome = await this.paced(account.limiter, (pacing) =>
      credentials.call(call, {
        vendor,
        signal: this.user.closing.signal,
        maxBytes: this.maxBytes,
        marginMs: DEFAULT_MARGIN_MS,
        forceRefresh,
        resend: this.settings.retry,
        onTokenRequest: () => status.fetching(),
        ...pacing,
      }),
    );
    const { answer, verdict, token, firstToken, resent } = outcome;
    if (token) status.token(token);
    else status.signed();
    if (verdict.outcome !== "ok" && errors === "catch") {
      // Catch nodes get the message with the refused call's status.
      msg.statusCode = answer.status;
      // The vendor may quote any token this call sent, as well as the secrets.
      const mask = account.secretMask([firstToken, token].flatMap((sent) => (sent ? [sent.value] : [])));
      throw apiError(verdict, answer, call, vendor, (text) => mask.text(text), resent);
    }
    return answer;
  }

  /** The call with what its status shows while it waits its turn, and with busy "wait" the vendor's pause. */
  private paced<T>(limiter: Limiter, send: (pacing: Pick<CallOptions, "onQueued" | "busy">) => Promise<T>): Promise<T> {
    // The call may be queued before send() returns its promise (no token to wait for).
    const call: { sent?: Promise<T>; queuedEarly?: boolean } = {};
    const busy = this.busy?.busy === "wait" ? this.busy : undefined;
    const sent = send({
      onQueued: () => (call.sent ? this.callStatus.queued(limiter, call.sent) : (call.queuedEarly = true)),
      busy: busy && { maxWaitMs: busy.maxWaitMs, onWait: (ms) => this.callStatus.busy(ms) },
    });
    call.sent = sent;
    if (call.queuedEarly) this.callStatus.queued(limiter, sent);
    return sent;
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
}
