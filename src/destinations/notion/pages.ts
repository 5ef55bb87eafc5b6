// Owns what the Notion destination reads from and writes to an agenda page's properties, as pure
// functions of the pair's config: the pair's mark and the query filters on it, a found page's date,
// title and unfinished mark, and the properties a new agenda page is created with.
import type { CreatePageParameters, QueryDataSourceParameters } from "@notionhq/client";
import * as z from "zod";
import { type Agenda, textOf } from "../../domain/agenda";
import type { AgendaRef, MeetingRef } from "../types";
import { DestinationError } from "../types";
import type { QueryPage } from "./api";
import type { NotionDestinationConfig } from "./config";
import { chunkRichText, type RichTextItemRequest, richTextToNotion } from "./rich-text";

/**
 * Ends the title of a page that is still being written; see destination.ts's header. Specific enough that
 * no person's title ends with it by chance, and plain enough to explain itself.
 */
export const UNFINISHED_MARK = " ⏳ (unfinished: being written by the agenda worker)";

type PageProperties = NonNullable<CreatePageParameters["properties"]>;
type QueryFilter = NonNullable<QueryDataSourceParameters["filter"]>;
/** One condition of an `and` filter. */
type FilterCondition = Extract<QueryFilter, { and: unknown }>["and"][number];

/** The property that marks a pair's pages when several pairs share a data source, and this pair's value. */
export interface PairMark {
  name: string;
  type: "select" | "rich_text";
  value: string;
}

const dateValueSchema = z.looseObject({
  type: z.literal("date"),
  date: z.looseObject({ start: z.string() }).nullable(),
});
const richTextValueSchema = z.looseObject({
  type: z.literal("rich_text"),
  rich_text: z.array(z.looseObject({ plain_text: z.string() })),
});
const titleValueSchema = z.looseObject({
  type: z.literal("title"),
  title: z.array(z.looseObject({ plain_text: z.string() })),
});
const selectValueSchema = z.looseObject({
  type: z.literal("select"),
  select: z.looseObject({ name: z.string() }).nullable(),
});

/** The pair's mark, or null when its pages carry none; the value defaults to the pair's id. */
export function pairMarkOf(config: NotionDestinationConfig, pairId: string): PairMark | null {
  if (config.pairProperty === undefined) return null;
  const { name, type, value } = config.pairProperty;
  return { name, type, value: value ?? pairId };
}

/** The properties the destination uses, each with the type it needs there. */
export function expectedTypes(
  config: NotionDestinationConfig,
  pair: PairMark | null,
): Record<string, string> {
  return {
    [config.titleProperty]: "title",
    [config.dateProperty]: "date",
    ...(pair === null ? {} : { [pair.name]: pair.type }),
  };
}

/**
 * A page's pair property value: its text, null for a select left empty, undefined when the property is
 * missing or of another type.
 */
function pairValue(page: QueryPage, pair: PairMark): string | null | undefined {
  const value = page.properties[pair.name];
  if (pair.type === "select") {
    const parsed = selectValueSchema.safeParse(value);
    return parsed.success ? (parsed.data.select?.name ?? null) : undefined;
  }
  const parsed = richTextValueSchema.safeParse(value);
  return parsed.success ? parsed.data.rich_text.map((item) => item.plain_text).join("") : undefined;
}

/** Whether a page found by the query carries this pair's mark exactly (Notion's filter may be looser). */
export function isMarked(page: QueryPage, pair: PairMark | null): boolean {
  return pair === null || pairValue(page, pair) === pair.value;
}

/** Whether a page's pair property is empty: the page was made by hand, by no pair's run. */
export function isUnmarked(page: QueryPage, pair: PairMark | null): boolean {
  if (pair === null) return false;
  const value = pairValue(page, pair);
  return pair.type === "select" ? value === null : typeof value === "string" && value.trim() === "";
}

