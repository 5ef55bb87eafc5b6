// Conversions between the neutral model and Google Docs: model → batchUpdate requests → a document built
// the way Google builds it → model again, keeping styles, links, chips and nesting; and the indices of
// the requests, which must hold for every chip, tab and newline.
import { describe, expect, it } from "vitest";
import {
  blockFromParagraph,
  dateOfChip,
  styleFromDocs,
} from "../../../src/destinations/google/read/to-model";
import { insertRequests, layoutBlocks } from "../../../src/destinations/google/write/requests";
import type { Block } from "../../../src/domain/agenda";
import { ModelDoc } from "./docs-model";
import { bullet, heading, para, readBlocks, requestsFor, statusOf, text, todo, written } from "./support";

const owner = {
  kind: "mention",
  text: "Ada Manager",
  mention: { type: "user", userId: "ada@example.com" },
} as const;
const due = { kind: "mention", text: "2026-12-04", mention: { type: "date", start: "2026-12-04" } } as const;

describe("model → Docs → model", () => {
  it("happy: keeps headings, paragraphs, styles and links", () => {
    const blocks: Block[] = [
      heading("Check-in", 1),
      para([
        text("Plain, "),
        text("bold", { style: { bold: true } }),
        text(", "),
        text("italic", { style: { italic: true } }),
        text(", "),
        text("struck", { style: { strikethrough: true } }),
        text(", "),
        text("under", { style: { underline: true } }),
        text(", "),
        text("code", { style: { code: true } }),
        text(" and "),
        text("a link", { link: "https://example.com/x" }),
        text(" and "),
        text("grey", { style: { italic: true, color: "gray" } }),
      ]),
      heading("Discussion points", 2),
      heading("Detail", 3),
    ];
    expect(readBlocks(written(blocks))).toEqual(blocks);
  });

  it("keeps chips: status dropdown, person and date, in the text where they were", () => {
    const blocks: Block[] = [
      heading("Action items"),
      todo([
        text("Draft the "),
        text("Q1 plan", { style: { bold: true }, link: "https://example.com/q1" }),
        text(" "),
        owner,
        text(" "),
        due,
      ]),
      todo([text("Book the room")], [], true),
    ];
    const doc = written(blocks);
    expect(doc.text()).toBe(
      "Action items\n[status:Open] Draft the Q1 plan [person:ada@example.com] [date:2026-12-04]\n[status:Done] Book the room\n",
    );
    expect(readBlocks(doc)).toEqual(blocks);
  });

  it("keeps nesting: bullets in to-dos in bullets, numbered lists, several levels deep", () => {
    const blocks: Block[] = [
      heading("Action items"),
      todo(
        [text("Prepare the demo")],
        [
          todo([text("Write the script")], [bullet([text("scene one")], [bullet([text("detail")])])]),
          bullet([text("note")]),
        ],
      ),
      todo([text("Second")]),
      para([text("Between")]),
      {
        kind: "numbered",
        text: [text("one")],
        children: [{ kind: "numbered", text: [text("one.a")], children: [] }],
      },
      { kind: "numbered", text: [text("two")], children: [] },
    ];
    const doc = written(blocks);
    expect(readBlocks(doc)).toEqual(blocks);
    // The tabs that carried the nesting are gone.
    expect(doc.text()).not.toContain("\t");
  });

  it("turns a paragraph under a list item into an item of the list, so what follows keeps its nesting", () => {
    const blocks: Block[] = [bullet([text("top")], [para([text("continued")]), bullet([text("child")])])];
    expect(readBlocks(written(blocks))).toEqual([
      bullet([text("top")], [bullet([text("continued")]), bullet([text("child")])]),
    ]);
  });

  it("writes a divider as a bordered empty paragraph and reads it back", () => {
    const blocks: Block[] = [para([text("above")]), { kind: "divider" }, para([text("below")])];
    expect(readBlocks(written(blocks))).toEqual(blocks);
  });

  it("writes a mention it cannot make a chip of as its words", () => {
    const notion = {
      kind: "mention",
      text: "@Ada",
      mention: { type: "user", userId: "0b6f-not-an-email" },
    } as const;
    const page = { kind: "mention", text: "Roadmap", mention: { type: "page", pageId: "abc" } } as const;
    expect(readBlocks(written([para([notion, text(" "), page])]))).toEqual([para([text("@Ada Roadmap")])]);
  });

  it("keeps line breaks inside a paragraph and drops control characters Docs refuses", () => {
    expect(readBlocks(written([para([text("one\ntwo\u0007")])]))).toEqual([para([text("one\ntwo")])]);
  });

  it("counts UTF-16 code units: emoji and accents before chips keep later indices right", () => {
    const blocks: Block[] = [
      todo([text("🎉 Fête "), owner, text(" ✓? no"), text(" 👍🏽", { style: { bold: true } })]),
    ];
    expect(readBlocks(written(blocks))).toEqual(blocks);
  });
});

