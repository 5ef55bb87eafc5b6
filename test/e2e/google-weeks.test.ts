// Five simulated weeks of cron ticks for Google Docs pairs, through the real Worker in workerd against
// the Google emulator: a running doc (a section per meeting, newest first) and a doc per meeting copied
// from a template in a shared drive. Between meetings people mark items Done with the status chip,
// strike items through, type new items without chips, write above the sections and rename headings.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { DocsRequest } from "../../emulators/google/control";
import { googleControl } from "../../emulators/google/control";
import type { PairInput } from "../../src/config/pair";
import { dueOccurrences } from "../../src/domain/occurrences";
import { scheduleSchema } from "../../src/domain/schedule";
import { actionsHeading, bodyOf, paragraphText, strikeThrough, typeItem } from "../support/docs-people";
import { admin, googleEnvFor, tick } from "../support/worker";

const url = inject("googleUrl");
const emu = googleControl(url);
const START = Date.parse("2026-10-19T00:00:00Z");
const END = Date.parse("2026-11-23T00:00:00Z");
const TICK_MS = 15 * 60 * 1000;
const ticks = Array.from({ length: (END - START) / TICK_MS }, (_, index) => START + index * TICK_MS);

interface PairState {
  input: PairInput;
  /** What a person expects open in the action items: label → date of the meeting where it appeared. */
  open: Map<string, string>;
  done: Set<string>;
  agendas: string[];
}

interface Observation {
  pairId: string;
  date: string;
  carried: string[];
  expected: string[];
  missingFromDocument: string[];
  doneCarried: string[];
}

let testEnv: Env;
let serviceAccount = "";
let runningDocId = "";
const pairs = new Map<string, PairState>();
const observations: Observation[] = [];

function person(base: Omit<PairInput, "manager" | "report">): PairInput {
  return {
    ...base,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
  };
}

async function ledger(key: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT text FROM carried_items WHERE meeting_key = ? AND role = 'actions'",
  )
    .bind(key)
    .all<{ text: string }>();
  return results.map((row) => row.text.trim());
}

async function createdMeetings() {
  const { results } = await env.DB.prepare(
    "SELECT key, pair_id, date, agenda_id FROM meetings WHERE status = 'created' ORDER BY date",
  ).all<{ key: string; pair_id: string; date: string; agenda_id: string }>();
  return results;
}

/** A person reads the new agenda, then closes one carried item and types a new one. */
async function actOnNewAgenda(
  state: PairState,
  meeting: { key: string; date: string; agenda_id: string },
  turn: number,
) {
  const documentId =
    state.input.destination.kind === "google-docs" && state.input.destination.mode === "running-doc"
      ? runningDocId
      : meeting.agenda_id;
  const carried = (await ledger(meeting.key)).sort();
  const view = await emu.view(documentId);
  observations.push({
    pairId: state.input.id,
    date: meeting.date,
    carried,
    expected: [...state.open.keys()].sort(),
    missingFromDocument: carried.filter((label) => !view.includes(label)),
    doneCarried: carried.filter((label) => state.done.has(label)),
  });

  const [oldest, second] = carried;
  if (oldest !== undefined && turn % 2 === 0) {
    await emu.setDropdown(documentId, { paragraphContaining: oldest }, "Done");
    state.open.delete(oldest);
    state.done.add(oldest);
  } else if (second !== undefined) {
    await strikeThrough(emu, documentId, second);
    state.open.delete(second);
    state.done.add(second);
  }
  const label = `Follow up ${meeting.date} @Bo due 2026-12-31`;
  await typeItem(emu, documentId, label);
  state.open.set(label, meeting.date);
  if (documentId === runningDocId && meeting.date === "2026-11-03") {
    // People write above the sections and rename a heading; named ranges keep the sections found.
    const requests: DocsRequest[] = [
      { insertText: { location: { index: 1 }, text: "Notes from the offsite\n" } },
    ];
    await emu.batchUpdateAs("ada@example.com", runningDocId, requests);
    const doc = await emu.document(runningDocId);
    const heading = actionsHeading(doc);
    const start = heading.startIndex ?? 0;
    const rename: DocsRequest[] = [
      { deleteContentRange: { range: { startIndex: start, endIndex: (heading.endIndex ?? 1) - 1 } } },
      { insertText: { location: { index: start }, text: "✅ Action Items:" } },
    ];
    await emu.batchUpdateAs("ada@example.com", runningDocId, rename);
  }
}

