// Notion's webhooks, received as change signals: POST /webhooks/notion (no admin token; Notion's signature
// is the authentication) records which pages and data sources changed, for a sync pass to re-read; and
// GET /admin/notion-webhooks shows the subscription handshakes (each verification token once) and what
// waits. A signal never changes an agenda by itself.
import { verifyWebhookSignature } from "@notionhq/client";
import { Hono } from "hono";
import * as z from "zod";
import { countedD1 } from "../lib/budget";
import { describeIssues } from "../lib/issues";
import type { Runtime } from "../runtime";
import {
  ChangeSignalStore,
  normalizeNotionId,
  type SignalEvent,
  type SignalKind,
} from "../store/change-signals";
import { NotionWebhookHandshakeStore, tokenFingerprint } from "../store/notion-webhook-handshakes";
import type { AppEnv } from "./context";
import { limitBody, problem } from "./http";

/** Notion's events are small (ids and types); this is far above them and far below what could hurt. */
const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** The page events that mean "read this page again". */
const PAGE_SIGNAL_EVENTS: ReadonlySet<string> = new Set([
  "page.content_updated",
  "page.properties_updated",
  "page.created",
  "page.deleted",
  "page.undeleted",
  "page.moved",
]);

/** The data source events that mean "query this data source again". */
const DATA_SOURCE_SIGNAL_EVENTS: ReadonlySet<string> = new Set(["data_source.content_updated"]);

/** What Notion POSTs once when a subscription is made; no token has been agreed yet, so it is unsigned. */
const handshakeSchema = z.strictObject({
  // Printable, no spaces or commas: it is pasted into NOTION_WEBHOOK_VERIFICATION_TOKEN's list.
  verification_token: z.string().regex(/^[\x21-\x2b\x2d-\x7e]{8,512}$/),
});

const notionId = z.string().min(1, "is empty").max(100, "is longer than 100 characters");

/** The part of BaseWebhookPayload every event has that a signal needs; the rest is let through unread. */
const eventSchema = z.looseObject({
  id: z.string().min(1, "is empty").max(200, "is longer than 200 characters"),
  type: z.string().min(1, "is empty").max(200, "is longer than 200 characters"),
  timestamp: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" }),
  attempt_number: z.number().int().min(1).optional(),
});

const entitySchema = (type: SignalKind) =>
  z.looseObject({ entity: z.looseObject({ id: notionId, type: z.literal(type) }) });

/** The signal an event gives, if any: unknown and uninteresting events give none. */
function signalOf(
  body: unknown,
): { ok: true; signal: SignalEvent | null } | { ok: false; error: z.ZodError } {
  const event = eventSchema.safeParse(body);
  if (!event.success) return { ok: false, error: event.error };
  const kind: SignalKind | null = PAGE_SIGNAL_EVENTS.has(event.data.type)
    ? "page"
    : DATA_SOURCE_SIGNAL_EVENTS.has(event.data.type)
      ? "data_source"
      : null;
  if (kind === null) return { ok: true, signal: null };
  const entity = entitySchema(kind).safeParse(body);
  if (!entity.success) return { ok: false, error: entity.error };
  return {
    ok: true,
    signal: {
      eventId: event.data.id,
      kind,
      id: entity.data.entity.id,
      type: event.data.type,
      at: Date.parse(event.data.timestamp),
    },
  };
}

/** True when one of the configured tokens signed `body`; each is tried with the SDK's constant-time check. */
async function signedByAny(body: string, signature: string | undefined, tokens: readonly string[]) {
  for (const verificationToken of tokens) {
    if (await verifyWebhookSignature({ body, signature, verificationToken })) return true;
  }
  return false;
}

function stores(runtime: Runtime) {
  // Counted like every other statement of the invocation (lib/budget.ts).
  const db = countedD1(runtime.config.db);
  return { signals: new ChangeSignalStore(db), handshakes: new NotionWebhookHandshakeStore(db) };
}

