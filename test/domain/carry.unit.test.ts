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

describe("the source block id", () => {
  it("stays on the carried item for the ledger, and is not written on the copy", () => {
    const item = only(
      carryForward(
        { actions: [{ ...todo([{ kind: "text", text: "Ship it" }]), id: "block-1" }], discussion: [] },
        "2026-11-17",
        "2026-11-24",
      ),
    );
    expect(item.block.id).toBe("block-1");
    expect(markedTodo(item)).not.toHaveProperty("id");
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

describe("the parking lot (carry.maxTimes)", () => {
  const text = (words: string): RichText => [{ kind: "text", text: words }];
  /** An item as the Worker wrote it after `times` carries since 2026-10-06. */
  const carried = (words: string, times: number, children: TodoBlock["children"] = []) =>
    todo([...text(words), { kind: "text", text: ` ↻ open since 2026-10-06 · carried ${times}×` }], children);

  it("keeps an item carried exactly maxTimes in its section and parks it one carry later", () => {
    const items = carryForward(
      { actions: [carried("At the limit", 2), carried("Over the limit", 3)], discussion: [] },
      "2026-11-17",
      "2026-11-24",
      { maxTimes: 3 },
    );
    expect(items.map((item) => [item.text, item.timesCarried, item.role])).toEqual([
      ["At the limit", 3, "actions"],
      ["Over the limit", 4, "parked"],
    ]);
  });

  it("parks a discussion point over the limit too", () => {
    const [item] = carryForward(
      { actions: [], discussion: [carried("Career path", 1)] },
      "2026-11-17",
      "2026-11-24",
      { maxTimes: 1 },
    );
    expect(item?.role).toBe("parked");
  });

  it("moves nothing without a limit", () => {
    const items = carryForward({ actions: [carried("Forever", 40)] }, "2026-11-17", "2026-11-24");
    expect(items.map((item) => item.role)).toEqual(["actions"]);
  });

  it("keeps a parked item parked, open, counting, with its text and sub-items, whatever the limit", () => {
    const sub = todo(text("a sub-step"));
    const rich: RichText = [{ kind: "text", text: "Rewrite onboarding", style: { bold: true } }, owner];
    const parked = todo([...rich, { kind: "text", text: " ↻ open since 2026-10-06 · carried 5×" }], [sub]);
    for (const rule of [{}, { maxTimes: 52 }, { maxTimes: 1 }]) {
      const item = only(
        carryForward({ parked: [{ ...parked, checked: true }] }, "2026-11-17", "2026-11-24", rule),
      );
      expect(item.role).toBe("parked");
      expect(item.timesCarried).toBe(6);
      expect(item.originDate).toBe("2026-10-06");
      expect(item.block.checked).toBe(false);
      expect(item.block.text).toEqual(rich);
      expect(item.block.children).toEqual([sub]);
      expect(item.ownerName).toBe("Ada");
    }
  });

  it("lists the items already parked before those parked now", () => {
    const items = carryForward(
      { actions: [carried("Newly parked", 2)], parked: [carried("Long parked", 8)] },
      "2026-11-17",
      "2026-11-24",
      { maxTimes: 2 },
    );
    expect(items.map((item) => item.text)).toEqual(["Long parked", "Newly parked"]);
  });

  const template: Agenda = {
    title: "1:1",
    intro: [],
    sections: [
      { heading: text("Action items"), level: 1, role: "actions", blocks: [] },
      { heading: text("Notes"), level: 1, role: null, blocks: [] },
    ],
  };

  it("writes the parking lot as the last section, marked like any carried item", () => {
    const items = carryForward(
      { actions: [carried("Stays", 1), carried("Parks", 2)], discussion: [carried("Topic", 0)] },
      "2026-11-17",
      "2026-11-24",
      { maxTimes: 2 },
    );
    const result = withCarriedItems(template, items);
    expect(result.sections.map((section) => [plainText(section.heading), section.role])).toEqual([
      ["Action items", "actions"],
      ["Notes", null],
      ["Discussion points", "discussion"],
      ["Parking lot", "parked"],
    ]);
    expect(
      result.sections.at(-1)?.blocks.map((block) => (block.kind === "todo" ? plainText(block.text) : "")),
    ).toEqual(["Parks ↻ open since 2026-10-06 · carried 3×"]);
  });

  it("writes no parking lot when nothing is parked", () => {
    const items = carryForward({ actions: [carried("Stays", 1)] }, "2026-11-17", "2026-11-24", {
      maxTimes: 2,
    });
    expect(withCarriedItems(template, items).sections.map((section) => section.role)).toEqual([
      "actions",
      null,
    ]);
  });

  it("puts parked items under the template's own parking-lot heading", () => {
    const own: Agenda = {
      ...template,
      sections: [
        { heading: text("🅿️ Parking lot"), level: 2, role: "parked", blocks: [] },
        ...template.sections,
      ],
    };
    const items = carryForward({ parked: [carried("Parked", 4)] }, "2026-11-17", "2026-11-24");
    const result = withCarriedItems(own, items);
    expect(result.sections).toHaveLength(3);
    expect(result.sections[0]?.blocks).toHaveLength(1);
  });
});
