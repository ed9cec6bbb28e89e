// One token request through the real HTTP layer, as the TokenSource makes it: for tests that look
// at a single request/response pair rather than at caching.
import { TokenError } from "../../src/errors";
import { HttpClient, type HttpSettings } from "../../src/http";
import { providers } from "../../src/providers";
import type { Credentials, ParsedToken, ProviderId } from "../../src/providers/types";
import { redactError } from "../../src/redact";

export async function fetchToken(
  provider: ProviderId,
  baseUrl: string,
  credentials: Credentials,
  settings: HttpSettings = {},
): Promise<ParsedToken> {
  const adapter = providers[provider];
  const http = new HttpClient(settings);
  const request = adapter.tokenRequest(baseUrl, credentials, Date.now());
  try {
    return adapter.parseToken(await http.send(request, adapter.vendor));
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
