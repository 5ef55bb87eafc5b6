// The Notion destination over the Notion emulator, in process: find-before-create, the previous agenda,
// open items, writing a whole agenda, call counts per case, and failures named for a person.

import { describe, expect, it } from "vitest";
import {
  date,
  heading,
  type PropertyValues,
  richText,
  type SeedBlock,
  title,
  todo,
} from "../../../emulators/notion/control";
import { createNotionClient, type NotionClient } from "../../../src/destinations/notion/client";
import {
  type NotionDestinationInput,
  notionDestinationSchema,
} from "../../../src/destinations/notion/config";
import { addGroups, createNotionDestination } from "../../../src/destinations/notion/destination";
import { UNFINISHED_MARK } from "../../../src/destinations/notion/pages";
import { DestinationError, type MeetingRef } from "../../../src/destinations/types";
import type { Agenda, Block } from "../../../src/domain/agenda";
import { draftOf } from "../../support/pairs";
import { useNotionEmulator } from "./emulator";

const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";
const DB = "99999999-5e6f-4788-9900-aabbccddeeff";
const TOKEN = "secret_unit";
const MEETING: MeetingRef = { pairId: "alice-bob", key: "alice-bob/2026-12-08", date: "2026-12-08" };

const notion = useNotionEmulator();

const h2 = (value: string): SeedBlock => heading(2, value);

/** Date, title and (when given) pair properties as a person fills them in. */
function agendaProperties(day: string, name = `1:1 ${day}`, pair?: string): PropertyValues {
  return { Name: title(name), Date: date(day), ...(pair === undefined ? {} : { Pair: richText(pair) }) };
}

/**
 * An integration, and database DB with data source DS (Name, Date and Pair, of `pairType`) shared with it:
 * the only properties there are.
 */
async function workspace(pairType: "rich_text" | "select" = "rich_text") {
  const { control } = notion;
  await control.createIntegration({ token: TOKEN, requestsPerSecond: null });
  await control.seedDatabase(TOKEN, {
    id: DB,
    dataSourceId: DS,
    title: "Agendas",
    properties: { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: pairType } },
  });
  return {
    /** A page as a person made it: properties and top-level blocks (with nesting). */
    seedPage: (properties: PropertyValues, children: SeedBlock[] = []) =>
      control.seedPage(TOKEN, { parent: { dataSourceId: DS }, properties, children }),
  };
}

function clientFor(): NotionClient {
  return createNotionClient({ token: TOKEN, baseUrl: notion.emulator.url, requestsPerSecond: 1000 });
}

async function setup(
  input: Partial<NotionDestinationInput> = {},
  pairType: "rich_text" | "select" = "rich_text",
) {
  const { seedPage } = await workspace(pairType);
  const client = clientFor();
  const config = notionDestinationSchema.parse({ kind: "notion", dataSourceId: DS, ...input });
  return { seedPage, client, destination: createNotionDestination({ client, config, pairId: "alice-bob" }) };
}

/** Calls per endpoint as the client counted them, and as they reached Notion. */
async function expectCalls(client: NotionClient, expected: Record<string, number>) {
  expect(client.calls()).toEqual(expected);
  expect(await notion.control.calls(TOKEN)).toEqual(expected);
}

/** The data source's pages, with whether each is in the trash. */
function pagesOfDS(): { id: string; inTrash: boolean }[] {
  const ws = notion.emulator.workspace;
  return ws.pagesIn(DS).map((page) => ({ id: page.id, inTrash: ws.inTrash(page.id) }));
}

/** The blocks directly under a page or block, as stored. */
function children(id: string): { id: string; type: string }[] {
  return notion.emulator.workspace.liveChildren(id);
}

function todoBlock(value: string, children: Block[] = []): Block {
  return { kind: "todo", checked: false, text: [{ kind: "text", text: value }], children };
}

function agenda(actions: Block[]): Agenda {
  return {
    title: "1:1 Alice / Bob — 2026-12-08",
    intro: [],
    sections: [
      {
        heading: [{ kind: "text", text: "How did you feel about the week?" }],
        level: 2,
        role: null,
        blocks: [],
      },
      { heading: [{ kind: "text", text: "Action items" }], level: 2, role: "actions", blocks: actions },
    ],
  };
}

