// The Notion destination against the Notion emulator, through the real SDK over HTTP: a whole carry
// (locate, read the previous agenda's open items, create the new one) in three calls, find-before-create,
// deep and long agendas within Notion's limits, failures named for a person, and the retry rules.

import { describe, expect, inject, it } from "vitest";
import {
  type BlockTreeNode,
  date,
  heading,
  notionControl,
  paragraph,
  richText,
  title,
  todo,
} from "../../../emulators/notion/control";
import { createNotionClient } from "../../../src/destinations/notion/client";
import {
  type NotionDestinationInput,
  notionDestinationSchema,
} from "../../../src/destinations/notion/config";
import { createNotionDestination } from "../../../src/destinations/notion/destination";
import { DestinationError, type MeetingRef } from "../../../src/destinations/types";
import type { Agenda, Block } from "../../../src/domain/agenda";
import { draftOf } from "../../support/pairs";

const url = inject("notionUrl");
const emu = notionControl(url);

const SCHEMA = { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } } as const;
const MEETING: MeetingRef = { pairId: "alice-bob", key: "alice-bob/2026-12-08", date: "2026-12-08" };

/** A fresh integration (own token, calls and rate bucket) with a seeded agenda database. */
async function workspace(
  pages: Parameters<typeof emu.seedDatabase>[1]["pages"] = [],
  rates: { notion: number; client: number } = { notion: 1e6, client: 1000 },
) {
  const integration = await emu.createIntegration({ requestsPerSecond: rates.notion, burst: rates.notion });
  const db = await emu.seedDatabase(integration.token, { title: "1:1 agendas", properties: SCHEMA, pages });
  const client = createNotionClient({
    token: integration.token,
    baseUrl: url,
    requestsPerSecond: rates.client,
  });
  const destination = (input: Partial<NotionDestinationInput> = {}) =>
    createNotionDestination({
      client,
      config: notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId, ...input }),
      pairId: "alice-bob",
    });
  return { token: integration.token, db, client, destination };
}

function words(value: string) {
  return [{ kind: "text" as const, text: value }];
}

