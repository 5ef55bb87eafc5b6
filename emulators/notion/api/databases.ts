// POST /v1/databases, GET /v1/databases/:id, GET /v1/data_sources/:id and POST /v1/data_sources/:id/query.

import { asArray, asRecord, asString, isRecord } from "../../common/json";
import { NotionApiError } from "../errors";
import { compileFilter, compileSorts, type Row } from "../filters";
import { normalizeId, requirePathId } from "../ids";
import { databaseJson, dataSourceJson, listJson, pageJson } from "../store/render";
import { type ApiHandler, pageSize, paginate } from "./context";

/**
 * Create a database (2025-09-03): under a page shared with the integration (404 otherwise, as for any page
 * it cannot see), with one data source whose schema is `initial_data_source.properties`. Parents other
 * than a page (the workspace, for public integrations; a wiki data source) are not emulated.
 */
export const createDatabase: ApiHandler = ({ ws, integration, body }) => {
  const parent = asRecord(body.parent);
  if (parent.page_id === undefined) throw NotionApiError.unsupported("database parents other than a page");
  const pageId = typeof parent.page_id === "string" ? normalizeId(parent.page_id) : undefined;
  if (pageId === undefined) {
    throw NotionApiError.validation(
      `body failed validation: body.parent.page_id should be a valid uuid, instead was \`${JSON.stringify(parent.page_id)}\`.`,
    );
  }
  const page = ws.requirePage(pageId, integration);
  if (ws.inTrash(page.id)) {
    throw NotionApiError.validation(
      "Can't edit block that is archived. You must unarchive the block before editing.",
    );
  }
  const title = asArray(body.title)
    .map((item) =>
      isRecord(item) ? (asString(asRecord(item.text).content) ?? asString(item.plain_text) ?? "") : "",
    )
    .join("");
  const { database } = ws.createDatabase(
    {
      title,
      parentPageId: page.id,
      isInline: body.is_inline === true,
      properties: asRecord(asRecord(body.initial_data_source).properties),
    },
    integration.botUserId,
  );
  return databaseJson(ws, database.id);
};

export const getDatabase: ApiHandler = ({ ws, integration, id }) => {
  const database = ws.requireDatabase(requirePathId(id, "database_id"), integration);
  return databaseJson(ws, database.id);
};

export const getDataSource: ApiHandler = ({ ws, integration, id }) => {
  const dataSource = ws.requireDataSource(requirePathId(id, "data_source_id"), integration);
  return dataSourceJson(ws, dataSource.id);
};

export const queryDataSource: ApiHandler = ({ ws, integration, id, body, unfiltered }) => {
  const dataSource = ws.requireDataSource(requirePathId(id, "data_source_id"), integration);
  if (body.result_type === "data_source") throw NotionApiError.unsupported("result_type data_source");
  const ctx = {
    schema: dataSource.properties,
    now: ws.clock(),
    meId: integration.botUserId,
    userName: (userId: string) => ws.userName(userId) ?? "",
  };
  // Compiled before reading pages so a bad property name fails even on an empty data source.
  const matches = compileFilter(body.filter, ctx);
  const compare = compileSorts(body.sorts, ctx);
  const size = pageSize(body.page_size, "body");
  const wantTrash = body.in_trash === true || body.archived === true;
  const rows: Row[] = ws.pagesIn(dataSource.id).flatMap((page) => {
    const block = ws.blocks.get(page.id);
    if (block === undefined || block.inTrash !== wantTrash) return [];
    return [{ id: page.id, values: page.values, stamp: block, order: ws.order.get(page.id) ?? 0 }];
  });
  const sorted = (unfiltered === true ? rows : rows.filter(matches)).sort(compare);
  const { page, nextCursor } = paginate(sorted, body.start_cursor, size);
  return listJson(
    page.map((row) => pageJson(ws, row.id)),
    nextCursor,
    "page_or_data_source",
  );
};
