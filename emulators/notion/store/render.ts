// Stored records -> the JSON Notion returns, key for key (checked against the SDK's schema on the way out).
import { notionUrl } from "../ids";
import { renderConfig, renderValue } from "./properties";
import { plainText } from "./rich-text";
import type { BlockRecord, Parent } from "./types";
import type { Workspace } from "./workspace";

type Json = Record<string, unknown>;

function parentJson(parent: Parent): Json {
  switch (parent.type) {
    case "workspace":
      return { type: "workspace", workspace: true };
    case "page_id":
      return { type: "page_id", page_id: parent.id };
    case "block_id":
      return { type: "block_id", block_id: parent.id };
    case "data_source_id":
      return { type: "data_source_id", data_source_id: parent.id, database_id: parent.databaseId };
  }
}

function partialUser(id: string): Json {
  return { object: "user", id };
}

export function blockJson(ws: Workspace, block: BlockRecord): Json {
  const content = block.type === "child_page" ? { title: ws.pageTitle(block.id) ?? "" } : block.content;
  return {
    object: "block",
    id: block.id,
    parent: parentJson(block.parent),
    created_time: block.createdTime,
    last_edited_time: block.lastEditedTime,
    created_by: partialUser(block.createdBy),
    last_edited_by: partialUser(block.lastEditedBy),
    has_children: ws.liveChildren(block.id).length > 0,
    archived: block.inTrash,
    in_trash: block.inTrash,
    type: block.type,
    [block.type]: content,
  };
}

export function pageJson(ws: Workspace, pageId: string): Json {
  const page = ws.requirePage(pageId);
  const block = ws.requireBlock(pageId);
  const properties: Json = {};
  for (const config of ws.schemaOf(pageId)) {
    properties[config.name] = renderValue(config, page.values.get(config.id), block, ws);
  }
  return {
    object: "page",
    id: page.id,
    created_time: block.createdTime,
    last_edited_time: block.lastEditedTime,
    created_by: partialUser(block.createdBy),
    last_edited_by: partialUser(block.lastEditedBy),
    cover: page.cover,
    icon: page.icon,
    parent: parentJson(block.parent),
    archived: block.inTrash,
    in_trash: block.inTrash,
    is_archived: block.inTrash,
    is_locked: page.isLocked,
    properties,
    url: notionUrl(ws.pageTitle(pageId) ?? "", pageId),
    public_url: null,
  };
}

function databaseParentJson(parent: { type: "workspace" } | { type: "page_id"; id: string }): Json {
  return parent.type === "workspace"
    ? { type: "workspace", workspace: true }
    : { type: "page_id", page_id: parent.id };
}

export function databaseJson(ws: Workspace, databaseId: string): Json {
  const database = ws.requireDatabase(databaseId);
  return {
    object: "database",
    id: database.id,
    title: database.title,
    description: database.description,
    parent: databaseParentJson(database.parent),
    is_inline: database.isInline,
    in_trash: database.inTrash,
    archived: database.inTrash,
    is_locked: false,
    created_time: database.createdTime,
    last_edited_time: database.lastEditedTime,
    data_sources: database.dataSourceIds.map((id) => ({ id, name: ws.dataSources.get(id)?.name ?? "" })),
    icon: null,
    cover: null,
    url: notionUrl(plainText(database.title), database.id),
    public_url: null,
  };
}

export function dataSourceJson(ws: Workspace, dataSourceId: string): Json {
  const dataSource = ws.requireDataSource(dataSourceId);
  const database = ws.requireDatabase(dataSource.databaseId);
  const properties: Json = {};
  for (const config of dataSource.properties) properties[config.name] = renderConfig(config);
  return {
    object: "data_source",
    id: dataSource.id,
    created_time: dataSource.createdTime,
    last_edited_time: dataSource.lastEditedTime,
    created_by: partialUser(dataSource.createdBy),
    last_edited_by: partialUser(dataSource.lastEditedBy),
    title: database.title,
    description: database.description,
    parent: { type: "database_id", database_id: database.id },
    database_parent: databaseParentJson(database.parent),
    is_inline: database.isInline,
    archived: dataSource.inTrash,
    in_trash: dataSource.inTrash,
    properties,
    icon: null,
    cover: null,
    url: notionUrl(dataSource.name, dataSource.id),
    public_url: null,
  };
}

export function listJson(results: unknown[], nextCursor: string | null, type: string): Json {
  return {
    object: "list",
    results,
    next_cursor: nextCursor,
    has_more: nextCursor !== null,
    type,
    [type]: {},
  };
}
