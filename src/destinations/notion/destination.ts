// Owns the Notion destination: a pair's agendas are pages of a Notion data source, one per meeting,
// dated by a date property and (when several pairs share the data source) marked by a pair property.
// A page is taken as this pair's only when it carries the pair's mark, or, for a pair without a pair
// property, when no other pair writes to the data source its ids resolve to (pages people make by hand
// carry no other mark of their pair).
// Finds, reads and writes them with the fewest calls Notion allows: in steady state (the ledger names the
// previous agenda) one read of it and one create; a run that must recover queries the data source first.
// A team's pages made by hand before the Worker came are taken over: with no agenda of the pair's before
// the meeting, the previous one is the newest page by the date property, whatever made it (a pair that
// marks its pages takes an unmarked one, never another pair's).
//
// Nothing half-made is taken as the agenda. An agenda that fits one request (the usual case) is created
// whole or not at all. One that needs appends is created with UNFINISHED_MARK at the end of its title,
// and the last write, after every append succeeded, sets the title without it. Why the title: the mark
// must be visible in the query results (so spotting an unfinished page costs no call), set by the
// creating request itself, and changeable by one later write; of what a page carries, only the title,
// the icon and the cover qualify without a property of our own (a user's database is not ours to add
// columns to). The title is ours to write anyway, and when a page does stay unfinished (every write
// after its creation failed) the person who sees it reads why. A page so marked is never returned as
// an agenda: one dated on the meeting goes to the trash and is written anew, an earlier one is stepped
// over when looking for the previous agenda.
import type { CreatePageParameters, QueryDataSourceParameters } from "@notionhq/client";
import * as z from "zod";
import { type Agenda, agendaBlocks, CARRY_ROLES, type CarryRole, textOf } from "../../domain/agenda";
import { ROLE_HEADINGS } from "../../domain/carry";
import type { SourceItem, SyncAction } from "../../domain/sync";
import type { SharingCheck } from "../sharing";
import type {
  AgendaDraft,
  AgendaRef,
  ChangeWatch,
  CheckMemo,
  Destination,
  DestinationCheck,
  Located,
  MeetingRef,
  ReadItems,
  SyncApplied,
} from "../types";
import { DestinationError } from "../types";
import { blocksToNotion, type NotionBlockRequest, type WriteNode, withChildren } from "./blocks";
import { notionChangeWatch } from "./changes";
import { checkNotionDestination } from "./check";
import type { NotionClient } from "./client";
import { type NotionDestinationConfig, normalizeNotionId } from "./config";
import { type ErrorSubject, isNestingRefusal, isNotFound, parseResponse, toDestinationError } from "./errors";
import {
  type ListChildren,
  type ListedBlock,
  parseBlockList,
  readOpenTodos,
  readSyncTodos,
  type SyncRead,
} from "./read";
import { chunkRichText, type RichTextItemRequest, richTextToNotion } from "./rich-text";
import { NestingTooDeepError, NOTION_WRITE_LIMITS, writePageBlocks } from "./write-plan";

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
/** One condition of an `and` filter. */
type FilterCondition = Extract<QueryFilter, { and: unknown }>["and"][number];

/**
 * Ends the title of a page that is still being written; see the file header. Specific enough that no
 * person's title ends with it by chance, and plain enough to explain itself.
 */
export const UNFINISHED_MARK = " ⏳ (unfinished: being written by the agenda worker)";

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
  in_trash: z.boolean().optional(),
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
const titleValueSchema = z.looseObject({
  type: z.literal("title"),
  title: z.array(z.looseObject({ plain_text: z.string() })),
});
const selectValueSchema = z.looseObject({
  type: z.literal("select"),
  select: z.looseObject({ name: z.string() }).nullable(),
});
const appendSchema = z.looseObject({ results: z.array(z.looseObject({ id: z.string() })) });
const blockParentSchema = z.looseObject({
  parent: z.looseObject({ page_id: z.string().optional(), block_id: z.string().optional() }),
});

type AppendPosition =
  | { type: "after_block"; after_block: { id: string } }
  | { type: "start" }
  | { type: "end" };
type AddAction = Extract<SyncAction, { kind: "add" }>;

/** Levels of children below a node: 0 for a leaf. */
function heightOf(node: WriteNode): number {
  return node.children.reduce((height, child) => Math.max(height, heightOf(child) + 1), 0);
}

