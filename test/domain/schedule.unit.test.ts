// The schedule schema: the defaults it fills in, and the error messages the admin API shows for each
// wrong or missing field, each with the path of the field it names.
import { describe, expect, it } from "vitest";
import { scheduleSchema } from "../../src/domain/schedule";

/** Issues as the admin API prints them: "schedule.<path>: <message>". */
function refusals(input: unknown): string[] {
  const result = scheduleSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${["schedule", ...issue.path].join(".")}: ${issue.message}`);
}

const weeklyTuesday = { kind: "weekly", weekday: "tuesday" };

describe("schedule schema", () => {
  const valid = { timeZone: "Europe/Berlin", time: "10:00", cadence: weeklyTuesday };

  it("fills in the documented defaults", () => {
    expect(scheduleSchema.parse(valid)).toEqual({
      ...valid,
      cadence: { ...weeklyTuesday, everyWeeks: 1 },
      durationMinutes: 30,
      leadTime: { hours: 24 },
      skipDates: [],
      paused: false,
    });
  });

  it("refuses an unknown time zone and names it", () => {
    expect(refusals({ ...valid, timeZone: "Europe/Berln" })).toEqual([
      'schedule.timeZone: unknown time zone "Europe/Berln"',
    ]);
  });

  it("refuses a fixed UTC offset, which would not follow DST", () => {
    expect(refusals({ ...valid, timeZone: "+02:00" })).toEqual([
      'schedule.timeZone: "+02:00" is not an IANA time zone name; use one such as "Europe/Berlin" so DST changes are followed',
    ]);
  });

  it("refuses an hour past 23", () => {
    expect(refusals({ ...valid, time: "25:00" })).toEqual([
      'schedule.time: expected a local time "HH:MM" (24-hour, 00:00 to 23:59), got "25:00"',
    ]);
  });

  it("refuses an impossible skip date and points at its index", () => {
    expect(refusals({ ...valid, skipDates: ["2026-12-29", "2026-02-30"] })).toEqual([
      'schedule.skipDates.1: "2026-02-30" is not a real calendar date',
    ]);
  });

  it("refuses a date in another format", () => {
    expect(refusals({ ...valid, endDate: "31.12.2026" })).toEqual([
      'schedule.endDate: expected a date "YYYY-MM-DD", got "31.12.2026"',
    ]);
  });

  it("refuses a capitalised weekday", () => {
    expect(refusals({ ...valid, cadence: { kind: "weekly", weekday: "Tuesday" } })).toEqual([
      'schedule.cadence.weekday: expected a lower-case English weekday (monday, tuesday, wednesday, thursday, friday, saturday, sunday), got "Tuesday"',
    ]);
  });

  it("requires a start date to anchor every-N-weeks", () => {
    expect(refusals({ ...valid, cadence: { ...weeklyTuesday, everyWeeks: 2 } })).toEqual([
      "schedule.cadence.startDate: missing; required when everyWeeks is 2, to say which weeks have the meeting",
    ]);
  });

  it("refuses a monthly cadence with both forms or neither", () => {
    expect(
      refusals({ ...valid, cadence: { kind: "monthly", dayOfMonth: 1, weekday: "monday", nth: 1 } }),
    ).toEqual([
      'schedule.cadence: a monthly cadence takes either "dayOfMonth" or "weekday" with "nth", not both',
    ]);
    expect(refusals({ ...valid, cadence: { kind: "monthly" } })).toEqual([
      'schedule.cadence: a monthly cadence needs either "dayOfMonth" or "weekday" with "nth"',
    ]);
  });

  it("refuses a weekday without nth, and an nth out of range", () => {
    expect(refusals({ ...valid, cadence: { kind: "monthly", weekday: "monday" } })).toEqual([
      'schedule.cadence.nth: missing; "weekday" needs "nth" (1 to 5, or -1 for the last)',
    ]);
    expect(refusals({ ...valid, cadence: { kind: "monthly", weekday: "monday", nth: 6 } })).toEqual([
      "schedule.cadence.nth: expected 1, 2, 3, 4, 5, or -1 for the last, got 6",
    ]);
  });

  it("refuses a day of month past 31", () => {
    expect(refusals({ ...valid, cadence: { kind: "monthly", dayOfMonth: 32 } })).toEqual([
      "schedule.cadence.dayOfMonth: expected a whole number from 1 to 31, got 32",
    ]);
  });

  it("refuses an unknown cadence kind", () => {
    expect(refusals({ ...valid, cadence: { kind: "daily" } })).toEqual([
      'schedule.cadence.kind: unknown cadence kind "daily"; expected "weekly" or "monthly"',
    ]);
  });

  it("refuses a zero lead time, which would never be due", () => {
    expect(refusals({ ...valid, leadTime: { hours: 0 } })).toEqual([
      "schedule.leadTime: lead time must be more than zero, or no agenda is ever due",
    ]);
  });

  it("refuses an end date before the start date", () => {
    expect(refusals({ ...valid, startDate: "2026-06-01", endDate: "2026-05-31" })).toEqual([
      "schedule.endDate: endDate 2026-05-31 is before startDate 2026-06-01",
    ]);
  });

  it("names a misspelt field instead of ignoring it", () => {
    expect(refusals({ ...valid, skipDate: ["2026-12-29"] })).toEqual(['schedule: unknown field "skipDate"']);
  });

  it("says which required fields are missing", () => {
    expect(refusals({ cadence: weeklyTuesday })).toEqual([
      'schedule.timeZone: missing; expected an IANA time zone name such as "Europe/Berlin"',
      'schedule.time: missing; expected a local time "HH:MM" (24-hour)',
    ]);
  });

  it("gives every issue of a thoroughly wrong schedule a path and its own message", () => {
    const result = scheduleSchema.safeParse({
      timeZone: 42,
      time: "noon",
      durationMinutes: 0,
      cadence: { kind: "weekly", weekday: "funday", everyWeeks: 0 },
      leadTime: { hours: -1 },
      skipDates: "2026-12-29",
      paused: "no",
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.map((issue) => issue.path.join("."))).toEqual([
      "timeZone",
      "time",
      "durationMinutes",
      "cadence.weekday",
      "cadence.everyWeeks",
      "leadTime.hours",
      "skipDates",
      "paused",
    ]);
    for (const issue of issues) expect(issue.message).not.toMatch(/^Invalid input/);
  });
});
