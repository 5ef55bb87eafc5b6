// Meetings people headed by hand in a running doc: which headings start a meeting (dated, at the most
// prominent level dated headings have, outside the Worker's sections, a date chip counting as a date),
// and where a meeting ends (the next meeting's heading or the Worker's next section).
import { describe, expect, it } from "vitest";
import type { TabView } from "../../../src/destinations/google/read/document";
import { meetingSections } from "../../../src/destinations/google/read/document";
import {
  headedMeetings,
  latestHeadedBefore,
  paragraphsToNextMeeting,
} from "../../../src/destinations/google/read/meetings-by-heading";

type Line = { text: string; style?: string; chip?: string };

/** A tab of one paragraph per line; `chip` adds a date chip after the text. */
function tabOf(lines: Line[], namedRanges: TabView["namedRanges"] = {}): TabView {
  let at = 1;
  const content = lines.map((line) => {
    const length = line.text.length + (line.chip === undefined ? 0 : 1) + 1;
    const elements = [
      { startIndex: at, endIndex: at + line.text.length, textRun: { content: line.text } },
      ...(line.chip === undefined
        ? []
        : [
            {
              startIndex: at + line.text.length,
              endIndex: at + line.text.length + 1,
              dateElement: {
                dateElementProperties: { timestamp: `${line.chip}T00:00:00Z`, displayText: "a day" },
              },
            },
          ]),
      { startIndex: at + length - 1, endIndex: at + length, textRun: { content: "\n" } },
    ];
    const element = {
      startIndex: at,
      endIndex: at + length,
      paragraph: { elements, paragraphStyle: { namedStyleType: line.style ?? "NORMAL_TEXT" } },
    };
    at += length;
    return element;
  });
  return { tabId: "t.0", title: "Notes", content, namedRanges, dropdownDefinitions: {}, lists: {} };
}

function words(tab: TabView, from: number, meetings: ReturnType<typeof headedMeetings>, own = meetings[0]) {
  return paragraphsToNextMeeting(tab, from, meetings, meetingSections([tab]), own ?? null).map((placed) =>
    placed.paragraph.elements
      .map((element) => element.textRun?.content ?? "")
      .join("")
      .trim(),
  );
}

describe("meetings headed by hand", () => {
  const tab = tabOf([
    { text: "Our notes" },
    { text: "Tuesday 1 Dec", style: "HEADING_1" },
    { text: "Follow-ups for Dec 15", style: "HEADING_3" },
    { text: "Call the bank" },
    { text: "Week of ", style: "HEADING_1", chip: "2026-11-24" },
    { text: "Old item" },
  ]);

  it("start at dated headings of the most prominent dated level, a date chip included", () => {
    const meetings = headedMeetings([tab], [], "2026-12-08");
    expect(meetings.map((meeting) => meeting.date)).toEqual(["2026-12-01", "2026-11-24"]);
    expect(latestHeadedBefore(meetings, "2026-12-08")?.title).toBe("Tuesday 1 Dec");
    expect(latestHeadedBefore(meetings, "2026-12-01")?.date).toBe("2026-11-24");
  });

  it("run past a dated sub-heading to the next meeting's heading", () => {
    const meetings = headedMeetings([tab], [], "2026-12-08");
    const first = meetings[0];
    expect(words(tab, first?.start ?? 0, meetings, first)).toEqual([
      "Tuesday 1 Dec",
      "Follow-ups for Dec 15",
      "Call the bank",
    ]);
  });

  it("a section the Worker made ends at the next dated heading, not at the end of its range", () => {
    const worker = tabOf(
      [
        { text: "1:1 · 2026-12-08", style: "HEADING_1" },
        { text: "Action items", style: "HEADING_2" },
        { text: "Typed below the range" },
        { text: "Dec 1, 2026", style: "HEADING_1" },
        { text: "Hand-made item" },
      ],
      {
        "one-on-one:p/2026-12-08": {
          name: "one-on-one:p/2026-12-08",
          namedRanges: [
            { namedRangeId: "r", name: "one-on-one:p/2026-12-08", ranges: [{ startIndex: 1, endIndex: 31 }] },
          ],
        },
      },
    );
    const sections = meetingSections([worker]);
    const meetings = headedMeetings([worker], sections, "2026-12-15");
    // The Worker's own heading is inside its range: not a hand-made meeting.
    expect(meetings.map((meeting) => meeting.date)).toEqual(["2026-12-01"]);
    const end = sections[0]?.end ?? 0;
    expect(
      paragraphsToNextMeeting(worker, end, meetings, sections).map((placed) =>
        placed.paragraph.elements
          .map((element) => element.textRun?.content ?? "")
          .join("")
          .trim(),
      ),
    ).toEqual(["Typed below the range"]);
  });
});
