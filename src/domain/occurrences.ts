// A pair's meeting occurrences: the pure computation of which meetings of a schedule fall in a window, which
// are due for an agenda at a given instant, and which comes next. The schedule itself (its schema and types)
// is schedule.ts. "Now" is always a parameter (the scheduled event's time), so tests and replays can move
// time freely. All calendar and time-zone arithmetic goes through Temporal; nothing here hand-rolls DST.

import { Temporal } from "temporal-polyfill";
import type { Cadence, MonthlyByDayCadence, MonthlyByWeekdayCadence, Schedule, Weekday } from "./schedule";
import { leadTimeInMinutes, weekdays } from "./schedule";

// ---------------------------------------------------------------------------------------------------------
// Occurrences
// ---------------------------------------------------------------------------------------------------------

/** One meeting of a pair, named by its local date; the instants are what the scheduler compares with "now". */
export interface Occurrence {
  /** Local date in the pair's zone, YYYY-MM-DD: the meeting's name in its meeting key. */
  date: string;
  /** Start as ISO 8601 with the zone's offset at that instant, e.g. 2026-03-31T10:00:00+02:00. */
  startsAt: string;
  startsAtMs: number;
  /** When the agenda should be ready by: start minus the lead time. */
  prepareAtMs: number;
}

/** The stable name of one meeting, used to find an agenda before creating one so retries never duplicate it. */
export function meetingKey(pairId: string, date: string): string {
  return `${pairId}/${date}`;
}

/**
 * Meetings whose start lies in [fromMs, toMs), oldest first, with skip dates and start/end bounds applied.
 * A paused schedule has none.
 *
 * Local times are resolved with Temporal's "compatible" disambiguation: a time that does not exist on a
 * spring-forward day moves forward by the gap (02:30 becomes 03:30 in New York on 2026-03-08), and a time that
 * happens twice on a fall-back day takes the earlier instant (the one still on summer time). The meeting keeps
 * its nominal local date either way, so its meeting key does not change.
 */
export function occurrencesBetween(schedule: Schedule, fromMs: number, toMs: number): Occurrence[] {
  if (schedule.paused || fromMs >= toMs) return [];
  // One local day of margin each side: the window is in instants, the cadence in local dates.
  const fromDate = localDateAt(schedule.timeZone, fromMs).subtract({ days: 1 });
  const toDate = localDateAt(schedule.timeZone, toMs).add({ days: 1 });
  const skipped = new Set(schedule.skipDates);
  return meetingDatesBetween(schedule, fromDate, toDate)
    .filter((date) => !skipped.has(date.toString()))
    .map((date) => occurrenceOn(schedule, date))
    .filter((occurrence) => occurrence.startsAtMs >= fromMs && occurrence.startsAtMs < toMs);
}

/**
 * Meetings whose agenda should exist by now and that have not begun: prepare time <= now < start, oldest
 * first. Asking by window rather than "exactly now" lets a missed or late cron tick catch up on the next one;
 * a short cadence with a long lead time can yield several meetings.
 */
export function dueOccurrences(schedule: Schedule, nowMs: number): Occurrence[] {
  // Any due meeting starts within the lead time after now; the extra day covers DST shifts when the lead
  // is counted in calendar days. The exact test is on prepareAtMs.
  const horizonMs = (leadTimeInMinutes(schedule.leadTime) + 24 * 60) * 60_000;
  return occurrencesBetween(schedule, nowMs + 1, nowMs + 1 + horizonMs).filter(
    (occurrence) => occurrence.prepareAtMs <= nowMs,
  );
}

const SEARCH_YEARS = 10;

/**
 * The first meeting that starts strictly after `afterMs`, for showing "next meeting" in the admin API.
 * Null when the schedule is paused, has ended, or (absurdly) has every meeting skipped for ten years.
 */
export function nextOccurrence(schedule: Schedule, afterMs: number): Occurrence | null {
  if (schedule.paused) return null;
  // Jump straight to a future start bound instead of scanning the empty years before it.
  let fromMs = Math.max(afterMs + 1, startOfFirstPossibleDayMs(schedule));
  for (let year = 0; year < SEARCH_YEARS; year++) {
    const toMs = zonedAt(schedule.timeZone, fromMs).add({ years: 1 }).epochMilliseconds;
    const [first] = occurrencesBetween(schedule, fromMs, toMs);
    if (first) return first;
    if (schedule.endDate && localDateAt(schedule.timeZone, toMs).toString() > schedule.endDate) return null;
    fromMs = toMs;
  }
  return null;
}

function startOfFirstPossibleDayMs(schedule: Schedule): number {
  const bound = latestDate([schedule.startDate, schedule.cadence.startDate]);
  return bound ? bound.toZonedDateTime(schedule.timeZone).epochMilliseconds : Number.NEGATIVE_INFINITY;
}

function localDateAt(timeZone: string, epochMs: number): Temporal.PlainDate {
  return zonedAt(timeZone, epochMs).toPlainDate();
}

// Temporal refuses fractional epoch milliseconds; callers may pass any timestamp, so round down.
function zonedAt(timeZone: string, epochMs: number): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(Math.floor(epochMs)).toZonedDateTimeISO(timeZone);
}