describe("locate", () => {
  it("happy: one query finds this meeting's agenda and the latest earlier one", async () => {
    const { seedPage, client, destination } = await setup();
    await seedPage(agendaProperties("2026-11-24"));
    const previous = await seedPage(agendaProperties("2026-12-01"));
    const existing = await seedPage(agendaProperties("2026-12-08"));
    await seedPage(agendaProperties("2026-12-15"));
    const located = await destination.locate(MEETING);
    expect(located.existing?.id).toBe(existing.id);
    expect(located.previous).toEqual({
      id: previous.id,
      url: expect.stringContaining("notion.so"),
      date: "2026-12-01",
      title: "1:1 2026-12-01",
    });
    await expectCalls(client, { "POST /v1/data_sources/:id/query": 1 });
  });

  it("steps over same-day duplicates and other pairs' pages when a pair property is set", async () => {
    const { seedPage, destination } = await setup({ pairProperty: { name: "Pair" } });
    const mine = await seedPage(agendaProperties("2026-11-01", "old", "alice-bob"));
    await seedPage(agendaProperties("2026-12-01", "theirs", "carol-dan"));
    for (let copy = 0; copy < 12; copy += 1)
      await seedPage(agendaProperties("2026-12-08", "dup", "alice-bob"));
    const located = await destination.locate(MEETING);
    expect(located.existing).not.toBeNull();
    expect(located.previous?.id).toBe(mine.id);
  });

  it("never takes an unfinished page: not as this meeting's agenda, not as the previous one", async () => {
    const { seedPage, client, destination } = await setup();
    const finished = await seedPage(agendaProperties("2026-11-24"));
    await seedPage(agendaProperties("2026-12-01", `1:1 2026-12-01${UNFINISHED_MARK}`));
    const half = await seedPage(agendaProperties("2026-12-08", `1:1 2026-12-08${UNFINISHED_MARK}`));
    const located = await destination.locate(MEETING);
    expect(located).toMatchObject({ existing: null, previous: { id: finished.id, date: "2026-11-24" } });
    // Locate only looks; writing the agenda anew first moves this meeting's unfinished page to the trash
    // (the earlier meeting's is left for a person).
    const trashed = (id: string) => pagesOfDS().find((page) => page.id === id)?.inTrash;
    expect(trashed(half.id)).toBe(false);
    await destination.create(MEETING, draftOf(agenda([])));
    expect(trashed(half.id)).toBe(true);
    expect(pagesOfDS().filter((page) => page.inTrash)).toHaveLength(1);
    await expectCalls(client, {
      "POST /v1/data_sources/:id/query": 1,
      "PATCH /v1/pages/:id": 1,
      "POST /v1/pages": 1,
    });
  });

  it("steady state: no query, the previous agenda's listing serves the read that follows", async () => {
    const { seedPage, client, destination } = await setup();
    const previous = await seedPage(agendaProperties("2026-12-01"), [h2("Action items"), todo("open")]);
    const ref = { id: previous.id, url: "https://www.notion.so/p", date: "2026-12-01" };
    const located = await destination.locate({ ...MEETING, known: { previous: ref, earlierAttempt: false } });
    expect(located).toEqual({ existing: null, previous: ref });
    const items = await destination.readOpenItems(ref, ["actions"]);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["open"]);
    await expectCalls(client, { "GET /v1/blocks/:id/children": 1 });
  });

  it("first meeting: nothing existing, nothing previous", async () => {
    const { destination } = await setup();
    expect(await destination.locate(MEETING)).toEqual({ existing: null, previous: null });
  });

  it("resolves a database id to its data source once per client", async () => {
    await workspace();
    const client = clientFor();
    const config = notionDestinationSchema.parse({ kind: "notion", databaseId: DB });
    for (const pairId of ["a", "b"]) {
      await createNotionDestination({ client, config, pairId }).locate({ ...MEETING, pairId });
    }
    await expectCalls(client, { "GET /v1/databases/:id": 1, "POST /v1/data_sources/:id/query": 2 });
  });

  it("never takes a page marked for another pair, even when Notion's filter lets it through", async () => {
    const { seedPage, destination } = await setup({ pairProperty: { name: "Pair" } });
    const mine = await seedPage(agendaProperties("2026-12-01", "mine", "alice-bob"));
    await seedPage(agendaProperties("2026-12-08", "theirs", "Alice-Bob"));
    await seedPage(agendaProperties("2026-12-05", "by hand"));
    // A query that matched text loosely (case, or a prefix) would answer with all three.
    await notion.control.addFault({ method: "POST", path: "/v1/data_sources/:id/query", unfiltered: true });
    const located = await destination.locate(MEETING);
    expect(located.existing).toBeNull();
    expect(located.previous?.id).toBe(mine.id);
    // The query was answered loosely: the fault is spent.
    expect(await notion.control.faults()).toEqual([]);
  });

  it("asks the sharing check with the resolved data source before taking or writing anything", async () => {
    const { seedPage } = await workspace();
    await seedPage(agendaProperties("2026-12-08"));
    const client = clientFor();
    const asked: unknown[] = [];
    const destination = createNotionDestination({
      client,
      config: notionDestinationSchema.parse({ kind: "notion", databaseId: DB }),
      pairId: "alice-bob",
      sharing: (place) => {
        asked.push(place);
        return `data source ${place.dataSourceId} already holds the agendas of pair "carol-dan"`;
      },
    });
    const error = await destination.locate(MEETING).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    expect(error).toMatchObject({
      message: `data source ${DS} already holds the agendas of pair "carol-dan"`,
      retryable: false,
    });
    await expect(destination.create(MEETING, draftOf(agenda([])))).rejects.toThrow("carol-dan");
    expect(asked).toEqual([
      { dataSourceId: DS, databaseId: DB },
      { dataSourceId: DS, databaseId: DB },
    ]);
    // The database was resolved, and no page was read or written.
    await expectCalls(client, { "GET /v1/databases/:id": 1 });
    expect(pagesOfDS()).toHaveLength(1);
  });

  it("error: a database with several data sources asks for dataSourceId", async () => {
    const other = "88888888-5e6f-4788-9900-aabbccddeeff";
    await workspace();
    await notion.control.addDataSource(DB, {
      id: other,
      name: "Archive",
      properties: { Date: { type: "date" } },
    });
    const client = clientFor();
    const config = notionDestinationSchema.parse({ kind: "notion", databaseId: DB });
    await expect(createNotionDestination({ client, config, pairId: "a" }).locate(MEETING)).rejects.toThrow(
      /has 2 data sources; set dataSourceId/,
    );
  });

  it("error: a missing date property is named", async () => {
    const { destination } = await setup({ dateProperty: "When" });
    const error = await destination.locate(MEETING).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).message).toBe(`Notion data source ${DS} has no property "When"`);
  });

  it("error: an unshared data source is named with the fix", async () => {
    const { destination } = await setup();
    await notion.control.addFault({
      path: "/v1/data_sources/:id/query",
      status: 404,
      code: "object_not_found",
      message: "Could not find data_source",
    });
    await expect(destination.locate(MEETING)).rejects.toThrow(
      `Notion data source ${DS} was not found or is not shared with the integration`,
    );
  });
});

