// Simulated weeks of live sync through the real Worker and its cron trigger, against the Google emulator,
// in both Google modes (a running doc, a doc per meeting). After a new agenda is made, people mark items
// Done with their status chip, strike a chip-less one through, reopen, type and reword items in the
// previous agenda, and mark, reword and delete copies and write their own lines in the new one, in every
// order of a few chosen sets of actions, with ticks between some of them; at the meeting start the new
// agenda must hold exactly the open set, each item once, a person's words kept and their own lines intact.
// Each order is its own pair with its own document (running doc) or folder (doc per meeting), which
// starts with a meeting people wrote by hand; the Worker's first agenda takes it over, and the second is
// the one followed. All pairs of a mode share one service account, so a tick asks Drive once for all of
// them. Then a pair whose agenda is made six days ahead (right after the meeting before) is followed
// over three weeks.
import { afterEach, describe, expect, inject, it } from "vitest";
import type { BlockSpec, DocsStructuralElement } from "../../emulators/google/control";
import { googleControl } from "../../emulators/google/control";
import type { PairInput } from "../../src/config/pair";
import {
  actionItemsIn,
  agendaPart,
  deleteParagraph,
  paragraphOfRange,
  pickStatus,
  type ReadItem,
  rewordItem,
  strikeParagraph,
  typeItemAt,
  writeParagraphAt,
} from "../support/docs-people";
import { permutations, stepsOf } from "../support/orders";
import { admin, googleEnvFor, tick } from "../support/worker";

const url = inject("googleUrl");
const emu = googleControl(url);
const QUARTER = 15 * 60 * 1000;
/** The person who edits: docs-people acts as Ada. */
const ADA = "ada@example.com";

// The tests of this file share D1, and a tick looks at every pair: each test's pairs go when it ends.
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0)) await cleanUp();
});

type Mode = "running-doc" | "doc-per-meeting";

interface MeetingView {
  date: string;
  status: string;
  error: string | null;
  agendaId: string | null;
  carried: { text: string; closedAt: string | null; addedAt: string | null; keptByPerson: boolean }[];
}

async function meetingOf(testEnv: Env, pairId: string, meetingDate: string): Promise<MeetingView> {
  const response = await admin(testEnv, `/pairs/${pairId}/meetings`);
  const { meetings } = (await response.json()) as { meetings: MeetingView[] };
  const meeting = meetings.find((candidate) => candidate.date === meetingDate);
  if (meeting === undefined) throw new Error(`${pairId}: no meeting on ${meetingDate}`);
  expect(meeting.status, `${pairId} ${meetingDate}: ${meeting.error}`).toBe("created");
  return meeting;
}

function pairOf(id: string, destination: PairInput["destination"], leadDays?: number): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: ADA },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: {
      timeZone: "Europe/Berlin",
      time: "10:00",
      cadence: { kind: "weekly", weekday: "tuesday" },
      ...(leadDays === undefined ? {} : { leadTime: { days: leadDays } }),
    },
    destination,
  };
}

/** One service account for a test, and the Worker's bindings acting as it. */
async function account(name: string) {
  // A week's work happens here in seconds, so Google's per-minute quotas (which the Worker paces itself
  // to, in real minutes) are off: they would only make this file wait.
  const key = await emu.createServiceAccount({
    name: `${name}-${crypto.randomUUID().slice(0, 8)}`,
    quota: { docsReadsPerMinute: null, docsWritesPerMinute: null, driveRequestsPerMinute: null },
  });
  return { sa: key.client_email, testEnv: googleEnvFor(url, key) };
}

/**
 * Where a pair's agendas live, seeded with a meeting people wrote by hand before the Worker came (taken
 * over by the first agenda): a running doc, or a folder holding that meeting's doc.
 */
async function placeFor(
  mode: Mode,
  sa: string,
  handWritten: { date: string; items: string[] },
): Promise<PairInput["destination"]> {
  const sharedWith = [sa, { principal: ADA, role: "writer" as const }];
  const content: BlockSpec[] = [
    { heading: "Action items", level: 2 },
    ...handWritten.items.map((item): BlockSpec => ({ bullet: item })),
  ];
  if (mode === "running-doc") {
    const doc = await emu.createDocument({
      title: "Ada / Bo 1:1",
      sharedWith,
      content: [{ heading: `📅 ${handWritten.date}`, level: 1 }, ...content],
    });
    return { kind: "google-docs", mode, documentId: doc.documentId };
  }
  const folder = await emu.createFolder({ name: "1:1s", sharedDrive: true, sharedWith });
  await emu.createDocument({ title: `Ada / Bo 1:1 — ${handWritten.date}`, parents: [folder.id], content });
  return { kind: "google-docs", mode, folderId: folder.id };
}

