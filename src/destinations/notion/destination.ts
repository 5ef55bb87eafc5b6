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
import { agendaBlocks, CARRY_ROLES, type CarryRole, textOf } from "../../domain/agenda";
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
import { type NotionApi, notionApi } from "./api";
import { blocksToNotion, type NotionBlockRequest, type WriteNode, withChildren } from "./blocks";
import { notionChangeWatch } from "./changes";
import { checkNotionDestination } from "./check";
import type { NotionClient } from "./client";
import { type NotionDestinationConfig, normalizeNotionId } from "./config";
import { type ErrorSubject, isNestingRefusal, isNotFound, toDestinationError } from "./errors";
import {
  agendaFilter,
  expectedTypes,
  isMarked,
  isUnfinished,
  isUnmarked,
  type PairMark,
  pageDate,
  pageProperties,
  pairFilter,
  pairMarkOf,
  previousRef,
  titleOf,
  titleValue,
} from "./pages";
import { type ListChildren, type ListedBlock, readOpenTodos, readSyncTodos, type SyncRead } from "./read";
import { chunkRichText, richTextToNotion } from "./rich-text";
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

/** Results per query page: enough to step over a same-day duplicate and still see the previous agenda. */
const LOCATE_PAGE_SIZE = 10;
/** Pages of query results `locate` reads at most, in case a data source is full of same-day pages. */
const LOCATE_MAX_PAGES = 5;

type AppendPosition =
  | { type: "after_block"; after_block: { id: string } }
  | { type: "start" }
  | { type: "end" };
type AddAction = Extract<SyncAction, { kind: "add" }>;
type PageLink = { id: string; url: string };

/** One pair's destination: what it was given, and what its calls learned that later calls use. */
interface PairState {
  client: NotionClient;
  api: NotionApi;
  config: NotionDestinationConfig;
  pair: PairMark | null;
  /** The properties the pair's requests use, each with its type, for errors that name them. */
  expected: Readonly<Record<string, string>>;
  sharing: SharingCheck | undefined;
  /** The data source and database ids already checked for sharing; a page's parent names its database. */
  checked: Set<string>;
  /**
   * The previous agenda's top-level blocks, as a steady-state locate listed them to learn the page is
   * still there. The next read of that page takes them instead of asking Notion again, once.
   */
  listedPrevious: { pageId: string; blocks: ListedBlock[] } | null;
  /**
   * Unfinished pages locate saw dated on a meeting, by meeting key: create moves them to the trash before
   * it writes the meeting's agenda anew. Locate itself only looks (a dry run locates too).
   */
  unfinishedSeen: Map<string, PageLink[]>;
  /**
   * What live sync last read of each agenda page: where its to-dos sit and where its sections start, so
   * the pass's adds are placed without reading the page again.
   */
  syncReads: Map<string, SyncRead>;
}

/** Levels of children below a node: 0 for a leaf. */
function heightOf(node: WriteNode): number {
  return node.children.reduce((height, child) => Math.max(height, heightOf(child) + 1), 0);
}

function requestOf(node: WriteNode): NotionBlockRequest {
  return withChildren(node.request, node.children.map(requestOf));
}

/** Consecutive adds that go in at one place (same role, same block before them), in the planned order. */
export function addGroups(actions: readonly SyncAction[]): AddAction[][] {
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
  const database = await guarded({ kind: "database", id: databaseId }, () =>
    notionApi(client).retrieveDatabase(databaseId),
  );
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

/** Any failure of `run` as a DestinationError about `subject`. */
async function guarded<T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toDestinationError(error, subject);
  }
}

/** As `guarded`, but a refused nesting depth tells the write plan, so it can re-plan shallower. */
async function guardedWrite<T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isNestingRefusal(error)) throw new NestingTooDeepError();
    throw toDestinationError(error, subject);
  }
}

function dataSourceIdOf(state: PairState): Promise<string> {
  const { config } = state;
  if (config.dataSourceId !== undefined) return Promise.resolve(config.dataSourceId);
  if (config.databaseId !== undefined) return resolveDataSource(state.client, config.databaseId);
  return Promise.reject(
    new DestinationError("the Notion destination names no dataSourceId or databaseId", false),
  );
}

function checkSharing(state: PairState, source: string, databaseId: string | undefined): void {
  if (state.sharing === undefined) return;
  const key = `${source}\n${databaseId ?? ""}`;
  if (state.checked.has(key)) return;
  const refusal = state.sharing({ dataSourceId: source, databaseId });
  if (refusal !== null) throw new DestinationError(refusal, false);
  state.checked.add(key);
}

