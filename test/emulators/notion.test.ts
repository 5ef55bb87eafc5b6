// The Notion emulator, driven through the real @notionhq/client from workerd: behaviour, limits, sharing, faults, fidelity.
import {
  APIErrorCode,
  APIResponseError,
  type BlockObjectRequest,
  Client,
  isFullBlock,
  isFullPage,
  LogLevel,
  type QueryDataSourceResponse,
} from "@notionhq/client";
import { describe, expect, inject, it } from "vitest";
import {
  checkbox,
  date,
  heading,
  notionControl,
  richText,
  select,
  title,
  todo,
} from "../../emulators/notion/control";

const url = inject("notionUrl");
const emu = notionControl(url);

/** A fresh integration per test keeps call counts, rate buckets and violations apart. */
async function connect(
  rate: { requestsPerSecond?: number; burst?: number } = { requestsPerSecond: 1e6, burst: 1e6 },
) {
  const integration = await emu.createIntegration(rate);
  const notion = new Client({
    auth: integration.token,
    baseUrl: url,
    retry: false,
    logLevel: LogLevel.ERROR,
  });
  return { integration, notion, token: integration.token };
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

function titleOf(result: QueryDataSourceResponse["results"][number]): string {
  if (result.object !== "page" || !isFullPage(result)) return "";
  const property = result.properties.Name;
  return property?.type === "title" ? property.title.map((t) => t.plain_text).join("") : "";
}

const agendaSchema = {
  Name: { type: "title" },
  Date: { type: "date" },
  Pair: { type: "rich_text" },
  Status: { type: "select", options: ["Prepared", "Held"] },
  Done: { type: "checkbox" },
} as const;

async function seedAgendas(token: string) {
  return emu.seedDatabase(token, {
    title: "1:1 agendas",
    properties: agendaSchema,
    pages: [
      { properties: { Name: title("Jan 1"), Date: date("2025-01-01"), Pair: richText("alice-bob") } },
      { properties: { Name: title("Jan 8"), Date: date("2025-01-08"), Pair: richText("alice-bob") } },
      { properties: { Name: title("Jan 15"), Date: date("2025-01-15"), Pair: richText("alice-bob") } },
      { properties: { Name: title("Jan 22"), Date: date("2025-01-22"), Pair: richText("alice-bob") } },
      { properties: { Name: title("Other pair"), Date: date("2025-01-20"), Pair: richText("carol-dan") } },
      {
        properties: {
          Name: title("Jan 29"),
          Date: date("2025-01-29"),
          Pair: richText("alice-bob"),
          Status: select("Held"),
          Done: checkbox(true),
        },
      },
    ],
  });
}

describe("happy paths through the real SDK", () => {
  it("queries a seeded data source with a date filter, a sort and cursor pagination", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    const filter = {
      and: [
        { property: "Date", date: { on_or_after: "2025-01-08" } },
        { property: "Pair", rich_text: { equals: "alice-bob" } },
        { property: "Done", checkbox: { equals: false } },
      ],
    };
    const sorts = [{ property: "Date", direction: "descending" as const }];

    const first = await notion.dataSources.query({
      data_source_id: db.dataSourceId,
      filter,
      sorts,
      page_size: 2,
    });
    expect(first.results.map(titleOf)).toEqual(["Jan 22", "Jan 15"]);
    expect(first.has_more).toBe(true);
    expect(first.next_cursor).toEqual(expect.any(String));

    const second = await notion.dataSources.query({
      data_source_id: db.dataSourceId,
      filter,
      sorts,
      page_size: 2,
      start_cursor: first.next_cursor ?? undefined,
    });
    expect(second.results.map(titleOf)).toEqual(["Jan 8"]);
    expect(second.has_more).toBe(false);
    expect(second.next_cursor).toBeNull();

    const held = await notion.dataSources.query({
      data_source_id: db.dataSourceId,
      filter: {
        or: [
          { property: "Status", select: { equals: "Held" } },
          { property: "Name", title: { contains: "other" } },
        ],
      },
      sorts: [{ property: "Date", direction: "ascending" }],
    });
    expect(held.results.map(titleOf)).toEqual(["Other pair", "Jan 29"]);

    expect(await emu.calls(token)).toEqual({ "POST /v1/data_sources/:id/query": 3 });
  });

  it("retrieves the database (with its data source) and the data source schema", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    const database = await notion.databases.retrieve({ database_id: db.databaseId });
    expect(database).toMatchObject({
      object: "database",
      data_sources: [{ id: db.dataSourceId, name: "1:1 agendas" }],
    });
    const dataSource = await notion.dataSources.retrieve({ data_source_id: db.dataSourceId });
    expect(dataSource).toMatchObject({
      object: "data_source",
      properties: { Date: { type: "date" }, Name: { id: "title" } },
    });
  });

  it("creates a page with nested children, then lists them back", async () => {
    const { notion, token, integration } = await connect();
    const db = await seedAgendas(token);
    const ada = await emu.createUser({ name: "Ada", email: "ada@example.com" });
    const page = await notion.pages.create({
      parent: { data_source_id: db.dataSourceId },
      properties: { Name: title("Feb 5"), Date: date("2025-02-05"), Status: select("Prepared") },
      children: [
        { heading_2: { rich_text: [{ text: { content: "How did you feel about the week?" } }] } },
        {
          heading_2: {
            rich_text: [{ text: { content: "Action items" } }],
            is_toggleable: true,
            children: [
              {
                to_do: {
                  rich_text: [
                    {
                      text: { content: "Draft the plan", link: { url: "https://example.com/plan" } },
                      annotations: { bold: true },
                    },
                    { text: { content: " — " } },
                    { mention: { user: { id: ada.id } } },
                    { mention: { date: { start: "2025-02-12" } } },
                  ],
                  checked: false,
                },
              },
            ],
          },
        },
      ],
    });
    expect(page).toMatchObject({
      object: "page",
      parent: { type: "data_source_id", data_source_id: db.dataSourceId, database_id: db.databaseId },
      created_by: { id: integration.botUserId },
    });
    expect(isFullPage(page) && page.url).toMatch(/^https:\/\/www\.notion\.so\/Feb-5-[0-9a-f]{32}$/);

    const top = await notion.blocks.children.list({ block_id: page.id });
    expect(top.results.map((b) => (isFullBlock(b) ? [b.type, b.has_children] : []))).toEqual([
      ["heading_2", false],
      ["heading_2", true],
    ]);
    const section = top.results[1];
    if (!section) throw new Error("missing section");
    const items = await notion.blocks.children.list({ block_id: section.id });
    const item = items.results[0];
    if (!item || !isFullBlock(item) || item.type !== "to_do") throw new Error("expected a to-do");
    expect(item.to_do.rich_text.map((t) => t.plain_text)).toEqual([
      "Draft the plan",
      " — ",
      "@Ada",
      "2025-02-12",
    ]);
    expect(item.to_do.rich_text[0]).toMatchObject({
      href: "https://example.com/plan",
      annotations: { bold: true },
    });

    const tree = await emu.blockTree(page.id);
    expect(tree[1]?.children?.[0]?.id).toBe(item.id);
  });

  it("updates a block and a page, and lets a person tick a to-do between runs", async () => {
    const { notion, token } = await connect();
    const db = await emu.seedDatabase(token, {
      title: "Agendas",
      properties: agendaSchema,
      pages: [
        { properties: { Name: title("Jan 1") }, children: [todo("Open item"), todo("Closed item", true)] },
      ],
    });
    const pageId = db.pages[0]?.id ?? "";
    const [open] = await emu.blockTree(pageId);
    if (!open) throw new Error("seed missing");

    await emu.tickTodo(open.id);
    const ticked = await notion.blocks.retrieve({ block_id: open.id });
    expect(isFullBlock(ticked) && ticked.type === "to_do" && ticked.to_do.checked).toBe(true);

    const edited = await notion.blocks.update({
      block_id: open.id,
      to_do: { rich_text: [{ text: { content: "Renamed" } }] },
    });
    expect(isFullBlock(edited) && edited.type === "to_do" && edited.to_do.rich_text[0]?.plain_text).toBe(
      "Renamed",
    );

    await notion.pages.update({ page_id: pageId, properties: { Done: { checkbox: true } } });
    expect((await emu.page(pageId)).properties.Done).toMatchObject({ checkbox: true });

    const view = await emu.view(pageId);
    expect(view).toContain("- [x] Renamed");
    expect(view).toContain("- [x] Closed item");
    expect(await emu.view(pageId, "html")).toContain('<input type="checkbox" disabled checked> Renamed');

    await notion.blocks.delete({ block_id: open.id });
    expect((await notion.blocks.children.list({ block_id: pageId })).results).toHaveLength(1);
  });

  it("appends after a given block and reports the new blocks only", async () => {
    const { notion, token } = await connect();
    const seeded = await emu.seedPage(token, {
      parent: { workspace: true },
      title: "Notes",
      children: [todo("a"), todo("c")],
    });
    const [a] = await emu.blockTree(seeded.id);
    const appended = await notion.blocks.children.append({
      block_id: seeded.id,
      children: [{ to_do: { rich_text: [{ text: { content: "b" } }] } }],
      position: { type: "after_block", after_block: { id: a?.id ?? "" } },
    });
    expect(appended.results).toHaveLength(1);
    const texts = (await emu.blockTree(seeded.id)).map((b) =>
      b.type === "to_do" ? b.to_do.rich_text[0]?.plain_text : "",
    );
    expect(texts).toEqual(["a", "b", "c"]);
  });
});

