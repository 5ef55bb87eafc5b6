// Taking over what a team already has in Google Docs, through the real Worker against the emulator: a
// running doc and a folder of meeting docs written by hand before the Worker came (headings renamed,
// dates in several forms, emoji, chips where people put them). The first agenda carries their open
// items and not their done ones, says where they came from, and a later agenda carries what people
// typed just below the Worker's section.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";
import type { PairInput } from "../../src/config/pair";
import { bodyOf, paragraphText, typeItemAt } from "../support/docs-people";
import { admin, googleEnvFor, tick } from "../support/worker";

const url = inject("googleUrl");
const emu = googleControl(url);
const suffix = crypto.randomUUID().slice(0, 8);
const ada = `ada-${suffix}@example.com`;
const bo = `bo-${suffix}@example.com`;
/** Tuesdays 10:00 in Berlin, prepared a day ahead: the 2026-12-08 agenda is due from 12-07 09:00Z. */
const FIRST_TICK = Date.parse("2026-12-07T09:30:00Z");
const SECOND_TICK = Date.parse("2026-12-14T09:30:00Z");

let testEnv: Env;
let runningDocId = "";
let folderId = "";

interface CarriedView {
  text: string;
  ownerUserId: string | null;
}
interface MeetingView {
  date: string;
  status: string;
  agendaId: string | null;
  carriedFrom: { title: string | null; url: string; date: string; madeBy: string } | null;
  carried: CarriedView[];
}

function pair(id: string, destination: PairInput["destination"]): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: ada },
    report: { name: "Bo Report", email: bo },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
  };
}

