// Owns the Notion destination: a pair's agendas are pages of a Notion data source, one per meeting,
// dated by a date property and (when several pairs share the data source) marked by a pair property.
// A page is taken as this pair's only when it carries the pair's mark, or, for a pair without a pair
// property, when no other pair writes to the data source its ids resolve to (pages people make by hand
// carry no other mark of their pair).
// Finds, reads and writes them with the fewest calls Notion allows: typically query + list children +
// create, three calls per agenda.
import type { CreatePageParameters, QueryDataSourceParameters } from "@notionhq/client";
import * as z from "zod";
import { type Agenda, agendaBlocks, type CarryRole, textOf } from "../../domain/agenda";
import type { SharingCheck } from "../sharing";
import type { AgendaDraft, AgendaRef, Destination, Located, MeetingRef, ReadItems } from "../types";
import { DestinationError } from "../types";
import { blocksToNotion, type NotionBlockRequest } from "./blocks";
import type { NotionClient } from "./client";
import { type NotionDestinationConfig, normalizeNotionId } from "./config";
import { type ErrorSubject, isNestingRefusal, parseResponse, toDestinationError } from "./errors";
import { type ListChildren, type ListedBlock, parseBlockList, readOpenTodos } from "./read";
import { chunkRichText, type RichTextItemRequest, richTextToNotion } from "./rich-text";
import { NestingTooDeepError, writePageBlocks } from "./write-plan";

/** One pair's Notion destination: the run's shared client, the pair's parsed config and its id. */
export interface NotionDestinationOptions {
  /** The run's client; shared by all pairs so they share the rate limit. */
  client: NotionClient;
  config: NotionDestinationConfig;
  pairId: string;
  /**
   * Asked with the data source (and database) this pair's ids resolve to, before any page there is taken
   * or written: a database id names its data source only at run time, so two pairs' ids can differ and
   * still lead to one data source. A message means another pair's agendas are there.
   */
  sharing?: SharingCheck;
}

type PageProperties = NonNullable<CreatePageParameters["properties"]>;
type QueryFilter = NonNullable<QueryDataSourceParameters["filter"]>;

/** Results per query page: enough to step over a same-day duplicate and still see the previous agenda. */
const LOCATE_PAGE_SIZE = 10;
/** Pages of query results `locate` reads at most, in case a data source is full of same-day pages. */
const LOCATE_MAX_PAGES = 5;

