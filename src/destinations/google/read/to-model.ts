// Owns reading Docs paragraphs as the neutral model: text runs with their styles and links, person chips
// as user mentions (the user id is the email in this destination), date chips as date mentions, headings
// from the named style, list items nested by their bullets' nesting levels, and a paragraph with a status
// dropdown anywhere in it as a to-do. What the model has no kind for keeps its words as text.
import type { Block, HeadingLevel, Inline, RichText, TextStyle } from "../../../domain/agenda";
import type { DocLists, DocParagraph, DocParagraphElement, DocTextStyle } from "../api/schemas";
import type { PlacedParagraph } from "./document";
import { isDoneValue, isStatusValue } from "./status";

/** What reading needs besides the paragraphs: the tab's lists and the option ids that mean done. */
export interface ReadContext {
  lists: DocLists;
  doneOptionIds: ReadonlySet<string>;
  /** Definitions whose options include a done one: their chips are status chips wherever they sit. */
  statusDefinitionIds?: ReadonlySet<string>;
}

const ORDERED_GLYPHS = new Set(["DECIMAL", "ZERO_DECIMAL", "UPPER_ALPHA", "ALPHA", "UPPER_ROMAN", "ROMAN"]);
const MONOSPACE = /mono|courier|consolas|menlo|source code/i;

/** Notion's text colours (what templates and carry marks use) as Docs RGB, and back. */
export const TEXT_COLORS: Readonly<Record<string, readonly [number, number, number]>> = {
  gray: [120, 119, 116],
  brown: [159, 107, 83],
  orange: [217, 115, 13],
  yellow: [203, 145, 47],
  green: [68, 131, 97],
  blue: [51, 126, 169],
  purple: [144, 101, 176],
  pink: [193, 76, 138],
  red: [212, 76, 71],
};

function colorName(style: DocTextStyle | undefined): string | undefined {
  const rgb = style?.foregroundColor?.color?.rgbColor;
  if (rgb === undefined) return undefined;
  const channel = (value: number | undefined) => Math.round((value ?? 0) * 255);
  const [red, green, blue] = [channel(rgb.red), channel(rgb.green), channel(rgb.blue)];
  for (const [name, [r, g, b]] of Object.entries(TEXT_COLORS)) {
    if (r === red && g === green && b === blue) return name;
  }
  return undefined;
}

/** The model's style of a Docs text style; undefined when plain. A link's automatic underline is not kept. */
export function styleFromDocs(style: DocTextStyle | undefined, linked: boolean): TextStyle | undefined {
  if (style === undefined) return undefined;
  const out: TextStyle = {};
  if (style.bold === true) out.bold = true;
  if (style.italic === true) out.italic = true;
  if (style.strikethrough === true) out.strikethrough = true;
  if (style.underline === true && !linked) out.underline = true;
  if (MONOSPACE.test(style.weightedFontFamily?.fontFamily ?? "")) out.code = true;
  const color = linked ? undefined : colorName(style);
  if (color !== undefined) out.color = color;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The local date a date chip shows, `YYYY-MM-DD`, or null when it cannot be told. */
export function dateOfChip(properties: {
  timestamp?: string;
  timeZoneId?: string;
  displayText?: string;
}): string | null {
  const { timestamp, timeZoneId, displayText } = properties;
  if (timestamp !== undefined) {
    const instant = Date.parse(timestamp);
    if (!Number.isNaN(instant)) {
      if (timeZoneId !== undefined && !/^etc\/utc$|^utc$/i.test(timeZoneId)) {
        try {
          // en-CA formats as YYYY-MM-DD.
          return new Intl.DateTimeFormat("en-CA", {
            timeZone: timeZoneId,
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
          }).format(instant);
        } catch {
          // An unknown zone: fall back to the UTC date below.
        }
      }
      return new Date(instant).toISOString().slice(0, 10);
    }
  }
  const shown = /^\d{4}-\d{2}-\d{2}/.exec(displayText ?? "");
  return shown === null ? null : shown[0];
}

function sameStyle(a: TextStyle | undefined, b: TextStyle | undefined): boolean {
  const keys: (keyof TextStyle)[] = ["bold", "italic", "strikethrough", "underline", "code", "color"];
  return keys.every((key) => a?.[key] === b?.[key]);
}

/** Adjacent text runs with the same style and link as one: Google splits runs where we would not. */
function mergeRuns(text: RichText): RichText {
  const out: Inline[] = [];
  for (const inline of text) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.kind === "text" &&
      inline.kind === "text" &&
      last.link === inline.link &&
      sameStyle(last.style, inline.style)
    ) {
      out[out.length - 1] = { ...last, text: last.text + inline.text };
    } else {
      out.push(inline);
    }
  }
  return out;
}

