// Nothing half-made is taken as the agenda: an agenda too big for one request is written in several
// (create, appends, then the write that marks it finished); losing the answer of each of those calls in
// turn, after Notion did the work, still ends with exactly one finished agenda for the meeting after
// the next attempt, every carried item in it once, and the unfinished page in the trash.
import { describe, expect, inject, it } from "vitest";
import {
  type BlockTreeNode,
  bullet,
  date,
  heading,
  notionControl,
  paragraph,
  type SeedBlock,
  title,
  todo,
} from "../../../emulators/notion/control";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { notionDestinationSchema } from "../../../src/destinations/notion/config";
import { createNotionDestination } from "../../../src/destinations/notion/destination";
import { UNFINISHED_MARK } from "../../../src/destinations/notion/pages";
import {
  type AgendaRef,
  type Destination,
  DestinationError,
  type MeetingRef,
} from "../../../src/destinations/types";
import type { Agenda, Block } from "../../../src/domain/agenda";
import { draftOf } from "../../support/pairs";

const url = inject("notionUrl");
const emu = notionControl(url);

const SCHEMA = { Name: { type: "title" }, Date: { type: "date" } } as const;
const DATE = "2026-12-08";
const MEETING: MeetingRef = { pairId: "unfinished", key: `unfinished/${DATE}`, date: DATE };
const TITLE = `1:1 Alice / Bob — ${DATE}`;
/** Open items on the previous agenda: more than one request's 100 top-level blocks, with the chain. */
const FLAT_ITEMS = 104;

function words(value: string) {
  return [{ kind: "text" as const, text: value }];
}

function agendaWith(actions: Block[]): Agenda {
  return {
    title: TITLE,
    intro: [{ kind: "paragraph", text: words("Prepared by the agenda worker"), children: [] }],
    sections: [
      { heading: words("How did you feel about the week?"), level: 2, role: null, blocks: [] },
      { heading: words("Discussion points"), level: 2, role: "discussion", blocks: [] },
      { heading: words("Action items"), level: 2, role: "actions", blocks: actions },
    ],
  };
}

/**
 * The previous agenda: 104 open to-dos, one done, and an open one nested four levels deep, last. Carried,
 * they make a page of 109 top-level blocks: page creation takes 100, one append the other 9 (with the
 * deep item's first level), one append the deep item's lower levels; then the finishing write.
 */
function previousBlocks(): SeedBlock[] {
  return [
    heading(2, "Action items"),
    ...Array.from({ length: FLAT_ITEMS }, (_, index) => todo(`item ${index}`)),
    todo("done item", true),
    todo("deep 1", false, [bullet("deep 2", [bullet("deep 3", [paragraph("deep 4")])])]),
  ];
}

async function workspace() {
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: "1:1 agendas",
    properties: SCHEMA,
    pages: [
      { properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") }, children: previousBlocks() },
    ],
  });
  const seeded = db.pages[0];
  if (seeded === undefined) throw new Error("no previous page seeded");
  const previous: AgendaRef = { id: seeded.id, url: seeded.url, date: "2026-12-01" };
  const client = createNotionClient({ token: integration.token, baseUrl: url, requestsPerSecond: 1000 });
  const destination = createNotionDestination({
    client,
    config: notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId }),
    pairId: MEETING.pairId,
  });
  return { token: integration.token, db, client, destination, previous };
}

/** What the job does for one meeting: find-before-create, read the previous agenda, write the new one. */
async function prepare(destination: Destination, meeting: MeetingRef): Promise<AgendaRef> {
  const located = await destination.locate(meeting);
  if (located.existing !== null) return located.existing;
  const open =
    located.previous === null ? [] : (await destination.readOpenItems(located.previous, ["actions"])).actions;
  return destination.create(meeting, draftOf(agendaWith(open)));
}

function plainOf(node: BlockTreeNode): string {
  const payload = (node as unknown as Record<string, { rich_text?: { plain_text: string }[] }>)[node.type];
  return payload?.rich_text?.map((item) => item.plain_text).join("") ?? "";
}

