// Owns the conversion between Notion blocks (API JSON) and the neutral agenda model's blocks: reading a
// block Notion returned, and turning model blocks into request blocks whose rich text Notion accepts.
// How the request blocks are spread over API calls (100 per array, 2 levels per request) is write-plan.ts.
import { type BlockObjectResponse, isFullBlock, type PartialBlockObjectResponse } from "@notionhq/client";
import type { Block, HeadingLevel, RichText } from "../../domain/agenda";
import {
  chunkRichText,
  plainTextOfNotion,
  type RichTextItemRequest,
  richTextFromNotion,
  richTextToNotion,
} from "./rich-text";

type RichTextRequest = RichTextItemRequest[];

/** The payload of a block that may nest; `children` is filled in only when a request carries them. */
interface NestingPayload {
  rich_text: RichTextRequest;
  children?: NotionBlockRequest[];
}

/**
 * The request blocks this destination writes. Narrower than the SDK's `BlockObjectRequest` (which it is
 * assignable to) and recursive, so a plan can attach children at any depth; the plan keeps the depth
 * within what Notion accepts.
 */
export type NotionBlockRequest =
  | { object: "block"; type: "paragraph"; paragraph: NestingPayload }
  | { object: "block"; type: "heading_1"; heading_1: { rich_text: RichTextRequest } }
  | { object: "block"; type: "heading_2"; heading_2: { rich_text: RichTextRequest } }
  | { object: "block"; type: "heading_3"; heading_3: { rich_text: RichTextRequest } }
  | { object: "block"; type: "bulleted_list_item"; bulleted_list_item: NestingPayload }
  | { object: "block"; type: "numbered_list_item"; numbered_list_item: NestingPayload }
  | { object: "block"; type: "to_do"; to_do: NestingPayload & { checked: boolean } }
  | { object: "block"; type: "quote"; quote: NestingPayload }
  | { object: "block"; type: "callout"; callout: NestingPayload }
  | { object: "block"; type: "divider"; divider: Record<string, never> };

/** A request block without children, with the blocks that belong under it. */
export interface WriteNode {
  request: NotionBlockRequest;
  children: WriteNode[];
}

// ---------------------------------------------------------------------------------------------------
// Reading

type FullBlock = BlockObjectResponse;

/** A heading a person can fold: its section's blocks are its children rather than its siblings. */
export function isToggleableHeading(block: BlockObjectResponse | PartialBlockObjectResponse): boolean {
  if (!isFullBlock(block)) return false;
  switch (block.type) {
    case "heading_1":
      return block.heading_1.is_toggleable;
    case "heading_2":
      return block.heading_2.is_toggleable;
    case "heading_3":
      return block.heading_3.is_toggleable;
    case "heading_4":
      return block.heading_4.is_toggleable;
    default:
      return false;
  }
}

/**
 * Whether the block's children belong to this page's content. A child page's or child database's
 * "children" are another document, never part of an action item.
 */
export function hasOwnChildren(block: BlockObjectResponse | PartialBlockObjectResponse): boolean {
  if (!isFullBlock(block) || !block.has_children) return false;
  return block.type !== "child_page" && block.type !== "child_database";
}

function heading(level: HeadingLevel, text: RichText): Block {
  return { kind: "heading", level, text };
}

function textRun(text: string, link?: string): RichText {
  if (text === "") return [];
  return link === undefined ? [{ kind: "text", text }] : [{ kind: "text", text, link }];
}

/**
 * The text of a block the model has no kind for, keeping styles where the block has rich text. Files
 * Notion hosts have short-lived URLs, so they are named rather than linked.
 */
function fallbackText(block: FullBlock): RichText {
  switch (block.type) {
    case "toggle":
      return richTextFromNotion(block.toggle.rich_text);
    case "code":
      return richTextFromNotion(block.code.rich_text);
    case "template":
      return richTextFromNotion(block.template.rich_text);
    case "equation":
      return textRun(block.equation.expression);
    case "table_row":
      return textRun(block.table_row.cells.map(plainTextOfNotion).join(" | "));
    case "child_page":
      return [{ kind: "mention", text: block.child_page.title, mention: { type: "page", pageId: block.id } }];
    case "child_database":
      return textRun(block.child_database.title);
    case "link_to_page": {
      const target = block.link_to_page;
      return target.type === "page_id"
        ? [{ kind: "mention", text: "", mention: { type: "page", pageId: target.page_id } }]
        : [];
    }
    case "bookmark":
    case "embed": {
      const media = block.type === "bookmark" ? block.bookmark : block.embed;
      const caption = richTextFromNotion(media.caption);
      return caption.length > 0 ? caption : textRun(media.url, media.url);
    }
    case "link_preview":
      return textRun(block.link_preview.url, block.link_preview.url);
    case "image":
    case "video":
    case "pdf":
    case "file":
    case "audio": {
      const media =
        block.type === "image"
          ? block.image
          : block.type === "video"
            ? block.video
            : block.type === "pdf"
              ? block.pdf
              : block.type === "file"
                ? block.file
                : block.audio;
      const caption = richTextFromNotion(media.caption);
      return caption.length > 0 ? caption : textRun(`[${block.type}]`);
    }
    default:
      return [];
  }
}

/**
 * A Notion block as a model block, with the children the caller loaded. Headings never carry children
 * in the model: the reader puts a toggleable heading's children after it as its section's blocks.
 *
 * A block type the model has no kind for becomes a paragraph of its text rather than vanishing: it may
 * sit under an action item that is carried, and "no action item is lost" includes what a person wrote
 * under it. Losing a decoration is better than losing the words.
 */
