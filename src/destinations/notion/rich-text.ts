// Owns the conversion between Notion rich text (API JSON) and the neutral model's inline runs, and the
// size rules Notion puts on rich text in requests: 2,000 characters per text run, 100 runs per array.
import type { ApiColor, BlockObjectRequest, RichTextItemResponse } from "@notionhq/client";
import type { Inline, Mention, RichText, TextStyle } from "../../domain/agenda";

type ParagraphRequest = Extract<BlockObjectRequest, { paragraph: unknown }>;
/** One rich-text item of a request, as the SDK types it (not exported by name from the SDK's index). */
export type RichTextItemRequest = ParagraphRequest["paragraph"]["rich_text"][number];
type AnnotationRequest = NonNullable<RichTextItemRequest["annotations"]>;

/** Notion refuses a `text.content` (and a link URL) longer than this. */
export const MAX_TEXT_LENGTH = 2000;
/** Notion refuses any rich-text array with more items than this. */
export const MAX_RICH_TEXT_ITEMS = 100;
/**
 * Bytes of text we put in one rich-text array. Notion caps a whole request at 500 KB; 100 runs of
 * 2,000 three-byte characters would break that alone, so a block's text is capped well below it.
 */
const MAX_RICH_TEXT_BYTES = 100_000;

const API_COLORS: ReadonlySet<string> = new Set<ApiColor>([
  "default",
  "gray",
  "brown",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
  "pink",
  "red",
  "default_background",
  "gray_background",
  "brown_background",
  "orange_background",
  "yellow_background",
  "green_background",
  "blue_background",
  "purple_background",
  "pink_background",
  "red_background",
]);

function isApiColor(color: string): color is ApiColor {
  return API_COLORS.has(color);
}

// Notion writes links to its own pages as "/<id>" in `href`; it refuses relative URLs on write, so a
// carried item with such a link would fail the whole agenda. Made absolute on read, it round-trips.
const NOTION_APP_ORIGIN = "https://www.notion.so";

// ---------------------------------------------------------------------------------------------------
// Reading

/** The model's style for Notion annotations: only the decorations that are on, colour when not default. */
function styleFromAnnotations(annotations: RichTextItemResponse["annotations"]): TextStyle | undefined {
  const style: TextStyle = {};
  if (annotations.bold) style.bold = true;
  if (annotations.italic) style.italic = true;
  if (annotations.strikethrough) style.strikethrough = true;
  if (annotations.underline) style.underline = true;
  if (annotations.code) style.code = true;
  if (annotations.color !== "default") style.color = annotations.color;
  return Object.keys(style).length === 0 ? undefined : style;
}

function absoluteLink(url: string | null | undefined): string | undefined {
  if (url === null || url === undefined || url === "") return undefined;
  return url.startsWith("/") ? `${NOTION_APP_ORIGIN}${url}` : url;
}

function withStyle<T extends Inline>(inline: T, style: TextStyle | undefined): T {
  return style === undefined ? inline : { ...inline, style };
}

function mentionFromNotion(item: Extract<RichTextItemResponse, { type: "mention" }>): Mention | null {
  const mention = item.mention;
  switch (mention.type) {
    case "user":
      return { type: "user", userId: mention.user.id };
    case "date":
      return mention.date.end === null
        ? { type: "date", start: mention.date.start }
        : { type: "date", start: mention.date.start, end: mention.date.end };
    case "page":
      return { type: "page", pageId: mention.page.id };
    default:
      return null;
  }
}

/** One Notion rich-text item as a model inline. Mentions the model cannot hold keep their text and link. */
export function inlineFromNotion(item: RichTextItemResponse): Inline {
  const style = styleFromAnnotations(item.annotations);
  if (item.type === "mention") {
    const mention = mentionFromNotion(item);
    if (mention !== null) return withStyle({ kind: "mention", text: item.plain_text, mention }, style);
  }
  const link = absoluteLink(item.type === "text" ? (item.text.link?.url ?? item.href) : item.href);
  const inline: Inline =
    link === undefined
      ? { kind: "text", text: item.plain_text }
      : { kind: "text", text: item.plain_text, link };
  return withStyle(inline, style);
}

