// The doc-per-meeting mode's pure steps: the folder query (the pair's own agendas, or the whole folder
// while notes may be taken over), a listing sorted into this meeting's documents, earlier agendas and
// documents people made, the newest dated one of those, and a new agenda's metadata; and what both modes
// share: the revision guard, the error mapping and the ids of the open items.
import { describe, expect, it } from "vitest";
import { GoogleApiError } from "../../../src/destinations/google/api/errors";
import {
  agendaMetadata,
  emptyListing,
  folderQuery,
  newestFirst,
  newestHandMade,
  sortListing,
} from "../../../src/destinations/google/modes/doc-per-meeting-steps";
import { about, openIds, underRevision } from "../../../src/destinations/google/modes/shared";
import { DestinationError } from "../../../src/destinations/types";

const ours = (id: string, date: string) => ({
  id,
  appProperties: { oneOnOnePair: "p1", oneOnOneDate: date },
});

describe("folderQuery", () => {
  it("asks for the pair's own agendas, quoting what it quotes", () => {
    expect(folderQuery("f'1", "p1", false)).toBe(
      "'f\\'1' in parents and trashed = false and mimeType = 'application/vnd.google-apps.document' and " +
        "appProperties has { key='oneOnOnePair' and value='p1' }",
    );
  });

  it("asks for the whole folder when notes may be taken over", () => {
    expect(folderQuery("f1", "p1", true)).not.toContain("appProperties");
  });
});

describe("sortListing", () => {
  it("keeps only what says it is the pair's, up to the meeting's date", () => {
    const listing = emptyListing();
    sortListing(
      listing,
      [
        ours("same", "2026-12-08"),
        ours("old", "2026-12-01"),
        ours("later", "2026-12-15"),
        ours("bad", "Dec 1"),
        { id: "theirs", appProperties: { oneOnOnePair: "p2", oneOnOneDate: "2026-12-01" } },
        { id: "notes", name: "Notes 2026-11-24" },
        { id: "template", name: "Template" },
        { id: "nameless" },
      ],
      { pairId: "p1", templateId: "template" },
      "2026-12-08",
    );
    expect(listing.sameDay.map((file) => file.id)).toEqual(["same"]);
    expect(listing.earlier).toEqual([{ file: ours("old", "2026-12-01"), date: "2026-12-01" }]);
    expect(listing.handMade.map((file) => file.id)).toEqual(["notes"]);
    expect(listing.shared).toBe(true);
  });

  it("adds each page to what the pages before found", () => {
    const listing = emptyListing();
    const pair = { pairId: "p1", templateId: undefined };
    sortListing(listing, [ours("a", "2026-11-01")], pair, "2026-12-08");
    sortListing(listing, [ours("b", "2026-11-08")], pair, "2026-12-08");
    expect(listing.earlier.map((entry) => entry.file.id)).toEqual(["a", "b"]);
    expect(listing.shared).toBe(false);
  });
});

describe("newestFirst and newestHandMade", () => {
  it("orders agendas newest first without changing the list given", () => {
    const dated = [{ date: "2026-11-01" }, { date: "2026-12-01" }, { date: "2026-11-15" }];
    expect(newestFirst(dated).map((entry) => entry.date)).toEqual(["2026-12-01", "2026-11-15", "2026-11-01"]);
    expect(dated[0]?.date).toBe("2026-11-01");
  });

  it("takes the newest document dated before the meeting, by the date in its name", () => {
    const files = [
      { id: "a", name: "1:1 notes 2026-11-17" },
      { id: "b", name: "1:1 notes 2026-11-24" },
      { id: "c", name: "1:1 notes 2026-12-08" },
      { id: "d", name: "Team charter" },
    ];
    expect(newestHandMade(files, "2026-12-08")).toEqual({ file: files[1], date: "2026-11-24" });
    expect(newestHandMade([files[3] ?? { id: "x" }], "2026-12-08")).toBeNull();
  });
});

describe("agendaMetadata", () => {
  const meeting = { pairId: "p1", key: "p1/2026-12-08", date: "2026-12-08" };
  const draft = (title: string) => ({
    agenda: { title, intro: [], sections: [] },
    carried: { actions: [], discussion: [], parked: [] },
    placeholders: {},
  });

  it("marks the document as the pair's, of its date, and unfinished until its mark is written", () => {
    expect(agendaMetadata(draft("Ada / Bo"), meeting, "p1", "f1")).toEqual({
      name: "Ada / Bo",
      parents: ["f1"],
      appProperties: { oneOnOnePair: "p1", oneOnOneDate: "2026-12-08", oneOnOneFinish: "namedRange" },
    });
  });

  it("names an untitled agenda after its date", () => {
    expect(agendaMetadata(draft(""), meeting, "p1", "f1").name).toBe("1:1 · 2026-12-08");
  });
});

describe("what both modes share", () => {
  it("guards a write with the revision it was computed on, when there is one", () => {
    expect(underRevision("r7")).toEqual({ writeControl: { requiredRevisionId: "r7" } });
    expect(underRevision(undefined)).toEqual({});
  });

  it("tells a failed call as a DestinationError about what was being worked on", async () => {
    const subject = { kind: "document" as const, id: "doc9", actor: "ada@example.com" };
    const failing = about(subject, () =>
      Promise.reject(new GoogleApiError("GET /v1/documents/:id", 404, "NOT_FOUND", null, "not found")),
    );
    await expect(failing).rejects.toBeInstanceOf(DestinationError);
    await expect(
      about(subject, () => Promise.reject(new GoogleApiError("x", 404, null, null, "gone"))),
    ).rejects.toThrow(/doc9/);
    await expect(about(subject, async () => 5)).resolves.toBe(5);
  });

  it("takes the ids of the open items of every role", () => {
    const todo = (id?: string) => ({
      kind: "todo" as const,
      text: [],
      checked: false,
      children: [],
      ...(id === undefined ? {} : { id }),
    });
    const open = {
      actions: [todo("a"), todo()],
      discussion: [todo("d")],
      parked: [todo("p")],
      closed: 0,
      closedWithinWeek: 0,
    };
    expect([...openIds(open)]).toEqual(["a", "d", "p"]);
  });
});
