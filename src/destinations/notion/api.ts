// Owns the typed Notion calls the destination makes and the one core they all go through: `call` sends a
// request with the run's SDK client (pace, retries and counts are client.ts's) and checks its answer with
// a zod schema, so an answer that lacks what we depend on fails as an UnexpectedResponseError naming the
// endpoint and the first wrong field, never as a crash further on. Notion's own refusals are left as the
// SDK throws them: callers turn them into DestinationErrors (errors.ts) with what the request was about.
import type {
  AppendBlockChildrenParameters,
  CreateDatabaseParameters,
  CreatePageParameters,
  QueryDataSourceParameters,
  UpdateBlockParameters,
  UpdatePageParameters,
} from "@notionhq/client";
import * as z from "zod";
import type { NotionClient } from "./client";
import { parseResponse } from "./errors";
import { blockListSchema, type ListedBlock } from "./read";

/** Notion's endpoints as the client names them in call counts (client.ts `endpointKey`). */
export const NOTION_ENDPOINTS = {
  retrieveDatabase: "GET /v1/databases/:id",
  createDatabase: "POST /v1/databases",
  retrieveDataSource: "GET /v1/data_sources/:id",
  queryDataSource: "POST /v1/data_sources/:id/query",
  listBlockChildren: "GET /v1/blocks/:id/children",
  appendBlockChildren: "PATCH /v1/blocks/:id/children",
  retrieveBlock: "GET /v1/blocks/:id",
  updateBlock: "PATCH /v1/blocks/:id",
  createPage: "POST /v1/pages",
  updatePage: "PATCH /v1/pages/:id",
} as const;

/** One Notion request: the endpoint it names, the schema its answer must match, and how to send it. */
export interface NotionCall<T extends z.ZodType> {
  endpoint: string;
  schema: T;
  send(): Promise<unknown>;
}

/** The one way a Notion answer is taken in: sent, then checked against the call's schema. */
export async function call<T extends z.ZodType>(spec: NotionCall<T>): Promise<z.output<T>> {
  return parseResponse(spec.schema, await spec.send(), `Notion's answer to ${spec.endpoint}`);
}

