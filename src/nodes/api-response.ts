// What the api request node makes of an answer: msg.payload in the form the node asks for, and the
// error a refused call becomes. The vendor's own words go into the error only after `mask` has
// taken every secret and the token out, and are cut after that.
import { TokenError } from "../errors";
import type { HttpAnswer } from "../http";
import type { ApiVerdict } from "../providers/types";
import type { ApiRequestSettings, PlannedCall } from "./api-request";

/** The vendor's text in an error is cut to this many characters (after redaction). */
const MAX_VENDOR_TEXT = 200;

/** msg.payload per `ret`; `notJson` when JSON was asked for and the body is not (it is then the text). */
export function responsePayload(
  answer: HttpAnswer,
  ret: ApiRequestSettings["ret"],
): { payload: unknown; notJson: boolean } {
  if (ret === "bin") return { payload: answer.body, notJson: false };
  const text = answer.body.toString("utf8");
  if (ret === "txt" || text.trim() === "") return { payload: text, notJson: false };
  try {
    return { payload: JSON.parse(text) as unknown, notJson: false };
  } catch {
    return { payload: text, notJson: true };
  }
}

/** The error a refused call becomes: it names the vendor, the call (method and path), the code and the vendor's text, all masked. */
export function apiError(
  verdict: Exclude<ApiVerdict, { outcome: "ok" }>,
  answer: HttpAnswer,
  call: PlannedCall,
  vendor: string,
  mask: (text: string) => string,
  retried: boolean,
): TokenError {
  const text = vendorText(verdict.text, mask);
  // The code is the vendor's words too (a server may put the token in it); the call's path may hold a secret.
  const code = verdict.code === undefined ? undefined : mask(verdict.code);
  // The vendor's code where it gave one, and the HTTP status: "101024, HTTP 200" or "HTTP 401".
  const answerText = code !== undefined ? `${code}, HTTP ${answer.status}` : `HTTP ${answer.status}`;
  const common = {
    vendor,
    httpStatus: answer.status,
    code,
    params: { call: mask(call.label), text, answer: answerText },
  };
  if (verdict.outcome === "token-rejected") {
    return new TokenError({ ...common, kind: "api", key: retried ? "api-token-rejected" : "api-token-expired" });
  }
  if (verdict.retryAfterMs !== undefined && (answer.status === 429 || answer.status === 503)) {
    const wait = Math.ceil(verdict.retryAfterMs / 1000);
    return new TokenError({
      ...common,
      kind: "api",
      key: "api-rate-limited",
      retryAfterMs: verdict.retryAfterMs,
      params: { ...common.params, wait },
    });
  }
  return new TokenError({ ...common, kind: "api", key: verdict.code !== undefined ? "api-code" : "api-status" });
}

function vendorText(text: string | undefined, mask: (text: string) => string): string {
  if (!text) return "";
  const clean = mask(text);
  return clean.length > MAX_VENDOR_TEXT ? `${clean.slice(0, MAX_VENDOR_TEXT)}…` : clean;
}