function outline(nodes: readonly BlockTreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${"  ".repeat(depth)}${node.type}: ${plainOf(node)}`,
    ...outline(node.children ?? [], depth + 1),
  ]);
}

function titleOf(page: { properties: Record<string, unknown> }): string {
  const value = page.properties.Name as { title?: { plain_text: string }[] } | undefined;
  return value?.title?.map((item) => item.plain_text).join("") ?? "";
}

function dateOf(page: { properties: Record<string, unknown> }): string | undefined {
  const value = page.properties.Date as { date?: { start: string } | null } | undefined;
  return value?.date?.start;
}

/** Live pages for the meeting's date: what a person (and a query) sees. */
async function livePagesOfMeeting(dataSourceId: string) {
  return (await emu.pages(dataSourceId)).filter((page) => dateOf(page) === DATE);
}

/** The one finished agenda for the meeting, with every carried item exactly once. */
async function expectOneFinishedAgenda(dataSourceId: string, destination: Destination, agenda: AgendaRef) {
  const live = await livePagesOfMeeting(dataSourceId);
  expect(live.map((page) => page.id)).toEqual([agenda.id]);
  const [page] = live;
  if (page === undefined) throw new Error("no agenda page");
  expect(titleOf(page)).toBe(TITLE);
  const lines = outline(await emu.blockTree(agenda.id));
  for (let index = 0; index < FLAT_ITEMS; index += 1) {
    expect(lines.filter((line) => line === `to_do: item ${index}`)).toHaveLength(1);
  }
  expect(lines.slice(-4)).toEqual([
    "to_do: deep 1",
    "  bulleted_list_item: deep 2",
    "    bulleted_list_item: deep 3",
    "      paragraph: deep 4",
  ]);
  expect(lines.filter((line) => line.includes("deep 1"))).toHaveLength(1);
  expect(lines.some((line) => line.includes("done item"))).toBe(false);
  // Found again as this meeting's agenda, by a run that knows nothing and by one that recovers.
  expect((await destination.locate(MEETING)).existing?.id).toBe(agenda.id);
}

interface WritingCall {
  name: string;
  method: string;
  path: string;
  skip: number;
}

const WRITING_CALLS: WritingCall[] = [
  { name: "page creation", method: "POST", path: "/v1/pages", skip: 0 },
  { name: "the first append", method: "PATCH", path: "/v1/blocks/:id/children", skip: 0 },
  { name: "the second append", method: "PATCH", path: "/v1/blocks/:id/children", skip: 1 },
  { name: "the finishing write", method: "PATCH", path: "/v1/pages/:id", skip: 0 },
];

describe("an agenda written in several requests is never taken half-made", () => {
  it("writes the test agenda in exactly these calls when nothing fails", async () => {
    const { token, db, client, destination, previous } = await workspace();
    const steady: MeetingRef = { ...MEETING, known: { previous, earlierAttempt: false } };
    await emu.resetCalls(token);
    const before = client.calls();
    const agenda = await prepare(destination, steady);
    const after = client.calls();
    const writes = Object.fromEntries(
      Object.entries(after)
        .filter(([endpoint]) => !endpoint.startsWith("GET "))
        .map(([endpoint, count]) => [endpoint, count - (before[endpoint] ?? 0)]),
    );
    expect(writes).toEqual({
      "POST /v1/pages": 1,
      "PATCH /v1/blocks/:id/children": 2,
      "PATCH /v1/pages/:id": 1,
    });
    await expectOneFinishedAgenda(db.dataSourceId, destination, agenda);
    expect(await emu.violations(token)).toEqual([]);
  });

  for (const call of WRITING_CALLS) {
    it(`losing the answer of ${call.name} ends, after the next attempt, with one finished agenda`, async () => {
      const { token, db, destination, previous } = await workspace();
      await emu.addFault({ token, method: call.method, path: call.path, skip: call.skip, drop: "after" });
      if (call.method === "PATCH" && call.path.endsWith("/children")) {
        // The worst case: moving the half-written page to the trash fails too (the run died), so the
        // next attempt must recognise the page as unfinished by itself.
        await emu.addFault({ token, method: "PATCH", path: "/v1/pages/:id", drop: true });
      }
      const steady: MeetingRef = { ...MEETING, known: { previous, earlierAttempt: false } };
      const error = await prepare(destination, steady).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DestinationError);
      expect((error as DestinationError).retryable).toBe(true);

      const recovering: MeetingRef = { ...MEETING, known: { previous, earlierAttempt: true } };
      const agenda = await prepare(destination, recovering);
      await expectOneFinishedAgenda(db.dataSourceId, destination, agenda);
      expect(await emu.violations(token)).toEqual([]);
    });
  }

  it("a run that knows nothing (no ledger) never takes an unfinished page, and replaces it", async () => {
    const { token, db, destination, previous } = await workspace();
    await emu.addFault({ token, method: "POST", path: "/v1/pages", drop: "after" });
    await expect(
      prepare(destination, { ...MEETING, known: { previous, earlierAttempt: false } }),
    ).rejects.toThrow(DestinationError);
    const [unfinished] = await livePagesOfMeeting(db.dataSourceId);
    if (unfinished === undefined) throw new Error("the lost creation made no page");
    expect(titleOf(unfinished)).toBe(`${TITLE}${UNFINISHED_MARK}`);
    const located = await destination.locate(MEETING);
    expect(located.existing).toBeNull();
    expect(located.previous?.id).toBe(previous.id);
    // Locate only looks (a dry run locates too); writing the agenda anew moves the unfinished page to
    // the trash first, so no person mistakes it for the agenda either.
    expect((await emu.page(unfinished.id)).in_trash).toBe(false);
    const open = await destination.readOpenItems(previous, ["actions"]);
    const agenda = await destination.create(MEETING, draftOf(agendaWith(open.actions)));
    expect((await emu.page(unfinished.id)).in_trash).toBe(true);
    await expectOneFinishedAgenda(db.dataSourceId, destination, agenda);
  });
});
