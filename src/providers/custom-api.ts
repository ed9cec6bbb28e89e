// How a custom provider reads an API call's answer: `apiExpired` first (the token is no longer
// accepted: refresh and resend once), then `apiOk`; what is not ok is an error with the code and
// text of `apiErrorCode` and `apiErrorMessage`. Each left unset reads as an OAuth2 resource server.
import { bearerVerdict } from "./api-answer";
import { accountBindings } from "./custom-bindings";
import { evaluate } from "./custom-evaluate";
import type { CustomSettings } from "./custom-settings";
import { answerInput } from "./custom-token";
import { codeOf, headerValue, parseRetryAfter, textOf } from "./parse";
import type { ApiVerdict, Credentials, RawResponse } from "./types";

/** Whether any API answer expression is set: without one, the answer is read as bearerVerdict reads it, without JSONata. */
export function readsApiAnswers(settings: CustomSettings): boolean {
  return [settings.apiExpired, settings.apiOk, settings.apiErrorCode, settings.apiErrorMessage].some(
    (source) => source !== undefined,
  );
}

export async function customVerdict(
  settings: CustomSettings,
  credentials: Credentials,
  response: RawResponse,
): Promise<ApiVerdict> {
  const input = answerInput(response);
  const context = accountBindings(credentials);
  const judged = (field: "apiExpired" | "apiOk") => evaluate(settings, field, input, context, credentials);
  // What an OAuth2 resource server's answer would say: the defaults of every unset expression.
  const byStatus = bearerVerdict(response);
  const details = async () => ({
    code: settings.apiErrorCode
      ? codeOf(await evaluate(settings, "apiErrorCode", input, context, credentials))
      : "code" in byStatus
        ? byStatus.code
        : undefined,
    text: settings.apiErrorMessage
      ? textOf(await evaluate(settings, "apiErrorMessage", input, context, credentials))
      : "text" in byStatus
        ? byStatus.text
        : undefined,
  });
  const expired = settings.apiExpired ? Boolean(await judged("apiExpired")) : response.status === 401;
  if (expired) return { outcome: "token-rejected", ...(await details()) };
  const ok = settings.apiOk ? Boolean(await judged("apiOk")) : response.status < 400;
  if (ok) return { outcome: "ok" };
  const retryAfterMs = parseRetryAfter(headerValue(response, "retry-after"));
  return { outcome: "error", ...(await details()), retryAfterMs };
}