function dataSourceSubject(state: PairState, id: string): ErrorSubject {
  return { kind: "data source", id, dataSourceId: id, properties: state.expected };
}

/** All children of a page or block, following pagination; Notion's own errors are left as thrown. */
async function listAll(api: NotionApi, blockId: string): Promise<ListedBlock[]> {
  const blocks: ListedBlock[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listBlockChildren(blockId, cursor);
    blocks.push(...page.results);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return blocks;
}

function listChildren(api: NotionApi, subject: ErrorSubject): ListChildren {
  return (blockId) => guarded(subject, () => listAll(api, blockId));
}

/** The page or block a block sits under, for a block the sync read did not see. */
async function parentOf(api: NotionApi, blockId: string, subject: ErrorSubject): Promise<string> {
  const block = await guarded(subject, () => api.retrieveBlock(blockId));
  const parent = block.parent.block_id ?? block.parent.page_id;
  if (parent === undefined)
    throw new DestinationError(`Notion block ${blockId} has no page or block parent`, false);
  return parent;
}

/**
 * One `dataSources.query` (more only when a data source is full of same-day pages): this meeting's
 * finished agenda if it exists and the latest finished one dated before it. Unfinished pages of the
 * meeting are remembered for `create` to discard.
 */
async function queryAgendas(state: PairState, meeting: MeetingRef, source: string): Promise<Located> {
  const { api, config, pair } = state;
  const subject = dataSourceSubject(state, source);
  const unfinished: PageLink[] = [];
  state.unfinishedSeen.set(meeting.key, unfinished);
  let existing: AgendaRef | null = null;
  let cursor: string | undefined;
  for (let page = 0; page < LOCATE_MAX_PAGES; page += 1) {
    const start = cursor;
    const list = await guarded(subject, () =>
      api.queryDataSource({
        data_source_id: source,
        filter: agendaFilter(config.dateProperty, pair, meeting.date),
        sorts: [{ property: config.dateProperty, direction: "descending" }],
        page_size: LOCATE_PAGE_SIZE,
        ...(start === undefined ? {} : { start_cursor: start }),
      }),
    );
    for (const found of list.results) {
      if (found === null) continue;
      checkSharing(state, source, normalizeNotionId(found.parent?.database_id ?? "") ?? config.databaseId);
      if (!isMarked(found, pair)) continue;
      const date = pageDate(found, config.dateProperty, source);
      if (date === null || date > meeting.date) continue;
      if (isUnfinished(found, config.titleProperty)) {
        // Never an agenda: this meeting's is written anew; an earlier meeting's is stepped over, so the
        // previous agenda is the latest finished one (a person may still want the unfinished one).
        if (date === meeting.date && found.in_trash !== true)
          unfinished.push({ id: found.id, url: found.url });
        continue;
      }
      const ref: AgendaRef = { id: found.id, url: found.url, date };
      if (date === meeting.date) existing ??= ref;
      else return { existing, previous: previousRef(found, date, meeting, config.titleProperty) };
    }
    if (!list.has_more || list.next_cursor === null) break;
    cursor = list.next_cursor;
  }
  return { existing, previous: await handMadeBefore(state, meeting, source) };
}

/**
 * For a pair with a pair property that has no agenda of its own before the meeting: the newest page
 * people made by hand (its pair property not set), dated before the meeting, whatever made it. Two
 * calls, made only then: is any page here marked for another pair (then the data source is shared,
 * nothing tells whose a hand-made page is, and none is taken), and the newest unmarked page. A page
 * marked for another pair is never taken: the query asks only for unmarked ones, and each is checked.
 */
async function handMadeBefore(
  state: PairState,
  meeting: MeetingRef,
  source: string,
): Promise<AgendaRef | null> {
  const { api, config, pair } = state;
  if (pair === null) return null;
  const subject = dataSourceSubject(state, source);
  const others = await guarded(subject, () =>
    api.queryDataSource({ data_source_id: source, filter: { and: pairFilter(pair, "other") }, page_size: 1 }),
  );
  if (others.results.length > 0) return null;
  const list = await guarded(subject, () =>
    api.queryDataSource({
      data_source_id: source,
      filter: {
        and: [
          { property: config.dateProperty, date: { before: meeting.date } },
          ...pairFilter(pair, "empty"),
        ],
      },
      sorts: [{ property: config.dateProperty, direction: "descending" }],
      page_size: LOCATE_PAGE_SIZE,
    }),
  );
  for (const found of list.results) {
    if (found === null) continue;
    if (found.in_trash === true || !isUnmarked(found, pair) || isUnfinished(found, config.titleProperty))
      continue;
    const date = pageDate(found, config.dateProperty, source);
    if (date === null || date >= meeting.date) continue;
    const title = titleOf(found, config.titleProperty);
    return { id: found.id, url: found.url, date, ...(title === undefined ? {} : { title }), takenOver: true };
  }
  return null;
}

/** See `Destination.locate` in the returned object's JSDoc. */
async function locate(state: PairState, meeting: MeetingRef): Promise<Located> {
  const source = await dataSourceIdOf(state);
  checkSharing(state, source, state.config.databaseId);
  const known = meeting.known;
  // An id that is not Notion's (the pair's agendas were in Google Docs before) is no lead either.
  const knownId = known?.previous ? normalizeNotionId(known.previous.id) : null;
  if (known !== undefined && known.previous !== null && knownId !== null && !known.earlierAttempt) {
    const previous = known.previous;
    try {
      state.listedPrevious = { pageId: previous.id, blocks: await listAll(state.api, previous.id) };
      return { existing: null, previous };
    } catch (error) {
      // Deleted for good or no longer shared: look for what there is, as a recovering run does.
      if (!isNotFound(error)) throw toDestinationError(error, { kind: "page", id: previous.id });
    }
  }
  return queryAgendas(state, meeting, source);
}

async function readOpenItems(
  state: PairState,
  previous: AgendaRef,
  roles: readonly CarryRole[],
): Promise<ReadItems> {
  const fetchChildren = listChildren(state.api, { kind: "page", id: previous.id });
  let listed = state.listedPrevious?.pageId === previous.id ? state.listedPrevious.blocks : null;
  state.listedPrevious = null;
  return readOpenTodos(previous.id, roles, async (blockId) => {
    if (blockId !== previous.id || listed === null) return fetchChildren(blockId);
    const blocks = listed;
    listed = null;
    return blocks;
  });
}

/** The checks, unchecks and text updates of a sync pass, one `blocks.update` each; the ids of items skipped. */
async function applyEdits(
  api: NotionApi,
  subject: ErrorSubject,
  actions: readonly SyncAction[],
): Promise<Set<string>> {
  const skipped = new Set<string>();
  for (const action of actions) {
    if (action.kind === "check" || action.kind === "uncheck") {
      const checked = action.kind === "check";
      await guarded(subject, () => api.updateBlock({ block_id: action.targetId, to_do: { checked } }));
    } else if (action.kind === "update") {
      const [richText, ...overflow] = chunkRichText(richTextToNotion(action.text));
      if (overflow.length > 0) {
        // Rewriting it would cut the item short; leaving it as it was loses nothing.
        skipped.add(action.itemId);
        continue;
      }
      await guarded(subject, () =>
        api.updateBlock({ block_id: action.targetId, to_do: { rich_text: richText ?? [] } }),
      );
    }
  }
  return skipped;
}

/** One group of adds written where it goes (see `applySync`); the new blocks' ids, in order. */
async function appendGroup(
  api: NotionApi,
  agendaId: string,
  read: SyncRead,
  parents: ReadonlyMap<string, string>,
  group: readonly AddAction[],
): Promise<string[]> {
  const [first] = group;
  if (first === undefined) return [];
  const subject: ErrorSubject = { kind: "page", id: agendaId };
  const nodes = blocksToNotion(group.map((action) => action.block));
  if (first.afterId !== null) {
    const parentId = parents.get(first.afterId) ?? (await parentOf(api, first.afterId, subject));
    return appendTree(api, agendaId, parentId, nodes, {
      type: "after_block",
      after_block: { id: first.afterId },
    });
  }
  const section = read.sections[first.role];
  if (section === undefined) {
    const heading = blocksToNotion([{ kind: "heading", level: 1, text: textOf(ROLE_HEADINGS[first.role]) }]);
    const [headingId, ...itemIds] = await appendTree(api, agendaId, agendaId, [...heading, ...nodes], {
      type: "end",
    });
    if (headingId !== undefined) read.sections[first.role] = { headingId, parentId: agendaId, folded: false };
    return itemIds;
  }
  if (section.folded) return appendTree(api, agendaId, section.headingId, nodes, { type: "start" });
  return appendTree(api, agendaId, section.parentId, nodes, {
    type: "after_block",
    after_block: { id: section.headingId },
  });
}

/** See `Destination.applySync` in the returned object's JSDoc. */
async function applySync(
  state: PairState,
  agenda: AgendaRef,
  actions: readonly SyncAction[],
): Promise<SyncApplied> {
  const subject: ErrorSubject = { kind: "page", id: agenda.id };
  const added = new Map<string, string>();
  const skipped = await applyEdits(state.api, subject, actions);
  const groups = addGroups(actions);
  if (groups.length === 0) return { added, skipped };
  let read = state.syncReads.get(agenda.id);
  if (read === undefined) {
    read = await readSyncTodos(agenda.id, CARRY_ROLES, listChildren(state.api, subject), () => false);
    state.syncReads.set(agenda.id, read);
  }
  const parents = new Map(read.todos.map((todo) => [todo.id, todo.parentId]));
  for (const group of groups) {
    const ids = await appendGroup(state.api, agenda.id, read, parents, group);
    group.forEach((action, index) => {
      const id = ids[index];
      if (id !== undefined) added.set(action.itemId, id);
    });
  }
  return { added, skipped };
}

/** See `Destination.create` in the returned object's JSDoc. */
async function createAgenda(
  state: PairState,
  meeting: MeetingRef,
  { agenda }: AgendaDraft,
): Promise<AgendaRef> {
  const { api, config, pair } = state;
  const source = await dataSourceIdOf(state);
  checkSharing(state, source, config.databaseId);
  const subject = dataSourceSubject(state, source);
  const finished = pageProperties(config, pair, meeting, agenda, false);
  const unfinished = pageProperties(config, pair, meeting, agenda, true);
  for (const page of state.unfinishedSeen.get(meeting.key) ?? []) await discardUnfinished(api, page);
  state.unfinishedSeen.delete(meeting.key);
  const parent = { type: "data_source_id", data_source_id: source } as const;
  // Set inside the callbacks; a holder, because a closure's assignment escapes narrowing.
  const progress: { created: PageLink | null; finishing: boolean } = { created: null, finishing: false };
  const reservedBytes = new TextEncoder().encode(JSON.stringify({ parent, properties: unfinished })).length;
  try {
    await writePageBlocks(
      blocksToNotion(agendaBlocks(agenda)),
      {
        create: async (children: NotionBlockRequest[], complete: boolean) => {
          const page = await guardedWrite(subject, () =>
            api.createPage({
              parent,
              properties: complete ? finished : unfinished,
              ...(children.length > 0 ? { children } : {}),
            }),
          );
          progress.created = { id: page.id, url: page.url };
          return page.id;
        },
        append: (parentId: string, children: NotionBlockRequest[]) =>
          guardedWrite({ kind: "page", id: progress.created?.id ?? parentId }, () =>
            api.appendBlockChildren({ block_id: parentId, children }),
          ),
        finish: async (pageId: string) => {
          progress.finishing = true;
          await guarded({ kind: "page", id: pageId }, () =>
            api.updatePage({
              page_id: pageId,
              properties: { [config.titleProperty]: titleValue(meeting, agenda, false) },
            }),
          );
        },
      },
      { reservedBytes },
    );
  } catch (error) {
    throw await createFailure(api, toDestinationError(error, subject), progress);
  }
  const page = progress.created;
  if (page === null) throw new DestinationError(`no Notion page was created for ${meeting.key}`, false);
  return { id: page.id, url: page.url, date: meeting.date };
}

/** A failed create, saying what became of the page it made, if any. */
async function createFailure(
  api: NotionApi,
  failure: DestinationError,
  progress: { created: PageLink | null; finishing: boolean },
): Promise<DestinationError> {
  if (progress.created === null) return failure;
  if (progress.finishing) {
    // Everything is written; only the mark may be left. Whichever it is, the next run sees it.
    return new DestinationError(
      `${failure.message}; the agenda page ${progress.created.url} is written but may still be marked unfinished, and the next run finds or replaces it`,
      failure.retryable,
    );
  }
  return discardIncomplete(api, progress.created, failure);
}

/**
 * Appends `nodes` under `parentId` at `position` and returns the first-level blocks' ids, in order. One
 * call when they fit one request (the usual case: a few to-dos with shallow sub-items); otherwise the
 * first level in calls of 100, then each block's own children under it, however deep.
 */
async function appendTree(
  api: NotionApi,
  pageId: string,
  parentId: string,
  nodes: readonly WriteNode[],
  position: AppendPosition,
): Promise<string[]> {
  const append = (children: NotionBlockRequest[], at: AppendPosition) =>
    guarded({ kind: "page", id: pageId }, () =>
      api.appendBlockChildren({
        block_id: parentId,
        children,
        ...(at.type === "end" ? {} : { position: at }),
      }),
    );
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
      await appendTree(api, pageId, id, node.children, { type: "end" });
  }
  return ids;
}

