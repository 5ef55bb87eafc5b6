// Five simulated weeks of cron ticks for several pairs with different cadences and time zones, with
// people ticking and adding action items between meetings. Runs the real Worker (scheduled handler and
// admin API) in workerd against the Notion emulator, and checks what the people would see in Notion.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { SeedBlock } from "../../emulators/notion/control";
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
import { dueOccurrences } from "../../src/domain/occurrences";
import type { Schedule } from "../../src/domain/schedule";
import { scheduleSchema } from "../../src/domain/schedule";
import type { RichItem, TreeTodo } from "../support/agenda-tree";
import { labelOf, sectionTodos } from "../support/agenda-tree";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
const START = Date.parse("2026-10-19T00:00:00Z");
const END = Date.parse("2026-11-23T00:00:00Z");
const TICK_MS = 15 * 60 * 1000;
const ticks = Array.from({ length: (END - START) / TICK_MS }, (_, index) => START + index * TICK_MS);

interface PairSetup {
  input: PairInput;
  dataSourceId: string;
  /** What a person expects open in this pair's action items: label → origin date. */
  open: Map<string, string>;
  discussionOpen: Map<string, string>;
  agendas: string[];
  /** Items people ticked: none may appear in a later agenda. */
  done: string[];
}

let testEnv: Env;
let token: string;
const pairs = new Map<string, PairSetup>();
let ada = "";
let bo = "";

function richTodo(
  parts: RichItem[] | Record<string, unknown>[],
  checked = false,
  children: SeedBlock[] = [],
): SeedBlock {
  return { to_do: { rich_text: parts, checked, ...(children.length ? { children } : {}) } };
}

/** A previous agenda as a person left it: open and done items, rich text, owner, due date, sub-items. */
function previousAgenda(owner: string): SeedBlock[] {
  return [
    heading(2, "How did you feel about the week?"),
    paragraph("Busy but good."),
    heading(2, "🗣️ Discussion points"),
    todo("Career path chat"),
    todo("Team offsite location", true),
    heading(2, "✅ Action Items:"),
    richTodo([
      { type: "text", text: { content: "Draft the " } },
      {
        type: "text",
        text: { content: "Q4 plan", link: { url: "https://example.com/q4" } },
        annotations: { bold: true },
      },
      { type: "text", text: { content: " " } },
      { type: "mention", mention: { user: { id: owner } } },
      { type: "text", text: { content: " due " } },
      { type: "mention", mention: { date: { start: "2026-10-16" } } },
    ]),
    todo("Prepare the demo", false, [todo("Write the script", true), todo("Book the room")]),
    todo("Book the offsite", true),
    heading(2, "Feedback"),
    todo("Not an action item"),
  ];
}

async function seedPair(
  input: PairInput,
  database: { dataSourceId: string },
  previousDate: string | null,
  pairProperty?: string,
): Promise<void> {
  if (previousDate !== null) {
    await emu.seedPage(undefined, {
      parent: { dataSourceId: database.dataSourceId },
      properties: {
        Name: title(`1:1 ${previousDate}`),
        Date: date(previousDate),
        ...(pairProperty ? { Pair: richText(pairProperty) } : {}),
      },
      children: previousAgenda(ada),
    });
  }
  const response = await admin(testEnv, "/pairs", { method: "POST", body: input });
  expect(response.status, await response.clone().text()).toBe(201);
  const seeded =
    previousDate === null ? [] : ["Draft the Q4 plan @Ada Manager due 2026-10-16", "Prepare the demo"];
  pairs.set(input.id, {
    input,
    dataSourceId: database.dataSourceId,
    open: new Map(seeded.map((label) => [label, previousDate ?? ""])),
    discussionOpen: new Map(
      input.carry?.discussion && previousDate !== null ? [["Career path chat", previousDate]] : [],
    ),
    agendas: [],
    done: ["Book the offsite"],
  });
}

async function createdMeetings(): Promise<
  { key: string; pair_id: string; date: string; agenda_id: string }[]
> {
  const { results } = await env.DB.prepare(
    "SELECT key, pair_id, date, agenda_id FROM meetings WHERE status = 'created' ORDER BY date",
  ).all<{ key: string; pair_id: string; date: string; agenda_id: string }>();
  return results;
}

function person(base: Omit<PairInput, "manager" | "report">): PairInput {
  return {
    ...base,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
  };
}

interface Observation {
  pairId: string;
  date: string;
  carried: string[];
  expected: string[];
  discussionCarried: string[];
  discussionExpected: string[];
  /** What a person would find wrong with a carried item: lost formatting, owner, due date, sub-items. */
  damage: string[];
  doneItemsCarried: string[];
}

const observations: Observation[] = [];

