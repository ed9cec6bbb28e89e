// The editor in a real browser (Debian's chromium via playwright-core) against a real Node-RED with
// the packed module installed: palette, dialogs, credentials, help, deploy from the UI with a green
// status against the simulator, an imported example, and one dialog in zh-CN. Screenshots go to
// test-artifacts/editor/ (UPDATE_DOCS_IMAGES=1 also refreshes docs/images/).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../../src/providers";
import { orionstar } from "../../src/providers/orionstar";
import { ProviderSimulator } from "../simulator";
import { openEditor, screenshot, trayShot } from "./support/browser";
import {
  exampleShot,
  fillCredentials,
  importExample,
  nodeBoxes,
  notificationsGone,
  paletteShot,
  type NodeBox,
} from "./support/editor-flows";
import { loadExamples } from "../../scripts/demo/examples";
import {
  canvasNode,
  closeDialog,
  deployFromUi,
  dragFromPalette,
  nodeStatus,
  openDialog,
  paletteNode,
  pressInject,
  showHelp,
  sidebarShortcut,
  wire,
} from "./support/editor-ui";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";
import { repoRoot } from "./support/package-tarball";

const PROVIDERS = Object.values(providers).map((adapter) => adapter.id);
/** Page pixels two rendered nodes keep between them (ports included), so the wires stay readable. */
const MIN_GAP = 10;

/** The space between two boxes: negative when they overlap (the larger of the two axes' gaps). */
function gapBetween(a: NodeBox, b: NodeBox): number {
  const horizontal = Math.max(a.left, b.left) - Math.min(a.right, b.right);
  const vertical = Math.max(a.top, b.top) - Math.min(a.bottom, b.bottom);
  return Math.max(horizontal, vertical);
}
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

