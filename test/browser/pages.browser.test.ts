// Every console page, whatever the operator does there: it passes axe-core's accessibility check, and it
// works with JavaScript off (forms post, redirects land, every page renders). "Every page" is the
// sign-in pages, each page the navigation links to, a pair's page and its preview. Also takes the
// README's screenshot (docs/console.png), written only when UPDATE_SCREENSHOT=1.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "puppeteer-core";
import { expect, test } from "vitest";
import {
  accessibilityViolations,
  button,
  clickAndWait,
  consoleUrl,
  inContext,
  open,
  signIn,
  signInLink,
  stack,
  textOf,
  useBrowser,
} from "./support/browser";

const browser = useBrowser();

const SCREENSHOT = path.resolve(import.meta.dirname, "../../docs/console.png");

/** The console's pages behind sign-in: what the navigation links to, and the pairs' own pages. */
async function signedInPages(page: Page): Promise<string[]> {
  await open(page, consoleUrl());
  const linked = await page.$$eval("nav a", (links) => links.map((link) => link.getAttribute("href") ?? ""));
  const nav = linked.filter((href) => href.startsWith("/console"));
  expect(nav).toContain("/console");
  return [
    ...new Set([
      ...nav,
      "/console/deliveries?status=failed",
      "/console/deliveries?status=delivered",
      `/console/pairs/${stack.healthyPairId}`,
      `/console/pairs/${stack.failedPairId}`,
      `/console/pairs/${stack.healthyPairId}/preview`,
    ]),
  ];
}

/** The page has one <main> with one <h1>, as every console page does. */
async function expectOneHeading(page: Page, url: string): Promise<void> {
  expect(await page.$$eval("main", (mains) => mains.length), url).toBe(1);
  expect(await page.$$eval("main h1", (headings) => headings.length), url).toBe(1);
}

async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  expect(violations, `${label} fails axe-core:\n  - ${violations.join("\n  - ")}`).toEqual([]);
}

test("the accessibility check finds what it should (an unlabelled field, low contrast)", async () => {
  await inContext(browser(), async (page) => {
    await page.setContent(
      '<html lang="en"><title>t</title><main><h1>t</h1><input><p style="color:#bbb;background:#fff">faint</p></main></html>',
    );
    const violations = await accessibilityViolations(page);
    expect(violations.map((line) => line.split(" ")[0])).toEqual(
      expect.arrayContaining(["label", "color-contrast"]),
    );
  });
});

test("every page passes axe-core's accessibility check", async () => {
  await inContext(browser(), async (page) => {
    await open(page, consoleUrl("/sign-in"));
    await expectAccessible(page, "/console/sign-in");
    // The sign-in page again, with the error a wrong token shows.
    await page.type("#token", "not-the-admin-token");
    await clickAndWait(page, await button(page, "Sign in"));
    await expectAccessible(page, "/console/sign-in after a wrong token");
    const link = await signInLink();
    await open(page, link);
    await expectAccessible(page, "a one-time sign-in link's page");

    await signIn(page);
    for (const pathname of await signedInPages(page)) {
      await open(page, `${stack.workerUrl}${pathname}`);
      await expectOneHeading(page, pathname);
      await expectAccessible(page, pathname);
    }
  });
});

test("every page works with JavaScript off: forms post and redirects land", async () => {
  await inContext(
    browser(),
    async (page) => {
      // Signed out, a page sends to sign-in and, once signed in, back to itself.
      await page.goto(consoleUrl("/failures"));
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
      await page.type("#token", stack.adminToken);
      await clickAndWait(page, await button(page, "Sign in"));
      expect(new URL(page.url()).pathname).toBe("/console/failures");
      await expectOneHeading(page, "/console/failures");

      for (const pathname of await signedInPages(page)) {
        await open(page, `${stack.workerUrl}${pathname}`);
        await expectOneHeading(page, pathname);
      }

      await clickAndWait(page, await button(page, "Sign out"));
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
      await page.goto(consoleUrl());
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    },
    { javaScript: false },
  );
});

test("a screenshot of the pairs page (written to docs/console.png with UPDATE_SCREENSHOT=1)", async () => {
  await inContext(browser(), async (page) => {
    await page.setViewport({ width: 1200, height: 720, deviceScaleFactor: 1 });
    await signIn(page);
    expect(await textOf(page, "main h1")).toBe("Pairs");
    const png = await page.screenshot({ type: "png" });
    expect(Buffer.from(png).subarray(1, 4).toString("latin1")).toBe("PNG");
    // `npm test` never changes the tree; the README's picture is refreshed on purpose.
    if (process.env.UPDATE_SCREENSHOT === "1") await writeFile(SCREENSHOT, png);
  });
});
