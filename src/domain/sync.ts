// Live sync: from the moment a new agenda is made until its meeting starts, its carried items follow the
// previous agenda. This module owns the decision only: given the ledger of what the Worker carried and
// both agendas as read now, it says which copies to check, uncheck, update or add, and what the ledger
// becomes. It never reads or writes a destination, and never sees the blocks people wrote themselves:
// only the to-dos the Worker placed are inputs, so nothing else can be touched.
//
// The rules (each one so that no action item is lost and nothing a person wrote is overwritten):
// - A source ticked done: the copy is checked, never deleted (people may have written under it). Once per
//   tick: if a person reopens the copy afterwards, the Worker leaves it open.
// - A source unticked again (done → open): the copy is unchecked only if the Worker checked it and it is
//   still checked; a copy a person ticked stays ticked.
// - A new open item under a carried heading of the previous agenda: added once, after the last carried
//   copy of its role (first in the role's section when there is none). Its ledger entry is what makes it
//   "once": the next pass knows its source.
// - A source edited (text, owner or due date): the copy is rewritten only if it is exactly as the Worker
//   last wrote it. Otherwise the person's copy wins, and the ledger says so and records the source as
//   seen, so the next pass does not weigh it again.
// - A source deleted: nothing happens to the copy. A deletion is not a closure; when unsure, carry.
// - A copy a person deleted: never re-added, whatever its source does later.
// Fingerprints compare what a person sees as the item (its text without the carry mark, its owner and
// due date), so the carry mark, or a person removing it, is never taken for an edit.

import { hash64 } from "../lib/hash";
import type { CarryRole, RichText } from "./agenda";
import { plainText } from "./agenda";
import type { CarriedItem, TodoBlock } from "./carry";
import { carryForward, dueDateOf, markedTodo, ownerNameOf, ownerOf, readCarryMark } from "./carry";

/**
 * One carried item as the ledger knows it: the item as carried (its text, owner and due date as the Worker
 * last wrote them, which digests, the roll-up and the meetings view show), and what live sync knows of it.
 */
export interface SyncLedgerItem extends Omit<CarriedItem, "block"> {
  /** Stable within the meeting: how actions and the store name the item. */
  itemId: string;
  /** The item's block in the previous agenda. */
  sourceId: string;
  /**
   * The copy's block in the new agenda. Null until known: a pass matches it among the Worker's copies
   * of the same role by `copyFingerprint` (or, for a copy a person edited first, by its place), and the
   * caller fills it from the destination after an add.
   */
  targetId: string | null;
  /** The source as last copied. */
  sourceFingerprint: string;
  /** The copy as the Worker last wrote it. */
  copyFingerprint: string;
  /** When the Worker checked the copy because its source was ticked; null when it has not. */
  closedAt: string | null;
  /** A person edited the copy, and the source changed after: the person's copy was kept. */
  keptByPerson: boolean;
  /** When a sync pass added the item; null for an item carried when the agenda was made. */
  addedAt: string | null;
}

/** An item of the previous agenda under a carried heading, read fresh. */
export interface SourceItem {
  id: string;
  role: CarryRole;
  text: RichText;
  checked: boolean;
  children: TodoBlock["children"];
}

/** A to-do the Worker placed in the new agenda (it carries a carry mark), read fresh, in agenda order. */
export interface CopyItem {
  id: string;
  role: CarryRole;
  text: RichText;
  checked: boolean;
}

export type SyncAction =
  | { kind: "check"; itemId: string; targetId: string }
  | { kind: "uncheck"; itemId: string; targetId: string }
  | { kind: "update"; itemId: string; targetId: string; text: RichText }
  /**
   * Insert `block` after the copy `afterId`, or first in the section of `role` when null. Adds that share
   * an `afterId` come in the order listed and go in together, in that order (one Notion append with
   * `after`). The caller records the new block's id as the item's `targetId`.
   */
  | { kind: "add"; itemId: string; role: CarryRole; afterId: string | null; block: TodoBlock };

export interface SyncInput {
  ledger: readonly SyncLedgerItem[];
  source: readonly SourceItem[];
  copies: readonly CopyItem[];
  /** The previous agenda's date and the meeting's date, for the carry marks of added and updated items. */
  previousDate: string;
  meetingDate: string;
  /** This pass's time, recorded in the ledger (`closedAt`, `addedAt`); the caller's clock, not read here. */
  at: string;
}

export interface SyncPlan {
  actions: SyncAction[];
  ledger: SyncLedgerItem[];
}

