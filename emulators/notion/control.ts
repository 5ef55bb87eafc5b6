// A typed client for the emulator's control API, over fetch only, so workerd tests and Node scripts share it.

import type { PageObjectResponse, UpdateBlockParameters } from "@notionhq/client";
import { controlTransport, EmulatorControlError } from "../common/control";
import type {
  BlockTreeNode,
  CallCounts,
  FaultInfo,
  FaultSpec,
  IntegrationInfo,
  IntegrationSpec,
  PersonOptions,
  PropertyValues,
  RequestRecord,
  SeedBlock,
  SeedDatabaseSpec,
  SeedDataSourceSpec,
  SeededDatabase,
  SeededDataSource,
  SeededPage,
  SeedStandalonePageSpec,
  UserInfo,
  UserSpec,
} from "./control-types";

export type * from "./control-types";

/** The body of PATCH /v1/blocks/:id, without the path parameter. */
type BlockUpdate = Omit<UpdateBlockParameters, "block_id">;

export interface NotionControl {
  readonly url: string;
  /**
   * Forget everything: workspace, integrations, calls, faults and violations. Test files share one
   * emulator, so tests should not call this; a fresh integration per test isolates them instead.
   */
  reset(): Promise<void>;
  createIntegration(spec?: IntegrationSpec): Promise<IntegrationInfo>;
  createUser(spec: UserSpec): Promise<UserInfo>;
  users(): Promise<UserInfo[]>;
  /** Creates a database with one data source and its pages; shares it with `token` when given. */
  seedDatabase(token: string | undefined, spec: SeedDatabaseSpec): Promise<SeededDatabase>;
  /** Adds another data source, with its own schema, to a seeded database. */
  addDataSource(databaseId: string, spec: SeedDataSourceSpec): Promise<SeededDataSource>;
  /** Creates one page (in a database, under a page, or at the root); shares it with `token` when given. */
  seedPage(token: string | undefined, spec: SeedStandalonePageSpec): Promise<SeededPage>;
  share(token: string, id: string): Promise<void>;
  unshare(token: string, id: string): Promise<void>;
  /** The page as GET /v1/pages/:id returns it, regardless of sharing. */
  page(pageId: string): Promise<PageObjectResponse>;
  /** Live (not trashed) pages of a data source, in creation order. */
  pages(dataSourceId: string): Promise<PageObjectResponse[]>;
  /** The stored block tree of a page in Notion's JSON, children inlined. */
  blockTree(pageId: string): Promise<BlockTreeNode[]>;
  /** Person-side edits: what someone does in the Notion app between runs. */
  editBlock(blockId: string, update: BlockUpdate, options?: PersonOptions): Promise<BlockTreeNode>;
  tickTodo(blockId: string, checked?: boolean, options?: PersonOptions): Promise<BlockTreeNode>;
  editText(blockId: string, type: string, text: string, options?: PersonOptions): Promise<BlockTreeNode>;
  addBlocks(
    parentId: string,
    children: SeedBlock[],
    options?: PersonOptions & { after?: string },
  ): Promise<BlockTreeNode[]>;
  deleteBlock(blockId: string, options?: PersonOptions): Promise<BlockTreeNode>;
  updatePage(
    pageId: string,
    patch: { properties?: PropertyValues; in_trash?: boolean },
    options?: PersonOptions,
  ): Promise<PageObjectResponse>;
  /** Calls per endpoint for one integration, e.g. `{ "POST /v1/data_sources/:id/query": 3 }`. */
  calls(token: string): Promise<CallCounts>;
  /** One integration's requests in arrival order, with the emulator's arrival times and its answers. */
  requests(token: string): Promise<RequestRecord[]>;
  /** Forgets the call counts and the requests (of one integration, or all). */
  resetCalls(token?: string): Promise<void>;
  /** Schema violations and emulator gaps recorded so far (for one integration, or all). */
  violations(token?: string): Promise<string[]>;
  /** Clears and returns them, for tests that provoke a violation on purpose. */
  clearViolations(token?: string): Promise<string[]>;
  addFault(fault: FaultSpec): Promise<FaultInfo>;
  faults(): Promise<FaultInfo[]>;
  clearFaults(): Promise<void>;
  /** The human view of a page: Markdown, or HTML. */
  view(pageId: string, format?: "markdown" | "html"): Promise<string>;
}

export class ControlApiError extends EmulatorControlError {
  constructor(status: number, body: unknown) {
    super("emulator", status, body);
  }
}

