// Helpers for the console's tests: requests as a browser sends them (same-origin forms carry Origin),
// signing in, and reading what a page holds.
import { env } from "cloudflare:workers";
import { ADMIN_TOKEN, admin, workerFetch } from "../support/worker";

const ORIGIN = "https://agendas.test";

export interface ConsoleRequest {
  method?: "GET" | "POST";
  /** A form body, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  cookie?: string | null;
  /** The Origin header of a POST; the console's own unless a test says otherwise (null: none). */
  origin?: string | null;
  headers?: Record<string, string>;
  env?: Env;
}

export function consoleFetch(path: string, init: ConsoleRequest = {}): Promise<Response> {
  const method = init.method ?? (init.form === undefined ? "GET" : "POST");
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  if (method === "POST") {
    const origin = init.origin === undefined ? ORIGIN : init.origin;
    if (origin !== null) headers.set("Origin", origin);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  const request = new Request(`${ORIGIN}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(method === "POST" ? { body: new URLSearchParams(init.form ?? {}).toString() } : {}),
  });
  return workerFetch(init.env ?? env, request);
}

/** The session cookie a response sets, as the Cookie header a browser then sends; null when none. */
export function sessionCookieOf(response: Response): string | null {
  const header = response.headers.get("Set-Cookie");
  const match = header ? /(__Host-console-session=[^;]*)/.exec(header) : null;
  return match?.[1] ?? null;
}

/** Signs in with the admin token and answers the Cookie header of the session. */
export async function signIn(testEnv: Env = env): Promise<string> {
  const response = await consoleFetch("/console/sign-in", { form: { token: ADMIN_TOKEN }, env: testEnv });
  const cookie = sessionCookieOf(response);
  if (response.status !== 303 || cookie === null) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

/** The hidden _csrf of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no _csrf field on the page");
  return match[1];
}

/** A page's HTML, read after checking it answered 200. */
export async function page(path: string, cookie: string, testEnv: Env = env): Promise<string> {
  const response = await consoleFetch(path, { cookie, env: testEnv });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.text();
}

/** A one-time sign-in link from the admin API. */
export async function signInLink(testEnv: Env = env): Promise<{ url: string; expiresAt: string }> {
  const response = await admin(testEnv, "/console/sign-in-links", { method: "POST" });
  if (response.status !== 201) throw new Error(`sign-in link: ${response.status}`);
  return (await response.json()) as { url: string; expiresAt: string };
}
