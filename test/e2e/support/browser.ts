// Debian's chromium driven by playwright-core (no browser download), and screenshots as test
// artifacts. Without /usr/bin/chromium the browser tests skip, except in CI where they must run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { repoRoot } from "./package-tarball";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
];
/** Every wait on the page is bounded; the editor loads in a few seconds on 2 cores. */
export const UI_LIMIT_MS = 20_000;

/** Why the browser tests cannot run here, or undefined when they can. Throws in CI. */
export function browserUnavailable(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing (install it: apt-get update && apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`CI is set, so the editor tests must run: ${why}`);
  return why;
}

/** In a suite's before hook: skip the suite when the browser cannot run here (in CI this throws instead). */
export function skipWithoutBrowser(context: Mocha.Context): void {
  const why = browserUnavailable();
  if (!why) return;
  console.log(`    skipped: ${why}`);
  context.skip();
}

export interface Editor {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, and uncaught page exceptions. */
  errors: string[];
  close(): Promise<void>;
}

export interface EditorOptions {
  locale?: string;
  /** With adminAuth: the user to log in as through the editor's login dialog. */
  login?: { username: string; password: string };
}

export async function openEditor(url: string, options: EditorOptions = {}): Promise<Editor> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-chromium-"));
  const locale = options.locale ?? "en-US";
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    locale,
    // The language the editor picks comes from navigator.language; the header is for the help texts.
    extraHTTPHeaders: { "Accept-Language": locale },
    viewport: { width: 1400, height: 860 },
    timeout: UI_LIMIT_MS,
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    context.setDefaultTimeout(UI_LIMIT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
    });
    await page.goto(url, { timeout: UI_LIMIT_MS });
    if (options.login) {
      await page.locator("#node-dialog-login-username").fill(options.login.username);
      await page.locator("#node-dialog-login-password").fill(options.login.password);
      await page.locator("#node-dialog-login-submit").click();
    }
    // The palette is built once every node definition (ours included) has been loaded.
    await page.locator(".red-ui-palette-node[data-palette-type='inject']").waitFor();
    await page.locator("#red-ui-loading-progress").waitFor({ state: "hidden" });
    await page.locator("#red-ui-workspace-chart svg").first().waitFor();
    return { context, page, errors, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Screenshots go to test-artifacts/editor/node-red-<major>/ (git-ignored). */
export function artifactDir(nodeRedVersion: string): string {
  const dir = path.join(repoRoot, "test-artifacts", "editor", `node-red-${nodeRedVersion.split(".")[0]}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Save a screenshot of the page (or one element). With UPDATE_DOCS_IMAGES=1 and a docs name, also
 * refresh docs/images/<docs>.png: the README's screenshots are taken by this test, not by hand.
 */
export async function screenshot(
  page: Page,
  dir: string,
  name: string,
  options: { selector?: string; docs?: string; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  const file = path.join(dir, `${name}.png`);
  if (options.selector) await page.locator(options.selector).first().screenshot({ path: file, animations: "disabled" });
  else await page.screenshot({ path: file, clip: options.clip, animations: "disabled" });
  if (options.docs && process.env.UPDATE_DOCS_IMAGES === "1") {
    const docsDir = path.join(repoRoot, "docs", "images");
    fs.mkdirSync(docsDir, { recursive: true });
    fs.copyFileSync(file, path.join(docsDir, `${options.docs}.png`));
  }
  return file;
}

/**
 * The top-most edit tray, cut below its last visible form row or tip: the tray is as tall as the
 * window, and the empty rest only makes the README images larger.
 */
export async function trayShot(page: Page, dir: string, name: string, docs?: string): Promise<string> {
  const tray = page.locator(".red-ui-tray").last();
  const box = await tray.boundingBox();
  if (!box) throw new Error("no edit tray open");
  const bottom = await tray.evaluate((el: any) => {
    const rows = [...el.querySelectorAll(".red-ui-tray-body .form-row, .red-ui-tray-body .form-tips")] as any[];
    return Math.max(0, ...rows.filter((r) => r.offsetParent !== null).map((r) => r.getBoundingClientRect().bottom));
  });
  const height = Math.min(box.height, Math.max(200, bottom - box.y + 16));
  return screenshot(page, dir, name, { clip: { x: box.x, y: box.y, width: box.width, height }, docs });
}

/** In an afterEach hook: after a failed test, a screenshot (failed-<first word>) and the page's errors, in the log. */
export async function reportFailure(
  test: Mocha.Test | undefined,
  editor: Editor | undefined,
  dir: string,
  prefix = "failed",
): Promise<void> {
  if (test?.state !== "failed" || !editor) return;
  const name = `${prefix}-${(test.title.split(" ")[0] ?? "test").replace(/\W+/g, "_")}`;
  const file = await screenshot(editor.page, dir, name).catch(() => "(no screenshot)");
  console.log(`    screenshot: ${file}\n    page errors: ${editor.errors.join("\n") || "none"}`);
}
