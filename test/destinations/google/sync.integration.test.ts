// Live sync's Google side against the Google emulator: items read with the ids of their named ranges
// (the ids the ledger records when an agenda is made), and each action a pass applies to the new agenda
// in one batchUpdate under the revision it read, in both modes. Every request is checked by the emulator
// against Google's discovery document. Each test has its own service account and document or folder.
import { afterEach, describe, expect, inject, it } from "vitest";
import { type DocsRequest, googleControl, type ServiceAccountKey } from "../../../emulators/google/control";
import { createGoogleClient } from "../../../src/destinations/google/api/client";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../../src/destinations/google/destination";
import type { AgendaRef, Destination } from "../../../src/destinations/types";
import type { CarryRole } from "../../../src/domain/agenda";
import { carryForward, markedTodo, type TodoBlock } from "../../../src/domain/carry";
import { copiesOf, type SourceItem, type SyncAction } from "../../../src/domain/sync";
import { agendaWith, meeting, prepare } from "./harness";
import { text, todo } from "./support";

const url = inject("googleUrl");
const emu = googleControl(url);
const ROLES: CarryRole[] = ["actions", "discussion"];
const BEFORE = "2026-12-01";
const DATE = "2026-12-08";

const touched: string[] = [];
afterEach(async () => {
  for (const principal of touched.splice(0)) expect(await emu.violations(principal)).toEqual([]);
});

async function account() {
  const key: ServiceAccountKey = await emu.createServiceAccount({
    name: `sync-${crypto.randomUUID().slice(0, 8)}`,
  });
  touched.push(key.client_email);
  const client = () =>
    createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: emu.tokenUrl,
      docsBaseUrl: url,
      driveBaseUrl: url,
    });
  return {
    sa: key.client_email,
    /** A destination of a new run (its own client), as each pass builds one. */
    destination(input: GoogleDocsDestinationInput): Destination {
      return createGoogleDocsDestination({
        client: client(),
        config: googleDocsDestinationSchema.parse(input),
        pairId: "ada-bo",
      });
    },
    async calls(): Promise<Record<string, number>> {
      const { "POST /token": _token, ...rest } = await emu.calls(key.client_email);
      return rest;
    },
    resetCalls: () => emu.resetCalls(key.client_email),
  };
}

type Account = Awaited<ReturnType<typeof account>>;

const ITEMS = [
  todo([text("Write the plan")]),
  todo([text("Book the room")], [todo([text("Ask facilities")])]),
];

/** Both agendas made as a prepare run makes them: the first with two items, the second carrying them. */
async function twoAgendas(me: Account, input: GoogleDocsDestinationInput) {
  await prepare(me.destination(input), BEFORE, (d) => agendaWith(d, ITEMS));
  const second = await prepare(me.destination(input), DATE);
  const located = await me.destination(input).locate(meeting(DATE));
  if (located.previous === null || located.existing === null) throw new Error("agendas not made");
  return { previous: located.previous, agenda: located.existing, carried: second.carried };
}

async function runningDoc(me: Account) {
  const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
  const input = { kind: "google-docs", mode: "running-doc", documentId: doc.documentId } as const;
  return { documentId: doc.documentId, input, ...(await twoAgendas(me, input)) };
}

function sync(destination: Destination) {
  const read = destination.readSyncItems;
  const apply = destination.applySync;
  if (read === undefined || apply === undefined) throw new Error("the Google destination cannot sync");
  return {
    read: (agenda: AgendaRef, withChildren?: (id: string) => boolean) => read(agenda, ROLES, withChildren),
    apply: (agenda: AgendaRef, actions: SyncAction[]) => apply(agenda, actions),
  };
}

function words(item: SourceItem): string {
  return item.text.map((inline) => inline.text).join("");
}

