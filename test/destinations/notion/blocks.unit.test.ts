// Blocks between the model and Notion: every kind and its nesting survive a round trip through what
// Notion returns; block types the model lacks are read as paragraphs of their text, never dropped.
import type { BlockObjectResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import {
  blockFromNotion,
  blocksToNotion,
  childrenOf,
  hasOwnChildren,
  isToggleableHeading,
  type NotionBlockRequest,
  type WriteNode,
  withChildren,
} from "../../../src/destinations/notion/blocks";
import type { Block } from "../../../src/domain/agenda";
import { blockMeta, echoBlock, plain } from "./echo";

const PAGE = "11111111-1111-4111-8111-111111111111";
const ALICE = "5b0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";

function whole(node: WriteNode): NotionBlockRequest {
  return withChildren(node.request, node.children.map(whole));
}

let nextId = 0;
/** What reading the written blocks back gives: each request echoed as Notion would, children included. */
function readBack(request: NotionBlockRequest, parentId = PAGE): Block {
  nextId += 1;
  const id = `00000000-0000-4000-8000-${String(nextId).padStart(12, "0")}`;
  const response = echoBlock(request, id, parentId, childrenOf(request).length > 0, {
    users: { [ALICE]: "@Alice" },
  });
  return blockFromNotion(
    response,
    childrenOf(request).map((child) => readBack(child, id)),
  );
}

const AGENDA: Block[] = [
  { kind: "heading", level: 1, text: [{ kind: "text", text: "1:1 Alice / Bob" }] },
  { kind: "paragraph", text: [{ kind: "text", text: "Intro", style: { italic: true } }], children: [] },
  { kind: "divider" },
  { kind: "heading", level: 2, text: [{ kind: "text", text: "Discussion points" }] },
  {
    kind: "bullet",
    text: [{ kind: "text", text: "Career", link: "https://example.com/career" }],
    children: [{ kind: "numbered", text: [{ kind: "text", text: "Step one" }], children: [] }],
  },
  { kind: "quote", text: [{ kind: "text", text: "A quote" }], children: [] },
  {
    kind: "callout",
    text: [{ kind: "text", text: "Heads up", style: { color: "yellow_background" } }],
    children: [],
  },
  { kind: "heading", level: 3, text: [{ kind: "text", text: "Action items" }] },
  {
    kind: "todo",
    checked: false,
    text: [
      { kind: "text", text: "Write the plan " },
      { kind: "mention", text: "@Alice", mention: { type: "user", userId: ALICE } },
      { kind: "text", text: " ↻ open since 2026-11-03 · carried 2×", style: { color: "gray" } },
    ],
    children: [
      {
        kind: "todo",
        checked: true,
        text: [{ kind: "text", text: "Outline" }],
        children: [
          {
            kind: "bullet",
            text: [{ kind: "text", text: "Level 3" }],
            children: [{ kind: "paragraph", text: [{ kind: "text", text: "Level 4" }], children: [] }],
          },
        ],
      },
    ],
  },
];

describe("blocks round trip", () => {
  it("happy: every kind, style and nesting level survives model -> request -> response -> model", () => {
    const written = blocksToNotion(AGENDA).map(whole);
    expect(written.map((request) => readBack(request))).toEqual(AGENDA);
  });

  it("writes blocks with the SDK's request shape", () => {
    const [todo] = blocksToNotion([
      { kind: "todo", checked: true, text: [{ kind: "text", text: "x" }], children: [] },
    ]);
    expect(todo?.request).toEqual({
      object: "block",
      type: "to_do",
      to_do: { rich_text: [{ type: "text", text: { content: "x" } }], checked: true },
    });
  });

  it("moves rich text past 100 items into continuation paragraphs under the block, keeping all text", () => {
    const text = Array.from({ length: 130 }, (_, index) => ({ kind: "text" as const, text: `w${index} ` }));
    const [node] = blocksToNotion([{ kind: "todo", checked: false, text, children: [] }]);
    if (node === undefined || node.request.type !== "to_do") throw new Error("expected a to-do");
    expect(node.request.to_do.rich_text).toHaveLength(100);
    expect(node.children).toHaveLength(1);
    const read = readBack(whole(node));
    if (read.kind !== "todo") throw new Error("expected a to-do");
    const all = [...read.text, ...read.children.flatMap((child) => ("text" in child ? child.text : []))];
    expect(all.map((inline) => inline.text).join("")).toBe(text.map((inline) => inline.text).join(""));
  });

  it("puts a heading's overflow after it, as headings take no children", () => {
    const text = Array.from({ length: 101 }, () => ({ kind: "text" as const, text: "h" }));
    const nodes = blocksToNotion([{ kind: "heading", level: 2, text }]);
    expect(nodes.map((node) => node.request.type)).toEqual(["heading_2", "paragraph"]);
  });
});

describe("reading blocks the model has no kind for", () => {
  const meta = (hasChildren = false) => blockMeta("22222222-2222-4222-8222-222222222222", PAGE, hasChildren);

  it("reads a toggle as a paragraph of its styled text, with its children", () => {
    const toggle: BlockObjectResponse = {
      ...meta(true),
      type: "toggle",
      toggle: { rich_text: [plain("Details")], color: "default" },
    };
    const child: Block = { kind: "paragraph", text: [{ kind: "text", text: "inside" }], children: [] };
    expect(blockFromNotion(toggle, [child])).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "Details" }],
      children: [child],
    });
  });

  it("reads code, equation, table rows, child pages, files and unsupported blocks as text", () => {
    const code: BlockObjectResponse = {
      ...meta(),
      type: "code",
      code: { rich_text: [plain("npm test")], caption: [], language: "shell" },
    };
    const equation: BlockObjectResponse = { ...meta(), type: "equation", equation: { expression: "e=mc^2" } };
    const row: BlockObjectResponse = {
      ...meta(),
      type: "table_row",
      table_row: { cells: [[plain("a")], [plain("b")]] },
    };
    const page: BlockObjectResponse = { ...meta(true), type: "child_page", child_page: { title: "Notes" } };
    const image: BlockObjectResponse = {
      ...meta(),
      type: "image",
      image: { type: "external", external: { url: "https://x.test/a.png" }, caption: [] },
    };
    const unsupported: BlockObjectResponse = {
      ...meta(),
      type: "unsupported",
      unsupported: { block_type: "ai_block" },
    };
    expect(blockFromNotion(code)).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "npm test" }],
      children: [],
    });
    expect(blockFromNotion(equation)).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "e=mc^2" }],
      children: [],
    });
    expect(blockFromNotion(row)).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "a | b" }],
      children: [],
    });
    expect(blockFromNotion(page)).toEqual({
      kind: "paragraph",
      text: [{ kind: "mention", text: "Notes", mention: { type: "page", pageId: page.id } }],
      children: [],
    });
    expect(blockFromNotion(image)).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "[image]" }],
      children: [],
    });
    expect(blockFromNotion(unsupported)).toEqual({ kind: "paragraph", text: [], children: [] });
    // A child page's content is another document: never loaded as this block's children.
    expect(hasOwnChildren(page)).toBe(false);
  });

  it("reads a partial block (id only) as an empty paragraph rather than failing", () => {
    expect(blockFromNotion({ object: "block", id: PAGE })).toEqual({
      kind: "paragraph",
      text: [],
      children: [],
    });
  });

  it("reads heading_4 as a level-3 heading and knows toggleable headings", () => {
    const h4: BlockObjectResponse = {
      ...meta(true),
      type: "heading_4",
      heading_4: { rich_text: [plain("Small")], color: "default", is_toggleable: true },
    };
    expect(blockFromNotion(h4)).toEqual({
      kind: "heading",
      level: 3,
      text: [{ kind: "text", text: "Small" }],
    });
    expect(isToggleableHeading(h4)).toBe(true);
  });
});
