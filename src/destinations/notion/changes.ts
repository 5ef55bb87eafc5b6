// Live sync's change detection for Notion: one data source query per tick, filtered on the pages'
// `last_edited_time`, tells which agendas in that data source changed since the previous look, however
// many pairs keep their agendas there. Notion moves a page's `last_edited_time` when its content
// changes, and rounds it down to the minute, so each look reaches one minute before the previous one
// started: an edit in the same minute as a look is seen by the next one too (seen twice, never missed).
// The cursor is a time on Notion's clock, so it is read from the real clock (the Worker's and Notion's
// agree to well under that minute), never from the clock a tick plans by.
import * as z from "zod";
import type { ChangeLook, ChangeWatch } from "../types";
import { call as callNotion, NOTION_ENDPOINTS } from "./api";
import type { NotionClient } from "./client";
import { normalizeNotionId } from "./config";
import { type ErrorSubject, toDestinationError } from "./errors";

/** Notion's largest page of query results. */
const PAGE_SIZE = 100;
/** `last_edited_time` is rounded down to the minute. */
const MINUTE_MS = 60_000;
/**
 * A look that finds more changed pages than this says every agenda changed instead of paging on: a
 * data source that busy is cheaper to sync whole than to page through.
 */
const MAX_PAGES = 10;

const changedPagesSchema = z.looseObject({
  results: z.array(z.looseObject({ object: z.string(), id: z.string() })),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

const cursorSchema = z.iso.datetime();

/** Where the next look starts: the instant this one started, as an ISO timestamp. */
function cursorAt(nowMs: number): string {
  return new Date(nowMs).toISOString();
}

/** The earliest `last_edited_time` a look from `cursor` must include. */
export function lookFrom(cursor: string): string {
  const start = Date.parse(cursor);
  return new Date(Math.floor(start / MINUTE_MS) * MINUTE_MS - MINUTE_MS).toISOString();
}

const everything = (nowMs: number, calls: number): ChangeLook => ({
  changed: () => true,
  cursor: cursorAt(nowMs),
  calls,
});

/** The change watch of the data source `dataSourceId`, read with `client`; `now` is the real clock. */
export function notionChangeWatch(
  client: NotionClient,
  dataSourceId: string,
  now: () => number = Date.now,
): ChangeWatch {
  const subject: ErrorSubject = { kind: "data source", id: dataSourceId, dataSourceId };
  return {
    scope: `notion:${dataSourceId}`,
    async changedSince(cursor) {
      const nowMs = now();
      // No cursor (or one this code did not write): the first look cannot tell what changed before it.
      const from = cursor === null || !cursorSchema.safeParse(cursor).success ? null : lookFrom(cursor);
      if (from === null) return everything(nowMs, 0);
      const changed = new Set<string>();
      let next: string | undefined;
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const cursorFrom = next;
        // Its own schema: only the ids of the changed pages are read, not the pages.
        const list = await call(subject, () =>
          callNotion({
            endpoint: NOTION_ENDPOINTS.queryDataSource,
            schema: changedPagesSchema,
            send: () =>
              client.sdk.dataSources.query({
                data_source_id: dataSourceId,
                filter: { timestamp: "last_edited_time", last_edited_time: { on_or_after: from } },
                page_size: PAGE_SIZE,
                ...(cursorFrom === undefined ? {} : { start_cursor: cursorFrom }),
              }),
          }),
        );
        for (const result of list.results) {
          const id = result.object === "page" ? normalizeNotionId(result.id) : null;
          if (id !== null) changed.add(id);
        }
        if (!list.has_more || list.next_cursor === null) {
          return {
            changed: (agendaId) => changed.has(normalizeNotionId(agendaId) ?? agendaId),
            cursor: cursorAt(nowMs),
            calls: page,
          };
        }
        next = list.next_cursor;
      }
      return everything(nowMs, MAX_PAGES);
    },
  };
}

async function call<T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toDestinationError(error, subject);
  }
}
