// Drives the real Worker handlers inside workerd with a test's own bindings and clock: the admin API and
// the cron trigger, exactly as Cloudflare would call them. The clock (what the outbox takes as the real
// time) is the test's: each tick sets it to the tick's scheduled time unless told otherwise, so nothing
// a test asserts depends on today's date.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorker } from "../../src/worker";

export const ADMIN_TOKEN = "test-admin-token";

let clockMs = Date.parse("2026-12-01T00:00:00Z");

/** The Worker's real clock in these tests: set by each tick, or by a test on its own. */
export const testClock = {
  now: (): number => clockMs,
  set(ms: number): void {
    clockMs = ms;
  },
};

// Work is handled inline, so a tick has done everything it hands out (agendas, digests) when it returns.
const worker = createWorker({ clock: testClock.now, inlineWork: true });

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
    // The emulator enforces no quota unless a test sets one; Google's real pace would only make tests wait.
    GOOGLE_DOCS_READS_PER_MINUTE: "30000",
    GOOGLE_DOCS_WRITES_PER_MINUTE: "6000",
  };
}

/** Hands the Worker a request as Cloudflare would (the webhooks' routes), its work done when it returns. */
export async function workerFetch(testEnv: Env, request: Request): Promise<Response> {
  return await worker.fetch(request, testEnv, createExecutionContext());
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

/**
 * One cron tick scheduled at `at` (epoch ms). The clock moves to `at` too, as it would when the cron is
 * on time, unless `clockMs` says the real time is another (a late or replayed tick).
 */
export async function tick(testEnv: Env, at: number, options: { clockMs?: number } = {}): Promise<void> {
  testClock.set(options.clockMs ?? at);
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" }), testEnv);
}

/** The queues of wrangler.toml: the work queue and its dead-letter queue. */
export const WORK_QUEUE_NAME = "one-on-one-agendas-work";
export const DEAD_LETTER_QUEUE_NAME = "one-on-one-agendas-dead-letters";

/**
 * One batch of `bodies` delivered to the Worker's queue handler as Cloudflare would (each the
 * `attempts`-th delivery of its message), on the test's clock; answers what was acked and retried.
 */
export async function queueBatch(
  testEnv: Env,
  queue: string,
  bodies: readonly unknown[],
  options: { attempts?: number; clockMs?: number } = {},
) {
  if (options.clockMs !== undefined) testClock.set(options.clockMs);
  const messages = bodies.map((body) => ({
    id: `msg-${crypto.randomUUID()}`,
    timestamp: testClock.now(),
    attempts: options.attempts ?? 1,
    body,
  }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv);
  return { ids: messages.map((message) => message.id), result: await getQueueResult(batch, ctx) };
}
