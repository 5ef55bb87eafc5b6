// Test helper: the Notion emulator's store (emulators/notion/store), in-process, so unit tests see what
// Notion returns for what they write (full annotations, plain_text, href, block metadata) without a
// server. It wires the store; it models nothing itself.
import type { BlockObjectResponse, RichTextItemResponse } from "@notionhq/client";
import { blockJson } from "../../../emulators/notion/store/render";
import { richTextFromRequest } from "../../../emulators/notion/store/rich-text";
import { Workspace } from "../../../emulators/notion/store/workspace";

/** A stored block as the API returns it, with its children the same way. */
export interface StoredTree {
  block: BlockObjectResponse;
  children: StoredTree[];
}

/** A fixed time for every write, so nothing read back depends on the real clock. */
const WRITTEN_AT = new Date(Date.UTC(2026, 0, 1));

/** A Notion workspace with one page to write blocks into. */
export function notionModel() {
  const ws = new Workspace(() => WRITTEN_AT);
  const actor = ws.owner.id;
  const newPage = (title: string) =>
    ws.createPage(
      { parent: { type: "workspace" }, properties: { title: { title: [{ text: { content: title } }] } } },
      { actor },
    ).id;
  const pageId = newPage("Agenda");
  const rendered = (id: string): StoredTree => ({
    block: blockJson(ws, ws.requireBlock(id)) as unknown as BlockObjectResponse,
    children: ws.liveChildren(id).map((child) => rendered(child.id)),
  });

  return {
    /** The page blocks are written into by default. */
    pageId,
    /** A person in the workspace, for mentions; Notion shows them as `@name`. */
    person(name: string): string {
      return ws.createUser({ name }).id;
    },
    /** Another page, for page mentions and links. */
    page: newPage,
    /** What Notion returns for request rich text. */
    richText(items: readonly unknown[]): RichTextItemResponse[] {
      return richTextFromRequest(items, ws, "rich_text");
    },
    /** Appends request blocks (children and all) under `parentId`; returns them as Notion returns them. */
    write(requests: readonly unknown[], parentId = pageId): StoredTree[] {
      return ws
        .appendChildren(parentId, [...requests], { type: "end" }, { actor })
        .map((block) => rendered(block.id));
    },
    /** The children of a page or block, one level, as "retrieve block children" returns them. */
    children(id: string): BlockObjectResponse[] {
      return ws.liveChildren(id).map((child) => blockJson(ws, child) as unknown as BlockObjectResponse);
    },
  };
}
