// Reads an agenda page's block tree (as the Notion emulator stores it) the way a person would look at
// it: the to-dos under each carried heading, with their text, marks, owner, due date and sub-items.

import type { BlockTreeNode } from "../../emulators/notion/control";
import { carryRoleOfHeading } from "../../src/domain/sections";

export interface RichItem {
  type: string;
  plain_text: string;
  href?: string | null;
  annotations?: { bold?: boolean; italic?: boolean; color?: string };
  text?: { content: string; link?: { url: string } | null };
  mention?: { type: string; user?: { id: string }; date?: { start: string } };
}

export interface TreeTodo {
  id: string;
  text: string;
  checked: boolean;
  richText: RichItem[];
  children: TreeTodo[];
}

function payload(node: BlockTreeNode): { rich_text?: RichItem[]; checked?: boolean } {
  return (node as unknown as Record<string, { rich_text?: RichItem[]; checked?: boolean }>)[node.type] ?? {};
}

export function plainOf(node: BlockTreeNode): string {
  return (payload(node).rich_text ?? []).map((item) => item.plain_text).join("");
}

/** The Worker's carried to-dos (a template's own are left out) as a person sees them: box and text. */
export function carriedTodoLines(nodes: readonly BlockTreeNode[]): string[] {
  return nodes
    .filter((node) => node.type === "to_do" && plainOf(node).includes("↻"))
    .map((node) => `${payload(node).checked === true ? "[x]" : "[ ]"} ${plainOf(node)}`);
}

function asTodo(node: BlockTreeNode): TreeTodo {
  const data = payload(node);
  return {
    id: node.id,
    text: plainOf(node),
    checked: data.checked === true,
    richText: data.rich_text ?? [],
    children: (node.children ?? []).filter((child) => child.type === "to_do").map(asTodo),
  };
}

/** The item's text without the carry and overdue marks the Worker appends. */
export function labelOf(todo: TreeTodo): string {
  return todo.text.replace(/\s*↻ open since .*$/u, "").trim();
}

/** Top-level to-dos under the heading that names `role`, with the id of the section's last block. */
export function sectionTodos(
  tree: readonly BlockTreeNode[],
  role: "actions" | "discussion",
): { todos: TreeTodo[]; headingId: string | null; lastBlockId: string | null } {
  let inSection = false;
  let headingId: string | null = null;
  let lastBlockId: string | null = null;
  const todos: TreeTodo[] = [];
  for (const node of tree) {
    if (node.type.startsWith("heading_")) {
      inSection = carryRoleOfHeading(plainOf(node)) === role;
      if (inSection) {
        headingId = node.id;
        lastBlockId = node.id;
      }
      continue;
    }
    if (!inSection) continue;
    lastBlockId = node.id;
    if (node.type === "to_do") todos.push(asTodo(node));
  }
  return { todos, headingId, lastBlockId };
}
