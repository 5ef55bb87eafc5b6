// A pair's meeting schedule: the zod schema a person writes (in YAML or JSON) and the pure computation of
// which meetings fall in a window and which are due for an agenda at a given instant.
// "Now" is always a parameter (the scheduled event's time), so tests and replays can move time freely.
// All calendar and time-zone arithmetic goes through Temporal; nothing here hand-rolls DST.

import { Temporal } from "temporal-polyfill";
import * as z from "zod";
import { MAX_SKIP_DATES } from "./limits";

// ---------------------------------------------------------------------------------------------------------
// Error messages: the admin API shows them beside the issue path, so each says what was expected and got.
// ---------------------------------------------------------------------------------------------------------

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A zod error callback for a wrong or missing value, in words a person writing YAML understands. */
function expected(what: string): (issue: { input?: unknown }) => string {
  return (issue) =>
    issue.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${show(issue.input)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------------------

export const weekdays = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
export type Weekday = (typeof weekdays)[number];

export const weekdaySchema = z.enum(weekdays, {
  error: expected(`a lower-case English weekday (${weekdays.join(", ")})`),
});

function wholeNumber(min: number, max: number) {
  const what = `a whole number from ${min} to ${max}`;
  return z
    .number({ error: expected(what) })
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: expected(what) });
}

