// The emulator's stored records: what Notion would keep, not what it returns (see render.ts for that).
import type { RichTextItemResponse } from "@notionhq/client";

export type SelectColor =
  | "default"
  | "gray"
  | "brown"
  | "orange"
  | "yellow"
  | "green"
  | "blue"
  | "purple"
  | "pink"
  | "red";

export type PropertyType =
  | "title"
  | "rich_text"
  | "number"
  | "select"
  | "multi_select"
  | "status"
  | "date"
  | "people"
  | "checkbox"
  | "url"
  | "email"
  | "phone_number"
  | "created_time"
  | "last_edited_time"
  | "created_by"
  | "last_edited_by";

export const PROPERTY_TYPES: readonly PropertyType[] = [
  "title",
  "rich_text",
  "number",
  "select",
  "multi_select",
  "status",
  "date",
  "people",
  "checkbox",
  "url",
  "email",
  "phone_number",
  "created_time",
  "last_edited_time",
  "created_by",
  "last_edited_by",
];

/** Values Notion derives from the page itself; a request may not set them. */
export const COMPUTED_TYPES: ReadonlySet<PropertyType> = new Set([
  "created_time",
  "last_edited_time",
  "created_by",
  "last_edited_by",
]);

export interface SelectOption {
  id: string;
  name: string;
  color: SelectColor;
}

export interface PropertyConfig {
  id: string;
  name: string;
  type: PropertyType;
  options: SelectOption[];
  numberFormat: string;
}

export interface DateValue {
  start: string;
  end: string | null;
  time_zone: string | null;
}

export type StoredValue =
  | { type: "title" | "rich_text"; value: RichTextItemResponse[] }
  | { type: "number"; value: number | null }
  | { type: "select" | "status"; value: string | null }
  | { type: "multi_select"; value: string[] }
  | { type: "date"; value: DateValue | null }
  | { type: "people"; value: string[] }
  | { type: "checkbox"; value: boolean }
  | { type: "url" | "email" | "phone_number"; value: string | null };

export interface UserRecord {
  id: string;
  kind: "person" | "bot";
  name: string;
  avatarUrl: string | null;
  email?: string;
}

/** An integration's content capabilities, as its settings page names them: read, insert, update content. */
export type Capability = "read" | "insert" | "update";

export const CAPABILITIES: readonly Capability[] = ["read", "insert", "update"];

export interface IntegrationRecord {
  token: string;
  /** What the integration may do with the content shared with it; all three unless a test says otherwise. */
  capabilities: ReadonlySet<Capability>;
  name: string;
  botUserId: string;
  /** Roots shared with the integration; access flows down from them. */
  shared: Set<string>;
  requestsPerSecond: number;
  burst: number;
}

export type Parent =
  | { type: "workspace" }
  | { type: "page_id"; id: string }
  | { type: "block_id"; id: string }
  | { type: "data_source_id"; id: string; databaseId: string };

export interface Stamp {
  createdTime: string;
  lastEditedTime: string;
  createdBy: string;
  lastEditedBy: string;
}

export interface DatabaseRecord extends Stamp {
  id: string;
  title: RichTextItemResponse[];
  description: RichTextItemResponse[];
  parent: { type: "workspace" } | { type: "page_id"; id: string };
  isInline: boolean;
  inTrash: boolean;
  dataSourceIds: string[];
}

export interface DataSourceRecord extends Stamp {
  id: string;
  databaseId: string;
  name: string;
  properties: PropertyConfig[];
  inTrash: boolean;
}

/**
 * Every page also has a BlockRecord (type child_page) with the same id: it holds the page's
 * place in its parent and its content, so pages and blocks share one tree.
 */
export interface PageRecord {
  id: string;
  /** Keyed by property id. */
  values: Map<string, StoredValue>;
  icon: Record<string, unknown> | null;
  cover: Record<string, unknown> | null;
  isLocked: boolean;
}

export interface BlockRecord extends Stamp {
  id: string;
  type: string;
  /** The type-specific object exactly as Notion returns it, without children. */
  content: Record<string, unknown>;
  parent: Parent;
  children: string[];
  inTrash: boolean;
}
