// The roll-up model: reports ordered most urgent first (no agenda last), totals that add up the
// reports' own meeting digests, overdue days counted by buildDigest on each pair's calendar (also across
// DST changes), names cleaned to one line, and the same roll-up for the same input whatever its order.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/domain/digest";
import { buildRollup, type RollupInput } from "../../src/domain/rollup";
import { item } from "../notify/channels/fixtures";
import { noAgenda, overdueItem, report, rollupInput } from "../notify/channels/rollup-support";

describe("buildRollup", () => {
  it("orders reports by overdue items, then open items, then name, and lists those without an agenda last", () => {
    const rollup = buildRollup(
      rollupInput([
        noAgenda("Aaron"),
        report("Bea", [item({ dueDate: null }), item({ dueDate: null }), item({ dueDate: null })]),
        report("Cleo", [overdueItem(1)]),
        report("Dan", [overdueItem(1), overdueItem(2), item({ dueDate: null })]),
        report("Abe", [item({ dueDate: null }), item({ dueDate: null }), item({ dueDate: null })]),
        report("Eve", [overdueItem(9), overdueItem(9)]),
        report("Finn", []),
      ]),
    );
    expect(rollup.reports.map((entry) => entry.reportName)).toEqual([
      "Dan", // 2 overdue, 3 open
      "Eve", // 2 overdue, 2 open: more open items win the tie, however overdue they are
      "Cleo", // 1 overdue
      "Abe", // 0 overdue, 3 open, by name
      "Bea",
      "Finn", // an agenda with nothing carried
      "Aaron", // no agenda yet
    ]);
  });

  it("sorts equal names by pair id and numbers in names by value", () => {
    const rollup = buildRollup(
      rollupInput([
        report("Sam", [], {}, "pair-b"),
        report("Sam", [], {}, "pair-a"),
        report("Team 10", []),
        report("Team 9", []),
      ]),
    );
    expect(rollup.reports.map((entry) => `${entry.reportName}/${entry.pairId}`)).toEqual([
      "Sam/pair-a",
      "Sam/pair-b",
      "Team 9/team-9",
      "Team 10/team-10",
    ]);
  });

  it("builds each report's digest with buildDigest and adds up the totals", () => {
    const input = rollupInput([
      report(
        "Bea",
        [
          overdueItem(3, { timesCarried: 4 }),
          item({ dueDate: null, timesCarried: 3 }),
          item({ dueDate: null, timesCarried: 6, parked: true }),
        ],
        { closedSinceLastMeeting: 4, closedWithinWeek: 3 },
      ),
      report("Cleo", [overdueItem(1), item({ dueDate: "2026-04-10" })], {
        closedSinceLastMeeting: 5,
        closedWithinWeek: 1,
      }),
      noAgenda("Dan"),
    ]);
    const rollup = buildRollup(input);
    for (const entry of input.reports) {
      const built = rollup.reports.find((candidate) => candidate.pairId === entry.pairId);
      const agenda = entry.lastAgenda;
      const expected =
        agenda === null
          ? null
          : buildDigest({
              pair: {
                id: entry.pairId,
                managerName: input.manager.name,
                reportName: entry.reportName,
                timeZone: agenda.timeZone,
              },
              meeting: { date: agenda.date, startsAt: agenda.startsAt },
              agendaUrl: agenda.agendaUrl,
              carried: agenda.carried,
              closedSinceLastMeeting: agenda.closedSinceLastMeeting,
            });
      expect(built?.digest).toEqual(expected);
    }
    expect(rollup.totals).toEqual({
      reports: 3,
      reportsWithoutAgenda: 1,
      open: 5,
      overdue: 2,
      longCarried: 3,
      parked: 1,
      closedSinceLastMeetings: 9,
      closedWithinWeek: 4,
    });
    expect(rollup.summary).toBe(
      "3 reports · 5 open items (2 overdue, 3 stuck, 1 in the parking lot) · 9 items closed since the last meetings (4 within a week, 44%) · 1 report without an agenda yet",
    );
    // Per report: closed (and the share closed within a week), carried, stuck; then what needs a look.
    expect(rollup.reports.map((entry) => [entry.agendaLabel, entry.summary])).toEqual([
      [
        "Last agenda Tue 31 Mar 2026",
        "closed 4 (3 within a week, 75%) · carried 3 · stuck 3 · 1 overdue · 1 in the parking lot",
      ],
      ["Last agenda Tue 31 Mar 2026", "closed 5 (1 within a week, 20%) · carried 2 · stuck 0 · 1 overdue"],
      ["No agenda prepared yet", "No agenda prepared yet"],
    ]);
  });

  it("keeps its own words short when nothing is open", () => {
    const rollup = buildRollup(rollupInput([report("Bea", [], { closedSinceLastMeeting: 1 })]));
    expect(rollup.summary).toBe(
      "1 report · 0 open items · 1 item closed since the last meetings (1 within a week, 100%)",
    );
    expect(rollup.reports[0]?.summary).toBe("closed 1 (1 within a week, 100%) · carried 0 · stuck 0");
    expect(buildRollup(rollupInput([])).summary).toBe(
      "0 reports · 0 open items · 0 items closed since the last meetings",
    );
  });

  it("counts overdue days on each pair's calendar across DST changes, at that pair's meeting", () => {
    const rollup = buildRollup(
      rollupInput([
        // Berlin springs forward on 29 March 2026: 27 March to 31 March is 95 hours but 4 days.
        report("Berlin", [item({ dueDate: "2026-03-27" })]),
        // New York falls back on 1 November 2026: 31 October to 2 November is 49 hours but 2 days.
        report("New York", [item({ dueDate: "2026-10-31" })], {
          date: "2026-11-02",
          startsAt: "2026-11-02T14:00:00Z",
          timeZone: "America/New_York",
        }),
      ]),
    );
    const byName = new Map(rollup.reports.map((entry) => [entry.reportName, entry.digest]));
    expect(byName.get("Berlin")?.items[0]?.overdueDays).toBe(4);
    expect(byName.get("New York")?.items[0]?.overdueDays).toBe(2);
    expect(byName.get("New York")?.meeting.display).toBe("Monday 2 November 2026, 09:00 (America/New_York)");
    expect(rollup.totals.overdue).toBe(2);
  });

  it("names the roll-up's date in the manager's words, across a DST change in the manager's zone", () => {
    // 29 March 2026 is the day Berlin springs forward; the date must not slip to the 28th or 30th.
    const rollup = buildRollup(rollupInput([], { date: "2026-03-29" }));
    expect(rollup.shortDate).toBe("Sun 29 Mar 2026");
    expect(rollup.title).toBe("Weekly 1:1 roll-up for Grace Hopper");
    const tokyo = buildRollup(
      rollupInput([], {
        date: "2026-11-01",
        manager: { name: "M", email: "m@example.com", timeZone: "Asia/Tokyo" },
      }),
    );
    expect(tokyo.shortDate).toBe("Sun 1 Nov 2026");
  });

  it("cleans names to one safe line", () => {
    const rollup = buildRollup(
      rollupInput([report("Rep\nwith\u202Ebreaks", [])], {
        manager: { name: "  Grace\r\nHopper\u0007 ", email: "grace@example.com", timeZone: "Europe/Berlin" },
      }),
    );
    expect(rollup.manager.name).toBe("Grace Hopper");
    expect(rollup.reports[0]?.reportName).toBe("Rep withbreaks");
    expect(rollup.reports[0]?.digest?.title).toBe("1:1 Grace Hopper / Rep withbreaks");
  });

  it("is pure: the same roll-up for the same reports in any order, and the input untouched", () => {
    const input = rollupInput([
      report("Bea", [overdueItem(2), item({ dueDate: null })]),
      noAgenda("Dan"),
      report("Cleo", [overdueItem(1)]),
      report("Abe", [item({ dueDate: null })]),
    ]);
    const before = structuredClone(input);
    const reversed: RollupInput = { ...input, reports: [...input.reports].reverse() };
    expect(buildRollup(reversed)).toEqual(buildRollup(input));
    expect(buildRollup(input)).toEqual(buildRollup(input));
    expect(input).toEqual(before);
  });
});
