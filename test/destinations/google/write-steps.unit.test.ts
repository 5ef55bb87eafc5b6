// The steps of the insert plan and of live sync's batch, each on its own: where step 1 places each
// paragraph and its chips, the paragraph styles of headings and dividers, the spans once bullets took
// the leading tabs away, and which adds go in together.
import { describe, expect, it } from "vitest";
import {
  type LayoutParagraph,
  paragraphStyleRequests,
  placeParagraphs,
  spansAfterBullets,
} from "../../../src/destinations/google/write/requests";
import { groupAdds } from "../../../src/destinations/google/write/sync";
import { textOf } from "../../../src/domain/agenda";
import type { SyncAction } from "../../../src/domain/sync";

const status = { definitionId: "def", openOptionId: "open", doneOptionId: "done" };

function text(value: string, list: LayoutParagraph["list"] = null): LayoutParagraph {
  return { namedStyle: "NORMAL_TEXT", list, divider: false, pieces: [{ kind: "text", text: value }] };
}

describe("placeParagraphs", () => {
  it("inserts text in one request per run between chips, each chip one index", () => {
    const item: LayoutParagraph = {
      namedStyle: "NORMAL_TEXT",
      list: { level: 1, ordered: false },
      divider: false,
      pieces: [
        { kind: "status", done: true },
        { kind: "text", text: " Ship it" },
      ],
    };
    const placed = placeParagraphs([text("Hi"), item], { index: 10, tabId: "t.1", status });
    expect(placed.inserts).toEqual([
      { insertText: { text: "Hi\n\t", location: { index: 10, tabId: "t.1" } } },
      {
        insertDropdown: {
          dropdownDefinitionId: "def",
          selectedOptionId: "done",
          location: { index: 14, tabId: "t.1" },
        },
      },
      { insertText: { text: " Ship it\n", location: { index: 15, tabId: "t.1" } } },
    ]);
    // "Hi" at 10..12; the item starts at its tab (13) and ends before its newline.
    expect(placed.placed.map(({ start, end, tabs }) => ({ start, end, tabs }))).toEqual([
      { start: 10, end: 12, tabs: 0 },
      { start: 13, end: 23, tabs: 1 },
    ]);
    expect(placed.end).toBe(24);
  });

  it("styles a run over exactly its own words, and leaves the last newline out when asked", () => {
    const bold: LayoutParagraph = {
      namedStyle: "NORMAL_TEXT",
      list: null,
      divider: false,
      pieces: [
        { kind: "text", text: "a " },
        { kind: "text", text: "bold", style: { bold: true } },
      ],
    };
    const placed = placeParagraphs([bold], { index: 1, trailingNewline: false, status });
    expect(placed.styles).toEqual([
      {
        updateTextStyle: {
          range: { startIndex: 3, endIndex: 7 },
          textStyle: { bold: true },
          fields: "bold",
        },
      },
    ]);
    expect(placed.end).toBe(7);
  });

  it("keeps a list item's own leading tabs as spaces, so they are not taken for nesting", () => {
    const placed = placeParagraphs([text("\tindented", { level: 0, ordered: false })], { index: 1, status });
    expect(placed.inserts[0]).toMatchObject({ insertText: { text: "    indented\n" } });
  });
});

describe("paragraphStyleRequests", () => {
  it("gives headings their named style and dividers a border, over each paragraph and its newline", () => {
    const heading: LayoutParagraph = { ...text("Title"), namedStyle: "HEADING_2" };
    const divider: LayoutParagraph = { namedStyle: "NORMAL_TEXT", list: null, divider: true, pieces: [] };
    const range = (startIndex: number, endIndex: number) => ({ startIndex, endIndex });
    const requests = paragraphStyleRequests(
      [
        { start: 1, end: 6, paragraph: heading, tabs: 0 },
        { start: 7, end: 7, paragraph: divider, tabs: 0 },
        { start: 8, end: 12, paragraph: text("body"), tabs: 0 },
      ],
      range,
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual({
      updateParagraphStyle: {
        range: { startIndex: 1, endIndex: 7 },
        paragraphStyle: { namedStyleType: "HEADING_2" },
        fields: "namedStyleType",
      },
    });
    expect(requests[1]).toMatchObject({
      updateParagraphStyle: { range: { startIndex: 7, endIndex: 8 }, fields: "borderBottom" },
    });
  });
});

describe("spansAfterBullets", () => {
  it("moves each paragraph back by the tabs removed before it, and its end by its own", () => {
    const list = text("x", { level: 2, ordered: false });
    const result = spansAfterBullets([
      { start: 1, end: 5, paragraph: list, tabs: 2 },
      { start: 6, end: 9, paragraph: text("y"), tabs: 0 },
    ]);
    expect(result).toEqual({
      spans: [
        { start: 1, end: 3 },
        { start: 4, end: 7 },
      ],
      removed: 2,
    });
  });
});

describe("groupAdds", () => {
  const add = (itemId: string, afterId: string | null, role: "actions" | "discussion" = "actions") =>
    ({
      kind: "add",
      itemId,
      role,
      afterId,
      block: { kind: "todo", text: textOf(itemId), checked: false, children: [] },
    }) satisfies SyncAction;

  it("puts adds after the same item, or first of the same role, together in the order listed", () => {
    const groups = groupAdds([add("a", "x"), add("b", null), add("c", "x"), add("d", null, "discussion")]);
    expect(groups.map((group) => group.map((action) => action.itemId))).toEqual([["a", "c"], ["b"], ["d"]]);
  });
});
