// The document model: each tab's body as a flat run of index-sized units, so every insert and delete shifts indices exactly as Docs does.

import type { JsonObject } from "../../common/json";
import { headingId } from "../ids";

export type TextStyle = JsonObject;
type ParagraphStyle = JsonObject;

interface Bullet {
  listId: string;
  nestingLevel: number;
  textStyle: TextStyle;
}

/** What a paragraph is, carried by the newline that ends it (Docs, too, keeps paragraph state at its "\n"). */
export interface ParagraphProps {
  style: ParagraphStyle;
  bullet?: Bullet;
}

export interface DateProps {
  timestamp: string;
  dateFormat?: string;
  timeFormat?: string;
  locale?: string;
  timeZoneId?: string;
}

/** One UTF-16 code unit of text, or one chip (a chip takes one index), or the section break at index 0. */
export type Unit =
  | { kind: "sectionBreak" }
  | { kind: "char"; ch: string; style: TextStyle }
  | { kind: "newline"; style: TextStyle; para: ParagraphProps }
  | { kind: "person"; id: string; email: string; name?: string; style: TextStyle }
  | { kind: "date"; id: string; date: DateProps; style: TextStyle }
  | { kind: "dropdown"; id: string; definitionId: string; selectedOptionId?: string; style: TextStyle };

interface NamedRangeRecord {
  id: string;
  name: string;
  ranges: Array<{ start: number; end: number }>;
}

interface ListRecord {
  preset: string;
  nestingLevels: JsonObject[];
}

export interface DropdownOptionRecord {
  optionId: string;
  displayValue: string;
  textStyle?: JsonObject;
}

interface DropdownDefinitionRecord {
  id: string;
  title?: string;
  options: DropdownOptionRecord[];
}

export interface TabModel {
  tabId: string;
  title: string;
  iconEmoji?: string;
  units: Unit[];
  namedRanges: NamedRangeRecord[];
  lists: Record<string, ListRecord>;
  dropdowns: Record<string, DropdownDefinitionRecord>;
  childTabs: TabModel[];
}

/** Plain data all the way down, so structuredClone gives atomic batches and Drive copies. */
export interface DocumentModel {
  documentId: string;
  revisionId: string;
  tabs: TabModel[];
}

export const HEADING_TYPES = new Set([
  "TITLE",
  "SUBTITLE",
  "HEADING_1",
  "HEADING_2",
  "HEADING_3",
  "HEADING_4",
  "HEADING_5",
  "HEADING_6",
]);

export function defaultParagraph(): ParagraphProps {
  return { style: { namedStyleType: "NORMAL_TEXT", direction: "LEFT_TO_RIGHT" } };
}

export function emptyTab(tabId: string, title: string): TabModel {
  return {
    tabId,
    title,
    units: [{ kind: "sectionBreak" }, { kind: "newline", style: {}, para: defaultParagraph() }],
    namedRanges: [],
    lists: {},
    dropdowns: {},
    childTabs: [],
  };
}

/** Every tab, depth first, in document order. */
export function allTabs(doc: DocumentModel): TabModel[] {
  const out: TabModel[] = [];
  const walk = (tabs: TabModel[]) => {
    for (const tab of tabs) {
      out.push(tab);
      walk(tab.childTabs);
    }
  };
  walk(doc.tabs);
  return out;
}

export function findTab(doc: DocumentModel, tabId: string): TabModel | undefined {
  return allTabs(doc).find((t) => t.tabId === tabId);
}

export function firstTab(doc: DocumentModel): TabModel {
  const tab = doc.tabs[0];
  if (tab === undefined) throw new Error(`document ${doc.documentId} has no tab`);
  return tab;
}

