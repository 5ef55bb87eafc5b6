// The pair schema takes what an admin writes exactly: every object refuses unknown fields (named with
// their full path), time zones are stored in one spelling, and a pair that would not fit D1 is refused.
import { describe, expect, it } from "vitest";
import { pairSchema } from "../../src/config/pair";
import { MAX_PAIR_JSON_BYTES } from "../../src/domain/limits";
import { CRON_INTERVAL_MINUTES } from "../../src/domain/schedule";
import { describeIssues } from "../../src/lib/issues";
import wranglerToml from "../../wrangler.toml?raw";
import { pairInput } from "../support/pairs";

const valid = pairInput({ id: "schema" });
const email = { channel: "email", via: "smtp", secret: "SMTP_URL", from: { email: "agendas@example.com" } };

function problems(input: unknown): string[] {
  const parsed = pairSchema.safeParse(input);
  return parsed.success ? [] : describeIssues(parsed.error);
}

function withSchedule(change: Record<string, unknown>) {
  return { ...valid, schedule: { ...valid.schedule, ...change } };
}

describe("unknown fields", () => {
  it.each([
    ["the pair", { ...valid, Digests: [] }, "Digests"],
    ["a person", { ...valid, report: { ...valid.report, phone: "1" } }, "report.phone"],
    ["carry", { ...valid, carry: { discusion: true } }, "carry.discusion"],
    ["an email channel", { ...valid, digests: [{ ...email, To: ["a@example.com"] }] }, "digests.0.To"],
    [
      "its sender",
      { ...valid, digests: [{ ...email, from: { email: "a@example.com", Name: "x" } }] },
      "digests.0.from.Name",
    ],
    [
      "a webhook channel",
      { ...valid, digests: [{ channel: "slack", secret: "S", channl: "x" }] },
      "digests.0.channl",
    ],
    ["the schedule", withSchedule({ skipDate: [] }), "schedule.skipDate"],
    [
      "the cadence",
      withSchedule({ cadence: { kind: "weekly", weekday: "monday", every: 2 } }),
      "schedule.cadence.every",
    ],
    [
      "the destination",
      { ...valid, destination: { ...valid.destination, database: "x" } },
      "destination.database",
    ],
  ])("in %s are refused with their path", (_where, input, path) => {
    expect(problems(input)).toEqual([`${path}: unknown field; check its spelling and case`]);
  });

  it("lists each unknown field of one object on its own line", () => {
    expect(problems({ ...valid, extra: 1, more: 2 })).toEqual([
      "extra: unknown field; check its spelling and case",
      "more: unknown field; check its spelling and case",
    ]);
  });
});

describe("time zones", () => {
  it("stores a zone in its canonical spelling", () => {
    expect(pairSchema.parse(withSchedule({ timeZone: "europe/berlin" })).schedule.timeZone).toBe(
      "Europe/Berlin",
    );
    expect(pairSchema.parse(withSchedule({ timeZone: "us/pacific" })).schedule.timeZone).toBe("US/Pacific");
    expect(pairSchema.parse(withSchedule({ timeZone: "utc" })).schedule.timeZone).toBe("UTC");
  });

  it("parses a stored pair back to itself", () => {
    const stored = pairSchema.parse(withSchedule({ timeZone: "america/new_york" }));
    expect(pairSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it.each(["Etc/GMT-2", "Etc/GMT+10", "etc/gmt+5", "GMT-3", "EST", "MST", "hst"])(
    "refuses %s, a fixed offset that ignores DST",
    (timeZone) => {
      expect(problems(withSchedule({ timeZone }))).toEqual([
        `schedule.timeZone: "${timeZone}" is a fixed offset; use one such as "Europe/Berlin" so DST changes are followed`,
      ]);
    },
  );
});

describe("lead time and the cron interval", () => {
  it("matches wrangler.toml's cron", () => {
    expect(wranglerToml).toContain(`crons = ["*/${CRON_INTERVAL_MINUTES} * * * *"]`);
  });

  it("refuses a lead time shorter than the interval, with the reason", () => {
    expect(problems(withSchedule({ leadTime: { minutes: CRON_INTERVAL_MINUTES - 1 } }))).toEqual([
      `schedule.leadTime: lead time must be at least ${CRON_INTERVAL_MINUTES} minutes: the schedule is checked every ${CRON_INTERVAL_MINUTES} minutes, so a shorter one can pass between two checks and the agenda is never prepared`,
    ]);
    expect(problems(withSchedule({ leadTime: { minutes: CRON_INTERVAL_MINUTES } }))).toEqual([]);
  });
});

describe("destinations", () => {
  it("refuses a Notion data source and database together", () => {
    const destination = {
      kind: "notion",
      dataSourceId: "2a3b4c5d-0000-4000-8000-000000000001",
      databaseId: "2a3b4c5d-0000-4000-8000-000000000002",
    };
    expect(problems({ ...valid, destination })).toEqual([
      "destination.databaseId: give dataSourceId or databaseId, not both",
    ]);
  });
});

describe("size", () => {
  it("refuses a pair larger than a stored row may be, saying how large it is", () => {
    const to = Array.from({ length: 50 }, (_, index) => `person-${index}-${"x".repeat(50)}@example.com`);
    const digests = Array.from({ length: 20 }, (_, index) => ({ ...email, secret: `SMTP_${index}`, to }));
    const found = problems({ ...valid, digests });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(`^the pair is \\d+ bytes as JSON; at most ${MAX_PAIR_JSON_BYTES} are stored`),
    );
  });
});

describe("carry.maxTimes", () => {
  const withCarry = (carry: Record<string, unknown>) => ({ ...valid, carry });

  it("is off when absent, and kept when a whole number from 1 to 52", () => {
    expect(pairSchema.parse(valid).carry.maxTimes).toBeUndefined();
    expect(pairSchema.parse(withCarry({ maxTimes: 1 })).carry).toEqual({
      discussion: false,
      maxTimes: 1,
      sync: true,
    });
    expect(pairSchema.parse(withCarry({ maxTimes: 52 })).carry.maxTimes).toBe(52);
  });

  it.each([
    [0, "carry.maxTimes: must be at least 1"],
    [53, "carry.maxTimes: must be at most 52 (a year of weekly meetings)"],
    [2.5, "carry.maxTimes: must be a whole number"],
    ["3", "carry.maxTimes: must be a whole number"],
  ])("refuses %j with its path", (maxTimes, message) => {
    expect(problems(withCarry({ maxTimes }))).toEqual([message]);
  });
});

describe("carry.sync", () => {
  const withCarry = (carry: Record<string, unknown>) => ({ ...valid, carry });

  it("is on unless the pair turns it off", () => {
    expect(pairSchema.parse(valid).carry.sync).toBe(true);
    expect(pairSchema.parse(withCarry({ discussion: true })).carry.sync).toBe(true);
    expect(pairSchema.parse(withCarry({ sync: false })).carry.sync).toBe(false);
  });

  it("refuses anything but true or false, with its path", () => {
    expect(problems(withCarry({ sync: "no" }))).toEqual(["carry.sync: must be true or false"]);
  });
});
