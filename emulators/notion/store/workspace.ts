// The in-memory Notion workspace: users, integrations and what is shared with them, databases, pages and blocks.

import { asArray, asRecord, asString, isRecord, type JsonObject } from "../../common/json";
import { NotionApiError, type ObjectKind } from "../errors";
import { newId, notionUrl } from "../ids";
import {
  acceptsChildren,
  applyUpdate,
  blockTypeOf,
  contentFromRequest,
  iconFromRequest,
  requestChildren,
} from "./blocks";
import { PAGE_SCHEMA, propertyConfigFromSpec, valuesFromRequest } from "./properties";
import { plainText, type RefResolver, textItem } from "./rich-text";
import {
  type BlockRecord,
  CAPABILITIES,
  type Capability,
  type DatabaseRecord,
  type DataSourceRecord,
  type IntegrationRecord,
  type PageRecord,
  type Parent,
  type PropertyConfig,
  type Stamp,
  type UserRecord,
} from "./types";

const HEADING = /^heading_\d$/;

export type Position = { type: "start" } | { type: "end" } | { type: "after"; id: string };

export interface NewPage {
  parent: { type: "data_source_id"; id: string } | { type: "page_id"; id: string } | { type: "workspace" };
  properties?: unknown;
  children?: unknown[];
  icon?: unknown;
  cover?: unknown;
  position?: Position;
}

export interface NewDatabase {
  id?: string;
  dataSourceId?: string;
  title: string;
  parentPageId?: string;
  isInline?: boolean;
  properties: Record<string, unknown>;
}

export interface NewDataSource {
  id?: string;
  name: string;
  properties: Record<string, unknown>;
}

export interface WriteOptions {
  /** Who makes the change (a person for control-API edits, the bot for API calls). */
  actor: string;
  /** Seeds may set the creation time so tests can build a history. */
  createdTime?: string;
  /** Where request errors point, e.g. `body.children`. */
  path?: string;
}

/**
 * A change a person or an integration made, as the webhooks see it (webhooks.ts turns these into events).
 * `actor` is the user who made it.
 */
export type WorkspaceChange =
  | { type: "page.created" | "page.deleted" | "page.undeleted"; pageId: string; actor: string }
  | { type: "page.content_updated"; pageId: string; blockIds: string[]; actor: string }
  | { type: "page.properties_updated"; pageId: string; propertyIds: string[]; actor: string };

/** Notion reports times to the minute. */
function minuteIso(date: Date): string {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000).toISOString();
}

export class Workspace implements RefResolver {
  readonly id = newId();
  readonly name = "Emulated Workspace";
  readonly users = new Map<string, UserRecord>();
  readonly integrations = new Map<string, IntegrationRecord>();
  readonly databases = new Map<string, DatabaseRecord>();
  readonly dataSources = new Map<string, DataSourceRecord>();
  readonly pages = new Map<string, PageRecord>();
  /** Each data source's page ids in creation order: a query reads its own pages, not the workspace's. */
  private readonly pageIdsByDataSource = new Map<string, string[]>();
  readonly blocks = new Map<string, BlockRecord>();
  /** Creation order breaks ties between equal (minute-rounded) timestamps. */
  readonly order = new Map<string, number>();
  readonly owner: UserRecord;
  private sequence = 0;
  /** Told of every write, for the webhook subscriptions; unset, writes tell no one. */
  onChange: ((change: WorkspaceChange) => void) | undefined;

  constructor(readonly clock: () => Date = () => new Date()) {
    this.owner = this.createUser({ name: "Workspace Owner", email: "owner@example.com" });
  }

  now(): string {
    return minuteIso(this.clock());
  }

  private stamp(actor: string, createdTime?: string): Stamp {
    const time = createdTime ?? this.now();
    return { createdTime: time, lastEditedTime: time, createdBy: actor, lastEditedBy: actor };
  }

  private touch(record: Stamp, actor: string): void {
    record.lastEditedTime = this.now();
    record.lastEditedBy = actor;
  }

  private changed(change: WorkspaceChange): void {
    this.onChange?.(change);
  }

  /** The page a block is on: its nearest ancestor that is a page (a page is its own). */
  pageOf(id: string): string | undefined {
    return this.ancestors(id).find((a) => this.pages.has(a));
  }