/** The lines of a running doc's view from the heading of `date`'s section to the next meeting's. */
function sectionOf(view: string, date: string): string[] {
  const lines = view.split("\n");
  const start = lines.findIndex((line) => line.includes(`1:1 · ${date}`));
  const end = lines.findIndex((line, index) => index > start && /1:1 · \d{4}/u.test(line));
  return lines.slice(start, end === -1 ? undefined : end).filter((line) => line.trim() !== "");
}

/** An item as a pass adds it: carried from the previous agenda, with its mark. */
function addedBlock(words: string): TodoBlock {
  const [carried] = carryForward({ actions: [todo([text(words)])] }, BEFORE, DATE);
  if (carried === undefined) throw new Error("not carried");
  return markedTodo(carried);
}

/** A person presses Enter (unless `enter` is "") at the end of the `nth` paragraph holding `after`, and types `words`. */
async function typeAfter(
  me: Account,
  documentId: string,
  after: string,
  nth: number,
  words: string,
  enter = "\n",
) {
  const doc = await emu.document(documentId);
  const found = (doc.tabs?.[0]?.documentTab?.body?.content ?? []).filter((element) =>
    element.paragraph?.elements.some((run) => run.textRun?.content?.includes(after)),
  )[nth];
  if (found === undefined) throw new Error(`no paragraph with "${after}"`);
  await emu.batchUpdateAs(me.sa, documentId, [
    { insertText: { location: { index: (found.endIndex ?? 0) - 1 }, text: `${enter}${words}` } },
  ]);
}

async function itemRangeNames(documentId: string): Promise<string[]> {
  const doc = await emu.document(documentId);
  return (doc.tabs ?? []).flatMap((tab) =>
    Object.keys(tab.documentTab?.namedRanges ?? {}).filter((name) => name.startsWith("oneonone.item.")),
  );
}

describe("live sync, Google running doc: reading", () => {
  it("reads items with the ids the ledger recorded, ids that hold through people's edits", async () => {
    const me = await account();
    const { documentId, input, previous, agenda, carried } = await runningDoc(me);
    const pass = sync(me.destination(input));

    const source = await pass.read(previous, () => true);
    expect(source.map((item) => [item.role, words(item), item.checked])).toEqual([
      ["actions", "Write the plan", false],
      ["actions", "Book the room", false],
    ]);
    expect(source.map((item) => item.id)).toEqual(carried.map((item) => item.block.id));
    expect(source.map((item) => item.children.length)).toEqual([0, 1]);
    const copies = copiesOf(await pass.read(agenda), []);
    expect(copies.map((copy) => words({ ...copy, children: [] }))).toEqual([
      "Write the plan ↻ open since 2026-12-01 · carried 1×",
      "Book the room ↻ open since 2026-12-01 · carried 1×",
    ]);
    expect(copies.map((copy) => copy.id)).not.toContain(source[0]?.id);
    // Each item of both agendas is named by a range of its own, written with the agenda.
    const names = await itemRangeNames(documentId);
    expect(names.sort()).toEqual([...source, ...copies].map((item) => `oneonone.item.${item.id}`).sort());

    // A person types above everything and renames an item: the ids stay.
    await emu.batchUpdateAs(me.sa, documentId, [
      { insertText: { location: { index: 1 }, text: "Notes from Monday\n" } },
    ]);
    const doc = await emu.document(documentId);
    const plan = (doc.tabs?.[0]?.documentTab?.body?.content ?? []).filter((element) =>
      element.paragraph?.elements.some((run) => run.textRun?.content?.includes("Write the plan")),
    )[1];
    const at = (plan?.startIndex ?? 0) + 2;
    await emu.batchUpdateAs(me.sa, documentId, [
      { insertText: { location: { index: at + "Write the".length }, text: " final" } },
    ]);
    const again = await sync(me.destination(input)).read(previous);
    expect(again.map(words)).toEqual(["Write the final plan", "Book the room"]);
    expect(again.map((item) => item.id)).toEqual(source.map((item) => item.id));
  });

  it("gives an item a person typed the same id on every read, until a pass names it", async () => {
    const me = await account();
    const { documentId, input, previous } = await runningDoc(me);
    // Enter at the end of the previous section's first item, and a new line (a bullet, no chip: an item).
    await typeAfter(me, documentId, "Write the plan", 1, "Send the notes");
    const first = await sync(me.destination(input)).read(previous);
    const second = await sync(me.destination(input)).read(previous);
    expect(first.map(words)).toEqual(["Write the plan", "Send the notes", "Book the room"]);
    expect(second.map((item) => item.id)).toEqual(first.map((item) => item.id));
    expect(await itemRangeNames(documentId)).not.toContain(`oneonone.item.${first[1]?.id}`);
  });
});