function requestOf(node: WriteNode): NotionBlockRequest {
  return withChildren(node.request, node.children.map(requestOf));
}

/** Consecutive adds that go in at one place (same role, same block before them), in the planned order. */
function addGroups(actions: readonly SyncAction[]): AddAction[][] {
  const groups: AddAction[][] = [];
  for (const action of actions) {
    if (action.kind !== "add") continue;
    const last = groups[groups.length - 1]?.[0];
    if (last !== undefined && last.afterId === action.afterId && last.role === action.role) {
      groups[groups.length - 1]?.push(action);
    } else {
      groups.push([action]);
    }
  }
  return groups;
}

// Resolving a database id to its data source costs a call; once per client is enough. The client lives as
// long as the isolate (runtime.ts), so this cache does too, across runs.
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

  /** All children of a page or block, following pagination; Notion's own errors are left as thrown. */
  const listAll = async (blockId: string): Promise<ListedBlock[]> => {
    const blocks: ListedBlock[] = [];
    let cursor: string | undefined;
    do {
      const page = parseBlockList(
        await sdk.blocks.children.list({
          block_id: blockId,
          page_size: 100,
          ...(cursor === undefined ? {} : { start_cursor: cursor }),
        }),
      );
      blocks.push(...page.results);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return blocks;
  };

  const listChildren =
    (subject: ErrorSubject): ListChildren =>
    (blockId) =>
      call(subject, () => listAll(blockId));

  // The previous agenda's top-level blocks, as a steady-state locate listed them to learn the page is
  // still there. The next read of that page takes them instead of asking Notion again, once.
  let listedPrevious: { pageId: string; blocks: ListedBlock[] } | null = null;
  // Unfinished pages locate saw dated on a meeting, by meeting key: create moves them to the trash before
  // it writes the meeting's agenda anew. Locate itself only looks (a dry run locates too).
  const unfinishedSeen = new Map<string, { id: string; url: string }[]>();
  // What live sync last read of each agenda page: where its to-dos sit and where its sections start, so
  // the pass's adds are placed without reading the page again.
  const syncReads = new Map<string, SyncRead>();

  /** The page or block a block sits under, for a block the sync read did not see. */
  const parentOf = async (blockId: string, subject: ErrorSubject): Promise<string> => {
    const block = await call(subject, async () =>
      parseResponse(blockParentSchema, await sdk.blocks.retrieve({ block_id: blockId }), "block"),
    );
    const parent = block.parent.block_id ?? block.parent.page_id;
    if (parent === undefined)
      throw new DestinationError(`Notion block ${blockId} has no page or block parent`, false);
    return parent;
  };

  const titleValue = (meeting: MeetingRef, agenda: Agenda, unfinished: boolean) => {
    const text = richTextToNotion(textOf(agenda.title));
    const mark: RichTextItemRequest[] = [{ type: "text", text: { content: UNFINISHED_MARK } }];
    const [title, ...overflow] = chunkRichText(unfinished ? [...text, ...mark] : text);
    if (title === undefined || overflow.length > 0) {
      throw new DestinationError(`the agenda title for ${meeting.key} is too long for a Notion title`, false);
    }
    return { title };
  };

  const pageProperties = (meeting: MeetingRef, agenda: Agenda, unfinished: boolean): PageProperties => {
    const properties: PageProperties = {
      [config.titleProperty]: titleValue(meeting, agenda, unfinished),
      [config.dateProperty]: { date: { start: meeting.date } },
    };
    if (pair !== null) {
      const text: RichTextItemRequest[] = [{ type: "text", text: { content: pair.value } }];
      properties[pair.name] = pair.type === "select" ? { select: { name: pair.value } } : { rich_text: text };
    }
    return properties;
  };

  /** Whether a page's title carries the unfinished mark: it is still being written, or never was whole. */
  const isUnfinished = (page: z.output<typeof queryPageSchema>): boolean => {
    const parsed = titleValueSchema.safeParse(page.properties[config.titleProperty]);
    return (
      parsed.success &&
      parsed.data.title
        .map((item) => item.plain_text)
        .join("")
        .endsWith(UNFINISHED_MARK)
    );
  };

  /**
   * One `dataSources.query` (more only when a data source is full of same-day pages): this meeting's
   * finished agenda if it exists and the latest finished one dated before it. Unfinished pages of the
   * meeting are remembered for `create` to discard.
   */
  const query = async (meeting: MeetingRef, source: string): Promise<Located> => {
    const subject = dataSourceSubject(source);
    const unfinished: { id: string; url: string }[] = [];
    unfinishedSeen.set(meeting.key, unfinished);
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
        const found = await call(subject, async () => parseResponse(queryPageSchema, result, "query result"));
        checkSharing(source, normalizeNotionId(found.parent?.database_id ?? "") ?? config.databaseId);
        if (!isMarked(found)) continue;
        const date = pageDate(found, source);
        if (date === null || date > meeting.date) continue;
        if (isUnfinished(found)) {
          // Never an agenda: this meeting's is written anew; an earlier meeting's is stepped over, so the
          // previous agenda is the latest finished one (a person may still want the unfinished one).
          if (date === meeting.date && found.in_trash !== true)
            unfinished.push({ id: found.id, url: found.url });
          continue;
        }
        const ref: AgendaRef = { id: found.id, url: found.url, date };
        if (date === meeting.date) existing ??= ref;
        else return { existing, previous: previousRef(found, date, meeting) };
      }
      if (!list.has_more || list.next_cursor === null) break;
      cursor = list.next_cursor;
    }
    return { existing, previous: await handMadeBefore(meeting, source) };
  };

  /** The page's title as people see it. */
  const titleOf = (page: z.output<typeof queryPageSchema>): string | undefined => {
    const parsed = titleValueSchema.safeParse(page.properties[config.titleProperty]);
    return parsed.success ? parsed.data.title.map((item) => item.plain_text).join("") : undefined;
  };

  /**
   * The previous agenda found by the query. D1 records every agenda the Worker made: when it knows of
   * none before this meeting, the page was made by people and is taken over.
   */
  const previousRef = (
    page: z.output<typeof queryPageSchema>,
    date: string,
    meeting: MeetingRef,
  ): AgendaRef => {
    const title = titleOf(page);
    return {
      id: page.id,
      url: page.url,
      date,
      ...(title === undefined ? {} : { title }),
      ...(meeting.known?.previous === null ? { takenOver: true } : {}),
    };
  };

  /** A filter on the pair property: empty, or set to another value than this pair's. */
  const pairFilter = (how: "empty" | "other"): FilterCondition[] => {
    if (pair === null) return [];
    if (pair.type === "select") {
      return how === "empty"
        ? [{ property: pair.name, select: { is_empty: true } }]
        : [
            { property: pair.name, select: { is_not_empty: true } },
            { property: pair.name, select: { does_not_equal: pair.value } },
          ];
    }
    return how === "empty"
      ? [{ property: pair.name, rich_text: { is_empty: true } }]
      : [
          { property: pair.name, rich_text: { is_not_empty: true } },
          { property: pair.name, rich_text: { does_not_equal: pair.value } },
        ];
  };

  /** Whether a page's pair property is empty: the page was made by hand, by no pair's run. */
  const isUnmarked = (page: z.output<typeof queryPageSchema>): boolean => {
    if (pair === null) return false;
    const value = page.properties[pair.name];
    if (pair.type === "select") {
      const parsed = selectValueSchema.safeParse(value);
      return parsed.success && parsed.data.select === null;
    }
    const parsed = richTextValueSchema.safeParse(value);
    return (
      parsed.success &&
      parsed.data.rich_text
        .map((item) => item.plain_text)
        .join("")
        .trim() === ""
    );
  };

  /**
   * For a pair with a pair property that has no agenda of its own before the meeting: the newest page
   * people made by hand (its pair property not set), dated before the meeting, whatever made it. Two
   * calls, made only then: is any page here marked for another pair (then the data source is shared,
   * nothing tells whose a hand-made page is, and none is taken), and the newest unmarked page. A page
   * marked for another pair is never taken: the query asks only for unmarked ones, and each is checked.
   */
  const handMadeBefore = async (meeting: MeetingRef, source: string): Promise<AgendaRef | null> => {
    if (pair === null) return null;
    const subject = dataSourceSubject(source);
    const others = await call(subject, async () =>
      parseResponse(
        queryListSchema,
        await sdk.dataSources.query({
          data_source_id: source,
          filter: { and: pairFilter("other") },
          page_size: 1,
        }),
        "data source query",
      ),
    );
    if (others.results.length > 0) return null;
    const list = await call(subject, async () =>
      parseResponse(
        queryListSchema,
        await sdk.dataSources.query({
          data_source_id: source,
          filter: {
            and: [{ property: config.dateProperty, date: { before: meeting.date } }, ...pairFilter("empty")],
          },
          sorts: [{ property: config.dateProperty, direction: "descending" }],
          page_size: LOCATE_PAGE_SIZE,
        }),
        "data source query",
      ),
    );
    for (const result of list.results) {
      if (result.object !== "page") continue;
      const found = await call(subject, async () => parseResponse(queryPageSchema, result, "query result"));
      if (found.in_trash === true || !isUnmarked(found) || isUnfinished(found)) continue;
      const date = pageDate(found, source);
      if (date === null || date >= meeting.date) continue;
      const title = titleOf(found);
      return {
        id: found.id,
        url: found.url,
        date,
        ...(title === undefined ? {} : { title }),
        takenOver: true,
      };
    }
    return null;
  };

  return {
    /**
     * Steady state (the ledger names the previous agenda and no earlier attempt at this meeting may
     * have written anything): one `blocks.children.list` of the previous agenda, the read
     * `readOpenItems` needs first anyway, which also shows the page is still there; no query. Otherwise,
     * or when that page is gone: one `dataSources.query` (see `query`). Plus one `databases.retrieve`
     * per isolate when configured by database id.
     */
    async locate(meeting: MeetingRef): Promise<Located> {
      const source = await dataSourceId();
      checkSharing(source, config.databaseId);
      const known = meeting.known;
      // An id that is not Notion's (the pair's agendas were in Google Docs before) is no lead either.
      const knownId = known?.previous ? normalizeNotionId(known.previous.id) : null;
      if (known !== undefined && known.previous !== null && knownId !== null && !known.earlierAttempt) {
        const previous = known.previous;
        try {
          listedPrevious = { pageId: previous.id, blocks: await listAll(previous.id) };
          return { existing: null, previous };
        } catch (error) {
          // Deleted for good or no longer shared: look for what there is, as a recovering run does.
          if (!isNotFound(error)) throw toDestinationError(error, { kind: "page", id: previous.id });
        }
      }
      return query(meeting, source);
    },

    /**
     * One `blocks.children.list` per 100 top-level blocks (none for the first 100 when `locate` just
     * listed them), one per folded heading opened in a carried section, one per carried block (at any
     * depth) that has children: a carried item's sub-items come in one call, not one each.
     */
    async readOpenItems(previous: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const fetchChildren = listChildren({ kind: "page", id: previous.id });
      let listed = listedPrevious?.pageId === previous.id ? listedPrevious.blocks : null;
      listedPrevious = null;
      return readOpenTodos(previous.id, roles, async (blockId) => {
        if (blockId !== previous.id || listed === null) return fetchChildren(blockId);
        const blocks = listed;
        listed = null;
        return blocks;
      });
    },

    /**
     * Calls as `readOpenItems` (without the listing `locate` may have saved), sub-items only for the open
     * to-dos `withChildren` names. What it read of the page is kept for an `applySync` on it that follows.
     */
    async readSyncItems(
      agenda: AgendaRef,
      roles: readonly CarryRole[],
      withChildren: (todoId: string) => boolean = () => false,
    ): Promise<SourceItem[]> {
      const read = await readSyncTodos(
        agenda.id,
        roles,
        listChildren({ kind: "page", id: agenda.id }),
        withChildren,
      );
      syncReads.set(agenda.id, read);
      return read.todos.map(({ parentId: _parentId, ...item }) => item);
    },

    /**
     * One `blocks.update` per check, uncheck and update; one `blocks.children.append` per group of adds
     * that go in at one place (`position` after the last carried copy of their role, or at the start of
     * its section), more only for sub-items nested deeper than one request takes. A role with no section
     * in the agenda gets one at the end, its heading written in the same call as its adds. Before the writes, one
     * `blocks.children.list` of the page when `readSyncItems` did not just read it, and one
     * `blocks.retrieve` per group placed after a block that read did not see.
     */
    /** One `dataSources.query` per look (see changes.ts), shared by every pair of the data source. */
    async changeWatch(): Promise<ChangeWatch> {
      return notionChangeWatch(client, await dataSourceId());
    },

    /** One `databases.retrieve` (when configured by database id) and one `dataSources.retrieve`, through `memo`. */
    check(memo: CheckMemo): Promise<DestinationCheck> {
      return checkNotionDestination(client, config, pairId, memo);
    },

    async applySync(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied> {
      const subject: ErrorSubject = { kind: "page", id: agenda.id };
      const added = new Map<string, string>();
      const skipped = new Set<string>();
      for (const action of actions) {
        if (action.kind === "check" || action.kind === "uncheck") {
          const checked = action.kind === "check";
          await call(subject, () => sdk.blocks.update({ block_id: action.targetId, to_do: { checked } }));
        } else if (action.kind === "update") {
          const [richText, ...overflow] = chunkRichText(richTextToNotion(action.text));
          if (overflow.length > 0) {
            // Rewriting it would cut the item short; leaving it as it was loses nothing.
            skipped.add(action.itemId);
            continue;
          }
          await call(subject, () =>
            sdk.blocks.update({ block_id: action.targetId, to_do: { rich_text: richText ?? [] } }),
          );
        }
      }
      const groups = addGroups(actions);
      if (groups.length === 0) return { added, skipped };
      let read = syncReads.get(agenda.id);
      if (read === undefined) {
        read = await readSyncTodos(agenda.id, CARRY_ROLES, listChildren(subject), () => false);
        syncReads.set(agenda.id, read);
      }
      const parents = new Map(read.todos.map((todo) => [todo.id, todo.parentId]));
      for (const group of groups) {
        const [first] = group;
        if (first === undefined) continue;
        const nodes = blocksToNotion(group.map((action) => action.block));
        let ids: string[];
        if (first.afterId !== null) {
          const parentId = parents.get(first.afterId) ?? (await parentOf(first.afterId, subject));
          ids = await appendTree(agenda.id, parentId, nodes, {
            type: "after_block",
            after_block: { id: first.afterId },
          });
        } else {
          const section = read.sections[first.role];
          if (section === undefined) {
            const heading = blocksToNotion([
              { kind: "heading", level: 1, text: textOf(ROLE_HEADINGS[first.role]) },
            ]);
            const [headingId, ...itemIds] = await appendTree(agenda.id, agenda.id, [...heading, ...nodes], {
              type: "end",
            });
            if (headingId !== undefined) {
              read.sections[first.role] = { headingId, parentId: agenda.id, folded: false };
            }
            ids = itemIds;
          } else if (section.folded) {
            ids = await appendTree(agenda.id, section.headingId, nodes, { type: "start" });
          } else {
            ids = await appendTree(agenda.id, section.parentId, nodes, {
              type: "after_block",
              after_block: { id: section.headingId },
            });
          }
        }
        group.forEach((action, index) => {
          const id = ids[index];
          if (id !== undefined) added.set(action.itemId, id);
        });
      }
      return { added, skipped };
    },

    /**
     * One `pages.create` carrying up to 100 top-level blocks two levels deep; when that is not all,
     * `blocks.children.append` for the rest (100 blocks each) and under blocks nested deeper than one
     * request allows, then one `pages.update` that marks the page finished. Before writing, one
     * `pages.update` per unfinished page `locate` saw for the meeting, to move it to the trash.
     */
    async create(meeting: MeetingRef, { agenda }: AgendaDraft): Promise<AgendaRef> {
      const source = await dataSourceId();
      checkSharing(source, config.databaseId);
      const subject = dataSourceSubject(source);
      const finished = pageProperties(meeting, agenda, false);
      const unfinished = pageProperties(meeting, agenda, true);
      for (const page of unfinishedSeen.get(meeting.key) ?? []) await discardUnfinished(page);
      unfinishedSeen.delete(meeting.key);
      const parent = { type: "data_source_id", data_source_id: source } as const;
      // Set inside the callbacks; a holder, because a closure's assignment escapes narrowing.
      const state: { created: { id: string; url: string } | null; finishing: boolean } = {
        created: null,
        finishing: false,
      };
      const reservedBytes = new TextEncoder().encode(
        JSON.stringify({ parent, properties: unfinished }),
      ).length;
      try {
        await writePageBlocks(
          blocksToNotion(agendaBlocks(agenda)),
          {
            create: async (children: NotionBlockRequest[], complete: boolean) => {
              const page = await write(subject, async () =>
                parseResponse(
                  pageRefSchema,
                  await sdk.pages.create({
                    parent,
                    properties: complete ? finished : unfinished,
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
            finish: async (pageId: string) => {
              state.finishing = true;
              await call({ kind: "page", id: pageId }, () =>
                sdk.pages.update({
                  page_id: pageId,
                  properties: { [config.titleProperty]: titleValue(meeting, agenda, false) },
                }),
              );
            },
          },
          { reservedBytes },
        );
      } catch (error) {
        const failure = toDestinationError(error, subject);
        if (state.created === null) throw failure;
        if (state.finishing) {
          // Everything is written; only the mark may be left. Whichever it is, the next run sees it.
          throw new DestinationError(
            `${failure.message}; the agenda page ${state.created.url} is written but may still be marked unfinished, and the next run finds or replaces it`,
            failure.retryable,
          );
        }
        throw await discardIncomplete(state.created, failure);
      }
      const page = state.created;
      if (page === null) throw new DestinationError(`no Notion page was created for ${meeting.key}`, false);
      return { id: page.id, url: page.url, date: meeting.date };
    },
  };

  /**
   * Appends `nodes` under `parentId` at `position` and returns the first-level blocks' ids, in order. One
   * call when they fit one request (the usual case: a few to-dos with shallow sub-items); otherwise the
   * first level in calls of 100, then each block's own children under it, however deep.
   */
  async function appendTree(
    pageId: string,
    parentId: string,
    nodes: readonly WriteNode[],
    position: AppendPosition,
  ): Promise<string[]> {
    const append = async (children: NotionBlockRequest[], at: AppendPosition) => {
      const result = await call({ kind: "page", id: pageId }, async () =>
        parseResponse(
          appendSchema,
          await sdk.blocks.children.append({
            block_id: parentId,
            children,
            ...(at.type === "end" ? {} : { position: at }),
          }),
          "appended blocks",
        ),
      );
      return result.results.map((block) => block.id);
    };
    const limits = NOTION_WRITE_LIMITS;
    if (nodes.length <= limits.maxChildren && nodes.every((node) => heightOf(node) <= limits.maxDepth)) {
      return append(nodes.map(requestOf), position);
    }
    const ids: string[] = [];
    let at = position;
    for (let start = 0; start < nodes.length; start += limits.maxChildren) {
      const chunk = nodes.slice(start, start + limits.maxChildren);
      const chunkIds = await append(
        chunk.map((node) => node.request),
        at,
      );
      ids.push(...chunkIds);
      const last = chunkIds[chunkIds.length - 1];
      if (last !== undefined) at = { type: "after_block", after_block: { id: last } };
    }
    for (const [index, node] of nodes.entries()) {
      const id = ids[index];
      if (id !== undefined && node.children.length > 0)
        await appendTree(pageId, id, node.children, { type: "end" });
    }
    return ids;
  }

  /**
   * An unfinished page of this meeting, found by `locate`: the page goes to the trash before the agenda
   * is written anew, so that a person never sees two. If that fails, nothing is written: the next run
   * tries again (it is never taken as the agenda meanwhile).
   */
  async function discardUnfinished(page: { id: string; url: string }): Promise<void> {
    try {
      await sdk.pages.update({ page_id: page.id, in_trash: true });
    } catch (error) {
      // Already gone (trashed or deleted by a person): nothing left to discard.
      if (isNotFound(error)) return;
      const failure = toDestinationError(error, { kind: "page", id: page.id });
      throw new DestinationError(
        `${failure.message}; the unfinished agenda page ${page.url} must go to the trash before the agenda is written anew`,
        failure.retryable,
      );
    }
  }

  /**
   * A page whose content could not all be written keeps its unfinished mark, so no run takes it as the
   * agenda; moving it to the trash at once also spares a person the sight of it. If even that fails,
   * the next run of the meeting moves it there.
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
        `${failure.message}; the incomplete agenda page ${page.url} is marked unfinished and the next run replaces it`,
        failure.retryable,
      );
    }
  }
}
