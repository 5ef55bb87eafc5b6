// A pair's meeting schedule: the zod schema a person writes (in YAML or JSON) and the types it yields.
// Which meetings a schedule has, and when each is due, is occurrences.ts. Dates and zones are checked
// with Temporal; nothing here hand-rolls calendar rules.

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

/** The lead time as elapsed minutes, counting a day as 24 hours (the bound the schema checks). */
export function leadTimeInMinutes(lead: LeadTime): number {
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
export interface MonthlyByDayCadence {
  kind: "monthly";
  dayOfMonth: number;
  startDate?: string;
}

/** Meets on the nth weekday of the month (-1 = last). A month without a 5th such weekday has no meeting. */
export interface MonthlyByWeekdayCadence {
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
export type Cadence = Schedule["cadence"];
type LeadTime = { days?: number; hours?: number; minutes?: number };
