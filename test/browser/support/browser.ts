// What the browser tests share: the run's one Chromium (connected per file, useBrowser), an incognito context per
// test, signing in through the console's own form, reading a page the way a person does (its heading, its
// flash message, a table's rows) and axe-core's accessibility check.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, ElementHandle, Page } from "puppeteer-core";
import puppeteer from "puppeteer-core";
import { afterAll, beforeAll, inject } from "vitest";
import type { StackInfo } from "./stack-info";

export const stack: StackInfo = inject("stack");

/** A console page's absolute URL. */
export function consoleUrl(pathname = ""): string {
  return `${stack.workerUrl}/console${pathname}`;
}

/** Generous waits for a busy machine; every wait is for a condition, never a fixed time. */
export const WAIT_MS = 30_000;

/**
 * The run's one Chromium for this file's tests: connected before them, let go after (disconnected, not
 * closed, as other files share it). Call it at the top of a file; call what it returns inside a test.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject("browserWSEndpoint") });
  });
  afterAll(async () => {
    await browser?.disconnect();
  });
  return () => {
    if (browser === undefined) throw new Error("the browser is not connected: use it inside a test");
    return browser;
  };
}

/** Runs `work` in a fresh incognito context (no cookies from any other test), closed afterwards. */
export async function inContext<T>(
  browser: Browser,
  work: (page: Page) => Promise<T>,
  options: { javaScript?: boolean } = {},
): Promise<T> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    await page.setJavaScriptEnabled(options.javaScript ?? true);
    return await work(page);
  } finally {
    await context.close();
  }
}

/** Opens `url` and insists on a 200 answer. */
export async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(url, { waitUntil: "load" });
  const status = response?.status();
  if (status !== 200) throw new Error(`GET ${url} answered ${status ?? "nothing"}`);
}

/** Clicks `element` and waits for the page it leads to (a form's POST, then its redirect). */
export async function clickAndWait(page: Page, element: ElementHandle): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), element.click()]);
}

/** The one element `selector` names, or a clear failure. */
export async function the(scope: Page | ElementHandle, selector: string): Promise<ElementHandle<Element>> {
  const element = await scope.$(selector);
  if (element === null) throw new Error(`no element matches ${selector}`);
  return element;
}

/** A button by its visible text (within `scope`). */
export function button(scope: Page | ElementHandle, text: string): Promise<ElementHandle<Element>> {
  return the(scope, `button::-p-text(${text})`);
}

/** An element's text with its whitespace collapsed, as a person reads it. */
export async function textIn(element: ElementHandle): Promise<string> {
  const text = await element.evaluate((node) => node.textContent ?? "");
  return text.replace(/\s+/g, " ").trim();
}

/** The text of what `selector` names (the whole page by default). */
export async function textOf(page: Page, selector = "body"): Promise<string> {
  return textIn(await the(page, selector));
}

/** Signs in through the console's sign-in form with `token`, landing wherever the form sends. */
export async function signIn(page: Page, token = stack.adminToken, next?: string): Promise<void> {
  const query = next === undefined ? "" : `?next=${encodeURIComponent(next)}`;
  await open(page, consoleUrl(`/sign-in${query}`));
  await page.type("#token", token);
  await clickAndWait(page, await button(page, "Sign in"));
}

/** The table row (of any table on the page) whose text includes `text`, or null. */
export async function rowWith(page: Page, text: string): Promise<ElementHandle<Element> | null> {
  for (const row of await page.$$("table tbody tr")) {
    if ((await textIn(row)).includes(text)) return row;
  }
  return null;
}

/** A one-time sign-in link, from the admin API as `npm start -- --serve` asks for one. */
export async function signInLink(): Promise<string> {
  const response = await fetch(`${stack.workerUrl}/admin/console/sign-in-links`, {
    method: "POST",
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (response.status !== 201) {
    throw new Error(
      `POST /admin/console/sign-in-links answered ${response.status}: ${await response.text()}`,
    );
  }
  const { url } = (await response.json()) as { url?: unknown };
  if (typeof url !== "string") throw new Error("the sign-in link's answer has no url");
  return url;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * axe-core's violations on the page as it is now (WCAG 2.x A and AA and best practices), as readable
 * lines: rule, impact, what it asks, and each offending element with why. Evaluated through the DevTools
 * protocol, which the page's Content-Security-Policy (no scripts at all) does not govern.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
      resultTypes: ["violations"],
    })) as { violations: unknown };
    return JSON.stringify(result.violations);
  });
  return (JSON.parse(violations) as AxeViolation[]).map((violation) => {
    const nodes = violation.nodes
      .map((node) => `\n      ${node.target.join(" ")}: ${(node.failureSummary ?? "").replace(/\s+/g, " ")}`)
      .join("");
    return `${violation.id} (${violation.impact ?? "no impact"}): ${violation.help} ${violation.helpUrl}${nodes}`;
  });
}
