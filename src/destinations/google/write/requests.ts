// Owns turning model blocks into ONE ordered list of Docs batchUpdate requests that insert them at a
// given index. Every index is computed, not looked up, so the order is what keeps them right:
//   1. insert, front to back: text (newlines make paragraphs) and chips (each chip is one index), each at
//      the index the previous insert ended at, so nothing already placed moves;
//   2. restyle what was inserted (it inherits the style of the paragraph it was inserted into): reset
//      text styles, set named styles (headings), borders (dividers), then each run's own style;
//   3. make the list paragraphs bullets, bottom-up: `createParagraphBullets` takes each paragraph's
//      nesting level from its leading tabs and deletes them, which moves everything after; going from
//      the last list to the first keeps the ranges still to come where they were computed.
// After step 3 the content is shorter by the tabs removed; `length` reports the final length.
import type { Block, Inline, RichText, TextStyle } from "../../../domain/agenda";
import type { TodoBlock } from "../../../domain/carry";
import type { DocsRequest } from "../api/client";
import type { StatusDropdown } from "../read/status";
import { TEXT_COLORS } from "../read/to-model";

/** Docs allows nesting levels 0..8. */
const MAX_LEVEL = 8;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One piece of a paragraph: text, or a chip (one index each). */
type Piece =
  | { kind: "text"; text: string; style?: TextStyle; link?: string }
  | { kind: "status"; done: boolean }
  | { kind: "person"; email: string; name?: string }
  | { kind: "date"; date: string };

/** A paragraph to write. */
export interface LayoutParagraph {
  namedStyle: "NORMAL_TEXT" | "TITLE" | "HEADING_1" | "HEADING_2" | "HEADING_3";
  /** Null for a paragraph outside any list. */
  list: { level: number; ordered: boolean } | null;
  divider: boolean;
  pieces: Piece[];
  /** The model to-do this paragraph writes (its first line), so a caller can name its range once written. */
  todo?: TodoBlock;
}

// Control characters other than tab and newline are refused by Docs; a newline inside a paragraph's
// text would split it, so it becomes a soft line break.
function clean(text: string): string {
  let out = "";
  for (const char of text.replaceAll("\n", "\u000b")) {
    const code = char.charCodeAt(0);
    if (code === 9 || code === 11 || (code >= 32 && code !== 127)) out += char;
  }
  return out;
}

function inlinePieces(text: RichText): Piece[] {
  return text.flatMap((inline: Inline): Piece[] => {
    if (inline.kind === "mention") {
      const { mention } = inline;
      if (mention.type === "user" && EMAIL.test(mention.userId)) {
        const name = inline.text.replace(/^@/, "").trim();
        return [
          {
            kind: "person",
            email: mention.userId,
            ...(name !== "" && name !== mention.userId ? { name } : {}),
          },
        ];
      }
      const start = mention.type === "date" ? mention.start.slice(0, 10) : "";
      if (DATE.test(start)) return [{ kind: "date", date: start }];
      // A mention this destination cannot express as a chip keeps its words.
      return inline.text === ""
        ? []
        : [{ kind: "text", text: clean(inline.text), ...(inline.style ? { style: inline.style } : {}) }];
    }
    if (inline.text === "") return [];
    const piece: Piece = { kind: "text", text: clean(inline.text) };
    if (inline.style !== undefined) piece.style = inline.style;
    if (inline.link !== undefined) piece.link = inline.link;
    return [piece];
  });
}

/** Model blocks as paragraphs to write; list items nested below `depth` by their children. */
export function layoutBlocks(blocks: readonly Block[], depth = 0): LayoutParagraph[] {
  const out: LayoutParagraph[] = [];
  const level = Math.min(depth, MAX_LEVEL);
  for (const block of blocks) {
    switch (block.kind) {
      case "heading":
        out.push({
          namedStyle: `HEADING_${block.level}`,
          list: null,
          divider: false,
          pieces: inlinePieces(block.text),
        });
        break;
      case "divider":
        out.push({ namedStyle: "NORMAL_TEXT", list: null, divider: true, pieces: [] });
        break;
      case "bullet":
      case "numbered":
      case "todo": {
        const pieces = inlinePieces(block.text);
        out.push({
          namedStyle: "NORMAL_TEXT",
          list: { level, ordered: block.kind === "numbered" },
          divider: false,
          pieces:
            block.kind === "todo"
              ? [{ kind: "status", done: block.checked }, { kind: "text", text: " " }, ...pieces]
              : pieces,
          ...(block.kind === "todo" ? { todo: block } : {}),
        });
        out.push(...layoutBlocks(block.children, depth + 1));
        break;
      }
      default: {
        // Paragraphs, quotes and callouts. Inside a list, a paragraph becomes an item of it: a paragraph
        // outside the list would end the list and lose the nesting of what follows.
        const pieces = inlinePieces(block.text);
        out.push({
          namedStyle: "NORMAL_TEXT",
          list: depth > 0 ? { level, ordered: false } : null,
          divider: false,
          pieces,
        });
        out.push(...layoutBlocks(block.children, depth > 0 ? depth + 1 : 0));
      }
    }
  }
  return out;
}