  private contentChanged(blockId: string, blockIds: string[], actor: string): void {
    const pageId = this.pageOf(blockId);
    if (pageId === undefined) return;
    // A page's last_edited_time is when anything on it last changed, its blocks included ("Date and time
    // when this page was updated", the page object's reference): data source queries filter on it.
    const page = this.blocks.get(pageId);
    if (page !== undefined) this.touch(page, actor);
    this.changed({ type: "page.content_updated", pageId, blockIds, actor });
  }

  private trashChanged(pageId: string, before: boolean, after: boolean, actor: string): void {
    if (before !== after) this.changed({ type: after ? "page.deleted" : "page.undeleted", pageId, actor });
  }

  private remember(id: string): void {
    this.order.set(id, this.sequence++);
  }

  // ---- users and integrations -------------------------------------------------------------

  createUser(spec: {
    id?: string;
    name: string;
    email?: string;
    kind?: "person" | "bot";
    avatarUrl?: string;
  }): UserRecord {
    const user: UserRecord = {
      id: spec.id ?? newId(),
      kind: spec.kind ?? "person",
      name: spec.name,
      avatarUrl: spec.avatarUrl ?? null,
      ...(spec.email !== undefined ? { email: spec.email } : {}),
    };
    this.users.set(user.id, user);
    return user;
  }

  createIntegration(spec: {
    name?: string;
    token?: string;
    requestsPerSecond: number;
    burst: number;
    capabilities?: readonly Capability[];
  }): IntegrationRecord {
    const name = spec.name ?? `Integration ${this.integrations.size + 1}`;
    const bot = this.createUser({ name, kind: "bot" });
    const integration: IntegrationRecord = {
      token: spec.token ?? `ntn_${newId().replaceAll("-", "")}`,
      name,
      botUserId: bot.id,
      capabilities: new Set(spec.capabilities ?? CAPABILITIES),
      shared: new Set(),
      requestsPerSecond: spec.requestsPerSecond,
      burst: spec.burst,
    };
    this.integrations.set(integration.token, integration);
    return integration;
  }

  integration(token: string): IntegrationRecord | undefined {
    return this.integrations.get(token);
  }

  share(token: string, id: string): void {
    this.requireIntegration(token).shared.add(id);
  }

  unshare(token: string, id: string): void {
    this.requireIntegration(token).shared.delete(id);
  }

  private requireIntegration(token: string): IntegrationRecord {
    const integration = this.integrations.get(token);
    if (integration === undefined) throw new Error(`no integration with token ${token}`);
    return integration;
  }

  /** The object itself, then everything above it: access granted on any of them flows down. */
  ancestors(id: string): string[] {
    const chain: string[] = [];
    let current: string | undefined = id;
    while (current !== undefined && !chain.includes(current)) {
      chain.push(current);
      current = this.parentOf(current);
    }
    return chain;
  }

  private parentOf(id: string): string | undefined {
    const block = this.blocks.get(id);
    if (block) {
      const parent = block.parent;
      if (parent.type === "workspace") return undefined;
      return parent.id;
    }
    const dataSource = this.dataSources.get(id);
    if (dataSource) return dataSource.databaseId;
    const database = this.databases.get(id);
    if (database && database.parent.type === "page_id") return database.parent.id;
    return undefined;
  }

  canAccess(integration: IntegrationRecord, id: string): boolean {
    return this.ancestors(id).some((a) => integration.shared.has(a));
  }

  // ---- lookups that answer 404 the way Notion does ---------------------------------------

  requireDatabase(id: string, integration?: IntegrationRecord): DatabaseRecord {
    const database = this.databases.get(id);
    if (database === undefined || !this.visible(id, integration))
      throw NotionApiError.notFound("database", id);
    return database;
  }

  requireDataSource(id: string, integration?: IntegrationRecord): DataSourceRecord {
    const dataSource = this.dataSources.get(id);
    if (dataSource === undefined || !this.visible(id, integration))
      throw NotionApiError.notFound("data_source", id);
    return dataSource;
  }

  requirePage(id: string, integration?: IntegrationRecord): PageRecord {
    const page = this.pages.get(id);
    if (page === undefined || !this.visible(id, integration)) throw NotionApiError.notFound("page", id);
    return page;
  }

  requireBlock(id: string, integration?: IntegrationRecord, kind: ObjectKind = "block"): BlockRecord {
    const block = this.blocks.get(id);
    if (block === undefined || !this.visible(id, integration)) throw NotionApiError.notFound(kind, id);
    return block;
  }

  private visible(id: string, integration: IntegrationRecord | undefined): boolean {
    return integration === undefined || this.canAccess(integration, id);
  }

