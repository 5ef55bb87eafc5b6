// Owns reading a Google Docs agenda the way a person reads it: every top-level list item with the heading
// it sits under, done when its status chip says Done or its words are struck through. Like the Notion
// reader beside it, this lets the demo say which items should have been carried without asking the Worker.
import type { AgendaTodo } from "../demo/agenda-read";
import type { Paragraph } from "./document";
import { isHeading } from "./document";

/** Top-level list items of `paragraphs`, each with the heading above it and its nested items counted. */
export function googleAgendaTodos(paragraphs: readonly Paragraph[]): AgendaTodo[] {
  const todos: AgendaTodo[] = [];
  let section = "";
  for (const paragraph of paragraphs) {
    if (isHeading(paragraph)) {
      section = paragraph.text;
    } else if (paragraph.listLevel === 0) {
      todos.push({
        section,
        text: paragraph.text.trim(),
        checked: paragraph.status?.toLowerCase() === "done" || paragraph.struck,
        subItems: 0,
      });
    } else if (paragraph.listLevel !== null) {
      const parent = todos.at(-1);
      if (parent !== undefined) parent.subItems += 1;
    }
  }
  return todos;
}
