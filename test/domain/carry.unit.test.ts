// Carry-forward: which items travel, what they keep, and how their origin and carry count are marked.
import { describe, expect, it } from "vitest";
import type { Agenda, RichText } from "../../src/domain/agenda";
import { plainText } from "../../src/domain/agenda";
import type { TodoBlock } from "../../src/domain/carry";
import { carryForward, markedTodo, readCarryMark, withCarriedItems } from "../../src/domain/carry";

const owner: RichText[number] = {
  kind: "mention",
  text: "@Ada",
  mention: { type: "user", userId: "user-ada" },
};
const due: RichText[number] = {
  kind: "mention",
  text: "2026-11-20",
  mention: { type: "date", start: "2026-11-20" },
};

/** The one element of a list, failing the test when there is not exactly one. */
function only<T>(items: readonly T[]): T {
  const [first, ...rest] = items;
  if (first === undefined || rest.length > 0) throw new Error(`expected one item, got ${items.length}`);
  return first;
}

function todo(text: RichText, children: TodoBlock["children"] = []): TodoBlock {
  return { kind: "todo", text, checked: false, children };
}

describe("carryForward", () => {
  it("gives an item first seen in the previous agenda that agenda as origin, carried once", () => {
    const open = { actions: [todo([{ kind: "text", text: "Write the RFC " }, owner, due])], discussion: [] };
    const [item] = carryForward(open, "2026-11-17", "2026-11-24");
    expect(item?.originDate).toBe("2026-11-17");
    expect(item?.timesCarried).toBe(1);
    expect(item?.ownerUserId).toBe("user-ada");
    // The digest names the owner as the item shows them, without the mention's "@".
    expect(item?.ownerName).toBe("Ada");
    expect(item?.dueDate).toBe("2026-11-20");
    expect(item?.overdue).toBe(true);
  });

  it("keeps the origin of an item carried before and counts one more carry", () => {
    const first = carryForward(
      { actions: [todo([{ kind: "text", text: "Book the offsite" }])], discussion: [] },
      "2026-11-03",
      "2026-11-10",
    );
    const written = first.map(markedTodo);
    const second = carryForward({ actions: written, discussion: [] }, "2026-11-10", "2026-11-17");
    expect(second[0]?.originDate).toBe("2026-11-03");
    expect(second[0]?.timesCarried).toBe(2);
    expect(second[0]?.text).toBe("Book the offsite");
    // Marks never pile up: the text carries exactly one mark after any number of carries.
    const third = carryForward(
      { actions: second.map(markedTodo), discussion: [] },
      "2026-11-17",
      "2026-11-24",
    );
    const marked = plainText(markedTodo(only(third)).text);
    expect(marked).toBe("Book the offsite ↻ open since 2026-11-03 · carried 3×");
  });

  it("is not overdue when the due date is the meeting day or later, and reads a typed due date", () => {
    const open = { actions: [todo([{ kind: "text", text: "Ship it due 2026-11-24" }])], discussion: [] };
    const [item] = carryForward(open, "2026-11-17", "2026-11-24");
    expect(item?.dueDate).toBe("2026-11-24");
    expect(item?.overdue).toBe(false);
  });

  it("keeps rich text and sub-items intact", () => {
    const text: RichText = [
      { kind: "text", text: "Review ", style: { bold: true } },
      { kind: "text", text: "the doc", link: "https://example.com/doc" },
    ];
    const sub = todo([{ kind: "text", text: "Read section 2" }]);
    const [item] = carryForward({ actions: [todo(text, [sub])], discussion: [] }, "2026-11-17", "2026-11-24");
    expect(item?.block.text).toEqual(text);
    expect(item?.block.children).toEqual([sub]);
  });
});

describe("readCarryMark", () => {
  it("leaves text that has no mark alone", () => {
    const text: RichText = [{ kind: "text", text: "Plain item" }];
    expect(readCarryMark(text)).toEqual({ text, originDate: null, timesCarried: 0 });
  });

  it("strips the carry and overdue marks the Worker wrote", () => {
    const item = only(
      carryForward(
        { actions: [todo([{ kind: "text", text: "Late " }, due])], discussion: [] },
        "2026-11-17",
        "2026-11-24",
      ),
    );
    const marked = markedTodo(item);
    expect(plainText(marked.text)).toContain("⚠ overdue");
    const read = readCarryMark(marked.text);
    expect(read.text).toEqual([{ kind: "text", text: "Late " }, due]);
    expect(read.originDate).toBe("2026-11-17");
    expect(read.timesCarried).toBe(1);
  });
});

describe("withCarriedItems", () => {
  const agenda: Agenda = {
    title: "1:1",
    intro: [],
    sections: [
      { heading: [{ kind: "text", text: "Discussion points" }], level: 1, role: "discussion", blocks: [] },
      {
        heading: [{ kind: "text", text: "Action items" }],
        level: 1,
        role: "actions",
        blocks: [{ kind: "paragraph", text: [{ kind: "text", text: "hint" }], children: [] }],
      },
    ],
  };

  it("puts carried actions first under the action-items heading", () => {
    const items = carryForward(
      { actions: [todo([{ kind: "text", text: "A" }])], discussion: [] },
      "2026-11-17",
      "2026-11-24",
    );
    const result = withCarriedItems(agenda, items);
    const actions = result.sections[1]?.blocks ?? [];
    expect(actions.map((block) => block.kind)).toEqual(["todo", "paragraph"]);
    expect(agenda.sections[1]?.blocks).toHaveLength(1);
  });

  it("adds a section rather than dropping items whose section the template lacks", () => {
    const bare: Agenda = { title: "1:1", intro: [], sections: [] };
    const items = carryForward(
      { actions: [], discussion: [todo([{ kind: "text", text: "Career" }])] },
      "2026-11-17",
      "2026-11-24",
    );
    const result = withCarriedItems(bare, items);
    expect(result.sections.map((section) => [plainText(section.heading), section.blocks.length])).toEqual([
      ["Discussion points", 1],
    ]);
  });
});
