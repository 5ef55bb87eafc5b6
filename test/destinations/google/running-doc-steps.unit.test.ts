// The running doc's pure steps on documents built here: where a meeting's section is and which agenda
// came before (a section the Worker made, else a meeting people headed by hand), an agenda's paragraphs
// running on below its range, the requests that write a section at the top or into an empty tab, the
// tabs a lost write left bare, and the agenda a written batch names.
import { describe, expect, it } from "vitest";
import { documentSchema } from "../../../src/destinations/google/api/schemas";
import {
  agendaPart,
  bareTabs,
  carriedRanges,
  createdRef,
  locateIn,
  tabSectionRequests,
  topSectionPlan,
} from "../../../src/destinations/google/modes/running-doc-steps";
import { documentTabs, documentUrl } from "../../../src/destinations/google/read/document";
import { DestinationError } from "../../../src/destinations/types";

const at = { documentId: "doc1", pairId: "p1" };

function para(start: number, text: string, style?: { namedStyleType: string; headingId?: string }) {
  const end = start + text.length + 1;
  return {
    startIndex: start,
    endIndex: end,
    paragraph: {
      elements: [{ startIndex: start, endIndex: end, textRun: { content: `${text}\n` } }],
      ...(style === undefined ? {} : { paragraphStyle: style }),
    },
  };
}

function ranges(...entries: [name: string, id: string, start: number, end: number][]) {
  return Object.fromEntries(
    entries.map(([name, id, start, end]) => [
      name,
      { name, namedRanges: [{ namedRangeId: id, name, ranges: [{ startIndex: start, endIndex: end }] }] },
    ]),
  );
}

// The Worker's section of Dec 1 (1..31), and a line people typed below it.
const withSection = documentSchema.parse({
  documentId: "doc1",
  revisionId: "r1",
  body: {
    content: [
      para(1, "1:1 · 2026-12-01", { namedStyleType: "HEADING_1", headingId: "h.one" }),
      para(18, "Action items", { namedStyleType: "HEADING_2" }),
      para(31, "Typed below"),
    ],
  },
  namedRanges: ranges(["one-on-one:p1/2026-12-01", "nr1", 1, 31]),
});

// Notes people kept before the Worker came: a meeting headed with its date.
const handMade = documentSchema.parse({
  documentId: "doc1",
  body: {
    content: [
      para(1, "Dec 1, 2026", { namedStyleType: "HEADING_2", headingId: "h.dec1" }),
      para(13, "Old notes"),
    ],
  },
});

const meeting = { pairId: "p1", key: "p1/2026-12-08", date: "2026-12-08" };
const draft = {
  agenda: { title: "", intro: [], sections: [] },
  carried: { actions: [], discussion: [], parked: [] },
  placeholders: {},
};

function texts(part: ReturnType<typeof agendaPart>): string[] {
  return part.paragraphs.map((placed) =>
    placed.paragraph.elements.map((element) => element.textRun?.content.trim() ?? "").join(""),
  );
}

describe("locateIn", () => {
  it("finds the pair's earlier section as the previous agenda, linked at its heading", () => {
    expect(locateIn(at, withSection, "2026-12-08")).toEqual({
      existing: null,
      previous: { id: "doc1#nr1", url: documentUrl("doc1", { headingId: "h.one" }), date: "2026-12-01" },
    });
  });

  it("finds the meeting's own section, so it is never written twice", () => {
    expect(locateIn(at, withSection, "2026-12-01")).toMatchObject({
      existing: { id: "doc1#nr1" },
      previous: null,
    });
  });

  it("takes over a meeting people headed by hand when the Worker made none before", () => {
    const { previous } = locateIn(at, handMade, "2026-12-08");
    expect(previous).toEqual({
      id: "doc1#heading=h.dec1",
      url: documentUrl("doc1", { headingId: "h.dec1" }),
      date: "2026-12-01",
      title: "Dec 1, 2026",
      takenOver: true,
    });
  });

  it("takes nothing over in a document another pair keeps its sections in", () => {
    const shared = documentSchema.parse({
      ...handMade,
      body: { content: [...(handMade.body?.content ?? []), para(23, "1:1 · 2026-11-01")] },
      namedRanges: ranges(["one-on-one:p2/2026-11-01", "nrp2", 23, 40]),
    });
    expect(locateIn(at, shared, "2026-12-08").previous).toBeNull();
  });
});

