// A read-only human view of the workspace: pages as Markdown (default) or HTML, and an index.
import type { RichTextItemResponse } from "@notionhq/client";
import { asArray, asRecord, asString } from "../common/json";
import { renderValue } from "./store/properties";
import type { BlockRecord } from "./store/types";
import type { Workspace } from "./store/workspace";

type Format = "markdown" | "html";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function richTextOf(value: unknown): RichTextItemResponse[] {
  return asArray(value) as RichTextItemResponse[];
}

function inlineMarkdown(items: readonly RichTextItemResponse[]): string {
  return items
    .map((item) => {
      let text = item.plain_text;
      const a = item.annotations;
      if (a.code) text = `\`${text}\``;
      if (a.bold) text = `**${text}**`;
      if (a.italic) text = `_${text}_`;
      if (a.strikethrough) text = `~~${text}~~`;
      if (a.underline) text = `<u>${text}</u>`;
      return item.href ? `[${text}](${item.href})` : text;
    })
    .join("");
}

function inlineHtml(items: readonly RichTextItemResponse[]): string {
  return items
    .map((item) => {
      let text = escapeHtml(item.plain_text);
      const a = item.annotations;
      if (a.code) text = `<code>${text}</code>`;
      if (a.bold) text = `<strong>${text}</strong>`;
      if (a.italic) text = `<em>${text}</em>`;
      if (a.strikethrough) text = `<s>${text}</s>`;
      if (a.underline) text = `<u>${text}</u>`;
      if (item.type === "mention") text = `<span class="mention">${text}</span>`;
      return item.href ? `<a href="${escapeHtml(item.href)}">${text}</a>` : text;
    })
    .join("");
}

function blockMarkdown(ws: Workspace, block: BlockRecord, indent: string, index: number): string[] {
  const c = block.content;
  const text = inlineMarkdown(richTextOf(c.rich_text));
  const lines: string[] = [];
  const childIndent = `${indent}  `;
  switch (block.type) {
    case "heading_1":
    case "heading_2":
    case "heading_3":
    case "heading_4":
      lines.push(
        `${indent}${"#".repeat(Number(block.type.slice(-1)) + 1)} ${c.is_toggleable ? "▸ " : ""}${text}`,
      );
      break;
    case "bulleted_list_item":
      lines.push(`${indent}- ${text}`);
      break;
    case "numbered_list_item":
      lines.push(`${indent}${index}. ${text}`);
      break;
    case "to_do":
      lines.push(`${indent}- [${c.checked === true ? "x" : " "}] ${text}`);
      break;
    case "toggle":
      lines.push(`${indent}- ▸ ${text}`);
      break;
    case "quote":
      lines.push(`${indent}> ${text}`);
      break;
    case "callout":
      lines.push(`${indent}> ${asString(asRecord(c.icon).emoji) ?? "💡"} ${text}`);
      break;
    case "divider":
      lines.push(`${indent}---`);
      break;
    case "code":
      lines.push(`${indent}\`\`\`${asString(c.language) ?? ""}`, `${indent}${text}`, `${indent}\`\`\``);
      break;
    case "child_page":
      lines.push(`${indent}📄 [${ws.pageTitle(block.id) || "Untitled"}](/view/pages/${block.id})`);
      break;
    case "paragraph":
      lines.push(`${indent}${text}`);
      break;
    default:
      lines.push(`${indent}[${block.type}]`);
  }
  if (block.type !== "child_page") lines.push(...childrenMarkdown(ws, block.id, childIndent));
  return lines;
}

function childrenMarkdown(ws: Workspace, id: string, indent: string): string[] {
  let number = 0;
  return ws.liveChildren(id).flatMap((child) => {
    number = child.type === "numbered_list_item" ? number + 1 : 0;
    return blockMarkdown(ws, child, indent, number);
  });
}

const HTML_TAGS: Record<string, string> = {
  heading_1: "h2",
  heading_2: "h3",
  heading_3: "h4",
  heading_4: "h5",
  paragraph: "p",
  quote: "blockquote",
  callout: "aside",
  bulleted_list_item: "li",
  numbered_list_item: "li",
  to_do: "li",
  toggle: "details",
};

