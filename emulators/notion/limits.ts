// Notion's documented request size limits, checked before the schema so callers get Notion's own messages.
// https://developers.notion.com/reference/request-limits

import { asRecord, isRecord } from "../common/json";
import { NotionApiError } from "./errors";
import { BLOCK_TYPES } from "./store/blocks";

export const MAX_BODY_BYTES = 500 * 1024;
const MAX_BLOCKS_PER_REQUEST = 1000;
const MAX_CHILDREN = 100;
/**
 * Two levels of nesting below the blocks in the body: a child's children may not have children
 * (Notion: `body.children[0].x.children[0].x.children[0].x.children should be not present`).
 */
const MAX_DEPTH = 2;
const MAX_RICH_TEXT_ITEMS = 100;
const MAX_TEXT = 2000;
const MAX_URL = 2000;
const MAX_EQUATION = 1000;

const RICH_TEXT_KEYS = new Set(["rich_text", "title", "caption"]);

function fail(message: string): never {
  throw NotionApiError.validation(`body failed validation: ${message}`);
}

function lengthMessage(path: string, max: number, actual: number): string {
  return `${path}.length should be ≤ \`${max}\`, instead was \`${actual}\`.`;
}

/** Notion quotes the offending value, cut short. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 55 ? `${text.slice(0, 55)}...` : text;
}

function typeOf(block: Record<string, unknown>): string | undefined {
  const declared = block.type;
  if (typeof declared === "string" && BLOCK_TYPES.includes(declared)) return declared;
  return Object.keys(block).find((k) => BLOCK_TYPES.includes(k));
}

function walkBlocks(blocks: unknown[], path: string, depth: number, count: { blocks: number }): void {
  if (blocks.length > MAX_CHILDREN) fail(lengthMessage(path, MAX_CHILDREN, blocks.length));
  count.blocks += blocks.length;
  blocks.forEach((raw, index) => {
    const block = asRecord(raw);
    const type = typeOf(block);
    if (type === undefined) return;
    const children = asRecord(block[type]).children;
    if (!Array.isArray(children)) return;
    const childPath = `${path}[${index}].${type}.children`;
    // Columns are layout, not nesting: a column list's columns do not use up a level.
    const childDepth = type === "column_list" ? depth : depth + 1;
    if (childDepth > MAX_DEPTH)
      fail(`${childPath} should be not present, instead was \`${preview(children)}\`.`);
    walkBlocks(children, childPath, childDepth, count);
  });
}

function checkRichTextItem(item: unknown, path: string): void {
  if (!isRecord(item)) return;
  const text = item.text;
  if (isRecord(text)) {
    if (typeof text.content === "string" && text.content.length > MAX_TEXT) {
      fail(lengthMessage(`${path}.text.content`, MAX_TEXT, text.content.length));
    }
    const link = text.link;
    if (isRecord(link) && typeof link.url === "string" && link.url.length > MAX_URL) {
      fail(lengthMessage(`${path}.text.link.url`, MAX_URL, link.url.length));
    }
  }
  const equation = item.equation;
  if (
    isRecord(equation) &&
    typeof equation.expression === "string" &&
    equation.expression.length > MAX_EQUATION
  ) {
    fail(lengthMessage(`${path}.equation.expression`, MAX_EQUATION, equation.expression.length));
  }
}

function checkRichTextArray(items: unknown[], path: string): void {
  if (items.length > MAX_RICH_TEXT_ITEMS) fail(lengthMessage(path, MAX_RICH_TEXT_ITEMS, items.length));
  for (const [index, item] of items.entries()) checkRichTextItem(item, `${path}[${index}]`);
}

/** Finds every rich text array in the body, wherever it sits (blocks, properties, table cells). */
function walkRichText(value: unknown, path: string, key: string): void {
  if (Array.isArray(value)) {
    if (RICH_TEXT_KEYS.has(key)) checkRichTextArray(value, path);
    else if (key === "cells") {
      for (const [i, row] of value.entries())
        if (Array.isArray(row)) checkRichTextArray(row, `${path}[${i}]`);
    }
    for (const [index, item] of value.entries()) walkRichText(item, `${path}[${index}]`, "");
    return;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) walkRichText(v, `${path}.${k}`, k);
  }
}

/** Throws Notion's validation_error for the first limit the body breaks. */
export function checkRequestLimits(body: unknown): void {
  if (!isRecord(body)) return;
  const count = { blocks: 0 };
  for (const key of ["children", "content"]) {
    const blocks = body[key];
    if (Array.isArray(blocks)) walkBlocks(blocks, `body.${key}`, 0, count);
  }
  if (count.blocks > MAX_BLOCKS_PER_REQUEST) {
    fail(`the request has ${count.blocks} block elements; at most ${MAX_BLOCKS_PER_REQUEST} are allowed.`);
  }
  walkRichText(body, "body", "");
}