  /** True when the block or anything above it is in the trash: Notion refuses edits there. */
  inTrash(id: string): boolean {
    return this.ancestors(id).some((a) => {
      const record = this.blocks.get(a) ?? this.dataSources.get(a) ?? this.databases.get(a);
      return record?.inTrash === true;
    });
  }

  private refuseIfTrashed(id: string): void {
    if (this.inTrash(id)) {
      throw NotionApiError.validation(
        "Can't edit block that is archived. You must unarchive the block before editing.",
      );
    }
  }

  schemaOf(pageId: string): readonly PropertyConfig[] {
    const parent = this.blocks.get(pageId)?.parent;
    if (parent?.type === "data_source_id") return this.dataSources.get(parent.id)?.properties ?? PAGE_SCHEMA;
    return PAGE_SCHEMA;
  }

  liveChildren(id: string): BlockRecord[] {
    const container = this.blocks.get(id);
    if (container === undefined) return [];
    return container.children.flatMap((childId) => {
      const child = this.blocks.get(childId);
      return child && !child.inTrash ? [child] : [];
    });
  }

  pagesIn(dataSourceId: string): PageRecord[] {
    return (this.pageIdsByDataSource.get(dataSourceId) ?? []).flatMap((id) => {
      const page = this.pages.get(id);
      return page === undefined ? [] : [page];
    });
  }

  // ---- RefResolver --------------------------------------------------------------------------

  userValue(id: string): Record<string, unknown> {
    const user = this.users.get(id);
    return user ? this.userJson(user) : { object: "user", id };
  }

  userJson(user: UserRecord): Record<string, unknown> {
    const common = { object: "user", id: user.id, name: user.name, avatar_url: user.avatarUrl };
    if (user.kind === "person") {
      return { ...common, type: "person", person: user.email !== undefined ? { email: user.email } : {} };
    }
    return {
      ...common,
      type: "bot",
      bot: {
        owner: { type: "workspace", workspace: true },
        workspace_name: this.name,
        workspace_id: this.id,
        workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
      },
    };
  }

  userName(id: string): string | undefined {
    return this.users.get(id)?.name;
  }

  pageTitle(id: string): string | undefined {
    const page = this.pages.get(id);
    if (page === undefined) return undefined;
    const titleConfig = this.schemaOf(id).find((p) => p.type === "title");
    const stored = titleConfig ? page.values.get(titleConfig.id) : undefined;
    return stored?.type === "title" ? plainText(stored.value) : "";
  }

  pageUrl(id: string): string | undefined {
    const title = this.pageTitle(id);
    return title === undefined ? undefined : notionUrl(title, id);
  }

  databaseTitle(id: string): string | undefined {
    const database = this.databases.get(id);
    return database ? plainText(database.title) : undefined;
  }

  databaseUrl(id: string): string | undefined {
    return this.databases.has(id) ? notionUrl("", id) : undefined;
  }

  // ---- writes -------------------------------------------------------------------------------

  createDatabase(
    spec: NewDatabase,
    actor: string,
  ): { database: DatabaseRecord; dataSource: DataSourceRecord } {
    const stamp = this.stamp(actor);
    const database: DatabaseRecord = {
      id: spec.id ?? newId(),
      title: [textItem(spec.title)],
      description: [],
      parent:
        spec.parentPageId !== undefined ? { type: "page_id", id: spec.parentPageId } : { type: "workspace" },
      isInline: spec.isInline ?? false,
      inTrash: false,
      dataSourceIds: [],
      ...stamp,
    };
    this.databases.set(database.id, database);
    this.remember(database.id);
    const dataSource = this.addDataSource(
      database.id,
      { id: spec.dataSourceId, name: spec.title, properties: spec.properties },
      actor,
    );
    return { database, dataSource };
  }

  /**
   * Another data source in an existing database, as Notion's "create a data source" makes one (a database
   * holds one or more, each with its own schema); a schema without a title property gets "Name".
   */
  addDataSource(databaseId: string, spec: NewDataSource, actor: string): DataSourceRecord {
    const database = this.requireDatabase(databaseId);
    const taken = new Set<string>();
    const properties = Object.entries(spec.properties).map(([name, p]) =>
      propertyConfigFromSpec(name, p, taken),
    );
    if (!properties.some((p) => p.type === "title")) {
      properties.unshift(propertyConfigFromSpec("Name", { type: "title" }, taken));
    }
    const dataSource: DataSourceRecord = {
      id: spec.id ?? newId(),
      databaseId: database.id,
      name: spec.name,
      properties,
      inTrash: false,
      ...this.stamp(actor),
    };
    database.dataSourceIds.push(dataSource.id);
    this.dataSources.set(dataSource.id, dataSource);
    return dataSource;
  }

