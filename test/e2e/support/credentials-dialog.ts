// The Test button and the state panel of a credentials dialog, as a user sees them, and what went
// over the network meanwhile (every XHR/fetch request body and response text, to sweep for secrets).
import type { Page } from "playwright-core";

/** The result line under the Test button once the test is over. */
export interface TestResult {
  kind: "success" | "error";
  text: string;
}

/** Right after the click: the result line and whether the button is disabled (busy while the request runs). */
export interface Pressed {
  kind: string | null;
  text: string;
  disabled: boolean;
}

/** Press Test and wait until the result is no longer the busy line; `pressed` is how it looked right after the click. */
export async function pressTest(page: Page): Promise<TestResult & { pressed: Pressed }> {
  const result = page.locator(".access-token-test-result");
  await page.locator(".access-token-test-button").click();
  const pressed = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const line = doc.querySelector(".access-token-test-result");
    return {
      kind: line.getAttribute("data-result") as string | null,
      text: String(line.textContent).trim(),
      disabled: Boolean(doc.querySelector(".access-token-test-button").disabled),
    };
  });
  await page
    .locator(".access-token-test-result[data-result='success'], .access-token-test-result[data-result='error']")
    .waitFor();
  // The button is disabled while the request runs, and enabled again once it is over.
  await page.waitForFunction(() => !(globalThis as any).document.querySelector(".access-token-test-button").disabled);
  const kind = (await result.getAttribute("data-result")) as TestResult["kind"];
  return { kind, text: (await result.innerText()).trim(), pressed };
}

/** The state panel: its message (not deployed, refused), or its rows by name (tokenHeld, expiresAt ...). */
export async function statePanel(page: Page): Promise<{ message: string; rows: Record<string, string> }> {
  const message = page.locator(".access-token-state-message");
  // Loading ends with either a message or the table.
  await page.waitForFunction(() => {
    const doc = (globalThis as any).document;
    const text = doc.querySelector(".access-token-state-message")?.textContent ?? "";
    return (
      !/…$/.test(text) &&
      (text !== "" || doc.querySelector(".access-token-state-table tr[data-state='tokenHeld'] td")?.textContent)
    );
  });
  // The rows shown: a row the node has no value for (the sign-in of credentials that sign none) is hidden.
  const rows = await page
    .locator(".access-token-state-table tr")
    .evaluateAll((trs) =>
      Object.fromEntries(
        trs
          .filter((tr: any) => tr.style.display !== "none")
          .map((tr: any) => [tr.getAttribute("data-state"), String(tr.querySelector("td")?.textContent ?? "").trim()]),
      ),
    );
  return { message: (await message.innerText()).trim(), rows };
}

/** One admin call the page made and what it got back. */
export interface Exchange {
  method: string;
  url: string;
  requestBody: string;
  status: number;
  responseText: string;
}

/** Record every XHR and fetch of the page from now on (the editor's calls to Node-RED). */
export function recordExchanges(page: Page): Exchange[] {
  const seen: Exchange[] = [];
  page.on("response", (response) => {
    const request = response.request();
    if (!["xhr", "fetch"].includes(request.resourceType())) return;
    response.text().then(
      (responseText) =>
        seen.push({
          method: request.method(),
          url: request.url(),
          requestBody: request.postData() ?? "",
          status: response.status(),
          responseText,
        }),
      () => undefined,
    );
  });
  return seen;
}

/** The recorded exchange whose URL ends with `path`, the latest one; waits for its body to be read. */
export async function lastExchange(seen: Exchange[], path: string, limitMs = 5_000): Promise<Exchange> {
  const until = Date.now() + limitMs;
  for (;;) {
    const found = seen.filter((exchange) => new URL(exchange.url).pathname.endsWith(path)).pop();
    if (found) return found;
    if (Date.now() > until) throw new Error(`the page made no call to ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Type values into the open credentials dialog by property name, in order: a select is chosen, a
 * JSONata typedInput gets its value (as its own expression editor would set it), any other input is typed into.
 */
export async function fillDialog(page: Page, values: Record<string, string | number>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const input = page.locator(`#node-config-input-${name}`);
    const kind = await input.evaluate((el: any) =>
      el.tagName === "SELECT"
        ? "select"
        : (globalThis as any).$(el).next(".red-ui-typedInput-container").length
          ? "typed"
          : "text",
    );
    if (kind === "select") await input.selectOption(String(value));
    else if (kind === "typed")
      await input.evaluate((el: any, text) => (globalThis as any).$(el).typedInput("value", text), String(value));
    else await input.fill(String(value));
  }
}
