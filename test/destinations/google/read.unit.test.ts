// The done rule, as people meet it in a Google Doc: an item is done when its status chip says Done, or
// (chip or not) when all its words are struck through or it starts with a done marker; everything else,
// including anything unclear, is open and carried with its owner, due date, links, styles and sub-items.
import { describe, expect, it } from "vitest";
import { openItemsOf } from "../../../src/destinations/google/read/read";
import { isDoneByText } from "../../../src/destinations/google/read/to-model";
import type { Block } from "../../../src/domain/agenda";
import { plainText } from "../../../src/domain/agenda";
import { dueDateOf, ownerOf } from "../../../src/domain/carry";
import { bullet, heading, para, readBlocks, text, todo, written } from "./support";

const owner = { kind: "mention", text: "Ada", mention: { type: "user", userId: "ada@example.com" } } as const;
const due = { kind: "mention", text: "2026-12-04", mention: { type: "date", start: "2026-12-04" } } as const;

function openTexts(blocks: Block[], roles: ("actions" | "discussion")[] = ["actions"]) {
  const open = openItemsOf(blocks, roles);
  return {
    actions: open.actions.map((item) => plainText(item.text)),
    discussion: open.discussion.map((item) => plainText(item.text)),
  };
}

describe("done rule", () => {
  it("happy: a Done status chip closes an item; Open keeps it", () => {
    const doc = written([heading("Action items"), todo([text("Ship it")]), todo([text("Write docs")])]);
    doc.selectOption(doc.indexOf("\ue907 Ship it"), "Done");
    expect(openTexts(readBlocks(doc)).actions).toEqual(["Write docs"]);
  });

  it("a struck-through item is done, with or without a chip; a partly struck one is open", () => {
    const doc = written([
      heading("Action items"),
      bullet([text("Typed by hand")]),
      todo([text("Has a chip")]),
      bullet([text("Half "), text("struck")]),
    ]);
    const strike = (label: string) => {
      const start = doc.indexOf(label);
      doc.styleText(start, start + label.length, "strikethrough", true);
    };
    strike("Typed by hand");
    strike("Has a chip");
    strike("struck");
    expect(openTexts(readBlocks(doc)).actions).toEqual(["Half struck"]);
  });

  it("done markers at the start close an item: ✓ ✔ [x] DONE; 'Done' in a sentence does not", () => {
    const blocks = [
      heading("Action items"),
      bullet([text("✓ Sent the invite")]),
      bullet([text("✔ Booked")]),
      bullet([text("[x] Paid")]),
      bullet([text("DONE: filed")]),
      bullet([text("Donegal trip")]),
      bullet([text("Done-ness criteria to define")]),
    ];
    expect(openTexts(readBlocks(written(blocks))).actions).toEqual([
      "Donegal trip",
      "Done-ness criteria to define",
    ]);
  });

  it("when unsure, carry: unknown chip values, empty strike marks, carry marks alone", () => {
    expect(
      isDoneByText([text("↻ open since 2026-11-03 · carried 2×", { style: { strikethrough: true } })]),
    ).toBe(false);
    expect(isDoneByText([owner, text(" ", { style: { strikethrough: true } })])).toBe(false);
    expect(
      isDoneByText([
        text("Plan", { style: { strikethrough: true } }),
        text(" ↻ open since 2026-11-03 · carried 1×"),
      ]),
    ).toBe(true);
  });

  it("reads only the action-items section, found by a renamed heading, until the next heading of its level", () => {
    const blocks = [
      heading("Check-in"),
      bullet([text("How are you?")]),
      heading("✅ Next steps:"),
      para([text("Mark an item done with its status chip (or strike it through).")]),
      bullet([text("First")], [bullet([text("sub of first")])]),
      todo([text("Second")]),
      heading("Notes", 3),
      bullet([text("Under a sub-heading, still actions")]),
      heading("Feedback"),
      bullet([text("Not an item")]),
    ];
    const open = openItemsOf(readBlocks(written(blocks)), ["actions"]);
    expect(open.actions.map((item) => plainText(item.text))).toEqual([
      "First",
      "Second",
      "Under a sub-heading, still actions",
    ]);
    expect(open.actions[0]?.children).toEqual([bullet([text("sub of first")])]);
  });

  it("in the discussion section only chip items are carried: plain bullets there are topics", () => {
    const blocks = [
      heading("Discussion points"),
      bullet([text("A topic")]),
      todo([text("Follow up on hiring")]),
    ];
    expect(openTexts(readBlocks(written(blocks)), ["actions", "discussion"])).toEqual({
      actions: [],
      discussion: ["Follow up on hiring"],
    });
  });

  it("keeps owner, due date, links, styles and nesting of a carried item", () => {
    const item = todo(
      [
        text("Draft "),
        text("plan", { style: { bold: true, italic: true }, link: "https://example.com/p" }),
        text(" "),
        owner,
        text(" "),
        due,
      ],
      [todo([text("outline")], [bullet([text("intro")])], true), bullet([text("note")])],
    );
    const [read] = openItemsOf(readBlocks(written([heading("Action items"), item])), ["actions"]).actions;
    expect(read).toEqual({ ...item, checked: false });
    expect(ownerOf(read?.text ?? [])).toBe("ada@example.com");
    expect(dueDateOf(read?.text ?? [])).toBe("2026-12-04");
  });

  it("reads typed owners and due dates as the words people wrote", () => {
    const [read] = openItemsOf(
      readBlocks(written([heading("Action items"), bullet([text("Call Bo @Ada due 2026-12-04")])])),
      ["actions"],
    ).actions;
    expect(read?.kind).toBe("todo");
    expect(dueDateOf(read?.text ?? [])).toBe("2026-12-04");
    expect(plainText(read?.text ?? [])).toContain("@Ada");
  });

  it("splits a carry mark from text of the same style so it is read as a mark", () => {
    const item = todo([
      text("Plan "),
      text("it ↻ open since 2026-11-03 · carried 1×", { style: { italic: true, color: "gray" } }),
    ]);
    const [read] = openItemsOf(readBlocks(written([heading("Action items"), item])), ["actions"]).actions;
    expect(read?.text.at(-1)).toEqual(
      text(" ↻ open since 2026-11-03 · carried 1×", { style: { italic: true, color: "gray" } }),
    );
  });
});
