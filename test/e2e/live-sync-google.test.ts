// Live sync through the real Worker and its cron trigger, against the Google emulator, in both Google
// modes: after the new agenda is made, a person strikes an item through and types a new one in the previous
// agenda; the next tick's Drive look finds the previous agenda changed, and its pass marks the copy Done
// and adds the new item, once. Each test has its own service account, document or folder, and pair.
import { afterEach, describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";
import type { PairInput } from "../../src/config/pair";
import { bodyOf, paragraphText } from "../support/docs-people";
import { admin, googleEnvFor, tick } from "../support/worker";

const url = inject("googleUrl");
const emu = googleControl(url);
/** Tuesdays 10:00 in Berlin, prepared a day ahead. */
const FIRST_TICK = Date.parse("2026-11-30T09:30:00Z");
const TICK = Date.parse("2026-12-07T09:30:00Z");
const QUARTER = 15 * 60 * 1000;

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0)) await cleanUp();
});

type Mode = "running-doc" | "doc-per-meeting";

interface MeetingView {
  date: string;
  status: string;
  agendaId: string;
  carried: { text: string; closedAt: string | null; addedAt: string | null }[];
}

async function meetingsOf(testEnv: Env, id: string): Promise<MeetingView[]> {
  const response = await admin(testEnv, `/pairs/${id}/meetings`);
  return ((await response.json()) as { meetings: MeetingView[] }).meetings;
}

async function setUp(mode: Mode) {
  const id = `gsync-e2e-${crypto.randomUUID().slice(0, 8)}`;
  const key = await emu.createServiceAccount({ name: id });
  const sa = key.client_email;
  const editor = `ada-${id}@example.com`;
  const testEnv = googleEnvFor(url, key);
  let destination: PairInput["destination"];
  if (mode === "running-doc") {
    const doc = await emu.createDocument({
      title: "Ada / Bo 1:1",
      sharedWith: [sa, { principal: editor, role: "writer" }],
      content: [],
    });
    destination = { kind: "google-docs", mode, documentId: doc.documentId };
  } else {
    const folder = await emu.createFolder({
      name: "1:1s",
      sharedDrive: true,
      sharedWith: [sa, { principal: editor, role: "writer" }],
    });
    destination = { kind: "google-docs", mode, folderId: folder.id };
  }
  const input: PairInput = {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
  };
  const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
  expect(created.status, await created.clone().text()).toBe(201);
  cleanUps.push(async () => {
    await admin(testEnv, `/pairs/${id}`, { method: "DELETE" });
  });
  // The first meeting's agenda; people type two action items in it during the meeting.
  await tick(testEnv, FIRST_TICK);
  const [first] = await meetingsOf(testEnv, id);
  const previousDoc = (first?.agendaId ?? "").split("#")[0] ?? "";
  for (const label of ["Book the room", "Write the plan"]) await typeUnderActions(editor, previousDoc, label);
  // A week later, the next agenda carries them.
  await tick(testEnv, TICK);
  const next = (await meetingsOf(testEnv, id)).find((meeting) => meeting.date === "2026-12-08");
  expect(next?.carried.map((item) => item.text)).toEqual(["Write the plan", "Book the room"]);
  const agendaDoc = (next?.agendaId ?? "").split("#")[0] ?? "";
  return { id, sa, editor, testEnv, previousDoc, agendaDoc, mode };
}

/** A person types an item (a bullet, no chip) under the hint line of the doc's last action-items heading. */
async function typeUnderActions(editor: string, documentId: string, label: string) {
  const headings = bodyOf(await emu.document(documentId)).filter((element) =>
    paragraphText(element).includes("Action items"),
  );
  const heading = headings[headings.length - 1];
  if (heading === undefined) throw new Error("no action-items heading");
  // Below the hint line that follows the heading.
  const hint = bodyOf(await emu.document(documentId)).find(
    (element) => (element.startIndex ?? 0) >= (heading.endIndex ?? 0),
  );
  const at = (hint?.endIndex ?? 1) - 1;
  await emu.batchUpdateAs(editor, documentId, [
    { insertText: { location: { index: at }, text: `\n${label}` } },
    {
      createParagraphBullets: {
        range: { startIndex: at + 1, endIndex: at + 1 + label.length },
        bulletPreset: "BULLET_DISC_CIRCLE_SQUARE",
      },
    },
  ]);
}

/** The carried items of the new agenda as a person sees them. */
async function carriedLines(run: { agendaDoc: string; mode: Mode }): Promise<string[]> {
  let lines = (await emu.view(run.agendaDoc)).split("\n");
  if (run.mode === "running-doc")
    lines = lines.slice(
      0,
      lines.findIndex((line) => line.includes("1:1 · 2026-12-01")),
    );
  return lines.filter((line) => line.includes("↻")).map((line) => line.trim());
}

describe.each<Mode>(["running-doc", "doc-per-meeting"])("live sync through the Worker, Google %s", (mode) => {
  it("marks Done the copy of an item struck through in the previous agenda, and adds an item typed there once", async () => {
    const run = await setUp(mode);
    expect(await carriedLines(run)).toEqual([
      "• [Open▾] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "• [Open▾] Book the room ↻ open since 2026-12-01 · carried 1×",
    ]);
    // After the agenda was made, in the previous agenda (the lower section of a running doc).
    const nth = mode === "running-doc" ? 1 : 0;
    const room = bodyOf(await emu.document(run.previousDoc)).filter((element) =>
      paragraphText(element).includes("Book the room"),
    )[nth];
    if (room === undefined) throw new Error("the previous agenda's item is gone");
    // Struck through: done, by the rule for items typed without a status chip.
    await emu.batchUpdateAs(run.editor, run.previousDoc, [
      {
        updateTextStyle: {
          range: { startIndex: room.startIndex ?? 0, endIndex: (room.endIndex ?? 1) - 1 },
          textStyle: { strikethrough: true },
          fields: "strikethrough",
        },
      },
    ]);
    await typeUnderActions(run.editor, run.previousDoc, "Send the notes");

    await tick(run.testEnv, TICK + QUARTER);
    expect(await carriedLines(run)).toEqual([
      "• [Open▾] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "• [Done▾] Book the room ↻ open since 2026-12-01 · carried 1×",
      "• [Open▾] Send the notes ↻ open since 2026-12-01 · carried 1×",
    ]);
    const meeting = (await meetingsOf(run.testEnv, run.id)).find(
      (candidate) => candidate.date === "2026-12-08",
    );
    expect(
      meeting?.carried.map((item) => [item.text, item.closedAt !== null, item.addedAt !== null]),
    ).toEqual([
      ["Write the plan", false, false],
      ["Book the room", true, false],
      ["Send the notes", false, true],
    ]);

    // Another tick: the add happened once.
    await tick(run.testEnv, TICK + 2 * QUARTER);
    expect(await carriedLines(run)).toHaveLength(3);
    expect(await emu.violations(run.sa)).toEqual([]);
  });
});
