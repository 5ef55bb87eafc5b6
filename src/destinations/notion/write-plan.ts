// Owns how an agenda's blocks are spread over Notion calls: one page creation carrying as much as Notion
// accepts in one request, then appends for the rest. The limits (per Notion's request-limits page): at most
// 100 blocks in any children array, children nested at most 2 levels below a request's own blocks, 1,000
// blocks and 500 KB per request.
//
// Why the shape is what it is: to append children under a block we need its id, and the only write call
// that returns block ids is "append block children", which returns its first-level blocks (not their
// nested children; page creation returns only the page). So a block whose subtree does not fit in one
// request is written as a first-level block of an append, with as many of its children as fit, and its
// remaining children are appended to it afterwards. Page creation therefore carries the longest prefix of
// top-level blocks that fit whole; everything after goes through appends in order.
//
// "Two levels" is read as the SDK's request types have it (a block, its children, their children). Should
// Notion refuse that depth, the refused request changed nothing, so the plan drops a level and sends it
// again: one wasted call rather than an agenda that can never be written.
//
// A page that takes more than one request exists, half-written, between its creation and its last append;
// if an answer is lost there, a later run finds it. So the plan tells `create` whether appends follow,
// and calls `finish` once they all succeeded: the destination marks the page unfinished until then.
import { type NotionBlockRequest, type WriteNode, withChildren } from "./blocks";

/** What one Notion write request may hold. */
export interface WriteLimits {
  /** Blocks in any one children array. */
  maxChildren: number;
  /** Levels of children below a request's own (first-level) blocks. */
  maxDepth: number;
  /** Blocks in one request, at every level. */
  maxBlocks: number;
  /** Bytes of JSON for the blocks of one request (Notion's cap is 500 KB; headroom for the rest). */
  maxBytes: number;
}

/** Notion's documented limits, with headroom on the byte size. */
export const NOTION_WRITE_LIMITS: WriteLimits = {
  maxChildren: 100,
  maxDepth: 2,
  maxBlocks: 1000,
  maxBytes: 450_000,
};

/**
 * Thrown by a `WriteCalls` function when Notion refused a request for nesting children too deeply;
 * nothing was written, so the plan retries with one level less.
 */
export class NestingTooDeepError extends Error {
  constructor() {
    super("Notion refused the nesting depth of a request");
    this.name = "NestingTooDeepError";
  }
}

/** The write calls the plan needs; the destination binds them to the SDK. */
export interface WriteCalls {
  /**
   * Creates the page with these top-level blocks and returns its id. `complete` is false when appends
   * must follow: the page is then unfinished until `finish` (see the destination for how it is marked).
   */
  create(children: NotionBlockRequest[], complete: boolean): Promise<string>;
  /** Appends blocks under `parentId` (a page or block) and returns the new first-level blocks' ids, in order. */
  append(parentId: string, children: NotionBlockRequest[]): Promise<string[]>;
  /** The last write of a page whose creation was not complete, once every append has succeeded. */
  finish(pageId: string): Promise<void>;
}

interface Measure {
  /** Blocks in the subtree, the node included. */
  blocks: number;
  /** JSON bytes of the subtree. */
  bytes: number;
  /** Levels of children below the node: 0 for a leaf. */
  height: number;
  /** Some children array in the subtree is longer than one request accepts. */
  wide: boolean;
}

const encoder = new TextEncoder();

/** Plans and performs the writes for one page's blocks; see the file header for the shape. */
class WritePlan {
  #limits: WriteLimits;
  readonly #measures = new WeakMap<WriteNode, Measure>();
  readonly #ownBytes = new WeakMap<WriteNode, number>();

  constructor(limits: WriteLimits = NOTION_WRITE_LIMITS) {
    this.#limits = limits;
  }

  /**
   * Writes `nodes` as the content of a new page: `calls.create` once, then `calls.append` as needed and
   * `calls.finish` after them. `reservedBytes` is what the page creation request spends on other things
   * (properties).
   */
  async write(nodes: readonly WriteNode[], calls: WriteCalls, reservedBytes = 0): Promise<string> {
    let created: { pageId: string; next: number } | null = null;
    while (created === null) {
      const prefix = this.#createPrefix(nodes, reservedBytes);
      try {
        // The prefix holds whole subtrees only: taking every node means nothing is left to append.
        const complete = prefix.next === nodes.length;
        created = { pageId: await calls.create(prefix.requests, complete), next: prefix.next };
      } catch (error) {
        if (!this.#shallower(error)) throw error;
      }
    }
    if (created.next === nodes.length) return created.pageId;
    const queue: { parentId: string; nodes: readonly WriteNode[] }[] = [
      { parentId: created.pageId, nodes: nodes.slice(created.next) },
    ];
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      await this.#appendAll(job.parentId, job.nodes, calls, queue);
    }
    await calls.finish(created.pageId);
    return created.pageId;
  }

