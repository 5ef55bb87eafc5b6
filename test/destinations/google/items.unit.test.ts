// Naming items in a Google agenda (read/items.ts): where written paragraphs end up once bullets took their
// nesting tabs (the ranges are created at those places), which paragraph a named range names, and the ids
// of items no range names, the same on every read and apart for equal words.
import { describe, expect, it } from "vitest";
import { documentTabs, paragraphsOf } from "../../../src/destinations/google/read/document";
import { itemRangeRequest, readAgenda } from "../../../src/destinations/google/read/items";
import { insertRequests, layoutBlocks } from "../../../src/destinations/google/write/requests";
import { ModelDoc } from "./docs-model";
import { bullet, heading, parsed, statusOf, text, todo } from "./support";

function writtenWithSpans(doc: ModelDoc) {
  const status = statusOf(doc);
  const layout = layoutBlocks([
    heading("Action items", 2),
    todo([text("First")], [todo([text("Nested")], [bullet([text("Deeper")])])]),
    todo([text("Same words")]),
    todo([text("Same words")]),
  ]);
  const plan = insertRequests(layout, { index: 1, trailingNewline: false, status });
  doc.batchUpdate([...(status.create === null ? [] : [status.create]), ...plan.requests]);
  return plan;
}

function tabOf(doc: ModelDoc) {
  const [tab] = documentTabs(parsed(doc));
  if (tab === undefined) throw new Error("no tab");
  return tab;
}

describe("item ranges", () => {
  it("knows where each written paragraph's content lies after nested items lost their tabs", () => {
    const doc = new ModelDoc("doc-spans");
    const plan = writtenWithSpans(doc);
    const placed = paragraphsOf(tabOf(doc).content);
    expect(plan.spans).toEqual(
      placed.map((paragraph) => ({ start: paragraph.start, end: paragraph.end - 1 })),
    );
  });

  it("names an item by the range over it; unnamed items get ids from their words, apart when equal", () => {
    const doc = new ModelDoc("doc-ids");
    const plan = writtenWithSpans(doc);
    const read = () => {
      const tab = tabOf(doc);
      return readAgenda([{ tab, paragraphs: paragraphsOf(tab.content) }], ["actions"], "agenda-1");
    };
    const before = read();
    expect(before.items.map((item) => [item.ranged, item.block.children.length])).toEqual([
      [false, 1],
      [false, 0],
      [false, 0],
    ]);
    const [first, same, again] = before.items.map((item) => item.id);
    expect(new Set([first, same, again]).size).toBe(3);
    expect(read().items.map((item) => item.id)).toEqual([first, same, again]);
    expect(before.open.actions.map((item) => item.id)).toEqual([first, same, again]);

    // A range over the third item names it; the others keep their ids.
    const span = plan.spans[5];
    if (span === undefined) throw new Error("no span");
    doc.batchUpdate([itemRangeRequest("named3", span, undefined)]);
    const after = read();
    expect(after.items.map((item) => [item.id, item.ranged])).toEqual([
      [first, false],
      [same, false],
      ["named3", true],
    ]);
  });
});
