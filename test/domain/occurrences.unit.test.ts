// A schedule's occurrences against facts known independently of Temporal: published DST dates and
// offsets, and calendar weekdays. Expected instants are written as UTC strings and read with Date.parse,
// so no expectation is computed by the code under test.
import { describe, expect, it } from "vitest";
import type { Occurrence } from "../../src/domain/occurrences";
import { dueOccurrences, meetingKey, nextOccurrence, occurrencesBetween } from "../../src/domain/occurrences";
import { scheduleSchema } from "../../src/domain/schedule";

const utc = (iso: string): number => Date.parse(iso);

function schedule(fields: Record<string, unknown>) {
  return scheduleSchema.parse({ timeZone: "Europe/Berlin", time: "10:00", ...fields });
}

function datesBetween(fields: Record<string, unknown>, from: string, to: string): string[] {
  return occurrencesBetween(schedule(fields), utc(from), utc(to)).map((o) => o.date);
}

const weeklyTuesday = { kind: "weekly", weekday: "tuesday" };

describe("local time across DST changes", () => {
  it("keeps a Berlin Tuesday 10:00 series at 10:00 local when the clocks go forward on 2026-03-29", () => {
    const meetings = occurrencesBetween(
      schedule({ cadence: weeklyTuesday }),
      utc("2026-03-23T00:00:00Z"),
      utc("2026-04-01T00:00:00Z"),
    );
    expect(meetings.map(({ date, startsAt, startsAtMs }) => ({ date, startsAt, startsAtMs }))).toEqual([
      { date: "2026-03-24", startsAt: "2026-03-24T10:00:00+01:00", startsAtMs: utc("2026-03-24T09:00:00Z") },
      { date: "2026-03-31", startsAt: "2026-03-31T10:00:00+02:00", startsAtMs: utc("2026-03-31T08:00:00Z") },
    ]);
  });

  it("moves the UTC hour back when Berlin leaves summer time on 2026-10-25", () => {
    const meetings = occurrencesBetween(
      schedule({ cadence: weeklyTuesday }),
      utc("2026-10-19T00:00:00Z"),
      utc("2026-10-28T00:00:00Z"),
    );
    expect(meetings.map((o) => o.startsAtMs)).toEqual([
      utc("2026-10-20T08:00:00Z"),
      utc("2026-10-27T09:00:00Z"),
    ]);
  });

  it("follows New York's changes on 2026-03-08 and 2026-11-01 for a Sunday 09:00 series", () => {
    const ny = schedule({
      timeZone: "America/New_York",
      time: "09:00",
      cadence: { kind: "weekly", weekday: "sunday" },
    });
    const spring = occurrencesBetween(ny, utc("2026-03-01T00:00:00Z"), utc("2026-03-09T00:00:00Z"));
    expect(spring.map((o) => o.startsAt)).toEqual(["2026-03-01T09:00:00-05:00", "2026-03-08T09:00:00-04:00"]);
    expect(spring.map((o) => o.startsAtMs)).toEqual([
      utc("2026-03-01T14:00:00Z"),
      utc("2026-03-08T13:00:00Z"),
    ]);
    const autumn = occurrencesBetween(ny, utc("2026-10-25T00:00:00Z"), utc("2026-11-02T00:00:00Z"));
    expect(autumn.map((o) => o.startsAtMs)).toEqual([
      utc("2026-10-25T13:00:00Z"),
      utc("2026-11-01T14:00:00Z"),
    ]);
  });

  it("moves a 02:30 meeting forward to 03:30 on New York's spring-forward day, keeping its date", () => {
    const ny = schedule({
      timeZone: "America/New_York",
      time: "02:30",
      cadence: { kind: "weekly", weekday: "sunday" },
    });
    const [meeting] = occurrencesBetween(ny, utc("2026-03-08T00:00:00Z"), utc("2026-03-09T00:00:00Z"));
    expect(meeting).toMatchObject({
      date: "2026-03-08",
      startsAt: "2026-03-08T03:30:00-04:00",
      startsAtMs: utc("2026-03-08T07:30:00Z"),
    });
  });

  it("takes the earlier of the two 01:30s on New York's fall-back day", () => {
    const ny = schedule({
      timeZone: "America/New_York",
      time: "01:30",
      cadence: { kind: "weekly", weekday: "sunday" },
    });
    const meetings = occurrencesBetween(ny, utc("2026-11-01T00:00:00Z"), utc("2026-11-02T00:00:00Z"));
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({
      startsAt: "2026-11-01T01:30:00-04:00",
      startsAtMs: utc("2026-11-01T05:30:00Z"),
    });
  });

  it("uses Kolkata's fixed +05:30 all year", () => {
    const kolkata = schedule({ timeZone: "Asia/Kolkata", cadence: { kind: "weekly", weekday: "monday" } });
    const january = occurrencesBetween(kolkata, utc("2026-01-05T00:00:00Z"), utc("2026-01-06T00:00:00Z"));
    const july = occurrencesBetween(kolkata, utc("2026-07-06T00:00:00Z"), utc("2026-07-07T00:00:00Z"));
    expect([...january, ...july].map((o) => [o.startsAt, o.startsAtMs])).toEqual([
      ["2026-01-05T10:00:00+05:30", utc("2026-01-05T04:30:00Z")],
      ["2026-07-06T10:00:00+05:30", utc("2026-07-06T04:30:00Z")],
    ]);
  });

  it("follows Lord Howe's half-hour DST: +11:00 in January, +10:30 in July", () => {
    const lordHowe = schedule({
      timeZone: "Australia/Lord_Howe",
      cadence: { kind: "weekly", weekday: "thursday" },
    });
    const january = occurrencesBetween(lordHowe, utc("2026-01-07T00:00:00Z"), utc("2026-01-08T12:00:00Z"));
    const july = occurrencesBetween(lordHowe, utc("2026-07-08T00:00:00Z"), utc("2026-07-09T12:00:00Z"));
    expect([...january, ...july].map((o) => [o.date, o.startsAt, o.startsAtMs])).toEqual([
      ["2026-01-08", "2026-01-08T10:00:00+11:00", utc("2026-01-07T23:00:00Z")],
      ["2026-07-09", "2026-07-09T10:00:00+10:30", utc("2026-07-08T23:30:00Z")],
    ]);
  });

  it("moves a missing Lord Howe time forward by the 30-minute gap on 2026-10-04", () => {
    const lordHowe = schedule({
      timeZone: "Australia/Lord_Howe",
      time: "02:15",
      cadence: { kind: "weekly", weekday: "sunday" },
    });
    const [meeting] = occurrencesBetween(lordHowe, utc("2026-10-03T00:00:00Z"), utc("2026-10-04T12:00:00Z"));
    expect(meeting).toMatchObject({ date: "2026-10-04", startsAt: "2026-10-04T02:45:00+11:00" });
  });
});