describe("readOpenItems", () => {
  it("happy: a page under 100 blocks without sub-items is one call", async () => {
    const { seedPage, client, destination } = await setup();
    const page = await seedPage(agendaProperties("2026-12-01"), [
      h2("Action items"),
      todo("open"),
      todo("done", true),
      h2("Feedback"),
    ]);
    const items = await destination.readOpenItems({ id: page.id, url: "", date: "2026-12-01" }, ["actions"]);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["open"]);
    await expectCalls(client, { "GET /v1/blocks/:id/children": 1 });
  });

  it("paginates a long page and loads carried sub-items", async () => {
    const { seedPage, client, destination } = await setup();
    const filler = Array.from({ length: 120 }, (_, index) => todo(`old ${index}`, true));
    const page = await seedPage(agendaProperties("2026-12-01"), [
      h2("Action items"),
      ...filler.slice(0, 50),
      todo("with sub", false, [todo("sub")]),
    ]);
    await seedPage(agendaProperties("2026-11-01"));
    // 50 + 2 top-level blocks: under 100, so page + the carried to-do's children.
    await destination.readOpenItems({ id: page.id, url: "", date: "2026-12-01" }, ["actions"]);
    await expectCalls(client, { "GET /v1/blocks/:id/children": 2 });

    const long = await seedPage(agendaProperties("2026-11-24"), [
      h2("Action items"),
      ...filler,
      todo("last"),
    ]);
    const items = await destination.readOpenItems({ id: long.id, url: "", date: "2026-11-24" }, ["actions"]);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["last"]);
    await expectCalls(client, { "GET /v1/blocks/:id/children": 4 });
  });

  it("error: a deleted previous page is named", async () => {
    const { destination } = await setup();
    await expect(
      destination.readOpenItems({ id: "77777777-5e6f-4788-9900-aabbccddeeff", url: "", date: "2026-12-01" }, [
        "actions",
      ]),
    ).rejects.toThrow(
      "Notion page 77777777-5e6f-4788-9900-aabbccddeeff was not found or is not shared with the integration",
    );
  });
});

