// The small page the sign-in window ends on (the callback's answer): signed in, or what went wrong,
// as text (never a token, a code or a secret). It tells the dialog that opened the window, over a
// BroadcastChannel of the editor's origin (a window.opener is often cut by the vendor's
// Cross-Origin-Opener-Policy) and the opener when there still is one; the dialog then reads the
// node's state through the state route, which checks the user's permission.
import { randomBytes } from "node:crypto";
import { type SIGN_IN_CHANNEL } from "../admin-api";

/** What the page posts: the node and whether its sign-in worked, nothing else. */
export interface SignInMessage {
  type: typeof SIGN_IN_CHANNEL;
  id: string;
  ok: boolean;
}

export interface SignInPage {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON value inside a <script>: no "</script>" or "<!--" can close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * The page: a title, the text, and for a sign-in that reached a node the script that tells the
 * dialog. `lang`: the runtime's language (its catalog wrote the texts).
 */
export function signInPage(options: {
  status: number;
  title: string;
  text: string;
  lang: string;
  message?: SignInMessage;
}): SignInPage {
  const nonce = randomBytes(16).toString("base64");
  const script = options.message
    ? `<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(options.message)};
  try { var channel = new BroadcastChannel(message.type); channel.postMessage(message); channel.close(); } catch (e) {}
  try { if (window.opener) window.opener.postMessage(message, window.location.origin); } catch (e) {}
})();
</script>`
    : "";
  const body = `<!DOCTYPE html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>body { font-family: sans-serif; margin: 3em auto; max-width: 36em; padding: 0 1em; line-height: 1.5; }</style>
</head>
<body>
<h1 data-result="${options.message?.ok ? "signed-in" : "failed"}">${escapeHtml(options.title)}</h1>
<p>${escapeHtml(options.text)}</p>
${script}
</body>
</html>
`;
  return {
    status: options.status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // The callback's URL holds the code: no page it leads to may see it.
      "referrer-policy": "no-referrer",
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "x-content-type-options": "nosniff",
    },
    body,
  };
}