describe("live sync, Google running doc: naming carried items", () => {
  it("an item people typed, reworded while the agenda is written: the run fails retryable, the next carries it named", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input = { kind: "google-docs", mode: "running-doc", documentId: doc.documentId } as const;
    await prepare(me.destination(input), BEFORE, (d) => agendaWith(d, ITEMS));
    const destination = me.destination(input);
    const located = await destination.locate(meeting(DATE));
    if (located.previous === null) throw new Error("no previous agenda");
    const open = await destination.readOpenItems(located.previous, ROLES);
    expect(open.actions.map((item) => item.id)).toHaveLength(2);
    // Between the read and the write, a person rewords an item no range names yet.
    await typeAfter(me, doc.documentId, "Write the plan", 0, " today", "");
    const [carried] = carryForward(open, BEFORE, DATE);
    const error = await destination
      .create(meeting(DATE), {
        agenda: agendaWith(DATE),
        carried: { actions: carried === undefined ? [] : [markedTodo(carried)], discussion: [], parked: [] },
        placeholders: {},
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/changed while/) });
    expect(await itemRangeNames(doc.documentId)).toEqual([]);

    const next = await prepare(me.destination(input), DATE);
    const source = await sync(me.destination(input)).read(located.previous);
    expect(next.carried.map((item) => item.block.id)).toEqual(source.map((item) => item.id));
    expect(await itemRangeNames(doc.documentId)).toHaveLength(4);
  });
});

