// A user's sign-in (oauth2-credentials, grant authorization_code with PKCE) in a real browser: a real
// Node-RED with adminAuth, a real authorization server (panva's oidc-provider, with its own login and
// consent pages) and Chromium. The admin opens the credentials dialog, sees the redirect URI the
// server has registered, presses Sign in, signs in and consents in the new window, the callback page
// says signed in, the open dialog shows "Signed in as" the account's name without a reload, and an
// inject -> api request -> debug flow calls the server's userinfo API with the token.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { CALLBACK_PATH } from "../../src/admin-api";
import { startOidcServer, type OidcServer } from "../support/oidc-server";
import { trayShot } from "./support/browser";
import { closeDialog, openDialog, pressInject, sidebarShortcut } from "./support/editor-ui";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";
import { adminAuthSettings } from "./support/users";

const CLIENT_ID = "node-red-e2e-home";
const CLIENT_SECRET = "e2e-sign-in-client-secret-5d1c";
const ACCOUNT = "alice.e2e";
const TAB = "sign-in-tab";
const CONFIG = "cfg-sign-in";
const API = "api-me";
const INJECT = "in-me";

function flow(server: OidcServer): Array<Record<string, unknown>> {
  const at = (x: number) => ({ z: TAB, x, y: 80 });
  return [
    { id: TAB, type: "tab", label: "sign in e2e", disabled: false, info: "" },
    {
      id: CONFIG,
      type: "oauth2-credentials",
      name: "Home thermostat",
      tokenUrl: server.tokenUrl,
      grant: "authorization_code",
      authorizationUrl: server.authorizationUrl,
      clientAuth: "basic",
      keyId: "",
      assertionAudience: "",
      scope: "openid profile",
      audience: "",
      resource: "",
      lifetime: 3600,
      apiUrl: server.issuer,
      apiHosts: "",
      proxy: "",
      tls: "",
      timeout: 10,
      version: 3,
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    },
    {
      id: INJECT,
      type: "inject",
      name: "",
      props: [{ p: "payload" }],
      payload: "",
      payloadType: "str",
      wires: [[API]],
      ...at(120),
    },
    {
      id: API,
      type: "access-token-request",
      name: "userinfo",
      provider: "oauth2",
      oauth2: CONFIG,
      method: "GET",
      url: "/me",
      ret: "obj",
      retry: true,
      errors: "catch",
      version: 1,
      wires: [["out-me"]],
      ...at(320),
    },
    {
      id: "out-me",
      type: "debug",
      name: "",
      active: true,
      complete: "payload",
      targetType: "msg",
      wires: [],
      ...at(520),
    },
  ];
}

describe(`e2e: OAuth2 sign-in with a user account in Chromium, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(120_000);
  let redirectUri = "";
  const session = e2eSession({
    server: (port) => {
      // What the dialog will show, registered with the server before Node-RED starts: the editor is
      // reached at http://127.0.0.1:<port>/ (admin root "/").
      redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
      return startOidcServer({
        clients: [{ id: CLIENT_ID, auth: "client_secret_basic", secret: CLIENT_SECRET, redirectUris: [redirectUri] }],
      });
    },
    settings: adminAuthSettings(),
    user: "admin",
    deploy: ({ server, red, headers }) => red.deploy(flow(server), headers),
    failurePrefix: "failed-sign-in",
  });
  const page = (): Page => session.page;

  before(async () => {
    // The server's pages import a web font: nothing leaves this machine.
    await session.editor.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  });

  /** The deployed credentials node's dialog, opened with the pencil beside the api request node's choice. */
  async function openCredentialsDialog(): Promise<void> {
    await openDialog(page(), API);
    await page().locator("#node-input-btn-oauth2-edit").click();
    await page().locator(".access-token-sign-in-button").waitFor();
    await page().waitForTimeout(400);
  }

  it("signs in through the server's pages in a new window; the open dialog shows the name; the API is called with the token", async () => {
    // The editor's first settings request before the login is refused (401): not this test's.
    const errorsBefore = session.editor.errors.length;
    await openCredentialsDialog();
    // Deployed as the editor saves it: valid, and what Sign in will use.
    assert.equal(await page().evaluate((id) => (globalThis as any).RED.nodes.node(id)?.valid, CONFIG), true);
    const redirect = page().locator("#access-token-redirect-uri");
    assert.equal(await redirect.inputValue(), redirectUri, "the redirect URI shown is the one registered");
    const result = page().locator(".access-token-sign-in-result");
    assert.equal((await result.innerText()).trim(), "Not signed in");

    const [popup] = await Promise.all([
      session.editor.context.waitForEvent("page"),
      page().locator(".access-token-sign-in-button").click(),
    ]);
    // oidc-provider's own login page, then its consent page.
    await popup.locator('input[name="login"]').fill(ACCOUNT);
    await popup.locator('input[name="password"]').fill("any password");
    await popup.locator('button[type="submit"]').click();
    const consent = popup.locator('form:has(input[name="prompt"][value="consent"]) button[type="submit"]');
    await consent.click();
    // Back at Node-RED's callback: the code exchanged.
    const heading = popup.locator("h1[data-result]");
    await heading.waitFor();
    assert.equal(await heading.getAttribute("data-result"), "signed-in");
    assert.match(await popup.locator("body").innerText(), new RegExp(`Signed in as ${ACCOUNT.replace(".", "\\.")}`));
    assert.equal(new URL(popup.url()).pathname, CALLBACK_PATH);

    // The dialog heard it on the BroadcastChannel and read the state again: no reload.
    await page().locator(".access-token-sign-in-result[data-result='success']").waitFor();
    assert.equal((await result.innerText()).trim(), `Signed in as ${ACCOUNT}`);
    await popup.close();
    await trayShot(page(), session.shots, "dialog-oauth2-signed-in", "dialog-oauth2-signed-in");
    const grants = session.server.requests.map((r) => `${r.grantType}${r.error ? ` ${r.error}` : ""}`);
    assert.deepEqual(grants, ["authorization_code"], "one code exchange, accepted");
    await closeDialog(page(), "#node-config-dialog-cancel");
    await closeDialog(page(), "#node-dialog-cancel");

    // The flow: the API is called with the signed-in user's token.
    await pressInject(page(), INJECT);
    await sidebarShortcut(page(), "d");
    const message = page().locator(".red-ui-debug-msg").filter({ hasText: ACCOUNT }).first();
    await message.waitFor();
    assert.match(await message.innerText(), /sub/);
    assert.deepEqual(await page().evaluate((id) => (globalThis as any).RED.nodes.node(id)?.status?.fill, API), "green");
    assert.deepEqual(session.editor.errors.slice(errorsBefore), [], "the page logged no error");
  });
});