function occurrenceOn(schedule: Schedule, date: Temporal.PlainDate): Occurrence {
  const start = date
    .toPlainDateTime(Temporal.PlainTime.from(schedule.time))
    .toZonedDateTime(schedule.timeZone, { disambiguation: "compatible" });
  const lead = schedule.leadTime;
  const prepare = start.subtract({
    days: lead.days ?? 0,
    hours: lead.hours ?? 0,
    minutes: lead.minutes ?? 0,
  });
  return {
    date: date.toString(),
    startsAt: start.toString({ timeZoneName: "never" }),
    startsAtMs: start.epochMilliseconds,
    prepareAtMs: prepare.epochMilliseconds,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Cadence -> local dates
// ---------------------------------------------------------------------------------------------------------

/** The cadence's meeting dates within [from, to] and within the schedule's bounds, in order. */
function meetingDatesBetween(
  schedule: Schedule,
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
): Temporal.PlainDate[] {
  const first = latestDate([from.toString(), schedule.startDate, schedule.cadence.startDate]) ?? from;
  const last = earliestDate([to.toString(), schedule.endDate]) ?? to;
  if (Temporal.PlainDate.compare(first, last) > 0) return [];
  const cadence = schedule.cadence;
  return cadence.kind === "weekly" ? weeklyDates(cadence, first, last) : monthlyDates(cadence, first, last);
}

function weeklyDates(
  cadence: Extract<Cadence, { kind: "weekly" }>,
  first: Temporal.PlainDate,
  last: Temporal.PlainDate,
): Temporal.PlainDate[] {
  const stepDays = 7 * cadence.everyWeeks;
  // Without a start date every week is a meeting week, so any matching weekday can serve as the anchor.
  const anchor = weekdayOnOrAfter(
    cadence.startDate ? Temporal.PlainDate.from(cadence.startDate) : first,
    cadence.weekday,
  );
  const daysToFirst = Math.max(0, anchor.until(first, { largestUnit: "days" }).days);
  const dates: Temporal.PlainDate[] = [];
  for (
    let date = anchor.add({ days: Math.ceil(daysToFirst / stepDays) * stepDays });
    Temporal.PlainDate.compare(date, last) <= 0;
    date = date.add({ days: stepDays })
  ) {
    dates.push(date);
  }
  return dates;
}

function monthlyDates(
  cadence: MonthlyByDayCadence | MonthlyByWeekdayCadence,
  first: Temporal.PlainDate,
  last: Temporal.PlainDate,
): Temporal.PlainDate[] {
  const dates: Temporal.PlainDate[] = [];
  const lastMonth = last.toPlainYearMonth();
  for (
    let month = first.toPlainYearMonth();
    Temporal.PlainYearMonth.compare(month, lastMonth) <= 0;
    month = month.add({ months: 1 })
  ) {
    const date =
      "dayOfMonth" in cadence ? dayOfMonthIn(month, cadence.dayOfMonth) : nthWeekdayIn(month, cadence);
    if (date && Temporal.PlainDate.compare(date, first) >= 0 && Temporal.PlainDate.compare(date, last) <= 0) {
      dates.push(date);
    }
  }
  return dates;
}

/** A month shorter than `day` meets on its last day, so a "31st" series still meets every month. */
function dayOfMonthIn(month: Temporal.PlainYearMonth, day: number): Temporal.PlainDate {
  return month.toPlainDate({ day: Math.min(day, month.daysInMonth) });
}

/** The nth (or last, for -1) weekday of the month; null when the month has no such day (a 5th one). */
function nthWeekdayIn(
  month: Temporal.PlainYearMonth,
  cadence: MonthlyByWeekdayCadence,
): Temporal.PlainDate | null {
  const isoWeekday = isoDayOfWeek(cadence.weekday);
  if (cadence.nth === -1) {
    const lastDay = month.toPlainDate({ day: month.daysInMonth });
    return lastDay.subtract({ days: (lastDay.dayOfWeek - isoWeekday + 7) % 7 });
  }
  const firstDay = month.toPlainDate({ day: 1 });
  const day = 1 + ((isoWeekday - firstDay.dayOfWeek + 7) % 7) + (cadence.nth - 1) * 7;
  return day <= month.daysInMonth ? month.toPlainDate({ day }) : null;
}

function weekdayOnOrAfter(date: Temporal.PlainDate, weekday: Weekday): Temporal.PlainDate {
  return date.add({ days: (isoDayOfWeek(weekday) - date.dayOfWeek + 7) % 7 });
}

/** Temporal numbers weekdays 1 (Monday) to 7 (Sunday). */
function isoDayOfWeek(weekday: Weekday): number {
  return weekdays.indexOf(weekday) + 1;
}

function latestDate(dates: (string | undefined)[]): Temporal.PlainDate | undefined {
  return pickDate(dates, (a, b) => a > b);
}

function earliestDate(dates: (string | undefined)[]): Temporal.PlainDate | undefined {
  return pickDate(dates, (a, b) => a < b);
}

// YYYY-MM-DD strings of the same width order the same way as the dates they name.
function pickDate(
  dates: (string | undefined)[],
  prefer: (candidate: string, current: string) => boolean,
): Temporal.PlainDate | undefined {
  let chosen: string | undefined;
  for (const date of dates) {
    if (date !== undefined && (chosen === undefined || prefer(date, chosen))) chosen = date;
  }
  return chosen === undefined ? undefined : Temporal.PlainDate.from(chosen);
}
