// Live sync's Notion side against the emulator, through the real SDK: reading both agendas' to-dos with
// their block ids, and each action a pass applies to the new agenda (check, uncheck, update, add after the
// last carried copy, add first in a section, in a folded section, and in a section the agenda lacks).
// Each test has its own integration and database.

import { describe, expect, inject, it } from "vitest";
import {
  type BlockTreeNode,
  date,
  heading,
  notionControl,
  paragraph,
  title,
  todo,
} from "../../../emulators/notion/control";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { notionDestinationSchema } from "../../../src/destinations/notion/config";
import { createNotionDestination } from "../../../src/destinations/notion/destination";
import type { AgendaRef, Destination, MeetingRef } from "../../../src/destinations/types";
import type { Agenda, Block } from "../../../src/domain/agenda";
import { carryForward, markedTodo, withCarriedItems } from "../../../src/domain/carry";
import { copiesOf, type SourceItem } from "../../../src/domain/sync";
import { plainOf } from "../../support/agenda-tree";
import { draftOf } from "../../support/pairs";

const url = inject("notionUrl");
const emu = notionControl(url);

const SCHEMA = { Name: { type: "title" }, Date: { type: "date" } } as const;
const MEETING: MeetingRef = { pairId: "sync-pair", key: "sync-pair/2026-12-08", date: "2026-12-08" };

type Seed = Parameters<typeof emu.seedDatabase>[1]["pages"];

/** A previous agenda with `children`, and the destination of a fresh integration that sees it. */
async function workspace(children: NonNullable<Seed>[number]["children"]) {
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: "1:1 agendas",
    properties: SCHEMA,
    pages: [{ properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") }, children }],
  });
  const client = createNotionClient({ token: integration.token, baseUrl: url, requestsPerSecond: 1000 });
  const notion = createNotionDestination({
    client,
    config: notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId }),
    pairId: "sync-pair",
  });
  return { token: integration.token, notion };
}

function template(): Agenda {
  return {
    title: "1:1 — 2026-12-08",
    intro: [],
    sections: [
      { heading: textOf("Discussion points"), level: 2, role: "discussion", blocks: [] },
      {
        heading: textOf("Action items"),
        level: 2,
        role: "actions",
        blocks: [{ kind: "paragraph", text: textOf("Notes from Alice"), children: [] }],
      },
    ],
  };
}

function textOf(value: string) {
  return [{ kind: "text" as const, text: value }];
}

/** Makes the new agenda as a prepare run does: previous agenda's open items carried, then created. */
async function prepared(notion: Destination) {
  const { previous } = await notion.locate(MEETING);
  if (previous === null) throw new Error("no previous agenda");
  const open = await notion.readOpenItems(previous, ["actions", "discussion"]);
  const carried = carryForward(open, previous.date, MEETING.date);
  const created = await notion.create(MEETING, draftOf(withCarriedItems(template(), carried)));
  return { previous, created, carried };
}

function checkedOf(node: BlockTreeNode): string {
  return node.type === "to_do" ? (node.to_do.checked ? "[x] " : "[ ] ") : "";
}