/** A person looks at the new agenda, then ticks the oldest open item and adds a new one. */
async function actOnNewAgenda(setup: PairSetup, agendaId: string, meetingDate: string, index: number) {
  const tree = await emu.blockTree(agendaId);
  const actions = sectionTodos(tree, "actions");
  const carried = actions.todos.filter((item) => item.text.includes("↻"));
  const discussion = sectionTodos(tree, "discussion").todos.filter((item) => item.text.includes("↻"));
  observations.push({
    pairId: setup.input.id,
    date: meetingDate,
    carried: carried.map(labelOf).sort(),
    expected: [...setup.open.keys()].sort(),
    discussionCarried: discussion.map(labelOf).sort(),
    discussionExpected: [...setup.discussionOpen.keys()].sort(),
    damage: carried.flatMap((item) => damageOf(item, setup.open.get(labelOf(item)) ?? "?")),
    doneItemsCarried: actions.todos.map(labelOf).filter((label) => setup.done.includes(label)),
  });

  const oldest = carried[0];
  if (oldest && index % 2 === 0) {
    await emu.tickTodo(oldest.id, true);
    setup.open.delete(labelOf(oldest));
    setup.done.push(labelOf(oldest));
  }
  const label = `Follow up ${meetingDate}`;
  const after = actions.lastBlockId;
  if (after === null) throw new Error(`no action-items section in ${agendaId}`);
  await emu.addBlocks(agendaId, [richTodo([{ type: "text", text: { content: label } }])], { after });
  setup.open.set(label, meetingDate);
}

function damageOf(item: TreeTodo, origin: string): string[] {
  const damage: string[] = [];
  const label = labelOf(item);
  if (item.checked) damage.push(`${label}: carried as checked`);
  if (!item.text.includes(`↻ open since ${origin}`))
    damage.push(`${label}: origin ${origin} lost in "${item.text}"`);
  if (label.startsWith("Draft the Q4 plan")) {
    const bold = item.richText.find((part) => part.plain_text === "Q4 plan");
    if (bold?.annotations?.bold !== true) damage.push(`${label}: bold lost`);
    if ((bold?.href ?? bold?.text?.link?.url) !== "https://example.com/q4")
      damage.push(`${label}: link lost`);
    if (item.richText.find((part) => part.mention?.type === "user")?.mention?.user?.id !== ada) {
      damage.push(`${label}: owner lost`);
    }
    if (item.richText.find((part) => part.mention?.type === "date")?.mention?.date?.start !== "2026-10-16") {
      damage.push(`${label}: due date lost`);
    }
    if (!item.text.includes("⚠ overdue")) damage.push(`${label}: not marked overdue`);
  }
  if (label === "Prepare the demo") {
    const children = JSON.stringify(item.children.map((child) => [child.text, child.checked]));
    if (
      children !==
      JSON.stringify([
        ["Write the script", true],
        ["Book the room", false],
      ])
    ) {
      damage.push(`${label}: sub-items changed to ${children}`);
    }
  }
  return damage;
}

function expectedMeetingDates(schedule: Schedule): string[] {
  const dates = new Set<string>();
  for (const at of ticks) {
    for (const occurrence of dueOccurrences(schedule, at)) dates.add(occurrence.date);
  }
  return [...dates].sort();
}

beforeAll(async () => {
  const integration = await emu.createIntegration({ requestsPerSecond: null });
  token = integration.token;
  testEnv = envFor(inject("notionUrl"), token);
  ada = (await emu.createUser({ name: "Ada Manager", email: "ada@example.com" })).id;
  bo = (await emu.createUser({ name: "Bo Report", email: "bo@example.com" })).id;
  const properties = { Name: { type: "title" }, Date: { type: "date" } } as const;
  const own = await emu.seedDatabase(token, { title: "Ada & Bo 1:1s", properties });
  const shared = await emu.seedDatabase(token, {
    title: "Team 1:1s",
    properties: { ...properties, Pair: { type: "rich_text" } },
  });
  const unshared = await emu.seedDatabase(undefined, { title: "Not shared", properties });

  await seedPair(
    person({
      id: "berlin-weekly",
      template: "weekly",
      schedule: {
        timeZone: "Europe/Berlin",
        time: "10:00",
        cadence: { kind: "weekly", weekday: "tuesday" },
        leadTime: { hours: 24 },
      },
      destination: { kind: "notion", dataSourceId: own.dataSourceId },
      carry: { discussion: true },
    }),
    own,
    "2026-10-13",
  );
  await seedPair(
    person({
      id: "ny-biweekly",
      template: "employee-led",
      schedule: {
        timeZone: "America/New_York",
        time: "09:30",
        cadence: { kind: "weekly", weekday: "thursday", everyWeeks: 2, startDate: "2026-10-08" },
        leadTime: { days: 2 },
      },
      destination: { kind: "notion", dataSourceId: shared.dataSourceId, pairProperty: { name: "Pair" } },
    }),
    shared,
    "2026-10-08",
    "ny-biweekly",
  );
  await seedPair(
    person({
      id: "kolkata-weekly",
      template: "three-key-areas",
      schedule: {
        timeZone: "Asia/Kolkata",
        time: "16:00",
        cadence: { kind: "weekly", weekday: "monday" },
        leadTime: { hours: 6 },
        skipDates: ["2026-11-02"],
      },
      destination: { kind: "notion", dataSourceId: shared.dataSourceId, pairProperty: { name: "Pair" } },
    }),
    shared,
    null,
  );
  await seedPair(
    person({
      id: "broken",
      schedule: {
        timeZone: "Europe/Berlin",
        time: "11:00",
        cadence: { kind: "weekly", weekday: "wednesday" },
      },
      destination: { kind: "notion", dataSourceId: unshared.dataSourceId },
    }),
    unshared,
    null,
  );
  expect(bo).not.toBe("");
}, 60_000);

