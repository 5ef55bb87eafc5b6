// Owns reading an earlier agenda's open items from its paragraphs. In a Google Doc people type action
// items as plain bullets as often as they use our status chip, so under the action-items heading every
// top-level list item is an item (in the parking lot too, which holds action items); under the discussion
// heading only items with a status chip are, since discussion bullets are topics, not to-dos. An item is
// done when its chip says Done, or its words say so (all struck through, or a done marker first); anything
// else is open and carried, because an item wrongly carried costs a glance while an item wrongly dropped
// is lost.
import type { Block, CarryRole } from "../../../domain/agenda";
import { closedTodoCounts, openTodoIndices } from "../../../domain/sections";
import type { ReadItems } from "../../types";
import type { TabView } from "./document";
import { doneOptionIds, statusDefinitionIds } from "./status";
import { isDoneByText, type ReadContext } from "./to-model";

type TodoBlock = Extract<Block, { kind: "todo" }>;

/** A top-level list item as an action item: a to-do, done only by its own words. */
function asItem(block: Block): Block {
  if (block.kind !== "bullet" && block.kind !== "numbered") return block;
  return { kind: "todo", text: block.text, checked: isDoneByText(block.text), children: block.children };
}

/**
 * The blocks as the items of `role` read: bullets are items under the action items and in the parking
 * lot (it holds action items the Worker moved there); under discussion they are topics.
 */
export function itemBlocksOf(blocks: readonly Block[], role: CarryRole): readonly Block[] {
  return role === "discussion" ? blocks : blocks.map(asItem);
}

/**
 * The open items under the carried headings in `blocks`, each with its nested children, and the done
 * counts. `idOf` names the item at an index of `blocks` (live sync follows items by it).
 */
export function openItemsOf(
  blocks: readonly Block[],
  roles: readonly CarryRole[],
  idOf: (index: number) => string | undefined = () => undefined,
): ReadItems {
  const items: ReadItems = { actions: [], discussion: [], parked: [], closed: 0, closedWithinWeek: 0 };
  const asItems = itemBlocksOf(blocks, "actions");
  for (const role of roles) {
    const read = role === "discussion" ? blocks : asItems;
    const counts = closedTodoCounts(read, [role]);
    items.closed += counts.closed;
    items.closedWithinWeek += counts.closedWithinWeek;
    for (const index of openTodoIndices(read, [role])[role]) {
      const block = read[index];
      if (block?.kind === "todo") items[role].push(open(block, idOf(index)));
    }
  }
  return items;
}

function open(block: TodoBlock, id: string | undefined): TodoBlock {
  const item: TodoBlock = { kind: "todo", text: block.text, checked: false, children: block.children };
  if (id !== undefined) item.id = id;
  return item;
}

/** What reading a tab's paragraphs needs: its lists, and which of its dropdowns are status chips. */
export function readContextOf(tab: TabView): ReadContext {
  return {
    lists: tab.lists,
    doneOptionIds: doneOptionIds(tab.dropdownDefinitions),
    statusDefinitionIds: statusDefinitionIds(tab.dropdownDefinitions),
  };
}