beforeAll(async () => {
  const key = await emu.createServiceAccount({ name: `agendas-${crypto.randomUUID().slice(0, 8)}` });
  serviceAccount = key.client_email;
  testEnv = googleEnvFor(url, key);
  await emu.createUser({ email: "ada@example.com", name: "Ada Manager" });
  const running = await emu.createDocument({
    title: "Ada / Bo 1:1s",
    owner: "ada@example.com",
    sharedWith: [{ principal: serviceAccount, role: "writer" }],
    content: [{ paragraph: "Our running 1:1 doc." }],
  });
  runningDocId = running.documentId;
  const drive = await emu.createFolder({
    name: "1:1 agendas",
    sharedDrive: true,
    sharedWith: [
      { principal: serviceAccount, role: "fileOrganizer" },
      { principal: "ada@example.com", role: "writer" },
    ],
  });
  const template = await emu.createDocument({
    title: "1:1 template",
    parents: [drive.id],
    sharedWith: [{ principal: serviceAccount, role: "reader" }],
    content: [
      { title: "1:1 {{manager.name}} & {{report.name}} · {{meeting.date}}" },
      { heading: "Discussion points", level: 2 },
      { bullet: "From {{report.name}}:" },
      { heading: "Action items", level: 2 },
    ],
  });
  const broken = await emu.createDocument({ title: "Not shared", owner: "ada@example.com", content: [] });

  const inputs: PairInput[] = [
    person({
      id: "gd-running",
      schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
      destination: { kind: "google-docs", mode: "running-doc", documentId: runningDocId },
    }),
    person({
      id: "gd-per-meeting",
      template: "employee-led",
      schedule: {
        timeZone: "America/New_York",
        time: "09:30",
        cadence: { kind: "weekly", weekday: "thursday" },
        leadTime: { days: 2 },
      },
      destination: {
        kind: "google-docs",
        mode: "doc-per-meeting",
        folderId: drive.id,
        templateDocumentId: template.documentId,
      },
    }),
    person({
      id: "gd-unshared",
      schedule: {
        timeZone: "Europe/Berlin",
        time: "11:00",
        cadence: { kind: "weekly", weekday: "wednesday" },
      },
      destination: { kind: "google-docs", mode: "running-doc", documentId: broken.documentId },
    }),
  ];
  for (const input of inputs) {
    const response = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(response.status, await response.clone().text()).toBe(201);
    pairs.set(input.id, { input, open: new Map(), done: new Set(), agendas: [] });
  }
}, 60_000);

describe("five simulated weeks in Google Docs", () => {
  beforeAll(async () => {
    const seen = new Set<string>();
    let turn = 0;
    for (const at of ticks) {
      await tick(testEnv, at);
      for (const meeting of await createdMeetings()) {
        if (seen.has(meeting.key)) continue;
        seen.add(meeting.key);
        const state = pairs.get(meeting.pair_id);
        if (!state) throw new Error(`unknown pair ${meeting.pair_id}`);
        state.agendas.push(meeting.date);
        await actOnNewAgenda(state, meeting, turn);
        turn += 1;
      }
    }
  }, 600_000);

  it("prepares one section or one document per meeting", async () => {
    for (const id of ["gd-running", "gd-per-meeting"]) {
      const state = pairs.get(id);
      const expected = new Set<string>();
      for (const at of ticks) {
        for (const occurrence of dueOccurrences(scheduleSchema.parse(state?.input.schedule), at))
          expected.add(occurrence.date);
      }
      expect(state?.agendas, id).toEqual([...expected].sort());
    }
    const doc = await emu.document(runningDocId);
    const sections = Object.keys(doc.tabs?.[0]?.documentTab?.namedRanges ?? {}).filter((name) =>
      name.includes("gd-running/"),
    );
    expect(sections).toHaveLength(pairs.get("gd-running")?.agendas.length ?? -1);
    // The person's edits are in the document, and the sections after them were still found and carried.
    const text = bodyOf(doc).map(paragraphText).join("");
    expect(text).toContain("Notes from the offsite");
    expect(text).toContain("✅ Action Items:");
    const dated = bodyOf(doc)
      .map(paragraphText)
      .filter((text) => /^1:1 .*2026-1\d-\d\d/.test(text));
    // Newest first: each section's title date is earlier than the one above it.
    const dates = dated.map((text) => /(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? "");
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("carries every open item, chip or typed, and leaves Done and struck-through items behind", () => {
    expect(observations.length).toBeGreaterThanOrEqual(8);
    for (const seen of observations) {
      const where = `${seen.pairId} ${seen.date}`;
      expect(seen.carried, where).toEqual(seen.expected);
      expect(seen.missingFromDocument, where).toEqual([]);
      expect(seen.doneCarried, where).toEqual([]);
    }
    expect(observations.some((seen) => seen.carried.length >= 2)).toBe(true);
  });

  it("fails the pair whose document is not shared, naming the document and the service account", async () => {
    const row = await env.DB.prepare(
      "SELECT status, error FROM meetings WHERE pair_id = 'gd-unshared' LIMIT 1",
    ).first<{
      status: string;
      error: string;
    }>();
    expect(row?.status).toBe("failed");
    expect(row?.error).toContain(serviceAccount);
    expect(row?.error).not.toContain("PRIVATE KEY");
  });

  it("changes nothing when every tick runs again", async () => {
    await emu.resetCalls(serviceAccount);
    for (const at of ticks) await tick(testEnv, at);
    const calls = await emu.calls(serviceAccount);
    expect(calls["POST /v1/documents/:id:batchUpdate"] ?? 0).toBe(0);
    expect(calls["POST /drive/v3/files/:id/copy"] ?? 0).toBe(0);
    expect(await emu.violations(serviceAccount)).toEqual([]);
  }, 600_000);
});
