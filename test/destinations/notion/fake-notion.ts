// Test helper: a small in-memory Notion behind a fetch function, enough for the destination's own calls
// (query, retrieve database, list/append children, create/trash page). The full-fidelity emulator lives
// in emulators/notion; this one lets unit tests script failures precisely and run without it.
import type { BlockObjectResponse } from "@notionhq/client";
import { childrenOf, type NotionBlockRequest } from "../../../src/destinations/notion/blocks";
import type { BaseFetch } from "../../../src/destinations/notion/client";
import { echoBlock } from "./echo";

export interface FakePage {
  id: string;
  dataSourceId: string;
  properties: Record<string, unknown>;
  inTrash: boolean;
}

type Override = (method: string, path: string, body: unknown) => Response | undefined;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function notionError(status: number, code: string, message: string): Response {
  return json(status, { object: "error", status, code, message });
}

/** Rich text as Notion answers it: each item with its `plain_text`. */
function withPlainText(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = { ...value };
  for (const key of ["title", "rich_text"]) {
    const items = out[key];
    if (!Array.isArray(items)) continue;
    out[key] = items.map((item: { plain_text?: string; text?: { content?: string } }) => ({
      ...item,
      plain_text: item.plain_text ?? item.text?.content ?? "",
    }));
  }
  return out;
}

function pageJson(page: FakePage) {
  return {
    object: "page",
    id: page.id,
    url: `https://www.notion.so/${page.id.replaceAll("-", "")}`,
    in_trash: page.inTrash,
    properties: Object.fromEntries(
      Object.entries(page.properties).map(([name, value]) => [name, withPlainText(value)]),
    ),
  };
}

