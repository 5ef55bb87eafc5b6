// The console in a real browser, as an operator uses it: signing in (the admin token, a one-time link),
// the session cookie's flags, finding a failed pair's reason and fix, resending a failed delivery,
// replaying a dead letter and previewing the next agenda. Each test has its own incognito context; the
// stack's seeds are in support/pairs.yaml, and each test changes only what it alone looks at.
import type { Page } from "puppeteer-core";
import { describe, expect, test } from "vitest";
import {
  button,
  clickAndWait,
  consoleUrl,
  inContext,
  open,
  rowWith,
  signIn,
  signInLink,
  stack,
  textIn,
  textOf,
  the,
  useBrowser,
  WAIT_MS,
} from "./support/browser";

const browser = useBrowser();

const SESSION_COOKIE = "__Host-console-session";

/** Reloads `url` until `check` holds for the page (work the Worker does on its queue takes a moment). */
async function reloadUntil(page: Page, url: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    await open(page, url);
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`${url} never showed what was expected`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("signing in", () => {
  test("the admin token signs in and sets an HttpOnly, Secure, SameSite=Strict session cookie", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page);
      expect(new URL(page.url()).pathname).toBe("/console");
      expect(await textOf(page, "main h1")).toBe("Pairs");
      const cookies = await page.cookies();
      const cookie = cookies.find((candidate) => candidate.name === SESSION_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
      expect(cookie?.value).not.toContain(stack.adminToken);
      // HttpOnly: the page's own script cannot read it.
      expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
    });
  });

  test("a wrong token shows an error and sets no cookie", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page, "not-the-admin-token");
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
      expect(await textOf(page, '[role="alert"]')).not.toBe("");
      expect((await page.cookies()).map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
      // And the console stays closed.
      await page.goto(consoleUrl("/failures"));
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    });
  });

  test("a one-time sign-in link works once", async () => {
    const link = await signInLink();
    expect(link.startsWith(consoleUrl("/sign-in/"))).toBe(true);
    await inContext(browser(), async (page) => {
      await open(page, link);
      await clickAndWait(page, await button(page, "Sign in"));
      expect(new URL(page.url()).pathname).toBe("/console");
      expect(await textOf(page, "main h1")).toBe("Pairs");
    });
    await inContext(browser(), async (page) => {
      await open(page, link);
      await clickAndWait(page, await button(page, "Sign in"));
      expect(new URL(page.url()).pathname).toBe("/console/sign-in");
      expect(await textOf(page, '[role="alert"]')).not.toBe("");
      expect((await page.cookies()).map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
    });
  });
});

describe("an operator at work", () => {
  test("finds the failed pair, with its reason and its fix", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page);
      const row = await rowWith(page, stack.failedPairId);
      if (row === null) throw new Error(`the pairs page has no row for ${stack.failedPairId}`);
      await clickAndWait(page, await the(row, `a::-p-text(${stack.failedPairId})`));
      expect(new URL(page.url()).pathname).toBe(`/console/pairs/${stack.failedPairId}`);
      const text = await textOf(page, "main");
      expect(text).toContain("not shared with the integration");
      expect(text).toContain("Share the database or page with the Notion integration");

      await open(page, consoleUrl("/failures"));
      const failure = await rowWith(page, stack.failedPairId);
      if (failure === null) throw new Error(`the failures page has no row for ${stack.failedPairId}`);
      const failureText = await textIn(failure);
      expect(failureText).toContain("not shared with the integration");
      expect(failureText).toContain("Share the database or page with the Notion integration");
    });
  });

  test("resends a failed delivery, and sees it delivered (the receiver accepts it now)", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page, stack.adminToken, "/console/deliveries?status=failed");
      const row = await rowWith(page, stack.healthyPairId);
      if (row === null) throw new Error(`no failed delivery of ${stack.healthyPairId} is listed`);
      expect(await textIn(row)).toContain("410");
      await clickAndWait(page, await button(row, "Resend"));
      expect(await textOf(page, '[role="status"]')).not.toBe("");
      await reloadUntil(
        page,
        consoleUrl("/deliveries?status=delivered"),
        async () => (await rowWith(page, stack.healthyPairId)) !== null,
      );
      await open(page, consoleUrl("/deliveries?status=failed"));
      expect(await rowWith(page, stack.healthyPairId)).toBeNull();
    });
  });

  test("replays a dead letter, and it leaves the list", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page, stack.adminToken, "/console/dead-letters");
      const row = await rowWith(page, stack.deadLetterPairId);
      if (row === null) throw new Error(`no dead letter about ${stack.deadLetterPairId} is listed`);
      await clickAndWait(page, await button(row, "Replay"));
      expect(await textOf(page, '[role="status"]')).not.toBe("");
      await open(page, consoleUrl("/dead-letters"));
      expect(await rowWith(page, stack.deadLetterPairId)).toBeNull();
    });
  });

  test("previews the healthy pair's next agenda with the items it carries", async () => {
    await inContext(browser(), async (page) => {
      await signIn(page, stack.adminToken, `/console/pairs/${stack.healthyPairId}`);
      const preview = (await page.$("a::-p-text(Preview)")) ?? (await button(page, "Preview"));
      await clickAndWait(page, preview);
      expect(new URL(page.url()).pathname).toBe(`/console/pairs/${stack.healthyPairId}/preview`);
      const text = await textOf(page, "main");
      // Open items of the seeded agendas, carried into the first one and from there into the next.
      expect(text).toContain("Draft the Q1 hiring plan");
      expect(text).toContain("Ask finance about the training budget");
      // Ticked items stay behind.
      expect(text).not.toContain("Book the room for the team offsite");
    });
  });
});