/** POST /webhooks/notion: the handshake, then signed events. */
export function notionWebhookRoutes(runtimeFor: (env: Env) => Runtime) {
  return new Hono<AppEnv>()
    .use("*", async (c, next) => {
      c.set("runtime", runtimeFor(c.env));
      await next();
    })
    .use(
      "*",
      limitBody(() => MAX_WEBHOOK_BODY_BYTES),
    )
    .post("/", async (c) => {
      const runtime = c.var.runtime;
      const raw = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }

      const handshake = handshakeSchema.safeParse(body);
      if (handshake.success) {
        const token = handshake.data.verification_token;
        const at = new Date(runtime.clock()).toISOString();
        await stores(runtime).handshakes.record(token, at);
        // The token itself is never logged; its fingerprint tells handshakes apart.
        runtime.log.info("notion.webhook.handshake", { fingerprint: await tokenFingerprint(token) });
        return c.json({ received: "verification_token" });
      }

      const tokens = runtime.config.notion.webhookVerificationTokens;
      if (!(await signedByAny(raw, c.req.header("X-Notion-Signature"), tokens))) {
        runtime.log.warn("notion.webhook.refused", {
          reason:
            tokens.length === 0
              ? "NOTION_WEBHOOK_VERIFICATION_TOKEN is not set"
              : "the signature did not verify",
        });
        return problem(c, 401, "unauthorized", ["X-Notion-Signature: the signature did not verify"]);
      }
      if (body === undefined) return problem(c, 400, "invalid_json", ["body: is not valid JSON"]);

      const parsed = signalOf(body);
      if (!parsed.ok) return problem(c, 400, "invalid_request", describeIssues(parsed.error, "body", "body"));
      const { signal } = parsed;
      if (signal === null) {
        // Notion sends what the subscription asked for; what is not a change signal is acknowledged and let go.
        return c.json({
          ignored: typeof body === "object" && body !== null && "type" in body ? body.type : null,
        });
      }
      const receivedAt = runtime.clock();
      await stores(runtime).signals.record([signal], receivedAt);
      runtime.log.info("notion.webhook.signal", { type: signal.type, kind: signal.kind, id: signal.id });
      const syncs = signal.kind === "page" ? await syncCarryingFrom(runtime, signal.id, receivedAt) : 0;
      return c.json({ recorded: { kind: signal.kind, id: signal.id }, syncs });
    });
}

/**
 * A changed page may be the previous agenda of meetings whose agendas wait for their start: each is owed a
 * sync pass, sent to the work queue now rather than at the next tick. The meetings are marked owed first,
 * so a pass that fails is sent again by a tick. Answers how many passes were sent.
 */
async function syncCarryingFrom(runtime: Runtime, pageId: string, nowMs: number): Promise<number> {
  const meetings = await runtime.syncWatch.carryingFrom(
    normalizeNotionId(pageId),
    new Date(nowMs).toISOString(),
  );
  if (meetings.length === 0) return 0;
  await runtime.syncWatch.recordLooks(
    meetings.map((meeting) => meeting.key),
    nowMs,
    new Map(),
  );
  await runtime.work.send(
    meetings.map((meeting) => ({ kind: "sync", pairId: meeting.pairId, date: meeting.date })),
  );
  return meetings.length;
}

/** GET /admin/notion-webhooks: the handshakes (each token shown once) and the signals waiting. */
export const notionWebhookAdminRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const runtime = c.var.runtime;
  const { signals, handshakes } = stores(runtime);
  const configured = new Set(
    await Promise.all(
      runtime.config.notion.webhookVerificationTokens.map((token) => tokenFingerprint(token)),
    ),
  );
  const [shown, summary] = await Promise.all([
    handshakes.reveal(new Date(runtime.clock()).toISOString()),
    signals.summary(),
  ]);
  c.header("Cache-Control", "no-store");
  return c.json({
    url: new URL("/webhooks/notion", c.req.url).href,
    verificationTokensConfigured: configured.size,
    handshakes: shown.map((handshake) => ({
      fingerprint: handshake.fingerprint,
      firstReceivedAt: handshake.firstReceivedAt,
      receivedAt: handshake.receivedAt,
      deliveries: handshake.deliveries,
      // Only in the first answer after it arrived; set it with `wrangler secret put`.
      ...(handshake.token === null ? {} : { verificationToken: handshake.token }),
      revealedAt: handshake.revealedAt,
      configured: configured.has(handshake.fingerprint),
    })),
    signals: {
      pending: summary.pending,
      newestEventAt: summary.newestEventAt === null ? null : new Date(summary.newestEventAt).toISOString(),
    },
  });
});
