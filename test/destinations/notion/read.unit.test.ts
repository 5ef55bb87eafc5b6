// Reading an earlier agenda: only the open to-dos under carried headings, with their sub-items, in as few
// "retrieve block children" calls as the page allows.
import type { BlockObjectResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { call, NOTION_ENDPOINTS } from "../../../src/destinations/notion/api";
import { blockListSchema, readOpenTodos } from "../../../src/destinations/notion/read";
import { notionModel } from "./notion-model";

const notion = notionModel();
/** The page being read, by name: trees below are keyed by block names, and calls are reported by name. */
const PAGE = "page-0";

/** A block to write, named so the tests can speak of it. */
interface Named {
  name: string;
  request: object;
}

const text = (content: string) => [{ type: "text", text: { content } }];

function heading(name: string, title: string, options: { level?: 1 | 2 | 3; toggle?: boolean } = {}): Named {
  const type = `heading_${options.level ?? 2}`;
  return {
    name,
    request: { type, [type]: { rich_text: text(title), is_toggleable: options.toggle ?? false } },
  };
}

/** Whether it has children is what the tree below gives it, as in Notion. */
function todo(name: string, title: string, checked = false): Named {
  return { name, request: { type: "to_do", to_do: { rich_text: text(title), checked } } };
}

function para(name: string, title: string): Named {
  return { name, request: { type: "paragraph", paragraph: { rich_text: text(title) } } };
}

/**
 * Writes the tree (PAGE's blocks, then each named block's children) into a new page of the Notion
 * emulator's store, and lists children from it as "retrieve block children" does, logging each call by name.
 */
function fakeList(tree: Record<string, Named[]>) {
  const ids = new Map<string, string>([[PAGE, notion.page("1:1")]]);
  const names = new Map<string, string>();
  const pending = [PAGE];
  while (pending.length > 0) {
    const parent = pending.shift() ?? PAGE;
    const children = tree[parent] ?? [];
    const parentId = ids.get(parent);
    if (parentId === undefined || children.length === 0) continue;
    const written = notion.write(
      children.map((child) => child.request),
      parentId,
    );
    children.forEach((child, index) => {
      const id = written[index]?.block.id;
      if (id !== undefined) ids.set(child.name, id);
      pending.push(child.name);
    });
  }
  for (const [name, id] of ids) names.set(id, name);
  const calls: string[] = [];
  const list = async (blockId: string) => {
    calls.push(names.get(blockId) ?? blockId);
    return notion.children(blockId);
  };
  const id = (name: string) => ids.get(name) ?? name;
  return { list, calls, id, page: id(PAGE) };
}

/** One to-do as Notion returns it. */
function storedTodo(title: string): BlockObjectResponse {
  const block = notion.write([todo("t1", title).request])[0]?.block;
  if (block === undefined) throw new Error("nothing was written");
  return block;
}

describe("readOpenTodos", () => {
  it("happy: a flat page is one call; only unchecked to-dos under the carried heading come back", async () => {
    const { list, calls, page } = fakeList({
      [PAGE]: [
        para("p1", "Intro"),
        todo("t0", "not in a section"),
        heading("h1", "How did you feel about the week?"),
        todo("t1", "feelings to-do"),
        heading("h2", "✅ Action Items:"),
        todo("t2", "open item"),
        todo("t3", "done item", true),
        para("p2", "a note"),
        todo("t4", "second open item"),
        heading("h3", "Feedback"),
        todo("t5", "after the section"),
      ],
    });
    const items = await readOpenTodos(page, ["actions"], list);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["open item", "second open item"]);
    expect(items.discussion).toEqual([]);
    expect(calls).toEqual([PAGE]);
  });

  it("loads sub-items (checked or not, any depth) only for carried to-dos that have children", async () => {
    const { list, calls, page, id } = fakeList({
      [PAGE]: [
        heading("h1", "Action items"),
        todo("t1", "with subs", false),
        todo("t2", "done with subs", true),
        todo("t3", "plain"),
      ],
      t1: [todo("s1", "sub done", true), todo("s2", "sub open")],
      s1: [para("s1a", "deep note")],
      t2: [todo("x", "never read")],
    });
    const items = await readOpenTodos(page, ["actions"], list);
    expect(calls).toEqual([PAGE, "t1", "s1"]);
    // Each carried item names its block (live sync follows it); sub-items travel with it and need none.
    expect(items.actions).toEqual([
      {
        kind: "todo",
        id: id("t1"),
        checked: false,
        text: [{ kind: "text", text: "with subs" }],
        children: [
          {
            kind: "todo",
            checked: true,
            text: [{ kind: "text", text: "sub done" }],
            children: [{ kind: "paragraph", text: [{ kind: "text", text: "deep note" }], children: [] }],
          },
          { kind: "todo", checked: false, text: [{ kind: "text", text: "sub open" }], children: [] },
        ],
      },
      { kind: "todo", id: id("t3"), checked: false, text: [{ kind: "text", text: "plain" }], children: [] },
    ]);
  });

  it("opens a folded carried heading (its children are its section) but not folded headings elsewhere", async () => {
    const { list, calls, page, id } = fakeList({
      [PAGE]: [
        heading("h0", "Feedback", { toggle: true }),
        heading("h1", "Action items", { toggle: true }),
        heading("h2", "Discussion points"),
        todo("d1", "topic"),
        heading("h3", "Alice", { level: 3, toggle: true }),
        heading("h4", "Notes", { toggle: true }),
      ],
      h0: [todo("never", "feedback to-do")],
      h1: [todo("a1", "folded action"), todo("a2", "folded done", true)],
      h3: [todo("d2", "Alice's topic")],
      h4: [todo("never2", "notes to-do")],
    });
    const items = await readOpenTodos(page, ["actions", "discussion"], list);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["folded action"]);
    expect(items.actions.map((item) => item.id)).toEqual([id("a1")]);
    expect(items.discussion.map((item) => item.text[0]?.text)).toEqual(["topic", "Alice's topic"]);
    expect([...calls].sort()).toEqual([PAGE, "h1", "h3"].sort());
  });

  it("reads only the roles asked for", async () => {
    const { list, page } = fakeList({
      [PAGE]: [
        heading("h1", "Discussion"),
        todo("d1", "topic"),
        heading("h2", "Next steps"),
        todo("a1", "act"),
      ],
    });
    const items = await readOpenTodos(page, ["actions"], list);
    expect(items.actions.map((item) => item.text[0]?.text)).toEqual(["act"]);
    expect(items.discussion).toEqual([]);
  });
});

describe("blockListSchema", () => {
  const listed = (answer: unknown) =>
    call({ endpoint: NOTION_ENDPOINTS.listBlockChildren, schema: blockListSchema, send: async () => answer });

  it("accepts Notion's list shape and reports the next cursor only when there is more", async () => {
    const list = await listed({
      object: "list",
      results: [storedTodo("x")],
      has_more: true,
      next_cursor: "c2",
    });
    expect(list.nextCursor).toBe("c2");
    expect(list.results).toHaveLength(1);
    const last = await listed({ object: "list", results: [], has_more: false, next_cursor: "c3" });
    expect(last.nextCursor).toBeNull();
  });

  it("error: refuses a to-do without its checked flag, naming the endpoint and the field", async () => {
    const broken = { ...storedTodo("x"), to_do: { rich_text: [] } };
    await expect(listed({ results: [broken], has_more: false, next_cursor: null })).rejects.toThrow(
      /GET \/v1\/blocks\/:id\/children: results\.0 to_do\.checked/,
    );
  });
});
