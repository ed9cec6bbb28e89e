// Multi-step editor tasks for the browser test: fill an OrionStar credentials dialog, import one of
// the module's examples through Import > Examples, measure the nodes it shows, and take the palette
// screenshot.
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
 * about 1400 px wide), then restored. `docs`: the README image it also refreshes, or null.
 */
export async function exampleShot(
  page: Page,
  dir: string,
  name = "example-flow",
  docs: string | null = "example-flow",
): Promise<string> {
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
    return await screenshot(page, dir, name, { clip: { ...workspace, height }, docs: docs ?? undefined });
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
  // The module's folder opens with an animation: a click on an example while its row still moves
  // can select nothing (Import stays disabled). Click again, at most three times, until it is chosen.
  const ok = page.locator("#red-ui-clipboard-dialog-ok");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await examples.locator(".red-ui-treeList-label", { hasText: name }).first().click();
    const chosen = await page
      .waitForFunction(
        () => !(globalThis as any).document.querySelector("#red-ui-clipboard-dialog-ok")?.disabled,
        undefined,
        { timeout: 5_000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (chosen) break;
  }
  await ok.click();
  await dialog.waitFor({ state: "hidden" });
  // An import that reuses an id already in the workspace asks (a notification) instead of importing.
  const conflict = page.locator(".red-ui-notification", { hasText: /already exist/i });
  if ((await conflict.count()) > 0)
    throw new Error(`importing ${name}: "${(await conflict.first().innerText()).trim()}"`);
  // With many tabs the new one sits at the scrolled edge of the tab bar, and a click while the bar
  // still scrolls can miss it: click again (at most three times) until it is the active tab.
  const active = page.locator("#red-ui-workspace-tabs .red-ui-tab.active", { hasText: tabLabel });
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.locator("#red-ui-workspace-tabs .red-ui-tab", { hasText: tabLabel }).click();
    const shown = await active.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
  }
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

/** A node as the workspace renders it: its box in page pixels (body, ports and button). */
export interface NodeBox {
  id: string;
  label: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Every node the active workspace tab shows, comment nodes included: the union of the rects of its
 * `g.red-ui-flow-node-group` (the node body `rect.red-ui-flow-node`, its ports, an inject node's
 * button), leaving out the status under it, as the browser lays them out.
 */
export function nodeBoxes(page: Page): Promise<NodeBox[]> {
  return page.evaluate(() => {
    const groups = [
      ...(globalThis as any).document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group"),
    ] as any[];
    return groups.map((group) => {
      const rects = ([...group.querySelectorAll("rect")] as any[])
        .filter((rect) => !rect.closest(".red-ui-flow-node-status-group"))
        .map((rect) => rect.getBoundingClientRect())
        .filter((box) => box.width > 0 && box.height > 0);
      const label = group.querySelector(".red-ui-flow-node-label")?.textContent ?? "";
      return {
        id: group.id as string,
        label: String(label).trim(),
        left: Math.min(...rects.map((b: any) => b.left as number)),
        top: Math.min(...rects.map((b: any) => b.top as number)),
        right: Math.max(...rects.map((b: any) => b.right as number)),
        bottom: Math.max(...rects.map((b: any) => b.bottom as number)),
      };
    });
  });
}