describe(`e2e: the editor in chromium, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(90_000);
  const session = e2eSession({ server: () => ProviderSimulator.start() });
  const sim = () => session.server;
  const page = () => session.page;
  /** The get token node the tests add by dragging, and its workspace position. */
  let getToken = "";

  afterEach(function () {
    if (this.currentTest?.state === "failed")
      console.log(`    node-red output:\n${session.red.lines.slice(-30).join("\n")}`);
  });

  it("lists get token in the palette under network, with its SVG icon", async () => {
    const node = paletteNode(page(), "access-token");
    assert.equal(await node.getAttribute("data-palette-label"), "get token");
    const category = await node.evaluate((el) => el.closest(".red-ui-palette-category")?.id);
    assert.equal(category, "red-ui-palette-container-network");
    const icon = await node
      .locator(".red-ui-palette-icon")
      .evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundImage);
    assert.match(icon, /icons\/@iot-token\/node-red-access-token\/iot-token-access-token\.svg/);
    const served = await page().evaluate(
      async (url) => (await fetch(url)).status,
      "icons/@iot-token/node-red-access-token/iot-token-access-token.svg",
    );
    assert.equal(served, 200);
    await paletteShot(page(), session.shots);
  });

  it("adds get token by dragging it onto the workspace; its dialog offers the five providers", async () => {
    getToken = await dragFromPalette(page(), "access-token", 420, 160);
    const tray = await openDialog(page(), getToken);
    const options = await tray
      .locator("#node-input-provider option")
      .evaluateAll((els) => els.map((e) => [(e as any).value, e.textContent]));
    assert.deepEqual(options, [
      ["orionstar", "OrionStar"],
      ["enos", "EnOS"],
      ["oneaccess", "OneAccess"],
      ["oauth2", "OAuth2"],
      ["custom", "Custom token endpoint"],
    ]);
    assert.equal(await tray.locator("#node-input-provider").inputValue(), "orionstar", "OrionStar by default");
    await trayShot(page(), session.shots, "dialog-get-token", "dialog-get-token");
  });

  it("shows only the chosen provider's credentials selector", async () => {
    for (const provider of PROVIDERS) {
      await page().locator("#node-input-provider").selectOption(provider);
      for (const other of PROVIDERS) {
        const row = page().locator(`.access-token-credentials-row[data-provider="${other}"]`);
        assert.equal(
          await row.isVisible(),
          other === provider,
          `${provider} chosen: ${other} selector ${other === provider ? "shown" : "hidden"}`,
        );
      }
      await trayShot(page(), session.shots, `dialog-get-token-${provider}`);
    }
  });

  it("opens each credentials dialog with the secret as a password field, and the region picker for OrionStar", async () => {
    const secretField = { orionstar: "secret", enos: "appSecret", oneaccess: "clientSecret" } as const;
    // EnOS and OneAccess are only looked at (Cancel); OrionStar is created against the simulator.
    for (const provider of ["enos", "oneaccess", "orionstar"] as const) {
      await page().locator("#node-input-provider").selectOption(provider);
      await page().locator(`#node-input-btn-${provider}-add`).click();
      const secret = page().locator(`#node-config-input-${secretField[provider]}`);
      await secret.waitFor();
      await page().waitForTimeout(400);
      assert.equal(await secret.getAttribute("type"), "password", `${provider}: the secret is a password field`);
      assert.equal(
        await page().locator("#node-config-input-region").isVisible(),
        provider === "orionstar",
        `${provider}: region picker`,
      );
      if (provider !== "orionstar") {
        await trayShot(page(), session.shots, `dialog-${provider}-credentials`, `dialog-${provider}-credentials`);
        await closeDialog(page(), "#node-config-dialog-cancel");
        continue;
      }
      const regions = await page()
        .locator("#node-config-input-region option")
        .evaluateAll((els) => els.map((e) => (e as any).value));
      assert.ok(regions.length >= 5 && regions.includes("custom"), `regions: ${regions.join(", ")}`);
      // The dialog is generated by the build: its picker offers the adapter's regional hosts.
      assert.deepEqual(regions, [...Object.values(orionstar.form.regions ?? {}), "custom"]);
      await fillCredentials(page(), sim().url, sim().accounts.orionstar);
      await trayShot(page(), session.shots, "dialog-orionstar-credentials", "dialog-orionstar-credentials");
      await closeDialog(page(), "#node-config-dialog-ok");
    }
    const selected = await page().locator("#node-input-orionstar").inputValue();
    assert.ok(selected && selected !== "_ADD_", "the new credentials are selected");
    await closeDialog(page(), "#node-dialog-ok");
  });

  it("opens the oauth2 and custom dialogs: token URL, selects, a number spinner, JSONata inputs with the expression editor, syntax checked", async () => {
    await openDialog(page(), getToken);
    for (const provider of ["oauth2", "custom"] as const) {
      await page().locator("#node-input-provider").selectOption(provider);
      await page().locator(`#node-input-btn-${provider}-add`).click();
      const secret = page().locator(
        provider === "oauth2" ? "#node-config-input-clientSecret" : "#node-config-input-secret",
      );
      await secret.waitFor();
      await page().waitForTimeout(400);
      assert.equal(await secret.getAttribute("type"), "password", `${provider}: the secret is a password field`);
      assert.ok(await page().locator("#node-config-input-tokenUrl").isVisible(), `${provider}: token URL`);
      assert.ok(
        await page().locator(".ui-spinner #node-config-input-lifetime").count(),
        `${provider}: lifetime spinner`,
      );
      // A new node has no API URL and no API hosts: its token goes nowhere until they are set.
      assert.equal(await page().locator("#node-config-input-apiUrl").inputValue(), "", `${provider}: API URL`);
      assert.equal(await page().locator("#node-config-input-apiHosts").inputValue(), "", `${provider}: API hosts`);
      if (provider === "oauth2") {
        assert.equal(await page().locator("#node-config-input-clientAuth").inputValue(), "basic");
        assert.equal(await page().locator("#node-config-input-grant").inputValue(), "client_credentials");
        // Each choice shows the fields it needs: the secret, the key and its ID, the user's.
        const shown = async () => {
          const names = ["clientSecret", "privateKey", "keyId", "assertionAudience", "username", "password"];
          const visible = await Promise.all(
            names.map((name) => page().locator(`#node-config-input-${name}`).isVisible()),
          );
          return names.filter((_name, index) => visible[index]);
        };
        assert.deepEqual(await shown(), ["clientSecret"]);
        await page().locator("#node-config-input-clientAuth").selectOption("private_key_jwt");
        assert.deepEqual(await shown(), ["privateKey", "keyId", "assertionAudience"]);
        const keyInput = page().locator("#node-config-input-privateKey");
        assert.equal(await keyInput.evaluate((element) => element.tagName), "TEXTAREA", "a PEM keeps its lines");
        await page().locator("#node-config-input-clientAuth").selectOption("tls_client_auth");
        await page().locator("#node-config-input-grant").selectOption("password");
        assert.deepEqual(await shown(), ["username", "password"]);
        await page().locator("#node-config-input-clientAuth").selectOption("basic");
        await page().locator("#node-config-input-grant").selectOption("client_credentials");
        assert.deepEqual(await shown(), ["clientSecret"]);
      } else {
        assert.equal(await page().locator("#node-config-input-method").inputValue(), "POST");
        // A typedInput of type jsonata, with the expression editor's button.
        const typed = await page().evaluate(() => {
          const input = (globalThis as any).$("#node-config-input-token");
          const container = input.next(".red-ui-typedInput-container");
          return {
            value: input.typedInput("value"),
            type: input.typedInput("type"),
            containers: container.length,
            expand: container.find(".red-ui-typedInput-option-expand").length,
          };
        });
        assert.deepEqual(typed, { value: "body.access_token", type: "jsonata", containers: 1, expand: 1 });
        // A broken expression is marked before deploy.
        await page().evaluate(() => {
          const $ = (globalThis as any).$;
          $("#node-config-input-expiresIn").typedInput("value", "body.(").trigger("change");
        });
        await page().waitForFunction(() =>
          (globalThis as any).$("#node-config-input-expiresIn").hasClass("input-error"),
        );
        await page().evaluate(() => {
          (globalThis as any)
            .$("#node-config-input-expiresIn")
            .typedInput("value", "body.expires_in")
            .trigger("change");
        });
        await page().waitForFunction(
          () => !(globalThis as any).$("#node-config-input-expiresIn").hasClass("input-error"),
        );
      }
      await trayShot(page(), session.shots, `dialog-${provider}-credentials`);
      await closeDialog(page(), "#node-config-dialog-cancel");
    }
    await page().locator("#node-input-provider").selectOption("orionstar");
    await closeDialog(page(), "#node-dialog-cancel");
  });

  it("shows the help text in the sidebar", async () => {
    const help = await showHelp(page(), getToken);
    const source = fs.readFileSync(path.join(repoRoot, "nodes", "locales", "en-US", "access-token.html"), "utf8");
    const first =
      /data-help-name="access-token">\s*<p>([^<]{20,})/.exec(source)?.[1].replace(/\s+/g, " ").trim().slice(0, 40) ??
      "";
    assert.ok(first, "the help source has a first paragraph");
    await assert.doesNotReject(
      help.getByText(first, { exact: false }).first().waitFor(),
      "the help paragraph is shown",
    );
    await screenshot(page(), session.shots, "help-sidebar", { selector: "#red-ui-sidebar" });
  });

  it("deploys from the UI; inject -> get token -> debug turns green against the simulator", async () => {
    const inject = await dragFromPalette(page(), "inject", 200, 160);
    const debug = await dragFromPalette(page(), "debug", 660, 160);
    await wire(page(), inject, getToken);
    await wire(page(), getToken, debug);
    const mark = session.red.lines.length;
    await deployFromUi(page());
    // The editor reports the deploy before the runtime has started the new flows.
    await session.red.waitForLine(/\] Started flows/, mark);
    await pressInject(page(), inject);
    await page().waitForFunction((id) => (globalThis as any).RED.nodes.node(id)?.status?.fill === "green", getToken);
    const status = await nodeStatus(page(), getToken);
    assert.equal(status?.shape, "dot");
    assert.match(String(status?.text), /valid until/);
    assert.equal(sim().count("orionstar.token"), 1, "one token request");
    await canvasNode(page(), getToken).locator(".red-ui-flow-node-status-dot-green").waitFor();
    await sidebarShortcut(page(), "d");
    await page().locator(".red-ui-debug-msg").first().waitFor();
    await notificationsGone(page());
    // Away from the sidebar buttons, so no tooltip covers the debug message.
    await page().mouse.move(700, 700);
    await page().waitForTimeout(300);
    await screenshot(page(), session.shots, "running-flow", {
      clip: { x: 0, y: 0, width: 1400, height: 420 },
      docs: "running-flow",
    });
    const secret = sim().accounts.orionstar.secret;
    assert.ok(!(await page().content()).includes(secret), "the page holds no secret after the deploy");
  });

  it("imports an example flow from Import > Examples", async () => {
    const tab = await importExample(page(), "OrionStar - list robots");
    assert.equal(tab, "OrionStar: list robots", "the example's own tab is shown");
    await exampleShot(page(), session.shots);
    assert.deepEqual(session.editor.errors, [], "no page errors");
  });

  it("imports every other example after it, never asked 'already exist'; on each tab no two nodes overlap", async function () {
    // Thirteen examples, each through Import > Examples and measured: 6-8 s each on 2 busy cores.
    this.timeout(240_000);
    let smallest = { gap: Infinity, between: "" };
    for (const { title, flow } of loadExamples()) {
      const label = flow.find((n) => n.type === "tab")?.label;
      if (title === "OrionStar - list robots") {
        // Imported by the test before: show its tab again.
        await page().locator("#red-ui-workspace-tabs .red-ui-tab", { hasText: label }).click();
        await page().waitForTimeout(500);
      } else {
        assert.equal(await importExample(page(), title), label, `${title}: its own tab is shown`);
      }
      // For a reviewer's eye: test-artifacts/editor/.../example-<title>.png (no README image).
      await exampleShot(page(), session.shots, `example-${title.replace(/\W+/g, "-")}`, null);
      const boxes = await nodeBoxes(page());
      const expected = flow.filter((n) => n.type !== "tab" && n.z).length;
      assert.equal(boxes.length, expected, `${title}: every node is rendered`);
      for (const box of boxes) assert.ok(Number.isFinite(box.left) && box.right > box.left, `${box.id} has a box`);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const gap = gapBetween(a, b);
          const between = `${title}: "${a.label}" and "${b.label}"`;
          assert.ok(gap >= MIN_GAP, `${between} are ${gap.toFixed(1)} px apart (overlap below 0, at least ${MIN_GAP})`);
          if (gap < smallest.gap) smallest = { gap, between };
        }
      }
    }
    console.log(`    smallest gap between two nodes: ${smallest.gap.toFixed(1)} px (${smallest.between})`);
    assert.deepEqual(session.editor.errors, [], "no page errors");
  });

  it("zh-CN: the palette and the get token dialog are in Chinese", async () => {
    const zh = await openEditor(session.red.url, { locale: "zh-CN" });
    try {
      const label = await paletteNode(zh.page, "access-token").getAttribute("data-palette-label");
      assert.ok(label && hasChinese(label), `palette label ${label}`);
      // The deployed get token node is on the first tab: open its dialog there.
      await canvasNode(zh.page, getToken).waitFor();
      await openDialog(zh.page, getToken);
      const provider = await zh.page.locator("label[for='node-input-provider']").innerText();
      assert.ok(hasChinese(provider), `provider label ${provider}`);
      await trayShot(zh.page, session.shots, "dialog-get-token-zh-CN", "dialog-get-token-zh-CN");
      await zh.page.locator("#node-input-btn-orionstar-edit").click();
      await zh.page.locator("#node-config-input-region").waitFor();
      await zh.page.waitForTimeout(400);
      const secretLabel = await zh.page.locator("label[for='node-config-input-secret']").innerText();
      assert.ok(hasChinese(secretLabel), `secret label ${secretLabel}`);
      await trayShot(zh.page, session.shots, "dialog-orionstar-credentials-zh-CN");
      assert.deepEqual(zh.errors, [], "no page errors");
    } finally {
      await zh.close();
    }
  });

  it("adds api request by dragging it onto the workspace; its dialog offers the methods, the providers and what comes back", async () => {
    const credentials = { id: "api-request-shot-credentials", baseUrl: orionstar.form.defaultBaseUrl };
    await page().evaluate(
      ({ id, baseUrl }) =>
        (globalThis as any).RED.view.importNodes([
          { id, type: "orionstar-credentials", name: "factory robots", baseUrl, timeout: 10 },
        ]),
      credentials,
    );
    // Imported credentials stay in the editor as typed: set them, and check the node again.
    await page().evaluate((configId) => {
      const RED = (globalThis as any).RED;
      const node = RED.nodes.node(configId);
      node.credentials = { appid: "demo-app", secret: "demo-secret" };
      RED.editor.validateNode(node);
    }, credentials.id);
    await notificationsGone(page());
    const id = await dragFromPalette(page(), "access-token-request", 420, 420);
    try {
      const tray = await openDialog(page(), id);
      const values = (select: string) =>
        tray.locator(`${select} option`).evaluateAll((els) => els.map((e) => (e as any).value as string));
      assert.deepEqual(await values("#node-input-provider"), PROVIDERS);
      assert.ok((await values("#node-input-method")).includes("GET"), "GET among the methods");
      assert.deepEqual(await values("#node-input-ret"), ["obj", "txt", "bin"]);
      await tray.locator("#node-input-orionstar").selectOption(credentials.id);
      await tray.locator("#node-input-url").fill("/v1/robot/robot_list");
      await tray.locator("#node-input-paginate").selectOption("preset");
      await page().waitForFunction(
        () => (globalThis as any).document.querySelectorAll(".red-ui-tray .input-error").length === 0,
      );
      await trayShot(page(), session.shots, "dialog-api-request", "dialog-api-request");
      await closeDialog(page(), "#node-dialog-cancel");
    } finally {
      // Not left for a later deploy: made-up credentials.
      await page().evaluate(
        (ids) => {
          const RED = (globalThis as any).RED;
          for (const nodeId of ids) RED.nodes.remove(nodeId);
          RED.nodes.dirty(false);
          RED.view.redraw(true);
        },
        [id, credentials.id],
      );
    }
  });

  it("shows a node saved before apiUrl existed with its token URL's origin as API URL, as the runtime reads it", async () => {
    const id = "saved-v1-oauth2";
    await page().evaluate((nodeId) => {
      const RED = (globalThis as any).RED;
      RED.view.importNodes([
        {
          id: nodeId,
          type: "oauth2-credentials",
          name: "saved at version 1",
          tokenUrl: "https://Auth.example.com:8443/realms/iot/token",
          version: 1,
        },
      ]);
      RED.editor.editConfig("", "oauth2-credentials", nodeId);
    }, id);
    const apiUrl = page().locator("#node-config-input-apiUrl");
    await apiUrl.waitFor();
    await page().waitForTimeout(400);
    try {
      assert.equal(await apiUrl.inputValue(), "https://auth.example.com:8443");
    } finally {
      await closeDialog(page(), "#node-config-dialog-cancel");
      // Not left for a later deploy: it has no client secret.
      await page().evaluate((nodeId) => {
        const RED = (globalThis as any).RED;
        RED.nodes.remove(nodeId);
        RED.nodes.dirty(false);
      }, id);
    }
  });
});