/** The query for this pair's agendas dated on or before `date`. */
export function agendaFilter(dateProperty: string, pair: PairMark | null, date: string): QueryFilter {
  const onOrBefore: QueryFilter = { property: dateProperty, date: { on_or_before: date } };
  if (pair === null) return onOrBefore;
  const byPair: QueryFilter =
    pair.type === "select"
      ? { property: pair.name, select: { equals: pair.value } }
      : { property: pair.name, rich_text: { equals: pair.value } };
  return { and: [onOrBefore, byPair] };
}

/** A filter on the pair property: empty, or set to another value than this pair's. */
export function pairFilter(pair: PairMark | null, how: "empty" | "other"): FilterCondition[] {
  if (pair === null) return [];
  if (pair.type === "select") {
    return how === "empty"
      ? [{ property: pair.name, select: { is_empty: true } }]
      : [
          { property: pair.name, select: { is_not_empty: true } },
          { property: pair.name, select: { does_not_equal: pair.value } },
        ];
  }
  return how === "empty"
    ? [{ property: pair.name, rich_text: { is_empty: true } }]
    : [
        { property: pair.name, rich_text: { is_not_empty: true } },
        { property: pair.name, rich_text: { does_not_equal: pair.value } },
      ];
}

/** The page's date (YYYY-MM-DD), null when it has none; a missing or mistyped property is the pair's fault. */
export function pageDate(page: QueryPage, dateProperty: string, source: string): string | null {
  const value = page.properties[dateProperty];
  if (value === undefined) {
    throw new DestinationError(`Notion data source ${source} has no property "${dateProperty}"`, false);
  }
  const parsed = dateValueSchema.safeParse(value);
  if (!parsed.success) {
    throw new DestinationError(
      `Notion data source ${source} property "${dateProperty}" is not a date property`,
      false,
    );
  }
  return parsed.data.date === null ? null : parsed.data.date.start.slice(0, 10);
}

/** The page's title as people see it. */
export function titleOf(page: QueryPage, titleProperty: string): string | undefined {
  const parsed = titleValueSchema.safeParse(page.properties[titleProperty]);
  return parsed.success ? parsed.data.title.map((item) => item.plain_text).join("") : undefined;
}

/** Whether a page's title carries the unfinished mark: it is still being written, or never was whole. */
export function isUnfinished(page: QueryPage, titleProperty: string): boolean {
  return titleOf(page, titleProperty)?.endsWith(UNFINISHED_MARK) ?? false;
}

/**
 * The previous agenda found by the query. D1 records every agenda the Worker made: when it knows of
 * none before this meeting, the page was made by people and is taken over.
 */
export function previousRef(
  page: QueryPage,
  date: string,
  meeting: MeetingRef,
  titleProperty: string,
): AgendaRef {
  const title = titleOf(page, titleProperty);
  return {
    id: page.id,
    url: page.url,
    date,
    ...(title === undefined ? {} : { title }),
    ...(meeting.known?.previous === null ? { takenOver: true } : {}),
  };
}

/** The title property's value: the agenda's title, with the unfinished mark when asked. */
export function titleValue(meeting: MeetingRef, agenda: Agenda, unfinished: boolean) {
  const text = richTextToNotion(textOf(agenda.title));
  const mark: RichTextItemRequest[] = [{ type: "text", text: { content: UNFINISHED_MARK } }];
  const [title, ...overflow] = chunkRichText(unfinished ? [...text, ...mark] : text);
  if (title === undefined || overflow.length > 0) {
    throw new DestinationError(`the agenda title for ${meeting.key} is too long for a Notion title`, false);
  }
  return { title };
}

/** The properties an agenda page is created with: title, date and the pair's mark. */
export function pageProperties(
  config: NotionDestinationConfig,
  pair: PairMark | null,
  meeting: MeetingRef,
  agenda: Agenda,
  unfinished: boolean,
): PageProperties {
  const properties: PageProperties = {
    [config.titleProperty]: titleValue(meeting, agenda, unfinished),
    [config.dateProperty]: { date: { start: meeting.date } },
  };
  if (pair !== null) {
    const text: RichTextItemRequest[] = [{ type: "text", text: { content: pair.value } }];
    properties[pair.name] = pair.type === "select" ? { select: { name: pair.value } } : { rich_text: text };
  }
  return properties;
}