describe("Notion's request limits", () => {
  const para = (content: string): BlockObjectRequest => ({
    paragraph: { rich_text: [{ text: { content } }] },
  });

  it("refuses 101 children in one request and accepts 100", async () => {
    const { notion, token } = await connect();
    const page = await emu.seedPage(token, { parent: { workspace: true }, title: "Long" });
    const error = await rejection(
      notion.blocks.children.append({
        block_id: page.id,
        children: Array.from({ length: 101 }, () => para("x")),
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toBe(
      "body failed validation: body.children.length should be ≤ `100`, instead was `101`.",
    );
    const ok = await notion.blocks.children.append({
      block_id: page.id,
      children: Array.from({ length: 100 }, () => para("x")),
    });
    expect(ok.results).toHaveLength(100);
  });

  it("accepts two levels of nesting below the body's blocks and refuses a third", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    const toggle = (children?: unknown[]) => ({
      toggle: { rich_text: [], ...(children ? { children } : {}) },
    });
    const twoLevels = [toggle([toggle([toggle()])])] as unknown as BlockObjectRequest[];
    const page = await notion.pages.create({
      parent: { data_source_id: db.dataSourceId },
      properties: {},
      children: twoLevels,
    });
    expect((await emu.blockTree(page.id))[0]?.children?.[0]?.children).toHaveLength(1);

    const threeLevels = [toggle([toggle([toggle([toggle()])])])] as unknown as BlockObjectRequest[];
    const error = await rejection(
      notion.pages.create({
        parent: { data_source_id: db.dataSourceId },
        properties: {},
        children: threeLevels,
      }),
    );
    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toMatch(
      /^body failed validation: body\.children\[0\]\.toggle\.children\[0\]\.toggle\.children\[0\]\.toggle\.children should be not present, instead was `\[\{"toggle"/,
    );
    expect(await emu.pages(db.dataSourceId)).toHaveLength(7);
  });

  it("refuses 2,001 characters in one text item and accepts 2,000", async () => {
    const { notion, token } = await connect();
    const page = await emu.seedPage(token, { parent: { workspace: true }, title: "Text" });
    const error = await rejection(
      notion.blocks.children.append({ block_id: page.id, children: [para("x".repeat(2001))] }),
    );
    expect(error.message).toBe(
      "body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.",
    );
    await notion.blocks.children.append({ block_id: page.id, children: [para("x".repeat(2000))] });

    const db = await seedAgendas(token);
    const inTitle = await rejection(
      notion.pages.create({
        parent: { data_source_id: db.dataSourceId },
        properties: { Name: title("y".repeat(2001)) },
      }),
    );
    expect(inTitle.message).toContain("body.properties.Name.title[0].text.content.length should be ≤ `2000`");
  });

  it("names an unknown property, in a page write and in a query", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    const write = await rejection(
      notion.pages.create({
        parent: { data_source_id: db.dataSourceId },
        properties: { Name: title("x"), "Agenda Date": date("2025-02-01") },
      }),
    );
    expect(write.code).toBe(APIErrorCode.ValidationError);
    expect(write.message).toBe("Agenda Date is not a property that exists.");

    const query = await rejection(
      notion.dataSources.query({
        data_source_id: db.dataSourceId,
        filter: { property: "Meeting", date: { equals: "2025-01-01" } },
      }),
    );
    expect(query.message).toBe("Could not find property with name or id: Meeting");
    const sort = await rejection(
      notion.dataSources.query({
        data_source_id: db.dataSourceId,
        sorts: [{ property: "Meeting", direction: "ascending" }],
      }),
    );
    expect(sort.message).toBe("Could not find sort property with name or id: Meeting");
  });
});

describe("security: tokens and sharing", () => {
  it("answers a database that is not shared exactly as a missing one", async () => {
    const { notion, token } = await connect();
    const db = await emu.seedDatabase(undefined, { title: "Private", properties: agendaSchema });
    const error = await rejection(notion.databases.retrieve({ database_id: db.databaseId }));
    expect(error.status).toBe(404);
    expect(error.code).toBe(APIErrorCode.ObjectNotFound);
    expect(error.message).toBe(
      `Could not find database with ID: ${db.databaseId}. Make sure the relevant pages and databases are shared with your integration.`,
    );
    const missing = "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f";
    expect((await rejection(notion.databases.retrieve({ database_id: missing }))).message).toBe(
      error.message.replace(db.databaseId, missing),
    );

    await emu.share(token, db.databaseId);
    const page = await notion.pages.create({
      parent: { database_id: db.databaseId },
      properties: { Name: title("Mine") },
    });
    expect((await notion.pages.retrieve({ page_id: page.id })).id).toBe(page.id);

    // Access flows down from the share: revoking it hides the pages under it too.
    await emu.unshare(token, db.databaseId);
    expect((await rejection(notion.pages.retrieve({ page_id: page.id }))).code).toBe(
      APIErrorCode.ObjectNotFound,
    );
    expect(
      (await rejection(notion.dataSources.query({ data_source_id: db.dataSourceId }))).message,
    ).toContain(`Could not find data source with ID: ${db.dataSourceId}.`);
  });

  it("refuses a wrong token with unauthorized", async () => {
    const notion = new Client({
      auth: "ntn_not_a_real_token",
      baseUrl: url,
      retry: false,
      logLevel: LogLevel.ERROR,
    });
    const error = await rejection(notion.users.me({}));
    expect(error.status).toBe(401);
    expect(error.code).toBe(APIErrorCode.Unauthorized);
    expect(error.body).toContain('"object":"error"');
  });

  it("requires the Notion-Version header", async () => {
    const { token } = await connect();
    const response = await fetch(`${url}/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ object: "error", code: "missing_version" });
  });

  it("refuses a Notion-Version Notion does not know as Notion does, naming the ones it accepts", async () => {
    const { token } = await connect();
    const notion = new Client({
      auth: token,
      baseUrl: url,
      notionVersion: "2025-09-30",
      retry: false,
      logLevel: LogLevel.ERROR,
    });
    const error = await rejection(notion.users.me({}));
    expect(error.status).toBe(400);
    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toBe(
      'Notion-Version header failed validation: Notion-Version header should be "2021-05-11", "2021-05-13", "2021-08-16", "2022-02-22", "2022-06-28", "2025-09-03", or "2026-03-11", instead was "2025-09-30".',
    );
    // Notion refuses it too: the client's mistake, not something the emulator lacks.
    expect(await emu.violations(token)).toEqual([]);
  });

  it("refuses a version Notion serves but the emulator does not emulate, and records the gap", async () => {
    const { token } = await connect();
    for (const notionVersion of ["2022-06-28", "2026-03-11"]) {
      const notion = new Client({
        auth: token,
        baseUrl: url,
        notionVersion,
        retry: false,
        logLevel: LogLevel.ERROR,
      });
      const error = await rejection(notion.users.me({}));
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        `The Notion emulator does not support Notion-Version ${notionVersion} (it emulates 2025-09-03 only).`,
      );
    }
    // Provoked on purpose: cleared so the run's teardown check stays meaningful for real ones.
    expect(await emu.clearViolations(token)).toHaveLength(2);
  });
});