async function meetingsOf(id: string): Promise<MeetingView[]> {
  const response = await admin(testEnv, `/pairs/${id}/meetings`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { meetings: MeetingView[] };
  return body.meetings;
}

async function meetingOn(id: string, date: string): Promise<MeetingView> {
  const meeting = (await meetingsOf(id)).find((candidate) => candidate.date === date);
  if (meeting === undefined) throw new Error(`no ${date} meeting of ${id}`);
  expect(meeting.status, JSON.stringify(meeting)).toBe("created");
  return meeting;
}

function texts(meeting: MeetingView): string[] {
  return meeting.carried.map((item) => item.text.trim()).sort();
}

beforeAll(async () => {
  const key = await emu.createServiceAccount({ name: `takeover-${suffix}` });
  testEnv = googleEnvFor(url, key);
  await emu.createUser({ email: ada, name: "Ada Manager" });
  await emu.createUser({ email: bo, name: "Bo Report" });
  const status = { dropdown: ["Open", "Done"], title: "Status" };

  // A running doc kept by hand, newest meeting first, each headed with its date written another way.
  const running = await emu.createDocument({
    title: "Ada / Bo 1:1s",
    owner: ada,
    sharedWith: [{ principal: key.client_email, role: "writer" }],
    content: [
      { paragraph: "Ada & Bo — weekly 1:1 notes" },
      { heading: "📅 Tuesday 1 Dec", level: 1 },
      { heading: "✅ Next steps:", level: 2 },
      // Closed with a Done chip at the end of the line.
      { bullet: ["Send the offer letter ", { ...status, selected: "Done" }] },
      // The owner is a person chip in the middle of the line.
      { bullet: ["Draft the memo with ", { person: bo, name: "Bo Report" }, " by Friday"] },
      { bullet: [{ text: "Book the offsite venue", strikethrough: true }] },
      { bullet: "Renew the design licence 🎨" },
      { heading: "Notes", level: 2 },
      { paragraph: "Talked about the roadmap." },
      { heading: "24/11/2026", level: 1 },
      { heading: "Action items", level: 2 },
      { bullet: "Old November item" },
      { heading: "Nov 17, 2026", level: 1 },
      { heading: "Action items", level: 2 },
      { bullet: "Even older item" },
    ],
  });
  runningDocId = running.documentId;

  // A folder of meeting docs made by hand, named with their dates, beside documents of other kinds.
  const drive = await emu.createFolder({
    name: `1:1 notes ${suffix}`,
    sharedDrive: true,
    sharedWith: [
      { principal: key.client_email, role: "fileOrganizer" },
      { principal: ada, role: "writer" },
    ],
  });
  folderId = drive.id;
  await emu.createDocument({
    title: "Ada <> Bo 1:1 — 1 December 2026 🗓️",
    parents: [drive.id],
    content: [
      { heading: "Talking points", level: 2 },
      { bullet: "Hiring plan" },
      { heading: "Action Items", level: 2 },
      { bullet: ["Prepare the Q1 goals ", { person: bo }] },
      { bullet: ["Ship the newsletter ", { ...status, selected: "Done" }] },
    ],
  });
  await emu.createDocument({
    title: "Ada <> Bo 1:1 — Nov 24, 2026",
    parents: [drive.id],
    content: [{ heading: "Action items", level: 2 }, { bullet: "Older folder item" }],
  });
  await emu.createDocument({
    title: "Team offsite plan",
    parents: [drive.id],
    content: [{ heading: "Action items", level: 2 }, { bullet: "Not a meeting's item" }],
  });
  await emu.createDocument({
    title: "1:1 2026-12-22 (draft)",
    parents: [drive.id],
    content: [{ heading: "Action items", level: 2 }, { bullet: "A later meeting's item" }],
  });

  for (const input of [
    pair("takeover-running", { kind: "google-docs", mode: "running-doc", documentId: runningDocId }),
    pair("takeover-folder", { kind: "google-docs", mode: "doc-per-meeting", folderId }),
  ]) {
    const response = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  await tick(testEnv, FIRST_TICK);
}, 120_000);

describe("taking over a running doc kept by hand", () => {
  it("carries the newest dated meeting's open items, not its done ones, with the owner chip kept", async () => {
    const meeting = await meetingOn("takeover-running", "2026-12-08");
    expect(texts(meeting)).toEqual([
      "Draft the memo with Bo Report by Friday",
      "Renew the design licence 🎨",
    ]);
    expect(meeting.carried.find((item) => item.text.startsWith("Draft"))?.ownerUserId).toBe(bo);
    const view = await emu.view(runningDocId);
    expect(view).toContain("Renew the design licence 🎨");
  });

  it("says the items came from the team's own section", async () => {
    const meeting = await meetingOn("takeover-running", "2026-12-08");
    expect(meeting.carriedFrom).toMatchObject({
      title: "📅 Tuesday 1 Dec",
      date: "2026-12-01",
      madeBy: "people",
    });
    expect(meeting.carriedFrom?.url).toContain(runningDocId);
  });

  it("next week, carries what people typed below the Worker's section, and a Done chip at the line's end closes an item", async () => {
    const doc = await emu.document(runningDocId);
    const range = Object.entries(doc.tabs?.[0]?.documentTab?.namedRanges ?? {}).find(([name]) =>
      name.endsWith("takeover-running/2026-12-08"),
    )?.[1].namedRanges?.[0]?.ranges?.[0];
    const end = range?.endIndex ?? 0;
    expect(end).toBeGreaterThan(1);
    // A person types a new item just below the section, past the range the Worker wrote.
    const label = "Call the landlord";
    await typeItemAt(emu, runningDocId, end, label, ada);
    const after = await emu.document(runningDocId);
    const stillOutside = Object.entries(after.tabs?.[0]?.documentTab?.namedRanges ?? {}).find(([name]) =>
      name.endsWith("takeover-running/2026-12-08"),
    )?.[1].namedRanges?.[0]?.ranges?.[0];
    // The typed line is past the Worker's range: only the meeting's heading-to-heading extent holds it.
    expect(stillOutside?.endIndex ?? 0).toBeLessThanOrEqual(end);

    // Another closes a carried item with a Done chip at the end of its line (its Open chip stays first).
    const licence = bodyOf(after).find((element) =>
      paragraphText(element).includes("Renew the design licence"),
    );
    const lineEnd = (licence?.endIndex ?? 1) - 1;
    const definition = Object.keys(after.tabs?.[0]?.documentTab?.dropdownDefinitions ?? {}).find((id) =>
      id.includes("oneOnOneStatus"),
    );
    expect(definition).toBeDefined();
    await emu.batchUpdateAs(ada, runningDocId, [
      { insertText: { location: { index: lineEnd }, text: " " } },
      {
        insertDropdown: {
          location: { index: lineEnd + 1 },
          dropdownDefinitionId: definition ?? "",
          selectedOptionId: "dropdownItem.done",
        },
      },
    ]);

    await tick(testEnv, SECOND_TICK);
    const meeting = await meetingOn("takeover-running", "2026-12-15");
    expect(texts(meeting)).toEqual([label, "Draft the memo with Bo Report by Friday"].sort());
    expect(meeting.carriedFrom).toMatchObject({ date: "2026-12-08", madeBy: "worker" });
  });
});

describe("taking over a folder of meeting docs made by hand", () => {
  it("carries the open items of the newest document dated before the meeting", async () => {
    const meeting = await meetingOn("takeover-folder", "2026-12-08");
    expect(texts(meeting)).toEqual(["Prepare the Q1 goals Bo Report"]);
    expect(meeting.carried[0]?.ownerUserId).toBe(bo);
    expect(meeting.carriedFrom).toMatchObject({
      title: "Ada <> Bo 1:1 — 1 December 2026 🗓️",
      date: "2026-12-01",
      madeBy: "people",
    });
  });
});