// The carry marks (see domain/carry.ts) are read back only as whole runs; a run that ends with one
// because its style matched the text before it is split so the mark is found.
const TRAILING_MARKS = /(\s*↻ open since \d{4}-\d{2}-\d{2} · carried \d+×)?(\s*⚠ overdue)?\s*$/u;

function splitCarryMarks(text: RichText): RichText {
  const last = text[text.length - 1];
  if (last === undefined || last.kind !== "text") return text;
  const match = TRAILING_MARKS.exec(last.text);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return text;
  const head = last.text.slice(0, match.index);
  const parts = [head, match[1] ?? "", match[2] ?? ""].filter((part) => part !== "");
  if (parts.length <= 1) return text;
  return [...text.slice(0, -1), ...parts.map((part) => ({ ...last, text: part }))];
}

function textInline(text: string, style: TextStyle | undefined, link: string | undefined): Inline {
  const inline: Inline = { kind: "text", text };
  if (style !== undefined) inline.style = style;
  if (link !== undefined) inline.link = link;
  return inline;
}

/** The status the paragraph's status chip gives, or null when it has none. */
type Status = "open" | "done" | null;

/**
 * Whether a dropdown further along the line is a status chip, not some other dropdown people use
 * (a priority, say): it shows a status word, or it comes from a definition that has a done option.
 */
function isStatusDropdown(
  properties: {
    displayValue?: string | undefined;
    dropdownDefinitionId?: string | undefined;
    selectedOptionId?: string | undefined;
  },
  context: ReadContext,
): boolean {
  if (isStatusValue(properties.displayValue)) return true;
  if (properties.selectedOptionId !== undefined && context.doneOptionIds.has(properties.selectedOptionId)) {
    return true;
  }
  const definition = properties.dropdownDefinitionId;
  return definition !== undefined && (context.statusDefinitionIds?.has(definition) ?? false);
}

interface ReadParagraph {
  status: Status;
  text: RichText;
  rule: boolean;
}

function readElements(elements: readonly DocParagraphElement[], context: ReadContext): ReadParagraph {
  const text: Inline[] = [];
  let status: Status = null;
  let rule = false;
  let afterStatusChip = false;
  elements.forEach((element, position) => {
    if (element.textRun !== undefined) {
      let content = element.textRun.content;
      if (position === elements.length - 1) content = content.replace(/\n$/, "");
      // A soft line break (shift+enter) stays inside the paragraph.
      content = content.replaceAll("\u000b", "\n");
      // A status chip taken out of the line leaves one space between the words around it, not two.
      const before = text[text.length - 1];
      if (afterStatusChip && before !== undefined && /\s$/u.test(before.text))
        content = content.replace(/^\s+/u, "");
      afterStatusChip = false;
      if (content === "") return;
      const link = element.textRun.textStyle?.link?.url;
      text.push(textInline(content, styleFromDocs(element.textRun.textStyle, link !== undefined), link));
    } else if (element.person !== undefined) {
      const { email, name } = element.person.personProperties;
      text.push({ kind: "mention", text: name ?? email, mention: { type: "user", userId: email } });
    } else if (element.dateElement !== undefined) {
      const properties = element.dateElement.dateElementProperties ?? {};
      const date = dateOfChip(properties);
      const shown = properties.displayText ?? date ?? "";
      if (date === null) {
        if (shown !== "") text.push({ kind: "text", text: shown });
      } else {
        text.push({ kind: "mention", text: shown, mention: { type: "date", start: date } });
      }
    } else if (element.dropdown !== undefined) {
      const properties = element.dropdown.dropdownProperties ?? {};
      const done =
        isDoneValue(properties.displayValue) ||
        (properties.selectedOptionId !== undefined && context.doneOptionIds.has(properties.selectedOptionId));
      const leading = text.every((inline) => inline.kind === "text" && inline.text.trim() === "");
      // People insert chips where they like: a status chip anywhere in the line decides, and Done wins
      // over an Open beside it (the Open one is most likely the chip this Worker wrote first). Any
      // dropdown at the start is the status; one further on is when it is a status dropdown.
      if (leading || isStatusDropdown(properties, context)) {
        if (status !== "done") status = done ? "done" : "open";
        if (leading) text.length = 0;
        else afterStatusChip = true;
      } else if (properties.displayValue !== undefined) {
        text.push({ kind: "text", text: properties.displayValue });
      }
    } else if (element.richLink !== undefined) {
      const properties = element.richLink.richLinkProperties ?? {};
      const title = properties.title ?? properties.uri ?? "";
      if (title !== "") text.push(textInline(title, undefined, properties.uri));
    } else if (element.horizontalRule !== undefined) {
      rule = true;
    }
  });
  return { status, text: splitCarryMarks(mergeRuns(status === null ? text : trimStart(text))), rule };
}

