// The generic JSON webhook payload, version 1: the whole digest as data, for receivers that build their
// own message. Its zod schema is the documentation and the contract; a receiver can validate with it,
// and tests check every payload this builder emits against it. Breaking changes bump `version`.
import * as z from "zod";
import type { Digest, DigestItem } from "../../../domain/digest";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u);

/** One carried item, most urgent first in `items`. */
export const webhookItemSchema = z.object({
  /** The item's text on one line, control and bidi-override characters removed. Untrusted: escape it for your medium. */
  text: z.string().describe("Item text, one line, untrusted user content; escape before rendering"),
  /** Owner's display name, or null when the item names nobody. Untrusted. */
  owner: z.string().nullable().describe("Owner display name or null"),
  /** Due date in the pair's time zone, or null. */
  dueDate: localDate.nullable().describe("Due date YYYY-MM-DD in the pair's time zone, or null"),
  /** Date of the agenda where the item first appeared. */
  originDate: localDate.describe("Date YYYY-MM-DD of the agenda where the item first appeared"),
  /** Meetings the item has been carried into, this one included (1 = carried for the first time). */
  timesCarried: z.int().min(1).describe("Meetings the item has been carried into, this one included"),
  /** Calendar days from the due date to the meeting date in the pair's zone; 0 when not overdue. */
  overdueDays: z.int().min(0).describe("Calendar days overdue at the meeting date; 0 when not overdue"),
  /** True when stuck: carried 3 times or more. */
  longCarried: z.boolean().describe("Stuck: carried 3 times or more"),
  /** True when the item waits in the agenda's "Parking lot" (listed after every other item). */
  parked: z.boolean().describe("In the agenda's parking lot"),
});

/**
 * `agenda.prepared`, version 1. Sent once per meeting when its agenda has been prepared. Nothing is
 * truncated: every carried item is in `items`.
 */
export const webhookPayloadSchema = z
  .object({
    /** Event name; always "agenda.prepared" for this payload. */
    type: z.literal("agenda.prepared"),
    /** Payload schema version; a receiver should refuse versions it does not know. */
    version: z.literal(1),
    /** The manager/report pair. Names are untrusted user content. */
    pair: z.object({
      id: z.string().describe("Pair id, stable"),
      managerName: z.string(),
      reportName: z.string(),
      timeZone: z.string().describe("IANA time zone the pair's dates are in"),
    }),
    /** The meeting the agenda is for. */
    meeting: z.object({
      /** The meeting's date in the pair's zone; with the pair id it names the meeting. */
      date: localDate,
      /** Start instant, ISO 8601. */
      startsAt: z.string().describe("Start instant, ISO 8601"),
      /** Start in the pair's zone, for people: "Tuesday 31 March 2026, 10:00 (Europe/Berlin)". */
      display: z.string(),
    }),
    /** Link to the prepared agenda (Notion page or Google Doc). */
    agendaUrl: z.url(),
    /**
     * Every carried open item, most urgent first (overdue days, then times carried, then due date), the
     * parked ones (`parked: true`) after all others.
     */
    items: z.array(webhookItemSchema),
    /** Counts for a one-line summary. */
    counts: z.object({
      carried: z.int().min(0),
      overdue: z.int().min(0),
      /** Stuck items: carried 3 times or more. */
      longCarried: z.int().min(0),
      /** Items in the parking lot (counted in `carried` too). */
      parked: z.int().min(0),
      /** Items open at the previous meeting that a person closed since. */
      closedSinceLastMeeting: z.int().min(0),
    }),
  })
  .strict();

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** One item as both webhook events carry it: the digest's fields, without its display labels. */
export function webhookItem(item: DigestItem): z.infer<typeof webhookItemSchema> {
  return {
    text: item.text,
    owner: item.owner,
    dueDate: item.dueDate,
    originDate: item.originDate,
    timesCarried: item.timesCarried,
    overdueDays: item.overdueDays,
    longCarried: item.longCarried,
    parked: item.parked,
  };
}

/** The generic webhook body for a digest. Signing is the sender's job, not the payload's. */
export function webhookPayload(digest: Digest): WebhookPayload {
  return {
    type: "agenda.prepared",
    version: 1,
    pair: { ...digest.pair },
    meeting: {
      date: digest.meeting.date,
      startsAt: digest.meeting.startsAt,
      display: digest.meeting.display,
    },
    agendaUrl: digest.agendaUrl,
    items: digest.items.map(webhookItem),
    counts: { ...digest.counts },
  };
}
