// Shapes of the emulator's control API, shared by the server (Node) and the fetch client (Node or workerd).
import type { BlockObjectResponse, CreatePageParameters } from "@notionhq/client";
import type { CallCounts, CommonFaultSpec, FaultInfoOf } from "../common/control-types";
import type { PropertyType } from "./store/types";

/** Request property values exactly as POST /v1/pages takes them. */
export type PropertyValues = NonNullable<CreatePageParameters["properties"]>;

/**
 * A block in Notion's request JSON (`{ paragraph: { rich_text: [...] } }`). Seeds may nest deeper than
 * the API's two levels and may contain `{ child_page: { title, children } }`, as a person's page can.
 */
export type SeedBlock = Record<string, unknown>;

/** The property types the emulator stores; one list, owned by the store. */
type PropertyTypeName = PropertyType;

/** Short form `{ type: "select", options: ["Open", "Done"] }`; Notion's `{ select: { options } }` works too. */
export type PropertySpec =
  | {
      type: PropertyTypeName;
      id?: string;
      options?: Array<string | { name: string; color?: string }>;
      format?: string;
    }
  | Record<string, unknown>;

export interface IntegrationSpec {
  name?: string;
  /** Pick the token yourself (e.g. the Worker's configured secret); a random one otherwise. */
  token?: string;
  /** Overrides the emulator's default rate for this integration; Infinity (or null) switches it off. */
  requestsPerSecond?: number | null;
  burst?: number;
  /** Its content capabilities; all three (read, insert, update) by default. */
  capabilities?: Array<"read" | "insert" | "update">;
}

export interface IntegrationInfo {
  token: string;
  name: string;
  botUserId: string;
}

export interface UserSpec {
  id?: string;
  name: string;
  email?: string;
}

export interface UserInfo {
  id: string;
  name: string;
  email?: string;
  type: "person" | "bot";
}

export interface SeedPageSpec {
  properties?: PropertyValues;
  children?: SeedBlock[];
  /** ISO time; lets a test build a history of earlier agendas. */
  createdTime?: string;
  icon?: { emoji: string };
}

export interface SeedDatabaseSpec {
  id?: string;
  dataSourceId?: string;
  title: string;
  /** Page id the database sits in; at the workspace root otherwise. */
  parentPageId?: string;
  properties: Record<string, PropertySpec>;
  pages?: SeedPageSpec[];
}

/** Another data source for a seeded database (Notion's databases may hold several). */
export interface SeedDataSourceSpec {
  id?: string;
  name: string;
  properties: Record<string, PropertySpec>;
}

export interface SeededDataSource {
  dataSourceId: string;
}

export interface SeededPage {
  id: string;
  url: string;
}

export interface SeededDatabase {
  databaseId: string;
  dataSourceId: string;
  url: string;
  pages: SeededPage[];
}

type PageParentSpec =
  | { databaseId: string }
  | { dataSourceId: string }
  | { pageId: string }
  | { workspace: true };

export interface SeedStandalonePageSpec extends SeedPageSpec {
  parent: PageParentSpec;
  /** Shorthand for a child page's title property. */
  title?: string;
}

/** A block as GET /v1/blocks/:id returns it, with its children inlined. */
export type BlockTreeNode = BlockObjectResponse & { children?: BlockTreeNode[] };

export interface PersonOptions {
  /** The person making the change; the workspace owner by default. */
  as?: string;
}

/**
 * A fault (see CommonFaultSpec); a `status` answers with Notion's error body for it. A 429 carries
 * Retry-After (`retryAfter`, 1 s by default); a 529 (service_overload) carries it only when `retryAfter`
 * is given, so both Notion's answers can be tried.
 */
export interface FaultSpec extends CommonFaultSpec {
  /** Match only this integration's requests. */
  token?: string;
  /** The error `code` for a `status` fault; Notion's usual one for the status otherwise. */
  code?: string;
  /** For a 429: `additional_data.rate_limit_reason`, the limit that was hit (Notion's newer limits). */
  rateLimitReason?: string;
  /**
   * Answer a data-source query with every page of the data source, as if its filter had matched loosely
   * (sorts and paging still apply): Notion documents its filters, not how exactly text compares, so a
   * caller re-checks what a filter let through.
   */
  unfiltered?: boolean;
}

/** One API request the emulator received, for checking pace: when it arrived and how it was answered. */
export interface RequestRecord {
  /** Arrival, epoch ms on the emulator's clock. */
  at: number;
  /** `METHOD /route/:id`, as in the call counts. */
  route: string;
  /** The status answered; null when the connection was dropped without an answer. */
  status: number | null;
}

export type FaultInfo = FaultInfoOf<FaultSpec>;

export type { CallCounts };