describe("live sync, Google running doc: applying", () => {
  it("checks, rewrites and adds in one batchUpdate after one read, nothing else touched", async () => {
    const me = await account();
    const { documentId, input, previous, agenda } = await runningDoc(me);
    await me.resetCalls();
    const pass = sync(me.destination(input));
    await pass.read(previous);
    const [plan, room] = copiesOf(await pass.read(agenda), []);
    if (plan === undefined || room === undefined) throw new Error("copies not found");
    const [carriedPlan] = carryForward({ actions: [todo([text("Write the plan v2")])] }, BEFORE, DATE);
    if (carriedPlan === undefined) throw new Error("not carried");
    const applied = await pass.apply(agenda, [
      { kind: "check", itemId: "room", targetId: room.id },
      { kind: "update", itemId: "plan", targetId: plan.id, text: markedTodo(carriedPlan).text },
      {
        kind: "add",
        itemId: "notes",
        role: "actions",
        afterId: room.id,
        block: addedBlock("Send the notes"),
      },
      {
        kind: "add",
        itemId: "vendor",
        role: "actions",
        afterId: room.id,
        block: addedBlock("Call the vendor"),
      },
    ]);
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 });
    expect(applied.skipped.size).toBe(0);

    const view = await emu.view(documentId);
    expect(sectionOf(view, DATE).filter((line) => line.includes("↻") || line.includes("Ask"))).toEqual([
      "• [Open▾] Write the plan v2 ↻ open since 2026-12-01 · carried 1×",
      "• [Done▾] Book the room ↻ open since 2026-12-01 · carried 1×",
      "  • [Open▾] Ask facilities",
      "• [Open▾] Send the notes ↻ open since 2026-12-01 · carried 1×",
      "• [Open▾] Call the vendor ↻ open since 2026-12-01 · carried 1×",
    ]);
    // The previous section is as it was.
    expect(sectionOf(view, BEFORE).join("\n")).toContain("[Open▾] Book the room");
    expect(sectionOf(view, BEFORE).join("\n")).not.toContain("Send the notes");

    // The added copies are read back under the ids applySync gave, and an uncheck undoes the check.
    const next = sync(me.destination(input));
    const copies = copiesOf(await next.read(agenda), []);
    expect(copies.map((copy) => copy.id)).toEqual([
      plan.id,
      room.id,
      applied.added.get("notes"),
      applied.added.get("vendor"),
    ]);
    expect(copies.map((copy) => copy.checked)).toEqual([false, true, false, false]);
    await next.apply(agenda, [{ kind: "uncheck", itemId: "room", targetId: room.id }]);
    expect(sectionOf(await emu.view(documentId), DATE).join("\n")).toContain("[Open▾] Book the room");
  });

  it("adds first under a heading with no copy, and under a new heading when the agenda has none", async () => {
    const me = await account();
    const { documentId, input, agenda } = await runningDoc(me);
    const pass = sync(me.destination(input));
    await pass.read(agenda);
    const topic = addedBlock("Team offsite");
    const parked = addedBlock("Someday: new laptop");
    await pass.apply(agenda, [
      { kind: "add", itemId: "topic", role: "discussion", afterId: null, block: topic },
      { kind: "add", itemId: "parked", role: "parked", afterId: null, block: parked },
    ]);
    const lines = sectionOf(await emu.view(documentId), DATE);
    const at = (words: string) => lines.findIndex((line) => line.includes(words));
    expect(at("Team offsite")).toBe(at("Discussion points") + 1);
    expect(at("Parking lot")).toBeGreaterThan(at("Book the room"));
    expect(lines[at("Parking lot") + 1]).toContain("[Open▾] Someday: new laptop");
    const copies = copiesOf(await sync(me.destination(input)).read(agenda), []);
    expect(copies.map((copy) => [copy.role, copy.text[0]?.text])).toEqual([
      ["discussion", "Team offsite"],
      ["actions", "Write the plan"],
      ["actions", "Book the room"],
    ]);
  });

  it("strikes a copy through when a person took its status chip away, and unstrikes it", async () => {
    const me = await account();
    const { documentId, input, agenda } = await runningDoc(me);
    const doc = await emu.document(documentId);
    const copy = (doc.tabs?.[0]?.documentTab?.body?.content ?? []).find((element) =>
      element.paragraph?.elements.some((run) => run.textRun?.content?.includes("Write the plan")),
    );
    const chip = copy?.startIndex ?? 0;
    await emu.batchUpdateAs(me.sa, documentId, [
      { deleteContentRange: { range: { startIndex: chip, endIndex: chip + 1 } } },
    ]);
    const pass = sync(me.destination(input));
    const [plan] = copiesOf(await pass.read(agenda), []);
    if (plan === undefined) throw new Error("copy not found");
    await pass.apply(agenda, [{ kind: "check", itemId: "plan", targetId: plan.id }]);
    const checked = sync(me.destination(input));
    expect(copiesOf(await checked.read(agenda), []).map((item) => item.checked)).toEqual([true, false]);
    await checked.apply(agenda, [{ kind: "uncheck", itemId: "plan", targetId: plan.id }]);
    expect(copiesOf(await sync(me.destination(input)).read(agenda), []).map((item) => item.checked)).toEqual([
      false,
      false,
    ]);
  });

  it("a person's edit between the read and the write: the batch is refused whole, retryable", async () => {
    const me = await account();
    const { documentId, input, agenda } = await runningDoc(me);
    const pass = sync(me.destination(input));
    const [plan] = copiesOf(await pass.read(agenda), []);
    if (plan === undefined) throw new Error("copy not found");
    const requests: DocsRequest[] = [{ insertText: { location: { index: 1 }, text: "Agenda notes\n" } }];
    await emu.batchUpdateAs(me.sa, documentId, requests);
    const error = await pass
      .apply(agenda, [{ kind: "check", itemId: "plan", targetId: plan.id }])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/changed while live sync/),
    });
    expect(sectionOf(await emu.view(documentId), DATE).join("\n")).toContain("[Open▾] Write the plan");
  });
});