/** `baseUrl` is the emulator URL, e.g. `inject("notionUrl")`. */
export function notionControl(baseUrl: string, fetchImpl: typeof fetch = fetch): NotionControl {
  const { root, call, text } = controlTransport(
    baseUrl,
    fetchImpl,
    (status, body) => new ControlApiError(status, body),
  );

  const q = (token: string | undefined) => (token === undefined ? "" : `?token=${encodeURIComponent(token)}`);
  const person = (options: PersonOptions | undefined) =>
    options?.as === undefined ? {} : { as: options.as };

  return {
    url: root,
    reset: async () => {
      await call("POST", "/reset");
    },
    // JSON has no Infinity; null carries "no limit" across.
    createIntegration: (spec = {}) =>
      call("POST", "/integrations", {
        ...spec,
        ...(spec.requestsPerSecond === Number.POSITIVE_INFINITY ? { requestsPerSecond: null } : {}),
      }),
    createUser: (spec) => call("POST", "/users", spec),
    users: () => call("GET", "/users"),
    seedDatabase: (token, spec) => call("POST", "/databases", { ...spec, token }),
    addDataSource: (databaseId, spec) => call("POST", `/databases/${databaseId}/data_sources`, spec),
    seedPage: (token, spec) => call("POST", "/pages", { ...spec, token }),
    share: async (token, id) => {
      await call("POST", "/share", { token, id });
    },
    unshare: async (token, id) => {
      await call("POST", "/unshare", { token, id });
    },
    page: (pageId) => call("GET", `/pages/${pageId}`),
    pages: (dataSourceId) => call("GET", `/data_sources/${dataSourceId}/pages`),
    blockTree: (pageId) => call("GET", `/pages/${pageId}/blocks`),
    editBlock: (blockId, update, options) =>
      call("PATCH", `/blocks/${blockId}`, { ...update, ...person(options) }),
    tickTodo: (blockId, checked = true, options) =>
      call("PATCH", `/blocks/${blockId}`, { to_do: { checked }, ...person(options) }),
    editText: (blockId, type, text, options) =>
      call("PATCH", `/blocks/${blockId}`, {
        [type]: { rich_text: [{ type: "text", text: { content: text } }] },
        ...person(options),
      }),
    addBlocks: (parentId, children, options) =>
      call("POST", `/blocks/${parentId}/children`, {
        children,
        ...(options?.after === undefined ? {} : { after: options.after }),
        ...person(options),
      }),
    deleteBlock: (blockId, options) =>
      call("DELETE", `/blocks/${blockId}${options?.as ? `?as=${options.as}` : ""}`),
    updatePage: (pageId, patch, options) =>
      call("PATCH", `/pages/${pageId}`, { ...patch, ...person(options) }),
    calls: (token) => call("GET", `/calls${q(token)}`),
    requests: (token) => call("GET", `/requests${q(token)}`),
    resetCalls: async (token) => {
      await call("DELETE", `/calls${q(token)}`);
    },
    violations: (token) => call("GET", `/violations${q(token)}`),
    clearViolations: (token) => call("DELETE", `/violations${q(token)}`),
    addFault: (fault) => call("POST", "/faults", fault),
    faults: () => call("GET", "/faults"),
    clearFaults: async () => {
      await call("DELETE", "/faults");
    },
    view: (pageId, format = "markdown") =>
      text(`/view/pages/${pageId}${format === "html" ? "?format=html" : ""}`),
  };
}

// ---- builders for Notion's request JSON, to keep seeds short -------------------------------------

/** `{ title: [text] }` for a title property. */
export function title(text: string): { title: Array<{ text: { content: string } }> } {
  return { title: [{ text: { content: text } }] };
}

export function richText(text: string): { rich_text: Array<{ text: { content: string } }> } {
  return { rich_text: [{ text: { content: text } }] };
}

export function date(
  start: string,
  end: string | null = null,
): { date: { start: string; end: string | null } } {
  return { date: { start, end } };
}

export function select(name: string): { select: { name: string } } {
  return { select: { name } };
}

export function checkbox(checked: boolean): { checkbox: boolean } {
  return { checkbox: checked };
}

/** A to-do block; `children` nest sub-items. */
export function todo(text: string, checked = false, children: SeedBlock[] = []): SeedBlock {
  return {
    to_do: { rich_text: [{ text: { content: text } }], checked, ...(children.length ? { children } : {}) },
  };
}

export function paragraph(text: string): SeedBlock {
  return { paragraph: { rich_text: [{ text: { content: text } }] } };
}

export function heading(level: 1 | 2 | 3, text: string, children: SeedBlock[] = []): SeedBlock {
  const key = `heading_${level}`;
  return {
    [key]: {
      rich_text: [{ text: { content: text } }],
      ...(children.length ? { is_toggleable: true, children } : {}),
    },
  };
}

export function bullet(text: string, children: SeedBlock[] = []): SeedBlock {
  return {
    bulleted_list_item: {
      rich_text: [{ text: { content: text } }],
      ...(children.length ? { children } : {}),
    },
  };
}