describe("weekly cadence", () => {
  it("meets every Tuesday from the window's start when no start date is given", () => {
    expect(datesBetween({ cadence: weeklyTuesday }, "2026-01-01T00:00:00Z", "2026-01-15T00:00:00Z")).toEqual([
      "2026-01-06",
      "2026-01-13",
    ]);
  });

  it("anchors every-2-weeks on the start date, so the off weeks never meet", () => {
    const biweekly = { cadence: { ...weeklyTuesday, everyWeeks: 2, startDate: "2026-01-06" } };
    expect(datesBetween(biweekly, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
      "2026-03-03",
      "2026-03-17",
      "2026-03-31",
    ]);
    expect(datesBetween(biweekly, "2025-12-01T00:00:00Z", "2026-01-06T00:00:00Z")).toEqual([]);
  });

  it("anchors on the first matching weekday when the start date falls on another day", () => {
    // 2026-01-07 is a Wednesday; the first Tuesday after it is the 13th.
    const biweekly = { cadence: { ...weeklyTuesday, everyWeeks: 2, startDate: "2026-01-07" } };
    expect(datesBetween(biweekly, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).toEqual([
      "2026-01-13",
      "2026-01-27",
    ]);
  });

  it("starts a weekly series on or after its start date", () => {
    const cadence = { ...weeklyTuesday, startDate: "2026-01-20" };
    expect(datesBetween({ cadence }, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).toEqual([
      "2026-01-20",
      "2026-01-27",
    ]);
  });
});

describe("monthly cadence", () => {
  it("meets on the last day of months without a 31st, including February", () => {
    const cadence = { kind: "monthly", dayOfMonth: 31 };
    expect(datesBetween({ cadence }, "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z")).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
    ]);
    expect(datesBetween({ cadence }, "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z")).toEqual(["2028-02-29"]);
  });

  it("meets on the nth weekday of each month", () => {
    const firstThursday = { kind: "monthly", weekday: "thursday", nth: 1 };
    const secondTuesday = { kind: "monthly", weekday: "tuesday", nth: 2 };
    expect(datesBetween({ cadence: firstThursday }, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).toEqual([
      "2026-01-01",
      "2026-02-05",
    ]);
    expect(datesBetween({ cadence: secondTuesday }, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
      "2026-03-10",
    ]);
  });

  it("meets on the last weekday of each month with nth -1", () => {
    const lastFriday = { kind: "monthly", weekday: "friday", nth: -1 };
    expect(datesBetween({ cadence: lastFriday }, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).toEqual([
      "2026-01-30",
      "2026-02-27",
    ]);
  });

  it("skips months without a 5th Thursday", () => {
    const fifthThursday = { kind: "monthly", weekday: "thursday", nth: 5 };
    expect(datesBetween({ cadence: fifthThursday }, "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")).toEqual([
      "2026-01-29",
      "2026-04-30",
    ]);
  });

  it("starts a monthly series on or after its start date", () => {
    const cadence = { kind: "monthly", dayOfMonth: 15, startDate: "2026-02-16" };
    expect(datesBetween({ cadence }, "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")).toEqual([
      "2026-03-15",
      "2026-04-15",
    ]);
  });
});

describe("skips, pause and bounds", () => {
  it("leaves out skip dates", () => {
    const fields = { cadence: weeklyTuesday, skipDates: ["2026-03-24"] };
    expect(datesBetween(fields, "2026-03-16T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
      "2026-03-17",
      "2026-03-31",
    ]);
    expect(nextOccurrence(schedule(fields), utc("2026-03-17T09:00:00Z"))?.date).toBe("2026-03-31");
  });

  it("has no meetings, due agendas or next meeting while paused", () => {
    const paused = schedule({ cadence: weeklyTuesday, paused: true });
    expect(occurrencesBetween(paused, utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z"))).toEqual([]);
    expect(dueOccurrences(paused, utc("2026-03-30T12:00:00Z"))).toEqual([]);
    expect(nextOccurrence(paused, utc("2026-03-01T00:00:00Z"))).toBeNull();
  });

  it("includes both bound dates and nothing outside them", () => {
    const fields = { cadence: weeklyTuesday, startDate: "2026-03-10", endDate: "2026-03-24" };
    expect(datesBetween(fields, "2026-03-01T00:00:00Z", "2026-04-15T00:00:00Z")).toEqual([
      "2026-03-10",
      "2026-03-17",
      "2026-03-24",
    ]);
    expect(nextOccurrence(schedule(fields), utc("2026-03-24T09:00:00Z"))).toBeNull();
  });

  it("treats the window as half-open: a meeting starting exactly at its end is left out", () => {
    const start = utc("2026-03-31T08:00:00Z");
    const tuesdays = schedule({ cadence: weeklyTuesday });
    expect(occurrencesBetween(tuesdays, start - 1, start)).toEqual([]);
    expect(occurrencesBetween(tuesdays, start, start + 1).map((o) => o.date)).toEqual(["2026-03-31"]);
  });
});

describe("due agendas", () => {
  // Tuesday 2026-03-31 10:00 Berlin (+02:00) starts at 08:00Z; the default 24-hour lead prepares at
  // 08:00Z on the 30th.
  const tuesdays = schedule({ cadence: weeklyTuesday });
  const startsAtMs = utc("2026-03-31T08:00:00Z");
  const prepareAtMs = utc("2026-03-30T08:00:00Z");
  const dueDates = (nowMs: number) => dueOccurrences(tuesdays, nowMs).map((o) => o.date);

  it("is not due a millisecond before the prepare time", () => {
    expect(dueDates(prepareAtMs - 1)).toEqual([]);
  });

  it("is due exactly at the prepare time", () => {
    expect(dueOccurrences(tuesdays, prepareAtMs)).toEqual<Occurrence[]>([
      { date: "2026-03-31", startsAt: "2026-03-31T10:00:00+02:00", startsAtMs, prepareAtMs },
    ]);
  });

  it("stays due until the meeting starts, so a late or missed cron tick catches up", () => {
    expect(dueDates(startsAtMs - 1)).toEqual(["2026-03-31"]);
  });

  it("is no longer due once the meeting has started", () => {
    expect(dueDates(startsAtMs)).toEqual([]);
  });

  it("counts lead days as calendar days in the zone and lead hours as elapsed time", () => {
    // Sunday 2026-03-29 10:00 Berlin is already summer time (08:00Z). One calendar day earlier is
    // Saturday 10:00 winter time (09:00Z); 24 elapsed hours earlier is 08:00Z (09:00 local).
    const sundays = { cadence: { kind: "weekly", weekday: "sunday" } };
    const byDays = dueOccurrences(
      schedule({ ...sundays, leadTime: { days: 1 } }),
      utc("2026-03-28T09:00:00Z"),
    );
    const byHours = dueOccurrences(
      schedule({ ...sundays, leadTime: { hours: 24 } }),
      utc("2026-03-28T08:00:00Z"),
    );
    expect(byDays.map((o) => [o.date, o.prepareAtMs])).toEqual([["2026-03-29", utc("2026-03-28T09:00:00Z")]]);
    expect(byHours.map((o) => [o.date, o.prepareAtMs])).toEqual([
      ["2026-03-29", utc("2026-03-28T08:00:00Z")],
    ]);
    expect(
      dueOccurrences(schedule({ ...sundays, leadTime: { days: 1 } }), utc("2026-03-28T08:59:59Z")),
    ).toEqual([]);
  });

  it("returns every due meeting oldest first when the lead is longer than the cadence", () => {
    // With a 15-day lead, on Wednesday 2026-03-18 the meetings of the 24th (prepared from the 9th) and
    // the 31st (from the 16th) are due; the 7 April one is prepared from 23 March.
    const longLead = schedule({ cadence: weeklyTuesday, leadTime: { days: 15 } });
    expect(dueOccurrences(longLead, utc("2026-03-18T12:00:00Z")).map((o) => o.date)).toEqual([
      "2026-03-24",
      "2026-03-31",
    ]);
  });

  it("prepares with a lead given in minutes", () => {
    const shortLead = schedule({ cadence: weeklyTuesday, leadTime: { minutes: 30 } });
    expect(dueOccurrences(shortLead, utc("2026-03-31T07:29:59Z"))).toEqual([]);
    expect(dueOccurrences(shortLead, utc("2026-03-31T07:30:00Z")).map((o) => o.date)).toEqual(["2026-03-31"]);
  });
});

describe("next meeting", () => {
  it("is the first meeting starting strictly after the given instant", () => {
    const tuesdays = schedule({ cadence: weeklyTuesday });
    expect(nextOccurrence(tuesdays, utc("2026-03-30T00:00:00Z"))?.date).toBe("2026-03-31");
    expect(nextOccurrence(tuesdays, utc("2026-03-31T08:00:00Z"))?.date).toBe("2026-04-07");
  });

  it("finds a series that starts years ahead", () => {
    // 2030-01-01 is a Tuesday.
    const later = schedule({ cadence: { ...weeklyTuesday, startDate: "2030-01-01" } });
    expect(nextOccurrence(later, utc("2026-03-01T00:00:00Z"))).toMatchObject({
      date: "2030-01-01",
      startsAt: "2030-01-01T10:00:00+01:00",
    });
  });
});

describe("meeting key", () => {
  it("is the pair id and the local date, as the design names it", () => {
    expect(meetingKey("pair-7", "2026-03-31")).toBe("pair-7/2026-03-31");
  });
});