  /** The longest prefix of top-level blocks that fit whole in the page creation request. */
  #createPrefix(nodes: readonly WriteNode[], reservedBytes: number) {
    const limits = this.#limits;
    const requests: NotionBlockRequest[] = [];
    let blocks = 0;
    let bytes = reservedBytes;
    for (const node of nodes) {
      if (requests.length >= limits.maxChildren || !this.#isWhole(node, limits.maxDepth)) break;
      const measure = this.#measure(node);
      if (blocks + measure.blocks > limits.maxBlocks || bytes + measure.bytes > limits.maxBytes) break;
      requests.push(this.#whole(node));
      blocks += measure.blocks;
      bytes += measure.bytes;
    }
    return { requests, next: requests.length };
  }

  /** After Notion refused our depth: plan with one level less, if there is one to give. */
  #shallower(error: unknown): boolean {
    if (!(error instanceof NestingTooDeepError) || this.#limits.maxDepth <= 1) return false;
    this.#limits = { ...this.#limits, maxDepth: this.#limits.maxDepth - 1 };
    return true;
  }

  /** Appends `nodes` under `parentId` in as few calls as fit, queueing what must go under a new block. */
  async #appendAll(
    parentId: string,
    nodes: readonly WriteNode[],
    calls: WriteCalls,
    queue: { parentId: string; nodes: readonly WriteNode[] }[],
  ): Promise<void> {
    let index = 0;
    while (index < nodes.length) {
      const limits = this.#limits;
      const requests: NotionBlockRequest[] = [];
      const rests: WriteNode[][] = [];
      const budget = { blocks: limits.maxBlocks, bytes: limits.maxBytes };
      let end = index;
      for (
        let node = nodes[end];
        node !== undefined && requests.length < limits.maxChildren;
        node = nodes[end]
      ) {
        const item = this.#firstLevel(node, budget, requests.length === 0);
        if (item === null) break;
        requests.push(item.request);
        rests.push(item.rest);
        end += 1;
      }
      let ids: string[];
      try {
        ids = await calls.append(parentId, requests);
      } catch (error) {
        if (this.#shallower(error)) continue;
        throw error;
      }
      if (ids.length !== requests.length) {
        throw new Error(`Notion returned ${ids.length} block ids for ${requests.length} appended blocks`);
      }
      rests.forEach((rest, position) => {
        const id = ids[position];
        if (rest.length > 0 && id !== undefined) queue.push({ parentId: id, nodes: rest });
      });
      index = end;
    }
  }

  /**
   * `node` as a first-level block of an append: with the longest prefix of its children that fit whole
   * one level down, and the children left for a later append under it. Null when it does not fit the
   * request's remaining budget (never for the first block of a request, so every request makes progress).
   */
  #firstLevel(
    node: WriteNode,
    budget: { blocks: number; bytes: number },
    first: boolean,
  ): { request: NotionBlockRequest; rest: WriteNode[] } | null {
    const limits = this.#limits;
    const own = this.#own(node);
    if (!first && (budget.blocks < 1 || budget.bytes < own)) return null;
    let blocks = 1;
    let bytes = own;
    const carried: NotionBlockRequest[] = [];
    for (const child of node.children) {
      if (carried.length >= limits.maxChildren || !this.#isWhole(child, limits.maxDepth - 1)) break;
      const measure = this.#measure(child);
      if (blocks + measure.blocks > budget.blocks || bytes + measure.bytes > budget.bytes) break;
      carried.push(this.#whole(child));
      blocks += measure.blocks;
      bytes += measure.bytes;
    }
    budget.blocks -= blocks;
    budget.bytes -= bytes;
    return { request: withChildren(node.request, carried), rest: node.children.slice(carried.length) };
  }

  /** Whether the node's whole subtree can ride in one request with `depthLeft` levels below it. */
  #isWhole(node: WriteNode, depthLeft: number): boolean {
    const measure = this.#measure(node);
    return (
      measure.height <= depthLeft &&
      !measure.wide &&
      measure.blocks <= this.#limits.maxBlocks &&
      measure.bytes <= this.#limits.maxBytes
    );
  }

  #whole(node: WriteNode): NotionBlockRequest {
    return withChildren(
      node.request,
      node.children.map((child) => this.#whole(child)),
    );
  }

  #own(node: WriteNode): number {
    let bytes = this.#ownBytes.get(node);
    if (bytes === undefined) {
      // The children key and brackets a request adds around nested blocks are covered by the headroom.
      bytes = encoder.encode(JSON.stringify(node.request)).length;
      this.#ownBytes.set(node, bytes);
    }
    return bytes;
  }

  #measure(node: WriteNode): Measure {
    const cached = this.#measures.get(node);
    if (cached !== undefined) return cached;
    const measure: Measure = {
      blocks: 1,
      bytes: this.#own(node),
      height: 0,
      wide: node.children.length > this.#limits.maxChildren,
    };
    for (const child of node.children) {
      const inner = this.#measure(child);
      measure.blocks += inner.blocks;
      measure.bytes += inner.bytes;
      measure.height = Math.max(measure.height, inner.height + 1);
      measure.wide ||= inner.wide;
    }
    this.#measures.set(node, measure);
    return measure;
  }
}

/** Writes a new page's blocks with Notion's limits; returns the page id. See `WritePlan`. */
export function writePageBlocks(
  nodes: readonly WriteNode[],
  calls: WriteCalls,
  options: { limits?: WriteLimits; reservedBytes?: number } = {},
): Promise<string> {
  return new WritePlan(options.limits).write(nodes, calls, options.reservedBytes ?? 0);
}
