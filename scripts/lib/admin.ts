// Owns the scripts' view of the Worker's HTTP surface: the admin API (bulk import, run now, a pair's
// meetings with their digests' deliveries, a manager's weekly roll-up, the doctor, a console sign-in
// link) and the cron trigger (`/__scheduled`). Everything read back is checked with zod (the calls go
// through admin-call.ts, as set-up's do), so a change in the API's shape fails here with the field that
// moved, not later as an undefined on screen.
import { z } from "zod";
import { CARRY_ROLES } from "../../src/domain/agenda";
import { adminCall, jsonOf } from "./admin-call";
import { type DoctorReport, doctorReportSchema } from "./doctor-table";
import { request } from "./http";
import { ScriptError } from "./run";

const ledgerEntrySchema = z.object({
  meetingKey: z.string(),
  role: z.enum(CARRY_ROLES),
  position: z.number(),
  text: z.string(),
  originDate: z.string(),
  timesCarried: z.number(),
  ownerUserId: z.string().nullable(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  sourceAgendaId: z.string(),
});

/** A digest's delivery as the outbox records it (app/deliveries.ts `deliveryView`). */
const deliverySchema = z.looseObject({
  id: z.string(),
  digestKey: z.string(),
  channelKey: z.string(),
  channel: z.string(),
  secretName: z.string(),
  status: z.enum(["pending", "sending", "delivered", "failed"]),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

const meetingSchema = z.object({
  key: z.string(),
  pairId: z.string(),
  date: z.string(),
  startsAt: z.string(),
  status: z.enum(["claimed", "created", "failed"]),
  attempts: z.number(),
  agendaId: z.string().nullable(),
  agendaUrl: z.string().nullable(),
  carriedCount: z.number(),
  error: z.string().nullable(),
  updatedAt: z.string(),
  /** When the meeting's last live-sync pass finished; absent or null before the first. */
  syncedAt: z.string().nullable().optional(),
  carried: z.array(ledgerEntrySchema),
  deliveries: z.array(deliverySchema),
});

const meetingsSchema = z.object({ meetings: z.array(meetingSchema) });
/** `PUT` and `GET /admin/rollups/:email`: the config as stored, when it goes out next, its deliveries. */
const rollupSchema = z.object({
  rollup: z.looseObject({
    manager: z.object({ name: z.string(), email: z.string() }),
    weekday: z.string(),
    time: z.string(),
    timeZone: z.string(),
  }),
  nextRollupAt: z.string().nullable(),
  deliveries: z.array(deliverySchema),
});
const importedSchema = z.object({ imported: z.array(z.string()) });
/** `POST /admin/console/sign-in-links`: a one-time link into the console. */
const signInLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });

const outcomeSchema = z.looseObject({
  status: z.enum(["created", "found", "skipped", "lost", "failed", "dry-run"]),
  key: z.string(),
  error: z.string().optional(),
  reason: z.string().optional(),
});
const tickSchema = z.object({
  at: z.string(),
  invalidPairs: z.array(z.object({ id: z.string(), problems: z.array(z.string()) })),
  outcomes: z.array(outcomeSchema),
});

const tickProgressSchema = z.looseObject({
  id: z.string(),
  scheduledAt: z.string(),
  due: z.number(),
  dispatched: z.number(),
  created: z.number(),
  failed: z.number(),
  waiting: z.number(),
  delivered: z.number(),
  owed: z.number(),
});
const ticksSchema = z.object({ ticks: z.array(tickProgressSchema) });

export type TickProgress = z.infer<typeof tickProgressSchema>;
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type Delivery = z.infer<typeof deliverySchema>;
type RollupView = z.infer<typeof rollupSchema>;
export type Meeting = z.infer<typeof meetingSchema>;
export type TickOutcome = z.infer<typeof outcomeSchema>;
type TickResult = z.infer<typeof tickSchema>;

const scheduledSchema = z.looseObject({ outcome: z.string() });

/**
 * The local cron trigger at `timeMs`. Wrangler's `/__scheduled` (testScheduled) ignores `?time=` and
 * always runs at "now"; Miniflare's trigger endpoint, which `wrangler dev` enables, honours it.
 */
export function scheduledPath(timeMs: number): string {
  return `/cdn-cgi/local/scheduled?time=${timeMs}`;
}

export interface AdminClient {
  importPairs(document: unknown): Promise<string[]>;
  meetings(pairId: string): Promise<Meeting[]>;
  /** `POST /admin/run`: prepares what is due at `atMs` (for one pair, when given) and says what happened. */
  run(atMs: number, pairId?: string): Promise<TickResult>;
  /** The cron trigger at `timeMs`, as Cloudflare fires it: the Worker's `scheduled` handler. */
  scheduled(timeMs: number): Promise<void>;
  /** `GET /admin/ticks`: the latest ticks, newest first, with how far the queue has got with each. */
  ticks(limit?: number): Promise<TickProgress[]>;
  /** `PUT /admin/rollups/:email`: sets up (or changes) a manager's weekly roll-up. */
  putRollup(config: { manager: { email: string } }): Promise<RollupView>;
  /** `GET /admin/rollups/:email`: the roll-up with its latest deliveries. */
  rollup(managerEmail: string): Promise<RollupView>;
  /** `POST /admin/console/sign-in-links`: a link that signs a browser in to the console, once. */
  consoleSignInLink(): Promise<{ url: string; expiresAt: string }>;
  /** `GET /admin/doctor`: the set-up checks of every stored pair, with each next agenda's dry run if asked. */
  doctor(dryRun?: boolean): Promise<DoctorReport>;
}

export function adminClient(workerUrl: string, adminToken: string): AdminClient {
  const call = adminCall(workerUrl, adminToken);

  return {
    importPairs: async (document) =>
      (await call("importing pairs", "POST", "/admin/pairs/import", importedSchema, document)).imported,
    meetings: async (pairId) =>
      (
        await call(
          `reading the meetings of ${pairId}`,
          "GET",
          `/admin/pairs/${encodeURIComponent(pairId)}/meetings`,
          meetingsSchema,
        )
      ).meetings,
    run: (atMs, pairId) =>
      call("running the schedule", "POST", "/admin/run", tickSchema, {
        at: atMs,
        ...(pairId === undefined ? {} : { pairId }),
      }),
    putRollup: (config) =>
      call(
        `setting up ${config.manager.email}'s roll-up`,
        "PUT",
        `/admin/rollups/${encodeURIComponent(config.manager.email)}`,
        rollupSchema,
        config,
      ),
    rollup: (managerEmail) =>
      call(
        `reading ${managerEmail}'s roll-up`,
        "GET",
        `/admin/rollups/${encodeURIComponent(managerEmail)}`,
        rollupSchema,
      ),
    consoleSignInLink: () =>
      call("making a console sign-in link", "POST", "/admin/console/sign-in-links", signInLinkSchema),
    doctor: (dryRun = false) =>
      call("checking the pairs", "GET", `/admin/doctor${dryRun ? "?dryRun=true" : ""}`, doctorReportSchema),
    ticks: async (limit = 10) =>
      (await call("reading the ticks", "GET", `/admin/ticks?limit=${limit}`, ticksSchema)).ticks,
    scheduled: async (timeMs) => {
      const answer = await request(`${workerUrl}${scheduledPath(timeMs)}&format=json`);
      const outcome = scheduledSchema.safeParse(jsonOf(answer.text));
      if (answer.status !== 200 || !outcome.success || outcome.data.outcome !== "ok") {
        throw new ScriptError(
          `the cron tick at ${new Date(timeMs).toISOString()} failed (HTTP ${answer.status}): ${answer.text.slice(0, 300)}`,
        );
      }
    },
  };
}