const databaseSchema = z.looseObject({
  data_sources: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })),
});
const pageRefSchema = z.looseObject({ object: z.literal("page"), id: z.string(), url: z.string() });
const queryPageSchema = pageRefSchema.extend({
  properties: z.record(z.string(), z.unknown()),
  parent: z.looseObject({ database_id: z.string().optional() }).optional(),
});
const queryListSchema = z.looseObject({
  results: z.array(z.looseObject({ object: z.string() })),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
const dateValueSchema = z.looseObject({
  type: z.literal("date"),
  date: z.looseObject({ start: z.string() }).nullable(),
});
const richTextValueSchema = z.looseObject({
  type: z.literal("rich_text"),
  rich_text: z.array(z.looseObject({ plain_text: z.string() })),
});
const selectValueSchema = z.looseObject({
  type: z.literal("select"),
  select: z.looseObject({ name: z.string() }).nullable(),
});
const appendSchema = z.looseObject({ results: z.array(z.looseObject({ id: z.string() })) });

// Resolving a database id to its data source costs a call; once per client (one per run) is enough.
const dataSourceCache = new WeakMap<NotionClient, Map<string, Promise<string>>>();

async function lookUpDataSource(client: NotionClient, databaseId: string): Promise<string> {
  const subject: ErrorSubject = { kind: "database", id: databaseId };
  let response: unknown;
  try {
    response = await client.sdk.databases.retrieve({ database_id: databaseId });
  } catch (error) {
    throw toDestinationError(error, subject);
  }
  let database: z.output<typeof databaseSchema>;
  try {
    database = parseResponse(databaseSchema, response, "database");
  } catch (error) {
    throw toDestinationError(error, subject);
  }
  const [only, ...others] = database.data_sources;
  if (only === undefined) {
    throw new DestinationError(`Notion database ${databaseId} has no data source to hold agendas`, false);
  }
  if (others.length > 0) {
    // Guessing would write agendas somewhere a person does not look.
    const choices = database.data_sources.map((source) => `${source.id} ("${source.name ?? ""}")`).join(", ");
    throw new DestinationError(
      `Notion database ${databaseId} has ${database.data_sources.length} data sources; set dataSourceId to one of: ${choices}`,
      false,
    );
  }
  return normalizeNotionId(only.id) ?? only.id;
}

function resolveDataSource(client: NotionClient, databaseId: string): Promise<string> {
  let cache = dataSourceCache.get(client);
  if (cache === undefined) {
    cache = new Map();
    dataSourceCache.set(client, cache);
  }
  const cached = cache.get(databaseId);
  if (cached !== undefined) return cached;
  const pending = lookUpDataSource(client, databaseId);
  cache.set(databaseId, pending);
  // A failed look-up is not remembered: the next pair or run asks again.
  pending.catch(() => cache.delete(databaseId));
  return pending;
}

function dateOnly(start: string): string {
  return start.slice(0, 10);
}

/** The Notion destination for one pair. See the file header; calls per method are in each method's JSDoc. */
export function createNotionDestination(options: NotionDestinationOptions): Destination {
  const { client, config, pairId, sharing } = options;
  const sdk = client.sdk;
  const pair =
    config.pairProperty === undefined
      ? null
      : {
          name: config.pairProperty.name,
          type: config.pairProperty.type,
          value: config.pairProperty.value ?? pairId,
        };
  const expectedTypes: Record<string, string> = {
    [config.titleProperty]: "title",
    [config.dateProperty]: "date",
    ...(pair === null ? {} : { [pair.name]: pair.type }),
  };

  const dataSourceId = (): Promise<string> => {
    if (config.dataSourceId !== undefined) return Promise.resolve(config.dataSourceId);
    if (config.databaseId !== undefined) return resolveDataSource(client, config.databaseId);
    return Promise.reject(
      new DestinationError("the Notion destination names no dataSourceId or databaseId", false),
    );
  };

  // The database ids this data source was already checked under; a page's parent names its database.
  const checked = new Set<string>();
  const checkSharing = (source: string, databaseId: string | undefined): void => {
    if (sharing === undefined) return;
    const key = `${source}\n${databaseId ?? ""}`;
    if (checked.has(key)) return;
    const refusal = sharing({ dataSourceId: source, databaseId });
    if (refusal !== null) throw new DestinationError(refusal, false);
    checked.add(key);
  };

  /** Whether a page found by the query carries this pair's mark exactly (Notion's filter may be looser). */
  const isMarked = (page: z.output<typeof queryPageSchema>): boolean => {
    if (pair === null) return true;
    const value = page.properties[pair.name];
    if (pair.type === "select") {
      const parsed = selectValueSchema.safeParse(value);
      return parsed.success && parsed.data.select?.name === pair.value;
    }
    const parsed = richTextValueSchema.safeParse(value);
    return parsed.success && parsed.data.rich_text.map((item) => item.plain_text).join("") === pair.value;
  };

  const dataSourceSubject = (id: string): ErrorSubject => ({
    kind: "data source",
    id,
    dataSourceId: id,
    properties: expectedTypes,
  });

  const call = async <T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toDestinationError(error, subject);
    }
  };

  // Writes tell the plan when Notion refused their nesting depth, so it can re-plan shallower.
  const write = async <T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isNestingRefusal(error)) throw new NestingTooDeepError();
      throw toDestinationError(error, subject);
    }
  };

  const filter = (date: string): QueryFilter => {
    const onOrBefore: QueryFilter = { property: config.dateProperty, date: { on_or_before: date } };
    if (pair === null) return onOrBefore;
    const byPair: QueryFilter =
      pair.type === "select"
        ? { property: pair.name, select: { equals: pair.value } }
        : { property: pair.name, rich_text: { equals: pair.value } };
    return { and: [onOrBefore, byPair] };
  };

  const pageDate = (page: z.output<typeof queryPageSchema>, source: string): string | null => {
    const value = page.properties[config.dateProperty];
    if (value === undefined) {
      throw new DestinationError(
        `Notion data source ${source} has no property "${config.dateProperty}"`,
        false,
      );
    }
    const parsed = dateValueSchema.safeParse(value);
    if (!parsed.success) {
      throw new DestinationError(
        `Notion data source ${source} property "${config.dateProperty}" is not a date property`,
        false,
      );
    }
    return parsed.data.date === null ? null : dateOnly(parsed.data.date.start);
  };

  const listChildren =
    (subject: ErrorSubject): ListChildren =>
    async (blockId) => {
      const blocks: ListedBlock[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(subject, async () =>
          parseBlockList(
            await sdk.blocks.children.list({
              block_id: blockId,
              page_size: 100,
              ...(cursor === undefined ? {} : { start_cursor: cursor }),
            }),
          ),
        );
        blocks.push(...page.results);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return blocks;
    };

  const pageProperties = (meeting: MeetingRef, agenda: Agenda): PageProperties => {
    const [title, ...overflow] = chunkRichText(richTextToNotion(textOf(agenda.title)));
    if (title === undefined || overflow.length > 0) {
      throw new DestinationError(`the agenda title for ${meeting.key} is too long for a Notion title`, false);
    }
    const properties: PageProperties = {
      [config.titleProperty]: { title },
      [config.dateProperty]: { date: { start: meeting.date } },
    };
    if (pair !== null) {
      const text: RichTextItemRequest[] = [{ type: "text", text: { content: pair.value } }];
      properties[pair.name] = pair.type === "select" ? { select: { name: pair.value } } : { rich_text: text };
    }
    return properties;
  };

  return {
    /**
     * One `dataSources.query` (plus one `databases.retrieve` per run when configured by database id):
     * this meeting's agenda if it exists (find-before-create) and the latest one dated before it.
     */
    async locate(meeting: MeetingRef): Promise<Located> {
      const source = await dataSourceId();
      checkSharing(source, config.databaseId);
      const subject = dataSourceSubject(source);
      let existing: AgendaRef | null = null;
      let cursor: string | undefined;
      for (let page = 0; page < LOCATE_MAX_PAGES; page += 1) {
        const list = await call(subject, async () =>
          parseResponse(
            queryListSchema,
            await sdk.dataSources.query({
              data_source_id: source,
              filter: filter(meeting.date),
              sorts: [{ property: config.dateProperty, direction: "descending" }],
              page_size: LOCATE_PAGE_SIZE,
              ...(cursor === undefined ? {} : { start_cursor: cursor }),
            }),
            "data source query",
          ),
        );
        for (const result of list.results) {
          if (result.object !== "page") continue;
          const found = await call(subject, async () =>
            parseResponse(queryPageSchema, result, "query result"),
          );
          checkSharing(source, normalizeNotionId(found.parent?.database_id ?? "") ?? config.databaseId);
          if (!isMarked(found)) continue;
          const date = pageDate(found, source);
          if (date === null || date > meeting.date) continue;
          const ref: AgendaRef = { id: found.id, url: found.url, date };
          if (date === meeting.date) existing ??= ref;
          else return { existing, previous: ref };
        }
        if (!list.has_more || list.next_cursor === null) break;
        cursor = list.next_cursor;
      }
      return { existing, previous: null };
    },

    /**
     * One `blocks.children.list` per 100 top-level blocks, one per folded heading opened in a carried
     * section, one per carried block (at any depth) that has children.
     */
    async readOpenItems(previous: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      return readOpenTodos(previous.id, roles, listChildren({ kind: "page", id: previous.id }));
    },

    /**
     * One `pages.create` carrying up to 100 top-level blocks two levels deep; `blocks.children.append`
     * for the rest (100 blocks each) and under blocks nested deeper than one request allows.
     */
    async create(meeting: MeetingRef, { agenda }: AgendaDraft): Promise<AgendaRef> {
      const source = await dataSourceId();
      checkSharing(source, config.databaseId);
      const subject = dataSourceSubject(source);
      const properties = pageProperties(meeting, agenda);
      const parent = { type: "data_source_id", data_source_id: source } as const;
      // Set inside the create callback; a holder, because a closure's assignment escapes narrowing.
      const state: { created: { id: string; url: string } | null } = { created: null };
      const reservedBytes = new TextEncoder().encode(JSON.stringify({ parent, properties })).length;
      try {
        await writePageBlocks(
          blocksToNotion(agendaBlocks(agenda)),
          {
            create: async (children: NotionBlockRequest[]) => {
              const page = await write(subject, async () =>
                parseResponse(
                  pageRefSchema,
                  await sdk.pages.create({
                    parent,
                    properties,
                    ...(children.length > 0 ? { children } : {}),
                  }),
                  "created page",
                ),
              );
              state.created = { id: page.id, url: page.url };
              return page.id;
            },
            append: async (parentId: string, children: NotionBlockRequest[]) => {
              const pageId = state.created?.id ?? parentId;
              const result = await write({ kind: "page", id: pageId }, async () =>
                parseResponse(
                  appendSchema,
                  await sdk.blocks.children.append({ block_id: parentId, children }),
                  "appended blocks",
                ),
              );
              return result.results.map((block) => block.id);
            },
          },
          { reservedBytes },
        );
      } catch (error) {
        const failure = toDestinationError(error, subject);
        if (state.created === null) throw failure;
        throw await discardIncomplete(state.created, failure);
      }
      const page = state.created;
      if (page === null) throw new DestinationError(`no Notion page was created for ${meeting.key}`, false);
      return { id: page.id, url: page.url, date: meeting.date };
    },
  };

  /**
   * A page whose content could not all be written would be found as "this meeting's agenda" next time
   * and never completed, with carried items missing. Moving it to the trash lets the next run start
   * over; if even that fails, only a person can fix it, so the error says where it is.
   */
  async function discardIncomplete(page: { id: string; url: string }, failure: DestinationError) {
    try {
      await sdk.pages.update({ page_id: page.id, in_trash: true });
      return new DestinationError(
        `${failure.message}; the incomplete agenda page was moved to the trash`,
        failure.retryable,
      );
    } catch {
      return new DestinationError(
        `${failure.message}; the incomplete agenda page ${page.url} could not be moved to the trash: delete it, then run again`,
        false,
      );
    }
  }
}
