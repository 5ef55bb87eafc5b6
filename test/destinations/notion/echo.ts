// Test helper: turns request JSON into what Notion would return for it (full annotations, plain_text,
// href, block metadata), so conversions can be checked model -> request -> response -> model.
import type { BlockObjectResponse, RichTextItemResponse } from "@notionhq/client";
import type { NotionBlockRequest } from "../../../src/destinations/notion/blocks";
import { childrenOf } from "../../../src/destinations/notion/blocks";
import type { RichTextItemRequest } from "../../../src/destinations/notion/rich-text";

const USER = { object: "user", id: "00000000-0000-4000-8000-000000000001" } as const;

/** What Notion shows for mentions: user names and page titles by id; dates as written. */
export interface MentionNames {
  users?: Record<string, string>;
  pages?: Record<string, string>;
}

/** One request rich-text item as Notion returns it. */
function echoRichText(item: RichTextItemRequest, names: MentionNames = {}): RichTextItemResponse {
  const annotations = {
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
    code: false,
    color: "default" as const,
    ...item.annotations,
  };
  if ("text" in item) {
    const url = item.text.link?.url ?? null;
    return {
      type: "text",
      text: { content: item.text.content, link: url === null ? null : { url } },
      plain_text: item.text.content,
      href: url,
      annotations,
    };
  }
  if ("mention" in item) {
    const mention = item.mention;
    if ("user" in mention) {
      return {
        type: "mention",
        mention: { type: "user", user: { object: "user", id: mention.user.id } },
        plain_text: names.users?.[mention.user.id] ?? "@Someone",
        href: null,
        annotations,
      };
    }
    if ("date" in mention) {
      return {
        type: "mention",
        mention: {
          type: "date",
          date: { start: mention.date.start, end: mention.date.end ?? null, time_zone: null },
        },
        plain_text: mention.date.start,
        href: null,
        annotations,
      };
    }
    if ("page" in mention) {
      return {
        type: "mention",
        mention: { type: "page", page: { id: mention.page.id } },
        plain_text: names.pages?.[mention.page.id] ?? "Untitled",
        href: `https://www.notion.so/${mention.page.id.replaceAll("-", "")}`,
        annotations,
      };
    }
  }
  throw new Error("echoRichText: unsupported item");
}

function meta(id: string, parentId: string, hasChildren: boolean) {
  return {
    object: "block" as const,
    id,
    parent: { type: "page_id" as const, page_id: parentId },
    created_time: "2026-01-01T00:00:00.000Z",
    created_by: USER,
    last_edited_time: "2026-01-01T00:00:00.000Z",
    last_edited_by: USER,
    has_children: hasChildren,
    in_trash: false,
    archived: false,
  };
}

/** A request block (children ignored, `hasChildren` says whether it has any) as Notion returns it. */
export function echoBlock(
  request: NotionBlockRequest,
  id: string,
  parentId: string,
  hasChildren = childrenOf(request).length > 0,
  names: MentionNames = {},
): BlockObjectResponse {
  const base = meta(id, parentId, hasChildren);
  const rt = (items: RichTextItemRequest[]) => items.map((item) => echoRichText(item, names));
  switch (request.type) {
    case "paragraph":
      return {
        ...base,
        type: "paragraph",
        paragraph: { rich_text: rt(request.paragraph.rich_text), color: "default", icon: null },
      };
    case "heading_1":
      return {
        ...base,
        type: "heading_1",
        heading_1: { rich_text: rt(request.heading_1.rich_text), color: "default", is_toggleable: false },
      };
    case "heading_2":
      return {
        ...base,
        type: "heading_2",
        heading_2: { rich_text: rt(request.heading_2.rich_text), color: "default", is_toggleable: false },
      };
    case "heading_3":
      return {
        ...base,
        type: "heading_3",
        heading_3: { rich_text: rt(request.heading_3.rich_text), color: "default", is_toggleable: false },
      };
    case "bulleted_list_item":
      return {
        ...base,
        type: "bulleted_list_item",
        bulleted_list_item: { rich_text: rt(request.bulleted_list_item.rich_text), color: "default" },
      };
    case "numbered_list_item":
      return {
        ...base,
        type: "numbered_list_item",
        numbered_list_item: { rich_text: rt(request.numbered_list_item.rich_text), color: "default" },
      };
    case "to_do":
      return {
        ...base,
        type: "to_do",
        to_do: { rich_text: rt(request.to_do.rich_text), color: "default", checked: request.to_do.checked },
      };
    case "quote":
      return { ...base, type: "quote", quote: { rich_text: rt(request.quote.rich_text), color: "default" } };
    case "callout":
      return {
        ...base,
        type: "callout",
        callout: { rich_text: rt(request.callout.rich_text), color: "default", icon: null },
      };
    case "divider":
      return { ...base, type: "divider", divider: {} };
  }
}