function trimStart(text: RichText): RichText {
  const first = text[0];
  if (first === undefined || first.kind !== "text") return text;
  const trimmed = first.text.replace(/^\s+/, "");
  return trimmed === "" ? trimStart(text.slice(1)) : [{ ...first, text: trimmed }, ...text.slice(1)];
}

function headingLevel(namedStyleType: string | undefined): HeadingLevel | null {
  switch (namedStyleType) {
    case "TITLE":
    case "HEADING_1":
      return 1;
    case "SUBTITLE":
    case "HEADING_2":
      return 2;
    case "HEADING_3":
    case "HEADING_4":
    case "HEADING_5":
    case "HEADING_6":
      return 3;
    default:
      return null;
  }
}

const DONE_MARKER = /^\s*(?:[✓✔☑✅]|\[[xX]\]|DONE\b)/u;

/**
 * Whether an item's own words say it is done: it starts with a done marker (✓ ✔ ☑ ✅ [x] DONE), or every
 * word of it is struck through (a checked Docs checklist item is struck through too). Chips and carry
 * marks do not count either way.
 */
export function isDoneByText(text: RichText): boolean {
  const words = text.filter((inline) => inline.kind === "text" && inline.text.trim() !== "");
  const first = words[0];
  if (first !== undefined && DONE_MARKER.test(first.text)) return true;
  const own = words.filter((inline) => !/^\s*(?:↻ open since|⚠ overdue)/u.test(inline.text));
  return own.length > 0 && own.every((inline) => inline.style?.strikethrough === true);
}

/** A list item's kind: ordered glyphs make a numbered item, anything else a bullet. */
function listKind(paragraph: DocParagraph, lists: DocLists): "bullet" | "numbered" {
  const bullet = paragraph.bullet;
  if (bullet?.listId === undefined) return "bullet";
  const level = lists[bullet.listId]?.listProperties?.nestingLevels[bullet.nestingLevel];
  return ORDERED_GLYPHS.has(level?.glyphType ?? "") ? "numbered" : "bullet";
}

/** One paragraph as a model block (children empty), or null for an empty paragraph. */
export function blockFromParagraph(paragraph: DocParagraph, context: ReadContext): Block | null {
  const read = readElements(paragraph.elements, context);
  const level = headingLevel(paragraph.paragraphStyle?.namedStyleType);
  const empty = read.text.every((inline) => inline.kind === "text" && inline.text.trim() === "");
  if (level !== null) return empty ? null : { kind: "heading", level, text: read.text };
  if (read.status !== null) {
    return {
      kind: "todo",
      text: read.text,
      checked: read.status === "done" || isDoneByText(read.text),
      children: [],
    };
  }
  if (empty) {
    const border = paragraph.paragraphStyle?.borderBottom?.width?.magnitude ?? 0;
    return read.rule || border > 0 ? { kind: "divider" } : null;
  }
  if (paragraph.bullet !== undefined) {
    return { kind: listKind(paragraph, context.lists), text: read.text, children: [] };
  }
  return { kind: "paragraph", text: read.text, children: [] };
}

type Nestable = Exclude<Block, { kind: "heading" } | { kind: "divider" }>;

/**
 * Paragraphs as model blocks, list items nested under the item before them with a lower nesting level.
 * A paragraph outside the list ends it, as it does on the page. `placedOf`, when given, learns each
 * block's paragraph (live sync names the items' paragraphs).
 */
export function blocksFromParagraphs(
  paragraphs: readonly PlacedParagraph[],
  context: ReadContext,
  placedOf?: Map<Block, PlacedParagraph>,
): Block[] {
  const blocks: Block[] = [];
  const stack: { level: number; block: Nestable }[] = [];
  for (const placed of paragraphs) {
    const { paragraph } = placed;
    const block = blockFromParagraph(paragraph, context);
    if (block === null) continue;
    placedOf?.set(block, placed);
    if (paragraph.bullet === undefined || block.kind === "heading" || block.kind === "divider") {
      stack.length = 0;
      blocks.push(block);
      continue;
    }
    const level = paragraph.bullet.nestingLevel;
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? -1) >= level) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) blocks.push(block);
    else parent.block.children.push(block);
    stack.push({ level, block });
  }
  return blocks;
}
