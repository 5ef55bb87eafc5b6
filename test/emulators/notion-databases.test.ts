// The Notion emulator's database creation and integration capabilities, through the real SDK, as Notion's
// references say them: "Create a database" (2025-09-03) makes a database under a page the integration can
// see (404 otherwise) with one data source holding `initial_data_source.properties`, and needs the insert
// content capability; every content endpoint answers 403 restricted_resource without its capability. A
// seeded database may get more data sources, as "Create a data source" adds them; a fault may answer a
// query as if its filter had matched loosely.
import { APIErrorCode, APIResponseError, Client, LogLevel } from "@notionhq/client";
import { describe, expect, inject, it } from "vitest";
import type { IntegrationSpec } from "../../emulators/notion/control";
import { notionControl } from "../../emulators/notion/control";

const url = inject("notionUrl");
const emu = notionControl(url);

async function connect(capabilities?: IntegrationSpec["capabilities"]) {
  const { token } = await emu.createIntegration({
    requestsPerSecond: null,
    ...(capabilities === undefined ? {} : { capabilities }),
  });
  const notion = new Client({ auth: token, baseUrl: url, retry: false, logLevel: LogLevel.ERROR });
  const { id: pageId } = await emu.seedPage(token, { parent: { workspace: true }, title: "Team space" });
  return { token, notion, pageId };
}

async function rejection(promise: Promise<unknown>): Promise<APIResponseError> {
  try {
    await promise;
  } catch (error) {
    if (APIResponseError.isAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const properties = { Name: { title: {} }, Date: { date: {} }, Pair: { rich_text: {} } };

describe("creating a database", () => {
  it("makes one under a shared page with one data source of the asked properties", async () => {
    const { token, notion, pageId } = await connect();
    const created = await notion.databases.create({
      parent: { type: "page_id", page_id: pageId },
      title: [{ type: "text", text: { content: "1:1 agendas" } }],
      initial_data_source: { properties },
    });
    expect(created.object).toBe("database");
    const database = await notion.databases.retrieve({ database_id: created.id });
    expect("data_sources" in database ? database.data_sources.length : 0).toBe(1);
    const sourceId = "data_sources" in database ? database.data_sources[0]?.id : undefined;
    const source = await notion.dataSources.retrieve({ data_source_id: String(sourceId) });
    const types =
      "properties" in source ? Object.values(source.properties).map((p) => `${p.name}:${p.type}`) : [];
    expect(types.sort()).toEqual(["Date:date", "Name:title", "Pair:rich_text"]);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("answers 404 for a page the integration cannot see", async () => {
    const { notion } = await connect();
    const { id: hidden } = await emu.seedPage(undefined, { parent: { workspace: true }, title: "Private" });
    const error = await rejection(
      notion.databases.create({
        parent: { type: "page_id", page_id: hidden },
        initial_data_source: { properties },
      }),
    );
    expect(error.code).toBe(APIErrorCode.ObjectNotFound);
  });
});

describe("capabilities", () => {
  it("refuses what an integration's capabilities do not allow with 403 restricted_resource", async () => {
    const readOnly = await connect(["read"]);
    const create = await rejection(
      readOnly.notion.databases.create({
        parent: { type: "page_id", page_id: readOnly.pageId },
        initial_data_source: { properties },
      }),
    );
    expect([create.status, create.code]).toEqual([403, APIErrorCode.RestrictedResource]);
    const update = await rejection(
      readOnly.notion.pages.update({ page_id: readOnly.pageId, properties: {} }),
    );
    expect(update.code).toBe(APIErrorCode.RestrictedResource);
    // Reading is what it may do.
    expect((await readOnly.notion.pages.retrieve({ page_id: readOnly.pageId })).id).toBe(readOnly.pageId);

    const writeOnly = await connect(["insert", "update"]);
    const read = await rejection(writeOnly.notion.pages.retrieve({ page_id: writeOnly.pageId }));
    expect(read.code).toBe(APIErrorCode.RestrictedResource);
  });
});

describe("a database with several data sources", () => {
  it("lists each, and each keeps its own schema", async () => {
    const { token, notion } = await connect();
    const seeded = await emu.seedDatabase(token, {
      title: "Agendas",
      properties: { Date: { type: "date" } },
    });
    const { dataSourceId: archive } = await emu.addDataSource(seeded.databaseId, {
      name: "Archive",
      properties: { Closed: { type: "checkbox" } },
    });
    const database = await notion.databases.retrieve({ database_id: seeded.databaseId });
    const sources = "data_sources" in database ? database.data_sources : [];
    expect(sources).toEqual([
      { id: seeded.dataSourceId, name: "Agendas" },
      { id: archive, name: "Archive" },
    ]);
    const source = await notion.dataSources.retrieve({ data_source_id: archive });
    const types =
      "properties" in source ? Object.values(source.properties).map((p) => `${p.name}:${p.type}`) : [];
    expect(types.sort()).toEqual(["Closed:checkbox", "Name:title"]);
    expect(await emu.violations(token)).toEqual([]);
  });
});

describe("a query answered without its filter", () => {
  it("returns every page of the data source, sorted, once, then filters again", async () => {
    const { token, notion } = await connect();
    const seeded = await emu.seedDatabase(token, {
      title: "Agendas",
      properties: { Date: { type: "date" }, Pair: { type: "rich_text" } },
      pages: ["alice-bob", "Alice-Bob", "carol-dan"].map((pair, index) => ({
        properties: {
          Name: { title: [{ text: { content: pair } }] },
          Date: { date: { start: `2026-12-0${index + 1}` } },
          Pair: { rich_text: [{ text: { content: pair } }] },
        },
      })),
    });
    const query = () =>
      notion.dataSources.query({
        data_source_id: seeded.dataSourceId,
        filter: { property: "Pair", rich_text: { equals: "alice-bob" } },
        sorts: [{ property: "Date", direction: "descending" }],
      });
    await emu.addFault({ token, path: "/v1/data_sources/:id/query", unfiltered: true });
    expect((await query()).results.map((page) => page.id)).toEqual(
      [...seeded.pages].reverse().map((page) => page.id),
    );
    expect((await query()).results.map((page) => page.id)).toEqual([seeded.pages[0]?.id]);
    expect(await emu.violations(token)).toEqual([]);
  });
});
