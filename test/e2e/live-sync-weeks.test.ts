// Simulated weeks of live sync through the real Worker and its cron trigger, against the Notion emulator.
// After a new agenda is made, people tick, untick, add and edit items in the previous agenda, and tick,
// edit, delete and write their own blocks in the new one, in every order of a few chosen sets of actions,
// with ticks between some of them; at the meeting start the new agenda must hold exactly the open set,
// each item once, and everything a person wrote. Then a pair whose agenda is made six days ahead (right
// after the previous meeting) is followed over three weeks. All pairs of a test share one database, told
// apart by a Pair property, so a tick asks Notion once for all of them.
import { afterEach, describe, expect, inject, it } from "vitest";
import type { SeedPageSpec } from "../../emulators/notion/control";
import {
  date,
  heading,
  notionControl,
  paragraph,
  richText,
  title,
  todo,
} from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { labelOf, plainOf, type RichItem, sectionTodos, type TreeTodo } from "../support/agenda-tree";
import { permutations, stepsOf } from "../support/orders";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
const QUARTER = 15 * 60 * 1000;

// The tests of this file share D1, and a tick looks at every pair: each test's pairs go when it ends.
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0)) await cleanUp();
});

/** One integration and database for a test; the emulator never makes it wait. */
async function workspace(name: string, pages: SeedPageSpec[]) {
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: name,
    properties: { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } },
    pages,
  });
  const testEnv = envFor(inject("notionUrl"), integration.token);
  return {
    token: integration.token,
    dataSourceId: db.dataSourceId,
    pageIds: db.pages.map((page) => page.id),
    testEnv,
  };
}

function pairOf(id: string, dataSourceId: string, schedule: Partial<PairInput["schedule"]> = {}): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: {
      timeZone: "Europe/Berlin",
      time: "10:00",
      cadence: { kind: "weekly", weekday: "tuesday" },
      ...schedule,
    },
    destination: { kind: "notion", dataSourceId, pairProperty: { name: "Pair" } },
  };
}

async function addPairs(testEnv: Env, inputs: readonly PairInput[]): Promise<void> {
  for (const input of inputs) {
    const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(created.status, await created.clone().text()).toBe(201);
  }
  cleanUps.push(async () => {
    for (const input of inputs) await admin(testEnv, `/pairs/${input.id}`, { method: "DELETE" });
  });
}

interface MeetingView {
  date: string;
  status: string;
  agendaId: string | null;
  carried: { text: string; closedAt: string | null; addedAt: string | null; keptByPerson: boolean }[];
}

async function meetingOf(testEnv: Env, pairId: string, meetingDate: string): Promise<MeetingView> {
  const response = await admin(testEnv, `/pairs/${pairId}/meetings`);
  const { meetings } = (await response.json()) as { meetings: MeetingView[] };
  const meeting = meetings.find((candidate) => candidate.date === meetingDate);
  if (meeting === undefined) throw new Error(`${pairId}: no meeting on ${meetingDate}`);
  return meeting;
}

async function agendaOf(testEnv: Env, pairId: string, meetingDate: string): Promise<string> {
  const meeting = await meetingOf(testEnv, pairId, meetingDate);
  expect(meeting.status, `${pairId} ${meetingDate}`).toBe("created");
  if (meeting.agendaId === null) throw new Error(`${pairId}: no agenda for ${meetingDate}`);
  return meeting.agendaId;
}

/** The action items of a page as a person sees them: box and words (carry marks left out). */
async function actionItems(pageId: string): Promise<TreeTodo[]> {
  return sectionTodos(await emu.blockTree(pageId), "actions").todos;
}

const isCopy = (item: TreeTodo) => item.text.includes("↻ open since");
const shown = (item: { checked: boolean; label: string }) => `${item.checked ? "[x]" : "[ ]"} ${item.label}`;
const shownTodo = (item: TreeTodo) => shown({ checked: item.checked, label: labelOf(item) });