/** Where one meeting's agenda is: its document, and in a running doc the title of its section. */
interface AgendaAt {
  documentId: string;
  section?: string;
}

async function agendaAt(testEnv: Env, pairId: string, meetingDate: string, mode: Mode): Promise<AgendaAt> {
  const meeting = await meetingOf(testEnv, pairId, meetingDate);
  const documentId = (meeting.agendaId ?? "").split("#")[0] ?? "";
  if (documentId === "") throw new Error(`${pairId}: no agenda for ${meetingDate}`);
  return mode === "running-doc" ? { documentId, section: `1:1 · ${meetingDate}` } : { documentId };
}

async function readAgenda(at: AgendaAt): Promise<{ items: ReadItem[]; paragraphs: string[] }> {
  const doc = await emu.document(at.documentId);
  return actionItemsIn(doc, agendaPart(doc, at.section));
}

/** An item as a person sees it: Done or open, and its words. */
const shown = (item: { done: boolean; words: string }) => `${item.done ? "[x]" : "[ ]"} ${item.words}`;

/** The line the Worker's item range `name` names, read now. */
async function lineOf(documentId: string, name: string): Promise<DocsStructuralElement> {
  return paragraphOfRange(await emu.document(documentId), name);
}

/** The one item of `at` whose words are `words`, as read now. */
async function itemIn(at: AgendaAt, words: string): Promise<ReadItem> {
  const found = (await readAgenda(at)).items.filter((item) => item.words === words);
  const [item] = found;
  if (found.length !== 1 || item === undefined)
    throw new Error(`${found.length} items "${words}" in ${JSON.stringify(at)}`);
  return item;
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
  ownItem: "Bo: bring the demo",
} as const;

/** The Tuesday 2026-12-08 10:00 (Berlin) meeting; its agenda is made a day ahead. */
const MEETING = "2026-12-08";
const MEETING_STARTS = Date.parse("2026-12-08T09:00:00Z");
const MADE = Date.parse("2026-12-07T09:30:00Z");

interface Run {
  pairId: string;
  previous: AgendaAt;
  agenda: AgendaAt;
  /**
   * Lines of the previous agenda by the Worker's range names: A, B (status chips, open), C (typed by a
   * person, no chip) and D (chip Done) when the agenda was made.
   */
  source: { a: string; b: string; c: string; d: string };
  /** The Worker's copies of A, B and C in the new agenda. */
  copies: { a: string; b: string; c: string };
}

type ActionName =
  | "tick source A"
  | "tick source B"
  | "untick source B"
  | "untick source D"
  | "strike source C"
  | "unstrike source C"
  | "unchip and strike source B"
  | "add source E"
  | "edit source A"
  | "edit source C"
  | "edit copy A"
  | "tick copy C"
  | "delete copy A"
  | "delete copy B"
  | "write own lines";

const inPrevious = (run: Run, range: string) => lineOf(run.previous.documentId, range);
const inAgenda = (run: Run, range: string) => lineOf(run.agenda.documentId, range);