  createPage(spec: NewPage, options: WriteOptions): PageRecord {
    const path = options.path ?? "body";
    let parent: Parent;
    let schema: readonly PropertyConfig[] = PAGE_SCHEMA;
    if (spec.parent.type === "data_source_id") {
      const dataSource = this.requireDataSource(spec.parent.id);
      this.refuseIfTrashed(dataSource.id);
      parent = { type: "data_source_id", id: dataSource.id, databaseId: dataSource.databaseId };
      schema = dataSource.properties;
    } else if (spec.parent.type === "page_id") {
      this.refuseIfTrashed(this.requirePage(spec.parent.id).id);
      parent = { type: "page_id", id: spec.parent.id };
    } else {
      parent = { type: "workspace" };
    }
    const values = valuesFromRequest(spec.properties ?? {}, schema, this);
    const page: PageRecord = {
      id: newId(),
      values,
      icon: iconFromRequest(spec.icon),
      cover: isRecord(spec.cover)
        ? { type: "external", external: { url: asString(asRecord(spec.cover.external).url) ?? "" } }
        : null,
      isLocked: false,
    };
    const block: BlockRecord = {
      id: page.id,
      type: "child_page",
      content: {},
      parent,
      children: [],
      inTrash: false,
      ...this.stamp(options.actor, options.createdTime),
    };
    this.pages.set(page.id, page);
    this.blocks.set(block.id, block);
    if (parent.type === "data_source_id") {
      const ids = this.pageIdsByDataSource.get(parent.id) ?? [];
      ids.push(page.id);
      this.pageIdsByDataSource.set(parent.id, ids);
    }
    this.remember(page.id);
    if (parent.type === "page_id")
      this.insertChildren(parent.id, [page.id], spec.position ?? { type: "end" });
    if (spec.children !== undefined) {
      const created = this.buildBlocks(page.id, spec.children, `${path}.children`, options);
      block.children.push(...created.map((b) => b.id));
    }
    this.changed({ type: "page.created", pageId: page.id, actor: options.actor });
    return page;
  }

  /** PATCH /v1/blocks/:id/children and the person-side equivalent. */
  appendChildren(
    parentId: string,
    children: unknown[],
    position: Position,
    options: WriteOptions,
  ): BlockRecord[] {
    const parent = this.blocks.get(parentId);
    if (parent === undefined) throw NotionApiError.notFound("block", parentId);
    this.refuseIfTrashed(parentId);
    if (!acceptsChildren(parent.type, parent.content)) {
      throw NotionApiError.validation(`Block type ${parent.type} does not support children.`);
    }
    if (position.type === "after" && !parent.children.includes(position.id)) {
      throw NotionApiError.validation(
        `body failed validation: block ${position.id} is not a child of ${parentId}, so nothing can be placed after it.`,
      );
    }
    const created = this.buildBlocks(parentId, children, options.path ?? "body.children", options);
    this.insertChildren(
      parentId,
      created.map((b) => b.id),
      position,
    );
    this.touch(parent, options.actor);
    this.contentChanged(
      parentId,
      created.map((b) => b.id),
      options.actor,
    );
    return created;
  }

  private insertChildren(parentId: string, ids: string[], position: Position): void {
    const parent = this.blocks.get(parentId);
    if (parent === undefined) return;
    if (position.type === "start") parent.children.unshift(...ids);
    else if (position.type === "after")
      parent.children.splice(parent.children.indexOf(position.id) + 1, 0, ...ids);
    else parent.children.push(...ids);
  }

