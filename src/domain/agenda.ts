// The neutral agenda model: what a template renders to and what every destination reads and writes.
// Destinations translate to and from this model; nothing here knows about Notion or Google.

/** Text decoration that survives a round trip through every destination. */
export interface TextStyle {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  code?: boolean;
  /** Notion's colour names; destinations without colour ignore it. */
  color?: string;
}

/** A reference to a person, date or page inside text, kept intact so owners and due dates survive a carry. */
export type Mention =
  | { type: "user"; userId: string }
  | { type: "date"; start: string; end?: string }
  | { type: "page"; pageId: string };

/** One run of inline content. `text` is always the plain rendering, used for matching and digests. */
export type Inline =
  | { kind: "text"; text: string; style?: TextStyle; link?: string }
  | { kind: "mention"; text: string; mention: Mention; style?: TextStyle };

export type RichText = Inline[];

export type HeadingLevel = 1 | 2 | 3;

/** A block of an agenda. Blocks that may nest carry `children` (possibly empty). */
export type Block =
  | { kind: "heading"; level: HeadingLevel; text: RichText }
  | { kind: "paragraph"; text: RichText; children: Block[] }
  | { kind: "bullet"; text: RichText; children: Block[] }
  | { kind: "numbered"; text: RichText; children: Block[] }
  /**
   * `id`: the to-do's block in its destination, set only by readers (live sync follows an item by it);
   * writers ignore it, and a block built for writing has none.
   */
  | { kind: "todo"; text: RichText; checked: boolean; children: Block[]; id?: string }
  | { kind: "quote"; text: RichText; children: Block[] }
  | { kind: "callout"; text: RichText; children: Block[] }
  | { kind: "divider" };

/**
 * Sections whose open to-dos can be carried from one meeting to the next. "parked" is the parking lot at
 * the end of the agenda: items carried more often than the pair's `carry.maxTimes` wait there, still open.
 */
export type CarryRole = "actions" | "discussion" | "parked";

/** Every carried role, in the order their sections come in an agenda (the parking lot last). */
export const CARRY_ROLES: readonly CarryRole[] = ["actions", "discussion", "parked"];

/** One headed part of an agenda. `role` says whether (and as what) its open to-dos carry forward. */
export interface Section {
  heading: RichText;
  level: HeadingLevel;
  role: CarryRole | null;
  blocks: Block[];
}

/** A rendered agenda, ready for a destination to write. */
export interface Agenda {
  title: string;
  /** Blocks before the first section heading. */
  intro: Block[];
  sections: Section[];
}

/** Plain text of a rich-text run, for matching, logs and digests. */
export function plainText(text: RichText): string {
  return text.map((inline) => inline.text).join("");
}

/** A rich text made of one unstyled run. */
export function textOf(text: string, style?: TextStyle): RichText {
  return text === "" ? [] : [style ? { kind: "text", text, style } : { kind: "text", text }];
}

/** An agenda as one flat list of blocks, section headings included, in reading order. */
export function agendaBlocks(agenda: Agenda): Block[] {
  const blocks: Block[] = [...agenda.intro];
  for (const section of agenda.sections) {
    blocks.push({ kind: "heading", level: section.level, text: section.heading }, ...section.blocks);
  }
  return blocks;
}
