// The generic JSON webhook payload for the weekly roll-up, version 1: the whole roll-up as data, for
// receivers that build their own message. Its zod schema is the documentation and the contract, as in
// ./digest.ts, whose item schema it reuses so an item reads the same in both events. Breaking changes
// bump `version`.
import * as z from "zod";
import type { Rollup } from "../../../domain/rollup";
import { webhookItem, webhookItemSchema } from "./digest";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u);
const count = z.int().min(0);

/** A report's last prepared agenda, as its meeting digest describes it. */
const rollupAgendaSchema = z
  .object({
    date: localDate.describe("The meeting's date YYYY-MM-DD in the pair's time zone"),
    startsAt: z.string().describe("Start instant, ISO 8601"),
    display: z
      .string()
      .describe("Start in the pair's zone, for people: 'Tuesday 31 March 2026, 10:00 (Europe/Berlin)'"),
    timeZone: z.string().describe("IANA time zone the pair's dates are in"),
    agendaUrl: z.url().describe("Link to the prepared agenda (Notion page or Google Doc)"),
    items: z
      .array(webhookItemSchema)
      .describe("Every carried open item, most urgent first; overdue days counted at this meeting's date"),
    counts: z
      .object({
        carried: count,
        overdue: count,
        longCarried: count.describe("Stuck items: carried 3 times or more"),
        parked: count.describe("Items in the agenda's parking lot, counted in carried too"),
        closedSinceLastMeeting: count.describe(
          "Items open at the previous meeting that a person closed since",
        ),
        closedWithinWeek: count.describe(
          "Of those, the items closed in the meeting interval they first appeared in",
        ),
      })
      .strict(),
  })
  .strict();

const rollupReportSchema = z
  .object({
    pairId: z.string().describe("Pair id, stable"),
    reportName: z.string().describe("Report's display name, one line; untrusted user content"),
    lastAgenda: rollupAgendaSchema
      .nullable()
      .describe("The latest prepared agenda, or null when none was prepared yet"),
  })
  .strict();

/**
 * `rollup.weekly`, version 1. Sent once per manager and roll-up date. Nothing is truncated: every report
 * and every carried item is here, whatever a chat channel had room for.
 */
export const rollupWebhookPayloadSchema = z
  .object({
    type: z.literal("rollup.weekly").describe("Event name; always 'rollup.weekly' for this payload"),
    version: z
      .literal(1)
      .describe("Payload schema version; a receiver should refuse versions it does not know"),
    manager: z
      .object({
        name: z.string().describe("Manager's display name, one line; untrusted user content"),
        email: z.string().describe("Manager's email address, as configured"),
        timeZone: z.string().describe("IANA time zone the roll-up's date is in"),
      })
      .strict(),
    date: localDate.describe("The date YYYY-MM-DD, in the manager's zone, the roll-up is sent for"),
    totals: z
      .object({
        reports: count.describe("Every report, with or without an agenda"),
        reportsWithoutAgenda: count,
        open: count.describe("Open items carried into the reports' last agendas"),
        overdue: count,
        longCarried: count.describe("Stuck items: carried 3 times or more"),
        parked: count.describe("Items in the reports' parking lots"),
        closedSinceLastMeetings: count,
        closedWithinWeek: count.describe(
          "Of those, the items closed in the meeting interval they first appeared in",
        ),
      })
      .strict(),
    reports: z
      .array(rollupReportSchema)
      .describe(
        "Most urgent first: most overdue items, then most open items, then name; reports without an agenda last",
      ),
  })
  .strict();

export type RollupWebhookPayload = z.infer<typeof rollupWebhookPayloadSchema>;

/** The generic webhook body for a manager's roll-up. Signing is the sender's job, not the payload's. */
export function rollupWebhookPayload(rollup: Rollup): RollupWebhookPayload {
  return {
    type: "rollup.weekly",
    version: 1,
    manager: { ...rollup.manager },
    date: rollup.date,
    totals: { ...rollup.totals },
    reports: rollup.reports.map(({ pairId, reportName, digest, figures }) => ({
      pairId,
      reportName,
      lastAgenda:
        digest === null
          ? null
          : {
              date: digest.meeting.date,
              startsAt: digest.meeting.startsAt,
              display: digest.meeting.display,
              timeZone: digest.pair.timeZone,
              agendaUrl: digest.agendaUrl,
              items: digest.items.map(webhookItem),
              counts: { ...digest.counts, closedWithinWeek: figures.closedWithinWeek },
            },
    })),
  };
}
