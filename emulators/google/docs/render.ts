// Renders the model as Docs v1 JSON: structural elements with indices, text runs merged by style, chips, tabs, lists, named ranges.
import { canonical, type JsonObject } from "../../common/json";
import { displayText } from "./dates";
import { type DocumentModel, firstTab, type TabModel, type Unit } from "./model";

const PT = (magnitude: number): JsonObject => ({ magnitude, unit: "PT" });

/** proto3 JSON leaves out zero numbers: a first tab has no `index`, a top-level bullet no `nestingLevel`. */
function nonZero(key: string, value: number): JsonObject {
  return value === 0 ? {} : { [key]: value };
}

const SECTION_BREAK: JsonObject = {
  endIndex: 1,
  sectionBreak: {
    sectionStyle: {
      columnSeparatorStyle: "NONE",
      contentDirection: "LEFT_TO_RIGHT",
      sectionType: "CONTINUOUS",
    },
  },
};

function documentStyle(): JsonObject {
  return {
    background: { color: {} },
    pageNumberStart: 1,
    marginTop: PT(72),
    marginBottom: PT(72),
    marginRight: PT(72),
    marginLeft: PT(72),
    pageSize: { height: PT(792), width: PT(612) },
    marginHeader: PT(36),
    marginFooter: PT(36),
    useCustomHeaderFooterMargins: true,
  };
}

const NAMED_STYLE_SIZES: ReadonlyArray<[string, number]> = [
  ["NORMAL_TEXT", 11],
  ["TITLE", 26],
  ["SUBTITLE", 15],
  ["HEADING_1", 20],
  ["HEADING_2", 16],
  ["HEADING_3", 14],
  ["HEADING_4", 12],
  ["HEADING_5", 11],
  ["HEADING_6", 11],
];

function namedStyles(): JsonObject {
  return {
    styles: NAMED_STYLE_SIZES.map(([type, size]) => ({
      namedStyleType: type,
      textStyle: { fontSize: PT(size), weightedFontFamily: { fontFamily: "Arial", weight: 400 } },
      paragraphStyle: { namedStyleType: type, direction: "LEFT_TO_RIGHT" },
    })),
  };
}

function chipElement(unit: Unit, tab: TabModel): JsonObject | undefined {
  switch (unit.kind) {
    case "person":
      return {
        person: {
          personId: unit.id,
          personProperties: { email: unit.email, ...(unit.name !== undefined ? { name: unit.name } : {}) },
          textStyle: { ...unit.style },
        },
      };
    case "date":
      return {
        dateElement: {
          dateId: unit.id,
          dateElementProperties: { ...unit.date, displayText: displayText(unit.date) },
          textStyle: { ...unit.style },
        },
      };
    case "dropdown": {
      const option = tab.dropdowns[unit.definitionId]?.options.find(
        (o) => o.optionId === unit.selectedOptionId,
      );
      return {
        dropdown: {
          dropdownId: unit.id,
          dropdownProperties: {
            dropdownDefinitionId: unit.definitionId,
            ...(unit.selectedOptionId !== undefined ? { selectedOptionId: unit.selectedOptionId } : {}),
            ...(option !== undefined ? { displayValue: option.displayValue } : {}),
          },
          textStyle: { ...unit.style },
        },
      };
    }
    default:
      return undefined;
  }
}

function renderBody(tab: TabModel): JsonObject {
  const content: JsonObject[] = [SECTION_BREAK];
  let paragraphStart = 1;
  let elements: JsonObject[] = [];
  let run: { start: number; end: number; content: string; style: JsonObject; key: string } | undefined;
  const flush = () => {
    if (run === undefined) return;
    elements.push({
      startIndex: run.start,
      endIndex: run.end,
      textRun: { content: run.content, textStyle: { ...run.style } },
    });
    run = undefined;
  };
  tab.units.forEach((unit, i) => {
    if (unit.kind === "sectionBreak") return;
    if (unit.kind === "char" || unit.kind === "newline") {
      const ch = unit.kind === "char" ? unit.ch : "\n";
      const key = canonical(unit.style);
      if (run !== undefined && run.key === key) {
        run.content += ch;
        run.end = i + 1;
      } else {
        flush();
        run = { start: i, end: i + 1, content: ch, style: unit.style, key };
      }
    } else {
      flush();
      elements.push({ startIndex: i, endIndex: i + 1, ...chipElement(unit, tab) });
    }
    if (unit.kind === "newline") {
      flush();
      const bullet = unit.para.bullet;
      content.push({
        startIndex: paragraphStart,
        endIndex: i + 1,
        paragraph: {
          elements,
          paragraphStyle: { ...unit.para.style },
          ...(bullet === undefined
            ? {}
            : {
                bullet: {
                  listId: bullet.listId,
                  ...nonZero("nestingLevel", bullet.nestingLevel),
                  textStyle: { ...bullet.textStyle },
                },
              }),
        },
      });
      elements = [];
      paragraphStart = i + 1;
    }
  });
  return { content };
}

