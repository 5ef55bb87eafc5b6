// Reading the date people put in a heading or a file name, in the forms people write, so hand-kept
// notes can be taken over: the year a date without one belongs to, and how ambiguous numbers read.
import { describe, expect, it } from "vitest";
import { dateInTitle, numericOrderOf } from "../../../src/destinations/google/read/dated";

const MEETING = "2026-12-08";

describe("dateInTitle", () => {
  it.each([
    ["1:1 · 2026-12-01", "2026-12-01"],
    ["🗓️ Dec 1, 2026 — weekly", "2026-12-01"],
    ["1 December 2026", "2026-12-01"],
    ["Tuesday 1 Dec", "2026-12-01"],
    ["01/12/2026", "2026-12-01"],
    ["Ada / Bo 1:1 — 24 Nov", "2026-11-24"],
    ["Notes 2026.11.24", "2026-11-24"],
    ["24.11.2026 catch-up", "2026-11-24"],
    ["2026-12-01 14:00 weekly", "2026-12-01"],
  ])("reads %j as %s", (title, date) => {
    expect(dateInTitle(title, MEETING)).toBe(date);
  });

  it.each(["Week 3", "Q4 planning", "Today", "Next week", "Action items", "Tuesday", ""])(
    "finds no date in %j",
    (title) => {
      expect(dateInTitle(title, MEETING)).toBeNull();
    },
  );

  it("puts a date without a year on or before the meeting, across a new year", () => {
    expect(dateInTitle("29 Dec", "2027-01-05")).toBe("2026-12-29");
    expect(dateInTitle("Dec 29th", "2027-01-05")).toBe("2026-12-29");
    expect(dateInTitle("Jan 5", "2027-01-05")).toBe("2027-01-05");
    // Not next year's 20 December: notes are of meetings that happened.
    expect(dateInTitle("20 Dec", MEETING)).toBe("2025-12-20");
  });

  it("reads an ambiguous numeric date the way it is told, and an unambiguous one either way", () => {
    expect(dateInTitle("01/12/2026", MEETING, "day-first")).toBe("2026-12-01");
    expect(dateInTitle("01/12/2026", MEETING, "month-first")).toBe("2026-01-12");
    expect(dateInTitle("11/30/2026", MEETING, "day-first")).toBe("2026-11-30");
    expect(dateInTitle("30/11/2026", MEETING, "month-first")).toBe("2026-11-30");
  });

  it("takes no impossible date", () => {
    expect(dateInTitle("31/04/2026", MEETING)).toBeNull();
  });
});

describe("numericOrderOf", () => {
  it("reads day first unless a date there can only be month first", () => {
    expect(numericOrderOf(["01/12/2026", "08/12/2026"])).toBe("day-first");
    expect(numericOrderOf(["11/24/2026", "12/01/2026"])).toBe("month-first");
    expect(numericOrderOf(["24/11/2026", "12/01/2026"])).toBe("day-first");
    expect(numericOrderOf(["Dec 1, 2026", "2026-11-24"])).toBe("day-first");
  });

  it("gives no way when the titles disagree, so day first stands", () => {
    expect(numericOrderOf(["11/24/2026", "24/11/2026"])).toBe("day-first");
  });
});