/** Notion rich text as model rich text, one inline per item, in order. */
export function richTextFromNotion(items: readonly RichTextItemResponse[]): RichText {
  return items.map(inlineFromNotion);
}

/** The plain text of Notion rich text. */
export function plainTextOfNotion(items: readonly RichTextItemResponse[]): string {
  return items.map((item) => item.plain_text).join("");
}

// ---------------------------------------------------------------------------------------------------
// Writing

function annotationsFor(style: TextStyle | undefined): AnnotationRequest | undefined {
  if (style === undefined) return undefined;
  const annotations: AnnotationRequest = {};
  if (style.bold) annotations.bold = true;
  if (style.italic) annotations.italic = true;
  if (style.strikethrough) annotations.strikethrough = true;
  if (style.underline) annotations.underline = true;
  if (style.code) annotations.code = true;
  // A colour another destination invented means nothing to Notion and would fail the request.
  if (style.color !== undefined && style.color !== "default" && isApiColor(style.color)) {
    annotations.color = style.color;
  }
  return Object.keys(annotations).length === 0 ? undefined : annotations;
}

// Notion refuses the whole request for one bad link; the text matters more than the link, so a link
// Notion would refuse is dropped and its text kept.
function usableLink(link: string | undefined): string | undefined {
  if (link === undefined || link.length > MAX_TEXT_LENGTH) return undefined;
  try {
    new URL(link);
    return link;
  } catch {
    return undefined;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * `text` cut into pieces of at most `limit` UTF-16 units, never inside a surrogate pair, nothing dropped.
 * Counting UTF-16 units is the strictest reading of Notion's "2,000 characters".
 */
export function splitText(text: string, limit = MAX_TEXT_LENGTH): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + limit, text.length);
    if (end < text.length && end - start > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function mentionRequest(mention: Mention): Extract<RichTextItemRequest, { mention: unknown }>["mention"] {
  switch (mention.type) {
    case "user":
      return { type: "user", user: { id: mention.userId } };
    case "date":
      return {
        type: "date",
        date:
          mention.end === undefined ? { start: mention.start } : { start: mention.start, end: mention.end },
      };
    case "page":
      return { type: "page", page: { id: mention.pageId } };
  }
}

/**
 * Model rich text as Notion request items. A run longer than 2,000 characters becomes several runs with
 * the same style and link. Adjacent runs are never merged: the carry mark is its own run, and merging
 * would hide it from the next read. The result may hold more than 100 items; see `chunkRichText`.
 */
export function richTextToNotion(text: RichText): RichTextItemRequest[] {
  const items: RichTextItemRequest[] = [];
  for (const inline of text) {
    const annotations = annotationsFor(inline.style);
    if (inline.kind === "mention") {
      const item: RichTextItemRequest = { type: "mention", mention: mentionRequest(inline.mention) };
      items.push(annotations === undefined ? item : { ...item, annotations });
      continue;
    }
    const link = usableLink(inline.link);
    for (const content of splitText(inline.text)) {
      const item: RichTextItemRequest = {
        type: "text",
        text: link === undefined ? { content } : { content, link: { url: link } },
      };
      items.push(annotations === undefined ? item : { ...item, annotations });
    }
  }
  return items;
}

const encoder = new TextEncoder();

function itemBytes(item: RichTextItemRequest): number {
  return encoder.encode(JSON.stringify(item)).length;
}

/**
 * Request items cut into arrays Notion accepts: at most 100 items and `MAX_RICH_TEXT_BYTES` each, in
 * order, nothing dropped. The first array is the block's own text; the caller puts any further arrays
 * in continuation blocks. Always returns at least one (possibly empty) array.
 */
export function chunkRichText(
  items: readonly RichTextItemRequest[],
  limits: { maxItems?: number; maxBytes?: number } = {},
): RichTextItemRequest[][] {
  const maxItems = limits.maxItems ?? MAX_RICH_TEXT_ITEMS;
  const maxBytes = limits.maxBytes ?? MAX_RICH_TEXT_BYTES;
  const chunks: RichTextItemRequest[][] = [];
  let current: RichTextItemRequest[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = itemBytes(item);
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  chunks.push(current);
  return chunks;
}
