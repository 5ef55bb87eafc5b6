// Live sync: the planner against an in-memory pair of agendas. People tick, add, edit and delete items in
// the previous agenda and in the new one, in every order, with sync passes anywhere between; at the
// meeting start the new agenda holds exactly the open set, each item once, nothing a person wrote is lost
// or overwritten, and a pass over nothing new plans nothing.
import { describe, expect, it } from "vitest";
import type { CarryRole, RichText } from "../../src/domain/agenda";
import { plainText, textOf } from "../../src/domain/agenda";
import { carryForward, markedTodo, readCarryMark } from "../../src/domain/carry";
import type { SourceItem, SyncAction, SyncLedgerItem } from "../../src/domain/sync";
import { addedItemId, copiesOf, fingerprintOf, planSync } from "../../src/domain/sync";
import { permutations } from "../support/orders";

const PREVIOUS = "2026-11-24";
const MEETING = "2026-12-01";

/** A block of the new agenda: a copy the Worker placed, or something a person wrote. */
interface Block {
  id: string;
  role: CarryRole | null;
  kind: "copy" | "person";
  text: RichText;
  checked: boolean;
  /** For a copy: the source it was carried from. */
  sourceId?: string;
}

/** Both agendas, the ledger, and what people did to the new agenda (for the assertions). */
interface World {
  source: SourceItem[];
  agenda: Block[];
  ledger: SyncLedgerItem[];
  nextId: number;
  /** Person blocks as their author left them, by id, in the order people put them in. */
  personBlocks: Map<string, RichText>;
  personOrder: string[];
  /** Copies a person edited: their text right after the edit, by block id. */
  personEdits: Map<string, RichText>;
  /** Copies whose checked state a person set last, by block id. */
  personChecked: Map<string, boolean>;
  /** Sources whose copy a person deleted. */
  personDeleted: Set<string>;
  /** Sources deleted from the previous agenda. */
  sourceDeleted: Set<string>;
}

const ada: RichText[number] = {
  kind: "mention",
  text: "@Ada",
  mention: { type: "user", userId: "user-ada" },
};

function sourceText(id: string): RichText {
  if (id === "a") return [{ kind: "text", text: "Send the budget to " }, ada];
  if (id === "b") return textOf("Draft the hiring plan due 2026-11-20");
  return textOf(`Item ${id}`);
}

/** The previous agenda with four open items and one done, and the new agenda as the Worker made it. */
function world(): World {
  const source: SourceItem[] = [
    { id: "a", role: "actions", text: sourceText("a"), checked: false, children: [] },
    { id: "b", role: "actions", text: sourceText("b"), checked: false, children: [] },
    { id: "x", role: "actions", text: textOf("Already done"), checked: true, children: [] },
    {
      id: "c",
      role: "actions",
      text: sourceText("c"),
      checked: false,
      children: [{ kind: "paragraph", text: textOf("notes under c"), children: [] }],
    },
    { id: "d", role: "discussion", text: sourceText("d"), checked: false, children: [] },
  ];
  const agenda: Block[] = [
    { id: "intro", role: null, kind: "person", text: textOf("Agenda for Tuesday"), checked: false },
  ];
  const ledger: SyncLedgerItem[] = [];
  for (const role of ["actions", "discussion"] as const) {
    const open = source.filter((item) => item.role === role && !item.checked);
    const carried = carryForward(
      {
        [role]: open.map((item) => ({
          kind: "todo" as const,
          text: item.text,
          checked: false,
          children: [],
        })),
      },
      PREVIOUS,
      MEETING,
    );
    carried.forEach((item, position) => {
      const from = open[position];
      if (from === undefined) throw new Error("carried more than was open");
      const block = markedTodo(item);
      const id = `copy-${from.id}`;
      agenda.push({ id, role, kind: "copy", text: block.text, checked: false, sourceId: from.id });
      ledger.push({
        itemId: `carried:${role}:${position}`,
        role,
        sourceId: from.id,
        targetId: id,
        sourceFingerprint: fingerprintOf(from.text),
        copyFingerprint: fingerprintOf(block.text),
        closedAt: null,
        keptByPerson: false,
        addedAt: null,
        originDate: item.originDate,
        timesCarried: item.timesCarried,
        text: item.text,
        ownerUserId: item.ownerUserId,
        ownerName: item.ownerName,
        dueDate: item.dueDate,
        overdue: item.overdue,
      });
    });
    agenda.push({ id: `notes-${role}`, role, kind: "person", text: textOf(`Our ${role}`), checked: false });
  }
  return {
    source,
    agenda,
    ledger,
    nextId: 0,
    personBlocks: new Map(agenda.filter((b) => b.kind === "person").map((b) => [b.id, b.text])),
    personOrder: agenda.filter((b) => b.kind === "person").map((b) => b.id),
    personEdits: new Map(),
    personChecked: new Map(),
    personDeleted: new Set(),
    sourceDeleted: new Set(),
  };
}

