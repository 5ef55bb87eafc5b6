// Rich text: turns request items into the items Notion stores and returns (plain_text, href, full annotations).
import type { RichTextItemResponse } from "@notionhq/client";
import { asBoolean, asRecord, asString, isRecord } from "../../common/json";
import { NotionApiError } from "../errors";
import { normalizeId } from "../ids";

/** What rich text needs to know about the rest of the workspace to render mentions. */
export interface RefResolver {
  userValue(id: string): Record<string, unknown>;
  userName(id: string): string | undefined;
  pageTitle(id: string): string | undefined;
  pageUrl(id: string): string | undefined;
  databaseTitle(id: string): string | undefined;
  databaseUrl(id: string): string | undefined;
}

type Annotations = RichTextItemResponse["annotations"];

const COLORS = new Set([
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

function annotationsFrom(raw: unknown): Annotations {
  const a = asRecord(raw);
  const color = asString(a.color);
  return {
    bold: asBoolean(a.bold) ?? false,
    italic: asBoolean(a.italic) ?? false,
    strikethrough: asBoolean(a.strikethrough) ?? false,
    underline: asBoolean(a.underline) ?? false,
    code: asBoolean(a.code) ?? false,
    color: (color !== undefined && COLORS.has(color) ? color : "default") as Annotations["color"],
  };
}

export function textItem(content: string, link: string | null = null): RichTextItemResponse {
  return {
    type: "text",
    text: { content, link: link === null ? null : { url: link } },
    annotations: annotationsFrom({}),
    plain_text: content,
    href: link,
  };
}

function requireRefId(raw: unknown, path: string): string {
  const id = typeof raw === "string" ? normalizeId(raw) : undefined;
  if (id === undefined) {
    throw NotionApiError.validation(
      `body failed validation: ${path} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

function dateLabel(start: string, end: string | null): string {
  return end ? `${start} → ${end}` : start;
}

function mentionFrom(
  raw: unknown,
  refs: RefResolver,
  path: string,
): Pick<RichTextItemResponse, "plain_text" | "href"> & {
  mention: Record<string, unknown>;
} {
  const m = asRecord(raw);
  if (isRecord(m.user)) {
    const id = requireRefId(m.user.id, `${path}.mention.user.id`);
    return {
      mention: { type: "user", user: refs.userValue(id) },
      plain_text: `@${refs.userName(id) ?? "Anonymous"}`,
      href: null,
    };
  }
  if (isRecord(m.date)) {
    const start = asString(m.date.start) ?? "";
    const end = asString(m.date.end) ?? null;
    const timeZone = asString(m.date.time_zone) ?? null;
    return {
      mention: { type: "date", date: { start, end, time_zone: timeZone } },
      plain_text: dateLabel(start, end),
      href: null,
    };
  }
  if (isRecord(m.page)) {
    const id = requireRefId(m.page.id, `${path}.mention.page.id`);
    return {
      mention: { type: "page", page: { id } },
      plain_text: refs.pageTitle(id) ?? "Untitled",
      href: refs.pageUrl(id) ?? `https://www.notion.so/${id.replaceAll("-", "")}`,
    };
  }
  if (isRecord(m.database)) {
    const id = requireRefId(m.database.id, `${path}.mention.database.id`);
    return {
      mention: { type: "database", database: { id } },
      plain_text: refs.databaseTitle(id) ?? "Untitled",
      href: refs.databaseUrl(id) ?? `https://www.notion.so/${id.replaceAll("-", "")}`,
    };
  }
  if (isRecord(m.template_mention)) {
    const t = m.template_mention;
    const date = asString(t.template_mention_date);
    const mention =
      date !== undefined
        ? { type: "template_mention_date", template_mention_date: date }
        : { type: "template_mention_user", template_mention_user: "me" };
    return {
      mention: { type: "template_mention", template_mention: mention },
      plain_text: date !== undefined ? `@${date[0]?.toUpperCase()}${date.slice(1)}` : "@Me",
      href: null,
    };
  }
  throw NotionApiError.unsupported(`the mention at ${path}`);
}

/** Converts one request rich-text array; `path` names it in error messages (e.g. `body.children[0].paragraph.rich_text`). */
export function richTextFromRequest(items: unknown, refs: RefResolver, path: string): RichTextItemResponse[] {
  if (!Array.isArray(items)) return [];
  return items.map((raw, index) => {
    const item = asRecord(raw);
    const itemPath = `${path}[${index}]`;
    const annotations = annotationsFrom(item.annotations);
    if (isRecord(item.text)) {
      const content = asString(item.text.content) ?? "";
      const link = isRecord(item.text.link) ? (asString(item.text.link.url) ?? null) : null;
      return {
        type: "text",
        text: { content, link: link === null ? null : { url: link } },
        annotations,
        plain_text: content,
        href: link,
      } satisfies RichTextItemResponse;
    }
    if (isRecord(item.equation)) {
      const expression = asString(item.equation.expression) ?? "";
      return {
        type: "equation",
        equation: { expression },
        annotations,
        plain_text: expression,
        href: null,
      } satisfies RichTextItemResponse;
    }
    if (isRecord(item.mention)) {
      const { mention, plain_text, href } = mentionFrom(item.mention, refs, itemPath);
      // The mention union is wide; its shape is checked against the SDK schema on the way out.
      return { type: "mention", mention, annotations, plain_text, href } as unknown as RichTextItemResponse;
    }
    throw NotionApiError.validation(
      `body failed validation: ${itemPath}.text should be defined, instead was \`undefined\`.`,
    );
  });
}

export function plainText(items: readonly RichTextItemResponse[]): string {
  return items.map((item) => item.plain_text).join("");
}
