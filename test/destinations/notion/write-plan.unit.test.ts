// The write plan: a whole agenda reaches Notion in few calls, and no request breaks Notion's limits
// (100 blocks per children array, 2 levels of children per request, 1,000 blocks per request).
import { describe, expect, it } from "vitest";
import {
  blocksToNotion,
  childrenOf,
  type NotionBlockRequest,
  type WriteNode,
  withChildren,
} from "../../../src/destinations/notion/blocks";
import {
  NestingTooDeepError,
  NOTION_WRITE_LIMITS,
  type WriteCalls,
  writePageBlocks,
} from "../../../src/destinations/notion/write-plan";
import type { Block } from "../../../src/domain/agenda";

function text(value: string) {
  return [{ kind: "text" as const, text: value }];
}

function whole(node: WriteNode): NotionBlockRequest {
  return withChildren(node.request, node.children.map(whole));
}

function strip(request: NotionBlockRequest): NotionBlockRequest {
  const copy = structuredClone(request);
  const payload: unknown = (copy as Record<string, unknown>)[copy.type];
  if (typeof payload === "object" && payload !== null && "children" in payload) delete payload.children;
  return copy;
}

function depthBelow(request: NotionBlockRequest): number {
  const children = childrenOf(request);
  return children.length === 0 ? 0 : 1 + Math.max(...children.map(depthBelow));
}

function count(requests: readonly NotionBlockRequest[]): number {
  return requests.reduce((sum, request) => sum + 1 + count(childrenOf(request)), 0);
}

function widest(requests: readonly NotionBlockRequest[]): number {
  return Math.max(requests.length, ...requests.map((request) => widest(childrenOf(request))));
}

/** A fake Notion that keeps the tree, checks every request against the limits, and records the calls. */
function fakeNotion(options: { maxDepth?: number } = {}) {
  const store = new Map<string, { request: NotionBlockRequest; children: string[] }>();
  const log: { call: "create" | "append"; parentId: string; requests: NotionBlockRequest[] }[] = [];
  let ids = 0;
  const insert = (parentId: string, requests: readonly NotionBlockRequest[]): string[] =>
    requests.map((request) => {
      ids += 1;
      const id = `block-${ids}`;
      store.set(id, { request: strip(request), children: [] });
      store.get(parentId)?.children.push(id);
      insert(id, childrenOf(request));
      return id;
    });
  const refused: NotionBlockRequest[][] = [];
  const check = (requests: NotionBlockRequest[]) => {
    if (
      options.maxDepth !== undefined &&
      requests.some((request) => depthBelow(request) > (options.maxDepth ?? 0))
    ) {
      refused.push(requests);
      throw new NestingTooDeepError();
    }
    expect(requests.length).toBeLessThanOrEqual(NOTION_WRITE_LIMITS.maxChildren);
    expect(widest(requests)).toBeLessThanOrEqual(100);
    for (const request of requests) expect(depthBelow(request)).toBeLessThanOrEqual(2);
    expect(count(requests)).toBeLessThanOrEqual(1000);
    expect(new TextEncoder().encode(JSON.stringify(requests)).length).toBeLessThan(500_000);
  };
  const finished: { pageId: string; complete: boolean; appendsBefore: number }[] = [];
  let complete = false;
  const calls: WriteCalls = {
    async create(children, completeFlag) {
      check(children);
      complete = completeFlag;
      log.push({ call: "create", parentId: "page", requests: children });
      store.set("page", {
        request: strip({ object: "block", type: "paragraph", paragraph: { rich_text: [] } }),
        children: [],
      });
      insert("page", children);
      return "page";
    },
    async append(parentId, children) {
      check(children);
      expect(store.has(parentId)).toBe(true);
      log.push({ call: "append", parentId, requests: children });
      return insert(parentId, children);
    },
    async finish(pageId) {
      finished.push({
        pageId,
        complete,
        appendsBefore: log.filter((entry) => entry.call === "append").length,
      });
    },
  };
  const tree = (id = "page"): NotionBlockRequest[] =>
    (store.get(id)?.children ?? []).map((child) => {
      const entry = store.get(child);
      if (entry === undefined) throw new Error("lost block");
      return withChildren(entry.request, tree(child));
    });
  return { calls, log, tree, refused, finished };
}