function copyOf(w: World, sourceId: string): Block | undefined {
  return w.agenda.find((block) => block.kind === "copy" && block.sourceId === sourceId);
}

/** What people do, in either agenda. Each is a no-op when its item is not there (yet, or any more). */
const EVENTS = {
  "tick in previous": (w: World, id: string) => setSource(w, id, (item) => ({ ...item, checked: true })),
  "untick in previous": (w: World, id: string) => setSource(w, id, (item) => ({ ...item, checked: false })),
  "edit in previous": (w: World, id: string) =>
    setSource(w, id, (item) => ({ ...item, text: [...item.text, { kind: "text", text: " (revised)" }] })),
  "add in previous": (w: World, id: string) => {
    if (w.source.some((item) => item.id === id)) return;
    const role: CarryRole = id.startsWith("disc") ? "discussion" : "actions";
    w.source.push({ id, role, text: textOf(`New ${id}`), checked: false, children: [] });
  },
  "delete in previous": (w: World, id: string) => {
    if (!w.source.some((item) => item.id === id)) return;
    w.source = w.source.filter((item) => item.id !== id);
    w.sourceDeleted.add(id);
  },
  "tick in new": (w: World, id: string) => {
    const copy = copyOf(w, id);
    if (copy === undefined || copy.checked) return;
    copy.checked = true;
    w.personChecked.set(copy.id, true);
  },
  "edit in new": (w: World, id: string) => {
    const copy = copyOf(w, id);
    if (copy === undefined) return;
    copy.text = [{ kind: "text", text: "Bo: " }, ...copy.text];
    w.personEdits.set(copy.id, copy.text);
  },
  "add in new": (w: World, id: string) => {
    if (w.personBlocks.has(id)) return;
    const text = textOf(`Bo's own point ${id}`);
    const last = w.agenda.findLastIndex((block) => block.role === "actions");
    w.agenda.splice(last + 1, 0, { id, role: "actions", kind: "person", text, checked: false });
    w.personBlocks.set(id, text);
    w.personOrder = w.agenda.filter((block) => block.kind === "person").map((block) => block.id);
  },
  "delete in new": (w: World, id: string) => {
    const copy = copyOf(w, id);
    if (copy === undefined) return;
    w.agenda = w.agenda.filter((block) => block !== copy);
    w.personDeleted.add(id);
  },
} satisfies Record<string, (w: World, id: string) => void>;

type Event = [keyof typeof EVENTS, string];

function setSource(w: World, id: string, change: (item: SourceItem) => SourceItem): void {
  w.source = w.source.map((item) => (item.id === id ? change(item) : item));
}

