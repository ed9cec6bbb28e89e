// The credentials dialog's Test button and state panel in a real browser, against a real Node-RED
// with adminAuth (an admin and a read-only user) and the simulator: a token fetched with what is
// typed in before any deploy, a wrong secret and a closed port shown as a Catch node would get
// them, a deployed node tested with its secret left unchanged (the browser never holds it), the
// deployed node's state after a flow run, and a read-only user's refused test as readable text.
// Every request and answer the page exchanged is swept for the secrets and the tokens.
import assert from "node:assert/strict";
import { providers, type ProviderId } from "../../src/providers";
import { ProviderSimulator, type Endpoint } from "../simulator";
import { exampleConfig, onSimulator } from "../support/generic-flows";
import { freePort } from "../support/ports";
import { shapesOf } from "../support/secret-shapes";
import { openEditor, trayShot } from "./support/browser";
import { fillDialog, lastExchange, pressTest, recordExchanges, statePanel } from "./support/credentials-dialog";
import { configId, endpoint, getTokenId, installFlow } from "./support/e2e-flows";
import { closeDialog, openDialog } from "./support/editor-ui";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";
import { adminAuthSettings, USERS } from "./support/users";

const WRONG_SECRET = "wrong secret&9+/x=%é";

describe(`e2e: the credentials dialog's Test button and state, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(90_000);
  const session = e2eSession({
    server: () => ProviderSimulator.start(),
    settings: adminAuthSettings(),
    user: "admin",
    deploy: ({ server, red, headers }) => red.deploy(installFlow(server.url, server.accounts), headers),
    failurePrefix: "failed-test-button",
  });
  const sim = () => session.server;
  const page = () => session.page;
  const account = () => sim().accounts.oneaccess;
  /** Every demo secret in every shape, the wrong one typed in included. */
  const secrets = () => {
    const { orionstar, enos, oneaccess, oauth2, homemade } = sim().accounts;
    const all = [orionstar.secret, enos.appSecret, oneaccess.clientSecret, oauth2.clientSecret, homemade.appSecret];
    return [...all, WRONG_SECRET].flatMap(shapesOf);
  };

  afterEach(() => {
    // Whatever a test did, nothing the page received holds a secret or a token; the page sends a
    // secret only where one was typed into the dialog, and never a token.
    const received = session.exchanges.map((e) => `${e.url}\n${e.responseText}`).join("\n");
    const sent = session.exchanges.map((e) => e.requestBody).join("\n");
    const tokens = sim().issuedTokens();
    for (const secret of [...secrets(), ...tokens]) {
      assert.ok(!received.includes(secret), `the page received a secret or a token (${secret.slice(0, 4)}…)`);
    }
    for (const token of tokens) assert.ok(!sent.includes(token), "the page sent a token");
  });

  /** A new OneAccess credentials dialog, opened from the deployed get token node's dialog. */
  async function newOneAccessDialog(baseUrl: string, clientSecret: string): Promise<void> {
    await openDialog(page(), getTokenId("oneaccess"));
    await page().locator("#node-input-btn-oneaccess-add").click();
    await page().locator("#node-config-input-clientSecret").waitFor();
    await page().locator("#node-config-input-baseUrl").fill(baseUrl);
    await page().locator("#node-config-input-clientId").fill(account().clientId);
    await page().locator("#node-config-input-clientSecret").fill(clientSecret);
  }

  /** Cancel the credentials dialog, then the get token dialog under it: nothing is changed. */
  async function cancelDialogs(): Promise<void> {
    await closeDialog(page(), "#node-config-dialog-cancel");
    await closeDialog(page(), "#node-dialog-cancel");
  }

  it("success: a token with the typed-in credentials before any deploy, shown with its expiry", async () => {
    await newOneAccessDialog(sim().url, account().clientSecret);
    // A slow vendor: the dialog shows it is busy, and the button cannot be pressed twice meanwhile.
    sim().fail("oneaccess.token", { kind: "slow", ms: 1_500 }, 1);
    const { pressed, ...result } = await pressTest(page());
    assert.deepEqual(pressed, { kind: "busy", text: "Asking for a token…", disabled: true });
    const answer = (await lastExchange(session.exchanges, "/access-token/credentials/test")).responseText;
    const { ok, expiresAt } = JSON.parse(answer) as { ok: boolean; expiresAt: number };
    assert.equal(ok, true, answer);
    assert.equal(sim().count("oneaccess.token"), 1, "the test asked the vendor");
    const local = await page().evaluate((at) => new Date(at).toLocaleString(), expiresAt);
    assert.deepEqual(result, { kind: "success", text: `Token received from OneAccess: valid until ${local}` });
    // A node only in the dialog has no state yet: the runtime says so.
    const state = await statePanel(page());
    assert.match(state.message, /not deployed/);
    await trayShot(page(), session.shots, "dialog-oneaccess-test-success", "dialog-test-button");
    // Changing the dialog takes the result away: it spoke of what was tested.
    await page().locator("#node-config-input-clientId").fill(`${account().clientId}x`);
    assert.equal(await page().locator(".access-token-test-result").innerText(), "");
    await cancelDialogs();
  });

  it("a wrong secret: the vendor's error as a Catch node gets it, the secret nowhere in the page", async () => {
    await newOneAccessDialog(sim().url, WRONG_SECRET);
    const { pressed: _pressed, ...result } = await pressTest(page());
    const exchange = await lastExchange(session.exchanges, "/access-token/credentials/test");
    const answer = JSON.parse(exchange.responseText) as { ok: boolean; message: string; code: string };
    assert.equal(answer.ok, false);
    assert.equal(answer.code, "invalid_client");
    assert.deepEqual(result, { kind: "error", text: answer.message }, "the route's text, as it is");
    assert.match(
      result.text,
      /^OneAccess error invalid_client .*the client ID or client secret is wrong/,
      "with its hint",
    );
    // The typed secret went to the route in the request only; the page shows it nowhere.
    assert.ok(exchange.requestBody.includes(JSON.stringify(WRONG_SECRET).slice(1, -1)), "the typed secret was sent");
    const html = await page().content();
    for (const shape of shapesOf(WRONG_SECRET)) assert.ok(!html.includes(shape), "the page shows the secret");
    await trayShot(page(), session.shots, "dialog-oneaccess-test-error");
    await cancelDialogs();
  });

  it("an unreachable host (a closed port): the connection error", async () => {
    const closed = await freePort();
    await newOneAccessDialog(`http://127.0.0.1:${closed}`, account().clientSecret);
    const result = await pressTest(page());
    assert.equal(result.kind, "error");
    assert.match(result.text, /refused the connection/);
    assert.ok(result.text.includes(`127.0.0.1:${closed}`), result.text);
    await cancelDialogs();
  });

  it("the deployed node, reopened with its secret unchanged: the test works, the browser never had the secret", async () => {
    const before = sim().count("oneaccess.token");
    await openDialog(page(), getTokenId("oneaccess"));
    await page().locator("#node-input-btn-oneaccess-edit").click();
    const secretInput = page().locator("#node-config-input-clientSecret");
    await secretInput.waitFor();
    assert.equal(await secretInput.inputValue(), "__PWRD__", "the dialog holds Node-RED's placeholder");
    const result = await pressTest(page());
    assert.equal(result.kind, "success", result.text);
    assert.match(result.text, /valid until/);
    assert.equal(sim().count("oneaccess.token"), before + 1);
    const sent = JSON.parse((await lastExchange(session.exchanges, "/access-token/credentials/test")).requestBody) as {
      id: string;
      credentials: Record<string, string>;
    };
    assert.equal(sent.id, configId("oneaccess"));
    assert.deepEqual(sent.credentials, { clientId: account().clientId, clientSecret: "__PWRD__" });
    // The editor loaded the node's credentials from Node-RED: without the secret.
    const loaded = await lastExchange(session.exchanges, `/credentials/oneaccess-credentials/${configId("oneaccess")}`);
    assert.deepEqual(JSON.parse(loaded.responseText), { clientId: account().clientId, has_clientSecret: true });
    await cancelDialogs();
  });

  it("the state of a deployed node: no token, then after a get token run a token from the vendor with its expiry", async () => {
    await openDialog(page(), getTokenId("oneaccess"));
    await page().locator("#node-input-btn-oneaccess-edit").click();
    const first = await statePanel(page());
    assert.equal(first.message, "");
    assert.equal(first.rows.tokenHeld, "no");
    assert.equal(first.rows.origin, "–");
    // The flow's http in -> get token: the deployed node fetches its token.
    const run = await fetch(`${session.red.url}${endpoint("oneaccess")}`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(run.status, 200);
    await page().locator(".access-token-state-refresh").click();
    await page().waitForFunction(
      () =>
        (globalThis as any).document.querySelector(".access-token-state-table tr[data-state='tokenHeld'] td")
          ?.textContent === "yes",
    );
    const state = await statePanel(page());
    const answer = JSON.parse(
      (await lastExchange(session.exchanges, `/${configId("oneaccess")}/state`)).responseText,
    ) as {
      expiresAt: number;
    };
    const local = await page().evaluate((at) => new Date(at).toLocaleString(), answer.expiresAt);
    assert.deepEqual(state.rows, {
      tokenHeld: "yes",
      expiresAt: local,
      origin: "the vendor",
      sharedCache: "not configured",
      lastError: "–",
    });
    await trayShot(page(), session.shots, "dialog-oneaccess-state", "dialog-credentials-state");
    await cancelDialogs();
    assert.deepEqual(
      session.editor.errors.filter((error) => error.startsWith("pageerror")),
      [],
      "no page errors",
    );
  });

  it("every other provider's dialog tests what it holds: OrionStar, EnOS, OAuth2 and a custom endpoint", async () => {
    const { orionstar, enos, oauth2, homemade } = sim().accounts;
    const example = onSimulator(exampleConfig("cfg-custom-homemade"), sim());
    const customProperties = (providers.custom.form.properties ?? []).map((p) => [p.name, String(example[p.name])]);
    const dialogs: Array<[ProviderId, Endpoint, Record<string, string>]> = [
      [
        "orionstar",
        "orionstar.token",
        { region: "custom", baseUrl: sim().url, appid: orionstar.appid, secret: orionstar.secret },
      ],
      ["enos", "enos.token", { baseUrl: sim().url, appKey: enos.appKey, appSecret: enos.appSecret }],
      [
        "oauth2",
        "oauth2.token",
        { tokenUrl: `${sim().url}/oauth2/token`, clientId: oauth2.clientId, clientSecret: oauth2.clientSecret },
      ],
      [
        "custom",
        "homemade.token",
        {
          tokenUrl: String(example.tokenUrl),
          ...Object.fromEntries(customProperties),
          key: homemade.appKey,
          secret: homemade.appSecret,
        },
      ],
    ];
    for (const [provider, endpointName, values] of dialogs) {
      const before = sim().count(endpointName);
      await openDialog(page(), getTokenId("oneaccess"));
      await page().locator("#node-input-provider").selectOption(provider);
      await page().locator(`#node-input-btn-${provider}-add`).click();
      await page().locator(".access-token-test-button").waitFor();
      await page().waitForTimeout(400);
      await fillDialog(page(), values);
      const result = await pressTest(page());
      assert.equal(result.kind, "success", `${provider}: ${result.text}`);
      assert.match(result.text, /valid until/, provider);
      assert.equal(sim().count(endpointName), before + 1, `${provider}: one token request`);
      await cancelDialogs();
    }
  });

  it("a read-only user: the refused test is shown as readable text, the state still shown", async () => {
    const viewer = await openEditor(session.red.url, { login: { username: "viewer", password: USERS.viewer } });
    const seen = recordExchanges(viewer.page);
    try {
      const before = sim().count("oneaccess.token");
      await openDialog(viewer.page, getTokenId("oneaccess"));
      await viewer.page.locator("#node-input-btn-oneaccess-edit").click();
      await viewer.page.locator("#node-config-input-clientSecret").waitFor();
      const { pressed: _pressed, ...result } = await pressTest(viewer.page);
      // A logged-in user without the permission: 403 (not Node-RED's 401, which means "log in").
      const { status } = await lastExchange(seen, "/access-token/credentials/test");
      assert.equal(status, 403, `HTTP ${status}`);
      assert.deepEqual(result, {
        kind: "error",
        text: `Not allowed (HTTP ${status}): testing credentials needs a login with the flows.write and access-token.write permissions`,
      });
      assert.equal(sim().count("oneaccess.token"), before, "a refused test asks the vendor nothing");
      assert.equal((await statePanel(viewer.page)).rows.tokenHeld, "yes", "reading the state needs read only");
      await trayShot(viewer.page, session.shots, "dialog-oneaccess-test-forbidden");
      // The browser logs each refused request (the settings before the login, the test) as a console error.
      assert.deepEqual(
        viewer.errors.filter((error) => error.startsWith("pageerror")),
        [],
        "no page errors",
      );
    } finally {
      await viewer.close();
    }
  });
});
