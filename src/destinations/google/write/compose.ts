// Owns what an agenda looks like as Google Docs content: the one line under the action-items heading that
// tells people how to close an item, a running doc's dated section heading with the template's headings
// kept below it, and a new document's title paragraph.
import {
  type Agenda,
  agendaBlocks,
  type Block,
  type HeadingLevel,
  type Section,
  textOf,
} from "../../../domain/agenda";
import { type LayoutParagraph, layoutBlocks } from "./requests";

/** The line written under every action-items heading. */
const DONE_HINT = "Mark an item done with its status chip (or strike it through).";

/** The hint as a block: small print, not an item (a plain paragraph is never read as one). */
export function doneHintBlock(): Block {
  return { kind: "paragraph", text: textOf(DONE_HINT, { italic: true, color: "gray" }), children: [] };
}

/** Whether a text already carries the hint (a template that has it, an agenda written before). */
export function mentionsDoneHint(text: string): boolean {
  return text.includes(DONE_HINT.slice(0, 24));
}

/** The agenda with the hint first in its action-items section. */
function withDoneHint(agenda: Agenda): Agenda {
  return {
    ...agenda,
    sections: agenda.sections.map(
      (section): Section =>
        section.role === "actions" ? { ...section, blocks: [doneHintBlock(), ...section.blocks] } : section,
    ),
  };
}

function headingLevel(level: number): HeadingLevel {
  return level <= 1 ? 1 : level >= 3 ? 3 : 2;
}

/** The agenda with its section headings at `min` or deeper, keeping their relative levels. */
function headingsFrom(agenda: Agenda, min: HeadingLevel): Agenda {
  const top = Math.min(...agenda.sections.map((section) => section.level));
  const shift = Number.isFinite(top) ? Math.max(0, min - top) : 0;
  return {
    ...agenda,
    sections: agenda.sections.map((section) => ({
      ...section,
      level: headingLevel(section.level + shift),
    })),
  };
}

/** The heading of a meeting's section in a running doc (and the title of its tab). */
export function sectionTitle(date: string): string {
  return `1:1 · ${date}`;
}

/** A running doc's section for one meeting: its dated heading, then the agenda's headings one level down. */
export function sectionLayout(date: string, agenda: Agenda): LayoutParagraph[] {
  const body = headingsFrom(withDoneHint(agenda), 2);
  return layoutBlocks([
    { kind: "heading", level: 1, text: textOf(sectionTitle(date)) },
    ...agendaBlocks(body),
  ]);
}

/** A new document's content: the agenda's title as the document title, then the agenda. */
export function documentLayout(agenda: Agenda): LayoutParagraph[] {
  const title: LayoutParagraph = {
    namedStyle: "TITLE",
    list: null,
    divider: false,
    pieces: agenda.title === "" ? [] : [{ kind: "text", text: agenda.title }],
  };
  return [title, ...layoutBlocks(agendaBlocks(withDoneHint(agenda)))];
}