/** One sync pass: plan from what both agendas hold now, apply, and record the new copies' ids. */
function pass(w: World, at = "2026-11-25T09:00:00Z"): SyncAction[] {
  const copies = w.agenda.flatMap((block) =>
    block.kind === "copy" && block.role !== null
      ? [{ id: block.id, role: block.role, text: block.text, checked: block.checked }]
      : [],
  );
  const plan = planSync({
    ledger: w.ledger,
    source: w.source,
    copies,
    previousDate: PREVIOUS,
    meetingDate: MEETING,
    at,
  });
  const ledger = plan.ledger.map((entry) => ({ ...entry }));
  // Adds after the same copy go in together, in the order listed: each after the one before it.
  const lastAdded = new Map<string | null, string>();
  for (const action of plan.actions) {
    if (action.kind === "add") {
      const entry = ledger.find((candidate) => candidate.itemId === action.itemId);
      if (entry === undefined) throw new Error(`add of ${action.itemId} has no ledger entry`);
      const id = `added-${w.nextId++}`;
      const block: Block = {
        id,
        role: action.role,
        kind: "copy",
        text: action.block.text,
        checked: false,
        sourceId: entry.sourceId,
      };
      const after = lastAdded.get(action.afterId) ?? action.afterId;
      const at =
        after === null
          ? firstOfSection(w, action.role)
          : w.agenda.findIndex((candidate) => candidate.id === after) + 1;
      if (at === 0) throw new Error(`add after ${after}, which is not in the agenda`);
      w.agenda.splice(at, 0, block);
      lastAdded.set(action.afterId, id);
      entry.targetId = id;
      continue;
    }
    const copy = w.agenda.find((block) => block.id === action.targetId);
    if (copy?.kind !== "copy") throw new Error(`${action.kind} of ${action.targetId}, which is not a copy`);
    if (action.kind === "check") copy.checked = true;
    else if (action.kind === "uncheck") copy.checked = false;
    else copy.text = action.text;
  }
  w.ledger = ledger;
  return plan.actions;
}

function firstOfSection(w: World, role: CarryRole): number {
  const index = w.agenda.findIndex((block) => block.role === role);
  return index === -1 ? w.agenda.length : index;
}

/**
 * What must hold at the meeting start, whatever happened before: the broken rules, by name (none when all
 * hold). Plain comparisons, not `expect`, so that tens of thousands of runs stay quick.
 */
function broken(w: World): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, rule: string) => {
    if (!holds) problems.push(rule);
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // Nothing a person wrote is lost, moved out of order, or changed.
  const people = w.agenda.filter((block) => block.kind === "person");
  check(
    same(
      people.map((block) => block.id),
      w.personOrder,
    ),
    "person blocks kept in order",
  );
  for (const block of people)
    check(same(block.text, w.personBlocks.get(block.id)), `person block ${block.id} as written`);
  for (const [id, text] of w.personEdits) {
    const copy = w.agenda.find((block) => block.id === id);
    if (copy !== undefined) check(same(copy.text, text), `person's edit of ${id} kept`);
  }
  // Each item once.
  const copies = w.agenda.filter((block) => block.kind === "copy");
  const sources = copies.map((block) => block.sourceId);
  check(new Set(sources).size === sources.length, "each item once");
  // Exactly the open set: every open item has its open copy (unless a person closed or removed it), every
  // done item's copy is checked, and a deleted item's copy stays.
  for (const item of w.source) {
    const copy = copyOf(w, item.id);
    if (w.personDeleted.has(item.id)) {
      check(copy === undefined, `${item.id}, deleted by a person, not re-added`);
      continue;
    }
    if (item.checked) {
      if (copy !== undefined) check(copy.checked, `${item.id} done: copy checked`);
      continue;
    }
    if (copy === undefined) {
      problems.push(`${item.id} open: has a copy`);
      continue;
    }
    check(
      copy.checked === (w.personChecked.get(copy.id) ?? false),
      `${item.id} open: copy checked only by a person`,
    );
    if (!w.personEdits.has(copy.id)) {
      check(
        plainText(readCarryMark(copy.text).text) === plainText(item.text),
        `${item.id}: copy follows its text`,
      );
    }
  }
  for (const id of w.sourceDeleted) {
    if (
      !w.personDeleted.has(id) &&
      w.ledger.some((entry) => entry.sourceId === id && entry.targetId !== null)
    ) {
      check(copyOf(w, id) !== undefined, `${id}, deleted in the previous agenda, stays`);
    }
  }
  for (const block of copies) {
    check(
      w.source.some((item) => item.id === block.sourceId) || w.sourceDeleted.has(block.sourceId ?? ""),
      `copy ${block.id} has its item`,
    );
  }
  return problems;
}

/**
 * Every order of `events`, and for each order every choice of where sync passes run (after any event but
 * the last, or not), then a last pass at the meeting start: what must hold holds, and one more pass plans nothing.
 */
