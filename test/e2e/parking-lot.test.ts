// The parking lot through the real Worker and the Notion emulator: a pair with `carry.maxTimes` gets the
// items carried more often than that in a "Parking lot" section at the end of its agenda; the next
// agenda carries them again from there, still parked; the digest lists them under their own heading,
// and the manager's roll-up shows the report's week in figures (closed, closed within a week, carried,
// stuck).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { BlockTreeNode, SeedBlock } from "../../emulators/notion/control";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import { receiversControl } from "../../emulators/receivers/control";
import type { PairInput } from "../../src/config/pair";
import { webhookPayloadSchema } from "../../src/notify/channels/webhook/digest";
import { plainOf } from "../support/agenda-tree";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);

// Tuesdays 10:00 in Berlin, prepared 24 hours ahead (Monday 10:00, 09:00Z in winter).
const WEEK_MS = 7 * 86_400_000;
const FIRST_DUE = Date.parse("2026-12-07T09:00:00Z");
const MARK = (origin: string, times: number) => ` ↻ open since ${origin} · carried ${times}×`;

/** A to-do as the Worker writes a carried one: the person's words, then the carry mark in a run of its own. */
function carriedTodo(text: string, origin: string, times: number, checked = false): SeedBlock {
  return {
    to_do: {
      rich_text: [
        { text: { content: text } },
        { text: { content: MARK(origin, times) }, annotations: { italic: true, color: "gray" } },
      ],
      checked,
    },
  };
}

/** The last agenda as people left it, including a parking lot an earlier agenda wrote. */
function previousAgenda(): SeedBlock[] {
  return [
    heading(2, "Action items"),
    todo("Fresh item"),
    carriedTodo("Long item", "2026-11-03", 2),
    todo("Closed the week it came", true),
    carriedTodo("Closed after two carries", "2026-11-17", 2, true),
    heading(2, "Notes"),
    heading(2, "🅿️ Parking lot:"),
    carriedTodo("Parked before", "2026-10-06", 5),
  ];
}

interface Section {
  heading: string;
  items: string[];
}

/** The page as a person reads it: each heading with the to-dos under it. */
function sectionsOf(tree: readonly BlockTreeNode[]): Section[] {
  const sections: Section[] = [];
  for (const node of tree) {
    if (node.type.startsWith("heading_")) sections.push({ heading: plainOf(node), items: [] });
    else if (node.type === "to_do") sections.at(-1)?.items.push(plainOf(node));
  }
  return sections;
}