describe("five simulated weeks", () => {
  // The simulation runs once; D1 changes made in beforeAll stay visible to every test below.
  beforeAll(async () => {
    const seen = new Set<string>();
    let index = 0;
    for (const at of ticks) {
      await tick(testEnv, at);
      for (const meeting of await createdMeetings()) {
        if (seen.has(meeting.key)) continue;
        seen.add(meeting.key);
        const setup = pairs.get(meeting.pair_id);
        if (!setup) throw new Error(`unknown pair ${meeting.pair_id}`);
        setup.agendas.push(meeting.date);
        await actOnNewAgenda(setup, meeting.agenda_id, meeting.date, index);
        index += 1;
      }
    }
  }, 600_000);

  it("prepares exactly one agenda per meeting, on the right local dates", async () => {
    for (const [id, setup] of pairs) {
      if (id === "broken") continue;
      const expected = expectedMeetingDates(scheduleSchema.parse(setup.input.schedule));
      expect(expected.length, id).toBeGreaterThanOrEqual(2);
      expect(setup.agendas, id).toEqual(expected);
      const pages = (await emu.pages(setup.dataSourceId)).filter((page) => {
        const pair = page.properties.Pair;
        return (
          pair === undefined ||
          (pair.type === "rich_text" && pair.rich_text.map((text) => text.plain_text).join("") === id)
        );
      });
      const dates = pages
        .map((page) => (page.properties.Date?.type === "date" ? page.properties.Date.date?.start : undefined))
        .filter((value) => value !== undefined && value >= "2026-10-19")
        .sort();
      expect(dates, `${id}: one page per meeting`).toEqual(expected);
    }
    // Skip dates hold, and daylight saving time moves nothing: New York meets on its Thursdays either
    // side of 1 November, Berlin on its Tuesdays either side of 25 October.
    expect(pairs.get("kolkata-weekly")?.agendas).not.toContain("2026-11-02");
    expect(pairs.get("ny-biweekly")?.agendas).toEqual(["2026-10-22", "2026-11-05", "2026-11-19"]);
    expect(pairs.get("berlin-weekly")?.agendas).toEqual([
      "2026-10-20",
      "2026-10-27",
      "2026-11-03",
      "2026-11-10",
      "2026-11-17",
    ]);
  });

  it("carries every open item, with rich text, owner, due date, origin and sub-items, and no done one", () => {
    expect(observations.length).toBeGreaterThanOrEqual(10);
    for (const seen of observations) {
      const where = `${seen.pairId} ${seen.date}`;
      expect(seen.carried, where).toEqual(seen.expected);
      expect(seen.discussionCarried, where).toEqual(seen.discussionExpected);
      expect(seen.damage, `${where}: ${JSON.stringify(seen.damage)}`).toEqual([]);
      expect(seen.doneItemsCarried, where).toEqual([]);
    }
    // The seeded items really travelled: the first Berlin agenda carried them, marked from 13 October.
    expect(observations.find((seen) => seen.pairId === "berlin-weekly")?.carried).toContain(
      "Prepare the demo",
    );
    expect(observations.find((seen) => seen.pairId === "berlin-weekly")?.discussionCarried).toEqual([
      "Career path chat",
    ]);
  });

  it("fails the broken pair with a reason a person can act on, and only that pair", async () => {
    const { results } = await env.DB.prepare(
      "SELECT status, error, attempts FROM meetings WHERE pair_id = 'broken'",
    ).all<{
      status: string;
      error: string;
      attempts: number;
    }>();
    expect(results.length).toBeGreaterThan(0);
    for (const row of results) {
      expect(row.status).toBe("failed");
      expect(row.error).toMatch(/not found or is not shared with the integration/);
      expect(row.error).not.toContain(token);
      // Only a person can fix an unshared database, so it is retried hourly through the 24-hour lead
      // time, not at each of its 96 ticks.
      expect(row.attempts).toBeGreaterThanOrEqual(20);
      expect(row.attempts).toBeLessThanOrEqual(25);
    }
  });

  it("changes nothing when every tick runs again", async () => {
    const before = await Promise.all([...pairs.values()].map((setup) => emu.pages(setup.dataSourceId)));
    await emu.resetCalls(token);
    for (const at of ticks) await tick(testEnv, at);
    const calls = await emu.calls(token);
    expect(calls["POST /v1/pages"] ?? 0).toBe(0);
    expect(calls["PATCH /v1/blocks/:id/children"] ?? 0).toBe(0);
    const after = await Promise.all([...pairs.values()].map((setup) => emu.pages(setup.dataSourceId)));
    expect(after.map((list) => list.length)).toEqual(before.map((list) => list.length));
  }, 600_000);
});
