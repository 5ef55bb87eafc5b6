// Block content: request objects -> the type-specific objects Notion stores and returns, and in-place updates.

import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  isRecord,
  type JsonObject,
} from "../../common/json";
import { NotionApiError } from "../errors";
import { normalizeId } from "../ids";
import { type RefResolver, richTextFromRequest } from "./rich-text";

export const BLOCK_TYPES: readonly string[] = [
  "paragraph",
  "heading_1",
  "heading_2",
  "heading_3",
  "heading_4",
  "bulleted_list_item",
  "numbered_list_item",
  "quote",
  "to_do",
  "toggle",
  "template",
  "callout",
  "synced_block",
  "code",
  "equation",
  "divider",
  "breadcrumb",
  "tab",
  "table_of_contents",
  "link_to_page",
  "table",
  "table_row",
  "column_list",
  "column",
  "embed",
  "bookmark",
  "image",
  "video",
  "pdf",
  "file",
  "audio",
  "child_page",
];

const TEXT_CONTAINERS = new Set([
  "paragraph",
  "bulleted_list_item",
  "numbered_list_item",
  "quote",
  "to_do",
  "toggle",
  "template",
  "callout",
  "synced_block",
  "column_list",
  "column",
  "table",
  "child_page",
  "tab",
]);

const HEADINGS = new Set(["heading_1", "heading_2", "heading_3", "heading_4"]);
const MEDIA = new Set(["image", "video", "pdf", "file", "audio"]);

/** Rich text arrays a block may carry, by key; converted wherever they appear in content. */
const RICH_TEXT_KEYS = new Set(["rich_text", "caption"]);

export function blockTypeOf(raw: JsonObject, path: string): string {
  const declared = asString(raw.type);
  if (declared !== undefined && BLOCK_TYPES.includes(declared)) return declared;
  const found = Object.keys(raw).find((k) => BLOCK_TYPES.includes(k));
  if (found === undefined) {
    throw NotionApiError.validation(`body failed validation: ${path} should be a block object.`);
  }
  return found;
}

/** Headings hold children only when toggleable, as in the Notion editor. */
export function acceptsChildren(type: string, content: JsonObject): boolean {
  if (HEADINGS.has(type)) return content.is_toggleable === true;
  return TEXT_CONTAINERS.has(type);
}

export function iconFromRequest(raw: unknown): Record<string, unknown> | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.emoji === "string") return { type: "emoji", emoji: raw.emoji };
  if (isRecord(raw.external))
    return { type: "external", external: { url: asString(raw.external.url) ?? "" } };
  if (isRecord(raw.icon)) {
    return {
      type: "icon",
      icon: { name: asString(raw.icon.name) ?? "", color: asString(raw.icon.color) ?? "gray" },
    };
  }
  if (isRecord(raw.custom_emoji)) {
    const e = raw.custom_emoji;
    return {
      type: "custom_emoji",
      custom_emoji: { id: asString(e.id) ?? "", name: asString(e.name) ?? "", url: asString(e.url) ?? "" },
    };
  }
  throw NotionApiError.unsupported("file_upload icons");
}

function mediaFrom(type: string, raw: JsonObject, refs: RefResolver, path: string): JsonObject {
  if (!isRecord(raw.external)) throw NotionApiError.unsupported(`${type} blocks without an external url`);
  const url = asString(raw.external.url) ?? "";
  const content: JsonObject = {
    caption: richTextFromRequest(raw.caption, refs, `${path}.caption`),
    type: "external",
    external: { url },
  };
  if (type === "file") content.name = asString(raw.name) ?? url.split("/").pop() ?? "file";
  return content;
}

function linkTarget(raw: JsonObject): JsonObject {
  for (const key of ["page_id", "database_id", "comment_id"]) {
    const value = asString(raw[key]);
    if (value !== undefined) return { type: key, [key]: normalizeId(value) ?? value };
  }
  return {};
}

