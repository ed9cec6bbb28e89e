// The Tokens sidebar as a user sees it: open its tab with a click, and read each credentials node's
// entry (its title, its rows by name, its note, its action buttons and their last result).
import type { Locator, Page } from "playwright-core";

export const TAB_ID = "access-token-tokens";

/**
 * Click the sidebar's tab: a button in Node-RED 5's tab bar. Node-RED 4 shows the tab's label, or,
 * when the sidebar is too narrow for every tab, icon buttons as far as they fit and the others in
 * the tab bar's drop-down menu.
 */
export async function openTokensSidebar(page: Page): Promise<Locator> {
  const sidebar = page.locator(".access-token-sidebar");
  // Node-RED 5 reopens the tabs a user had open (kept per user); a click on an open one closes it.
  if (await sidebar.isVisible()) return sidebar;
  const shown = page
    .locator(`button[data-tab-id="${TAB_ID}"], #red-ui-tab-${TAB_ID} a, #red-ui-tab-${TAB_ID}-link-button`)
    .filter({ visible: true });
  if (await shown.count()) await shown.first().click();
  else {
    await page.locator("#red-ui-sidebar .red-ui-tab-link-button-menu").click();
    await page.locator(`#red-ui-tabs-menu-option-${TAB_ID}`).click();
  }
  await sidebar.waitFor();
  return sidebar;
}

export interface SidebarEntry {
  id: string;
  title: string;
  /** Row name (provider, preset, tokenHeld, expiresAt, origin, sharedCache, lastError, usedBy) -> its text. */
  rows: Record<string, string>;
  note: string;
  result: { kind: string; text: string };
  /** Action (refresh, test) -> whether its button is enabled. */
  actions: Record<string, boolean>;
}

export function sidebarEntries(page: Page): Promise<SidebarEntry[]> {
  return page.locator(".access-token-sidebar-entry").evaluateAll((items: any[]) =>
    items.map((item) => {
      const text = (el: any) => String(el?.textContent ?? "").trim();
      const rows: Record<string, string> = {};
      for (const tr of item.querySelectorAll("tr")) {
        const name = [...tr.classList].find((c: string) => c.startsWith("access-token-sidebar-"));
        if (name) rows[name.slice("access-token-sidebar-".length)] = text(tr.querySelector("td"));
      }
      const actions: Record<string, boolean> = {};
      for (const button of item.querySelectorAll(".access-token-sidebar-actions button")) {
        actions[button.className.match(/access-token-sidebar-(\w+)/)[1]] = !button.disabled;
      }
      const result = item.querySelector(".access-token-sidebar-result");
      return {
        id: item.getAttribute("data-id"),
        title: text(item.querySelector(".access-token-sidebar-title")),
        rows,
        note: text(item.querySelector(".access-token-sidebar-note")),
        result: { kind: result.getAttribute("data-result") ?? "", text: text(result) },
        actions,
      };
    }),
  );
}

export async function sidebarEntry(page: Page, id: string): Promise<SidebarEntry> {
  const entry = (await sidebarEntries(page)).find((e) => e.id === id);
  if (!entry) throw new Error(`the Tokens sidebar lists no ${id}`);
  return entry;
}

/** Wait (bounded) until the entry's row shows the text: the sidebar updates by itself, nothing is clicked. */
export async function waitForRow(page: Page, id: string, row: string, text: RegExp | string): Promise<void> {
  const source = typeof text === "string" ? `^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$` : text.source;
  await page.waitForFunction(
    ({ id, row, source }) => {
      const items = [...(globalThis as any).document.querySelectorAll(".access-token-sidebar-entry")] as any[];
      const cell = items
        .find((item) => item.getAttribute("data-id") === id)
        ?.querySelector(`tr.access-token-sidebar-${row} td`);
      return !!cell && new RegExp(source).test(String(cell.textContent).trim());
    },
    { id, row, source },
  );
}

/** Press an entry's action button (refresh, test) and wait for its result line. */
export async function pressAction(page: Page, id: string, action: "refresh" | "test"): Promise<SidebarEntry["result"]> {
  const item = page.locator(`.access-token-sidebar-entry[data-id="${id}"]`);
  await item.locator(`.access-token-sidebar-${action}`).click();
  const result = page.locator(
    `.access-token-sidebar-entry[data-id="${id}"] .access-token-sidebar-result:is([data-result="success"], [data-result="error"])`,
  );
  await result.waitFor();
  return { kind: (await result.getAttribute("data-result")) ?? "", text: (await result.innerText()).trim() };
}
