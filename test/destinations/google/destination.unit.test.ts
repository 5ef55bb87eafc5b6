// The Google Docs destination against the Google emulator in this process: both modes through the job's own steps, with the
// calls each agenda costs (running doc ≤ 2, doc per meeting ≤ 4), people's edits between runs, a person
// editing while we write, tabs, templates, shared drives, and failures named for a person.
import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../../src/destinations/google/api/client";
import { DestinationError } from "../../../src/destinations/types";
import { plainText } from "../../../src/domain/agenda";
import { carryForward, dueDateOf, markedTodo, ownerOf } from "../../../src/domain/carry";
import type { ModelDoc } from "./docs-model";
import { useGoogleEmulator } from "./emulator";
import { agendaWith, draftWith, meeting, PAIR, prepare, world } from "./harness";
import { bullet, heading, para, readBlocks, requestsFor, text, todo } from "./support";

const owner = {
  kind: "mention",
  text: "Ada Lovelace",
  mention: { type: "user", userId: "ada@example.com" },
} as const;
const due = { kind: "mention", text: "2026-12-04", mention: { type: "date", start: "2026-12-04" } } as const;

const ACTIONS = [
  todo([
    text("Draft the "),
    text("Q1 plan", { style: { bold: true }, link: "https://example.com/q1" }),
    text(" "),
    owner,
    text(" "),
    due,
  ]),
  todo([text("Prepare the demo")], [todo([text("Write the script")])]),
  todo([text("Book the room")]),
];

const google = useGoogleEmulator();
const BATCH_ROUTE = "/v1/documents/:id:batchUpdate";

function runningDoc(documentId: string, extra: Record<string, unknown> = {}) {
  return { kind: "google-docs", mode: "running-doc", documentId, ...extra } as const;
}

