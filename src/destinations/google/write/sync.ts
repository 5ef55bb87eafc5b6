// Owns live sync's writes to a Google agenda: one pass's actions as the requests of ONE batchUpdate,
// computed on the document as read (the caller guards it with that revision, so a person's edit in
// between makes it fail whole rather than land at a wrong index). What each action writes:
// - check / uncheck: the copy's status chip set to Done / Open (`updateDropdownProperties`); a copy whose
//   chip is gone (or whose dropdown has no Done option) is struck through / unstruck instead, the other
//   documented way an item is done.
// - update: the copy's words after its status chip replaced by the source's, the chip kept (the text
//   brings the carry mark with it); a copy that no longer starts with its chip is left as it is.
// - add: new item paragraphs, shaped as the agenda writer makes them, after the last carried copy of
//   their role (after its sub-items), or first under the role's heading (after the hint line), or under
//   a new heading at the end when the agenda has none; each with its item range.
// Index-based edits go bottom-up, so each one's indices are those of the read. Nothing else is touched:
// no paragraph is deleted or moved.
import type { Block, CarryRole, RichText } from "../../../domain/agenda";
import { plainText, textOf } from "../../../domain/agenda";
import { ROLE_HEADINGS } from "../../../domain/carry";
import { carryRoleOfHeading } from "../../../domain/sections";
import type { SourceItem, SyncAction } from "../../../domain/sync";
import type { SyncApplied } from "../../types";
import { DestinationError } from "../../types";
import type { DocsRequest, GoogleApi } from "../api/client";
import { type ErrorSubject, isRevisionConflict, toDestinationError } from "../api/errors";
import type { DocDocument } from "../api/schemas";
import type { PlacedParagraph, TabView } from "../read/document";
import { type AgendaItem, type AgendaRead, itemIdFrom, itemRangeRequest } from "../read/items";
import { type StatusDropdown, statusDropdownFor, statusOptionsOf } from "../read/status";
import { mentionsDoneHint } from "./compose";
import { insertRequests, type LayoutParagraph, layoutBlocks } from "./requests";

/** An agenda's items as live sync's planner takes them; sub-items only where `withChildren` asks. */
export function syncItemsOf(read: AgendaRead, withChildren: (todoId: string) => boolean): SourceItem[] {
  return read.items.map((item) => ({
    id: item.id,
    role: item.role,
    text: item.block.text,
    checked: item.block.checked,
    children: !item.block.checked && withChildren(item.id) ? item.block.children : [],
  }));
}

/** A pass's requests, and what `applySync` reports once they are applied. */
export interface SyncBatch {
  requests: DocsRequest[];
  applied: SyncApplied;
}

interface Edit {
  /** The lowest index the edit reads; edits are applied from the highest down. */
  at: number;
  requests: DocsRequest[];
}

/** The status chip of an item's paragraph: the first dropdown whose definition offers Open and Done. */
function statusChipOf(item: AgendaItem) {
  for (const element of item.placed.paragraph.elements) {
    const dropdown = element.dropdown;
    if (dropdown === undefined || dropdown.dropdownId === undefined) continue;
    const options = statusOptionsOf(
      item.tab.dropdownDefinitions,
      dropdown.dropdownProperties?.dropdownDefinitionId,
    );
    if (options !== null) return { dropdownId: dropdown.dropdownId, index: element.startIndex, ...options };
  }
  return null;
}

function tabbed<T extends object>(value: T, tabId: string | undefined): T & { tabId?: string } {
  return tabId === undefined ? value : { ...value, tabId };
}

/** The paragraph an item ends at: its own, or its last sub-item's. */
function lastParagraphOf(block: Block, read: AgendaRead): PlacedParagraph | undefined {
  const children = "children" in block ? block.children : [];
  const last = children[children.length - 1];
  return (last === undefined ? undefined : lastParagraphOf(last, read)) ?? read.placedOf.get(block);
}