/** A person rewrites a copy's words in the Notion app: the Worker's carry mark, a run of its own, stays. */
async function rewriteWords(pageId: string, blockId: string, words: string): Promise<void> {
  const item = (await actionItems(pageId)).find((candidate) => candidate.id === blockId);
  if (item === undefined) throw new Error(`no to-do ${blockId}`);
  const [, ...rest] = item.richText;
  const runOf = (content: string, run?: RichItem) => ({
    text: { content },
    annotations: { bold: run?.annotations?.bold === true, italic: run?.annotations?.italic === true },
  });
  // BlockUpdate omits a key from a union, which keeps only the keys every block type shares.
  const update: Record<string, unknown> = {
    to_do: { rich_text: [runOf(words), ...rest.map((run) => runOf(run.plain_text, run))] },
  };
  await emu.editBlock(blockId, update);
}

// ---- every order of a few sets of person actions -------------------------------------------------

const WORDS = {
  plan: "Write the plan",
  firstPlan: "Write the first plan",
  planWithBo: "Write the plan with Bo",
  room: "Book the room",
  budget: "Ask for budget",
  budgetByFriday: "Ask for the budget by Friday",
  licence: "Renew the licence",
  notes: "Send the notes",
  ownNote: "Bo: the offsite moved to March, so the plan can wait a week",
  ownTodo: "Bo: bring the demo",
} as const;

/** The Tuesday 2026-12-08 10:00 (Berlin) meeting; its agenda is made a day ahead. */
const MEETING = "2026-12-08";
const MEETING_STARTS = Date.parse("2026-12-08T09:00:00Z");
const MADE = Date.parse("2026-12-07T09:30:00Z");

interface Run {
  pairId: string;
  previousId: string;
  agendaId: string;
  /** Blocks of the previous agenda: A, B, C open and D done when the agenda was made; E once added. */
  source: { a: string; b: string; c: string; d: string; e?: string };
  /** The Worker's copies of A, B and C in the new agenda. */
  copies: { a: string; b: string; c: string };
}

type ActionName =
  | "tick source A"
  | "tick source B"
  | "untick source B"
  | "untick source D"
  | "add source E"
  | "edit source A"
  | "edit source C"
  | "edit copy A"
  | "tick copy A"
  | "tick copy C"
  | "delete copy A"
  | "delete copy B"
  | "write own blocks";

const ACTIONS: Record<ActionName, (run: Run) => Promise<unknown>> = {
  "tick source A": (run) => emu.tickTodo(run.source.a),
  "tick source B": (run) => emu.tickTodo(run.source.b),
  "untick source B": (run) => emu.tickTodo(run.source.b, false),
  "untick source D": (run) => emu.tickTodo(run.source.d, false),
  "add source E": async (run) => {
    const [added] = await emu.addBlocks(run.previousId, [todo(WORDS.notes)], { after: run.source.c });
    if (added === undefined) throw new Error("E was not added");
    run.source.e = added.id;
  },
  "edit source A": (run) => emu.editText(run.source.a, "to_do", WORDS.firstPlan),
  "edit source C": (run) => emu.editText(run.source.c, "to_do", WORDS.budgetByFriday),
  "edit copy A": (run) => rewriteWords(run.agendaId, run.copies.a, WORDS.planWithBo),
  "tick copy A": (run) => emu.tickTodo(run.copies.a),
  "tick copy C": (run) => emu.tickTodo(run.copies.c),
  "delete copy A": (run) => emu.deleteBlock(run.copies.a),
  "delete copy B": (run) => emu.deleteBlock(run.copies.b),
  // Right after the Worker's last copy, where the Worker adds items too.
  "write own blocks": (run) =>
    emu.addBlocks(run.agendaId, [paragraph(WORDS.ownNote), todo(WORDS.ownTodo)], { after: run.copies.c }),
};

