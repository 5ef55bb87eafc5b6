// Signing in to the console: the admin token sets a session cookie that is not the token, pages need it,
// a forged or expired one is refused, every POST needs the session's _csrf and a same-origin Origin, and
// a one-time link works once, for ten minutes.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, testClock } from "../support/worker";
import { consoleFetch, csrfOf, page, sessionCookieOf, signIn, signInLink } from "./support";

const START = Date.parse("2026-12-01T09:00:00Z");

beforeEach(() => testClock.set(START));

describe("console sign-in with the admin token", () => {
  it("sends a page asked for without a session to sign-in, keeping where it was going", async () => {
    const response = await consoleFetch("/console/deliveries?status=failed");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(
      `/console/sign-in?next=${encodeURIComponent("/console/deliveries?status=failed")}`,
    );
  });

  it("shows a labelled password field and never the token", async () => {
    const response = await consoleFetch("/console/sign-in");
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<label for="token">');
    expect(html).toContain('id="token" name="token" type="password"');
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain(ADMIN_TOKEN);
  });

  it("refuses a wrong token without setting a cookie", async () => {
    const response = await consoleFetch("/console/sign-in", { form: { token: `${ADMIN_TOKEN}x` } });
    const html = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(html).toContain('role="alert"');
    expect(html).not.toContain(`${ADMIN_TOKEN}x`);
  });

  it("sets an HttpOnly, Secure, SameSite=Strict session for a working day that is not the token", async () => {
    const response = await consoleFetch("/console/sign-in", {
      form: { token: ADMIN_TOKEN, next: "/console/failures" },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/console/failures");
    const header = response.headers.get("Set-Cookie") ?? "";
    expect(header).toMatch(/^__Host-console-session=/);
    expect(header).toContain("HttpOnly");
    expect(header).toContain("Secure");
    expect(header).toContain("SameSite=Strict");
    expect(header).toContain("Path=/");
    expect(header).toContain("Max-Age=28800");
    expect(header).not.toContain("Domain");
    expect(header).not.toContain(ADMIN_TOKEN);
    expect(header).not.toContain(btoa(ADMIN_TOKEN).replaceAll("=", ""));
  });

  it("follows only a same-origin console path as next", async () => {
    for (const next of [
      "//evil.example/x",
      "https://evil.example/console",
      "/\\evil.example",
      "/admin/pairs",
    ]) {
      const response = await consoleFetch("/console/sign-in", { form: { token: ADMIN_TOKEN, next } });
      expect(response.headers.get("Location"), next).toBe("/console");
    }
  });

  it("serves pages to the session, with one main and one h1", async () => {
    const html = await page("/console", await signIn());
    expect(html.match(/<main/g)).toHaveLength(1);
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain("<h1>Pairs</h1>");
    expect(html).not.toContain(ADMIN_TOKEN);
  });

  it("refuses a forged session, and every session once the admin token changes", async () => {
    const cookie = await signIn();
    const [name, value = ""] = cookie.split("=");
    const [payload = "", signature = ""] = value.split(".");
    const forgedPayload = btoa(JSON.stringify({ v: 1, id: "x", exp: START + 1e12 })).replaceAll("=", "");
    const forged = [
      `${name}=${forgedPayload}.${signature}`,
      `${name}=${payload}.${signature.slice(0, -2)}AA`,
      `${name}=${payload}`,
      `${name}=${ADMIN_TOKEN}`,
    ];
    for (const attempt of forged) {
      expect((await consoleFetch("/console", { cookie: attempt })).status, attempt).toBe(303);
    }
    const rotated = { ...env, ADMIN_TOKEN: "another-admin-token-0123" };
    expect((await consoleFetch("/console", { cookie, env: rotated })).status).toBe(303);
    expect((await consoleFetch("/console", { cookie })).status).toBe(200);
  });

  it("refuses a session after a working day", async () => {
    const cookie = await signIn();
    testClock.set(START + 8 * 60 * 60 * 1000 - 1);
    expect((await consoleFetch("/console", { cookie })).status).toBe(200);
    testClock.set(START + 8 * 60 * 60 * 1000);
    expect((await consoleFetch("/console", { cookie })).status).toBe(303);
  });
});

describe("console CSRF", () => {
  it("refuses a POST without the session's _csrf or with another's", async () => {
    const cookie = await signIn();
    const other = csrfOf(await page("/console", await signIn()));
    const missing = await consoleFetch("/console/sign-out", { cookie, form: {} });
    expect(missing.status).toBe(403);
    const wrong = await consoleFetch("/console/sign-out", { cookie, form: { _csrf: other } });
    expect(wrong.status).toBe(403);
    expect(sessionCookieOf(wrong)).toBeNull();
    // The session still works: nothing was signed out.
    expect((await consoleFetch("/console", { cookie })).status).toBe(200);
  });

  it("refuses a POST from another origin even with the right _csrf", async () => {
    const cookie = await signIn();
    const csrf = csrfOf(await page("/console", cookie));
    const cross = await consoleFetch("/console/sign-out", {
      cookie,
      form: { _csrf: csrf },
      origin: "https://evil.example",
    });
    expect(cross.status).toBe(403);
    const signIn403 = await consoleFetch("/console/sign-in", {
      form: { token: ADMIN_TOKEN },
      origin: "https://evil.example",
    });
    expect(signIn403.status).toBe(403);
    expect(sessionCookieOf(signIn403)).toBeNull();
  });

  it("signs out with the right _csrf, clearing the cookie", async () => {
    const cookie = await signIn();
    const csrf = csrfOf(await page("/console", cookie));
    const response = await consoleFetch("/console/sign-out", { cookie, form: { _csrf: csrf } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/console/sign-in?flash=signed-out");
    expect(response.headers.get("Set-Cookie")).toMatch(/^__Host-console-session=;.*Max-Age=0/);
  });
});

describe("one-time sign-in links", () => {
  it("answers a console URL that a GET does not use up and a POST uses once", async () => {
    const link = await signInLink();
    const url = new URL(link.url);
    expect(url.origin).toBe("https://agendas.test");
    expect(url.pathname).toMatch(/^\/console\/sign-in\/[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(link.expiresAt)).toBe(START + 10 * 60 * 1000);

    // A link previewer's GETs show the button and use nothing up.
    for (let look = 0; look < 2; look += 1) {
      const shown = await consoleFetch(url.pathname);
      const html = await shown.text();
      expect(shown.status).toBe(200);
      expect(html).toContain(`<form method="post" action="${url.pathname}">`);
      expect(html).toContain(">Sign in</button>");
    }
    const used = await consoleFetch(url.pathname, { form: {} });
    expect(used.status).toBe(303);
    expect(used.headers.get("Location")).toBe("/console");
    const cookie = sessionCookieOf(used);
    expect(cookie).not.toBeNull();
    expect((await consoleFetch("/console", { cookie })).status).toBe(200);

    const again = await consoleFetch(url.pathname, { form: {} });
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe("/console/sign-in?flash=link-used");
    expect(sessionCookieOf(again)).toBeNull();
  });

  it("stops working after ten minutes", async () => {
    const late = new URL((await signInLink()).url);
    const onTime = new URL((await signInLink()).url);
    testClock.set(START + 10 * 60 * 1000 - 1);
    expect(sessionCookieOf(await consoleFetch(onTime.pathname, { form: {} }))).not.toBeNull();
    testClock.set(START + 10 * 60 * 1000);
    const refused = await consoleFetch(late.pathname, { form: {} });
    expect(refused.headers.get("Location")).toBe("/console/sign-in?flash=link-used");
    expect(sessionCookieOf(refused)).toBeNull();
  });

  it("does not sign in with a code it never gave", async () => {
    const refused = await consoleFetch(`/console/sign-in/${"A".repeat(43)}`, { form: {} });
    expect(sessionCookieOf(refused)).toBeNull();
  });
});
