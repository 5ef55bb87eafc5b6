// Builds a document model from the control API's content spec (headings, runs, lists, checkboxes, chips, named ranges, tabs).

import type { JsonObject } from "../../common/json";
import type {
  BlockSpec,
  DateSpec,
  DropdownSpec,
  InlineSpec,
  Inlines,
  PersonSpec,
  TabSpec,
  TextSpec,
} from "../control-types";
import { dropdownOptionId, headingId, kixId, tabId as newTabId, revisionId } from "../ids";
import { zoneFor } from "./dates";
import { CHECKBOX, DECIMAL, DISC, indentFor, nestingLevels } from "./lists";
import {
  type DocumentModel,
  defaultParagraph,
  emptyTab,
  type ParagraphProps,
  type TabModel,
  type Unit,
} from "./model";

class SeedError extends Error {}

export interface SeedResult {
  doc: DocumentModel;
  namedRanges: Record<string, string>;
  dropdownDefinitions: Record<string, string>;
}

function isText(inline: InlineSpec): inline is TextSpec {
  return typeof inline === "object" && "text" in inline;
}
function isPerson(inline: InlineSpec): inline is PersonSpec {
  return typeof inline === "object" && "person" in inline;
}
function isDate(inline: InlineSpec): inline is DateSpec {
  return typeof inline === "object" && "date" in inline;
}

function textStyle(spec: TextSpec, extra: JsonObject): JsonObject {
  const style: JsonObject = { ...extra };
  for (const key of ["bold", "italic", "underline", "strikethrough"] as const)
    if (spec[key] === true) style[key] = true;
  if (spec.link !== undefined) style.link = { url: spec.link };
  return style;
}

