// What a user does in the Node-RED editor, done with the mouse and keyboard through Playwright:
// drag from the palette, wire ports, open and close edit dialogs, deploy, press an inject button.
// page.evaluate is used only to read the editor's state (which node was just added, its status).
import type { Locator, Page } from "playwright-core";

export const paletteNode = (page: Page, type: string): Locator =>
  page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
/** Editor node ids are hex and may start with a digit, so no #id selector. */
export const canvasNode = (page: Page, id: string): Locator =>
  page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element is not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Click where an element on the workspace is, with the mouse. Playwright's own click scrolls the
 * element into view first, which scrolls the workspace SVG and spoils the screenshots.
 */
async function clickOnCanvas(page: Page, locator: Locator, clickCount = 1): Promise<void> {
  const at = await centre(locator);
  await page.mouse.click(at.x, at.y, { clickCount });
}

/** Ids of the nodes of a type in the editor's model (read only). */
export function nodeIds(page: Page, type: string): Promise<string[]> {
  return page.evaluate((t) => {
    const RED = (globalThis as any).RED;
    return RED.nodes.filterNodes({ type: t }).map((n: { id: string }) => n.id);
  }, type);
}

/** Drag a node type from the palette onto the workspace at (x, y) of the chart; returns its id. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await nodeIds(page, type);
  const source = paletteNode(page, type);
  await source.scrollIntoViewIfNeeded();
  const from = await centre(source);
  const chart = await page.locator("#red-ui-workspace-chart").boundingBox();
  if (!chart) throw new Error("no workspace");
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  // jQuery UI's draggable needs real intermediate moves to start a drag.
  await page.mouse.move(from.x + 30, from.y + 5, { steps: 5 });
  await page.mouse.move(chart.x + x, chart.y + y, { steps: 15 });
  await page.mouse.up();
  const added = (await nodeIds(page, type)).filter((id) => !before.includes(id));
  if (added.length !== 1) throw new Error(`dragging ${type} onto the workspace added ${added.length} nodes`);
  await canvasNode(page, added[0]).waitFor();
  return added[0];
}

/** Wire the first output of one node to the input of another by dragging between the ports. */
export async function wire(page: Page, fromId: string, toId: string): Promise<void> {
  const out = await centre(canvasNode(page, fromId).locator(".red-ui-flow-port-output .red-ui-flow-port").first());
  const input = await centre(canvasNode(page, toId).locator(".red-ui-flow-port-input .red-ui-flow-port").first());
  await page.mouse.move(out.x, out.y);
  await page.mouse.down();
  await page.mouse.move(input.x, input.y, { steps: 15 });
  await page.mouse.up();
  const linked = await page.evaluate(
    ([a, b]) => (globalThis as any).RED.nodes.filterLinks({ source: { id: a }, target: { id: b } }).length,
    [fromId, toId],
  );
  if (linked !== 1) throw new Error(`no wire from ${fromId} to ${toId}`);
}

/** Double-click a node on the workspace; resolves once its edit tray is open. */
export async function openDialog(page: Page, id: string): Promise<Locator> {
  await clickOnCanvas(page, canvasNode(page, id).locator(".red-ui-flow-node").first(), 2);
  const tray = page.locator(".red-ui-tray").last();
  await tray.locator("#node-dialog-ok, #node-config-dialog-ok").first().waitFor();
  // The tray slides in: let it settle before anyone takes a screenshot of it.
  await page.waitForTimeout(400);
  return tray;
}

/** Press a tray button (Done/Cancel; Add/Update/Cancel for a config node); wait for it to close. */
export async function closeDialog(
  page: Page,
  button: "#node-dialog-ok" | "#node-dialog-cancel" | "#node-config-dialog-ok" | "#node-config-dialog-cancel",
): Promise<void> {
  const target = page.locator(button);
  await target.click();
  // Each tray owns its buttons: the button going away means its tray closed.
  await target.waitFor({ state: "hidden" });
  await page.waitForTimeout(300);
}

export async function deployFromUi(page: Page): Promise<void> {
  await page.locator("#red-ui-header-button-deploy").click();
  // "Successfully deployed" notification; its id is stable across Node-RED 4 and 5.
  await page
    .locator(".red-ui-notification")
    .filter({ hasText: /deployed/i })
    .first()
    .waitFor();
  await page.waitForFunction(() =>
    (globalThis as any).document.querySelector("#red-ui-header-button-deploy")?.classList.contains("disabled"),
  );
}

/**
 * Click the button on the left of an inject node. After a deploy the editor keeps a shade over the
 * workspace for up to 300 ms (its element differs between Node-RED 4 and 5): wait until the button
 * itself is what a click at its centre hits.
 */
export async function pressInject(page: Page, id: string): Promise<void> {
  const button = canvasNode(page, id).locator(".red-ui-flow-node-button-button");
  const at = await centre(button);
  await page.waitForFunction(
    ({ x, y }) =>
      (globalThis as any).document.elementFromPoint(x, y)?.classList.contains("red-ui-flow-node-button-button"),
    at,
  );
  await page.mouse.click(at.x, at.y);
}

/** The status the editor shows under a node: {fill, shape, text} (read from the model). */
export function nodeStatus(
  page: Page,
  id: string,
): Promise<{ fill?: string; shape?: string; text?: string } | undefined> {
  return page.evaluate((nodeId) => (globalThis as any).RED.nodes.node(nodeId)?.status, id);
}

/**
 * Select a node (click) and show the Help sidebar with its keyboard shortcut, ctrl-g h: the same in
 * Node-RED 4 and 5, whose sidebar buttons differ.
 */
export async function showHelp(page: Page, id: string): Promise<Locator> {
  await clickOnCanvas(page, canvasNode(page, id).locator(".red-ui-flow-node").first());
  await sidebarShortcut(page, "h");
  const help = page.locator(".red-ui-sidebar-help-stack").first();
  await help.waitFor();
  return help;
}

/** ctrl-g then a letter: h help, d debug, i info. */
export async function sidebarShortcut(page: Page, letter: string): Promise<void> {
  await page.keyboard.press("Control+g");
  await page.keyboard.press(letter);
}