describe("agendaPart", () => {
  it("reads a section on below its range, to the next meeting", () => {
    const previous = locateIn(at, withSection, "2026-12-08").previous;
    if (previous === null) throw new Error("no previous agenda");
    expect(texts(agendaPart(at, withSection, previous, "2026-12-08"))).toEqual([
      "1:1 · 2026-12-01",
      "Action items",
      "Typed below",
    ]);
  });

  it("finds a meeting headed by hand again by its heading id", () => {
    const previous = locateIn(at, handMade, "2026-12-08").previous;
    if (previous === null) throw new Error("no previous agenda");
    expect(texts(agendaPart(at, handMade, previous, "2026-12-08"))).toEqual(["Dec 1, 2026", "Old notes"]);
  });

  it("fails retryably, naming the range, when the section is gone (reading nothing would drop every item)", () => {
    const gone = { id: "doc1#nr-gone", url: "", date: "2026-11-24" };
    const read = () => agendaPart(at, withSection, gone, "2026-12-08");
    expect(read).toThrow(DestinationError);
    expect(read).toThrow("one-on-one:p1/2026-11-24");
    try {
      read();
    } catch (error) {
      expect((error as DestinationError).retryable).toBe(true);
    }
  });
});

describe("carriedRanges", () => {
  const previous = { id: "doc1#nr1", url: "", date: "2026-12-01" };

  it("asks nothing when no carried item lacks a range", () => {
    expect(carriedRanges(at, withSection, null, meeting)).toEqual([]);
    const none = { agenda: previous, reference: "2026-12-08", roles: [], ids: new Set<string>() };
    expect(carriedRanges(at, withSection, none, meeting)).toEqual([]);
  });

  it("fails retryably when a carried item is no longer there as it was read", () => {
    const changed = {
      agenda: previous,
      reference: "2026-12-08",
      roles: ["actions" as const],
      ids: new Set(["x"]),
    };
    expect(() => carriedRanges(at, withSection, changed, meeting)).toThrow(
      /changed while the 2026-12-08 agenda/,
    );
  });
});

describe("writing a section", () => {
  it("goes above the pair's topmost section, its named range last and over what was written", () => {
    const plan = topSectionPlan(at, withSection, meeting, draft);
    expect(plan.tabId).toBeUndefined();
    expect(plan.requests[0]).toHaveProperty("createDropdownDefinition");
    expect(plan.requests).toContainEqual({
      insertText: expect.objectContaining({ location: { index: 1 } }),
    });
    const last = plan.requests[plan.requests.length - 1];
    expect(last).toMatchObject({
      createNamedRange: { name: "one-on-one:p1/2026-12-08", range: { startIndex: 1 } },
    });
    const end = last?.createNamedRange?.range?.endIndex ?? 0;
    expect(end).toBeGreaterThan(1 + "1:1 · 2026-12-08".length);
  });

  it("fills an empty tab from its start, every request in that tab", () => {
    const requests = tabSectionRequests("p1", "t.9", meeting, draft);
    expect(requests[0]).toMatchObject({ createDropdownDefinition: { tabId: "t.9" } });
    expect(requests[requests.length - 1]).toMatchObject({
      createNamedRange: { name: "one-on-one:p1/2026-12-08", range: { startIndex: 1, tabId: "t.9" } },
    });
    expect(requests).toContainEqual({
      insertText: expect.objectContaining({ location: { index: 1, tabId: "t.9" } }),
    });
  });

  it("takes only empty tabs titled for the meeting and without a range as bare", () => {
    const tab = (tabId: string, title: string, content: unknown[], named = {}) => ({
      tabProperties: { tabId, title },
      documentTab: { body: { content }, namedRanges: named },
    });
    const doc = documentSchema.parse({
      documentId: "doc1",
      tabs: [
        tab("t.bare", "1:1 · 2026-12-08", [para(1, "")]),
        tab("t.full", "1:1 · 2026-12-08", [para(1, "Written")]),
        tab("t.marked", "1:1 · 2026-12-08", [para(1, "")], ranges(["one-on-one:p1/2026-12-08", "n", 1, 2])),
        tab("t.other", "1:1 · 2026-12-01", [para(1, "")]),
      ],
    });
    expect(bareTabs(documentTabs(doc), "2026-12-08").map((found) => found.tabId)).toEqual(["t.bare"]);
  });
});

describe("createdRef", () => {
  it("names the agenda by the range the batch's last reply created", () => {
    const replies = [{}, { createNamedRange: { namedRangeId: "nr9" } }];
    expect(createdRef("doc1", replies, meeting, "t.2")).toEqual({
      id: "doc1#nr9",
      url: documentUrl("doc1", { tabId: "t.2" }),
      date: "2026-12-08",
    });
  });

  it("fails when Google did not return the range", () => {
    expect(() => createdRef("doc1", [{}], meeting, undefined)).toThrow(
      /did not return the named range of p1\/2026-12-08/,
    );
  });
});