/** The page as a person sees it: one line per block, indented by depth, to-dos with their box. */
function outline(nodes: readonly BlockTreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${"  ".repeat(depth)}${node.type}: ${checkedOf(node)}${plainOf(node)}`,
    ...outline(node.children ?? [], depth + 1),
  ]);
}

function words(item: SourceItem): string {
  return item.text.map((inline) => inline.text).join("");
}

function readSync(notion: Destination) {
  const read = notion.readSyncItems;
  const apply = notion.applySync;
  if (read === undefined || apply === undefined) throw new Error("the Notion destination cannot sync");
  return {
    read: (agenda: AgendaRef, withChildren?: (id: string) => boolean) =>
      read(agenda, ["actions", "discussion"], withChildren),
    apply: (agenda: AgendaRef, actions: Parameters<typeof apply>[1]) => apply(agenda, actions),
  };
}

const ADDED: Block = { kind: "todo", text: textOf("New item"), checked: false, children: [] };

describe("live sync, Notion: reading", () => {
  it("reads every to-do under carried headings with its id, checked or not, and the Worker's copies", async () => {
    const { token, notion } = await workspace([
      heading(2, "Action items"),
      todo("Write the plan"),
      todo("Book the room", true),
      paragraph("a note"),
      todo("Ask for feedback", false, [todo("draft"), paragraph("under it")]),
      heading(2, "Feedback"),
      todo("not carried"),
    ]);
    const { previous, created, carried } = await prepared(notion);
    const sync = readSync(notion);

    const source = await sync.read(previous, (id) => id !== carried[0]?.block.id);
    expect(source.map((item) => [item.role, words(item), item.checked])).toEqual([
      ["actions", "Write the plan", false],
      ["actions", "Book the room", true],
      ["actions", "Ask for feedback", false],
    ]);
    // The ids are the blocks the ledger recorded when the items were carried.
    expect(source.filter((item) => !item.checked).map((item) => item.id)).toEqual(
      carried.map((item) => item.block.id),
    );
    // Sub-items only where asked for, and only under open to-dos.
    expect(source.map((item) => item.children.length)).toEqual([0, 0, 2]);

    const target = await sync.read(created);
    const copies = copiesOf(target, []);
    expect(copies.map((copy) => [copy.role, copy.text[0]?.text, copy.checked])).toEqual([
      ["actions", "Write the plan", false],
      ["actions", "Ask for feedback", false],
    ]);
    expect(copies.map((copy) => copy.id)).not.toContain(source[0]?.id);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("finds to-dos folded under a carried heading", async () => {
    const { notion } = await workspace([
      heading(2, "Action items", [todo("Folded item"), todo("Done", true)]),
    ]);
    const { previous } = await prepared(notion);
    const source = await readSync(notion).read(previous);
    expect(source.map((item) => [words(item), item.checked])).toEqual([
      ["Folded item", false],
      ["Done", true],
    ]);
  });
});

describe("live sync, Notion: applying", () => {
  it("checks, unchecks and rewrites a copy in place, one call each, nothing else touched", async () => {
    const { token, notion } = await workspace([
      heading(2, "Action items"),
      todo("Write the plan"),
      todo("Book the room"),
    ]);
    const { created, carried } = await prepared(notion);
    const sync = readSync(notion);
    const [plan, room] = copiesOf(await sync.read(created), []);
    if (plan === undefined || room === undefined) throw new Error("copies not found");
    const [carriedPlan] = carried;
    if (carriedPlan === undefined) throw new Error("nothing carried");

    const edited = markedTodo({
      ...carriedPlan,
      block: { ...carriedPlan.block, text: textOf("Write the plan v2") },
    });
    await emu.resetCalls(token);
    await sync.apply(created, [
      { kind: "check", itemId: "a", targetId: room.id },
      { kind: "update", itemId: "b", targetId: plan.id, text: edited.text },
    ]);
    expect(await emu.calls(token)).toEqual({ "PATCH /v1/blocks/:id": 2 });
    expect(outline(await emu.blockTree(created.id))).toEqual([
      "heading_2: Discussion points",
      "heading_2: Action items",
      "to_do: [ ] Write the plan v2 ↻ open since 2026-12-01 · carried 1×",
      "to_do: [x] Book the room ↻ open since 2026-12-01 · carried 1×",
      "paragraph: Notes from Alice",
    ]);

    // Text longer than one to-do holds is not written at all, and said so: cutting it would lose words.
    const tooLong = await sync.apply(created, [
      { kind: "update", itemId: "b", targetId: plan.id, text: textOf("x".repeat(2000 * 101)) },
    ]);
    expect([...tooLong.skipped]).toEqual(["b"]);
    expect(outline(await emu.blockTree(created.id))[2]).toBe(
      "to_do: [ ] Write the plan v2 ↻ open since 2026-12-01 · carried 1×",
    );

    await sync.apply(created, [{ kind: "uncheck", itemId: "a", targetId: room.id }]);
    expect(outline(await emu.blockTree(created.id))[3]).toBe(
      "to_do: [ ] Book the room ↻ open since 2026-12-01 · carried 1×",
    );
    expect(await emu.violations(token)).toEqual([]);
  });

  it("adds items together after the last carried copy of their role, in one call, and returns their ids", async () => {
    const { token, notion } = await workspace([heading(2, "Action items"), todo("Write the plan")]);
    const { created } = await prepared(notion);
    const sync = readSync(notion);
    const [plan] = copiesOf(await sync.read(created), []);
    if (plan === undefined) throw new Error("copy not found");
    await emu.resetCalls(token);
    const second: Block = {
      kind: "todo",
      text: textOf("Second new"),
      checked: false,
      children: [{ kind: "todo", text: textOf("its sub-item"), checked: true, children: [] }],
    };
    const added = await sync.apply(created, [
      { kind: "add", itemId: "added:1", role: "actions", afterId: plan.id, block: ADDED },
      { kind: "add", itemId: "added:2", role: "actions", afterId: plan.id, block: second },
    ]);
    expect(await emu.calls(token)).toEqual({ "PATCH /v1/blocks/:id/children": 1 });
    const tree = await emu.blockTree(created.id);
    expect(outline(tree)).toEqual([
      "heading_2: Discussion points",
      "heading_2: Action items",
      "to_do: [ ] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "to_do: [ ] New item",
      "to_do: [ ] Second new",
      "  to_do: [x] its sub-item",
      "paragraph: Notes from Alice",
    ]);
    expect([...added.added.entries()]).toEqual([
      ["added:1", tree[3]?.id],
      ["added:2", tree[4]?.id],
    ]);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("adds first in a section with no copy, in a folded section, and in a section the agenda lacks", async () => {
    const { token, notion } = await workspace([heading(2, "Action items"), todo("Done already", true)]);
    const { created } = await prepared(notion);
    const sync = readSync(notion);
    await sync.read(created);
    const added = await sync.apply(created, [
      { kind: "add", itemId: "a", role: "actions", afterId: null, block: ADDED },
      {
        kind: "add",
        itemId: "p",
        role: "parked",
        afterId: null,
        block: { ...ADDED, text: textOf("Parked item") },
      },
    ]);
    expect(added.added.size).toBe(2);
    expect(added.skipped.size).toBe(0);
    expect(outline(await emu.blockTree(created.id))).toEqual([
      "heading_2: Discussion points",
      "heading_2: Action items",
      "to_do: [ ] New item",
      "paragraph: Notes from Alice",
      "heading_1: Parking lot",
      "to_do: [ ] Parked item",
    ]);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("adds at the start of a folded section, under its heading, reading the page first if need be", async () => {
    const { token, notion } = await workspace([
      heading(2, "Discussion points", [todo("Folded topic", true)]),
      heading(2, "Action items"),
    ]);
    const { previous } = await notion.locate(MEETING);
    if (previous === null) throw new Error("no previous agenda");
    await emu.resetCalls(token);
    await readSync(notion).apply(previous, [
      { kind: "add", itemId: "a", role: "discussion", afterId: null, block: ADDED },
    ]);
    expect(await emu.calls(token)).toEqual({
      "GET /v1/blocks/:id/children": 2,
      "PATCH /v1/blocks/:id/children": 1,
    });
    expect(outline(await emu.blockTree(previous.id))).toEqual([
      "heading_2: Discussion points",
      "  to_do: [ ] New item",
      "  to_do: [x] Folded topic",
      "heading_2: Action items",
    ]);
    expect(await emu.violations(token)).toEqual([]);
  });
});