const LOCAL_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Temporal refuses impossible dates such as 2026-02-30 even in the plain YYYY-MM-DD form. */
function isRealCalendarDate(text: string): boolean {
  try {
    Temporal.PlainDate.from(text, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

/** A local calendar date "YYYY-MM-DD" in the pair's time zone, checked to exist (no February 30th). */
export const localDateSchema = z
  .string({ error: expected('a date "YYYY-MM-DD"') })
  .superRefine((text, ctx) => {
    if (!LOCAL_DATE_SHAPE.test(text)) {
      ctx.addIssue({
        code: "custom",
        input: text,
        message: `expected a date "YYYY-MM-DD", got ${show(text)}`,
      });
    } else if (!isRealCalendarDate(text)) {
      ctx.addIssue({ code: "custom", input: text, message: `${show(text)} is not a real calendar date` });
    }
  });

const LOCAL_TIME_SHAPE = /^([01]\d|2[0-3]):[0-5]\d$/;

export const localTimeSchema = z
  .string({ error: expected('a local time "HH:MM" (24-hour)') })
  .regex(LOCAL_TIME_SHAPE, { error: expected('a local time "HH:MM" (24-hour, 00:00 to 23:59)') });

// IANA names are letters, digits and "_", "-", "+", "/". Temporal also accepts fixed offsets ("+02:00"), which
// would silently ignore DST, and whole ISO date-time strings; the shape check keeps both out.
const IANA_NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

// The longest IANA name is 32 characters; anything far longer is not one, and is not echoed back whole.
const MAX_TIME_ZONE_LENGTH = 64;

// Names that are fixed offsets too, just spelt like zones: "Etc/GMT-2" is +02:00 all year round (the
// sign is inverted, POSIX style), and "EST", "MST" and "HST" are standard time without the summer change
// of the places people mean by them. UTC and its aliases are kept: a pair that means UTC gets UTC.
const FIXED_OFFSET_NAME = /^(?:(?:etc\/)?gmt[+-]0*[1-9]\d*|est|mst|hst)$/i;

/** The zone's id as Temporal spells it ("europe/berlin" is "Europe/Berlin"), or null for an unknown zone. */
function canonicalTimeZone(id: string): string | null {
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(id).timeZoneId;
  } catch {
    return null;
  }
}

/**
 * An IANA time zone name, stored in its canonical spelling so that one zone is always written one way
 * (digests show it, and pairs are compared by it).
 */
export const timeZoneSchema = z
  .string({ error: expected('an IANA time zone name such as "Europe/Berlin"') })
  .max(MAX_TIME_ZONE_LENGTH, {
    error: `is not an IANA time zone name (at most ${MAX_TIME_ZONE_LENGTH} characters)`,
    abort: true,
  })
  .transform((id, ctx) => {
    const fixed = FIXED_OFFSET_NAME.test(id);
    if (!IANA_NAME_SHAPE.test(id) || fixed) {
      ctx.addIssue({
        code: "custom",
        input: id,
        message: `${show(id)} is ${fixed ? "a fixed offset" : "not an IANA time zone name"}; use one such as "Europe/Berlin" so DST changes are followed`,
      });
      return z.NEVER;
    }
    const canonical = canonicalTimeZone(id);
    if (canonical === null) {
      ctx.addIssue({ code: "custom", input: id, message: `unknown time zone ${show(id)}` });
      return z.NEVER;
    }
    return canonical;
  });

// How often the cron trigger runs: wrangler.toml's [triggers] crons, every 15 minutes. A lead time
// shorter than this can fall between two ticks, and then the agenda is never prepared.
export const CRON_INTERVAL_MINUTES = 15;

const MAX_LEAD_MINUTES = 366 * 24 * 60;

function leadTimeInMinutes(lead: LeadTime): number {
  return ((lead.days ?? 0) * 24 + (lead.hours ?? 0)) * 60 + (lead.minutes ?? 0);
}

const leadTimeSchema = z
  .strictObject(
    {
      days: wholeNumber(0, 366).optional(),
      hours: wholeNumber(0, 366 * 24).optional(),
      minutes: wholeNumber(0, MAX_LEAD_MINUTES).optional(),
    },
    { error: unknownFieldsOr(expected("an object such as { hours: 24 } with days, hours and/or minutes")) },
  )
  .superRefine((lead, ctx) => {
    // A part that is not a whole number has its own issue already; the total would only repeat it.
    if (!Object.values(lead).every((part) => Number.isInteger(part) && part >= 0)) return;
    const minutes = leadTimeInMinutes(lead);
    // A zero lead makes the due window [start, start) empty: the agenda would never be prepared.
    if (minutes === 0) {
      ctx.addIssue({
        code: "custom",
        input: lead,
        message: "lead time must be more than zero, or no agenda is ever due",
      });
    } else if (minutes < CRON_INTERVAL_MINUTES) {
      ctx.addIssue({
        code: "custom",
        input: lead,
        message: `lead time must be at least ${CRON_INTERVAL_MINUTES} minutes: the schedule is checked every ${CRON_INTERVAL_MINUTES} minutes, so a shorter one can pass between two checks and the agenda is never prepared`,
      });
    } else if (minutes > MAX_LEAD_MINUTES) {
      ctx.addIssue({ code: "custom", input: lead, message: "lead time must be at most 366 days" });
    }
  });

/** Names unknown keys (usually typos such as "timezone") instead of dropping them silently. */
function unknownFieldsOr(
  otherwise: (issue: { input?: unknown }) => string,
): (issue: { code?: string; input?: unknown; keys?: string[] }) => string {
  return (issue) =>
    issue.code === "unrecognized_keys" && issue.keys
      ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map(show).join(", ")}`
      : otherwise(issue);
}

// ---------------------------------------------------------------------------------------------------------
// Cadence
// ---------------------------------------------------------------------------------------------------------

const weeklyCadenceSchema = z
  .strictObject(
    {
      kind: z.literal("weekly"),
      weekday: weekdaySchema,
      everyWeeks: wholeNumber(1, 52).default(1),
      startDate: localDateSchema.optional(),
    },
    { error: unknownFieldsOr(expected("a cadence object")) },
  )
  .superRefine((cadence, ctx) => {
    if (cadence.everyWeeks > 1 && cadence.startDate === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["startDate"],
        input: undefined,
        message: `missing; required when everyWeeks is ${cadence.everyWeeks}, to say which weeks have the meeting`,
      });
    }
  });

const NTH_VALUES = [1, 2, 3, 4, 5, -1] as const;
type Nth = (typeof NTH_VALUES)[number];

/** Meets on a day of the month. A month without that day (31 in April, 29-31 in February) uses its last day. */
interface MonthlyByDayCadence {
  kind: "monthly";
  dayOfMonth: number;
  startDate?: string;
}

/** Meets on the nth weekday of the month (-1 = last). A month without a 5th such weekday has no meeting. */
interface MonthlyByWeekdayCadence {
  kind: "monthly";
  weekday: Weekday;
  nth: Nth;
  startDate?: string;
}

// One object with both forms' fields, resolved after parsing: a zod union would answer a mistake with a
// vague "invalid input" instead of saying which field is missing or conflicting.
const monthlyCadenceSchema = z
  .strictObject(
    {
      kind: z.literal("monthly"),
      dayOfMonth: wholeNumber(1, 31).optional(),
      weekday: weekdaySchema.optional(),
      nth: z.literal(NTH_VALUES, { error: expected("1, 2, 3, 4, 5, or -1 for the last") }).optional(),
      startDate: localDateSchema.optional(),
    },
    { error: unknownFieldsOr(expected("a cadence object")) },
  )
  .superRefine((cadence, ctx) => {
    const byDay = cadence.dayOfMonth !== undefined;
    const byWeekday = cadence.weekday !== undefined || cadence.nth !== undefined;
    if (byDay && byWeekday) {
      ctx.addIssue({
        code: "custom",
        input: cadence,
        message: 'a monthly cadence takes either "dayOfMonth" or "weekday" with "nth", not both',
      });
    } else if (!byDay && !byWeekday) {
      ctx.addIssue({
        code: "custom",
        input: cadence,
        message: 'a monthly cadence needs either "dayOfMonth" or "weekday" with "nth"',
      });
    } else if (byWeekday && cadence.weekday === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["weekday"],
        input: undefined,
        message: 'missing; "nth" needs a weekday',
      });
    } else if (byWeekday && cadence.nth === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["nth"],
        input: undefined,
        message: 'missing; "weekday" needs "nth" (1 to 5, or -1 for the last)',
      });
    }
  })
  .transform((cadence): MonthlyByDayCadence | MonthlyByWeekdayCadence => {
    const startDate = cadence.startDate === undefined ? {} : { startDate: cadence.startDate };
    if (cadence.dayOfMonth !== undefined)
      return { kind: "monthly", dayOfMonth: cadence.dayOfMonth, ...startDate };
    // The refinement above guarantees both are set here; the fallbacks only satisfy the type checker.
    return { kind: "monthly", weekday: cadence.weekday ?? "monday", nth: cadence.nth ?? 1, ...startDate };
  });

const cadenceSchema = z.discriminatedUnion("kind", [weeklyCadenceSchema, monthlyCadenceSchema], {
  error: (issue) => {
    const kind =
      typeof issue.input === "object" && issue.input !== null ? Reflect.get(issue.input, "kind") : undefined;
    return kind === undefined
      ? 'missing "kind"; expected "weekly" or "monthly"'
      : `unknown cadence kind ${show(kind)}; expected "weekly" or "monthly"`;
  },
});

// ---------------------------------------------------------------------------------------------------------
// Schedule
// ---------------------------------------------------------------------------------------------------------

/**
 * A pair's schedule as a person writes it. Times are local to `timeZone`, so "tuesday 10:00" stays 10:00 on
 * the wall clock across DST changes. Unknown fields are refused rather than ignored, so a typo such as
 * "skipDate" cannot silently drop a skip.
 *
 * - `cadence.startDate` (weekly): the first meeting is the first `weekday` on or after it; with
 *   `everyWeeks > 1` that meeting anchors the rhythm, so it is required.
 * - `cadence.startDate` (monthly) and `startDate`/`endDate`: inclusive local-date bounds.
 * - `leadTime`: days are calendar days in the zone (one day before 10:00 is 10:00 the day before, even across
 *   a DST change); hours and minutes are elapsed time.
 */
export const scheduleSchema = z
  .strictObject(
    {
      timeZone: timeZoneSchema,
      time: localTimeSchema,
      durationMinutes: wholeNumber(1, 24 * 60).default(30),
      cadence: cadenceSchema,
      leadTime: leadTimeSchema.default({ hours: 24 }),
      skipDates: z
        .array(localDateSchema, { error: expected('a list of dates "YYYY-MM-DD"') })
        .max(MAX_SKIP_DATES, `must list at most ${MAX_SKIP_DATES} dates`)
        .default([]),
      paused: z.boolean({ error: expected("true or false") }).default(false),
      startDate: localDateSchema.optional(),
      endDate: localDateSchema.optional(),
    },
    { error: unknownFieldsOr(expected("a schedule object")) },
  )
  .superRefine((schedule, ctx) => {
    if (schedule.startDate && schedule.endDate && schedule.endDate < schedule.startDate) {
      ctx.addIssue({
        code: "custom",
        path: ["endDate"],
        input: schedule.endDate,
        message: `endDate ${schedule.endDate} is before startDate ${schedule.startDate}`,
      });
    }
  });

export type Schedule = z.infer<typeof scheduleSchema>;
type Cadence = Schedule["cadence"];
type LeadTime = { days?: number; hours?: number; minutes?: number };

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