/**
 * The Worker's copies among the new agenda's to-dos under carried headings: those the ledger names as
 * copies, and, for copies not yet matched, those that carry a carry mark (the planner matches them to
 * ledger items in order). A to-do people wrote carries no mark and no ledger id, so it is never an input.
 */
export function copiesOf(todos: readonly SourceItem[], ledger: readonly SyncLedgerItem[]): CopyItem[] {
  const targets = new Set(ledger.flatMap((entry) => (entry.targetId === null ? [] : [entry.targetId])));
  return todos
    .filter((todo) => targets.has(todo.id) || readCarryMark(todo.text).originDate !== null)
    .map(({ id, role, text, checked }) => ({ id, role, text, checked }));
}

/** What a person sees as the item: its text without the carry mark, its owner and its due date. */
export function fingerprintOf(text: RichText): string {
  const unmarked = readCarryMark(text).text;
  return hash64(JSON.stringify([plainText(unmarked).trim(), ownerOf(unmarked), dueDateOf(unmarked)]));
}

/** The ledger's item id for an item a sync pass adds: one per source block, so it is added once. */
export function addedItemId(sourceId: string): string {
  return `added:${sourceId}`;
}

/**
 * One sync pass's decisions. Every item carried into the new agenda must be in `input.ledger` with its
 * source id: an open source the ledger does not name is taken for a new item and added.
 */
export function planSync(input: SyncInput): SyncPlan {
  const sources = new Map(input.source.map((item) => [item.id, item]));
  const copies = new Map(input.copies.map((copy) => [copy.id, copy]));
  const ledger = matchCopies(input.ledger, input.copies);
  const actions: SyncAction[] = [];
  const next: SyncLedgerItem[] = [];
  const lastCopy = new Map<CarryRole, string>();
  for (const copy of input.copies) lastCopy.set(copy.role, copy.id);

  for (const entry of ledger) {
    const source = sources.get(entry.sourceId);
    const copy = entry.targetId === null ? undefined : copies.get(entry.targetId);
    if (entry.targetId === null && entry.addedAt !== null) {
      // Added by an earlier pass whose copy is not found: that add never landed. Add it again while the
      // source is open (a copy a person deleted has a target id, so this never re-adds it).
      if (source !== undefined && !source.checked) {
        const add = addOf(source, input, lastCopy);
        actions.push({ ...add.action, itemId: entry.itemId });
        next.push({ ...add.entry, itemId: entry.itemId, addedAt: entry.addedAt });
      } else {
        next.push(entry);
      }
      continue;
    }
    // A source deleted, a copy a person deleted, or a copy never matched (edited before the first pass):
    // nothing to follow or nothing to change.
    if (source === undefined || copy === undefined || entry.targetId === null) {
      next.push(entry);
      continue;
    }
    let updated = entry;
    const sourceFingerprint = fingerprintOf(source.text);
    if (sourceFingerprint !== entry.sourceFingerprint) {
      if (fingerprintOf(copy.text) === entry.copyFingerprint) {
        const carried = carriedOf(source, entry, input);
        actions.push({ kind: "update", itemId: entry.itemId, targetId: entry.targetId, text: carried.text });
        updated = {
          ...updated,
          ...ledgerView(carried.text, input.meetingDate),
          sourceFingerprint,
          copyFingerprint: fingerprintOf(carried.text),
          keptByPerson: false,
        };
      } else {
        updated = { ...updated, sourceFingerprint, keptByPerson: true };
      }
    }
    if (source.checked && entry.closedAt === null && !copy.checked) {
      actions.push({ kind: "check", itemId: entry.itemId, targetId: entry.targetId });
      updated = { ...updated, closedAt: input.at };
    } else if (!source.checked && entry.closedAt !== null) {
      if (copy.checked) actions.push({ kind: "uncheck", itemId: entry.itemId, targetId: entry.targetId });
      updated = { ...updated, closedAt: null };
    }
    next.push(updated);
  }

  const known = new Set(ledger.map((entry) => entry.sourceId));
  for (const source of input.source) {
    if (source.checked || known.has(source.id)) continue;
    known.add(source.id);
    const add = addOf(source, input, lastCopy);
    actions.push(add.action);
    next.push(add.entry);
  }
  return { actions, ledger: next };
}

/**
 * Fills the target ids still unknown: each takes the first copy of its role, in agenda order, that no
 * other entry holds and whose text is what the Worker wrote. A copy a person edited before the first pass
 * matches no text: the carried items left over then take the copies left over that bear the same carry
 * mark, in order, when there are as many of each (a person edits a copy's words, not its place). When
 * the counts differ (a copy deleted too), which is which cannot be told, and the copies are left alone.
 */
