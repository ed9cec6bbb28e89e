// One token request through the real HTTP layer, as the TokenSource makes it: for tests that look
// at a single request/response pair rather than at caching.
import { TokenError } from "../../src/errors";
import { HttpClient, type HttpSettings } from "../../src/http";
import { providers } from "../../src/providers";
import type { Credentials, ParsedToken, ProviderId } from "../../src/providers";
import { redactError } from "../../src/redact";
import { bound } from "./bound";

/** The vendors evaluate no expressions. */
const NO_EXPRESSIONS = {
  check: () => undefined,
  evaluate: () => Promise.reject(new Error("no expressions here")),
};

export async function fetchToken(
  provider: ProviderId,
  baseUrl: string,
  credentials: Credentials,
  settings: HttpSettings = {},
): Promise<ParsedToken> {
  const adapter = providers[provider];
  const http = new HttpClient(settings);
  const read = adapter.settings({ baseUrl }, NO_EXPRESSIONS);
  const request = await bound(adapter, read, credentials).tokenRequest(Date.now());
  try {
    return await bound(adapter, read, credentials).parseToken(await http.send(request, adapter.vendor), Date.now());
  } catch (err) {
    throw redactError(err, adapter.vendor, request.secrets);
  } finally {
    await http.close();
  }
}

export async function fetchError(...args: Parameters<typeof fetchToken>): Promise<TokenError> {
  try {
    await fetchToken(...args);
  } catch (err) {
    if (err instanceof TokenError) return err;
    throw err;
  }
  throw new Error("expected the token request to fail");
}
