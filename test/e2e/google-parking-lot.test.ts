// The parking lot through the real Worker and the Google emulator, in a running doc and in a doc per
// meeting filled from a template: an item typed in one agenda is carried once (carry.maxTimes 1), then
// lands in a "Parking lot" at the end of its meeting's agenda, and the agenda after that carries it again
// from there. An item struck through in the week it was typed counts as closed within a week.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { DocsStructuralElement } from "../../emulators/google/control";
import { googleControl } from "../../emulators/google/control";
import type { PairInput } from "../../src/config/pair";
import { bodyOf, paragraphText, strikeThrough, typeItem } from "../support/docs-people";
import { admin, googleEnvFor, tick } from "../support/worker";

const url = inject("googleUrl");
const emu = googleControl(url);
// Tuesdays 10:00 in Berlin, prepared 24 hours ahead (Monday 10:00, 09:00Z in winter).
const WEEK_MS = 7 * 86_400_000;
const FIRST_DUE = Date.parse("2026-12-07T09:00:00Z");
const DATES = ["2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29"] as const;
const suffix = crypto.randomUUID().slice(0, 8);
const RUNNING = `gpark-running-${suffix}`;
const PER_MEETING = `gpark-doc-${suffix}`;

let testEnv: Env;
let runningDocId = "";

function isHeading(element: DocsStructuralElement): boolean {
  const style = element.paragraph?.paragraphStyle?.namedStyleType ?? "";
  return style.startsWith("HEADING") || style === "TITLE";
}

async function agendaDocument(pairId: string, date: string): Promise<string> {
  if (pairId === RUNNING) return runningDocId;
  const row = await env.DB.prepare("SELECT agenda_id FROM meetings WHERE key = ? AND status = 'created'")
    .bind(`${pairId}/${date}`)
    .first<{ agenda_id: string }>();
  if (row === null) throw new Error(`no agenda for ${pairId} ${date}`);
  return row.agenda_id;
}

/**
 * The meeting's agenda as a person reads it, headings and items in order: in a running doc its section
 * (from the paragraph that names its date to the next older meeting's), in a doc per meeting the document.
 */
async function agendaLines(pairId: string, index: number): Promise<{ heading: boolean; text: string }[]> {
  const date = DATES[index] ?? "";
  const body = bodyOf(await emu.document(await agendaDocument(pairId, date)));
  const lines = body
    .filter((element) => element.paragraph !== undefined)
    .map((element) => ({ heading: isHeading(element), text: paragraphText(element).trim() }))
    .filter((line) => line.text !== "");
  if (pairId !== RUNNING) return lines;
  const names = (day: string) => (line: { text: string }) =>
    line.text.includes(day) && !line.text.includes("↻");
  const start = lines.findIndex(names(date));
  const older = DATES[index - 1];
  const end = older === undefined ? -1 : lines.findIndex(names(older));
  return lines.slice(start, end === -1 ? undefined : end);
}

/** The headings of an agenda, and the items under its last one. */
async function lastSection(pairId: string, index: number) {
  const lines = await agendaLines(pairId, index);
  const headings = lines.filter((line) => line.heading).map((line) => line.text);
  const lastHeading = lines.findLastIndex((line) => line.heading);
  return { headings, last: lines.slice(lastHeading + 1).map((line) => line.text) };
}

function person(base: Omit<PairInput, "manager" | "report">): PairInput {
  return {
    ...base,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
  };
}

const PAIRS = [RUNNING, PER_MEETING] as const;

