// A plain-text view of documents for people: headings, lists, checkboxes and chips the way the Docs editor shows them.

import { asRecord, asString } from "../common/json";
import { isoDate } from "./docs/dates";
import { CHECKBOX } from "./docs/lists";
import { allTabs, type DocumentModel, paragraphs, type TabModel } from "./docs/model";
import type { Workspace } from "./workspace";

const HEADING_MARKS: Record<string, string> = {
  TITLE: "= ",
  SUBTITLE: "== ",
  HEADING_1: "# ",
  HEADING_2: "## ",
  HEADING_3: "### ",
  HEADING_4: "#### ",
  HEADING_5: "##### ",
  HEADING_6: "###### ",
};

function renderTab(tab: TabModel): string {
  const lines: string[] = [];
  const counters = new Map<string, number[]>();
  for (const span of paragraphs(tab)) {
    let text = "";
    let struck = true;
    let hasText = false;
    let link: string | undefined;
    const closeLink = () => {
      if (link !== undefined) text += ` <${link}>`;
      link = undefined;
    };
    for (let i = span.start; i < span.end - 1; i++) {
      const unit = tab.units[i];
      if (unit === undefined) continue;
      if (unit.kind === "char") {
        const url = asString(asRecord(unit.style.link).url);
        if (url !== link) closeLink();
        link = url;
        text += unit.ch;
        hasText = hasText || unit.ch.trim() !== "";
        struck = struck && unit.style.strikethrough === true;
        continue;
      }
      closeLink();
      if (unit.kind === "person") text += `@${unit.name ?? unit.email}`;
      else if (unit.kind === "date") text += `📅 ${isoDate(unit.date)}`;
      else if (unit.kind === "dropdown") {
        const option = tab.dropdowns[unit.definitionId]?.options.find(
          (o) => o.optionId === unit.selectedOptionId,
        );
        text += `[${option?.displayValue ?? ""}▾]`;
      }
    }
    closeLink();
    const newline = tab.units[span.end - 1];
    const para = newline?.kind === "newline" ? newline.para : undefined;
    const bullet = para?.bullet;
    if (bullet !== undefined) {
      const indent = "  ".repeat(bullet.nestingLevel);
      const preset = tab.lists[bullet.listId]?.preset ?? "";
      let mark = "•";
      if (preset === CHECKBOX) mark = hasText && struck ? "☑" : "☐";
      else if (preset.startsWith("NUMBERED")) {
        const counts = counters.get(bullet.listId) ?? [];
        counts[bullet.nestingLevel] = (counts[bullet.nestingLevel] ?? 0) + 1;
        counts.length = bullet.nestingLevel + 1;
        counters.set(bullet.listId, counts);
        mark = `${counts[bullet.nestingLevel]}.`;
      }
      lines.push(`${indent}${mark} ${text}`);
    } else {
      lines.push(`${HEADING_MARKS[String(para?.style.namedStyleType)] ?? ""}${text}`);
    }
  }
  for (const named of tab.namedRanges) {
    lines.push(`⟦named range "${named.name}" ${named.ranges.map((r) => `${r.start}–${r.end}`).join(", ")}⟧`);
  }
  return lines.join("\n");
}

export function renderDocumentText(doc: DocumentModel, title: string): string {
  const tabs = allTabs(doc);
  const parts = [`${title}  (revision ${doc.revisionId.slice(0, 12)}…)`];
  for (const tab of tabs) {
    if (tabs.length > 1) parts.push(`\n──── tab "${tab.title}" (${tab.tabId}) ────`);
    parts.push(renderTab(tab));
  }
  return `${parts.join("\n")}\n`;
}

export function renderIndex(ws: Workspace): string {
  const lines = ["Documents:"];
  for (const [id, doc] of ws.documents) {
    const item = ws.drive.items.get(id);
    lines.push(`  /view/documents/${id}  ${item?.name ?? "?"}  (${doc.tabs.length} tab(s))`);
  }
  return `${lines.join("\n")}\n`;
}