const ACTIONS: Record<ActionName, (run: Run) => Promise<unknown>> = {
  "tick source A": async (run) =>
    pickStatus(emu, run.previous.documentId, await inPrevious(run, run.source.a), "Done"),
  "tick source B": async (run) =>
    pickStatus(emu, run.previous.documentId, await inPrevious(run, run.source.b), "Done"),
  "untick source B": async (run) =>
    pickStatus(emu, run.previous.documentId, await inPrevious(run, run.source.b), "Open"),
  "untick source D": async (run) =>
    pickStatus(emu, run.previous.documentId, await inPrevious(run, run.source.d), "Open"),
  // C has no chip: struck through, by the documented rule.
  "strike source C": async (run) =>
    strikeParagraph(emu, run.previous.documentId, await inPrevious(run, run.source.c)),
  "unstrike source C": async (run) =>
    strikeParagraph(emu, run.previous.documentId, await inPrevious(run, run.source.c), false),
  // The chip and the space after it deleted, then the line struck through: done, by the rule for items without a status chip.
  "unchip and strike source B": async (run) => {
    const line = await inPrevious(run, run.source.b);
    const start = line.startIndex ?? 0;
    await emu.batchUpdateAs(ADA, run.previous.documentId, [
      { deleteContentRange: { range: { startIndex: start, endIndex: start + 2 } } },
    ]);
    await strikeParagraph(emu, run.previous.documentId, await inPrevious(run, run.source.b));
  },
  // Typed right below C, which is the previous agenda's last item.
  "add source E": async (run) =>
    typeItemAt(emu, run.previous.documentId, (await inPrevious(run, run.source.c)).endIndex, WORDS.notes),
  "edit source A": async (run) =>
    rewordItem(emu, run.previous.documentId, await inPrevious(run, run.source.a), WORDS.firstPlan),
  "edit source C": async (run) =>
    rewordItem(emu, run.previous.documentId, await inPrevious(run, run.source.c), WORDS.budgetByFriday),
  "edit copy A": async (run) =>
    rewordItem(emu, run.agenda.documentId, await inAgenda(run, run.copies.a), WORDS.planWithBo),
  "tick copy C": async (run) =>
    pickStatus(emu, run.agenda.documentId, await inAgenda(run, run.copies.c), "Done"),
  "delete copy A": async (run) =>
    deleteParagraph(emu, run.agenda.documentId, await inAgenda(run, run.copies.a)),
  "delete copy B": async (run) =>
    deleteParagraph(emu, run.agenda.documentId, await inAgenda(run, run.copies.b)),
  // Right after the Worker's last copy, where the Worker adds items too: a note, then an item of their own.
  "write own lines": async (run) => {
    const after = (await inAgenda(run, run.copies.c)).endIndex;
    await typeItemAt(emu, run.agenda.documentId, after, WORDS.ownItem);
    await writeParagraphAt(emu, run.agenda.documentId, after, WORDS.ownNote);
  },
};

/**
 * Chosen so that each set has actions on both agendas that meet on the same items, or both ways of marking
 * an item done. A running doc, where both agendas share one document so every edit in one moves the
 * other's indices, gets one set of four; a doc per meeting, whose pairs cost twice as much to make, gets
 * sets of three. About fifty pairs in all keep the file near a minute on a busy machine.
 */
const SETS: Record<Mode, ActionName[][]> = {
  "running-doc": [
    // Both sides of one item: the source reworded and marked Done, the copy reworded by a person.
    ["edit source A", "edit copy A", "tick source A"],
    // Done and reopened again (the order decides); a person's deletion stands whatever the source does.
    ["tick source B", "untick source B", "delete copy B"],
    // A reopened item is added once; a deleted copy is not brought back by an edit; a copy marked Done.
    ["untick source D", "delete copy A", "edit source A", "tick copy C"],
    // A typed item and a person's own lines beside the Worker's add and rewrite (a strike in the other mode).
    ["write own lines", "add source E", "edit source C"],
    // Struck and unstruck (the order decides), and a chip taken away from a line then struck.
    ["strike source C", "unstrike source C", "unchip and strike source B"],
  ],
  "doc-per-meeting": [
    ["edit source A", "edit copy A", "tick source A"],
    ["tick source B", "untick source B", "delete copy B"],
    ["untick source D", "delete copy A", "edit source A"],
    ["write own lines", "add source E", "strike source C"],
    ["strike source C", "unstrike source C", "unchip and strike source B"],
  ],
};

