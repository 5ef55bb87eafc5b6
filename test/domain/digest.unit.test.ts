// The digest model: order, overdue days counted on the pair's calendar (also across DST changes),
// long-carried flags, display strings in the pair's zone, and text cleaned to one safe line.
import { describe, expect, it } from "vitest";
import type { DigestSource } from "../../src/domain/digest";
import {
  buildDigest,
  cleanText,
  digestItemsOf,
  overdueDaysOf,
  startsParkingLot,
} from "../../src/domain/digest";
import { input, item } from "../notify/channels/fixtures";

describe("buildDigest", () => {
  it("sorts by overdue days, then times carried, then due date (none last)", () => {
    const digest = buildDigest(
      input([
        item({ text: "no due", dueDate: null, timesCarried: 5 }),
        item({ text: "due later", dueDate: "2026-04-10", timesCarried: 1 }),
        item({ text: "overdue 4", dueDate: "2026-03-27", timesCarried: 1 }),
        item({ text: "overdue 4, carried 3", dueDate: "2026-03-27", timesCarried: 3 }),
        item({ text: "due sooner", dueDate: "2026-04-02", timesCarried: 1 }),
        item({ text: "overdue 10", dueDate: "2026-03-21", timesCarried: 1 }),
      ]),
    );
    expect(digest.items.map((entry) => entry.text)).toEqual([
      "overdue 10",
      "overdue 4, carried 3",
      "overdue 4",
      "no due",
      "due sooner",
      "due later",
    ]);
  });

  it("counts overdue days on the calendar across the spring DST change (Berlin, 29 March 2026)", () => {
    // 27 March 00:00 CET to 31 March 00:00 CEST is 95 hours: dividing milliseconds would say 3 days.
    const digest = buildDigest(input([item({ dueDate: "2026-03-27" })]));
    expect(digest.items[0]?.overdueDays).toBe(4);
    expect(digest.items[0]?.dueLabel).toBe("due 2026-03-27 · 4 days overdue");
  });

  it("counts overdue days across the autumn DST change (New York, 1 November 2026)", () => {
    const digest = buildDigest(
      input([item({ dueDate: "2026-10-31" })], {
        pair: { id: "p", managerName: "A", reportName: "B", timeZone: "America/New_York" },
        // Monday 2 November 2026, 09:00 EST (UTC-5).
        meeting: { date: "2026-11-02", startsAt: "2026-11-02T14:00:00Z" },
      }),
    );
    expect(digest.items[0]?.overdueDays).toBe(2);
    expect(digest.meeting.display).toBe("Monday 2 November 2026, 09:00 (America/New_York)");
  });

  it("is not overdue on or before the due date", () => {
    expect(overdueDaysOf("2026-03-31", "2026-03-31")).toBe(0);
    expect(overdueDaysOf("2026-04-01", "2026-03-31")).toBe(0);
    expect(overdueDaysOf(null, "2026-03-31")).toBe(0);
    expect(overdueDaysOf("2026-03-30", "2026-03-31")).toBe(1);
    expect(overdueDaysOf("2025-12-31", "2026-03-31")).toBe(90);
  });

  it("formats the meeting in the pair's zone, whatever the instant's offset says", () => {
    const digest = buildDigest(
      input([], { meeting: { date: "2026-03-31", startsAt: "2026-03-31T01:00:00-07:00" } }),
    );
    expect(digest.meeting.display).toBe("Tuesday 31 March 2026, 10:00 (Europe/Berlin)");
    expect(digest.meeting.shortDate).toBe("Tue 31 Mar 2026");
    expect(digest.title).toBe("1:1 Ada Lovelace / Charles Babbage");
  });

  it("flags items carried three times or more and counts them", () => {
    const digest = buildDigest(
      input([
        item({ timesCarried: 2, dueDate: null }),
        item({ timesCarried: 3, dueDate: null }),
        item({ timesCarried: 7 }),
      ]),
    );
    expect(digest.items.map((entry) => entry.longCarried)).toEqual([true, true, false]);
    expect(digest.counts).toEqual({
      carried: 3,
      overdue: 1,
      longCarried: 2,
      parked: 0,
      closedSinceLastMeeting: 2,
    });
    expect(digest.summary).toBe(
      "3 open items carried (1 overdue, 2 stuck) · 2 items closed since the last meeting",
    );
    expect(digest.items[0]?.carriedLabel).toBe("carried 7× since 2026-03-24");
  });

  it("lists parked items after all others, whatever their urgency, and counts them", () => {
    const digest = buildDigest(
      input([
        item({ text: "parked, very overdue", timesCarried: 6, dueDate: "2026-03-01", parked: true }),
        item({ text: "parked", timesCarried: 5, dueDate: null, parked: true }),
        item({ text: "in the action items", timesCarried: 1, dueDate: null }),
      ]),
    );
    expect(digest.items.map((entry) => [entry.text, entry.parked])).toEqual([
      ["in the action items", false],
      ["parked, very overdue", true],
      ["parked", true],
    ]);
    expect(digest.counts).toMatchObject({ carried: 3, parked: 2, longCarried: 2, overdue: 1 });
    expect(digest.summary).toBe(
      "3 open items carried (1 overdue, 2 stuck, 2 in the parking lot) · 2 items closed since the last meeting",
    );
    expect(digest.items.map((_, index) => startsParkingLot(digest.items, index))).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("says so plainly when nothing is carried", () => {
    const digest = buildDigest(input([], { closedSinceLastMeeting: 1 }));
    expect(digest.items).toEqual([]);
    expect(digest.summary).toBe("0 open items carried · 1 item closed since the last meeting");
  });

  it("labels items without owner or due date", () => {
    const digest = buildDigest(input([item({ ownerName: null, dueDate: null })]));
    expect(digest.items[0]).toMatchObject({ ownerLabel: "no owner", owner: null, dueLabel: "no due date" });
  });
});

describe("cleanText", () => {
  it("keeps one line and removes control and bidi-override characters, keeping RTL letters and emoji", () => {
    expect(cleanText("a\nb\r\n\tc\u0007d")).toBe("a b cd");
    expect(cleanText("שלום \u202Eevil\u202C 👨‍👩‍👧")).toBe("שלום evil 👨‍👩‍👧");
    expect(cleanText("  \n ")).toBe("(no text)");
  });
});

describe("digestItemsOf", () => {
  const entry = (role: DigestSource["role"], text: string, closedAt: string | null = null): DigestSource => ({
    role,
    text,
    ownerName: "Bo",
    dueDate: "2026-12-01",
    timesCarried: 2,
    originDate: "2026-11-24",
    closedAt,
  });

  it("takes the open actions and parked items of a ledger, never discussion points or items ticked since", () => {
    const items = digestItemsOf([
      entry("actions", "open action"),
      entry("actions", "ticked in the previous agenda", "2026-12-07T08:00:00Z"),
      entry("discussion", "a topic"),
      entry("parked", "parked item"),
    ]);
    expect(items).toEqual([
      {
        text: "open action",
        ownerName: "Bo",
        dueDate: "2026-12-01",
        timesCarried: 2,
        originDate: "2026-11-24",
        parked: false,
      },
      {
        text: "parked item",
        ownerName: "Bo",
        dueDate: "2026-12-01",
        timesCarried: 2,
        originDate: "2026-11-24",
        parked: true,
      },
    ]);
  });

  it("takes an item a run has just carried (no word from live sync yet) as open", () => {
    const { closedAt: _, ...justCarried } = entry("actions", "just carried");
    expect(digestItemsOf([justCarried]).map((item) => item.text)).toEqual(["just carried"]);
  });
});