/** A chain `levels` deep: a to-do with a bullet under it with a bullet under it ... */
function chain(label: string, levels: number): Block {
  let block: Block = { kind: "paragraph", text: text(`${label} level ${levels}`), children: [] };
  for (let level = levels - 1; level >= 1; level -= 1) {
    block =
      level === 1
        ? { kind: "todo", checked: false, text: text(`${label} level 1`), children: [block] }
        : { kind: "bullet", text: text(`${label} level ${level}`), children: [block] };
  }
  return block;
}

describe("write plan", () => {
  it("happy: a small agenda is one page creation", async () => {
    const blocks: Block[] = [
      { kind: "heading", level: 2, text: text("Action items") },
      chain("carried", 3),
      { kind: "todo", checked: false, text: text("new"), children: [] },
    ];
    const notion = fakeNotion();
    await writePageBlocks(blocksToNotion(blocks), notion.calls);
    expect(notion.log.map((entry) => entry.call)).toEqual(["create"]);
    expect(notion.tree()).toEqual(blocksToNotion(blocks).map(whole));
    // One request is all or nothing: nothing to finish.
    expect(notion.finished).toEqual([]);
  });

  it("a 250-block agenda nested 4 levels deep: every request within limits, nothing lost, order kept", async () => {
    const blocks: Block[] = Array.from({ length: 250 }, (_, index) =>
      index % 25 === 24
        ? chain(`item ${index}`, 4)
        : { kind: "bullet", text: text(`item ${index}`), children: [] },
    );
    const nodes = blocksToNotion(blocks);
    const notion = fakeNotion();
    await writePageBlocks(nodes, notion.calls);
    expect(notion.tree()).toEqual(nodes.map(whole));
    // Page creation takes the 24 blocks before the first 4-level chain; 226 more go to the page in
    // appends of 100, 100 and 26 (whose answers give the chains' ids); each of the 10 chains then
    // gets its deeper levels appended under its to-do.
    expect(notion.log.map((entry) => [entry.call, entry.requests.length])).toEqual([
      ["create", 24],
      ["append", 100],
      ["append", 100],
      ["append", 26],
      ...Array.from({ length: 10 }, () => ["append", 1]),
    ]);
    // Created as unfinished, finished once, after the last append.
    expect(notion.finished).toEqual([{ pageId: "page", complete: false, appendsBefore: 13 }]);
  });

  it("a block with 150 children gets 100 with it and 50 appended under it", async () => {
    const wide: Block = {
      kind: "todo",
      checked: false,
      text: text("many"),
      children: Array.from({ length: 150 }, (_, index) => ({
        kind: "bullet" as const,
        text: text(`${index}`),
        children: [],
      })),
    };
    const nodes = blocksToNotion([{ kind: "heading", level: 2, text: text("Action items") }, wide]);
    const notion = fakeNotion();
    await writePageBlocks(nodes, notion.calls);
    expect(notion.tree()).toEqual(nodes.map(whole));
    expect(notion.log.map((entry) => [entry.call, count(entry.requests)])).toEqual([
      ["create", 1],
      ["append", 101],
      ["append", 50],
    ]);
  });

  it("keeps each request under 1,000 blocks", async () => {
    const blocks: Block[] = Array.from({ length: 60 }, (_, index) => ({
      kind: "bullet",
      text: text(`group ${index}`),
      children: Array.from({ length: 30 }, (_, child) => ({
        kind: "paragraph" as const,
        text: text(`${child}`),
        children: [],
      })),
    }));
    const nodes = blocksToNotion(blocks);
    const notion = fakeNotion();
    await writePageBlocks(nodes, notion.calls);
    expect(notion.tree()).toEqual(nodes.map(whole));
    expect(notion.log.map((entry) => count(entry.requests))).toEqual([992, 868]);
  });

  it("re-plans one level shallower when Notion refuses the nesting, losing nothing", async () => {
    const blocks: Block[] = [
      chain("a", 3),
      chain("b", 4),
      { kind: "bullet", text: text("tail"), children: [] },
    ];
    const nodes = blocksToNotion(blocks);
    const notion = fakeNotion({ maxDepth: 1 });
    await writePageBlocks(nodes, notion.calls);
    expect(notion.tree()).toEqual(nodes.map(whole));
    expect(notion.refused).toHaveLength(1);
    expect(notion.log.every((entry) => entry.requests.every((request) => depthBelow(request) <= 1))).toBe(
      true,
    );
  });

  it("an empty agenda still creates the page", async () => {
    const notion = fakeNotion();
    expect(await writePageBlocks([], notion.calls)).toBe("page");
    expect(notion.log).toHaveLength(1);
  });
});
