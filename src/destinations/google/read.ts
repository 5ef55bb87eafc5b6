// Owns reading an earlier agenda's open items from its paragraphs. In a Google Doc people type action
// items as plain bullets as often as they use our status chip, so under the action-items heading every
// top-level list item is an item (in the parking lot too, which holds action items); under the discussion
// heading only items with a status chip are, since discussion bullets are topics, not to-dos. An item is
// done when its chip says Done, or its words say so (all struck through, or a done marker first); anything
// else is open and carried, because an item wrongly carried costs a glance while an item wrongly dropped
// is lost.
import type { Block, CarryRole } from "../../domain/agenda";
import { closedTodoCounts, openTodoIndices } from "../../domain/sections";
import type { ReadItems } from "../types";
import type { PlacedParagraph, TabView } from "./document";
import { doneOptionIds, statusDefinitionIds } from "./status";
import { blocksFromParagraphs, isDoneByText, type ReadContext } from "./to-model";

type TodoBlock = Extract<Block, { kind: "todo" }>;

/** A top-level list item as an action item: a to-do, done only by its own words. */
function asItem(block: Block): Block {
  if (block.kind !== "bullet" && block.kind !== "numbered") return block;
  return { kind: "todo", text: block.text, checked: isDoneByText(block.text), children: block.children };
}

/**
 * The open items under the carried headings in `blocks`, each with its nested children, and the done
 * counts. The parking lot holds action items the Worker moved there, so it is read like the action items.
 */
export function openItemsOf(blocks: readonly Block[], roles: readonly CarryRole[]): ReadItems {
  const items: ReadItems = { actions: [], discussion: [], parked: [], closed: 0, closedWithinWeek: 0 };
  const asItems = blocks.map(asItem);
  for (const role of roles) {
    // Bullets are items under the action items and in the parking lot; topics under discussion.
    const read = role === "discussion" ? blocks : asItems;
    const counts = closedTodoCounts(read, [role]);
    items.closed += counts.closed;
    items.closedWithinWeek += counts.closedWithinWeek;
    for (const index of openTodoIndices(read, [role])[role]) {
      const block = read[index];
      if (block?.kind === "todo") items[role].push(open(block));
    }
  }
  return items;
}

function open(block: TodoBlock): TodoBlock {
  return { kind: "todo", text: block.text, checked: false, children: block.children };
}

/** The open items of an agenda given as paragraphs (a running doc's section, or a whole document). */
export function readOpenItems(
  paragraphs: readonly PlacedParagraph[],
  context: ReadContext,
  roles: readonly CarryRole[],
): ReadItems {
  return openItemsOf(blocksFromParagraphs(paragraphs, context), roles);
}

/** What reading a tab's paragraphs needs: its lists, and which of its dropdowns are status chips. */
export function readContextOf(tab: TabView): ReadContext {
  return {
    lists: tab.lists,
    doneOptionIds: doneOptionIds(tab.dropdownDefinitions),
    statusDefinitionIds: statusDefinitionIds(tab.dropdownDefinitions),
  };
}