/** The siblings list a tab sits in, and its parent (undefined at the root). */
export function tabSlot(
  doc: DocumentModel,
  tabId: string,
): { siblings: TabModel[]; parent: TabModel | undefined } | undefined {
  type Slot = { siblings: TabModel[]; parent: TabModel | undefined };
  const walk = (tabs: TabModel[], parent: TabModel | undefined): Slot | undefined => {
    for (const tab of tabs) {
      if (tab.tabId === tabId) return { siblings: tabs, parent };
      const found = walk(tab.childTabs, tab);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(doc.tabs, undefined);
}

function isChip(unit: Unit): unit is Extract<Unit, { kind: "person" | "date" | "dropdown" }> {
  return unit.kind === "person" || unit.kind === "date" || unit.kind === "dropdown";
}

// ---- paragraphs ----------------------------------------------------------------------------------

export interface Span {
  start: number;
  /** Exclusive; the paragraph's newline is at end - 1. */
  end: number;
}

function paragraphStart(tab: TabModel, index: number): number {
  let i = Math.min(index, tab.units.length) - 1;
  while (i >= 0) {
    const kind = tab.units[i]?.kind;
    if (kind === "newline" || kind === "sectionBreak") return i + 1;
    i--;
  }
  return 1;
}

function paragraphEnd(tab: TabModel, index: number): number {
  for (let i = Math.max(index, 1); i < tab.units.length; i++) {
    if (tab.units[i]?.kind === "newline") return i + 1;
  }
  return tab.units.length;
}

export function paragraphAt(tab: TabModel, index: number): Span {
  return { start: paragraphStart(tab, index), end: paragraphEnd(tab, index) };
}

export function paragraphs(tab: TabModel): Span[] {
  const out: Span[] = [];
  let start = 1;
  tab.units.forEach((unit, i) => {
    if (unit.kind === "newline") {
      out.push({ start, end: i + 1 });
      start = i + 1;
    }
  });
  return out;
}

/** Paragraphs that share at least one index with [start, end); an empty range picks the paragraph at start. */
export function paragraphsOverlapping(tab: TabModel, start: number, end: number): Span[] {
  return paragraphs(tab).filter((p) =>
    end > start ? p.start < end && start < p.end : p.start <= start && start < p.end,
  );
}

export function propsAt(tab: TabModel, span: Span): ParagraphProps {
  const unit = tab.units[span.end - 1];
  if (unit?.kind !== "newline") throw new Error(`no newline at ${span.end - 1}`);
  return unit.para;
}

export function setProps(tab: TabModel, span: Span, para: ParagraphProps): void {
  const unit = tab.units[span.end - 1];
  if (unit?.kind !== "newline") throw new Error(`no newline at ${span.end - 1}`);
  tab.units[span.end - 1] = { ...unit, para };
}

/** A copy for a new paragraph: headings get their own headingId, as Docs gives each heading one. */
function copyProps(para: ParagraphProps): ParagraphProps {
  const copy = structuredClone(para);
  if (typeof copy.style.headingId === "string") copy.style.headingId = headingId();
  return copy;
}

/** The text of a span: chips as U+FFFC so no text search can match across them. */
export function plainText(tab: TabModel, start = 0, end = tab.units.length): string {
  let out = "";
  for (let i = start; i < end; i++) {
    const unit = tab.units[i];
    if (unit?.kind === "char") out += unit.ch;
    else if (unit?.kind === "newline") out += "\n";
    else out += "\uFFFC";
  }
  return out;
}

// ---- edits ----------------------------------------------------------------------------------------

/** Units for `text`, each new paragraph copying `para` (the paragraph the text lands in). */
export function textUnits(text: string, style: TextStyle, para: ParagraphProps): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    units.push(ch === "\n" ? { kind: "newline", style, para: copyProps(para) } : { kind: "char", ch, style });
  }
  return units;
}

/** The style new text takes at `index`: that of the text just before it, or at a paragraph start the text after. */
export function inheritedStyle(tab: TabModel, index: number): TextStyle {
  const before = tab.units[index - 1];
  if (before !== undefined && (before.kind === "char" || isChip(before))) return before.style;
  const after = tab.units[index];
  if (after !== undefined && after.kind !== "sectionBreak") return after.style;
  return {};
}

export function insertUnits(tab: TabModel, at: number, units: Unit[]): void {
  if (units.length === 0) return;
  tab.units.splice(at, 0, ...units);
  const n = units.length;
  for (const named of tab.namedRanges) {
    for (const range of named.ranges) {
      // Text typed inside a named range grows it; text typed at its start or end stays outside.
      if (at <= range.start) {
        range.start += n;
        range.end += n;
      } else if (at < range.end) {
        range.end += n;
      }
    }
  }
}

/**
 * Deletes [start, end). When the range joins two paragraphs, the joined one keeps the first one's
 * paragraph style and bullet, as the Docs editor does when a line is joined to the one above.
 */
export function deleteUnits(tab: TabModel, start: number, end: number): void {
  if (end <= start) return;
  const firstStart = paragraphStart(tab, start);
  const removed = tab.units.splice(start, end - start);
  const joined = removed.find((u) => u.kind === "newline");
  if (joined?.kind === "newline" && start > firstStart) {
    const span = paragraphAt(tab, start);
    setProps(tab, span, joined.para);
  }
  const n = end - start;
  const shift = (p: number) => (p <= start ? p : p >= end ? p - n : start);
  for (const named of tab.namedRanges) {
    named.ranges = named.ranges
      .map((r) => ({ start: shift(r.start), end: shift(r.end) }))
      .filter((r) => r.end > r.start);
  }
  tab.namedRanges = tab.namedRanges.filter((named) => named.ranges.length > 0);
}
