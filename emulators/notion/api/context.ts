// What every API handler receives, and the pagination Notion's list endpoints share.

import type { JsonObject } from "../../common/json";
import { NotionApiError } from "../errors";
import { normalizeId } from "../ids";
import type { IntegrationRecord } from "../store/types";
import type { Workspace } from "../store/workspace";

export interface ApiContext {
  ws: Workspace;
  integration: IntegrationRecord;
  /** The raw `:id` path segment, when the route has one. */
  id: string;
  query: URLSearchParams;
  /** Already checked against the SDK's schema for this endpoint (when validation is on). */
  body: JsonObject;
  /** A fault asked for a query answered without its filter (FaultSpec.unfiltered). */
  unfiltered?: boolean;
}

export type ApiHandler = (ctx: ApiContext) => unknown;

/** Reads and bounds page_size the way Notion does: 1..100, 100 by default. */
export function pageSize(raw: unknown, where: "body" | "query"): number {
  if (raw === undefined || raw === null || raw === "") return 100;
  const size = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(size)) {
    throw NotionApiError.validation(
      `${where} failed validation: ${where}.page_size should be a number, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  if (size > 100) {
    throw NotionApiError.validation(
      `${where} failed validation: ${where}.page_size should be ≤ \`100\`, instead was \`${size}\`.`,
    );
  }
  if (size < 1) {
    throw NotionApiError.validation(
      `${where} failed validation: ${where}.page_size should be ≥ \`1\`, instead was \`${size}\`.`,
    );
  }
  return size;
}

/** Notion's cursors are the id of the first item of the next page. */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  startCursor: unknown,
  size: number,
): { page: T[]; nextCursor: string | null } {
  let start = 0;
  if (typeof startCursor === "string" && startCursor !== "") {
    const id = normalizeId(startCursor);
    start = id === undefined ? -1 : items.findIndex((item) => item.id === id);
    if (start < 0) throw NotionApiError.validation(`start_cursor provided is invalid: ${startCursor}`);
  }
  const page = items.slice(start, start + size);
  const next = items[start + size];
  return { page, nextCursor: next === undefined ? null : next.id };
}
