// Who may see the console. Behind Cloudflare Access (ACCESS_TEAM_DOMAIN and ACCESS_AUD set) every request
// must carry a valid Access JWT and the token sign-in is off. Otherwise a person signs in with the admin
// token, or a one-time link, and gets a session cookie (HttpOnly, Secure, SameSite=Strict) that is not the
// token (see session.ts). Every POST a signed-in person makes must carry the session's `_csrf`, on top of
// Hono's origin check; the sign-in forms, made before there is a session, rely on the origin check and
// SameSite alone.
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { tokensMatch } from "../app/auth";
import { ACCESS_JWT_HEADER, verifyAccess } from "./access";
import type { ConsoleEnv, Viewer } from "./context";
import { flashFor } from "./flash";
import { Page } from "./layout";
import {
  consoleKey,
  csrfToken,
  csrfTokenMatches,
  openSession,
  randomToken,
  SESSION_COOKIE,
  SESSION_MS,
  sealSession,
} from "./session";

const HOME = "/console";

/** `next` when it is a console path on this origin; the console's home otherwise. */
function safeNext(next: unknown, requestUrl: string): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return HOME;
  let url: URL;
  try {
    url = new URL(next, requestUrl);
  } catch {
    return HOME;
  }
  if (url.origin !== new URL(requestUrl).origin) return HOME;
  if (url.pathname !== HOME && !url.pathname.startsWith(`${HOME}/`)) return HOME;
  if (url.pathname.startsWith(`${HOME}/sign-in`)) return HOME;
  return `${url.pathname}${url.search}`;
}

/** A small page with a message and status, for refusals. */
function refusal(
  c: Context<ConsoleEnv>,
  status: 403,
  title: string,
  text: string,
): Response | Promise<Response> {
  return c.html(
    <Page title={title} flash={{ role: "alert", text }}>
      <p>
        <a href="/console">Back to the console</a>
      </p>
    </Page>,
    status,
  );
}

/** Hono's origin check, answered with the console's own 403 page instead of a thrown error. */
export function originCheck(): MiddlewareHandler<ConsoleEnv> {
  const check = csrf();
  return async (c, next) => {
    try {
      await check(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) {
        return refusal(c, 403, "Refused", "This form was sent from another site, so it was refused.");
      }
      throw error;
    }
  };
}

async function setSession(c: Context<ConsoleEnv>): Promise<void> {
  const runtime = c.var.runtime;
  const key = await consoleKey(runtime.config.adminToken);
  const value = await sealSession(key, { id: randomToken(18), expiresAtMs: runtime.clock() + SESSION_MS });
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_MS / 1000,
  });
}

type Seen = Viewer | "access-refused" | null;

// What a request was found to be, so the Access gate and the page's own check verify its JWT once.
const seen = new WeakMap<Request, Seen>();

/** Who is signed in, or null: the Access JWT when Access is set, the session cookie otherwise. */
async function viewerOf(c: Context<ConsoleEnv>): Promise<Seen> {
  const known = seen.get(c.req.raw);
  if (known !== undefined) return known;
  const found = await findViewer(c);
  seen.set(c.req.raw, found);
  return found;
}

async function findViewer(c: Context<ConsoleEnv>): Promise<Seen> {
  const runtime = c.var.runtime;
  const key = await consoleKey(runtime.config.adminToken);
  const access = runtime.config.access;
  if (access !== null) {
    const checked = await verifyAccess(access, c.req.header(ACCESS_JWT_HEADER), runtime.clock());
    if (!checked.ok) {
      runtime.log.warn("console.access_refused", { path: c.req.path, reason: checked.reason });
      return "access-refused";
    }
    const sessionId = `access:${checked.subject}`;
    return { via: "access", sessionId, csrf: await csrfToken(key, sessionId), email: checked.email };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie === undefined) return null;
  const session = await openSession(key, cookie, runtime.clock());
  if (session === null) return null;
  return { via: "token", sessionId: session.id, csrf: await csrfToken(key, session.id), email: null };
}

function accessRefused(c: Context<ConsoleEnv>) {
  return refusal(
    c,
    403,
    "Not signed in",
    "Cloudflare Access did not vouch for this request. Sign in through Access.",
  );
}