/** Where the first item of `role` goes when no copy of it is there: under its heading (and hint line). */
function roleAnchor(read: AgendaRead, role: CarryRole): { placed: PlacedParagraph; tab: TabView } | null {
  const index = read.blocks.findIndex(
    (block) => block.kind === "heading" && carryRoleOfHeading(plainText(block.text)) === role,
  );
  const heading = read.blocks[index];
  if (heading === undefined) return null;
  const next = read.blocks[index + 1];
  const anchor =
    next?.kind === "paragraph" && mentionsDoneHint(plainText(next.text)) && read.placedOf.has(next)
      ? next
      : heading;
  const placed = read.placedOf.get(anchor);
  const tab = read.tabOf.get(heading);
  return placed === undefined || tab === undefined ? null : { placed, tab };
}

type AddAction = Extract<SyncAction, { kind: "add" }>;

/** The status dropdown of each tab a batch writes chips in; a definition a tab lacks is created first. */
function statusesFor(first: DocsRequest[]): (tab: TabView) => StatusDropdown {
  const statuses = new Map<string, StatusDropdown>();
  return (tab) => {
    const key = tab.tabId ?? "";
    let status = statuses.get(key);
    if (status === undefined) {
      status = statusDropdownFor(tab.dropdownDefinitions, tab.tabId);
      statuses.set(key, status);
      if (status.create !== null) first.push(status.create);
    }
    return status;
  };
}

/**
 * What a check, uncheck or update writes to its copy: a chip change, an index-based edit, or nothing
 * (null: the copy is not as the action needs it, so it is skipped).
 */
function itemChange(
  item: AgendaItem,
  action: Exclude<SyncAction, AddAction>,
  statusOf: (tab: TabView) => StatusDropdown,
): { chip: DocsRequest } | { edit: Edit } | null {
  const tabId = item.tab.tabId;
  const chip = statusChipOf(item);
  if (action.kind === "update") {
    if (chip === null || chip.index !== item.placed.start) return null;
    return { edit: rewrite(item, action.text, statusOf(item.tab)) };
  }
  if (chip !== null) {
    const selectedOptionId = action.kind === "check" ? chip.doneOptionId : chip.openOptionId;
    return {
      chip: {
        updateDropdownProperties: tabbed(
          {
            dropdownId: chip.dropdownId,
            dropdownProperties: { selectedOptionId },
            fields: "selectedOptionId",
          },
          tabId,
        ),
      },
    };
  }
  const range = tabbed({ startIndex: item.placed.start, endIndex: item.placed.end - 1 }, tabId);
  return {
    edit: {
      at: item.placed.start,
      requests: [
        {
          updateTextStyle: {
            range,
            textStyle: { strikethrough: action.kind === "check" },
            fields: "strikethrough",
          },
        },
      ],
    },
  };
}

