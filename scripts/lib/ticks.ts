// Owns "when would the cron prepare this meeting": a pair's upcoming meeting, the meetings before it (to
// date seeded history), and the 15-minute cron tick at which its agenda becomes due. Uses the Worker's own
// schedule code, so the scripts and the Worker agree on every date, time zone and DST rule.
import { Temporal } from "temporal-polyfill";
import type { Occurrence } from "../../src/domain/occurrences";
import { nextOccurrence, occurrencesBetween } from "../../src/domain/occurrences";
import type { Schedule } from "../../src/domain/schedule";
import { CRON_INTERVAL_MINUTES } from "../../src/domain/schedule";
import { ScriptError } from "./run";

/** wrangler.toml's cron: every 15 minutes. */
export const TICK_MS = CRON_INTERVAL_MINUTES * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Far enough back to find two earlier meetings of any cadence (monthly on a 5th weekday included). */
const HISTORY_MS = 400 * DAY_MS;

/** `date` (YYYY-MM-DD) moved by `days`: due dates relative to the planned meetings. */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The first cron tick at or after `ms`. */
export function tickAtOrAfter(ms: number): number {
  return Math.ceil(ms / TICK_MS) * TICK_MS;
}

export interface PlannedMeeting {
  /** The meeting the demo prepares: the first whose agenda tick has not yet passed. */
  meeting: Occurrence;
  /** The cron tick that prepares it. */
  tickMs: number;
  /** The meeting before it: the agenda its open items are carried from. */
  previous: Occurrence;
  /** The one before that, where an item carried once already first appeared. */
  earlier: Occurrence;
}

/** Plans one pair's next meeting relative to `nowMs`; throws when the schedule has none ahead. */
export function planMeeting(pairId: string, schedule: Schedule, nowMs: number): PlannedMeeting {
  let meeting = nextOccurrence(schedule, nowMs);
  // A lead time shorter than one tick could leave no tick between "due" and "started"; skip such a meeting.
  while (meeting !== null && tickAtOrAfter(meeting.prepareAtMs) >= meeting.startsAtMs) {
    meeting = nextOccurrence(schedule, meeting.startsAtMs);
  }
  if (meeting === null) throw new ScriptError(`${pairId}: its schedule has no meeting ahead`);
  const before = occurrencesBetween(schedule, meeting.startsAtMs - HISTORY_MS, meeting.startsAtMs);
  const previous = before.at(-1);
  const earlier = before.at(-2);
  if (previous === undefined || earlier === undefined) {
    throw new ScriptError(`${pairId}: its schedule has fewer than two meetings before ${meeting.date}`);
  }
  return { meeting, tickMs: tickAtOrAfter(meeting.prepareAtMs), previous, earlier };
}