describe("live sync, Google running doc with a tab per meeting", () => {
  it("reads and writes each agenda in its own tab, in one read and one batchUpdate", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input = {
      kind: "google-docs",
      mode: "running-doc",
      documentId: doc.documentId,
      tabPerMeeting: true,
    } as const;
    const { previous, agenda, carried } = await twoAgendas(me, input);
    await me.resetCalls();
    const pass = sync(me.destination(input));
    const source = await pass.read(previous);
    expect(source.map((item) => item.id)).toEqual(carried.map((item) => item.block.id));
    const [, room] = copiesOf(await pass.read(agenda), []);
    if (room === undefined) throw new Error("copy not found");
    const applied = await pass.apply(agenda, [
      { kind: "check", itemId: "room", targetId: room.id },
      {
        kind: "add",
        itemId: "notes",
        role: "actions",
        afterId: room.id,
        block: addedBlock("Send the notes"),
      },
    ]);
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 });
    const copies = copiesOf(await sync(me.destination(input)).read(agenda), []);
    expect(copies.map((copy) => [copy.id, copy.checked])).toEqual([
      [expect.any(String), false],
      [room.id, true],
      [applied.added.get("notes"), false],
    ]);
    // The previous meeting's tab is as it was.
    const again = await sync(me.destination(input)).read(previous);
    expect(again.map((item) => [words(item), item.checked])).toEqual([
      ["Write the plan", false],
      ["Book the room", false],
    ]);
  });
});

describe("live sync, Google doc per meeting", () => {
  it("checks a copy and adds an item typed in the previous document, naming it there first", async () => {
    const me = await account();
    const folder = await emu.createFolder({ name: "1:1s", sharedDrive: true, sharedWith: [me.sa] });
    const input = { kind: "google-docs", mode: "doc-per-meeting", folderId: folder.id } as const;
    const { previous, agenda, carried } = await twoAgendas(me, input);
    expect(carried).toHaveLength(2);
    await emu.setDropdown(previous.id, { paragraphContaining: "Book the room" }, "Done");
    await typeAfter(me, previous.id, "Write the plan", 0, "Send the notes");

    await me.resetCalls();
    const pass = sync(me.destination(input));
    const source = await pass.read(previous);
    expect(source.map((item) => [words(item), item.checked])).toEqual([
      ["Write the plan", false],
      ["Send the notes", false],
      ["Book the room", true],
    ]);
    const typed = source[1];
    const [, room2] = copiesOf(await pass.read(agenda), []);
    if (typed === undefined || room2 === undefined) throw new Error("items not found");
    await pass.apply(agenda, [
      { kind: "check", itemId: "room", targetId: room2.id },
      {
        kind: "add",
        itemId: "notes",
        role: "actions",
        afterId: room2.id,
        block: addedBlock("Send the notes"),
      },
    ]);
    // Both documents read once; the previous one named its new item, the new one got the pass's writes.
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 2, "POST /v1/documents/:id:batchUpdate": 2 });
    expect(await itemRangeNames(previous.id)).toContain(`oneonone.item.${typed.id}`);
    const view = await emu.view(agenda.id);
    expect(view).toContain("[Done▾] Book the room ↻ open since 2026-12-01");
    expect(view).toContain("[Open▾] Send the notes ↻ open since 2026-12-01");
    // The next read of the previous document gives the typed item the same id, now from its range.
    const again = await sync(me.destination(input)).read(previous);
    expect(again.map((item) => item.id)).toEqual(source.map((item) => item.id));
  });
});
