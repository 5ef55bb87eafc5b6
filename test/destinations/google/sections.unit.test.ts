// A running doc shared by pairs: each pair's sections are found by the pair id in their named ranges, and
// a section never reads paragraphs of another section nested in it, whoever's it is (Google may take text
// inserted at the very start of a named range into the range).
import { describe, expect, it } from "vitest";
import {
  meetingSections,
  pairSections,
  sectionParagraphs,
  type TabView,
} from "../../../src/destinations/google/read/document";

function line(start: number, text: string) {
  return {
    startIndex: start,
    endIndex: start + text.length + 1,
    paragraph: {
      elements: [{ startIndex: start, endIndex: start + text.length + 1, textRun: { content: `${text}\n` } }],
    },
  };
}

function range(name: string, id: string, start: number, end: number) {
  return { name, namedRanges: [{ namedRangeId: id, name, ranges: [{ startIndex: start, endIndex: end }] }] };
}

// "contract-2"'s section was written at the top and taken into "contract"'s range, which now spans both.
const THEIRS = "Theirs only";
const OURS = "Ours only";
const tab: TabView = {
  tabId: undefined,
  title: "Shared",
  content: [line(1, THEIRS), line(1 + THEIRS.length + 1, OURS)],
  namedRanges: {
    "one-on-one:contract/2026-12-01": range("one-on-one:contract/2026-12-01", "ours", 1, 23),
    "one-on-one:contract-2/2026-12-01": range("one-on-one:contract-2/2026-12-01", "theirs", 1, 13),
    // Not a meeting range of any pair: a person's own, or a malformed name.
    "one-on-one:contract/notes": range("one-on-one:contract/notes", "notes", 1, 5),
    "contract/2026-12-08": range("contract/2026-12-08", "bare", 1, 5),
  },
  dropdownDefinitions: {},
  lists: {},
};

function texts(paragraphs: ReturnType<typeof sectionParagraphs>): string[] {
  return paragraphs.map((placed) =>
    placed.paragraph.elements
      .map((element) => element.textRun?.content ?? "")
      .join("")
      .trim(),
  );
}

describe("running-doc sections of pairs sharing a document", () => {
  it("belong to the pair named in the range, not to a pair whose id starts the same", () => {
    expect(pairSections([tab], "contract").map((section) => section.namedRangeId)).toEqual(["ours"]);
    expect(pairSections([tab], "contract-2").map((section) => section.namedRangeId)).toEqual(["theirs"]);
    expect(pairSections([tab], "contract-").map((section) => section.namedRangeId)).toEqual([]);
  });

  it("never read another pair's section nested in theirs", () => {
    const every = meetingSections([tab]);
    const [ours] = pairSections([tab], "contract");
    const [theirs] = pairSections([tab], "contract-2");
    if (ours === undefined || theirs === undefined) throw new Error("sections not found");
    expect(texts(sectionParagraphs(tab, ours, every))).toEqual([OURS]);
    expect(texts(sectionParagraphs(tab, theirs, every))).toEqual([THEIRS]);
  });
});