beforeAll(async () => {
  const key = await emu.createServiceAccount({ name: `parking-${suffix}` });
  testEnv = googleEnvFor(url, key);
  await emu.createUser({ email: "ada@example.com", name: "Ada Manager" });
  const running = await emu.createDocument({
    title: "Ada / Bo 1:1s",
    owner: "ada@example.com",
    sharedWith: [{ principal: key.client_email, role: "writer" }],
    content: [{ paragraph: "Our running 1:1 doc." }],
  });
  runningDocId = running.documentId;
  const drive = await emu.createFolder({
    name: "1:1 agendas",
    sharedDrive: true,
    sharedWith: [
      { principal: key.client_email, role: "fileOrganizer" },
      { principal: "ada@example.com", role: "writer" },
    ],
  });
  const template = await emu.createDocument({
    title: "1:1 template",
    parents: [drive.id],
    sharedWith: [{ principal: key.client_email, role: "reader" }],
    content: [
      { title: "1:1 {{manager.name}} & {{report.name}} · {{meeting.date}}" },
      { heading: "Action items", level: 2 },
      { heading: "Notes", level: 2 },
      { paragraph: "Anything else." },
    ],
  });
  const schedule = {
    timeZone: "Europe/Berlin",
    time: "10:00",
    cadence: { kind: "weekly", weekday: "tuesday" },
  } as const;
  const inputs: PairInput[] = [
    person({
      id: RUNNING,
      schedule,
      destination: { kind: "google-docs", mode: "running-doc", documentId: runningDocId },
      carry: { maxTimes: 1 },
    }),
    person({
      id: PER_MEETING,
      schedule,
      destination: {
        kind: "google-docs",
        mode: "doc-per-meeting",
        folderId: drive.id,
        templateDocumentId: template.documentId,
      },
      carry: { maxTimes: 1 },
    }),
  ];
  for (const input of inputs) {
    const response = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  // Week 1: a first agenda with nothing to carry; people type two items and strike one through.
  await tick(testEnv, FIRST_DUE);
  for (const pairId of PAIRS) {
    const documentId = await agendaDocument(pairId, DATES[0]);
    await typeItem(emu, documentId, `Item A ${pairId}`);
    await typeItem(emu, documentId, `Item B ${pairId}`);
    await strikeThrough(emu, documentId, `Item B ${pairId}`);
  }
  await tick(testEnv, FIRST_DUE + WEEK_MS);
}, 120_000);

describe.each(PAIRS)("the parking lot in Google Docs (%s)", (pairId) => {
  it("keeps an item carried exactly maxTimes in the action items, and counts one closed within a week", async () => {
    const { headings } = await lastSection(pairId, 1);
    expect(headings.some((text) => /parking lot/iu.test(text))).toBe(false);
    const lines = await agendaLines(pairId, 1);
    expect(lines.map((line) => line.text).filter((text) => text.includes(`Item A ${pairId}`))).toEqual([
      expect.stringContaining("↻ open since 2026-12-08 · carried 1×"),
    ]);
    const meeting = await env.DB.prepare(
      "SELECT closed_count, closed_within_week_count FROM meetings WHERE key = ?",
    )
      .bind(`${pairId}/${DATES[1]}`)
      .first<{ closed_count: number; closed_within_week_count: number }>();
    expect(meeting).toEqual({ closed_count: 1, closed_within_week_count: 1 });
  });

  it("moves it to a Parking lot at the end one carry later, and carries it again from there", async () => {
    // Ticks are shared by both pairs: the first of the two tests to get here makes weeks 3 and 4.
    const made = await env.DB.prepare("SELECT count(*) AS n FROM meetings WHERE key = ?")
      .bind(`${pairId}/${DATES[3]}`)
      .first<{ n: number }>();
    if ((made?.n ?? 0) === 0) {
      await tick(testEnv, FIRST_DUE + 2 * WEEK_MS);
      await tick(testEnv, FIRST_DUE + 3 * WEEK_MS);
    }
    for (const [index, times] of [
      [2, 2],
      [3, 3],
    ] as const) {
      const { headings, last } = await lastSection(pairId, index);
      expect(headings.at(-1), `${DATES[index]}`).toMatch(/parking lot/iu);
      expect(headings.filter((text) => /parking lot/iu.test(text))).toHaveLength(1);
      expect(last).toEqual([
        expect.stringContaining(`Item A ${pairId} ↻ open since 2026-12-08 · carried ${times}×`),
      ]);
      const actions = (await agendaLines(pairId, index)).filter((line) =>
        line.text.includes(`Item A ${pairId}`),
      );
      expect(actions, "once in the agenda").toHaveLength(1);
    }
    const { results } = await env.DB.prepare(
      "SELECT role, times_carried FROM carried_items WHERE meeting_key = ?",
    )
      .bind(`${pairId}/${DATES[3]}`)
      .all<{ role: string; times_carried: number }>();
    expect(results).toEqual([{ role: "parked", times_carried: 3 }]);
  }, 120_000);
});