/** A fake Notion workspace with one database per data source. */
export function fakeNotion(options: { databases?: Record<string, string[]>; schema?: string[] } = {}) {
  const pages = new Map<string, FakePage>();
  const blocks = new Map<string, BlockObjectResponse>();
  const children = new Map<string, string[]>();
  const overrides: Override[] = [];
  const schema = new Set(options.schema ?? ["Name", "Date", "Pair"]);
  let ids = 0;
  const newId = () => {
    ids += 1;
    return `00000000-0000-4000-8000-${String(ids).padStart(12, "0")}`;
  };

  const insert = (parentId: string, requests: readonly NotionBlockRequest[]): BlockObjectResponse[] =>
    requests.map((request) => {
      const id = newId();
      const nested = childrenOf(request);
      const block = echoBlock(request, id, parentId, nested.length > 0);
      blocks.set(id, block);
      children.set(parentId, [...(children.get(parentId) ?? []), id]);
      insert(id, nested);
      return block;
    });

  const dateOf = (page: FakePage, property: string): string | null => {
    const value = page.properties[property] as { date?: { start: string } | null } | undefined;
    return value?.date?.start ?? null;
  };

  const handle = (
    method: string,
    path: string,
    body: Record<string, unknown>,
    query: URLSearchParams,
  ): Response => {
    let match = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(path);
    if (method === "POST" && match) {
      const dataSourceId = match[1];
      const filter = body.filter as Record<string, unknown>;
      const parts = ("and" in filter ? filter.and : [filter]) as Record<string, Record<string, string>>[];
      for (const part of parts) {
        const name = part.property as unknown as string;
        if (!schema.has(name))
          return notionError(400, "validation_error", `Could not find property with name or id: ${name}`);
      }
      const datePart = parts.find((part) => "date" in part);
      const pairPart = parts.find((part) => "rich_text" in part || "select" in part);
      const dateProperty = datePart?.property as unknown as string;
      const results = [...pages.values()]
        .filter((page) => page.dataSourceId === dataSourceId && !page.inTrash)
        .filter((page) => {
          const date = dateOf(page, dateProperty);
          return date !== null && date <= (datePart?.date?.on_or_before ?? "");
        })
        .filter((page) => {
          if (pairPart === undefined) return true;
          const name = pairPart.property as unknown as string;
          const value = page.properties[name] as {
            rich_text?: { text: { content: string } }[];
            select?: { name: string };
          };
          const actual = value?.select?.name ?? value?.rich_text?.map((item) => item.text.content).join("");
          return actual === (pairPart.rich_text?.equals ?? pairPart.select?.equals);
        })
        .sort((a, b) => (dateOf(b, dateProperty) ?? "").localeCompare(dateOf(a, dateProperty) ?? ""));
      const size = Number(body.page_size ?? 100);
      const start = Number(body.start_cursor ?? 0);
      const slice = results.slice(start, start + size);
      const more = start + size < results.length;
      return json(200, {
        object: "list",
        type: "page_or_data_source",
        page_or_data_source: {},
        results: slice.map(pageJson),
        has_more: more,
        next_cursor: more ? String(start + size) : null,
      });
    }
    match = /^\/v1\/databases\/([^/]+)$/.exec(path);
    if (method === "GET" && match) {
      const sources = options.databases?.[match[1] ?? ""];
      if (sources === undefined) return notionError(404, "object_not_found", "Could not find database");
      return json(200, {
        object: "database",
        id: match[1],
        data_sources: sources.map((id) => ({ id, name: `Source ${id.slice(-2)}` })),
      });
    }
    match = /^\/v1\/blocks\/([^/]+)\/children$/.exec(path);
    if (method === "GET" && match) {
      const parent = match[1] ?? "";
      if (!blocks.has(parent) && !pages.has(parent))
        return notionError(404, "object_not_found", "Could not find block");
      const all = (children.get(parent) ?? []).map((id) => blocks.get(id));
      const size = Number(query.get("page_size") ?? 100);
      const start = Number(query.get("start_cursor") ?? 0);
      const more = start + size < all.length;
      return json(200, {
        object: "list",
        type: "block",
        block: {},
        results: all.slice(start, start + size),
        has_more: more,
        next_cursor: more ? String(start + size) : null,
      });
    }
    if (method === "PATCH" && match) {
      const parent = match[1] ?? "";
      const created = insert(parent, body.children as NotionBlockRequest[]);
      return json(200, {
        object: "list",
        type: "block",
        block: {},
        results: created,
        has_more: false,
        next_cursor: null,
      });
    }
    if (method === "POST" && path === "/v1/pages") {
      const parent = body.parent as { data_source_id: string };
      const properties = body.properties as Record<string, unknown>;
      for (const name of Object.keys(properties)) {
        if (!schema.has(name))
          return notionError(400, "validation_error", `${name} is not a property that exists.`);
      }
      // Notion returns each property value with its type.
      const typed = Object.fromEntries(
        Object.entries(properties).map(([name, value]) => [
          name,
          { type: Object.keys(value as object)[0], ...(value as object) },
        ]),
      );
      const page: FakePage = {
        id: newId(),
        dataSourceId: parent.data_source_id,
        properties: typed,
        inTrash: false,
      };
      pages.set(page.id, page);
      insert(page.id, (body.children as NotionBlockRequest[] | undefined) ?? []);
      return json(200, pageJson(page));
    }
    match = /^\/v1\/pages\/([^/]+)$/.exec(path);
    if (method === "PATCH" && match) {
      const page = pages.get(match[1] ?? "");
      if (page === undefined) return notionError(404, "object_not_found", "Could not find page");
      if (body.in_trash === true) page.inTrash = true;
      for (const [name, value] of Object.entries((body.properties as Record<string, unknown>) ?? {})) {
        page.properties[name] = { type: Object.keys(value as object)[0], ...(value as object) };
      }
      return json(200, pageJson(page));
    }
    return notionError(400, "invalid_request_url", `fake Notion has no ${method} ${path}`);
  };

  const fetch: BaseFetch = async (url, init) => {
    const parsed = new URL(url);
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    for (const override of overrides) {
      const response = override(method, parsed.pathname, body);
      if (response !== undefined) return response;
    }
    return handle(method, parsed.pathname, body, parsed.searchParams);
  };

  /** A page as a person made it: properties and top-level blocks (with nesting) in Notion's request shape. */
  const seedPage = (
    dataSourceId: string,
    properties: Record<string, unknown>,
    content: NotionBlockRequest[] = [],
  ) => {
    const page: FakePage = { id: newId(), dataSourceId, properties, inTrash: false };
    pages.set(page.id, page);
    insert(page.id, content);
    return page;
  };

  /** The content of a page or block, as request-shaped blocks (ids dropped), for comparing with what was written. */
  const tree = (parentId: string): BlockObjectResponse[] =>
    (children.get(parentId) ?? []).flatMap((id) => {
      const block = blocks.get(id);
      return block === undefined ? [] : [block];
    });

  return {
    fetch,
    pages,
    blocks,
    children: (id: string) => tree(id),
    seedPage,
    /** Scripts a response: the first override returning a Response wins. */
    override(fn: Override) {
      overrides.push(fn);
    },
  };
}

/** Date and title properties as Notion stores them. */
export function agendaProperties(
  date: string,
  title = `1:1 ${date}`,
  pair?: string,
): Record<string, unknown> {
  return {
    Name: { type: "title", title: [{ type: "text", text: { content: title } }] },
    Date: { type: "date", date: { start: date, end: null, time_zone: null } },
    ...(pair === undefined
      ? {}
      : { Pair: { type: "rich_text", rich_text: [{ type: "text", text: { content: pair } }] } }),
  };
}
