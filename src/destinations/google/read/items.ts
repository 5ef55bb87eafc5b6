// Owns the identity of an agenda's items in Google Docs, which has no block ids: each item the Worker
// follows is covered by a named range of ours, `oneonone.item.<id>`. Named ranges move with people's
// edits around them and die with their text, so a paragraph keeps its id wherever it goes, and a line
// a person deletes loses it. An item no range names yet (typed by a person, or written before ranges
// existed) gets an id from its words and place among equal words, the same on every read, so the id a
// caller records before the range is written is the one the range then carries.
// Also reads an agenda's items with their paragraphs, for the writes that name them and for live sync.
import type { Block, CarryRole } from "../../../domain/agenda";
import { plainText } from "../../../domain/agenda";
import type { TodoBlock } from "../../../domain/carry";
import { readCarryMark } from "../../../domain/carry";
import { todoIndices } from "../../../domain/sections";
import { hash64 } from "../../../lib/hash";
import type { ReadItems } from "../../types";
import type { DocsRequest } from "../api/client";
import type { LayoutParagraph, Span } from "../write/requests";
import type { PlacedParagraph, TabView } from "./document";
import { itemBlocksOf, openItemsOf, readContextOf } from "./read";
import { blocksFromParagraphs } from "./to-model";

const ITEM_RANGE_PREFIX = "oneonone.item.";
const ITEM_RANGE_NAME = /^oneonone\.item\.([A-Za-z0-9_-]{1,64})$/;

/** The named range that marks an item. */
function itemRangeName(id: string): string {
  return `${ITEM_RANGE_PREFIX}${id}`;
}

/** A short id from `seed`, the same for the same seed. */
export function itemIdFrom(seed: string): string {
  return hash64(seed);
}

/** The request that names an item's paragraph: its content, the newline left out. */
export function itemRangeRequest(id: string, span: Span, tabId: string | undefined): DocsRequest {
  return {
    createNamedRange: {
      name: itemRangeName(id),
      range: { startIndex: span.start, endIndex: span.end, ...(tabId === undefined ? {} : { tabId }) },
    },
  };
}

/** Part of an agenda: paragraphs of one tab (a running doc's section, or a whole tab of a document). */
export interface AgendaPart {
  tab: TabView;
  paragraphs: readonly PlacedParagraph[];
}

/** A top-level item under a carried heading, with where it is. */
export interface AgendaItem {
  id: string;
  /** Whether a range of ours names it already. */
  ranged: boolean;
  role: CarryRole;
  /** As read: its text (status chip left out), done or not, its nested children. */
  block: TodoBlock;
  placed: PlacedParagraph;
  tab: TabView;
}

/** An agenda as read for naming and syncing its items. */
export interface AgendaRead {
  /** Every top-level item under the carried headings, done or not, in reading order. */
  items: AgendaItem[];
  /** The open items with their ids, and the done counts (what a prepare run carries). */
  open: ReadItems;
  /** Every block in reading order, and the paragraph and tab of each. */
  blocks: Block[];
  placedOf: ReadonlyMap<Block, PlacedParagraph>;
  tabOf: ReadonlyMap<Block, TabView>;
  /** The last paragraph of the first part: where a section the agenda lacks is added. */
  last: { placed: PlacedParagraph; tab: TabView } | null;
}