/** Adds that share a place (after the same item, or first of the same role), in the order listed. */
export function groupAdds(adds: readonly AddAction[]): AddAction[][] {
  const groups = new Map<string, AddAction[]>();
  for (const action of adds) {
    const key = action.afterId === null ? `role:${action.role}` : `after:${action.afterId}`;
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  return [...groups.values()];
}

/** The edit that inserts one group of adds at its place, with each new item's range; null: no place. */
function addEdit(
  group: readonly AddAction[],
  read: AgendaRead,
  byId: ReadonlyMap<string, AgendaItem>,
  seed: string,
  statusOf: (tab: TabView) => StatusDropdown,
): { edit: Edit; added: Map<string, string> } | null {
  const [lead] = group;
  if (lead === undefined) return null;
  const after = lead.afterId === null ? undefined : byId.get(lead.afterId);
  const afterPlaced = after === undefined ? undefined : lastParagraphOf(after.block, read);
  let anchor =
    after !== undefined && afterPlaced !== undefined
      ? { placed: afterPlaced, tab: after.tab }
      : roleAnchor(read, lead.role);
  const blocks: Block[] = group.map((action) => action.block);
  if (anchor === null) {
    // The agenda has no section for the role: one at its end, headed as the writer heads sections.
    anchor = read.last;
    blocks.unshift({ kind: "heading", level: 2, text: textOf(ROLE_HEADINGS[lead.role]) });
  }
  if (anchor === null) return null;
  const tabId = anchor.tab.tabId;
  const layout = layoutBlocks(blocks);
  const at = anchor.placed.end - 1;
  const plan = insertRequests(layout, {
    index: at,
    ...(tabId === undefined ? {} : { tabId }),
    leadingNewline: true,
    trailingNewline: false,
    anchorHasBullet: anchor.placed.paragraph.bullet !== undefined,
    status: statusOf(anchor.tab),
  });
  const ranges: DocsRequest[] = [];
  const added = new Map<string, string>();
  for (const action of group) {
    const span = plan.spans[layout.findIndex((paragraph) => paragraph.todo === action.block)];
    if (span === undefined) continue;
    const id = itemIdFrom(`${seed}\n${action.itemId}`);
    ranges.push(itemRangeRequest(id, span, tabId));
    added.set(action.itemId, id);
  }
  return { edit: { at, requests: [...plan.requests, ...ranges] }, added };
}

/** The batch that applies `actions` to the agenda `read`; `seed` makes the added items' ids. */
export function syncBatch(read: AgendaRead, actions: readonly SyncAction[], seed: string): SyncBatch {
  const byId = new Map(read.items.map((item) => [item.id, item]));
  const added = new Map<string, string>();
  const skipped = new Set<string>();
  const first: DocsRequest[] = [];
  const chips: DocsRequest[] = [];
  const edits: Edit[] = [];
  const statusOf = statusesFor(first);

  const adds: AddAction[] = [];
  for (const action of actions) {
    if (action.kind === "add") {
      adds.push(action);
      continue;
    }
    const item = byId.get(action.targetId);
    // The copy is gone since it was read: nothing to write, and the ledger keeps what it knew.
    const change = item === undefined ? null : itemChange(item, action, statusOf);
    if (change === null) skipped.add(action.itemId);
    else if ("chip" in change) chips.push(change.chip);
    else edits.push(change.edit);
  }

  for (const group of groupAdds(adds)) {
    const done = addEdit(group, read, byId, seed, statusOf);
    if (done === null) {
      for (const action of group) skipped.add(action.itemId);
      continue;
    }
    edits.push(done.edit);
    for (const [itemId, id] of done.added) added.set(itemId, id);
  }

  edits.sort((a, b) => b.at - a.at);
  const requests = [...first, ...chips, ...edits.flatMap((edit) => edit.requests)];
  return { requests, applied: { added, skipped } };
}

/**
 * Replaces a copy's words after its leading status chip: the new words go in right after the chip (inside
 * the item's range, which grows with them), then the old ones, now after them, are deleted.
 */
function rewrite(item: AgendaItem, text: RichText, status: StatusDropdown): Edit {
  const tabId = item.tab.tabId;
  const start = item.placed.start + 1;
  const [words] = layoutBlocks([{ kind: "paragraph", text, children: [] }]);
  const paragraph: LayoutParagraph = {
    namedStyle: "NORMAL_TEXT",
    list: null,
    divider: false,
    pieces: [{ kind: "text", text: " " }, ...(words?.pieces ?? [])],
  };
  const plan = insertRequests([paragraph], {
    index: start,
    ...(tabId === undefined ? {} : { tabId }),
    trailingNewline: false,
    status,
  });
  const oldEnd = item.placed.end - 1;
  const requests = [...plan.requests];
  if (oldEnd > start) {
    requests.push({
      deleteContentRange: {
        range: tabbed({ startIndex: start + plan.length, endIndex: oldEnd + plan.length }, tabId),
      },
    });
  }
  return { at: start, requests };
}

/**
 * A sync pass's batchUpdate on `doc`, under the revision it was read at: refused whole (and retryable)
 * when a person edited the document since, so nothing lands at an index that moved.
 */
export async function writeSyncBatch(
  api: GoogleApi,
  doc: DocDocument,
  requests: DocsRequest[],
  subject: ErrorSubject,
): Promise<void> {
  try {
    await api.batchUpdate(doc.documentId, {
      requests,
      ...(doc.revisionId === undefined ? {} : { writeControl: { requiredRevisionId: doc.revisionId } }),
    });
  } catch (error) {
    if (isRevisionConflict(error)) {
      throw new DestinationError(
        `Google document ${doc.documentId} changed while live sync wrote to it; the next pass will retry`,
        true,
      );
    }
    throw toDestinationError(error, subject);
  }
}
