// The agenda page's properties as the Notion destination reads and writes them: the pair's mark and the
// filters on it, a found page's date, title and unfinished mark, and a new page's properties.
import { describe, expect, it } from "vitest";
import type { QueryPage } from "../../../src/destinations/notion/api";
import { notionDestinationSchema } from "../../../src/destinations/notion/config";
import {
  agendaFilter,
  expectedTypes,
  isMarked,
  isUnfinished,
  isUnmarked,
  type PairMark,
  pageDate,
  pageProperties,
  pairFilter,
  pairMarkOf,
  previousRef,
  titleOf,
  UNFINISHED_MARK,
} from "../../../src/destinations/notion/pages";
import { DestinationError, type MeetingRef } from "../../../src/destinations/types";
import type { Agenda } from "../../../src/domain/agenda";

const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";
const MEETING: MeetingRef = { pairId: "alice-bob", key: "alice-bob/2026-12-08", date: "2026-12-08" };
const SELECT: PairMark = { name: "Pair", type: "select", value: "alice-bob" };
const TEXT: PairMark = { name: "Pair", type: "rich_text", value: "alice-bob" };

function page(properties: Record<string, unknown>): QueryPage {
  return { object: "page", id: "p1", url: "https://www.notion.so/p1", properties };
}
const title = (text: string) => ({ type: "title", title: [{ plain_text: text }] });
const richText = (...parts: string[]) => ({
  type: "rich_text",
  rich_text: parts.map((part) => ({ plain_text: part })),
});
const select = (name: string | null) => ({ type: "select", select: name === null ? null : { name } });

describe("pair mark", () => {
  it("defaults the mark's value to the pair id, and is null without a pair property", () => {
    const marked = notionDestinationSchema.parse({
      kind: "notion",
      dataSourceId: DS,
      pairProperty: { name: "Pair" },
    });
    expect(pairMarkOf(marked, "alice-bob")).toEqual(TEXT);
    expect(expectedTypes(marked, pairMarkOf(marked, "alice-bob"))).toEqual({
      Name: "title",
      Date: "date",
      Pair: "rich_text",
    });
    const plain = notionDestinationSchema.parse({ kind: "notion", dataSourceId: DS });
    expect(pairMarkOf(plain, "alice-bob")).toBeNull();
  });

  it("takes a page as the pair's only when its mark is exactly the pair's value", () => {
    expect(isMarked(page({ Pair: richText("alice-", "bob") }), TEXT)).toBe(true);
    expect(isMarked(page({ Pair: richText("alice-bob-2") }), TEXT)).toBe(false);
    expect(isMarked(page({ Pair: select("alice-bob") }), SELECT)).toBe(true);
    expect(isMarked(page({ Pair: select(null) }), SELECT)).toBe(false);
    // A property of another type than configured is no mark.
    expect(isMarked(page({ Pair: richText("alice-bob") }), SELECT)).toBe(false);
    expect(isMarked(page({}), null)).toBe(true);
  });

  it("calls a page unmarked only when its pair property is empty", () => {
    expect(isUnmarked(page({ Pair: richText("  ") }), TEXT)).toBe(true);
    expect(isUnmarked(page({ Pair: richText("carol-dan") }), TEXT)).toBe(false);
    expect(isUnmarked(page({ Pair: select(null) }), SELECT)).toBe(true);
    expect(isUnmarked(page({ Pair: select("carol-dan") }), SELECT)).toBe(false);
    expect(isUnmarked(page({}), SELECT)).toBe(false);
    expect(isUnmarked(page({}), null)).toBe(false);
  });

  it("filters on the pair's value, on an empty mark, or on another pair's", () => {
    expect(agendaFilter("Date", null, "2026-12-08")).toEqual({
      property: "Date",
      date: { on_or_before: "2026-12-08" },
    });
    expect(agendaFilter("Date", SELECT, "2026-12-08")).toEqual({
      and: [
        { property: "Date", date: { on_or_before: "2026-12-08" } },
        { property: "Pair", select: { equals: "alice-bob" } },
      ],
    });
    expect(pairFilter(TEXT, "empty")).toEqual([{ property: "Pair", rich_text: { is_empty: true } }]);
    expect(pairFilter(SELECT, "other")).toEqual([
      { property: "Pair", select: { is_not_empty: true } },
      { property: "Pair", select: { does_not_equal: "alice-bob" } },
    ]);
    expect(pairFilter(null, "other")).toEqual([]);
  });
});