/** Our item ranges of a tab, each from its first start to its last end (edits can split one). */
function itemRanges(tab: TabView): { id: string; start: number; end: number }[] {
  const ranges: { id: string; start: number; end: number }[] = [];
  for (const [name, group] of Object.entries(tab.namedRanges)) {
    const id = ITEM_RANGE_NAME.exec(name)?.[1];
    if (id === undefined) continue;
    for (const range of group.namedRanges) {
      const pieces = range.ranges.filter((piece) => piece.endIndex > piece.startIndex);
      if (pieces.length === 0) continue;
      ranges.push({
        id,
        start: Math.min(...pieces.map((piece) => piece.startIndex)),
        end: Math.max(...pieces.map((piece) => piece.endIndex)),
      });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** The words that make an unnamed item's id: what a person sees, the carry mark left out. */
function wordsOf(block: TodoBlock): string {
  return plainText(readCarryMark(block.text).text).replace(/\s+/gu, " ").trim();
}

/**
 * Reads an agenda's items under the carried headings of `roles` with their ids. `agendaId` seeds the ids
 * of items no range names (see the file header).
 */
export function readAgenda(
  parts: readonly AgendaPart[],
  roles: readonly CarryRole[],
  agendaId: string,
): AgendaRead {
  const placedOf = new Map<Block, PlacedParagraph>();
  const tabOf = new Map<Block, TabView>();
  const blocks = parts.flatMap(({ tab, paragraphs }) => {
    const read = blocksFromParagraphs(paragraphs, readContextOf(tab), placedOf);
    for (const block of read) tabOf.set(block, tab);
    return read;
  });

  const found: { index: number; role: CarryRole; block: TodoBlock; placed: PlacedParagraph; tab: TabView }[] =
    [];
  for (const role of roles) {
    const read = itemBlocksOf(blocks, role);
    for (const index of todoIndices(read, [role])[role]) {
      const block = read[index];
      const original = blocks[index];
      const placed = original === undefined ? undefined : placedOf.get(original);
      const tab = original === undefined ? undefined : tabOf.get(original);
      if (block?.kind !== "todo" || placed === undefined || tab === undefined) continue;
      found.push({ index, role, block, placed, tab });
    }
  }
  found.sort((a, b) => a.index - b.index);

  // Each range names the first item it overlaps that no earlier range named: a range split by a person's
  // Enter still names the line it began on.
  const named = new Map<number, string>();
  for (const tab of new Set(found.map((item) => item.tab))) {
    for (const range of itemRanges(tab)) {
      const item = found.find(
        (candidate) =>
          candidate.tab === tab &&
          !named.has(candidate.index) &&
          candidate.placed.start < range.end &&
          range.start < candidate.placed.end - 1,
      );
      if (item !== undefined) named.set(item.index, range.id);
    }
  }
  const seen = new Map<string, number>();
  const items = found.map(({ index, role, block, placed, tab }): AgendaItem => {
    const ranged = named.get(index);
    if (ranged !== undefined) return { id: ranged, ranged: true, role, block, placed, tab };
    const words = wordsOf(block);
    const nth = seen.get(words) ?? 0;
    seen.set(words, nth + 1);
    return { id: itemIdFrom(`${agendaId}\n${words}\n${nth}`), ranged: false, role, block, placed, tab };
  });
  const ids = new Map(found.map(({ index }, position) => [index, items[position]?.id]));
  const first = parts[0];
  const lastPlaced = first?.paragraphs[first.paragraphs.length - 1];
  return {
    items,
    open: openItemsOf(blocks, roles, (index) => ids.get(index)),
    blocks,
    placedOf,
    tabOf,
    last: first === undefined || lastPlaced === undefined ? null : { placed: lastPlaced, tab: first.tab },
  };
}

/** The requests that name the open items no range names yet, among those `wanted` (all when omitted). */
export function unnamedOpenRanges(read: AgendaRead, wanted?: ReadonlySet<string>): DocsRequest[] {
  return read.items
    .filter((item) => !item.ranged && !item.block.checked && (wanted === undefined || wanted.has(item.id)))
    .map((item) =>
      itemRangeRequest(item.id, { start: item.placed.start, end: item.placed.end - 1 }, item.tab.tabId),
    );
}

/**
 * The requests that name the carried copies among written paragraphs (`layout`, whose content lies at
 * `spans` once written): the to-dos that carry a carry mark. Their ids come from `seed` and their order.
 */
export function copyRanges(
  layout: readonly LayoutParagraph[],
  spans: readonly Span[],
  seed: string,
  tabId: string | undefined,
): DocsRequest[] {
  const requests: DocsRequest[] = [];
  layout.forEach((paragraph, index) => {
    const span = spans[index];
    if (paragraph.todo === undefined || span === undefined || span.end <= span.start) return;
    if (readCarryMark(paragraph.todo.text).originDate === null) return;
    requests.push(itemRangeRequest(itemIdFrom(`${seed}\n${requests.length}`), span, tabId));
  });
  return requests;
}