function agendaWith(actions: Block[], extra: Block[] = []): Agenda {
  return {
    title: "1:1 Alice / Bob — 2026-12-08",
    intro: [{ kind: "paragraph", text: words("Prepared by the agenda worker"), children: [] }],
    sections: [
      { heading: words("How did you feel about the week?"), level: 2, role: null, blocks: [] },
      { heading: words("Discussion points"), level: 2, role: "discussion", blocks: extra },
      { heading: words("Action items"), level: 2, role: "actions", blocks: actions },
    ],
  };
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

describe("Notion destination against the emulator", () => {
  it("happy: carries open items in three calls (query + list children + create)", async () => {
    const { token, client, destination } = await workspace([
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01"), Pair: richText("alice-bob") },
        children: [
          heading(2, "How did you feel about the week?"),
          paragraph("Good"),
          heading(2, "Action items"),
          todo("Write the plan", false),
          todo("Book the room", true),
          todo("Ask for feedback", false),
        ],
      },
      {
        properties: { Name: title("1:1 2026-11-24"), Date: date("2026-11-24"), Pair: richText("alice-bob") },
      },
    ]);
    const notion = destination({ pairProperty: { name: "Pair" } });
    const located = await notion.locate(MEETING);
    expect(located.existing).toBeNull();
    expect(located.previous?.date).toBe("2026-12-01");
    if (located.previous === null) throw new Error("no previous agenda");
    const open = await notion.readOpenItems(located.previous, ["actions"]);
    expect(open.actions.map((item) => item.text.map((inline) => inline.text).join(""))).toEqual([
      "Write the plan",
      "Ask for feedback",
    ]);
    const created = await notion.create(MEETING, draftOf(agendaWith(open.actions)));
    expect(created.date).toBe("2026-12-08");

    const expected = {
      "POST /v1/data_sources/:id/query": 1,
      "GET /v1/blocks/:id/children": 1,
      "POST /v1/pages": 1,
    };
    expect(client.calls()).toEqual(expected);
    expect(await emu.calls(token)).toEqual(expected);

    const page = await emu.page(created.id);
    expect(page.properties.Date).toMatchObject({ date: { start: "2026-12-08" } });
    expect(page.properties.Pair).toMatchObject({ rich_text: [{ plain_text: "alice-bob" }] });
    expect(outline(await emu.blockTree(created.id))).toEqual([
      "paragraph: Prepared by the agenda worker",
      "heading_2: How did you feel about the week?",
      "heading_2: Discussion points",
      "heading_2: Action items",
      "to_do: Write the plan",
      "to_do: Ask for feedback",
    ]);

    // Find-before-create: the next tick sees the agenda it made.
    const again = await notion.locate(MEETING);
    expect(again.existing?.id).toBe(created.id);
    expect(again.previous?.date).toBe("2026-12-01");
    expect(await emu.violations(token)).toEqual([]);
  });

  it("keeps styles, links, mentions and sub-items (checked or not) through a carry", async () => {
    const alice = await emu.createUser({ name: "Alice" });
    const { token, destination } = await workspace([
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: [
          heading(2, "Action items", [
            {
              to_do: {
                rich_text: [
                  { text: { content: "Ship " }, annotations: { bold: true } },
                  {
                    text: { content: "the spec", link: { url: "https://example.com/spec" } },
                    annotations: { italic: true, color: "blue" },
                  },
                  { mention: { user: { id: alice.id } } },
                  { mention: { date: { start: "2026-12-15" } } },
                ],
                checked: false,
                children: [
                  todo("draft", true, [todo("outline", false, [paragraph("deep note")])]),
                  todo("review"),
                ],
              },
            },
          ]),
        ],
      },
    ]);
    const notion = destination();
    const { previous } = await notion.locate(MEETING);
    if (previous === null) throw new Error("no previous agenda");
    const open = await notion.readOpenItems(previous, ["actions"]);
    expect(open.actions).toHaveLength(1);
    const item = open.actions[0];
    expect(item?.text).toEqual([
      { kind: "text", text: "Ship ", style: { bold: true } },
      {
        kind: "text",
        text: "the spec",
        link: "https://example.com/spec",
        style: { italic: true, color: "blue" },
      },
      { kind: "mention", text: expect.any(String), mention: { type: "user", userId: alice.id } },
      { kind: "mention", text: expect.any(String), mention: { type: "date", start: "2026-12-15" } },
    ]);
    const created = await notion.create(MEETING, draftOf(agendaWith(open.actions)));
    // What was written reads back as what was carried: styles, link, mentions, sub-items.
    const again = await notion.readOpenItems(created, ["actions"]);
    const withoutId = ({ id: _id, ...todo }: (typeof open.actions)[number]) => todo;
    expect(again.actions.map(withoutId)).toEqual(open.actions.map(withoutId));
    // Each read names its own blocks: the source's, then the new agenda's.
    expect(open.actions[0]?.id).toBeDefined();
    expect(again.actions[0]?.id).toBeDefined();
    expect(again.actions[0]?.id).not.toBe(open.actions[0]?.id);
    expect(outline(await emu.blockTree(created.id)).slice(-4)).toEqual([
      "  to_do: draft",
      "    to_do: outline",
      "      paragraph: deep note",
      "  to_do: review",
    ]);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("writes a 250-block agenda nested 4 levels deep within Notion's limits, nothing lost", async () => {
    const { token, client, destination } = await workspace();
    const chain = (label: string): Block => ({
      kind: "todo",
      checked: false,
      text: words(`${label} 1`),
      children: [
        {
          kind: "bullet",
          text: words(`${label} 2`),
          children: [
            {
              kind: "bullet",
              text: words(`${label} 3`),
              children: [{ kind: "paragraph", text: words(`${label} 4`), children: [] }],
            },
          ],
        },
      ],
    });
    const actions: Block[] = Array.from({ length: 246 }, (_, index) =>
      index % 50 === 49
        ? chain(`item ${index}`)
        : { kind: "todo", checked: false, text: words(`item ${index}`), children: [] },
    );
    const created = await destination().create(MEETING, draftOf(agendaWith(actions)));
    const tree = await emu.blockTree(created.id);
    expect(tree).toHaveLength(250);
    const lines = outline(tree);
    expect(lines).toContain("      paragraph: item 49 4");
    expect(lines.filter((line) => line.startsWith("to_do: item"))).toHaveLength(246);
    // Page creation carries the 53 blocks before the first 4-level chain; the other 197 go to the page
    // in two appends (whose answers give the chains' ids); each of the 4 chains then gets its deeper
    // levels appended under it. Then one write marks the page finished (its title loses the mark).
    expect(client.calls()).toEqual({
      "POST /v1/pages": 1,
      "PATCH /v1/blocks/:id/children": 6,
      "PATCH /v1/pages/:id": 1,
    });
    expect((await emu.page(created.id)).properties.Name).toMatchObject({
      title: [{ plain_text: "1:1 Alice / Bob — 2026-12-08" }],
    });
    expect(await emu.violations(token)).toEqual([]);
  });

  it("error: an unshared data source is named with the fix", async () => {
    const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
    const db = await emu.seedDatabase(undefined, { title: "Private", properties: SCHEMA });
    const client = createNotionClient({ token: integration.token, baseUrl: url });
    const config = notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId });
    await expect(createNotionDestination({ client, config, pairId: "p" }).locate(MEETING)).rejects.toThrow(
      `Notion data source ${db.dataSourceId} was not found or is not shared with the integration`,
    );
    const byDatabase = notionDestinationSchema.parse({ kind: "notion", databaseId: db.databaseId });
    await expect(
      createNotionDestination({ client, config: byDatabase, pairId: "p" }).locate(MEETING),
    ).rejects.toThrow(`Notion database ${db.databaseId} was not found or is not shared with the integration`);
  });

  it("error: a missing property is named, on query and on create", async () => {
    const { db, destination } = await workspace();
    const wrongDate = destination({ dateProperty: "Meeting date" });
    await expect(wrongDate.locate(MEETING)).rejects.toThrow(
      `Notion data source ${db.dataSourceId} has no property "Meeting date"`,
    );
    await expect(
      destination({ titleProperty: "Title" }).create(MEETING, draftOf(agendaWith([]))),
    ).rejects.toThrow(`Notion data source ${db.dataSourceId} has no property "Title"`);
  });

  it("in a shared data source, takes only pages marked with its own pair value", async () => {
    const { db, destination } = await workspace([
      // Made by hand, unmarked: in a shared data source nobody can tell whose it is.
      { properties: { Name: title("By hand"), Date: date("2026-12-08") } },
      // Another pair's, and one whose value only differs in case.
      { properties: { Name: title("Carol"), Date: date("2026-12-08"), Pair: richText("carol-dan") } },
      { properties: { Name: title("Case"), Date: date("2026-12-04"), Pair: richText("Alice-Bob") } },
      { properties: { Name: title("Ours"), Date: date("2026-12-01"), Pair: richText("alice-bob") } },
    ]);
    const located = await destination({ pairProperty: { name: "Pair" } }).locate(MEETING);
    expect(located.existing).toBeNull();
    expect(located.previous?.id).toBe(db.pages[3]?.id);
  });

  it("learns the database from a page's parent and asks the sharing check with it", async () => {
    const { db, client } = await workspace([
      { properties: { Name: title("Earlier"), Date: date("2026-12-01") } },
    ]);
    const asked: unknown[] = [];
    const destination = createNotionDestination({
      client,
      config: notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId }),
      pairId: "alice-bob",
      sharing: (place) => {
        asked.push(place);
        return place.databaseId === undefined ? null : `database ${place.databaseId} is another pair's`;
      },
    });
    await expect(destination.locate(MEETING)).rejects.toThrow(`database ${db.databaseId} is another pair's`);
    expect(asked).toEqual([
      { dataSourceId: db.dataSourceId, databaseId: undefined },
      { dataSourceId: db.dataSourceId, databaseId: db.databaseId },
    ]);
  });

  it("resolves a database id to its data source once per client", async () => {
    const { db, client } = await workspace();
    const config = notionDestinationSchema.parse({ kind: "notion", databaseId: db.databaseId });
    for (const pairId of ["a", "b", "c"]) {
      await createNotionDestination({ client, config, pairId }).locate({ ...MEETING, pairId });
    }
    expect(client.calls()).toEqual({ "GET /v1/databases/:id": 1, "POST /v1/data_sources/:id/query": 3 });
  });

  it("retries: 503 on the query is retried, 503 on page creation is not (and no page is made)", async () => {
    const { token, db, client, destination } = await workspace();
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 1 });
    expect(await destination().locate(MEETING)).toEqual({ existing: null, previous: null });
    await emu.addFault({ token, method: "POST", path: "/v1/pages", status: 503, times: 1 });
    const error = await destination()
      .create(MEETING, draftOf(agendaWith([])))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).retryable).toBe(true);
    expect(client.calls()).toEqual({ "POST /v1/data_sources/:id/query": 2, "POST /v1/pages": 1 });
    expect(await emu.pages(db.dataSourceId)).toEqual([]);
  });

  it("retries: a 429 on page creation waits Retry-After and makes exactly one page", async () => {
    const { token, db, client, destination } = await workspace();
    await emu.addFault({ token, method: "POST", path: "/v1/pages", status: 429, retryAfter: 1, times: 1 });
    const started = Date.now();
    await destination().create(MEETING, draftOf(agendaWith([])));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(client.calls()).toEqual({ "POST /v1/pages": 2 });
    expect(await emu.pages(db.dataSourceId)).toHaveLength(1);
  });

  it("paces requests to the emulator's own 3 per second without a 429", async () => {
    const { token, destination } = await workspace([], { notion: 3, client: 3 });
    const notion = destination();
    for (let run = 0; run < 6; run += 1) await notion.locate(MEETING);
    expect(await emu.calls(token)).toEqual({ "POST /v1/data_sources/:id/query": 6 });
  });
});