function referencedLists(tab: TabModel): Set<string> {
  const ids = new Set<string>();
  for (const unit of tab.units)
    if (unit.kind === "newline" && unit.para.bullet) ids.add(unit.para.bullet.listId);
  return ids;
}

/** The per-tab maps; empty maps are left out, as proto3 JSON does. */
function tabMaps(tab: TabModel): JsonObject {
  const out: JsonObject = {};
  const used = referencedLists(tab);
  const lists = Object.entries(tab.lists).filter(([id]) => used.has(id));
  if (lists.length > 0) {
    out.lists = Object.fromEntries(
      lists.map(([id, list]) => [
        id,
        { listProperties: { nestingLevels: structuredClone(list.nestingLevels) } },
      ]),
    );
  }
  if (tab.namedRanges.length > 0) {
    const byName: Record<string, { name: string; namedRanges: JsonObject[] }> = {};
    for (const named of tab.namedRanges) {
      const group = byName[named.name] ?? { name: named.name, namedRanges: [] };
      group.namedRanges.push({
        namedRangeId: named.id,
        name: named.name,
        ranges: named.ranges.map((r) => ({ startIndex: r.start, endIndex: r.end, tabId: tab.tabId })),
      });
      byName[named.name] = group;
    }
    out.namedRanges = byName;
  }
  return out;
}

function renderDocumentTab(tab: TabModel): JsonObject {
  const dropdowns = Object.values(tab.dropdowns);
  return {
    body: renderBody(tab),
    documentStyle: documentStyle(),
    namedStyles: namedStyles(),
    ...tabMaps(tab),
    ...(dropdowns.length === 0
      ? {}
      : {
          dropdownDefinitions: Object.fromEntries(
            dropdowns.map((d) => [
              d.id,
              {
                dropdownDefinitionId: d.id,
                dropdownDefinitionProperties: {
                  ...(d.title !== undefined ? { title: d.title } : {}),
                  options: structuredClone(d.options),
                },
              },
            ]),
          ),
        }),
  };
}

export function renderTabProperties(
  tab: TabModel,
  index: number,
  nestingLevel: number,
  parent?: TabModel,
): JsonObject {
  return {
    tabId: tab.tabId,
    title: tab.title,
    ...nonZero("index", index),
    ...nonZero("nestingLevel", nestingLevel),
    ...(parent !== undefined ? { parentTabId: parent.tabId } : {}),
    ...(tab.iconEmoji !== undefined ? { iconEmoji: tab.iconEmoji } : {}),
  };
}

function renderTab(tab: TabModel, index: number, nestingLevel: number, parent?: TabModel): JsonObject {
  return {
    tabProperties: renderTabProperties(tab, index, nestingLevel, parent),
    documentTab: renderDocumentTab(tab),
    ...(tab.childTabs.length > 0
      ? { childTabs: tab.childTabs.map((child, i) => renderTab(child, i, nestingLevel + 1, tab)) }
      : {}),
  };
}

/**
 * GET /v1/documents/:id. With includeTabsContent the content is in `tabs`; without it the first
 * tab's content fills the legacy top-level fields and `tabs` is absent.
 */
export function renderDocument(doc: DocumentModel, title: string, includeTabs: boolean): JsonObject {
  const head = {
    documentId: doc.documentId,
    title,
    revisionId: doc.revisionId,
    suggestionsViewMode: "SUGGESTIONS_INLINE",
  };
  if (includeTabs) return { ...head, tabs: doc.tabs.map((tab, i) => renderTab(tab, i, 0)) };
  const tab = firstTab(doc);
  return {
    ...head,
    body: renderBody(tab),
    documentStyle: documentStyle(),
    namedStyles: namedStyles(),
    ...tabMaps(tab),
  };
}