/** Where and how to insert. */
export interface InsertOptions {
  /** The index to insert at: the start of a paragraph (or, with `leadingNewline`, the end of one's text). */
  index: number;
  tabId?: string;
  /** Start with a newline: for inserting at the end of a paragraph's text (the end of a body). */
  leadingNewline?: boolean;
  /**
   * End with a newline (default true), so the paragraph at `index` stays a paragraph of its own. False
   * in an empty body, whose last paragraph then becomes the last one written.
   */
  trailingNewline?: boolean;
  /** The paragraph at `index` is a list item: what is inserted inherits its bullet, which must go. */
  anchorHasBullet?: boolean;
  status: Pick<StatusDropdown, "definitionId" | "openOptionId" | "doneOptionId">;
}

/** The requests, and where the written content lies once they are applied. */
export interface InsertPlan {
  requests: DocsRequest[];
  /** Final length of what was inserted (tabs removed), leading and trailing newlines included. */
  length: number;
  /** Where each paragraph's content lies once the requests are applied: `[start, end)`, its newline excluded. */
  spans: Span[];
}

export interface Span {
  start: number;
  end: number;
}

function rgb(name: string | undefined) {
  const color = name === undefined ? undefined : TEXT_COLORS[name];
  if (color === undefined) return undefined;
  const [red, green, blue] = color;
  return { color: { rgbColor: { red: red / 255, green: green / 255, blue: blue / 255 } } };
}

/** The Docs text style and field mask for a model style and link; null when there is nothing to set. */
function docsTextStyle(style: TextStyle | undefined, link: string | undefined) {
  const textStyle: Record<string, unknown> = {};
  const fields: string[] = [];
  const set = (field: string, value: unknown) => {
    textStyle[field] = value;
    fields.push(field);
  };
  if (style?.bold) set("bold", true);
  if (style?.italic) set("italic", true);
  if (style?.strikethrough) set("strikethrough", true);
  if (style?.underline) set("underline", true);
  if (style?.code) set("weightedFontFamily", { fontFamily: "Roboto Mono" });
  const color = rgb(style?.color);
  if (color !== undefined && link === undefined) set("foregroundColor", color);
  if (link !== undefined) set("link", { url: link });
  return fields.length === 0 ? null : { textStyle, fields: fields.join(",") };
}

const RESET_TEXT_FIELDS =
  "bold,italic,underline,strikethrough,link,foregroundColor,backgroundColor,weightedFontFamily";

type RangeOf = (start: number, end: number) => { startIndex: number; endIndex: number; tabId?: string };

/** A paragraph as step 1 placed it: where its content lies before bullets, and its leading tabs. */
type Placed = Span & { paragraph: LayoutParagraph; tabs: number };

/** Step 1 of the file header: the inserts, the style of each run, and where each paragraph was placed. */
export function placeParagraphs(
  paragraphs: readonly LayoutParagraph[],
  options: InsertOptions,
): { inserts: DocsRequest[]; styles: DocsRequest[]; placed: Placed[]; end: number } {
  const { tabId, status } = options;
  const where = (index: number) => (tabId === undefined ? { index } : { index, tabId });
  const inserts: DocsRequest[] = [];
  const styles: DocsRequest[] = [];
  const placed: Placed[] = [];
  let position = options.index;
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    inserts.push({ insertText: { text: pending, location: where(position - pending.length) } });
    pending = "";
  };
  const write = (text: string) => {
    pending += text;
    position += text.length;
  };
  const chip = (request: DocsRequest) => {
    flush();
    inserts.push(request);
    position += 1;
  };

  if (options.leadingNewline) write("\n");
  paragraphs.forEach((paragraph, order) => {
    const start = position;
    const tabs = paragraph.list === null ? 0 : paragraph.list.level;
    write("\t".repeat(tabs));
    paragraph.pieces.forEach((piece, pieceIndex) => {
      if (piece.kind !== "text") {
        chip(chipRequest(piece, status, where(position)));
        return;
      }
      // Leading tabs of a list item's own text would be taken for nesting.
      const text =
        paragraph.list !== null && pieceIndex === 0
          ? piece.text.replace(/^\t+/, (t) => "    ".repeat(t.length))
          : piece.text;
      const from = position;
      write(text);
      const style = docsTextStyle(piece.style, piece.link);
      if (style !== null && text !== "") {
        styles.push({ updateTextStyle: { range: rangeIn(tabId)(from, position), ...style } });
      }
    });
    placed.push({ start, end: position, paragraph, tabs });
    if (order < paragraphs.length - 1 || options.trailingNewline !== false) write("\n");
  });
  flush();
  return { inserts, styles, placed, end: position };
}

function rangeIn(tabId: string | undefined): RangeOf {
  return (start, end) =>
    tabId === undefined ? { startIndex: start, endIndex: end } : { startIndex: start, endIndex: end, tabId };
}

