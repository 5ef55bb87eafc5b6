// Notion's change watch over a scripted fetch: the query it sends (one minute before the previous look,
// on the minute), how it pages, what it says when it has no cursor or too many pages, and that the ids it
// reports match however Notion or D1 wrote them.
import { describe, expect, it } from "vitest";
import { lookFrom, notionChangeWatch } from "../../../src/destinations/notion/changes";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { DestinationError } from "../../../src/destinations/types";
import { createLogger } from "../../../src/lib/log";

const SOURCE = "33333333-3333-4333-8333-333333333333";
const PAGE_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const PAGE_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const NOW = Date.parse("2026-12-07T09:31:20.000Z");

function listOf(ids: readonly string[], next: string | null): Response {
  return Response.json({
    object: "list",
    type: "page_or_data_source",
    page_or_data_source: {},
    results: ids.map((id) => ({ object: "page", id, url: `https://www.notion.so/${id}` })),
    has_more: next !== null,
    next_cursor: next,
  });
}

function harness(replies: Response[]) {
  const bodies: unknown[] = [];
  const client = createNotionClient({
    token: "secret_test",
    baseUrl: "https://notion.test",
    limiter: { acquire: async () => undefined, holdFor: () => undefined },
    log: createLogger({ level: "error", secrets: [], sink: () => {} }),
    fetch: async (_url, init) => {
      bodies.push(JSON.parse(String(init.body)));
      const reply = replies.shift();
      if (reply === undefined) throw new Error("no scripted reply left");
      return reply;
    },
  });
  return { watch: notionChangeWatch(client, SOURCE, () => NOW), bodies };
}

describe("lookFrom", () => {
  it("reaches one minute before the previous look's minute", () => {
    expect(lookFrom("2026-12-07T09:15:42.123Z")).toBe("2026-12-07T09:14:00.000Z");
    expect(lookFrom("2026-12-07T09:15:00.000Z")).toBe("2026-12-07T09:14:00.000Z");
  });
});

describe("the Notion change watch", () => {
  it("says everything changed on its first look, without a call, and starts its cursor at the real now", async () => {
    const { watch, bodies } = harness([]);
    const look = await watch.changedSince(null);
    expect(look.changed(PAGE_A)).toBe(true);
    expect(look).toMatchObject({ cursor: new Date(NOW).toISOString(), calls: 0 });
    expect(bodies).toEqual([]);
    expect(watch.scope).toBe(`notion:${SOURCE}`);
  });

  it("asks for the pages edited since a minute before the cursor, follows pages, and names them in any form", async () => {
    const { watch, bodies } = harness([listOf([PAGE_A], "cursor-2"), listOf([], null)]);
    const look = await watch.changedSince("2026-12-07T09:15:42.000Z");
    expect(bodies).toEqual([
      {
        filter: {
          timestamp: "last_edited_time",
          last_edited_time: { on_or_after: "2026-12-07T09:14:00.000Z" },
        },
        page_size: 100,
      },
      {
        filter: {
          timestamp: "last_edited_time",
          last_edited_time: { on_or_after: "2026-12-07T09:14:00.000Z" },
        },
        page_size: 100,
        start_cursor: "cursor-2",
      },
    ]);
    expect(look.calls).toBe(2);
    expect(look.changed(PAGE_A)).toBe(true);
    expect(look.changed(PAGE_A.replaceAll("-", "").toUpperCase())).toBe(true);
    expect(look.changed(PAGE_B)).toBe(false);
    expect(look.cursor).toBe(new Date(NOW).toISOString());
  });

  it("says everything changed when a cursor is not its own, or the changes run past ten pages", async () => {
    const { watch: fresh } = harness([]);
    expect((await fresh.changedSince("page-token-42")).changed(PAGE_B)).toBe(true);
    const busy = harness(Array.from({ length: 10 }, (_, index) => listOf([PAGE_A], `next-${index}`)));
    const look = await busy.watch.changedSince("2026-12-07T09:15:00.000Z");
    expect(look.calls).toBe(10);
    expect(look.changed(PAGE_B)).toBe(true);
  });

  it("fails as the data source's problem, so the tick keeps its cursor and looks again", async () => {
    const { watch } = harness([
      Response.json(
        { object: "error", status: 404, code: "object_not_found", message: "nope" },
        { status: 404 },
      ),
    ]);
    const failure = await watch.changedSince("2026-12-07T09:15:00.000Z").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DestinationError);
    expect(String((failure as Error).message)).toContain(SOURCE);
  });
});