describe("create", () => {
  it("happy: one call writes title, date, pair and all blocks", async () => {
    const { client, destination } = await setup({ pairProperty: { name: "Pair", type: "select" } }, "select");
    const ref = await destination.create(
      MEETING,
      draftOf(agenda([todoBlock("carried", [todoBlock("sub", [todoBlock("subsub")])])])),
    );
    await expectCalls(client, { "POST /v1/pages": 1 });
    expect(ref.date).toBe("2026-12-08");
    const page = await notion.control.page(ref.id);
    expect(page.properties).toMatchObject({
      Name: { title: [{ text: { content: "1:1 Alice / Bob — 2026-12-08" } }] },
      Date: { date: { start: "2026-12-08" } },
      Pair: { select: { name: "alice-bob" } },
    });
    expect(children(ref.id).map((block) => block.type)).toEqual(["heading_2", "heading_2", "to_do"]);
    // Found by the next locate: find-before-create.
    expect((await destination.locate(MEETING)).existing?.id).toBe(ref.id);
  });

  it("a deep, long agenda appends what one request cannot carry", async () => {
    const { client, destination } = await setup();
    const deep = todoBlock("deep", [todoBlock("l2", [todoBlock("l3", [todoBlock("l4")])])]);
    const many = Array.from({ length: 120 }, (_, index) => todoBlock(`item ${index}`));
    const ref = await destination.create(MEETING, draftOf(agenda([...many, deep])));
    // Created marked unfinished; the last write, after both appends, marks it finished.
    await expectCalls(client, {
      "POST /v1/pages": 1,
      "PATCH /v1/blocks/:id/children": 2,
      "PATCH /v1/pages/:id": 1,
    });
    expect((await notion.control.page(ref.id)).properties).toMatchObject({
      Name: { title: [{ text: { content: "1:1 Alice / Bob — 2026-12-08" } }] },
    });
    const top = children(ref.id);
    expect(top).toHaveLength(123);
    const last = top[122];
    if (last === undefined) throw new Error("missing block");
    const l2 = children(last.id)[0];
    const l3 = l2 === undefined ? undefined : children(l2.id)[0];
    const l4 = l3 === undefined ? undefined : children(l3.id)[0];
    expect(l4?.type).toBe("to_do");
  });

  it("error: a failed append trashes the incomplete page so the next run starts over", async () => {
    const { destination } = await setup();
    await notion.control.addFault({
      method: "PATCH",
      path: "/v1/blocks/:id/children",
      status: 503,
      code: "service_unavailable",
      message: "down",
      probability: 1,
    });
    const many = Array.from({ length: 120 }, (_, index) => todoBlock(`item ${index}`));
    const error = await destination.create(MEETING, draftOf(agenda(many))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).retryable).toBe(true);
    expect((error as DestinationError).message).toMatch(/moved to the trash$/);
    expect(pagesOfDS()).toHaveLength(1);
    expect(pagesOfDS().every((page) => page.inTrash)).toBe(true);
    expect(await destination.locate(MEETING)).toEqual({ existing: null, previous: null });
  });

  it("error: a missing title property is named", async () => {
    const { destination } = await setup({ titleProperty: "Title" });
    await expect(destination.create(MEETING, draftOf(agenda([])))).rejects.toThrow(
      `Notion data source ${DS} has no property "Title"`,
    );
  });
});

describe("addGroups", () => {
  const block = { kind: "todo" as const, text: [], checked: false, children: [] };
  const add = (itemId: string, role: "actions" | "discussion", afterId: string | null) =>
    ({ kind: "add", itemId, role, afterId, block }) as const;

  it("groups consecutive adds that go in at one place, in order, and leaves other actions out", () => {
    const groups = addGroups([
      add("a", "actions", "x"),
      { kind: "check", itemId: "c", targetId: "t" },
      add("b", "actions", "x"),
      add("c", "discussion", "x"),
      add("d", "discussion", null),
      add("e", "discussion", null),
    ]);
    expect(groups.map((group) => group.map((action) => action.itemId))).toEqual([
      ["a", "b"],
      ["c"],
      ["d", "e"],
    ]);
  });
});