describe("rate limit", () => {
  it("answers 429 with an integer Retry-After past the rate, then lets a patient client through", async () => {
    const { notion } = await connect({});
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => notion.users.me({})));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThan(0);
    const first: unknown = refused[0];
    if (!APIResponseError.isAPIResponseError(first)) throw first;
    expect(first.status).toBe(429);
    expect(first.code).toBe(APIErrorCode.RateLimited);
    const retryAfter = (first.headers as Headers).get("retry-after") ?? "";
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000));
    await expect(notion.users.me({})).resolves.toMatchObject({ type: "bot" });
  });

  it("is per integration: one integration's burst does not slow another", async () => {
    const a = await connect({});
    const b = await connect({});
    await Promise.allSettled(Array.from({ length: 10 }, () => a.notion.users.me({})));
    await expect(b.notion.users.me({})).resolves.toMatchObject({ object: "user" });
  });
});

describe("faults on demand", () => {
  it("fires a status fault the given number of times, then answers normally", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await rejection(notion.dataSources.query({ data_source_id: db.dataSourceId }));
      expect(error.status).toBe(503);
      expect(error.code).toBe(APIErrorCode.ServiceUnavailable);
    }
    expect((await notion.dataSources.query({ data_source_id: db.dataSourceId })).results).toHaveLength(6);
    expect(await emu.calls(token)).toEqual({ "POST /v1/data_sources/:id/query": 3 });
  });

  it("injects a 429 with a chosen Retry-After, a delay and a dropped connection", async () => {
    const { notion, token } = await connect();
    await emu.addFault({ token, path: "/v1/users/me", status: 429, retryAfter: 7 });
    const limited = await rejection(notion.users.me({}));
    expect(limited.code).toBe(APIErrorCode.RateLimited);
    expect((limited.headers as Headers).get("retry-after")).toBe("7");

    await emu.addFault({ token, path: "/v1/users/me", delayMs: 300 });
    const started = Date.now();
    await notion.users.me({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    // workerd logs the lost connection itself ("Network connection lost"); the SDK call rejects.
    await emu.addFault({ token, path: "/v1/users/me", drop: true });
    await expect(notion.users.me({})).rejects.toThrow();
    await expect(notion.users.me({})).resolves.toMatchObject({ type: "bot" });
    // Other test files share the emulator: only this integration's faults are this test's.
    expect((await emu.faults()).filter((fault) => fault.spec.token === token)).toEqual([]);
  });

  it("fails each matching request with a seeded chance, the same ones on every run, and counts them", async () => {
    const outcomes = async (): Promise<{ failed: boolean[]; fired: number }> => {
      const { notion, token } = await connect();
      const fault = await emu.addFault({
        token,
        path: "/v1/users/me",
        status: 503,
        probability: 0.3,
        seed: 9,
      });
      expect(fault.remaining).toBe(-1);
      const failed: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        failed.push(
          await notion.users.me({}).then(
            () => false,
            () => true,
          ),
        );
      }
      const armed = (await emu.faults()).find((candidate) => candidate.id === fault.id);
      return { failed, fired: armed?.fired ?? -1 };
    };
    const first = await outcomes();
    const hits = first.failed.filter(Boolean).length;
    // About 30% of 40, never all or none; the count the emulator kept is the failures the client saw.
    expect(hits).toBeGreaterThan(4);
    expect(hits).toBeLessThan(24);
    expect(first.fired).toBe(hits);
    expect((await outcomes()).failed).toEqual(first.failed);
  });

  it("refuses a chance outside 0 to 1", async () => {
    await expect(emu.addFault({ path: "/v1/users/me", status: 503, probability: 1.5 })).rejects.toThrow(
      /probability: must be a number from 0 to 1/,
    );
  });

  it("lets the SDK's own retry ride out a transient 429", async () => {
    const { integration, token } = await connect();
    const patient = new Client({
      auth: integration.token,
      baseUrl: url,
      retry: { maxRetries: 2, initialRetryDelayMs: 10, maxRetryDelayMs: 1500 },
      logLevel: LogLevel.ERROR,
    });
    await emu.addFault({ token, path: "/v1/users/me", status: 429, retryAfter: 1 });
    await expect(patient.users.me({})).resolves.toMatchObject({ type: "bot" });
    expect(await emu.calls(token)).toEqual({ "GET /v1/users/me": 2 });
  });
});