function everyOrder(events: readonly Event[]): number {
  let runs = 0;
  const failures: string[] = [];
  for (const order of permutations(events)) {
    // A pass after the last event would only repeat the pass at the meeting start.
    for (let passes = 0; passes < 1 << (order.length - 1); passes += 1) {
      const w = world();
      order.forEach(([kind, id], index) => {
        EVENTS[kind](w, id);
        if ((passes >> index) & 1) pass(w);
      });
      pass(w);
      const problems = broken(w);
      const ledger = JSON.stringify(w.ledger);
      if (pass(w).length > 0 || JSON.stringify(w.ledger) !== ledger)
        problems.push("a pass over nothing new is a no-op");
      // The first few failures are enough to see what broke.
      if (problems.length > 0 && failures.length < 5) {
        const label = order.map(([kind, id]) => `${kind} ${id}`).join(", ");
        failures.push(`${label} (passes after events ${passes.toString(2)}): ${problems.join("; ")}`);
      }
      runs += 1;
    }
  }
  expect(failures).toEqual([]);
  return runs;
}

describe("planSync, every order of what people do on both sides", () => {
  it("ticks, adds and edits on different items", () => {
    const runs = everyOrder([
      ["tick in previous", "a"],
      ["edit in previous", "b"],
      ["add in previous", "n1"],
      ["tick in new", "c"],
      ["edit in new", "d"],
      ["add in new", "p1"],
    ]);
    expect(runs).toBe(720 * 32);
  });

  it("both sides on the same items, and an item ticked then unticked", () => {
    everyOrder([
      ["edit in previous", "a"],
      ["edit in new", "a"],
      ["tick in previous", "a"],
      ["untick in previous", "a"],
      ["tick in new", "b"],
      ["tick in previous", "b"],
    ]);
  });

  it("an item added in the previous agenda, then edited, ticked and reopened there and edited in the new one", () => {
    everyOrder([
      ["add in previous", "n1"],
      ["edit in previous", "n1"],
      ["edit in new", "n1"],
      ["tick in previous", "n1"],
      ["untick in previous", "n1"],
      ["add in previous", "disc-n2"],
    ]);
  });

  it("an item done when the agenda was made reopened, and a ticked copy whose item is edited", () => {
    everyOrder([
      ["untick in previous", "x"],
      ["edit in previous", "x"],
      ["tick in new", "c"],
      ["edit in previous", "c"],
      ["tick in previous", "c"],
      ["add in new", "p1"],
    ]);
  });

  it("items deleted on either side", () => {
    everyOrder([
      ["delete in previous", "a"],
      ["edit in previous", "a"],
      ["delete in new", "b"],
      ["edit in previous", "b"],
      ["tick in previous", "b"],
      ["edit in previous", "c"],
    ]);
  });
});

