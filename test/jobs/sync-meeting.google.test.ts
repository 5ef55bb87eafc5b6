// One live-sync pass through the Google emulator and D1, in both Google modes: the agenda is made, then a
// person ticks an item Done and types a new one in the previous agenda; the pass marks the copy Done and
// adds the new item once, and the next pass finds nothing to do. Each test has its own pair, service
// account and document or folder; the clock is the test's.
import { describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";
import type { Pair } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import { createGoogleClient } from "../../src/destinations/google/api/client";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../src/destinations/google/destination";
import { agendaWith, prepare } from "../destinations/google/harness";
import { text, todo } from "../destinations/google/support";
import { pairInput } from "../support/pairs";
import { DUE_AT, HOUR, preparedForSync } from "../support/sync-job";

const url = inject("googleUrl");
const emu = googleControl(url);

type Mode = "running-doc" | "doc-per-meeting";

async function setUp(mode: Mode) {
  const id = `gsync-${crypto.randomUUID().slice(0, 8)}`;
  const key = await emu.createServiceAccount({ name: id });
  const sa = key.client_email;
  let input: GoogleDocsDestinationInput;
  if (mode === "running-doc") {
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [sa], content: [] });
    input = { kind: "google-docs", mode, documentId: doc.documentId };
  } else {
    const folder = await emu.createFolder({ name: "1:1s", sharedDrive: true, sharedWith: [sa] });
    input = { kind: "google-docs", mode, folderId: folder.id };
  }
  const pair: Pair = pairSchema.parse(pairInput({ id }));
  // A client per destination, as each run and each pass builds its own.
  const destinationFor = () =>
    createGoogleDocsDestination({
      client: createGoogleClient({
        serviceAccountKey: JSON.stringify(key),
        tokenUrl: emu.tokenUrl,
        docsBaseUrl: url,
        driveBaseUrl: url,
      }),
      config: googleDocsDestinationSchema.parse(input),
      pairId: pair.id,
    });
  // The previous meeting's agenda, made by the Worker with two action items in it.
  const first = await prepare(destinationFor(), "2026-12-01", (d) =>
    agendaWith(d, [todo([text("Write the plan")]), todo([text("Book the room")])]),
  );
  const previousId = first.created?.id ?? "";
  const run = await preparedForSync(pair, destinationFor);
  const documentOf = (agenda: string) => agenda.split("#")[0] ?? "";
  return {
    ...run,
    sa,
    previousDoc: documentOf(previousId),
    agendaDoc: documentOf(run.agendaId),
    // In a running doc both agendas are sections of one document, the new one on top.
    previousNth: mode === "running-doc" ? 1 : 0,
  };
}

/** The `nth` paragraph of a document's first tab that holds `words`. */
async function paragraphWith(documentId: string, words: string, nth: number) {
  const doc = await emu.document(documentId);
  return (doc.tabs?.[0]?.documentTab?.body?.content ?? []).filter((element) =>
    element.paragraph?.elements.some((run) => run.textRun?.content?.includes(words)),
  )[nth];
}

/** The carried items of the new agenda as a person sees them, chip first. */
async function carriedLines(documentId: string, mode: Mode): Promise<string[]> {
  let lines = (await emu.view(documentId)).split("\n");
  if (mode === "running-doc") {
    const end = lines.findIndex((line) => line.includes("1:1 · 2026-12-01"));
    lines = lines.slice(0, end);
  }
  return lines.filter((line) => line.includes("↻")).map((line) => line.replace(/^\s*• /u, ""));
}

describe.each<Mode>(["running-doc", "doc-per-meeting"])("a live-sync pass, Google %s", (mode) => {
  it("marks Done the copy of an item ticked in the previous agenda after the new one was made, and adds a new item once", async () => {
    const run = await setUp(mode);
    expect(await carriedLines(run.agendaDoc, mode)).toEqual([
      "[Open▾] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "[Open▾] Book the room ↻ open since 2026-12-01 · carried 1×",
    ]);
    // An hour later, in the previous agenda: one item set Done, one typed below another.
    run.at(DUE_AT + HOUR);
    const room = await paragraphWith(run.previousDoc, "Book the room", run.previousNth);
    const chip = room?.paragraph?.elements.find((element) => element.dropdown !== undefined)?.dropdown;
    await emu.setDropdown(run.previousDoc, { dropdownId: chip?.dropdownId ?? "" }, "Done");
    const plan = await paragraphWith(run.previousDoc, "Write the plan", run.previousNth);
    await emu.batchUpdateAs(run.sa, run.previousDoc, [
      { insertText: { location: { index: (plan?.endIndex ?? 0) - 1 }, text: "\nSend the notes" } },
    ]);

    await emu.resetCalls(run.sa);
    const outcome = await run.pass();
    expect(outcome).toMatchObject({ status: "synced" });
    expect(await carriedLines(run.agendaDoc, mode)).toEqual([
      "[Open▾] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "[Done▾] Book the room ↻ open since 2026-12-01 · carried 1×",
      "[Open▾] Send the notes ↻ open since 2026-12-01 · carried 1×",
    ]);
    const { "POST /token": _token, ...calls } = await emu.calls(run.sa);
    // A running doc: one read for both agendas and one write. A doc per meeting: each agenda read, and
    // the typed item named in the previous agenda before the new one is written.
    expect(calls).toEqual(
      mode === "running-doc"
        ? { "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 }
        : { "GET /v1/documents/:id": 2, "POST /v1/documents/:id:batchUpdate": 2 },
    );
    const ledger = await run.ledger();
    expect(ledger.items.map((item) => [item.text, item.closedAt !== null, item.targetId !== null])).toEqual([
      ["Write the plan", false, true],
      ["Book the room", true, true],
      ["Send the notes", false, true],
    ]);

    // The next pass finds nothing to do: the add happened once, and it costs the reads only.
    run.at(DUE_AT + 2 * HOUR);
    await emu.resetCalls(run.sa);
    expect(await run.pass()).toMatchObject({ status: "synced", actions: [] });
    expect(await carriedLines(run.agendaDoc, mode)).toHaveLength(3);
    const { "POST /token": _again, ...reads } = await emu.calls(run.sa);
    expect(reads).toEqual({ "GET /v1/documents/:id": mode === "running-doc" ? 1 : 2 });

    // The source edited: the copy, untouched by people, follows.
    const notes = await paragraphWith(run.previousDoc, "Send the notes", run.previousNth);
    const endOfText = (notes?.endIndex ?? 0) - 1;
    await emu.batchUpdateAs(run.sa, run.previousDoc, [
      { insertText: { location: { index: endOfText }, text: " to Bo" } },
    ]);
    run.at(DUE_AT + 3 * HOUR);
    expect(await run.pass()).toMatchObject({ status: "synced" });
    expect((await carriedLines(run.agendaDoc, mode))[2]).toBe(
      "[Open▾] Send the notes to Bo ↻ open since 2026-12-01 · carried 1×",
    );
    expect(await emu.violations(run.sa)).toEqual([]);
  });
});