/** Chosen so that each set has actions on both agendas that meet on the same items. */
const SETS: ActionName[][] = [
  // Both sides of one item: the source edited and ticked, the copy rewritten by a person.
  ["edit source A", "edit copy A", "tick source A", "write own blocks"],
  // A new item and a reopened one are added once; a person's deletion stands whatever the source does.
  ["add source E", "untick source D", "delete copy B", "tick source B"],
  // Ticked and unticked again (the order decides); a deleted copy is not brought back by an edit.
  ["tick source B", "untick source B", "delete copy A", "edit source A"],
  // A person's tick and own blocks beside the Worker's add and rewrite.
  ["write own blocks", "add source E", "edit source C", "tick copy C"],
];

/** What each agenda must show at the meeting start after `order`, worked out from the rules alone. */
function expectedAfter(order: readonly ActionName[]) {
  const did = (action: ActionName) => order.includes(action);
  const bTicked = did("tick source B") && order.indexOf("tick source B") > order.indexOf("untick source B");
  const previous = [
    { label: did("edit source A") ? WORDS.firstPlan : WORDS.plan, checked: did("tick source A") },
    { label: WORDS.room, checked: bTicked },
    { label: did("edit source C") ? WORDS.budgetByFriday : WORDS.budget, checked: false },
    ...(did("add source E") ? [{ label: WORDS.notes, checked: false }] : []),
    { label: WORDS.licence, checked: !did("untick source D") },
  ];
  const [a, b, c] = previous;
  if (a === undefined || b === undefined || c === undefined) throw new Error("unreachable");
  const copies = [
    ...(did("delete copy A")
      ? []
      : [
          {
            label: did("edit copy A") ? WORDS.planWithBo : a.label,
            checked: a.checked || did("tick copy A"),
          },
        ]),
    ...(did("delete copy B") ? [] : [b]),
    { label: c.label, checked: did("tick copy C") },
    ...(did("untick source D") ? [{ label: WORDS.licence, checked: false }] : []),
    ...(did("add source E") ? [{ label: WORDS.notes, checked: false }] : []),
  ];
  return {
    previous: previous.map(shown),
    copies: copies.map(shown).sort(),
    own: did("write own blocks")
      ? { notes: 1, todos: [shown({ checked: false, label: WORDS.ownTodo })] }
      : { notes: 0, todos: [] },
    // The meetings view: one entry per item carried or added, the added ones said to be.
    view: {
      items: 3 + (did("untick source D") ? 1 : 0) + (did("add source E") ? 1 : 0),
      added: [
        ...(did("untick source D") ? [WORDS.licence] : []),
        ...(did("add source E") ? [WORDS.notes] : []),
      ].sort(),
    },
  };
}