describe("planSync, one rule at a time", () => {
  it("checks the copy of an item ticked done, and never deletes it", () => {
    const w = world();
    EVENTS["tick in previous"](w, "a");
    const actions = pass(w, "2026-11-26T08:00:00Z");
    expect(actions).toEqual([{ kind: "check", itemId: "carried:actions:0", targetId: "copy-a" }]);
    expect(w.ledger[0]?.closedAt).toBe("2026-11-26T08:00:00Z");
    expect(copyOf(w, "a")?.text).toEqual(
      markedTodo(carryForward({ actions: [todoOf("a")] }, PREVIOUS, MEETING)[0] ?? fail()).text,
    );
  });

  it("adds a new open item once, after the last carried copy of its role, with its sub-items and a mark", () => {
    const w = world();
    w.source.push({
      id: "n1",
      role: "actions",
      text: textOf("Book the offsite"),
      checked: false,
      children: [{ kind: "bullet", text: textOf("two nights"), children: [] }],
    });
    const [add, ...rest] = pass(w);
    expect(rest).toEqual([]);
    expect(add).toMatchObject({ kind: "add", itemId: addedItemId("n1"), role: "actions", afterId: "copy-c" });
    if (add?.kind !== "add") return fail();
    expect(add.block.children).toEqual([{ kind: "bullet", text: textOf("two nights"), children: [] }]);
    expect(plainText(add.block.text)).toBe(`Book the offsite ↻ open since ${PREVIOUS} · carried 1×`);
    expect(pass(w)).toEqual([]);
  });

  it("adds several new items of a role in the order the previous agenda has them", () => {
    const w = world();
    EVENTS["add in previous"](w, "n1");
    EVENTS["add in previous"](w, "disc-n2");
    EVENTS["add in previous"](w, "n3");
    expect(pass(w)).toMatchObject([
      { kind: "add", itemId: addedItemId("n1"), afterId: "copy-c" },
      { kind: "add", itemId: addedItemId("disc-n2"), afterId: "copy-d" },
      { kind: "add", itemId: addedItemId("n3"), afterId: "copy-c" },
    ]);
    expect(w.agenda.map((block) => block.sourceId ?? block.id)).toEqual([
      "intro",
      "a",
      "b",
      "c",
      "n1",
      "n3",
      "notes-actions",
      "d",
      "disc-n2",
      "notes-discussion",
    ]);
  });

  it("puts a new item first in its section when no carried copy of its role is left", () => {
    const w = world();
    EVENTS["delete in new"](w, "d");
    EVENTS["add in previous"](w, "disc-n");
    expect(pass(w)).toMatchObject([{ kind: "add", role: "discussion", afterId: null }]);
    expect(w.agenda.findIndex((block) => block.sourceId === "disc-n")).toBe(
      w.agenda.findIndex((block) => block.id === "notes-discussion") - 1,
    );
  });

  it("rewrites an unchanged copy with the source's new owner and due date, keeping its mark", () => {
    const w = world();
    setSource(w, "b", (item) => ({
      ...item,
      text: [
        { kind: "text", text: "Draft the hiring plan " },
        ada,
        { kind: "mention", text: "2026-12-05", mention: { type: "date", start: "2026-12-05" } },
      ],
    }));
    const [update] = pass(w);
    expect(update?.kind).toBe("update");
    expect(plainText(copyOf(w, "b")?.text ?? [])).toBe(
      `Draft the hiring plan @Ada2026-12-05 ↻ open since ${PREVIOUS} · carried 1×`,
    );
    expect(w.ledger[1]).toMatchObject({ ownerUserId: "user-ada", dueDate: "2026-12-05", overdue: false });
  });

  it("keeps a person's copy when the source changes too, and says so once", () => {
    const w = world();
    EVENTS["edit in new"](w, "a");
    EVENTS["edit in previous"](w, "a");
    expect(pass(w)).toEqual([]);
    expect(w.ledger[0]).toMatchObject({
      keptByPerson: true,
      sourceFingerprint: fingerprintOf(w.source[0]?.text ?? []),
    });
    const ledger = w.ledger;
    expect(pass(w)).toEqual([]);
    expect(w.ledger).toEqual(ledger);
  });

  it("does not count a carry mark a person removed as an edit", () => {
    const w = world();
    const copy = copyOf(w, "c");
    if (copy === undefined) return fail();
    copy.text = readCarryMark(copy.text).text;
    EVENTS["edit in previous"](w, "c");
    expect(pass(w)).toMatchObject([{ kind: "update", targetId: "copy-c" }]);
  });

  it("unchecks a copy the Worker checked when its item is reopened, but never a copy a person ticked", () => {
    const w = world();
    EVENTS["tick in previous"](w, "a");
    EVENTS["tick in new"](w, "b");
    EVENTS["tick in previous"](w, "b");
    expect(pass(w)).toEqual([{ kind: "check", itemId: "carried:actions:0", targetId: "copy-a" }]);
    EVENTS["untick in previous"](w, "a");
    EVENTS["untick in previous"](w, "b");
    expect(pass(w)).toEqual([{ kind: "uncheck", itemId: "carried:actions:0", targetId: "copy-a" }]);
    expect(copyOf(w, "b")?.checked).toBe(true);
  });

  it("leaves a copy a person reopened open, while its item stays done", () => {
    const w = world();
    EVENTS["tick in previous"](w, "a");
    pass(w);
    const copy = copyOf(w, "a");
    if (copy === undefined) return fail();
    copy.checked = false;
    expect(pass(w)).toEqual([]);
    expect(copy.checked).toBe(false);
  });

  it("never re-adds a copy a person deleted, whatever its item does after", () => {
    const w = world();
    EVENTS["delete in new"](w, "a");
    EVENTS["edit in previous"](w, "a");
    EVENTS["untick in previous"](w, "a");
    expect(pass(w)).toEqual([]);
    EVENTS["tick in previous"](w, "a");
    expect(pass(w)).toEqual([]);
    expect(copyOf(w, "a")).toBeUndefined();
  });

  it("leaves the copy of an item deleted from the previous agenda as it is", () => {
    const w = world();
    const before = copyOf(w, "b")?.text;
    EVENTS["delete in previous"](w, "b");
    expect(pass(w)).toEqual([]);
    expect(copyOf(w, "b")?.text).toEqual(before);
  });

  it("matches copies whose ids are not known yet by what the Worker wrote, then an edited one by its place", () => {
    const w = world();
    w.ledger = w.ledger.map((entry) => ({ ...entry, targetId: null }));
    EVENTS["edit in new"](w, "b");
    const edited = copyOf(w, "b")?.text;
    EVENTS["tick in previous"](w, "a");
    EVENTS["tick in previous"](w, "b");
    EVENTS["edit in previous"](w, "b");
    expect(pass(w)).toEqual([
      { kind: "check", itemId: "carried:actions:0", targetId: "copy-a" },
      { kind: "check", itemId: "carried:actions:1", targetId: "copy-b" },
    ]);
    expect(w.ledger.map((entry) => entry.targetId)).toEqual(["copy-a", "copy-b", "copy-c", "copy-d"]);
    // Ticked, and still in the person's words.
    expect(copyOf(w, "b")).toMatchObject({ checked: true, text: edited });
    expect(w.ledger[1]?.keptByPerson).toBe(true);
  });

  it("leaves an edited copy alone when a copy was deleted too and which is which cannot be told", () => {
    const w = world();
    w.ledger = w.ledger.map((entry) => ({ ...entry, targetId: null }));
    EVENTS["delete in new"](w, "a");
    EVENTS["edit in new"](w, "b");
    EVENTS["tick in previous"](w, "a");
    EVENTS["tick in previous"](w, "b");
    expect(pass(w)).toEqual([]);
    expect(w.ledger.map((entry) => entry.targetId)).toEqual([null, null, "copy-c", "copy-d"]);
    expect(copyOf(w, "b")?.checked).toBe(false);
  });

  it("adds again an item whose add never reached the agenda, and only while it is open", () => {
    const w = world();
    EVENTS["add in previous"](w, "n1");
    const plan = planSync({
      ledger: w.ledger,
      source: w.source,
      copies: [],
      previousDate: PREVIOUS,
      meetingDate: MEETING,
      at: "2026-11-25T09:00:00Z",
    });
    // The pass crashed after planning: its ledger was saved, its add was not applied.
    w.ledger = plan.ledger;
    expect(pass(w)).toMatchObject([{ kind: "add", itemId: addedItemId("n1"), afterId: "copy-c" }]);
    expect(w.agenda.filter((block) => block.sourceId === "n1")).toHaveLength(1);
    expect(pass(w)).toEqual([]);
  });

  it("fingerprints what a person sees: not the carry mark, not trailing space", () => {
    const marked = markedTodo(carryForward({ actions: [todoOf("a")] }, PREVIOUS, MEETING)[0] ?? fail()).text;
    expect(fingerprintOf(marked)).toBe(fingerprintOf(sourceText("a")));
    expect(fingerprintOf(textOf("Item a "))).toBe(fingerprintOf(textOf("Item a")));
    expect(fingerprintOf(textOf("Item a."))).not.toBe(fingerprintOf(textOf("Item a")));
    // The same words naming another person, or another date, are another item.
    const bo: RichText[number] = {
      kind: "mention",
      text: "@Ada",
      mention: { type: "user", userId: "user-bo" },
    };
    expect(fingerprintOf([{ kind: "text", text: "Send the budget to " }, bo])).not.toBe(
      fingerprintOf(sourceText("a")),
    );
  });
});