/** The insert request of one chip at `location`. */
function chipRequest(
  piece: Exclude<Piece, { kind: "text" }>,
  status: InsertOptions["status"],
  location: { index: number; tabId?: string },
): DocsRequest {
  switch (piece.kind) {
    case "status":
      return {
        insertDropdown: {
          dropdownDefinitionId: status.definitionId,
          selectedOptionId: piece.done ? status.doneOptionId : status.openOptionId,
          location,
        },
      };
    case "person":
      return {
        insertPerson: {
          personProperties: { email: piece.email, ...(piece.name === undefined ? {} : { name: piece.name }) },
          location,
        },
      };
    case "date":
      return {
        insertDate: {
          dateElementProperties: { timestamp: `${piece.date}T00:00:00Z`, dateFormat: "DATE_FORMAT_ISO8601" },
          location,
        },
      };
  }
}

const DIVIDER_BORDER = {
  color: { color: { rgbColor: { red: 0.8, green: 0.8, blue: 0.8 } } },
  width: { magnitude: 1, unit: "PT" },
  padding: { magnitude: 1, unit: "PT" },
  dashStyle: "SOLID",
};

/** Step 2's paragraph styles: headings get their named style, dividers their bottom border. */
export function paragraphStyleRequests(placed: readonly Placed[], range: RangeOf): DocsRequest[] {
  return placed.flatMap(({ start, end, paragraph }): DocsRequest[] => [
    ...(paragraph.namedStyle === "NORMAL_TEXT"
      ? []
      : [
          {
            updateParagraphStyle: {
              range: range(start, end + 1),
              paragraphStyle: { namedStyleType: paragraph.namedStyle },
              fields: "namedStyleType",
            },
          },
        ]),
    ...(paragraph.divider
      ? [
          {
            updateParagraphStyle: {
              range: range(start, end + 1),
              paragraphStyle: { borderBottom: DIVIDER_BORDER },
              fields: "borderBottom",
            },
          },
        ]
      : []),
  ]);
}

/** Where each paragraph lies once bullets took their leading tabs away, and how many tabs went. */
export function spansAfterBullets(placed: readonly Placed[]): { spans: Span[]; removed: number } {
  let removed = 0;
  const spans = placed.map(({ start, end, tabs }) => {
    const span = { start: start - removed, end: end - removed - tabs };
    removed += tabs;
    return span;
  });
  return { spans, removed };
}

/** The requests that insert `paragraphs` at `options.index`; see the file header for their order. */
export function insertRequests(paragraphs: readonly LayoutParagraph[], options: InsertOptions): InsertPlan {
  const range = rangeIn(options.tabId);
  const { inserts, styles, placed, end: position } = placeParagraphs(paragraphs, options);
  const requests: DocsRequest[] = [...inserts];
  const first = placed[0];
  const last = placed[placed.length - 1];
  if (first === undefined || last === undefined)
    return { requests, length: position - options.index, spans: [] };

  // Each paragraph's range includes its newline (for the last one, possibly the newline that was there).
  const all = range(first.start, last.end + 1);
  if (options.anchorHasBullet) requests.push({ deleteParagraphBullets: { range: all } });
  if (last.end > first.start) {
    requests.push({
      updateTextStyle: { range: range(first.start, last.end), textStyle: {}, fields: RESET_TEXT_FIELDS },
    });
  }
  requests.push({
    updateParagraphStyle: {
      range: all,
      paragraphStyle: { namedStyleType: "NORMAL_TEXT" },
      fields: options.anchorHasBullet ? "namedStyleType,indentStart,indentFirstLine" : "namedStyleType",
    },
  });
  requests.push(...paragraphStyleRequests(placed, range));
  requests.push(...styles);
  requests.push(...bulletRequests(placed, range));
  const { spans, removed } = spansAfterBullets(placed);
  return { requests, length: position - options.index - removed, spans };
}

/** `createParagraphBullets` per run of list paragraphs, last run first (see the file header). */
function bulletRequests(
  placed: readonly (Span & { paragraph: LayoutParagraph })[],
  range: RangeOf,
): DocsRequest[] {
  const runs: { start: number; end: number; ordered: boolean }[] = [];
  let current: { start: number; end: number; ordered: boolean } | null = null;
  for (const { start, end, paragraph } of placed) {
    const list = paragraph.list;
    if (list === null) {
      current = null;
      continue;
    }
    // A top-level item of the other kind starts a list of its own; nested items follow their parent's.
    if (current === null || (list.level === 0 && list.ordered !== current.ordered)) {
      current = { start, end: end + 1, ordered: list.ordered };
      runs.push(current);
    } else {
      current.end = end + 1;
    }
  }
  return runs.reverse().map((run) => ({
    createParagraphBullets: {
      range: range(run.start, run.end),
      bulletPreset: run.ordered ? "NUMBERED_DECIMAL_ALPHA_ROMAN" : "BULLET_DISC_CIRCLE_SQUARE",
    },
  }));
}