describe("indices", () => {
  it("inserts a multi-section agenda above existing content without disturbing it", () => {
    const doc = written([
      heading("Old meeting", 1),
      todo([text("old item "), owner]),
      para([text("old notes")]),
    ]);
    const before = doc.text();
    const blocks: Block[] = [
      heading("1:1 · 2026-12-08", 1),
      heading("Discussion points"),
      bullet([text("topic "), due], [bullet([text("sub")])]),
      heading("Action items"),
      todo([text("A "), owner, text(" by "), due], [todo([text("A.1")])]),
      todo([text("B")], [], true),
      para([text("closing "), text("words", { style: { italic: true } })]),
    ];
    doc.batchUpdate(requestsFor(doc, blocks, 1, true));
    expect(doc.text().endsWith(before)).toBe(true);
    expect(readBlocks(doc)).toEqual([
      ...blocks,
      heading("Old meeting", 1),
      todo([text("old item "), owner]),
      para([text("old notes")]),
    ]);
  });

  it("reports the final length of the insert, tabs removed, so a named range can wrap it exactly", () => {
    const doc = written([para([text("after")])]);
    const blocks: Block[] = [
      heading("Top", 1),
      todo([text("x")], [todo([text("y")], [bullet([text("z")])])]),
    ];
    const status = statusOf(doc);
    const plan = insertRequests(layoutBlocks(blocks), { index: 1, status });
    doc.batchUpdate([
      ...(status.create ? [status.create] : []),
      ...plan.requests,
      { createNamedRange: { name: "section", range: { startIndex: 1, endIndex: 1 + plan.length } } },
    ]);
    const range = doc.tabs[0]?.namedRanges[0]?.ranges[0];
    // "Top\n" + chip " x\n" + chip " y\n" + "z\n" = 4 + 4 + 4 + 2.
    expect(plan.length).toBe(14);
    expect(range).toMatchObject({ start: 1, end: 15 });
    expect(doc.text()).toBe("Top\n[status:Open] x\n[status:Open] y\nz\nafter\n");
  });

  it("restyles what it inserts: nothing inherits the heading or the bullet it was inserted before", () => {
    const doc = written([bullet([text("existing", { style: { bold: true } })])]);
    doc.batchUpdate(
      requestsFor(doc, [para([text("plain")]), heading("Head")], 1, true, { anchorHasBullet: true }),
    );
    expect(readBlocks(doc)).toEqual([
      para([text("plain")]),
      heading("Head"),
      bullet([text("existing", { style: { bold: true } })]),
    ]);
  });

  it("inserts at the end of a body with a leading newline", () => {
    const doc = written([para([text("first")])]);
    const status = statusOf(doc);
    const end = doc.text().length; // the index of the final newline
    const plan = insertRequests(layoutBlocks([todo([text("added "), owner])]), {
      index: end,
      leadingNewline: true,
      trailingNewline: false,
      status,
    });
    doc.batchUpdate([...(status.create ? [status.create] : []), ...plan.requests]);
    expect(readBlocks(doc)).toEqual([para([text("first")]), todo([text("added "), owner])]);
  });
});

describe("reading what people write", () => {
  it("reads a person chip's name and a date chip in its time zone", () => {
    expect(dateOfChip({ timestamp: "2026-12-04T23:30:00Z", timeZoneId: "Asia/Tokyo" })).toBe("2026-12-05");
    expect(dateOfChip({ timestamp: "2026-12-04T00:00:00Z" })).toBe("2026-12-04");
    expect(dateOfChip({ displayText: "2026-12-04" })).toBe("2026-12-04");
    expect(dateOfChip({ displayText: "Dec 4, 2026" })).toBeNull();
  });

  it("does not keep the underline Docs puts on every link, nor a link's colour", () => {
    expect(
      styleFromDocs({ underline: true, foregroundColor: { color: { rgbColor: { blue: 0.8 } } } }, true),
    ).toBeUndefined();
    expect(styleFromDocs({ underline: true }, false)).toEqual({ underline: true });
  });

  it("reads headings of every level and skips empty paragraphs", () => {
    const context = { lists: {}, doneOptionIds: new Set<string>() };
    const paragraph = (namedStyleType: string, content: string) => ({
      elements: [{ startIndex: 1, endIndex: 1 + content.length, textRun: { content } }],
      paragraphStyle: { namedStyleType },
    });
    expect(blockFromParagraph(paragraph("HEADING_5", "Deep\n"), context)).toEqual(heading("Deep", 3));
    expect(blockFromParagraph(paragraph("TITLE", "Title\n"), context)).toEqual(heading("Title", 1));
    expect(blockFromParagraph(paragraph("NORMAL_TEXT", "  \n"), context)).toBeNull();
  });

  it("reads a status chip that is not first as the item's status all the same", () => {
    const doc = new ModelDoc("d");
    doc.batchUpdate(requestsFor(doc, [todo([text("x")])], 1, false));
    // The person typed before the chip: people insert chips where they like, and it still decides.
    doc.type(1, "Note: ");
    expect(readBlocks(doc)).toEqual([todo([text("Note: x")])]);
  });
});