const pairId = `park-${crypto.randomUUID().slice(0, 8)}`;
const manager = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`;
const hook = {
  digest: `park-digest-${pairId}`,
  slack: `park-slack-${pairId}`,
  rollup: `park-rollup-${pairId}`,
};
let testEnv: Env;

async function agendaOf(meetingDate: string): Promise<BlockTreeNode[]> {
  const row = await env.DB.prepare("SELECT agenda_id FROM meetings WHERE key = ? AND status = 'created'")
    .bind(`${pairId}/${meetingDate}`)
    .first<{ agenda_id: string }>();
  if (row === null) throw new Error(`no agenda for ${meetingDate}`);
  return emu.blockTree(row.agenda_id);
}

beforeAll(async () => {
  const { token } = await emu.createIntegration({ requestsPerSecond: null });
  testEnv = {
    ...envFor(inject("notionUrl"), token),
    PARK_HOOK_URL: `${receiversUrl}/webhook/${hook.digest}`,
    PARK_HOOK_URL_SIGNING_SECRET: `whsec_${btoa("a local signing secret, 32 bytes!")}`,
    PARK_SLACK_URL: `${receiversUrl}/slack/${hook.slack}`,
    PARK_ROLLUP_URL: `${receiversUrl}/slack/${hook.rollup}`,
  } as Env;
  const db = await emu.seedDatabase(token, {
    title: `1:1s ${pairId}`,
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      { properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") }, children: previousAgenda() },
    ],
  });
  const input: PairInput = {
    id: pairId,
    manager: { name: "Ada Manager", email: manager },
    report: { name: "Bo Report", email: `${pairId}@example.com` },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId: db.dataSourceId },
    carry: { maxTimes: 2 },
    digests: [
      { channel: "webhook", secret: "PARK_HOOK_URL" },
      { channel: "slack", secret: "PARK_SLACK_URL" },
    ],
  };
  const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
  expect(created.status, await created.clone().text()).toBe(201);
  const rollup = await admin(testEnv, `/rollups/${manager}`, {
    method: "PUT",
    body: {
      manager: { name: "Ada Manager", email: manager },
      weekday: "monday",
      time: "10:00",
      timeZone: "Europe/Berlin",
      channels: [{ channel: "slack", secret: "PARK_ROLLUP_URL" }],
    },
  });
  expect(rollup.status, await rollup.clone().text()).toBe(201);
  await tick(testEnv, FIRST_DUE);
}, 60_000);

describe("the parking lot in Notion", () => {
  it("moves an item over the limit to a Parking lot at the end, and keeps what was parked there", async () => {
    const sections = sectionsOf(await agendaOf("2026-12-08"));
    const last = sections.at(-1);
    expect(last?.heading).toBe("Parking lot");
    // The template's own sections come before it; the parked items keep counting.
    expect(last?.items).toEqual([
      `Parked before${MARK("2026-10-06", 6)}`,
      `Long item${MARK("2026-11-03", 3)}`,
    ]);
    const actions = sections.find((section) => section.heading === "Action items");
    expect(actions?.items).toContain(`Fresh item${MARK("2026-12-01", 1)}`);
    expect(sections.filter((section) => /parking lot/iu.test(section.heading))).toHaveLength(1);
  });

  it("records the parked items and the items closed within a week", async () => {
    const { results } = await env.DB.prepare(
      "SELECT role, text, times_carried FROM carried_items WHERE meeting_key = ? ORDER BY role, position",
    )
      .bind(`${pairId}/2026-12-08`)
      .all<{ role: string; text: string; times_carried: number }>();
    expect(results.map((row) => [row.role, row.text, row.times_carried])).toEqual([
      ["actions", "Fresh item", 1],
      ["parked", "Parked before", 6],
      ["parked", "Long item", 3],
    ]);
    const meeting = await env.DB.prepare(
      "SELECT closed_count, closed_within_week_count FROM meetings WHERE key = ?",
    )
      .bind(`${pairId}/2026-12-08`)
      .first<{ closed_count: number; closed_within_week_count: number }>();
    expect(meeting).toEqual({ closed_count: 2, closed_within_week_count: 1 });
  });

  it("lists the parked items in the digest under their own heading", async () => {
    const [signed] = await receivers.received({ kind: "webhook", hook: hook.digest });
    const payload = webhookPayloadSchema.parse(JSON.parse(signed?.body ?? "{}"));
    expect(payload.items.map((item) => [item.text, item.parked, item.longCarried])).toEqual([
      ["Fresh item", false, false],
      ["Parked before", true, true],
      ["Long item", true, true],
    ]);
    expect(payload.counts).toMatchObject({ carried: 3, longCarried: 2, parked: 2 });
    const [slack] = await receivers.received({ kind: "slack", hook: hook.slack });
    const body = JSON.parse(slack?.body ?? "{}") as { text: string; blocks: unknown[] };
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain("2 stuck, 2 in the parking lot");
    const at = blocks.indexOf("🅿️ Parking lot");
    expect(at).toBeGreaterThan(blocks.indexOf("Fresh item"));
    expect(at).toBeLessThan(blocks.indexOf("Parked before"));
  });

  it("shows the report's week in the roll-up", async () => {
    const [rollup] = await receivers.received({ kind: "slack", hook: hook.rollup });
    const body = JSON.stringify(JSON.parse(rollup?.body ?? "{}"));
    expect(body).toContain("closed 2 (1 within a week, 50%) · carried 3 · stuck 2 · 2 in the parking lot");
    expect(body).toContain("🅿️ Parking lot");
  });

  it("carries the parked items again from the parking lot the next week", async () => {
    await tick(testEnv, FIRST_DUE + WEEK_MS);
    const sections = sectionsOf(await agendaOf("2026-12-15"));
    expect(sections.at(-1)?.items).toEqual([
      `Parked before${MARK("2026-10-06", 7)}`,
      `Long item${MARK("2026-11-03", 4)}`,
    ]);
    const actions = sections.find((section) => section.heading === "Action items");
    // Carried exactly maxTimes: still in the action items.
    expect(actions?.items).toContain(`Fresh item${MARK("2026-12-01", 2)}`);
  }, 60_000);
});