describe("live sync over simulated weeks, Notion", () => {
  // About half a minute alone; far longer on a busy machine, beside the other weeks files.
  it("at the meeting start, the new agenda holds exactly the open set, whatever the order of what people did", {
    timeout: 120_000,
  }, async () => {
    const cases = SETS.flatMap((set, setIndex) =>
      permutations(set).map((order, index) => ({
        pairId: `sync-order-${setIndex}-${index}`,
        order,
        // Every way of placing ticks between the actions, spread over the orders.
        steps: stepsOf(order, index % 2 ** (set.length - 1)),
      })),
    );
    const sentinel = "sync-order-sentinel";
    const seed = (pairId: string): SeedPageSpec => ({
      properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01"), Pair: richText(pairId) },
      // Written at its meeting, long before the next agenda: a look sees it again only once it changes.
      createdTime: "2026-12-01T09:00:00.000Z",
      children: [
        heading(2, "Action items"),
        todo(WORDS.plan),
        todo(WORDS.room),
        todo(WORDS.budget),
        todo(WORDS.licence, true),
      ],
    });
    const space = await workspace("1:1 agendas, every order", [
      seed(sentinel),
      ...cases.map((entry) => seed(entry.pairId)),
    ]);
    // A pair of the same database whose agenda was made earlier: its sync window has the database looked
    // at already when the others' agendas are made, as it is in a workspace that runs every week.
    await addPairs(space.testEnv, [
      pairOf(sentinel, space.dataSourceId, { leadTime: { days: 2 } }),
      ...cases.map((entry) => pairOf(entry.pairId, space.dataSourceId)),
    ]);
    await tick(space.testEnv, Date.parse("2026-12-06T09:00:00Z"));
    await tick(space.testEnv, MADE);

    const runs = await Promise.all(
      cases.map(async (entry, index): Promise<Run & { steps: ActionName[][]; order: ActionName[] }> => {
        const previousId = space.pageIds[index + 1] ?? "";
        const [a, b, c, d] = await actionItems(previousId);
        const agendaId = await agendaOf(space.testEnv, entry.pairId, MEETING);
        const copies = (await actionItems(agendaId)).filter(isCopy);
        const copyOf = (words: string) => copies.find((item) => labelOf(item) === words)?.id;
        const [copyA, copyB, copyC] = [copyOf(WORDS.plan), copyOf(WORDS.room), copyOf(WORDS.budget)];
        if (a === undefined || b === undefined || c === undefined || d === undefined)
          throw new Error(`${entry.pairId}: the previous agenda is not as seeded`);
        if (copyA === undefined || copyB === undefined || copyC === undefined || copies.length !== 3)
          throw new Error(`${entry.pairId}: A, B and C were not carried: ${copies.map(shownTodo)}`);
        return {
          ...entry,
          previousId,
          agendaId,
          source: { a: a.id, b: b.id, c: c.id, d: d.id },
          copies: { a: copyA, b: copyB, c: copyC },
        };
      }),
    );

    const stepCount = Math.max(...runs.map((run) => run.steps.length));
    for (let step = 0; step < stepCount; step += 1) {
      await Promise.all(
        runs.map(async (run) => {
          for (const action of run.steps[step] ?? []) await ACTIONS[action](run);
        }),
      );
      await tick(space.testEnv, MADE + (step + 1) * QUARTER);
    }
    // The meeting starts: from here on the agenda is the people's, and this is what they find.
    await tick(space.testEnv, MEETING_STARTS);

    const failures: string[] = [];
    await Promise.all(
      runs.map(async (run) => {
        const expected = expectedAfter(run.order);
        const tree = await emu.blockTree(run.agendaId);
        const items = sectionTodos(tree, "actions").todos;
        const actual = {
          previous: (await actionItems(run.previousId)).map(shownTodo),
          copies: items.filter(isCopy).map(shownTodo).sort(),
          own: {
            notes: tree.filter((node) => node.type === "paragraph" && plainOf(node) === WORDS.ownNote).length,
            todos: items.filter((item) => !isCopy(item)).map(shownTodo),
          },
          view: await meetingOf(space.testEnv, run.pairId, MEETING).then(({ carried }) => ({
            items: carried.length,
            added: carried.flatMap((item) => (item.addedAt === null ? [] : [item.text])).sort(),
          })),
        };
        const steps = run.steps.map((step) => step.join(", ")).join(" | tick | ");
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          failures.push(
            `${run.pairId}: ${steps}\n  got      ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`,
          );
      }),
    );
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(await emu.violations(space.token)).toEqual([]);
  });
});

// ---- a six-day lead time over three weeks --------------------------------------------------------

/** The to-do of `pageId`'s action items whose words (carry mark left out) are `words`. */
async function todoNamed(pageId: string, words: string): Promise<string> {
  const found = (await actionItems(pageId)).filter((item) => labelOf(item) === words);
  if (found.length !== 1) throw new Error(`${found.length} to-dos "${words}" on ${pageId}`);
  return found[0]?.id ?? "";
}

/** The action items as a person reads them, carry marks included. */
async function readItems(pageId: string): Promise<string[]> {
  return (await actionItems(pageId)).map((item) => `${item.checked ? "[x]" : "[ ]"} ${item.text}`);
}

const at = (iso: string) => Date.parse(iso);

