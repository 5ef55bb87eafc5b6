// POST /v1/pages, GET /v1/pages/:id and PATCH /v1/pages/:id.

import { asRecord, isRecord } from "../../common/json";
import { NotionApiError } from "../errors";
import { normalizeId, requirePathId } from "../ids";
import { pageJson } from "../store/render";
import type { NewPage, Position } from "../store/workspace";
import type { ApiHandler } from "./context";

function bodyId(raw: unknown, path: string): string {
  const id = typeof raw === "string" ? normalizeId(raw) : undefined;
  if (id === undefined) {
    throw NotionApiError.validation(
      `body failed validation: ${path} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

function pagePosition(raw: unknown): Position | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === "page_start") return { type: "start" };
  if (raw.type === "after_block") {
    return { type: "after", id: bodyId(asRecord(raw.after_block).id, "body.position.after_block.id") };
  }
  return { type: "end" };
}

export const createPage: ApiHandler = ({ ws, integration, body }) => {
  if (body.markdown !== undefined) throw NotionApiError.unsupported("markdown page content");
  if (isRecord(body.template) && body.template.type !== "none")
    throw NotionApiError.unsupported("page templates");
  if (body.children !== undefined && body.content !== undefined) {
    throw NotionApiError.validation(
      "body failed validation: only one of body.children and body.content may be set.",
    );
  }
  const parent = body.parent;
  if (!isRecord(parent)) {
    throw NotionApiError.validation(
      "body failed validation: body.parent should be defined, instead was `undefined`.",
    );
  }
  let target: NewPage["parent"];
  if (parent.data_source_id !== undefined) {
    const dataSource = ws.requireDataSource(
      bodyId(parent.data_source_id, "body.parent.data_source_id"),
      integration,
    );
    target = { type: "data_source_id", id: dataSource.id };
  } else if (parent.database_id !== undefined) {
    const database = ws.requireDatabase(bodyId(parent.database_id, "body.parent.database_id"), integration);
    const only = database.dataSourceIds.length === 1 ? database.dataSourceIds[0] : undefined;
    if (only === undefined) {
      throw NotionApiError.validation(
        "Databases with multiple data sources are not supported in this API version. Use a data_source_id parent.",
      );
    }
    target = { type: "data_source_id", id: only };
  } else if (parent.page_id !== undefined) {
    const page = ws.requirePage(bodyId(parent.page_id, "body.parent.page_id"), integration);
    target = { type: "page_id", id: page.id };
  } else {
    target = { type: "workspace" };
  }
  const children = body.children ?? body.content;
  const page = ws.createPage(
    {
      parent: target,
      properties: body.properties,
      children: Array.isArray(children) ? children : undefined,
      icon: body.icon,
      cover: body.cover,
      position: pagePosition(body.position),
    },
    { actor: integration.botUserId, path: "body" },
  );
  // Inside a database or page the new page inherits access; at the root nothing would grant it.
  if (target.type === "workspace") integration.shared.add(page.id);
  return pageJson(ws, page.id);
};

export const getPage: ApiHandler = ({ ws, integration, id }) => {
  const page = ws.requirePage(requirePathId(id, "page_id"), integration);
  return pageJson(ws, page.id);
};

export const updatePage: ApiHandler = ({ ws, integration, id, body }) => {
  const page = ws.requirePage(requirePathId(id, "page_id"), integration);
  if (body.template !== undefined) throw NotionApiError.unsupported("page templates");
  if (body.erase_content === true) {
    for (const child of ws.liveChildren(page.id)) child.inTrash = true;
  }
  const trash = [body.in_trash, body.archived, body.is_archived].find((v) => typeof v === "boolean");
  ws.updatePage(
    page.id,
    {
      properties: body.properties,
      inTrash: typeof trash === "boolean" ? trash : undefined,
      icon: body.icon,
      cover: body.cover,
      isLocked: typeof body.is_locked === "boolean" ? body.is_locked : undefined,
    },
    { actor: integration.botUserId },
  );
  return pageJson(ws, page.id);
};