  private buildBlocks(
    parentId: string,
    requests: unknown[],
    path: string,
    options: WriteOptions,
  ): BlockRecord[] {
    const parentBlock = this.blocks.get(parentId);
    const parent: Parent =
      parentBlock?.type === "child_page"
        ? { type: "page_id", id: parentId }
        : { type: "block_id", id: parentId };
    return requests.map((raw, index) => {
      const request = asRecord(raw);
      const itemPath = `${path}[${index}]`;
      const type = blockTypeOf(request, itemPath);
      const inner = asRecord(request[type]);
      if (type === "child_page") {
        // Only seeds nest pages this way; the API creates child pages through POST /v1/pages.
        const page = this.createPage(
          {
            parent: { type: "page_id", id: parentId },
            properties: { title: { title: [{ text: { content: asString(inner.title) ?? "" } }] } },
            children: asArray(inner.children),
          },
          { ...options, path: itemPath },
        );
        const pageBlock = this.blocks.get(page.id);
        if (pageBlock === undefined) throw new Error("child page block missing");
        // createPage already placed it at the end of the parent; the caller inserts it where asked.
        const siblings = parentBlock?.children ?? [];
        siblings.splice(siblings.indexOf(page.id), 1);
        return pageBlock;
      }
      const content = contentFromRequest(type, inner, this, itemPath);
      const block: BlockRecord = {
        id: newId(),
        type,
        content,
        parent,
        children: [],
        inTrash: false,
        ...this.stamp(options.actor, options.createdTime),
      };
      this.blocks.set(block.id, block);
      this.remember(block.id);
      const children = requestChildren(request, type);
      if (children !== undefined && children.length > 0) {
        if (!acceptsChildren(type, content)) {
          throw NotionApiError.validation(
            HEADING.test(type)
              ? `body failed validation: ${itemPath}.${type}.children can only be set when is_toggleable is true.`
              : `Block type ${type} does not support children.`,
          );
        }
        const built = this.buildBlocks(block.id, children, `${itemPath}.${type}.children`, options);
        block.children.push(...built.map((b) => b.id));
      }
      return block;
    });
  }

  updateBlock(id: string, patch: JsonObject, options: WriteOptions): BlockRecord {
    const block = this.requireBlock(id);
    const wasInTrash = block.inTrash;
    let titleChanged = false;
    const inTrash =
      typeof patch.in_trash === "boolean"
        ? patch.in_trash
        : typeof patch.archived === "boolean"
          ? patch.archived
          : undefined;
    const typeKeys = Object.keys(patch).filter((k) => k !== "type" && k !== "in_trash" && k !== "archived");
    if (typeKeys.length > 0) {
      if (inTrash !== false) this.refuseIfTrashed(id);
      const key = typeKeys[0] ?? "";
      if (key !== block.type) {
        throw NotionApiError.validation(
          `body failed validation: body.${key} should be not present, because the block is of type ${block.type}.`,
        );
      }
      if (block.type === "child_page") {
        const title = asString(asRecord(patch[key]).title);
        if (title !== undefined) {
          this.setTitle(id, title);
          titleChanged = true;
        }
      } else {
        block.content = applyUpdate(
          block.type,
          block.content,
          asRecord(patch[key]),
          this,
          options.path ?? "body",
        );
      }
    }
    if (inTrash !== undefined) block.inTrash = inTrash;
    this.touch(block, options.actor);
    if (block.type !== "child_page") this.contentChanged(id, [id], options.actor);
    else {
      if (titleChanged)
        this.changed({
          type: "page.properties_updated",
          pageId: id,
          propertyIds: ["title"],
          actor: options.actor,
        });
      this.trashChanged(id, wasInTrash, block.inTrash, options.actor);
    }
    return block;
  }

  private setTitle(pageId: string, title: string): void {
    const page = this.requirePage(pageId);
    const config = this.schemaOf(pageId).find((p) => p.type === "title");
    if (config) page.values.set(config.id, { type: "title", value: [textItem(title)] });
  }

  updatePage(
    id: string,
    patch: { properties?: unknown; inTrash?: boolean; icon?: unknown; cover?: unknown; isLocked?: boolean },
    options: WriteOptions,
  ): PageRecord {
    const page = this.requirePage(id);
    const block = this.requireBlock(id);
    const wasInTrash = block.inTrash;
    const propertyIds: string[] = [];
    if (patch.properties !== undefined && Object.keys(asRecord(patch.properties)).length > 0) {
      if (patch.inTrash !== false) this.refuseIfTrashed(id);
      const values = valuesFromRequest(patch.properties, this.schemaOf(id), this);
      for (const [key, value] of values) {
        page.values.set(key, value);
        propertyIds.push(key);
      }
    }
    if (patch.icon !== undefined) page.icon = iconFromRequest(patch.icon);
    if (patch.cover === null) page.cover = null;
    if (patch.isLocked !== undefined) page.isLocked = patch.isLocked;
    if (patch.inTrash !== undefined) block.inTrash = patch.inTrash;
    this.touch(block, options.actor);
    if (propertyIds.length > 0)
      this.changed({ type: "page.properties_updated", pageId: id, propertyIds, actor: options.actor });
    this.trashChanged(id, wasInTrash, block.inTrash, options.actor);
    return page;
  }
}