function blockHtml(ws: Workspace, block: BlockRecord): string {
  const c = block.content;
  const text = inlineHtml(richTextOf(c.rich_text));
  const children = childrenHtml(ws, block.id);
  switch (block.type) {
    case "divider":
      return "<hr>";
    case "child_page":
      return `<p>📄 <a href="/view/pages/${block.id}?format=html">${escapeHtml(ws.pageTitle(block.id) || "Untitled")}</a></p>`;
    case "to_do":
      return `<li class="todo"><input type="checkbox" disabled${c.checked === true ? " checked" : ""}> ${text}${children}</li>`;
    case "toggle":
      return `<details open><summary>${text}</summary>${children}</details>`;
    default: {
      const tag = HTML_TAGS[block.type] ?? "div";
      return `<${tag} data-type="${block.type}">${text}</${tag}>${children}`;
    }
  }
}

/** Consecutive list items share one list element, as Notion's editor shows them. */
function childrenHtml(ws: Workspace, id: string): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const child of ws.liveChildren(id)) {
    const list =
      child.type === "numbered_list_item"
        ? "ol"
        : /^(bulleted_list_item|to_do)$/.test(child.type)
          ? "ul"
          : undefined;
    if (open !== list) {
      if (open) out.push(`</${open}>`);
      if (list) out.push(`<${list}>`);
      open = list;
    }
    out.push(blockHtml(ws, child));
  }
  if (open) out.push(`</${open}>`);
  return out.join("");
}

function propertyLines(ws: Workspace, pageId: string): Array<[string, string]> {
  const page = ws.pages.get(pageId);
  const block = ws.blocks.get(pageId);
  if (page === undefined || block === undefined) return [];
  return ws
    .schemaOf(pageId)
    .filter((config) => config.type !== "title")
    .map((config) => {
      const value = renderValue(config, page.values.get(config.id), block, ws)[config.type];
      return [config.name, describeValue(value)];
    });
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(describeValue).join(", ");
  if (typeof value !== "object") return String(value);
  const record = asRecord(value);
  if (typeof record.plain_text === "string") return record.plain_text;
  if (typeof record.start === "string")
    return record.end ? `${record.start} → ${String(record.end)}` : record.start;
  return asString(record.name) ?? asString(record.id) ?? JSON.stringify(value);
}

export function renderPage(ws: Workspace, pageId: string, format: Format): string | undefined {
  if (!ws.pages.has(pageId)) return undefined;
  const title = ws.pageTitle(pageId) || "Untitled";
  const trashed = ws.inTrash(pageId) ? " (in trash)" : "";
  if (format === "markdown") {
    const props = propertyLines(ws, pageId).map(([k, v]) => `- **${k}:** ${v}`);
    return [
      `# ${title}${trashed}`,
      "",
      ...props,
      ...(props.length ? [""] : []),
      ...childrenMarkdown(ws, pageId, ""),
    ]
      .join("\n")
      .concat("\n");
  }
  const props = propertyLines(ws, pageId)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("");
  return page(`${title}${trashed}`, `${props ? `<table>${props}</table>` : ""}${childrenHtml(ws, pageId)}`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}li.todo{list-style:none}aside{background:#f1f1ef;padding:.5rem 1rem}th{text-align:left;padding-right:1rem;color:#666}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Every database and its pages, newest first, with links to the page views. */
export function renderIndex(ws: Workspace, format: Format): string {
  const sections = [...ws.dataSources.values()].map((ds) => {
    const pages = ws
      .pagesIn(ds.id)
      .sort((a, b) => (ws.order.get(b.id) ?? 0) - (ws.order.get(a.id) ?? 0))
      .map((p) => ({ id: p.id, title: ws.pageTitle(p.id) || "Untitled", trashed: ws.inTrash(p.id) }));
    return { name: ds.name, pages };
  });
  if (format === "markdown") {
    return sections
      .map((s) =>
        [
          `## ${s.name}`,
          ...s.pages.map((p) => `- [${p.title}](/view/pages/${p.id})${p.trashed ? " (in trash)" : ""}`),
        ].join("\n"),
      )
      .join("\n\n")
      .concat("\n");
  }
  const body = sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.name)}</h2><ul>${s.pages
          .map(
            (p) =>
              `<li><a href="/view/pages/${p.id}?format=html">${escapeHtml(p.title)}</a>${p.trashed ? " (in trash)" : ""}</li>`,
          )
          .join("")}</ul>`,
    )
    .join("");
  return page(ws.name, body);
}