describe("a found page", () => {
  it("is dated by the day of its date property, or not at all when it is empty", () => {
    expect(
      pageDate(page({ Date: { type: "date", date: { start: "2026-12-01T10:00:00Z" } } }), "Date", DS),
    ).toBe("2026-12-01");
    expect(pageDate(page({ Date: { type: "date", date: null } }), "Date", DS)).toBeNull();
  });

  it("error: a missing or mistyped date property names the data source and the property", () => {
    expect(() => pageDate(page({}), "Date", DS)).toThrow(`Notion data source ${DS} has no property "Date"`);
    expect(() => pageDate(page({ Date: richText("x") }), "Date", DS)).toThrow(
      /property "Date" is not a date property/,
    );
    expect(() => pageDate(page({}), "Date", DS)).toThrow(DestinationError);
  });

  it("reads its title and whether it is still unfinished", () => {
    const unfinished = page({ Name: title(`1:1${UNFINISHED_MARK}`) });
    expect(isUnfinished(unfinished, "Name")).toBe(true);
    expect(isUnfinished(page({ Name: title("1:1") }), "Name")).toBe(false);
    expect(isUnfinished(page({}), "Name")).toBe(false);
    expect(titleOf(page({ Name: title("1:1") }), "Name")).toBe("1:1");
    expect(titleOf(page({ Name: richText("1:1") }), "Name")).toBeUndefined();
  });

  it("is taken over as the previous agenda when D1 knows of none before the meeting", () => {
    const found = page({ Name: title("Old notes") });
    const known = { ...MEETING, known: { previous: null, earlierAttempt: false } };
    expect(previousRef(found, "2026-12-01", known, "Name")).toEqual({
      id: "p1",
      url: "https://www.notion.so/p1",
      date: "2026-12-01",
      title: "Old notes",
      takenOver: true,
    });
    expect(previousRef(found, "2026-12-01", MEETING, "Name")).not.toHaveProperty("takenOver");
  });
});

describe("a new page's properties", () => {
  const agenda: Agenda = { title: "1:1 2026-12-08", intro: [], sections: [] };
  const config = notionDestinationSchema.parse({
    kind: "notion",
    dataSourceId: DS,
    pairProperty: { name: "Pair", type: "select" },
  });

  it("error: a title too long for one Notion title is refused, naming the meeting", () => {
    const long: Agenda = { ...agenda, title: "x".repeat(100_001) };
    expect(() => pageProperties(config, null, MEETING, long, false)).toThrow(
      /alice-bob\/2026-12-08 is too long/,
    );
  });

  it("carry the title (marked unfinished when asked), the date and the pair's mark", () => {
    const finished = pageProperties(config, SELECT, MEETING, agenda, false);
    expect(finished.Date).toEqual({ date: { start: "2026-12-08" } });
    expect(finished.Pair).toEqual({ select: { name: "alice-bob" } });
    const unfinished = pageProperties(config, TEXT, MEETING, agenda, true);
    expect(JSON.stringify(finished.Name)).toContain("1:1 2026-12-08");
    expect(JSON.stringify(finished.Name)).not.toContain(UNFINISHED_MARK);
    expect(JSON.stringify(unfinished.Name)).toContain(UNFINISHED_MARK);
    expect(unfinished.Pair).toEqual({ rich_text: [{ type: "text", text: { content: "alice-bob" } }] });
  });
});