describe("Notion's newer limits", () => {
  it("answers a 429 fault with the limit it hit, and a 529 fault as service_overload with or without Retry-After", async () => {
    const { notion, token } = await connect();
    await emu.addFault({
      token,
      path: "/v1/users/me",
      status: 429,
      retryAfter: 90,
      rateLimitReason: "workspace",
    });
    const limited = await rejection(notion.users.me({}));
    expect(limited.code).toBe(APIErrorCode.RateLimited);
    expect(limited.additional_data).toEqual({ rate_limit_reason: "workspace" });
    expect((limited.headers as Headers).get("retry-after")).toBe("90");

    await emu.addFault({ token, path: "/v1/users/me", status: 529, retryAfter: 2 });
    const overloaded = await rejection(notion.users.me({}));
    expect(overloaded.status).toBe(529);
    expect(overloaded.code).toBe(APIErrorCode.ServiceOverload);
    expect((overloaded.headers as Headers).get("retry-after")).toBe("2");

    await emu.addFault({ token, path: "/v1/users/me", status: 529 });
    const bare = await rejection(notion.users.me({}));
    expect(bare.code).toBe(APIErrorCode.ServiceOverload);
    expect((bare.headers as Headers).get("retry-after")).toBeNull();
  });

  it("records each request's arrival and answer, so a test can judge a client's pace", async () => {
    const { notion, token } = await connect();
    await emu.addFault({ token, path: "/v1/users/me", status: 529 });
    await rejection(notion.users.me({}));
    await notion.users.me({});
    const records = await emu.requests(token);
    expect(records.map(({ route, status }) => ({ route, status }))).toEqual([
      { route: "GET /v1/users/me", status: 529 },
      { route: "GET /v1/users/me", status: 200 },
    ]);
    const [first, second] = records;
    expect(Number.isInteger(first?.at)).toBe(true);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(0);
    await emu.resetCalls(token);
    expect(await emu.requests(token)).toEqual([]);
  });
});