export function blockFromNotion(
  block: BlockObjectResponse | PartialBlockObjectResponse,
  children: Block[] = [],
): Block {
  if (!isFullBlock(block)) return { kind: "paragraph", text: [], children };
  switch (block.type) {
    case "paragraph":
      return { kind: "paragraph", text: richTextFromNotion(block.paragraph.rich_text), children };
    case "heading_1":
      return heading(1, richTextFromNotion(block.heading_1.rich_text));
    case "heading_2":
      return heading(2, richTextFromNotion(block.heading_2.rich_text));
    case "heading_3":
      return heading(3, richTextFromNotion(block.heading_3.rich_text));
    // The model stops at level 3; a level-4 heading still ends a level-3 section in Notion's outline.
    case "heading_4":
      return heading(3, richTextFromNotion(block.heading_4.rich_text));
    case "bulleted_list_item":
      return { kind: "bullet", text: richTextFromNotion(block.bulleted_list_item.rich_text), children };
    case "numbered_list_item":
      return { kind: "numbered", text: richTextFromNotion(block.numbered_list_item.rich_text), children };
    case "to_do":
      return {
        kind: "todo",
        text: richTextFromNotion(block.to_do.rich_text),
        checked: block.to_do.checked,
        children,
      };
    case "quote":
      return { kind: "quote", text: richTextFromNotion(block.quote.rich_text), children };
    case "callout":
      return { kind: "callout", text: richTextFromNotion(block.callout.rich_text), children };
    case "divider":
      return { kind: "divider" };
    default:
      return { kind: "paragraph", text: fallbackText(block), children };
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing

function paragraphRequest(richText: RichTextRequest): NotionBlockRequest {
  return { object: "block", type: "paragraph", paragraph: { rich_text: richText } };
}

function leaf(request: NotionBlockRequest): WriteNode {
  return { request, children: [] };
}

function headingRequest(level: HeadingLevel, richText: RichTextRequest): NotionBlockRequest {
  switch (level) {
    case 1:
      return { object: "block", type: "heading_1", heading_1: { rich_text: richText } };
    case 2:
      return { object: "block", type: "heading_2", heading_2: { rich_text: richText } };
    case 3:
      return { object: "block", type: "heading_3", heading_3: { rich_text: richText } };
  }
}

function nestingRequest(block: Exclude<Block, { kind: "heading" | "divider" }>, richText: RichTextRequest) {
  const payload = { rich_text: richText };
  switch (block.kind) {
    case "paragraph":
      return { object: "block", type: "paragraph", paragraph: payload } as const;
    case "bullet":
      return { object: "block", type: "bulleted_list_item", bulleted_list_item: payload } as const;
    case "numbered":
      return { object: "block", type: "numbered_list_item", numbered_list_item: payload } as const;
    case "todo":
      return { object: "block", type: "to_do", to_do: { ...payload, checked: block.checked } } as const;
    case "quote":
      return { object: "block", type: "quote", quote: payload } as const;
    case "callout":
      return { object: "block", type: "callout", callout: payload } as const;
  }
}

/**
 * Model blocks as request nodes. Text that does not fit one rich-text array continues in paragraphs:
 * under the block when it can nest (so a carried item keeps all its words), after it for a heading.
 */
export function blocksToNotion(blocks: readonly Block[]): WriteNode[] {
  const nodes: WriteNode[] = [];
  for (const block of blocks) {
    if (block.kind === "divider") {
      nodes.push(leaf({ object: "block", type: "divider", divider: {} }));
      continue;
    }
    const [first = [], ...rest] = chunkRichText(richTextToNotion(block.text));
    const continuation = rest.map((chunk) => leaf(paragraphRequest(chunk)));
    if (block.kind === "heading") {
      nodes.push(leaf(headingRequest(block.level, first)), ...continuation);
      continue;
    }
    nodes.push({
      request: nestingRequest(block, first),
      children: [...continuation, ...blocksToNotion(block.children)],
    });
  }
  return nodes;
}

/** `request` with `children` attached, ready to send. Headings and dividers take no children here. */
export function withChildren(
  request: NotionBlockRequest,
  children: NotionBlockRequest[],
): NotionBlockRequest {
  if (children.length === 0) return request;
  switch (request.type) {
    case "paragraph":
      return { ...request, paragraph: { ...request.paragraph, children } };
    case "bulleted_list_item":
      return { ...request, bulleted_list_item: { ...request.bulleted_list_item, children } };
    case "numbered_list_item":
      return { ...request, numbered_list_item: { ...request.numbered_list_item, children } };
    case "to_do":
      return { ...request, to_do: { ...request.to_do, children } };
    case "quote":
      return { ...request, quote: { ...request.quote, children } };
    case "callout":
      return { ...request, callout: { ...request.callout, children } };
    default:
      throw new Error(`a ${request.type} block cannot have children`);
  }
}

/** The children a request block carries, if any (for tests and for counting what a request holds). */
export function childrenOf(request: NotionBlockRequest): NotionBlockRequest[] {
  switch (request.type) {
    case "paragraph":
      return request.paragraph.children ?? [];
    case "bulleted_list_item":
      return request.bulleted_list_item.children ?? [];
    case "numbered_list_item":
      return request.numbered_list_item.children ?? [];
    case "to_do":
      return request.to_do.children ?? [];
    case "quote":
      return request.quote.children ?? [];
    case "callout":
      return request.callout.children ?? [];
    default:
      return [];
  }
}
