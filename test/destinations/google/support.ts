// Test helpers for the Google destination: write model blocks into a document the way the destination
// does, and read a document back the way the destination does.

import type { DocsRequest } from "../../../src/destinations/google/api/client";
import { documentSchema } from "../../../src/destinations/google/api/schemas";
import { documentTabs, paragraphsOf } from "../../../src/destinations/google/read/document";
import { doneOptionIds, statusDropdownFor } from "../../../src/destinations/google/read/status";
import { blocksFromParagraphs } from "../../../src/destinations/google/read/to-model";
import {
  type InsertOptions,
  insertRequests,
  layoutBlocks,
} from "../../../src/destinations/google/write/requests";
import type { Block, Inline, RichText } from "../../../src/domain/agenda";
import { ModelDoc } from "./docs-model";

/** Anything that renders as documents.get does. */
interface Rendered {
  toJSON(): object;
}

/** The document as the destination sees it after `documents.get`. */
export function parsed(doc: Rendered) {
  return documentSchema.parse(JSON.parse(JSON.stringify(doc.toJSON())));
}

/** Reads all blocks of a document's first tab. */
export function readBlocks(doc: Rendered, tabIndex = 0): Block[] {
  const tab = documentTabs(parsed(doc))[tabIndex];
  if (tab === undefined) throw new Error("no such tab");
  return blocksFromParagraphs(paragraphsOf(tab.content), {
    lists: tab.lists,
    doneOptionIds: doneOptionIds(tab.dropdownDefinitions),
  });
}

/** The requests that write `blocks` at `index` of the first tab, dropdown definition included. */
export function requestsFor(
  doc: Rendered,
  blocks: readonly Block[],
  index = 1,
  trailingNewline = true,
  more: Partial<InsertOptions> = {},
): DocsRequest[] {
  const status = statusOf(doc);
  const plan = insertRequests(layoutBlocks(blocks), { index, trailingNewline, status, ...more });
  return [...(status.create === null ? [] : [status.create]), ...plan.requests];
}

/** The status dropdown the document's first tab has, or the request that creates it. */
export function statusOf(doc: Rendered) {
  const tab = documentTabs(parsed(doc))[0];
  return statusDropdownFor(tab?.dropdownDefinitions ?? {}, undefined);
}

/** Writes blocks into a fresh document and returns it. */
export function written(blocks: readonly Block[]): ModelDoc {
  const doc = new ModelDoc("doc-1");
  doc.batchUpdate(requestsFor(doc, blocks, 1, false));
  return doc;
}

export const text = (value: string, extra: Partial<Extract<Inline, { kind: "text" }>> = {}): Inline => ({
  kind: "text",
  text: value,
  ...extra,
});
export const para = (content: RichText, children: Block[] = []): Block => ({
  kind: "paragraph",
  text: content,
  children,
});
export const bullet = (content: RichText, children: Block[] = []): Block => ({
  kind: "bullet",
  text: content,
  children,
});
export const todo = (
  content: RichText,
  children: Block[] = [],
  checked = false,
): Extract<Block, { kind: "todo" }> => ({
  kind: "todo",
  text: content,
  checked,
  children,
});
export const heading = (value: string, level: 1 | 2 | 3 = 2): Block => ({
  kind: "heading",
  level,
  text: [text(value)],
});