describe("fidelity against the SDK's generated JSON Schema", () => {
  it("refuses a request body the SDK's types forbid and records it as a violation", async () => {
    const { notion, token } = await connect();
    const page = await emu.seedPage(token, { parent: { workspace: true }, title: "Schema" });
    const bad = [
      { paragraph: { rich_text: [{ text: { content: "x" } }], colour: "red" } },
    ] as unknown as BlockObjectRequest[];
    const error = await rejection(notion.blocks.children.append({ block_id: page.id, children: bad }));
    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toBe(
      'body failed validation: body.children[0].paragraph.colour should be not present, instead was `"red"`.',
    );

    const recorded = await emu.violations(token);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatch(
      /^PATCH \/v1\/blocks\/:id\/children request does not match AppendBlockChildrenParameters/,
    );
    // Provoked on purpose: clear it so the run's teardown check stays meaningful for real ones.
    expect(await emu.clearViolations(token)).toEqual(recorded);
    expect(await emu.violations(token)).toEqual([]);
  });

  it("records requests the emulator cannot serve instead of passing them silently", async () => {
    const { notion, token } = await connect();
    const db = await seedAgendas(token);
    const error = await rejection(
      notion.dataSources.query({
        data_source_id: db.dataSourceId,
        filter: { property: "Name", formula: { string: { equals: "x" } } },
      }),
    );
    expect(error.message).toContain("does not support");
    expect(await emu.clearViolations(token)).toHaveLength(1);
  });

  it("builds seeds with helpers that produce Notion's request JSON", () => {
    expect(heading(2, "Action items", [todo("a")])).toEqual({
      heading_2: {
        rich_text: [{ text: { content: "Action items" } }],
        is_toggleable: true,
        children: [{ to_do: { rich_text: [{ text: { content: "a" } }], checked: false } }],
      },
    });
  });
});
