// Owns finding one's way around a fetched Docs document: its tabs (child tabs included, in reading
// order), the paragraphs of a tab (a table's cells read as the paragraphs they hold), and this
// destination's named ranges, which mark each meeting's section of a running doc by its meeting key so
// the section is found again however people rename headings or write around it.
import type {
  DocDocument,
  DocDropdownDefinitions,
  DocLists,
  DocParagraph,
  DocStructuralElement,
  DocTabNode,
} from "../api/schemas";

/** One tab's content and the per-tab tables that go with it. */
export interface TabView {
  /** Undefined only for a document read without tabs (the legacy single-tab shape). */
  tabId: string | undefined;
  title: string;
  content: DocStructuralElement[];
  namedRanges: NonNullable<DocDocument["namedRanges"]>;
  dropdownDefinitions: DocDropdownDefinitions;
  lists: DocLists;
}

/** A paragraph and where it sits: `[start, end)` in UTF-16 code units, its newline included. */
export interface PlacedParagraph {
  start: number;
  end: number;
  paragraph: DocParagraph;
}

/** Every tab of the document in reading order (a tab, then its children). */
export function documentTabs(doc: DocDocument): TabView[] {
  const views: TabView[] = [];
  const visit = (tab: DocTabNode) => {
    const content = tab.documentTab;
    views.push({
      tabId: tab.tabProperties.tabId,
      title: tab.tabProperties.title ?? "",
      content: content?.body.content ?? [],
      namedRanges: content?.namedRanges ?? {},
      dropdownDefinitions: content?.dropdownDefinitions ?? {},
      lists: content?.lists ?? {},
    });
    for (const child of tab.childTabs) visit(child);
  };
  for (const tab of doc.tabs) visit(tab);
  if (views.length === 0) {
    views.push({
      tabId: undefined,
      title: doc.title ?? "",
      content: doc.body?.content ?? [],
      namedRanges: doc.namedRanges ?? {},
      dropdownDefinitions: {},
      lists: doc.lists ?? {},
    });
  }
  return views;
}

/** The paragraphs of a body in order, table cells' paragraphs included where the table stands. */
export function paragraphsOf(content: readonly DocStructuralElement[]): PlacedParagraph[] {
  const out: PlacedParagraph[] = [];
  for (const element of content) {
    if (element.paragraph !== undefined) {
      out.push({ start: element.startIndex, end: element.endIndex, paragraph: element.paragraph });
    } else if (element.table !== undefined) {
      for (const row of element.table.tableRows) {
        for (const cell of row.tableCells) out.push(...paragraphsOf(cell.content));
      }
    }
  }
  return out;
}

/** Whether a body holds no text and no chip: a new document or tab, or a bare copy of an empty one. */
export function hasNoContent(content: readonly DocStructuralElement[]): boolean {
  return paragraphsOf(content).every((placed) =>
    (placed.paragraph.elements ?? []).every(
      // A chip (person, date, dropdown) has no text run, and is content all the same.
      (element) => element.textRun !== undefined && element.textRun.content.replace(/\n$/, "") === "",
    ),
  );
}

/** The index where new content can go at the top of a tab: the start of its first paragraph. */
export function topIndex(content: readonly DocStructuralElement[]): number {
  for (const element of content) {
    if (element.paragraph !== undefined) return element.startIndex;
  }
  return 1;
}

const RANGE_PREFIX = "one-on-one:";

/** The named range that marks a meeting's section in a running doc. */
export function sectionRangeName(pairId: string, date: string): string {
  return `${RANGE_PREFIX}${pairId}/${date}`;
}

/** A meeting's section of a running doc, found by its named range. */
export interface SectionRange {
  /** The pair whose meeting it is: several pairs may keep their meetings in one document. */
  pairId: string;
  date: string;
  name: string;
  namedRangeId: string;
  tabId: string | undefined;
  /** From the range's first start to its last end: people's edits can split a named range in pieces. */
  start: number;
  end: number;
}

// The pair id is everything up to the last slash; pair ids hold no slash, so one pair's names never
// parse as another's.
const RANGE_NAME = /^one-on-one:([^/]+)\/(\d{4}-\d{2}-\d{2})$/;

/**
 * Every pair's meeting sections in every tab, oldest first. Ranges whose content was deleted are left out.
 */
export function meetingSections(tabs: readonly TabView[]): SectionRange[] {
  const sections: SectionRange[] = [];
  for (const tab of tabs) {
    for (const [name, group] of Object.entries(tab.namedRanges)) {
      const match = RANGE_NAME.exec(name);
      const pairId = match?.[1];
      const date = match?.[2];
      if (pairId === undefined || date === undefined) continue;
      for (const range of group.namedRanges) {
        const pieces = range.ranges.filter((piece) => piece.endIndex > piece.startIndex);
        if (pieces.length === 0) continue;
        sections.push({
          pairId,
          date,
          name,
          namedRangeId: range.namedRangeId,
          tabId: pieces[0]?.tabId ?? tab.tabId,
          start: Math.min(...pieces.map((piece) => piece.startIndex)),
          end: Math.max(...pieces.map((piece) => piece.endIndex)),
        });
      }
    }
  }
  return sections.sort((a, b) => (a.date === b.date ? a.start - b.start : a.date < b.date ? -1 : 1));
}

/** This pair's meeting sections in every tab, oldest first: only ranges named with its own id. */
export function pairSections(tabs: readonly TabView[], pairId: string): SectionRange[] {
  return meetingSections(tabs).filter((section) => section.pairId === pairId);
}

/**
 * The paragraphs of a section: those inside its range and not inside another section (`others`: every
 * pair's, from `meetingSections`). Text inserted at the very start of a named range may be taken into it
 * by Google, so a newer section written right above an older one, this pair's or another pair's sharing
 * the document, could otherwise be read as part of it.
 */
export function sectionParagraphs(
  tab: TabView,
  section: SectionRange,
  others: readonly SectionRange[],
): PlacedParagraph[] {
  const foreign = others.filter(
    (other) => other.namedRangeId !== section.namedRangeId && other.tabId === section.tabId,
  );
  return paragraphsOf(tab.content).filter(
    (placed) =>
      placed.start >= section.start &&
      placed.start < section.end &&
      !foreign.some(
        (other) =>
          placed.start >= other.start &&
          placed.start < other.end &&
          // Only a section nested in this one is foreign to it; one that contains this one is not.
          other.end - other.start < section.end - section.start,
      ),
  );
}

/** The heading id of the first heading paragraph in a section, for a `#heading=` link. */
export function firstHeadingId(paragraphs: readonly PlacedParagraph[]): string | undefined {
  for (const placed of paragraphs) {
    const id = placed.paragraph.paragraphStyle?.headingId;
    if (id !== undefined && id !== "") return id;
  }
  return undefined;
}

/** The address of a document, a tab of it, or a heading in it. */
export function documentUrl(documentId: string, at: { tabId?: string; headingId?: string } = {}): string {
  const base = `https://docs.google.com/document/d/${encodeURIComponent(documentId)}/edit`;
  const tab = at.tabId === undefined ? "" : `?tab=${encodeURIComponent(at.tabId)}`;
  const heading = at.headingId === undefined ? "" : `#heading=${encodeURIComponent(at.headingId)}`;
  return `${base}${tab}${heading}`;
}