function timestamp(date: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
  if (Number.isNaN(ms)) throw new SeedError(`date chip ${date} is not a date`);
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

class TabBuilder {
  readonly tab: TabModel;
  /** The list each preset continues while list items follow one another. */
  private readonly lists = new Map<string, string>();

  constructor(
    tabId: string,
    title: string,
    private readonly nameOf: (email: string) => string | undefined,
    private readonly result: SeedResult,
  ) {
    this.tab = { ...emptyTab(tabId, title), units: [{ kind: "sectionBreak" }] };
  }

  finish(): TabModel {
    if (this.tab.units.length === 1)
      this.tab.units.push({ kind: "newline", style: {}, para: defaultParagraph() });
    return this.tab;
  }

  blocks(blocks: readonly BlockSpec[], depth: number): void {
    for (const block of blocks) this.block(block, depth);
  }

  private block(block: BlockSpec, depth: number): void {
    if ("namedRange" in block) {
      const start = this.tab.units.length;
      this.blocks(block.content, depth);
      const id = kixId();
      this.tab.namedRanges.push({
        id,
        name: block.namedRange,
        ranges: [{ start, end: this.tab.units.length }],
      });
      this.result.namedRanges[block.namedRange] ??= id;
      return;
    }
    if ("title" in block) {
      this.styled(block.title, "TITLE");
      return;
    }
    if ("heading" in block) {
      this.styled(block.heading, `HEADING_${block.level ?? 1}`);
      return;
    }
    if ("paragraph" in block) {
      this.styled(block.paragraph, "NORMAL_TEXT");
      return;
    }
    const [preset, inlines] =
      "bullet" in block
        ? [DISC, block.bullet]
        : "numbered" in block
          ? [DECIMAL, block.numbered]
          : [CHECKBOX, block.checkbox];
    const level = depth + (block.level ?? 0);
    let listId = this.lists.get(preset);
    if (listId === undefined) {
      listId = kixId();
      this.lists.set(preset, listId);
      this.tab.lists[listId] = { preset, nestingLevels: nestingLevels(preset) };
    }
    const checked = "checkbox" in block && block.checked === true;
    this.paragraph(
      inlines,
      {
        style: { ...defaultParagraph().style, ...indentFor(level) },
        bullet: { listId, nestingLevel: level, textStyle: {} },
      },
      checked ? { strikethrough: true } : {},
    );
    this.blocks(block.children ?? [], level + 1);
  }

  private styled(inlines: Inlines, namedStyleType: string): void {
    this.lists.clear();
    const style: JsonObject = { namedStyleType, direction: "LEFT_TO_RIGHT" };
    if (namedStyleType !== "NORMAL_TEXT") style.headingId = headingId();
    this.paragraph(inlines, { style });
  }

  private paragraph(inlines: Inlines, para: ParagraphProps, extra: JsonObject = {}): void {
    const list = typeof inlines === "string" ? [inlines] : inlines;
    for (const inline of list) this.tab.units.push(...this.inline(inline, extra));
    this.tab.units.push({ kind: "newline", style: {}, para });
  }

  private inline(inline: InlineSpec, extra: JsonObject): Unit[] {
    if (typeof inline === "string" || isText(inline)) {
      const text = typeof inline === "string" ? inline : inline.text;
      if (text.includes("\n"))
        throw new SeedError("text in a seed block must not contain newlines; use more blocks");
      const style = typeof inline === "string" ? { ...extra } : textStyle(inline, extra);
      return Array.from({ length: text.length }, (_, i) => ({ kind: "char", ch: text[i] ?? "", style }));
    }
    if (isPerson(inline)) {
      const name = inline.name ?? this.nameOf(inline.person);
      return [
        {
          kind: "person",
          id: kixId(),
          email: inline.person,
          ...(name !== undefined ? { name } : {}),
          style: {},
        },
      ];
    }
    if (isDate(inline)) {
      zoneFor(inline.timeZone);
      const date = {
        timestamp: timestamp(inline.date),
        ...(inline.format !== undefined ? { dateFormat: inline.format } : {}),
        ...(inline.timeFormat !== undefined ? { timeFormat: inline.timeFormat } : {}),
        ...(inline.locale !== undefined ? { locale: inline.locale } : {}),
        ...(inline.timeZone !== undefined ? { timeZoneId: inline.timeZone } : {}),
      };
      return [{ kind: "date", id: kixId(), date, style: {} }];
    }
    return [this.dropdown(inline)];
  }

  private dropdown(spec: DropdownSpec): Unit {
    if (spec.dropdown.length < 2) throw new SeedError("a dropdown needs at least 2 options");
    const key = spec.title ?? spec.dropdown.join("/");
    let definition = Object.values(this.tab.dropdowns).find(
      (d) => (d.title ?? d.options.map((o) => o.displayValue).join("/")) === key,
    );
    if (definition === undefined) {
      definition = {
        id: kixId(),
        ...(spec.title !== undefined ? { title: spec.title } : {}),
        options: spec.dropdown.map((displayValue) => ({ optionId: dropdownOptionId(), displayValue })),
      };
      this.tab.dropdowns[definition.id] = definition;
      this.result.dropdownDefinitions[key] ??= definition.id;
    }
    const wanted = spec.selected ?? spec.dropdown[0];
    const option = definition.options.find((o) => o.displayValue === wanted || o.optionId === wanted);
    if (option === undefined) throw new SeedError(`dropdown option ${String(wanted)} is not one of ${key}`);
    return {
      kind: "dropdown",
      id: kixId(),
      definitionId: definition.id,
      selectedOptionId: option.optionId,
      style: {},
    };
  }
}

export function buildDocument(
  documentId: string,
  spec: { content?: readonly BlockSpec[]; tabs?: readonly TabSpec[] },
  nameOf: (email: string) => string | undefined,
): SeedResult {
  const result: SeedResult = {
    doc: { documentId, revisionId: revisionId(), tabs: [] },
    namedRanges: {},
    dropdownDefinitions: {},
  };
  let first = true;
  const build = (tabSpec: TabSpec, position: number): TabModel => {
    const id = first ? "t.0" : newTabId();
    first = false;
    const builder = new TabBuilder(id, tabSpec.title ?? `Tab ${position}`, nameOf, result);
    builder.blocks(tabSpec.content, 0);
    const tab = builder.finish();
    if (tabSpec.iconEmoji !== undefined) tab.iconEmoji = tabSpec.iconEmoji;
    tab.childTabs = (tabSpec.children ?? []).map((child, i) => build(child, position + i + 1));
    return tab;
  };
  const tabs: readonly TabSpec[] = spec.tabs ?? [{ title: "Tab 1", content: [...(spec.content ?? [])] }];
  if (spec.tabs !== undefined && spec.content !== undefined)
    throw new SeedError("give either content or tabs");
  result.doc.tabs = tabs.map((tab, i) => build(tab, i + 1));
  return result;
}
