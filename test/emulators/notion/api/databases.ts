// GET /v1/databases/:id, GET /v1/data_sources/:id and POST /v1/data_sources/:id/query.

import { NotionApiError } from "../errors";
import { compileFilter, compileSorts, type Row } from "../filters";
import { requirePathId } from "../ids";
import { databaseJson, dataSourceJson, listJson, pageJson } from "../store/render";
import { type ApiHandler, pageSize, paginate } from "./context";

export const getDatabase: ApiHandler = ({ ws, integration, id }) => {
  const database = ws.requireDatabase(requirePathId(id, "database_id"), integration);
  return databaseJson(ws, database.id);
};

export const getDataSource: ApiHandler = ({ ws, integration, id }) => {
  const dataSource = ws.requireDataSource(requirePathId(id, "data_source_id"), integration);
  return dataSourceJson(ws, dataSource.id);
};

export const queryDataSource: ApiHandler = ({ ws, integration, id, body }) => {
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
  const sorted = rows.filter(matches).sort(compare);
  const { page, nextCursor } = paginate(sorted, body.start_cursor, size);
  return listJson(
    page.map((row) => pageJson(ws, row.id)),
    nextCursor,
    "page_or_data_source",
  );
};