function matchCopies(ledger: readonly SyncLedgerItem[], copies: readonly CopyItem[]): SyncLedgerItem[] {
  const held = new Set(ledger.flatMap((entry) => (entry.targetId === null ? [] : [entry.targetId])));
  const byText = ledger.map((entry) => {
    if (entry.targetId !== null) return entry;
    const match = copies.find(
      (copy) =>
        copy.role === entry.role && !held.has(copy.id) && fingerprintOf(copy.text) === entry.copyFingerprint,
    );
    if (match === undefined) return entry;
    held.add(match.id);
    return { ...entry, targetId: match.id };
  });
  // Only items carried when the agenda was made: an added one without a copy is added again instead.
  const markOf = (role: CarryRole, originDate: string | null, timesCarried: number) =>
    `${role} ${originDate} ${timesCarried}`;
  const leftEntries = new Map<string, number[]>();
  byText.forEach((entry, index) => {
    if (entry.targetId !== null || entry.addedAt !== null) return;
    const key = markOf(entry.role, entry.originDate, entry.timesCarried);
    leftEntries.set(key, [...(leftEntries.get(key) ?? []), index]);
  });
  const leftCopies = new Map<string, string[]>();
  for (const copy of copies) {
    if (held.has(copy.id)) continue;
    const mark = readCarryMark(copy.text);
    const key = markOf(copy.role, mark.originDate, mark.timesCarried);
    leftCopies.set(key, [...(leftCopies.get(key) ?? []), copy.id]);
  }
  const byPlace = new Map<number, string>();
  for (const [key, indexes] of leftEntries) {
    const ids = leftCopies.get(key) ?? [];
    if (ids.length !== indexes.length) continue;
    indexes.forEach((index, order) => {
      const id = ids[order];
      if (id !== undefined) byPlace.set(index, id);
    });
  }
  return byText.map((entry, index) => {
    const targetId = byPlace.get(index);
    return targetId === undefined ? entry : { ...entry, targetId };
  });
}

/** A new item of the previous agenda as the Worker writes it, carried once, and its ledger entry. */
function addOf(
  source: SourceItem,
  input: SyncInput,
  lastCopy: ReadonlyMap<CarryRole, string>,
): { action: Extract<SyncAction, { kind: "add" }>; entry: SyncLedgerItem } {
  const todo: TodoBlock = { kind: "todo", text: source.text, checked: false, children: source.children };
  const [carried] = carryForward({ [source.role]: [todo] }, input.previousDate, input.meetingDate);
  if (carried === undefined) throw new Error(`sync: item ${source.id} was not carried`);
  const block = markedTodo(carried);
  const itemId = addedItemId(source.id);
  return {
    action: { kind: "add", itemId, role: carried.role, afterId: lastCopy.get(carried.role) ?? null, block },
    entry: {
      itemId,
      role: carried.role,
      sourceId: source.id,
      targetId: null,
      sourceFingerprint: fingerprintOf(source.text),
      copyFingerprint: fingerprintOf(block.text),
      closedAt: null,
      keptByPerson: false,
      addedAt: input.at,
      originDate: carried.originDate,
      timesCarried: carried.timesCarried,
      ...ledgerView(block.text, input.meetingDate),
    },
  };
}

/** The copy's new text for an edited source: the source's words, with the mark the item already had. */
function carriedOf(source: SourceItem, entry: SyncLedgerItem, input: SyncInput): TodoBlock {
  const text = readCarryMark(source.text).text;
  const dueDate = dueDateOf(text);
  return markedTodo({
    role: entry.role,
    block: { kind: "todo", text, checked: false, children: [] },
    originDate: entry.originDate,
    timesCarried: entry.timesCarried,
    ownerUserId: ownerOf(text),
    ownerName: null,
    dueDate,
    overdue: dueDate !== null && dueDate < input.meetingDate,
    text: plainText(text),
  });
}

function ledgerView(
  text: RichText,
  meetingDate: string,
): Pick<SyncLedgerItem, "text" | "ownerUserId" | "ownerName" | "dueDate" | "overdue"> {
  const unmarked = readCarryMark(text).text;
  const dueDate = dueDateOf(unmarked);
  return {
    text: plainText(unmarked),
    ownerUserId: ownerOf(unmarked),
    ownerName: ownerNameOf(unmarked),
    dueDate,
    overdue: dueDate !== null && dueDate < meetingDate,
  };
}
