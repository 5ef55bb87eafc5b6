// Ids and URLs shaped like Notion's: dashed lowercase UUIDs, and notion.so URLs built from a title slug.
import { NotionApiError } from "./errors";

const UUID_DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_PLAIN = /^[0-9a-f]{32}$/;

export function newId(): string {
  return crypto.randomUUID();
}

/** Notion accepts ids with or without dashes; everything is stored dashed. */
export function normalizeId(raw: string): string | undefined {
  const lower = raw.trim().toLowerCase();
  if (UUID_DASHED.test(lower)) return lower;
  if (UUID_PLAIN.test(lower)) {
    return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
  }
  return undefined;
}

/** Path ids are validated the way Notion reports them: a 400 naming the path parameter. */
export function requirePathId(raw: string, param: string): string {
  const id = normalizeId(decodeURIComponent(raw));
  if (id === undefined) {
    throw NotionApiError.validation(
      `path failed validation: path.${param} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

export function notionUrl(title: string, id: string): string {
  const slug = title
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  const plain = id.replaceAll("-", "");
  return `https://www.notion.so/${slug ? `${slug}-` : ""}${plain}`;
}