/**
 * An unfinished page of this meeting, found by `locate`: the page goes to the trash before the agenda
 * is written anew, so that a person never sees two. If that fails, nothing is written: the next run
 * tries again (it is never taken as the agenda meanwhile).
 */
async function discardUnfinished(api: NotionApi, page: PageLink): Promise<void> {
  try {
    await api.updatePage({ page_id: page.id, in_trash: true });
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
async function discardIncomplete(api: NotionApi, page: PageLink, failure: DestinationError) {
  try {
    await api.updatePage({ page_id: page.id, in_trash: true });
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

/** The Notion destination for one pair. See the file header; calls per method are in each method's JSDoc. */
export function createNotionDestination(options: NotionDestinationOptions): Destination {
  const { client, config, pairId, sharing } = options;
  const pair = pairMarkOf(config, pairId);
  const state: PairState = {
    client,
    api: notionApi(client),
    config,
    pair,
    expected: expectedTypes(config, pair),
    sharing,
    checked: new Set(),
    listedPrevious: null,
    unfinishedSeen: new Map(),
    syncReads: new Map(),
  };
  return {
    /**
     * Steady state (the ledger names the previous agenda and no earlier attempt at this meeting may
     * have written anything): one `blocks.children.list` of the previous agenda, the read
     * `readOpenItems` needs first anyway, which also shows the page is still there; no query. Otherwise,
     * or when that page is gone: one `dataSources.query` (see `queryAgendas`). Plus one
     * `databases.retrieve` per isolate when configured by database id.
     */
    locate: (meeting) => locate(state, meeting),

    /**
     * One `blocks.children.list` per 100 top-level blocks (none for the first 100 when `locate` just
     * listed them), one per folded heading opened in a carried section, one per carried block (at any
     * depth) that has children: a carried item's sub-items come in one call, not one each.
     */
    readOpenItems: (previous, roles) => readOpenItems(state, previous, roles),

    /**
     * Calls as `readOpenItems` (without the listing `locate` may have saved), sub-items only for the open
     * to-dos `withChildren` names. What it read of the page is kept for an `applySync` on it that follows.
     */
    async readSyncItems(
      agenda: AgendaRef,
      roles: readonly CarryRole[],
      withChildren: (todoId: string) => boolean = () => false,
    ): Promise<SourceItem[]> {
      const subject: ErrorSubject = { kind: "page", id: agenda.id };
      const read = await readSyncTodos(agenda.id, roles, listChildren(state.api, subject), withChildren);
      state.syncReads.set(agenda.id, read);
      return read.todos.map(({ parentId: _parentId, ...item }) => item);
    },

    /** One `dataSources.query` per look (see changes.ts), shared by every pair of the data source. */
    async changeWatch(): Promise<ChangeWatch> {
      return notionChangeWatch(client, await dataSourceIdOf(state));
    },

    /** One `databases.retrieve` (when configured by database id) and one `dataSources.retrieve`, through `memo`. */
    check(memo: CheckMemo): Promise<DestinationCheck> {
      return checkNotionDestination(client, config, pairId, memo);
    },

    /**
     * One `blocks.update` per check, uncheck and update; one `blocks.children.append` per group of adds
     * that go in at one place (`position` after the last carried copy of their role, or at the start of
     * its section), more only for sub-items nested deeper than one request takes. A role with no section
     * in the agenda gets one at the end, its heading written in the same call as its adds. Before the writes, one
     * `blocks.children.list` of the page when `readSyncItems` did not just read it, and one
     * `blocks.retrieve` per group placed after a block that read did not see.
     */
    applySync: (agenda, actions) => applySync(state, agenda, actions),

    /**
     * One `pages.create` carrying up to 100 top-level blocks two levels deep; when that is not all,
     * `blocks.children.append` for the rest (100 blocks each) and under blocks nested deeper than one
     * request allows, then one `pages.update` that marks the page finished. Before writing, one
     * `pages.update` per unfinished page `locate` saw for the meeting, to move it to the trash.
     */
    create: (meeting, draft) => createAgenda(state, meeting, draft),
  };
}