describe("planSync over a six-day lead time", () => {
  it("follows the previous agenda through a pass every 15 minutes from agenda creation to meeting start", () => {
    const w = world();
    const start = Date.parse("2026-11-24T11:00:00Z");
    const quarter = 15 * 60_000;
    const passes = (6 * 24 * 60) / 15;
    // What people do, by pass: day 1 to day 6 before the meeting, on both sides.
    const script = new Map<number, Event[]>([
      [3, [["tick in previous", "a"]]],
      [
        100,
        [
          ["add in previous", "n1"],
          ["edit in new", "c"],
        ],
      ],
      [101, [["edit in previous", "n1"]]],
      [
        250,
        [
          ["edit in previous", "c"],
          ["add in new", "p1"],
        ],
      ],
      [300, [["untick in previous", "a"]]],
      [
        420,
        [
          ["tick in new", "n1"],
          ["edit in previous", "d"],
          ["add in previous", "disc-n2"],
        ],
      ],
      [575, [["tick in previous", "b"]]],
    ]);
    let busyPasses = 0;
    for (let index = 0; index < passes; index += 1) {
      const events = script.get(index) ?? [];
      for (const [kind, id] of events) EVENTS[kind](w, id);
      const actions = pass(w, new Date(start + index * quarter).toISOString());
      if (actions.length > 0) busyPasses += 1;
      // A quiet quarter costs nothing to write.
      if (events.length === 0) expect(actions, `pass ${index}`).toEqual([]);
    }
    expect(broken(w)).toEqual([]);
    expect(busyPasses).toBe(6);
    expect(copyOf(w, "a")?.checked).toBe(false);
    expect(copyOf(w, "b")?.checked).toBe(true);
    expect(copyOf(w, "n1")?.checked).toBe(true);
    expect(plainText(readCarryMark(copyOf(w, "n1")?.text ?? []).text)).toBe("New n1 (revised)");
    expect(w.ledger.find((entry) => entry.sourceId === "c")?.keptByPerson).toBe(true);
    expect(w.agenda.map((block) => block.id)).toEqual([
      "intro",
      "copy-a",
      "copy-b",
      "copy-c",
      "added-0",
      "notes-actions",
      "p1",
      "copy-d",
      "added-1",
      "notes-discussion",
    ]);
  });
});

