// Multi-step editor tasks for the browser test: fill an OrionStar credentials dialog, import one of
// the module's examples through Import > Examples, and take the palette screenshot.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { screenshot } from "./browser";
import { repoRoot } from "./package-tarball";

const MODULE = "@iot-token/node-red-access-token";

/** In an open OrionStar credentials dialog: custom URL (the simulator), appid and secret. */
export async function fillCredentials(
  page: Page,
  url: string,
  account: { appid: string; secret: string },
): Promise<void> {
  await page.locator("#node-config-input-name").fill("OrionStar (simulator)");
  await page.locator("#node-config-input-region").selectOption("custom");
  const baseUrl = page.locator("#node-config-input-baseUrl");
  await baseUrl.waitFor({ state: "visible" });
  await baseUrl.fill(url);
  await page.locator("#node-config-input-appid").fill(account.appid);
  await page.locator("#node-config-input-secret").fill(account.secret);
  // The editor validates a field when it loses focus; until then it still shows red.
  await page.locator("#node-config-input-secret").blur();
}

/**
 * The workspace showing a whole example: the window is widened for the shot (the examples are
 * about 1400 px wide), then restored.
 */
export async function exampleShot(page: Page, dir: string): Promise<string> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1960, height: 760 });
  // Off the tab bar: its tooltip would cover the flow.
  await page.mouse.move(900, 700);
  await page.waitForTimeout(800);
  try {
    const workspace = await page.locator("#red-ui-workspace").boundingBox();
    if (!workspace) throw new Error("no workspace");
    // Down to just below the lowest node, not the empty grid under it.
    const lowest = await page.evaluate(() => {
      const nodes = [
        ...(globalThis as any).document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group"),
      ] as any[];
      return Math.max(0, ...nodes.map((n) => n.getBoundingClientRect().bottom));
    });
    const height = Math.min(workspace.height, Math.max(200, lowest - workspace.y + 40));
    return await screenshot(page, dir, "example-flow", { clip: { ...workspace, height }, docs: "example-flow" });
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/**
 * Menu > Import > Examples > this module > the flow > Import, then open the tab the example brought
 * (its label is read from the example file). Resolves with the label of the active tab.
 */
export async function importExample(page: Page, name: string): Promise<string> {
  const flow = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples", `${name}.json`), "utf8")) as Array<{
    type: string;
    label?: string;
  }>;
  const tabLabel = flow.find((n) => n.type === "tab")?.label;
  if (!tabLabel) throw new Error(`example ${name} has no tab`);
  await page.locator("#red-ui-header-button-sidemenu").click();
  await page.locator("#menu-item-import").click();
  const dialog = page.locator("#red-ui-clipboard-dialog");
  await dialog.waitFor();
  await page.locator("#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples a").click();
  const examples = page.locator("#red-ui-clipboard-dialog-import-tab-examples");
  await examples.locator(".red-ui-treeList-label", { hasText: MODULE }).first().click();
  await examples.locator(".red-ui-treeList-label", { hasText: name }).first().click();
  await page.locator("#red-ui-clipboard-dialog-ok").click();
  await dialog.waitFor({ state: "hidden" });
  await page.locator("#red-ui-workspace-tabs .red-ui-tab", { hasText: tabLabel }).click();
  await page.waitForTimeout(500);
  await notificationsGone(page);
  return (await page.locator("#red-ui-workspace-tabs .red-ui-tab.active").innerText()).trim();
}

/** Notifications ("Successfully deployed", "Imported") cover the workspace: wait them out. */
export async function notificationsGone(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as any).document.querySelectorAll(".red-ui-notification").length === 0,
    undefined,
    {
      timeout: 15_000,
    },
  );
}

/** The palette filtered to "token": the network category with get token, as a user finds it. */
export async function paletteShot(page: Page, dir: string): Promise<string> {
  const search = page.locator("#red-ui-palette-search input");
  // The palette filters on key events, so type rather than fill.
  await search.pressSequentially("token");
  await page.waitForTimeout(400);
  const palette = await page.locator("#red-ui-palette").boundingBox();
  if (!palette) throw new Error("no palette");
  const file = await screenshot(page, dir, "palette", {
    clip: { x: palette.x, y: palette.y, width: palette.width, height: 150 },
    docs: "palette",
  });
  await search.fill("");
  await page.waitForTimeout(300);
  return file;
}