describe("running doc", () => {
  it("happy: a whole carry in two calls — one get, one batchUpdate — newest section on top", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    const first = await prepare(w.destination(runningDoc(doc.documentId)), "2026-12-01", (d) =>
      agendaWith(d, ACTIONS),
    );
    expect(w.calls()).toEqual({ [ENDPOINTS.getDocument]: 1, [ENDPOINTS.batchUpdate]: 1 });
    expect(first.created?.url).toBe(`https://docs.google.com/document/d/${doc.documentId}/edit`);
    doc.selectOption(doc.indexOf("\ue907 Book the room"), "Done");

    w.newRun();
    const second = await prepare(w.destination(runningDoc(doc.documentId)), "2026-12-08");
    expect(w.calls()).toEqual({ [ENDPOINTS.getDocument]: 1, [ENDPOINTS.batchUpdate]: 1 });
    expect(second.carried.map((item) => item.text)).toEqual([
      "Draft the Q1 plan Ada Lovelace 2026-12-04",
      "Prepare the demo",
    ]);
    const [plan] = second.carried;
    expect(plan?.ownerUserId).toBe("ada@example.com");
    expect(plan?.dueDate).toBe("2026-12-04");

    const blocks = readBlocks(doc);
    expect(blocks[0]).toEqual(heading("1:1 · 2026-12-08", 1));
    const text2 = doc.text();
    expect(text2.indexOf("1:1 · 2026-12-08")).toBeLessThan(text2.indexOf("1:1 · 2026-12-01"));
    expect(text2).toContain(
      "Action items\nMark an item done with its status chip (or strike it through).\n[status:Open] Draft the Q1 plan [person:ada@example.com] [date:2026-12-04] ↻ open since 2026-12-01 · carried 1×",
    );
    // One dropdown definition, reused.
    expect(Object.keys(doc.tabs[0]?.dropdowns ?? {})).toHaveLength(1);
  });

  it("finds its sections again after people write above them and rename every heading", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    await prepare(w.destination(runningDoc(doc.documentId)), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    // A person adds notes at the very top and renames the headings.
    doc.type(1, "Team notes — read me first\n");
    const renameAt = (from: string, to: string) => {
      const at = doc.indexOf(from);
      doc.replace(at, at + from.length, to);
    };
    renameAt("1:1 · 2026-12-01", "Monday catch-up (moved)");
    renameAt("Action items", "✅ Next steps:");
    w.newRun();
    const destination = w.destination(runningDoc(doc.documentId));
    const located = await destination.locate(meeting("2026-12-08"));
    expect(located.previous?.date).toBe("2026-12-01");
    expect(located.previous?.url).toMatch(/#heading=h\./);
    const open = await destination.readOpenItems(located.previous ?? { id: "", url: "", date: "" }, [
      "actions",
    ]);
    expect(open.actions.map((item) => plainText(item.text))).toEqual([
      "Draft the Q1 plan Ada Lovelace 2026-12-04",
      "Prepare the demo",
      "Book the room",
    ]);
    await destination.create(meeting("2026-12-08"), draftWith(agendaWith("2026-12-08")));
    // The new section goes above the last one, below the person's notes.
    expect(doc.text().startsWith("Team notes — read me first\n1:1 · 2026-12-08\n")).toBe(true);
    expect(w.calls()).toEqual({ [ENDPOINTS.getDocument]: 1, [ENDPOINTS.batchUpdate]: 1 });
  });

  it("reads an older section exactly even if Google let a newer one, written at its start, into its range", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    const destination = w.destination(runningDoc(doc.documentId));
    const first = await prepare(destination, "2026-12-01", (d) => agendaWith(d, [todo([text("old item")])]));
    await prepare(destination, "2026-12-08", (d) => agendaWith(d, [todo([text("new item")])]));
    const ref = first.created ?? { id: "", url: "", date: "" };
    // Both sections now carry "old item": the new one as carried. Only the old section's own is read.
    const open = await destination.readOpenItems(ref, ["actions"]);
    expect(open.actions.map((item) => plainText(item.text))).toEqual(["old item"]);
  });

  it("find-before-create: a meeting whose section exists is found, not written twice", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    const destination = w.destination(runningDoc(doc.documentId));
    const created = await destination.create(meeting("2026-12-01"), draftWith(agendaWith("2026-12-01")));
    const again = await destination.create(meeting("2026-12-01"), draftWith(agendaWith("2026-12-01")));
    expect(again.id).toBe(created.id);
    expect(doc.text().match(/1:1 · 2026-12-01/g)).toHaveLength(1);
    const located = await destination.locate(meeting("2026-12-01"));
    expect(located.existing?.id).toBe(created.id);
  });

  it("a person's edit between our read and our write is kept: the batch is refused, re-read and rebuilt", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    doc.batchUpdate(requestsFor(doc, [para([text("Intro")])], 1, false));
    let edited = false;
    w.beforeRequest((_method, path) => {
      if (path.endsWith(":batchUpdate") && !edited) {
        edited = true;
        doc.type(1, "Typed meanwhile. ");
      }
    });
    const result = await prepare(w.destination(runningDoc(doc.documentId)), "2026-12-01");
    expect(result.created?.date).toBe("2026-12-01");
    expect(w.calls()).toEqual({ [ENDPOINTS.getDocument]: 2, [ENDPOINTS.batchUpdate]: 2 });
    expect(doc.text()).toContain("Typed meanwhile. Intro");
    expect(doc.text().match(/1:1 · 2026-12-01/g)).toHaveLength(1);
  });

  it("a document that keeps changing fails retryable after two rebuilds", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    w.beforeRequest((_method, path) => {
      if (path.endsWith(":batchUpdate")) doc.type(1, "x");
    });
    const error = await prepare(w.destination(runningDoc(doc.documentId)), "2026-12-01").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DestinationError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/kept changing/) });
    expect(w.calls()[ENDPOINTS.batchUpdate]).toBe(3);
  });

  it("a tab per meeting: a tab of its own at the front, found again; three calls, since Google names the tab", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    const config = runningDoc(doc.documentId, { tabPerMeeting: true });
    const first = await prepare(w.destination(config), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    expect(w.calls()).toEqual({ [ENDPOINTS.getDocument]: 1, [ENDPOINTS.batchUpdate]: 2 });
    expect(doc.tabs.map((tab) => tab.title)).toEqual(["1:1 · 2026-12-01", "Tab 1"]);
    expect(first.created?.url).toMatch(/\?tab=t\./);

    w.newRun();
    const second = await prepare(w.destination(config), "2026-12-08");
    expect(second.carried.map((item) => item.text)).toHaveLength(3);
    expect(doc.tabs.map((tab) => tab.title)).toEqual(["1:1 · 2026-12-08", "1:1 · 2026-12-01", "Tab 1"]);
    expect(doc.text(0)).toContain("[status:Open] Book the room ↻ open since 2026-12-01 · carried 1×");
    const again = await w.destination(config).locate(meeting("2026-12-08"));
    expect(again.existing?.url).toMatch(/\?tab=t\./);
  });

  it("takes away a new tab whose content could not be written", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    // The second batch (the new tab's content) is refused.
    await google.control.addFault({
      method: "POST",
      path: BATCH_ROUTE,
      status: 400,
      message: "Invalid requests[3]",
      skip: 1,
    });
    const error = await prepare(
      w.destination(runningDoc(doc.documentId, { tabPerMeeting: true })),
      "2026-12-01",
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/Invalid requests\[3\]/),
    });
    expect(doc.tabs.map((tab) => tab.title)).toEqual(["Tab 1"]);
  });

  it("keeps each pair's sections apart in a shared document", async () => {
    const w = await world(google);
    const doc = await w.addDoc(w.me);
    await prepare(w.destination(runningDoc(doc.documentId), "ada-bo"), "2026-12-01", (d) =>
      agendaWith(d, [todo([text("Bo's")])]),
    );
    await prepare(w.destination(runningDoc(doc.documentId), "ada-cy"), "2026-12-02", (d) =>
      agendaWith(d, [todo([text("Cy's")])]),
    );
    const next = await prepare(w.destination(runningDoc(doc.documentId), "ada-bo"), "2026-12-08");
    expect(next.carried.map((item) => item.text)).toEqual(["Bo's"]);
  });

  it("names the document and the account when it is not shared", async () => {
    const w = await world(google);
    const doc = await w.addDoc(await google.person("someone"));
    const error = await w
      .destination(runningDoc(doc.documentId))
      .locate(meeting("2026-12-01"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as Error).message).toBe(
      `Google document ${doc.documentId} was not found or is not shared with ${w.me}`,
    );
  });

  it("acts as the impersonated user", async () => {
    const w = await world(google);
    const ada = await google.person("ada");
    const doc = await w.addDoc(ada);
    await google.control.resetCalls();
    await prepare(w.destination(runningDoc(doc.documentId, { impersonate: ada })), "2026-12-01");
    // Every call Google saw, the token requests aside, was made as Ada.
    const { "POST /token": _token, ...all } = await google.control.calls();
    expect(all).toEqual(await google.control.calls(ada));
  });
});