/** What each agenda must show at the meeting start after `order`, worked out from the rules alone. */
function expectedAfter(order: readonly ActionName[]) {
  const did = (action: ActionName) => order.includes(action);
  const later = (last: ActionName, than: ActionName) =>
    did(last) && order.indexOf(last) > order.indexOf(than);
  const bDone = later("tick source B", "untick source B") || did("unchip and strike source B");
  const a = { words: did("edit source A") ? WORDS.firstPlan : WORDS.plan, done: did("tick source A") };
  const b = { words: WORDS.room, done: bDone };
  const c = {
    words: did("edit source C") ? WORDS.budgetByFriday : WORDS.budget,
    done: later("strike source C", "unstrike source C"),
  };
  const previous = [
    a,
    b,
    { words: WORDS.licence, done: !did("untick source D") },
    c,
    ...(did("add source E") ? [{ words: WORDS.notes, done: false }] : []),
  ];
  const copies = [
    ...(did("delete copy A")
      ? []
      : [{ words: did("edit copy A") ? WORDS.planWithBo : a.words, done: a.done }]),
    ...(did("delete copy B") ? [] : [b]),
    { words: c.words, done: c.done || did("tick copy C") },
    ...(did("untick source D") ? [{ words: WORDS.licence, done: false }] : []),
    ...(did("add source E") ? [{ words: WORDS.notes, done: false }] : []),
  ];
  return {
    previous: previous.map(shown).sort(),
    copies: copies.map(shown).sort(),
    own: did("write own lines")
      ? { notes: 1, items: [shown({ done: false, words: WORDS.ownItem })] }
      : { notes: 0, items: [] },
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

describe.each<Mode>(["running-doc", "doc-per-meeting"])(
  "live sync over simulated weeks, Google %s",
  (mode) => {
    it("at the meeting start, the new agenda holds exactly the open set, whatever the order of what people did", {
      timeout: 120_000,
    }, async () => {
      const { sa, testEnv } = await account(`gweeks-${mode === "running-doc" ? "doc" : "folder"}`);
      const suffix = crypto.randomUUID().slice(0, 6);
      const cases = SETS[mode].flatMap((set, setIndex) =>
        permutations(set).map((order, index) => ({
          pairId: `gsync-${suffix}-${setIndex}-${index}`,
          order,
          // Every way of placing ticks between the actions, spread over the orders.
          steps: stepsOf(order, index % 2 ** (set.length - 1)),
        })),
      );
      const inputs = await Promise.all(
        cases.map(async (entry) =>
          pairOf(
            entry.pairId,
            await placeFor(mode, sa, {
              date: "Tuesday 24 Nov 2026",
              items: [WORDS.plan, WORDS.room, WORDS.licence],
            }),
          ),
        ),
      );
      for (const input of inputs) {
        const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
        expect(created.status, await created.clone().text()).toBe(201);
      }
      cleanUps.push(async () => {
        for (const input of inputs) await admin(testEnv, `/pairs/${input.id}`, { method: "DELETE" });
      });

      // The 12-01 agenda carries the hand-written items with status chips. In its meeting, the licence is
      // marked Done and a new item is typed below the last one, without a chip.
      await tick(testEnv, Date.parse("2026-11-30T09:30:00Z"));
      await Promise.all(
        cases.map(async (entry) => {
          const previous = await agendaAt(testEnv, entry.pairId, "2026-12-01", mode);
          const { items } = await readAgenda(previous);
          const licence = items.find((item) => item.words === WORDS.licence);
          const last = items.at(-1);
          if (licence === undefined || last === undefined)
            throw new Error(`${entry.pairId}: the 12-01 agenda is not as carried`);
          // Typed first: it goes after the licence's line, so the chip's place stays as read.
          await typeItemAt(emu, previous.documentId, last.element.endIndex, WORDS.budget);
          await pickStatus(emu, previous.documentId, licence.element, "Done");
        }),
      );
      await tick(testEnv, MADE);

      const runs = await Promise.all(
        cases.map(async (entry): Promise<Run & (typeof cases)[number]> => {
          const previous = await agendaAt(testEnv, entry.pairId, "2026-12-01", mode);
          const agenda = await agendaAt(testEnv, entry.pairId, MEETING, mode);
          const { items } = await readAgenda(agenda);
          expect(items.map(shown), entry.pairId).toEqual([
            `[ ] ${WORDS.plan}`,
            `[ ] ${WORDS.room}`,
            `[ ] ${WORDS.budget}`,
          ]);
          const before = (await readAgenda(previous)).items;
          const rangeOf = (list: readonly ReadItem[], words: string) => {
            const found = list.filter((item) => item.words === words);
            const name = found[0]?.rangeName;
            if (found.length !== 1 || name === null || name === undefined)
              throw new Error(`${entry.pairId}: ${found.length} items "${words}", or one without a range`);
            return name;
          };
          return {
            ...entry,
            previous,
            agenda,
            source: {
              a: rangeOf(before, WORDS.plan),
              b: rangeOf(before, WORDS.room),
              c: rangeOf(before, WORDS.budget),
              d: rangeOf(before, WORDS.licence),
            },
            copies: {
              a: rangeOf(items, WORDS.plan),
              b: rangeOf(items, WORDS.room),
              c: rangeOf(items, WORDS.budget),
            },
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
        await tick(testEnv, MADE + (step + 1) * QUARTER);
      }
      // The meeting starts: from here on the agenda is the people's, and this is what they find.
      await tick(testEnv, MEETING_STARTS);

      const failures: string[] = [];
      await Promise.all(
        runs.map(async (run) => {
          const expected = expectedAfter(run.order);
          const agenda = await readAgenda(run.agenda);
          const actual = {
            previous: (await readAgenda(run.previous)).items.map(shown).sort(),
            copies: agenda.items
              .filter((item) => item.marked)
              .map(shown)
              .sort(),
            own: {
              notes: agenda.paragraphs.filter((text) => text === WORDS.ownNote).length,
              items: agenda.items.filter((item) => !item.marked).map(shown),
            },
            view: await meetingOf(testEnv, run.pairId, MEETING).then(({ carried }) => ({
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
      expect(await emu.violations(sa)).toEqual([]);
    });
  },
);

// ---- a six-day lead time over three weeks --------------------------------------------------------

const at = (iso: string) => Date.parse(iso);

describe("live sync with the agenda made six days ahead, Google running-doc", () => {
  it("over three weeks, what is added and marked Done during a meeting and the days after reaches the next agenda", async () => {
    const { sa, testEnv } = await account("gweeks-six");
    const pairId = `gsync-six-${crypto.randomUUID().slice(0, 6)}`;
    const doc = await emu.createDocument({
      title: "Ada / Bo 1:1",
      sharedWith: [sa, { principal: ADA, role: "writer" }],
      content: [
        { heading: "📅 Tuesday 24 Nov 2026", level: 1 },
        { heading: "Action items", level: 2 },
        // Done, struck through; first, so what people type below the others is not struck with it.
        { bullet: [{ text: WORDS.licence, strikethrough: true }] },
        { bullet: WORDS.plan },
        { bullet: WORDS.room },
        { bullet: WORDS.budget },
        { heading: "Notes", level: 2 },
        { paragraph: "Talked about the roadmap." },
      ],
    });
    const documentId = doc.documentId;
    const handWritten: AgendaAt = { documentId, section: "Tuesday 24 Nov 2026" };
    const week = (date: string): AgendaAt => ({ documentId, section: `1:1 · ${date}` });
    const input = pairOf(pairId, { kind: "google-docs", mode: "running-doc", documentId }, 6);
    const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(created.status, await created.clone().text()).toBe(201);
    cleanUps.push(async () => {
      await admin(testEnv, `/pairs/${pairId}`, { method: "DELETE" });
    });
    const items = async (agenda: AgendaAt) => (await readAgenda(agenda)).items.map(shown);
    const copies = async (agenda: AgendaAt) =>
      (await readAgenda(agenda)).items.filter((item) => item.marked).map(shown);
    /** A person types an item right below the item `words` of `agenda`. */
    const typeBelow = async (agenda: AgendaAt, words: string, label: string) =>
      typeItemAt(emu, documentId, (await itemIn(agenda, words)).element.endIndex, label);
    const mark = async (agenda: AgendaAt, words: string, option: string) =>
      pickStatus(emu, documentId, (await itemIn(agenda, words)).element, option);
    const strike = async (agenda: AgendaAt, words: string) =>
      strikeParagraph(emu, documentId, (await itemIn(agenda, words)).element);
    const reword = async (agenda: AgendaAt, words: string, next: string) =>
      rewordItem(emu, documentId, (await itemIn(agenda, words)).element, next);

    // Week 1: the 12-01 agenda is made on 11-25, and follows the hand-written 11-24 meeting all week.
    await tick(testEnv, at("2026-11-25T09:00:00Z"));
    expect(await items(week("2026-12-01"))).toEqual([
      `[ ] ${WORDS.plan}`,
      `[ ] ${WORDS.room}`,
      `[ ] ${WORDS.budget}`,
    ]);
    await strike(handWritten, WORDS.room);
    await typeBelow(handWritten, WORDS.budget, WORDS.notes);
    await tick(testEnv, at("2026-11-26T10:00:00Z"));
    await reword(handWritten, WORDS.budget, WORDS.budgetByFriday);
    await typeBelow(week("2026-12-01"), WORDS.notes, "Bo: prepare the demo");
    await tick(testEnv, at("2026-11-28T10:00:00Z"));
    await strike(handWritten, WORDS.plan);
    await tick(testEnv, at("2026-11-30T10:00:00Z"));
    await tick(testEnv, at("2026-12-01T09:00:00Z"));
    expect(await items(week("2026-12-01"))).toEqual([
      `[x] ${WORDS.plan}`,
      `[x] ${WORDS.room}`,
      `[ ] ${WORDS.budgetByFriday}`,
      `[ ] ${WORDS.notes}`,
      "[ ] Bo: prepare the demo",
    ]);

    // The 12-01 meeting: in its agenda one item is marked Done and one typed. The 11-24 meeting no longer
    // counts: the 12-01 meeting has started, so what is struck there stays there.
    await mark(week("2026-12-01"), WORDS.budgetByFriday, "Done");
    await typeBelow(week("2026-12-01"), "Bo: prepare the demo", "Draft the offsite agenda");
    await strike(handWritten, WORDS.notes);
    await tick(testEnv, at("2026-12-01T09:15:00Z"));
    expect(await items(week("2026-12-01"))).toContain(`[ ] ${WORDS.notes}`);

    // Week 2: the 12-08 agenda, made on 12-02, carries what the meeting left open.
    await tick(testEnv, at("2026-12-02T09:00:00Z"));
    expect(await items(week("2026-12-08"))).toEqual([
      `[ ] ${WORDS.notes}`,
      "[ ] Bo: prepare the demo",
      "[ ] Draft the offsite agenda",
    ]);
    // The days after: the 12-01 agenda gets an item struck, one typed and one reworded; a person rewords
    // a copy in the 12-08 agenda whose item is reworded after, and writes a note under the items.
    await strike(week("2026-12-01"), "Bo: prepare the demo");
    await typeBelow(week("2026-12-01"), "Draft the offsite agenda", "Book the offsite venue");
    await tick(testEnv, at("2026-12-03T10:00:00Z"));
    await reword(week("2026-12-01"), "Draft the offsite agenda", "Draft the offsite agenda with Ada");
    await reword(week("2026-12-08"), WORDS.notes, "Send the notes to the team");
    await writeParagraphAt(
      emu,
      documentId,
      (await itemIn(week("2026-12-08"), "Draft the offsite agenda")).element.endIndex,
      WORDS.ownNote,
    );
    await tick(testEnv, at("2026-12-05T10:00:00Z"));
    await reword(week("2026-12-01"), WORDS.notes, "Send the notes today");
    await tick(testEnv, at("2026-12-07T10:00:00Z"));
    await tick(testEnv, at("2026-12-08T09:00:00Z"));
    const week2 = await readAgenda(week("2026-12-08"));
    expect(week2.items.map(shown)).toEqual([
      "[ ] Send the notes to the team",
      "[x] Bo: prepare the demo",
      "[ ] Draft the offsite agenda with Ada",
      "[ ] Book the offsite venue",
    ]);
    expect(week2.items.every((item) => item.marked)).toBe(true);
    expect(week2.paragraphs.filter((text) => text === WORDS.ownNote)).toHaveLength(1);
    // The meetings view shows the final set: what was closed, added and kept.
    const view = await meetingOf(testEnv, pairId, "2026-12-08");
    expect(
      view.carried.map((item) => [
        item.text,
        item.closedAt !== null,
        item.addedAt !== null,
        item.keptByPerson,
      ]),
    ).toEqual([
      [WORDS.notes, false, false, true],
      ["Bo: prepare the demo", true, false, false],
      ["Draft the offsite agenda with Ada", false, false, false],
      ["Book the offsite venue", false, true, false],
    ]);

    // The 12-08 meeting: the venue is booked, the slides are new.
    await mark(week("2026-12-08"), "Book the offsite venue", "Done");
    await typeBelow(week("2026-12-08"), "Book the offsite venue", "Share the slides");
    await tick(testEnv, at("2026-12-08T09:15:00Z"));

    // Week 3: the week after carries the right set, and follows the 12-08 agenda in turn.
    await tick(testEnv, at("2026-12-09T09:00:00Z"));
    expect(await copies(week("2026-12-15"))).toEqual([
      "[ ] Send the notes to the team",
      "[ ] Draft the offsite agenda with Ada",
      "[ ] Share the slides",
    ]);
    await strike(week("2026-12-08"), "Share the slides");
    await tick(testEnv, at("2026-12-10T10:00:00Z"));
    await tick(testEnv, at("2026-12-15T09:00:00Z"));
    expect(await copies(week("2026-12-15"))).toEqual([
      "[ ] Send the notes to the team",
      "[ ] Draft the offsite agenda with Ada",
      "[x] Share the slides",
    ]);
    expect(await emu.violations(sa)).toEqual([]);
  });
});