const dataSourceRefSchema = z.looseObject({ id: z.string(), name: z.string().optional() });
const databaseSchema = z.looseObject({
  url: z.string().optional(),
  in_trash: z.boolean().optional(),
  data_sources: z.array(dataSourceRefSchema),
});
const createdDatabaseSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  data_sources: z.array(z.looseObject({ id: z.string() })).min(1),
});
const dataSourceSchema = z.looseObject({
  in_trash: z.boolean().optional(),
  properties: z.record(z.string(), z.looseObject({ type: z.string() })),
});
const pageRefSchema = z.looseObject({ object: z.literal("page"), id: z.string(), url: z.string() });
const queryPageSchema = pageRefSchema.extend({
  properties: z.record(z.string(), z.unknown()),
  in_trash: z.boolean().optional(),
  parent: z.looseObject({ database_id: z.string().optional() }).optional(),
});
/** A query result: a page, checked whole, or null for anything else (a data source lists only pages today). */
const queryResultSchema = z.looseObject({ object: z.string() }).transform((result, ctx) => {
  if (result.object !== "page") return null;
  const page = queryPageSchema.safeParse(result);
  if (page.success) return page.data;
  for (const issue of page.error.issues) {
    ctx.issues.push({ code: "custom", message: issue.message, path: issue.path, input: result });
  }
  return z.NEVER;
});
const queryListSchema = z.looseObject({
  results: z.array(queryResultSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
const appendSchema = z.looseObject({ results: z.array(z.looseObject({ id: z.string() })) });
const blockParentSchema = z.looseObject({
  parent: z.looseObject({ page_id: z.string().optional(), block_id: z.string().optional() }),
});
// Updates are sent for their effect; nothing in their answer is read, so nothing is asked of it.
const unreadSchema = z.unknown().transform(() => undefined);

/** A database as retrieved: the data sources it holds. */
export type NotionDatabase = z.output<typeof databaseSchema>;
/** A data source as retrieved: its properties' types. */
export type NotionDataSource = z.output<typeof dataSourceSchema>;
/** A page a data source query found. */
export type QueryPage = z.output<typeof queryPageSchema>;
/** One page of a data source query's results; results that are not pages are null. */
type QueryList = z.output<typeof queryListSchema>;

/** The calls the Notion destination makes, each answer checked. */
export interface NotionApi {
  retrieveDatabase(databaseId: string): Promise<NotionDatabase>;
  createDatabase(params: CreateDatabaseParameters): Promise<z.output<typeof createdDatabaseSchema>>;
  retrieveDataSource(dataSourceId: string): Promise<NotionDataSource>;
  queryDataSource(params: QueryDataSourceParameters): Promise<QueryList>;
  /** One page of a block's children (100 at most), and the cursor of the next when there is more. */
  listBlockChildren(
    blockId: string,
    cursor?: string,
  ): Promise<{ results: ListedBlock[]; nextCursor: string | null }>;
  /** The appended first-level blocks' ids, in order. */
  appendBlockChildren(params: AppendBlockChildrenParameters): Promise<string[]>;
  retrieveBlock(blockId: string): Promise<z.output<typeof blockParentSchema>>;
  updateBlock(params: UpdateBlockParameters): Promise<void>;
  createPage(params: CreatePageParameters): Promise<z.output<typeof pageRefSchema>>;
  updatePage(params: UpdatePageParameters): Promise<void>;
}

/** The typed calls over `client`'s SDK. */
export function notionApi(client: NotionClient): NotionApi {
  const sdk = client.sdk;
  const E = NOTION_ENDPOINTS;
  return {
    retrieveDatabase: (databaseId) =>
      call({
        endpoint: E.retrieveDatabase,
        schema: databaseSchema,
        send: () => sdk.databases.retrieve({ database_id: databaseId }),
      }),
    createDatabase: (params) =>
      call({
        endpoint: E.createDatabase,
        schema: createdDatabaseSchema,
        send: () => sdk.databases.create(params),
      }),
    retrieveDataSource: (dataSourceId) =>
      call({
        endpoint: E.retrieveDataSource,
        schema: dataSourceSchema,
        send: () => sdk.dataSources.retrieve({ data_source_id: dataSourceId }),
      }),
    queryDataSource: (params) =>
      call({
        endpoint: E.queryDataSource,
        schema: queryListSchema,
        send: () => sdk.dataSources.query(params),
      }),
    listBlockChildren: (blockId, cursor) =>
      call({
        endpoint: E.listBlockChildren,
        schema: blockListSchema,
        send: () =>
          sdk.blocks.children.list({
            block_id: blockId,
            page_size: 100,
            ...(cursor === undefined ? {} : { start_cursor: cursor }),
          }),
      }),
    appendBlockChildren: async (params) => {
      const answer = await call({
        endpoint: E.appendBlockChildren,
        schema: appendSchema,
        send: () => sdk.blocks.children.append(params),
      });
      return answer.results.map((block) => block.id);
    },
    retrieveBlock: (blockId) =>
      call({
        endpoint: E.retrieveBlock,
        schema: blockParentSchema,
        send: () => sdk.blocks.retrieve({ block_id: blockId }),
      }),
    updateBlock: (params) =>
      call({ endpoint: E.updateBlock, schema: unreadSchema, send: () => sdk.blocks.update(params) }),
    createPage: (params) =>
      call({ endpoint: E.createPage, schema: pageRefSchema, send: () => sdk.pages.create(params) }),
    updatePage: (params) =>
      call({ endpoint: E.updatePage, schema: unreadSchema, send: () => sdk.pages.update(params) }),
  };
}
