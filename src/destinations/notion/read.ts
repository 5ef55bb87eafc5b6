// Owns reading an earlier agenda page for its open items with as few calls as the page allows: its
// top-level blocks (one call under 100 blocks), the children of folded headings only where they can hold
// carried items, and nested children only under the to-dos that are carried.
import type { BlockObjectResponse, PartialBlockObjectResponse } from "@notionhq/client";
import * as z from "zod";
import type { Block, CarryRole, RichText } from "../../domain/agenda";
import { CARRY_ROLES, plainText } from "../../domain/agenda";
import { carryRoleOfHeading, closedTodoCounts, openTodoIndices, todoIndices } from "../../domain/sections";
import type { ReadItems } from "../types";
import { blockFromNotion, hasOwnChildren, isToggleableHeading } from "./blocks";

/** A block as Notion lists it (full, or only its id when the integration may not see more). */
export type ListedBlock = BlockObjectResponse | PartialBlockObjectResponse;

/** Lists all children of a page or block, following pagination. */
export type ListChildren = (blockId: string) => Promise<ListedBlock[]>;

type TodoBlock = Extract<Block, { kind: "todo" }>;

const richTextItemSchema = z.looseObject({
  type: z.string(),
  plain_text: z.string(),
  annotations: z.looseObject({ color: z.string() }),
});
// The blocks whose text we read must have it; everything else is taken on the SDK's types, because the
// reader falls back to a plain paragraph for anything it does not know.
const TEXT_TYPES = [
  "paragraph",
  "heading_1",
  "heading_2",
  "heading_3",
  "heading_4",
  "bulleted_list_item",
  "numbered_list_item",
  "to_do",
  "quote",
  "callout",
  "toggle",
] as const;
const listedBlockSchema = z
  .looseObject({ object: z.literal("block"), id: z.string(), type: z.string().optional() })
  .superRefine((block, ctx) => {
    const type = block.type;
    if (type === undefined || !(TEXT_TYPES as readonly string[]).includes(type)) return;
    const payload = z.looseObject({ rich_text: z.array(richTextItemSchema) }).safeParse(block[type]);
    if (!payload.success)
      ctx.addIssue({ code: "custom", message: `${type}.rich_text is missing or malformed` });
    if (
      type === "to_do" &&
      typeof (block.to_do as { checked?: unknown } | undefined)?.checked !== "boolean"
    ) {
      ctx.addIssue({ code: "custom", message: "to_do.checked is missing" });
    }
  });
/**
 * One page of "retrieve block children", checked for the fields the reader depends on, with the cursor of
 * the next page only when there is more.
 */