describe("live sync with the agenda made six days ahead, Notion", () => {
  it("over three weeks, what is added and ticked during a meeting and the days after reaches the next agenda", async () => {
    const pairId = "sync-six-days";
    const space = await workspace("1:1 agendas, six days ahead", [
      {
        properties: { Name: title("1:1 2026-11-24"), Date: date("2026-11-24"), Pair: richText(pairId) },
        createdTime: "2026-11-24T09:30:00.000Z",
        children: [
          heading(2, "Action items"),
          todo(WORDS.plan),
          todo(WORDS.room),
          todo(WORDS.budget),
          todo(WORDS.licence, true),
        ],
      },
    ]);
    const [first] = space.pageIds;
    if (first === undefined) throw new Error("not seeded");
    // Tuesdays 10:00 in Berlin (09:00Z), each agenda made the day after the meeting before it.
    await addPairs(space.testEnv, [pairOf(pairId, space.dataSourceId, { leadTime: { days: 6 } })]);

    // Week 1: the 12-01 agenda is made on 11-25, and follows the 11-24 page through the week.
    await tick(space.testEnv, at("2026-11-25T09:00:00Z"));
    const week1 = await agendaOf(space.testEnv, pairId, "2026-12-01");
    expect((await actionItems(week1)).filter(isCopy).map(shownTodo)).toEqual([
      `[ ] ${WORDS.plan}`,
      `[ ] ${WORDS.room}`,
      `[ ] ${WORDS.budget}`,
    ]);
    await emu.tickTodo(await todoNamed(first, WORDS.room));
    await emu.addBlocks(first, [todo(WORDS.notes)], { after: await todoNamed(first, WORDS.budget) });
    await tick(space.testEnv, at("2026-11-26T10:00:00Z"));
    await emu.editText(await todoNamed(first, WORDS.budget), "to_do", WORDS.budgetByFriday);
    await emu.addBlocks(week1, [todo("Bo: prepare the demo")], {
      after: await todoNamed(week1, WORDS.notes),
    });
    await tick(space.testEnv, at("2026-11-28T10:00:00Z"));
    await emu.tickTodo(await todoNamed(first, WORDS.plan));
    await tick(space.testEnv, at("2026-11-30T10:00:00Z"));
    await tick(space.testEnv, at("2026-12-01T09:00:00Z"));
    expect(await readItems(week1)).toEqual([
      "[x] Write the plan ↻ open since 2026-11-24 · carried 1×",
      "[x] Book the room ↻ open since 2026-11-24 · carried 1×",
      "[ ] Ask for the budget by Friday ↻ open since 2026-11-24 · carried 1×",
      "[ ] Send the notes ↻ open since 2026-11-24 · carried 1×",
      "[ ] Bo: prepare the demo",
    ]);

    // The 12-01 meeting: in its agenda one item is done and one added. The 11-24 page no longer counts:
    // the 12-01 meeting has started, so a tick there stays there.
    await emu.tickTodo(await todoNamed(week1, WORDS.budgetByFriday));
    await emu.addBlocks(week1, [todo("Draft the offsite agenda")], {
      after: await todoNamed(week1, "Bo: prepare the demo"),
    });
    await emu.tickTodo(await todoNamed(first, WORDS.notes));
    await tick(space.testEnv, at("2026-12-01T09:15:00Z"));
    expect(await readItems(week1)).toContain("[ ] Send the notes ↻ open since 2026-11-24 · carried 1×");

    // Week 2: the 12-08 agenda, made on 12-02, carries what the meeting left open.
    await tick(space.testEnv, at("2026-12-02T09:00:00Z"));
    const week2 = await agendaOf(space.testEnv, pairId, "2026-12-08");
    expect(await readItems(week2)).toEqual([
      "[ ] Send the notes ↻ open since 2026-11-24 · carried 2×",
      "[ ] Bo: prepare the demo ↻ open since 2026-12-01 · carried 1×",
      "[ ] Draft the offsite agenda ↻ open since 2026-12-01 · carried 1×",
    ]);
    // The days after: the 12-01 agenda is ticked, added to and edited; a person rewrites a copy in the
    // 12-08 agenda and its item is edited after; a person's note goes under the items.
    await emu.tickTodo(await todoNamed(week1, "Bo: prepare the demo"));
    await emu.addBlocks(week1, [todo("Book the offsite venue")], {
      after: await todoNamed(week1, "Draft the offsite agenda"),
    });
    await tick(space.testEnv, at("2026-12-03T10:00:00Z"));
    await emu.editText(
      await todoNamed(week1, "Draft the offsite agenda"),
      "to_do",
      "Draft the offsite agenda with Ada",
    );
    await rewriteWords(week2, await todoNamed(week2, WORDS.notes), "Send the notes to the team");
    await emu.addBlocks(week2, [paragraph(WORDS.ownNote)], {
      after: await todoNamed(week2, "Draft the offsite agenda"),
    });
    await tick(space.testEnv, at("2026-12-05T10:00:00Z"));
    await emu.editText(await todoNamed(week1, WORDS.notes), "to_do", "Send the notes today");
    await tick(space.testEnv, at("2026-12-07T10:00:00Z"));
    await tick(space.testEnv, at("2026-12-08T09:00:00Z"));
    const week2Tree = await emu.blockTree(week2);
    expect(await readItems(week2)).toEqual([
      "[ ] Send the notes to the team ↻ open since 2026-11-24 · carried 2×",
      "[x] Bo: prepare the demo ↻ open since 2026-12-01 · carried 1×",
      "[ ] Draft the offsite agenda with Ada ↻ open since 2026-12-01 · carried 1×",
      "[ ] Book the offsite venue ↻ open since 2026-12-01 · carried 1×",
    ]);
    expect(week2Tree.filter((node) => plainOf(node) === WORDS.ownNote)).toHaveLength(1);
    // The meetings view shows the final set: what was closed, added and kept.
    const view = await meetingOf(space.testEnv, pairId, "2026-12-08");
    expect(
      view.carried.map((item) => [
        item.text,
        item.closedAt !== null,
        item.addedAt !== null,
        item.keptByPerson,
      ]),
    ).toEqual([
      ["Send the notes", false, false, true],
      ["Bo: prepare the demo", true, false, false],
      ["Draft the offsite agenda with Ada", false, false, false],
      ["Book the offsite venue", false, true, false],
    ]);

    // The 12-08 meeting: the venue is booked, the slides are new.
    await emu.tickTodo(await todoNamed(week2, "Book the offsite venue"));
    await emu.addBlocks(week2, [todo("Share the slides")], {
      after: await todoNamed(week2, "Book the offsite venue"),
    });
    await tick(space.testEnv, at("2026-12-08T09:15:00Z"));

    // Week 3: the week after carries the right set, and follows the 12-08 agenda in turn.
    await tick(space.testEnv, at("2026-12-09T09:00:00Z"));
    const week3 = await agendaOf(space.testEnv, pairId, "2026-12-15");
    expect(await readItems(week3)).toEqual([
      "[ ] Send the notes to the team ↻ open since 2026-11-24 · carried 3×",
      "[ ] Draft the offsite agenda with Ada ↻ open since 2026-12-01 · carried 2×",
      "[ ] Share the slides ↻ open since 2026-12-08 · carried 1×",
    ]);
    await emu.tickTodo(await todoNamed(week2, "Share the slides"));
    await tick(space.testEnv, at("2026-12-10T10:00:00Z"));
    await tick(space.testEnv, at("2026-12-15T09:00:00Z"));
    expect(await readItems(week3)).toEqual([
      "[ ] Send the notes to the team ↻ open since 2026-11-24 · carried 3×",
      "[ ] Draft the offsite agenda with Ada ↻ open since 2026-12-01 · carried 2×",
      "[x] Share the slides ↻ open since 2026-12-08 · carried 1×",
    ]);
    expect(await emu.violations(space.token)).toEqual([]);
  });
});
