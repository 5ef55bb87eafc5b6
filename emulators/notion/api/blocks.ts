// Block endpoints: retrieve, update, delete, list children and append children.

import { asRecord, isRecord, type JsonObject } from "../../common/json";
import { NotionApiError } from "../errors";
import { normalizeId, requirePathId } from "../ids";
import { blockJson, listJson } from "../store/render";
import type { Position } from "../store/workspace";
import { type ApiHandler, pageSize, paginate } from "./context";

export const getBlock: ApiHandler = ({ ws, integration, id }) =>
  blockJson(ws, ws.requireBlock(requirePathId(id, "block_id"), integration));

export const updateBlock: ApiHandler = ({ ws, integration, id, body }) => {
  const block = ws.requireBlock(requirePathId(id, "block_id"), integration);
  return blockJson(ws, ws.updateBlock(block.id, body, { actor: integration.botUserId }));
};

export const deleteBlock: ApiHandler = ({ ws, integration, id }) => {
  const block = ws.requireBlock(requirePathId(id, "block_id"), integration);
  return blockJson(ws, ws.updateBlock(block.id, { in_trash: true }, { actor: integration.botUserId }));
};

export const listBlockChildren: ApiHandler = ({ ws, integration, id, query }) => {
  const block = ws.requireBlock(requirePathId(id, "block_id"), integration);
  const children = ws.liveChildren(block.id);
  const { page, nextCursor } = paginate(
    children,
    query.get("start_cursor"),
    pageSize(query.get("page_size"), "query"),
  );
  return listJson(
    page.map((child) => blockJson(ws, child)),
    nextCursor,
    "block",
  );
};

function afterId(raw: unknown, path: string): string {
  const id = typeof raw === "string" ? normalizeId(raw) : undefined;
  if (id === undefined) {
    throw NotionApiError.validation(
      `body failed validation: ${path} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

/** `position` (current) or the deprecated `after`; appending at the end otherwise. */
export function appendPosition(body: JsonObject): Position {
  if (body.after !== undefined) return { type: "after", id: afterId(body.after, "body.after") };
  const position = body.position;
  if (!isRecord(position)) return { type: "end" };
  if (position.type === "start") return { type: "start" };
  if (position.type === "after_block") {
    return { type: "after", id: afterId(asRecord(position.after_block).id, "body.position.after_block.id") };
  }
  return { type: "end" };
}

export const appendBlockChildren: ApiHandler = ({ ws, integration, id, body }) => {
  const parent = ws.requireBlock(requirePathId(id, "block_id"), integration);
  const children = Array.isArray(body.children) ? body.children : [];
  const created = ws.appendChildren(parent.id, children, appendPosition(body), {
    actor: integration.botUserId,
    path: "body.children",
  });
  return listJson(
    created.map((block) => blockJson(ws, block)),
    null,
    "block",
  );
};