/** Behind Access, nothing under /console (sign-in pages included) answers without a valid Access JWT. */
export function accessGate(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.var.runtime.config.access !== null && (await viewerOf(c)) === "access-refused")
      return accessRefused(c);
    await next();
  };
}

/**
 * Lets a request through only with a viewer: Access's JWT, or a session (else a redirect to sign-in with
 * `next`). A POST must then carry the session's `_csrf`, or it is refused with 403.
 */
export function requireViewer(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const viewer = await viewerOf(c);
    if (viewer === "access-refused") {
      return refusal(
        c,
        403,
        "Not signed in",
        "Cloudflare Access did not vouch for this request. Sign in through Access.",
      );
    }
    if (viewer === null) {
      const url = new URL(c.req.url);
      const next = c.req.method === "GET" ? `${url.pathname}${url.search}` : HOME;
      return c.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303);
    }
    if (c.req.method === "POST") {
      const body = await c.req.parseBody();
      const given = body._csrf;
      const key = await consoleKey(c.var.runtime.config.adminToken);
      if (typeof given !== "string" || !(await csrfTokenMatches(key, viewer.sessionId, given))) {
        return refusal(
          c,
          403,
          "Refused",
          "This form had no valid CSRF token. Reload the page and try again.",
        );
      }
    }
    c.set("viewer", viewer);
    await next();
  };
}

function SignInForm(props: { next: string }) {
  return (
    <form method="post" action="/console/sign-in">
      <input type="hidden" name="next" value={props.next} />
      <label for="token">Admin token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required />
      <p>
        <button type="submit">Sign in</button>
      </p>
    </form>
  );
}

/** GET and POST /console/sign-in, the one-time link's page and sign-out. Mounted under /console. */
export const signInRoutes = new Hono<ConsoleEnv>()
  .use("/sign-in", async (c, next) => {
    // Behind Access the person is signed in already; the token sign-in is off.
    if (c.var.runtime.config.access !== null) return c.redirect(HOME, 303);
    await next();
  })
  .use("/sign-in/*", async (c, next) => {
    if (c.var.runtime.config.access !== null) return c.redirect(HOME, 303);
    await next();
  })
  .get("/sign-in", async (c) => {
    const next = safeNext(c.req.query("next"), c.req.url);
    if ((await viewerOf(c)) !== null) return c.redirect(next, 303);
    return c.html(
      <Page title="Sign in" flash={flashFor(c.req.query("flash"))}>
        <p>
          Sign in with the Worker's admin token (ADMIN_TOKEN). It is checked once and never kept in the page
          or the cookie.
        </p>
        <SignInForm next={next} />
      </Page>,
    );
  })
  .post("/sign-in", async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next, c.req.url);
    const token = typeof body.token === "string" ? body.token : "";
    if (token === "" || !(await tokensMatch(token, c.var.runtime.config.adminToken))) {
      c.var.runtime.log.warn("console.sign_in_refused", {});
      return c.html(
        <Page title="Sign in" flash={flashFor("sign-in-failed")}>
          <SignInForm next={next} />
        </Page>,
        401,
      );
    }
    await setSession(c);
    c.var.runtime.log.info("console.signed_in", { via: "token" });
    return c.redirect(next, 303);
  })
  .get("/sign-in/:code", (c) =>
    // A link previewer that GETs the link must not use it up: only the button's POST does.
    c.html(
      <Page title="Sign in">
        <p>This one-time link signs you in to the console. It works once, for ten minutes.</p>
        <form method="post" action={`/console/sign-in/${encodeURIComponent(c.req.param("code"))}`}>
          <button type="submit">Sign in</button>
        </form>
      </Page>,
    ),
  )
  .post("/sign-in/:code", async (c) => {
    const runtime = c.var.runtime;
    if (!(await runtime.signInLinks.take(c.req.param("code"), runtime.clock()))) {
      runtime.log.warn("console.sign_in_link_refused", {});
      return c.redirect("/console/sign-in?flash=link-used", 303);
    }
    await setSession(c);
    runtime.log.info("console.signed_in", { via: "link" });
    return c.redirect(HOME, 303);
  });

/** POST /console/sign-out: behind requireViewer, so it needs the session's `_csrf`. */
export const signOutRoutes = new Hono<ConsoleEnv>().post("/sign-out", (c) => {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Strict" });
  return c.redirect("/console/sign-in?flash=signed-out", 303);
});
