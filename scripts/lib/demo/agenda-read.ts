// Owns reading an agenda back from the emulator the way a person reads it: the top-level to-dos under a
// section heading, open or done. The demo uses it to say which items should have been carried and which
// were done and left behind, independently of what the Worker says it did.
import type { BlockTreeNode } from "../../../emulators/notion/control";

export interface AgendaTodo {
  section: string;
  text: string;
  checked: boolean;
  subItems: number;
}

type RichTextOwner = { rich_text: Array<{ plain_text: string }> };

function textOf(node: BlockTreeNode): string {
  const payload: unknown = Reflect.get(node, node.type);
  if (typeof payload !== "object" || payload === null || !("rich_text" in payload)) return "";
  return (payload as RichTextOwner).rich_text.map((item) => item.plain_text).join("");
}

/** Top-level to-dos of an agenda, each with the heading it sits under. */
export function agendaTodos(blocks: readonly BlockTreeNode[]): AgendaTodo[] {
  const todos: AgendaTodo[] = [];
  let section = "";
  for (const block of blocks) {
    if (block.type === "heading_1" || block.type === "heading_2" || block.type === "heading_3") {
      section = textOf(block);
    } else if (block.type === "to_do") {
      todos.push({
        section,
        text: textOf(block),
        checked: block.to_do.checked,
        subItems: block.children?.length ?? 0,
      });
    }
  }
  return todos;
}
