// Drives the real Worker entry inside workerd with a test's own bindings: the admin API and the cron
// trigger, exactly as Cloudflare would call them.
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

export const ADMIN_TOKEN = "test-admin-token";

/** The Worker's bindings pointed at the Notion emulator with the given integration token. */
export function envFor(notionUrl: string, notionToken: string): Env {
  return {
    ...env,
    NOTION_TOKEN: notionToken,
    NOTION_API_BASE_URL: notionUrl,
    NOTION_REQUESTS_PER_SECOND: "100",
  };
}

/** The Worker's bindings pointed at the Google emulator, acting as the given service account. */
export function googleEnvFor(googleUrl: string, serviceAccountKey: unknown): Env {
  return {
    ...env,
    GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(serviceAccountKey),
    GOOGLE_TOKEN_URL: `${googleUrl}/token`,
    GOOGLE_DOCS_API_BASE_URL: googleUrl,
    GOOGLE_DRIVE_API_BASE_URL: googleUrl,
  };
}

/** Calls the admin API as an operator with the right bearer token. */
export async function admin(testEnv: Env, path: string, init: { method?: string; body?: unknown } = {}) {
  const request = new Request(`https://agendas.test/admin${path}`, {
    method: init.method ?? "GET",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return worker.fetch(request, testEnv, createExecutionContext());
}

/** One cron tick at `at` (epoch ms). */
export async function tick(testEnv: Env, at: number): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" }), testEnv);
}