/** The stored/returned content for one request block (children are handled by the caller). */
export function contentFromRequest(
  type: string,
  raw: JsonObject,
  refs: RefResolver,
  path: string,
): JsonObject {
  const p = `${path}.${type}`;
  const richText = () => richTextFromRequest(raw.rich_text, refs, `${p}.rich_text`);
  const color = asString(raw.color) ?? "default";
  switch (type) {
    case "paragraph":
      return { rich_text: richText(), color, icon: iconFromRequest(raw.icon) };
    case "heading_1":
    case "heading_2":
    case "heading_3":
    case "heading_4":
      return { rich_text: richText(), is_toggleable: asBoolean(raw.is_toggleable) ?? false, color };
    case "bulleted_list_item":
    case "numbered_list_item":
    case "quote":
    case "toggle":
      return { rich_text: richText(), color };
    case "to_do":
      return { rich_text: richText(), checked: asBoolean(raw.checked) ?? false, color };
    case "template":
      return { rich_text: richText() };
    case "callout":
      return {
        rich_text: richText(),
        icon: iconFromRequest(raw.icon) ?? { type: "emoji", emoji: "💡" },
        color: asString(raw.color) ?? "gray_background",
      };
    case "code":
      return {
        caption: richTextFromRequest(raw.caption, refs, `${p}.caption`),
        rich_text: richText(),
        language: asString(raw.language) ?? "plain text",
      };
    case "equation":
      return { expression: asString(raw.expression) ?? "" };
    case "divider":
    case "breadcrumb":
    case "tab":
    case "column_list":
      return {};
    case "table_of_contents":
      return { color };
    case "embed":
    case "bookmark":
      return {
        caption: richTextFromRequest(raw.caption, refs, `${p}.caption`),
        url: asString(raw.url) ?? "",
      };
    case "link_to_page":
      return linkTarget(raw);
    case "table":
      return {
        table_width: asNumber(raw.table_width) ?? 1,
        has_column_header: asBoolean(raw.has_column_header) ?? false,
        has_row_header: asBoolean(raw.has_row_header) ?? false,
      };
    case "table_row":
      return {
        cells: asArray(raw.cells).map((cell, i) => richTextFromRequest(cell, refs, `${p}.cells[${i}]`)),
      };
    case "column": {
      const ratio = asNumber(raw.width_ratio);
      return ratio === undefined ? {} : { width_ratio: ratio };
    }
    case "synced_block": {
      const from = asRecord(raw.synced_from);
      const blockId = asString(from.block_id);
      return { synced_from: blockId === undefined ? null : { type: "block_id", block_id: blockId } };
    }
    case "child_page":
      return { title: asString(raw.title) ?? "" };
    default:
      if (MEDIA.has(type)) return mediaFrom(type, raw, refs, p);
      throw NotionApiError.unsupported(`${type} blocks`);
  }
}

/** PATCH /v1/blocks/:id: the given keys replace the stored ones; everything else stays. */
export function applyUpdate(
  type: string,
  content: JsonObject,
  patch: JsonObject,
  refs: RefResolver,
  path: string,
): JsonObject {
  const next: JsonObject = { ...content };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "children") continue;
    if (RICH_TEXT_KEYS.has(key)) next[key] = richTextFromRequest(value, refs, `${path}.${type}.${key}`);
    else if (key === "icon") next.icon = iconFromRequest(value);
    else if (key === "cells") {
      next.cells = asArray(value).map((cell, i) =>
        richTextFromRequest(cell, refs, `${path}.${type}.cells[${i}]`),
      );
    } else if (MEDIA.has(type) && key === "external")
      next.external = { url: asString(asRecord(value).url) ?? "" };
    else next[key] = value;
  }
  return next;
}

/** A request block's children live inside its type object (`{ toggle: { children: [...] } }`). */
export function requestChildren(raw: JsonObject, type: string): unknown[] | undefined {
  const inner = asRecord(raw[type]);
  return Array.isArray(inner.children) ? inner.children : undefined;
}