export const blockListSchema = z
  .looseObject({
    results: z.array(listedBlockSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .transform((list) => ({
    // Checked above for what we read; the SDK's types describe the rest.
    results: list.results as unknown as ListedBlock[],
    nextCursor: list.has_more ? list.next_cursor : null,
  }));

/**
 * The children of `blockId` as model blocks, each with its own children loaded, however deep. A folded
 * heading's children follow it, as in the model a heading holds no children.
 */
async function loadChildren(blockId: string, list: ListChildren): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const listed of await list(blockId)) {
    const children = hasOwnChildren(listed) ? await loadChildren(listed.id, list) : [];
    if (isToggleableHeading(listed)) blocks.push(blockFromNotion(listed), ...children);
    else blocks.push(blockFromNotion(listed, children));
  }
  return blocks;
}

interface Entry {
  listed: ListedBlock;
  block: Block;
  /** The page, or the folded heading whose children the block is. */
  parentId: string;
  /** For a folded heading: whether its children are already spliced in after it. */
  expanded: boolean;
}

function entriesOf(listed: readonly ListedBlock[], parentId: string): Entry[] {
  return listed.map((item) => ({ listed: item, block: blockFromNotion(item), parentId, expanded: false }));
}

const PROBE: Block = { kind: "todo", text: [], checked: false, children: [] };

/**
 * Splices in the children of folded headings that sit in a carried section (or start one), so that a
 * heading's folded to-dos count as its section's blocks. Whether a heading is in such a section is asked
 * of `openTodoIndices` itself, with a probe to-do placed where the heading's children would go, so the
 * section rules live in one place. Folded headings elsewhere are not opened: that would cost calls for
 * nothing carried.
 */
async function expandFoldedHeadings(entries: Entry[], roles: readonly CarryRole[], list: ListChildren) {
  for (;;) {
    const probed: Block[] = [];
    const owners = new Map<number, number>();
    entries.forEach((entry, index) => {
      probed.push(entry.block);
      if (!entry.expanded && isToggleableHeading(entry.listed) && hasOwnChildren(entry.listed)) {
        owners.set(probed.length, index);
        probed.push(PROBE);
      }
    });
    if (owners.size === 0) return;
    const found = openTodoIndices(probed, roles);
    const open = [...found.actions, ...found.discussion, ...found.parked]
      .map((index) => owners.get(index))
      .filter((index): index is number => index !== undefined)
      .sort((a, b) => b - a);
    if (open.length === 0) return;
    // From the back, so that splicing does not move the entries still to open.
    for (const index of open) {
      const entry = entries[index];
      if (entry === undefined) continue;
      entry.expanded = true;
      entries.splice(index + 1, 0, ...entriesOf(await list(entry.listed.id), entry.listed.id));
    }
  }
}

/**
 * The unchecked top-level to-dos under the carried headings of a page, with all their nested children
 * (whatever those children's own checked state), and the counts of checked ones. Calls: one per 100
 * top-level blocks, one per folded heading opened, one per carried block (at any depth) that has children.
 */
export async function readOpenTodos(
  pageId: string,
  roles: readonly CarryRole[],
  list: ListChildren,
): Promise<ReadItems> {
  const entries = entriesOf(await list(pageId), pageId);
  await expandFoldedHeadings(entries, roles, list);
  const blocks = entries.map((entry) => entry.block);
  const found = openTodoIndices(blocks, roles);
  const items: ReadItems = { actions: [], discussion: [], parked: [], ...closedTodoCounts(blocks, roles) };
  for (const role of roles) {
    for (const index of found[role]) {
      const entry = entries[index];
      if (entry === undefined || entry.block.kind !== "todo") continue;
      const children = hasOwnChildren(entry.listed) ? await loadChildren(entry.listed.id, list) : [];
      // The block id goes with the item, so the ledger can follow it in this agenda (live sync).
      const todo: TodoBlock = { ...entry.block, children, id: entry.listed.id };
      items[role].push(todo);
    }
  }
  return items;
}

/** A top-level to-do under a carried heading, as live sync follows it. */
interface SyncTodo {
  id: string;
  role: CarryRole;
  text: RichText;
  checked: boolean;
  /** Loaded only where asked for (`withChildren`): a new item's sub-items go with it when it is added. */
  children: Block[];
  /** The page, or the folded heading the to-do sits under: where a block added after it goes. */
  parentId: string;
}

/** Where a role's section starts: its heading, and whether its blocks are the heading's children (folded). */
interface SectionStart {
  headingId: string;
  parentId: string;
  folded: boolean;
}

export interface SyncRead {
  /** In reading order. */
  todos: SyncTodo[];
  sections: Partial<Record<CarryRole, SectionStart>>;
}

/**
 * Every top-level to-do under the carried headings of a page, checked or not, with its block id, and
 * where each carried section starts. Calls: as `readOpenTodos`, but children only for the to-dos
 * `withChildren` names (those a pass may add: it never rewrites a copy's sub-items).
 */
export async function readSyncTodos(
  pageId: string,
  roles: readonly CarryRole[],
  list: ListChildren,
  withChildren: (todoId: string) => boolean,
): Promise<SyncRead> {
  const entries = entriesOf(await list(pageId), pageId);
  await expandFoldedHeadings(entries, roles, list);
  const blocks = entries.map((entry) => entry.block);
  const found = todoIndices(blocks, roles);
  const indices = CARRY_ROLES.flatMap((role) => found[role].map((index) => ({ role, index }))).sort(
    (a, b) => a.index - b.index,
  );
  const todos: SyncTodo[] = [];
  for (const { role, index } of indices) {
    const entry = entries[index];
    if (entry === undefined || entry.block.kind !== "todo") continue;
    const id = entry.listed.id;
    const children =
      hasOwnChildren(entry.listed) && !entry.block.checked && withChildren(id)
        ? await loadChildren(id, list)
        : [];
    todos.push({
      id,
      role,
      text: entry.block.text,
      checked: entry.block.checked,
      children,
      parentId: entry.parentId,
    });
  }
  const sections: Partial<Record<CarryRole, SectionStart>> = {};
  for (const entry of entries) {
    if (entry.block.kind !== "heading") continue;
    const role = carryRoleOfHeading(plainText(entry.block.text));
    // Every role's, read or not: an add must not write a second section the agenda already has.
    if (role === null || sections[role] !== undefined) continue;
    sections[role] = {
      headingId: entry.listed.id,
      parentId: entry.parentId,
      folded: isToggleableHeading(entry.listed),
    };
  }
  return { todos, sections };
}