function docPerMeeting(folderId: string, extra: Record<string, unknown> = {}) {
  return { kind: "google-docs", mode: "doc-per-meeting", folderId, ...extra } as const;
}

/** A template like a person makes one: placeholders, a discussion heading, an action-items heading. */
function template(doc: ModelDoc): ModelDoc {
  doc.batchUpdate(
    requestsFor(
      doc,
      [
        heading("{{report.name}} / {{manager.name}} · {{meeting.date}}", 1),
        heading("Discussion points"),
        bullet([text("Topic:")]),
        heading("✅ Action items"),
        bullet([text("New item (owner, due date)")]),
        bullet([text("{{report.name}}: bring one win")]),
        heading("Notes"),
        para([text("Anything else, {{report.name}}?")]),
      ],
      1,
      false,
    ),
  );
  return doc;
}

describe("doc per meeting", () => {
  it("happy: without a template, four calls — list, get, create, batchUpdate — and the agenda written in", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const config = docPerMeeting(folder);
    const first = await prepare(w.destination(config), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    expect(w.calls()).toEqual({
      [ENDPOINTS.listFiles]: 1,
      [ENDPOINTS.createFile]: 1,
      [ENDPOINTS.batchUpdate]: 1,
    });
    const firstDoc = w.doc(first.created?.id ?? "");
    expect(firstDoc?.text()).toMatch(/^Bo's 1:1 with Ada · 2026-12-01\nWelcome\n/);
    expect(w.files().find((file) => file.id === first.created?.id)?.appProperties).toEqual({
      oneOnOnePair: PAIR,
      oneOnOneDate: "2026-12-01",
      oneOnOneFinish: "namedRange",
    });
    firstDoc?.selectOption(firstDoc.indexOf("\ue907 Book the room"), "Done");

    w.newRun();
    const second = await prepare(w.destination(config), "2026-12-08");
    expect(w.calls()).toEqual({
      [ENDPOINTS.listFiles]: 1,
      [ENDPOINTS.getDocument]: 1,
      [ENDPOINTS.createFile]: 1,
      // One more: the previous agenda's items were typed, not carried, so no named range followed them yet.
      [ENDPOINTS.batchUpdate]: 2,
    });
    expect(second.carried.map((item) => item.text)).toEqual([
      "Draft the Q1 plan Ada Lovelace 2026-12-04",
      "Prepare the demo",
    ]);
    expect(second.created?.url).toBe(`https://docs.google.com/document/d/${second.created?.id}/edit`);
    const again = await w.destination(config).locate(meeting("2026-12-08"));
    expect(again.existing?.id).toBe(second.created?.id);
    expect(again.previous?.id).toBe(first.created?.id);

    // The week after, every open item is a copy the Worker wrote with its named range: four calls.
    w.newRun();
    const third = await prepare(w.destination(config), "2026-12-15");
    expect(third.carried).toHaveLength(2);
    expect(w.calls()).toEqual({
      [ENDPOINTS.listFiles]: 1,
      [ENDPOINTS.getDocument]: 1,
      [ENDPOINTS.createFile]: 1,
      [ENDPOINTS.batchUpdate]: 1,
    });
  });

  it("with a template: copied, placeholders filled, carried items under its action-items heading; the template read once per run", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const tpl = template(await w.addDoc(w.me));
    const config = docPerMeeting(folder, { templateDocumentId: tpl.documentId });
    await prepare(w.destination(config), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    const previous = w.files().find((file) => file.appProperties.oneOnOneDate === "2026-12-01");
    const previousDoc = w.doc(previous?.id ?? "");
    // Items people type in the template's list are items.
    previousDoc?.type(previousDoc.indexOf("New item"), "Call the vendor\n");

    w.newRun();
    const run = w.destination(config);
    const second = await prepare(run, "2026-12-08");
    // Another pair in the same run, same template: no second read of it.
    await prepare(w.destination(config, "ada-cy"), "2026-12-08");
    expect(w.calls()).toEqual({
      [ENDPOINTS.listFiles]: 2,
      [ENDPOINTS.getDocument]: 2, // the previous agenda once, the template once
      [ENDPOINTS.copyFile]: 2,
      // Both fills, and the naming of the item a person typed in the previous agenda.
      [ENDPOINTS.batchUpdate]: 3,
    });
    const doc = w.doc(second.created?.id ?? "");
    expect(doc?.text()).toBe(
      [
        "Bo Chen / Ada Lovelace · 2026-12-08",
        "Discussion points",
        "Topic:",
        "✅ Action items",
        "Mark an item done with its status chip (or strike it through).",
        "[status:Open] Call the vendor ↻ open since 2026-12-01 · carried 1×",
        "New item (owner, due date)",
        "Bo Chen: bring one win",
        "Notes",
        "Anything else, Bo Chen?",
        "",
      ].join("\n"),
    );
    // The template's own example item is not an open item of every agenda made from it.
    expect(second.carried.map((item) => item.text)).toEqual(["Call the vendor"]);
  });

  it("with a template without an action-items heading: the carried items get a section at the end", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const tpl = await w.addDoc(w.me);
    tpl.batchUpdate(requestsFor(tpl, [heading("{{report.name}}", 1), para([text("Notes")])], 1, false));
    const config = docPerMeeting(folder, { templateDocumentId: tpl.documentId });
    const prev = await prepare(w.destination(docPerMeeting(folder)), "2026-12-01", (d) =>
      agendaWith(d, [todo([text("Carry me "), owner])]),
    );
    expect(prev.created).not.toBeNull();
    const next = await prepare(w.destination(config), "2026-12-08");
    const doc = w.doc(next.created?.id ?? "");
    expect(doc?.text()).toBe(
      "Bo Chen\nNotes\nAction items\nMark an item done with its status chip (or strike it through).\n[status:Open] Carry me [person:ada@example.com] ↻ open since 2026-12-01 · carried 1×\n",
    );
    const carried = readBlocks(doc).at(-1);
    expect(carried?.kind === "todo" && ownerOf(carried.text)).toBe("ada@example.com");
  });

  it("with a template that has its own Parking lot: items over carry.maxTimes go under it, and are read back from it", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const tpl = await w.addDoc(w.me);
    tpl.batchUpdate(
      requestsFor(
        tpl,
        [heading("{{report.name}}", 1), heading("Action items"), heading("🅿️ Parking lot:"), heading("Notes")],
        1,
        false,
      ),
    );
    const config = docPerMeeting(folder, { templateDocumentId: tpl.documentId });
    const [once] = carryForward({ actions: [todo([text("Carried once")])] }, "2026-11-24", "2026-12-01");
    if (once === undefined) throw new Error("nothing carried");
    await prepare(w.destination(docPerMeeting(folder)), "2026-12-01", (d) =>
      agendaWith(d, [markedTodo(once), todo([text("New one")])]),
    );
    const roles = ["actions", "parked"] as const;
    const next = await prepare(w.destination(config), "2026-12-08", undefined, [...roles], { maxTimes: 1 });
    expect(next.carried.map((item) => [item.text, item.role, item.timesCarried])).toEqual([
      ["New one", "actions", 1],
      ["Carried once", "parked", 2],
    ]);
    const lines = (w.doc(next.created?.id ?? "")?.text() ?? "").split("\n");
    const parkedAt = lines.indexOf("🅿️ Parking lot:");
    expect(lines[parkedAt + 1]).toBe("[status:Open] Carried once ↻ open since 2026-11-24 · carried 2×");
    expect(lines[parkedAt + 2]).toBe("Notes");
    expect(lines.filter((line) => /parking lot/iu.test(line))).toHaveLength(1);

    w.newRun();
    const after = await prepare(w.destination(config), "2026-12-15", undefined, [...roles], { maxTimes: 1 });
    expect(after.carried.map((item) => [item.text, item.role, item.timesCarried])).toEqual([
      ["Carried once", "parked", 3],
      ["New one", "parked", 2],
    ]);
  });

  it("carries discussion to-dos too, when the pair asks", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const config = docPerMeeting(folder);
    await prepare(w.destination(config), "2026-12-01", (d) =>
      agendaWith(d, [], [todo([text("Career path")]), bullet([text("topic")])]),
    );
    const next = await prepare(w.destination(config), "2026-12-08", undefined, ["actions", "discussion"]);
    expect(next.carried.map((item) => [item.role, item.text])).toEqual([["discussion", "Career path"]]);
  });

  it("a folder in My Drive refuses a service account's new documents: the message says what to do", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], false);
    const error = await prepare(w.destination(docPerMeeting(folder)), "2026-12-01").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as Error).message).toMatch(/has no Drive storage of its own.*shared drive.*impersonate/);

    // Acting as a user who owns storage, the same folder works.
    // A user's My Drive has storage.
    const ada = await google.person("ada");
    const mine = (await google.control.createFolder({ name: "Agendas", owner: ada })).id;
    const created = await prepare(w.destination(docPerMeeting(mine, { impersonate: ada })), "2026-12-01");
    expect(created.created).not.toBeNull();
  });

  it("names a folder that is missing or not shared", async () => {
    const w = await world(google);
    const folder = await google.folderFor([await google.person("someone")], true);
    // Drive lists nothing (no error) in a folder the caller cannot see, so the refusal comes on creating.
    const error = await prepare(w.destination(docPerMeeting(folder)), "2026-12-01").catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      `Google Drive folder ${folder} was not found or is not shared with ${w.me}`,
    );
  });

  it("moves a copy whose content Google refused to the trash, so the next run starts over", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const tpl = template(await w.addDoc(w.me));
    await google.control.addFault({
      method: "POST",
      path: BATCH_ROUTE,
      status: 400,
      message: "Invalid requests[3]",
      times: 5,
    });
    const config = docPerMeeting(folder, { templateDocumentId: tpl.documentId });
    const error = await prepare(w.destination(config), "2026-12-01").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/moved to the trash/) });
    expect(w.calls()[ENDPOINTS.batchUpdate]).toBe(1);
    expect((await w.destination(config).locate(meeting("2026-12-01"))).existing).toBeNull();
  });

  it("keeps a copy whose fill may have been applied (a 500), never takes it bare, and finishes it next run", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const tpl = template(await w.addDoc(w.me));
    await google.control.addFault({
      method: "POST",
      path: BATCH_ROUTE,
      status: 500,
      message: "Internal error",
      times: 5,
    });
    const config = docPerMeeting(folder, { templateDocumentId: tpl.documentId });
    const error = await prepare(w.destination(config), "2026-12-01").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/unavailable/) });
    expect(w.calls()[ENDPOINTS.updateFile]).toBeUndefined();
    const [bare] = w.files().filter((file) => file.appProperties.oneOnOneDate === "2026-12-01");
    await google.control.clearFaults();

    w.newRun();
    const next = await prepare(w.destination(config), "2026-12-01");
    expect(next.found).toBeNull();
    expect(next.created?.id).toBe(bare?.id);
    // Finished in place: no second copy.
    expect(w.calls()[ENDPOINTS.copyFile]).toBeUndefined();
    expect(w.doc(bare?.id ?? "")?.text()).toMatch(/^Bo Chen \/ Ada Lovelace/);
    expect((await w.destination(config).locate(meeting("2026-12-01"))).existing?.id).toBe(bare?.id);
  });

  it("reads owner and due date back from chips in a document a person wrote", async () => {
    const w = await world(google);
    const folder = await google.folderFor([w.me], true);
    const config = docPerMeeting(folder);
    const first = await prepare(w.destination(config), "2026-12-01", (d) =>
      agendaWith(d, [todo([text("Ship "), owner, text(" "), due], [bullet([text("detail")])])]),
    );
    const open = await w
      .destination(config)
      .readOpenItems(first.created ?? { id: "", url: "", date: "" }, ["actions"]);
    const [item] = open.actions;
    expect(ownerOf(item?.text ?? [])).toBe("ada@example.com");
    expect(dueDateOf(item?.text ?? [])).toBe("2026-12-04");
    expect(item?.children).toEqual([bullet([text("detail")])]);
  });
});
