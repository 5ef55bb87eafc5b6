// Taking over the Notion pages a team made by hand before the Worker came, through the real Worker
// against the emulator: the first agenda carries the open to-dos of the newest page by the date property
// (whatever made it, renamed headings and emoji included) and says so in the meetings view. In a data
// source that marks pages by pair, a page without the mark is taken when no other pair is there, and a
// page of another pair never is.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, paragraph, select, title, todo } from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
/** Tuesdays 10:00 in Berlin, prepared a day ahead: the 2026-12-08 agenda is due from 12-07 09:00Z. */
const TICK = Date.parse("2026-12-07T09:30:00Z");

let testEnv: Env;
let bo = "";

interface MeetingView {
  date: string;
  status: string;
  carriedFrom: { title: string | null; url: string; date: string; madeBy: string } | null;
  carried: { text: string; ownerUserId: string | null }[];
}

function pair(id: string, destination: PairInput["destination"]): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
  };
}

async function firstMeeting(id: string): Promise<MeetingView> {
  const response = await admin(testEnv, `/pairs/${id}/meetings`);
  expect(response.status).toBe(200);
  const { meetings } = (await response.json()) as { meetings: MeetingView[] };
  const meeting = meetings.find((candidate) => candidate.date === "2026-12-08");
  expect(meeting?.status, JSON.stringify(meetings)).toBe("created");
  if (meeting === undefined) throw new Error(`no first meeting of ${id}`);
  return meeting;
}

function texts(meeting: MeetingView): string[] {
  return meeting.carried.map((item) => item.text.trim()).sort();
}

/** A page people kept for one meeting: renamed headings, emoji, an owner mention, a done and open to-dos. */
function handWritten(label: string) {
  return [
    heading(2, "💬 Talking points"),
    paragraph("How the launch went."),
    heading(2, "✅ Next steps:"),
    {
      to_do: {
        rich_text: [
          { type: "text", text: { content: `${label}: review the roadmap with ` } },
          { type: "mention", mention: { user: { id: bo } } },
        ],
        checked: false,
      },
    },
    todo(`${label}: send the contract`, true),
    todo(`${label}: plan the offsite 🏕️`),
  ];
}

beforeAll(async () => {
  const integration = await emu.createIntegration({ requestsPerSecond: null });
  testEnv = envFor(inject("notionUrl"), integration.token);
  bo = (await emu.createUser({ name: "Bo Report", email: "bo@example.com" })).id;
  const properties = { Name: { type: "title" }, Date: { type: "date" } } as const;
  const marked = { ...properties, Pair: { type: "select", options: ["ada-bo", "cy-di"] } } as const;

  // The pair's own database, no pair property: its newest page dated before the meeting is taken over.
  const own = await emu.seedDatabase(integration.token, {
    title: "Ada & Bo 1:1s",
    properties,
    pages: [
      {
        properties: { Name: title("🗓️ Ada / Bo — Dec 1"), Date: date("2026-12-01T17:00:00.000+01:00") },
        children: handWritten("Own"),
      },
      {
        properties: { Name: title("Ada / Bo — Nov 24"), Date: date("2026-11-24") },
        children: [heading(2, "Action items"), todo("Own: an older item")],
      },
      {
        properties: { Name: title("Next week's draft"), Date: date("2026-12-15") },
        children: [heading(2, "Action items"), todo("Own: a later meeting's item")],
      },
    ],
  });

  // A data source marked by pair, where only this team kept pages, none marked yet.
  const team = await emu.seedDatabase(integration.token, {
    title: "Team 1:1s",
    properties: marked,
    pages: [
      {
        properties: { Name: title("Ada / Bo 1 Dec"), Date: date("2026-12-01") },
        children: handWritten("Team"),
      },
      {
        properties: { Name: title("Ada / Bo 24 Nov"), Date: date("2026-11-24") },
        children: [heading(2, "Action items"), todo("Team: an older item")],
      },
    ],
  });

  // A data source another pair writes to as well: its page (newer) is never taken, nor an unmarked one.
  const shared = await emu.seedDatabase(integration.token, {
    title: "Shared 1:1s",
    properties: marked,
    pages: [
      {
        properties: { Name: title("Cy / Di 3 Dec"), Date: date("2026-12-03"), Pair: select("cy-di") },
        children: [heading(2, "Action items"), todo("Cy: someone else's item")],
      },
      { properties: { Name: title("1 Dec"), Date: date("2026-12-01") }, children: handWritten("Shared") },
    ],
  });

  for (const input of [
    pair("notion-own", { kind: "notion", dataSourceId: own.dataSourceId }),
    pair("notion-team", {
      kind: "notion",
      dataSourceId: team.dataSourceId,
      pairProperty: { name: "Pair", type: "select", value: "ada-bo" },
    }),
    pair("notion-shared", {
      kind: "notion",
      dataSourceId: shared.dataSourceId,
      pairProperty: { name: "Pair", type: "select", value: "ada-bo" },
    }),
  ]) {
    const response = await admin(testEnv, "/pairs", { method: "POST", body: input });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  await tick(testEnv, TICK);
}, 120_000);

describe("taking over a Notion database kept by hand", () => {
  it("carries the open to-dos of the newest page before the meeting, not its done ones, and says so", async () => {
    const meeting = await firstMeeting("notion-own");
    expect(texts(meeting)).toEqual(["Own: plan the offsite 🏕️", "Own: review the roadmap with @Bo Report"]);
    expect(meeting.carried.find((item) => item.text.includes("roadmap"))?.ownerUserId).toBe(bo);
    expect(meeting.carriedFrom).toMatchObject({
      title: "🗓️ Ada / Bo — Dec 1",
      date: "2026-12-01",
      madeBy: "people",
    });
  });

  it("with a pair property, takes the newest page without the mark when no other pair is there", async () => {
    const meeting = await firstMeeting("notion-team");
    expect(texts(meeting)).toEqual(["Team: plan the offsite 🏕️", "Team: review the roadmap with @Bo Report"]);
    expect(meeting.carriedFrom).toMatchObject({
      title: "Ada / Bo 1 Dec",
      date: "2026-12-01",
      madeBy: "people",
    });
  });

  it("never takes another pair's page, nor an unmarked one where another pair keeps its pages", async () => {
    const meeting = await firstMeeting("notion-shared");
    expect(meeting.carried).toEqual([]);
    expect(meeting.carriedFrom).toBeNull();
  });
});