function todoOf(id: string) {
  return { kind: "todo" as const, text: sourceText(id), checked: false, children: [] };
}

function fail(): never {
  throw new Error("unexpected shape");
}

describe("copiesOf", () => {
  const todo = (id: string, text: RichText): SourceItem => ({
    id,
    role: "actions",
    text,
    checked: false,
    children: [],
  });
  const [carried] = carryForward(
    { actions: [{ kind: "todo", text: textOf("Ship it"), checked: false, children: [] }] },
    PREVIOUS,
    MEETING,
  );
  if (carried === undefined) throw new Error("nothing carried");
  const marked = markedTodo(carried).text;

  it("takes the to-dos that carry a mark and those the ledger names, never a person's own", () => {
    const entry = (itemId: string, targetId: string | null): SyncLedgerItem => ({
      itemId,
      role: "actions",
      sourceId: `src-${itemId}`,
      targetId,
      sourceFingerprint: "",
      copyFingerprint: "",
      closedAt: null,
      keptByPerson: false,
      addedAt: null,
      originDate: PREVIOUS,
      timesCarried: 1,
      text: "",
      ownerUserId: null,
      ownerName: null,
      dueDate: null,
      overdue: false,
    });
    const ledger = [entry("a", "unmarked-copy"), entry("b", null)];
    const copies = copiesOf(
      [
        todo("mine", textOf("My own item")),
        todo("copy", marked),
        todo("unmarked-copy", textOf("Mark removed")),
      ],
      ledger,
    );
    expect(copies.map((copy) => copy.id)).toEqual(["copy", "unmarked-copy"]);
    expect(copies[0]).toEqual({ id: "copy", role: "actions", text: marked, checked: false });
  });
});
