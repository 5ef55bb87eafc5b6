// Data source query semantics: filters (property, timestamp, and/or) and sorts over stored pages.

import { asArray, asRecord, asString, isRecord, type JsonObject } from "../common/json";
import { NotionApiError } from "./errors";
import { findProperty } from "./store/properties";
import { plainText } from "./store/rich-text";
import type { PropertyConfig, PropertyType, Stamp, StoredValue } from "./store/types";

export interface Row {
  id: string;
  values: Map<string, StoredValue>;
  stamp: Stamp;
  order: number;
}

export interface QueryContext {
  schema: readonly PropertyConfig[];
  now: Date;
  /** The calling integration's bot user, which `"me"` names in people filters. */
  meId: string;
  userName(id: string): string;
}

type Predicate = (row: Row) => boolean;
type Comparator = (a: Row, b: Row) => number;

const TEXT_TYPES = new Set<PropertyType>(["title", "rich_text", "url", "email", "phone_number"]);

/** Which property types each filter key may be used on. */
const FILTER_TARGETS: Record<string, ReadonlySet<PropertyType>> = {
  title: TEXT_TYPES,
  rich_text: TEXT_TYPES,
  url: TEXT_TYPES,
  email: TEXT_TYPES,
  phone_number: TEXT_TYPES,
  number: new Set(["number"]),
  checkbox: new Set(["checkbox"]),
  select: new Set(["select"]),
  status: new Set(["status"]),
  multi_select: new Set(["multi_select"]),
  date: new Set(["date", "created_time", "last_edited_time"]),
  created_time: new Set(["created_time"]),
  last_edited_time: new Set(["last_edited_time"]),
  people: new Set(["people", "created_by", "last_edited_by"]),
  created_by: new Set(["created_by"]),
  last_edited_by: new Set(["last_edited_by"]),
};

const UNSUPPORTED_FILTERS = new Set(["files", "relation", "formula", "unique_id", "rollup", "verification"]);

function conditionOf(raw: JsonObject, path: string): [string, unknown] {
  const entries = Object.entries(raw);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined) {
    throw NotionApiError.validation(`body failed validation: ${path} should have exactly one condition.`);
  }
  return first;
}

// ---- value readers ---------------------------------------------------------------------------

function textOf(config: PropertyConfig, row: Row): string {
  const value = row.values.get(config.id);
  if (value === undefined) return "";
  if (value.type === "title" || value.type === "rich_text") return plainText(value.value);
  if (value.type === "url" || value.type === "email" || value.type === "phone_number")
    return value.value ?? "";
  return "";
}

function instantOf(config: PropertyConfig, row: Row): string | null {
  if (config.type === "created_time") return row.stamp.createdTime;
  if (config.type === "last_edited_time") return row.stamp.lastEditedTime;
  const value = row.values.get(config.id);
  return value?.type === "date" && value.value !== null ? value.value.start : null;
}

function peopleOf(config: PropertyConfig, row: Row): string[] {
  if (config.type === "created_by") return [row.stamp.createdBy];
  if (config.type === "last_edited_by") return [row.stamp.lastEditedBy];
  const value = row.values.get(config.id);
  return value?.type === "people" ? value.value : [];
}

function optionNames(config: PropertyConfig, row: Row): string[] {
  const value = row.values.get(config.id);
  const ids =
    value?.type === "select" || value?.type === "status" ? (value.value === null ? [] : [value.value]) : [];
  const multi = value?.type === "multi_select" ? value.value : [];
  return [...ids, ...multi].map((id) => config.options.find((o) => o.id === id)?.name ?? "");
}

function numberOf(config: PropertyConfig, row: Row): number | null {
  const value = row.values.get(config.id);
  return value?.type === "number" ? value.value : null;
}

function checkboxOf(config: PropertyConfig, row: Row): boolean {
  const value = row.values.get(config.id);
  return value?.type === "checkbox" ? value.value : false;
}

// ---- conditions ------------------------------------------------------------------------------

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function dayOffset(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const RELATIVE_DAYS: Record<string, number> = {
  today: 0,
  tomorrow: 1,
  yesterday: -1,
  one_week_ago: -7,
  one_week_from_now: 7,
  one_month_ago: -30,
  one_month_from_now: 30,
};

function resolveDate(raw: unknown, now: Date, path: string): string {
  const value = asString(raw);
  if (value === undefined)
    throw NotionApiError.validation(`body failed validation: ${path} should be a date string.`);
  const relative = RELATIVE_DAYS[value];
  if (relative !== undefined) return dayOffset(now, relative);
  if (Number.isNaN(Date.parse(value))) {
    throw NotionApiError.validation(
      `body failed validation: ${path} should be a valid ISO 8601 date string, instead was \`${JSON.stringify(value)}\`.`,
    );
  }
  return value;
}

/** Compares a stored date with a filter date: by calendar day when the filter names a day, else by instant. */
function compareDates(stored: string, filter: string): number {
  if (isDay(filter)) return stored.slice(0, 10).localeCompare(filter);
  const a = Date.parse(isDay(stored) ? `${stored}T00:00:00Z` : stored);
  return Math.sign(a - Date.parse(filter));
}

const WINDOW_DAYS: Record<string, [number, number]> = {
  past_week: [-7, 0],
  past_month: [-30, 0],
  past_year: [-365, 0],
  next_week: [0, 7],
  next_month: [0, 30],
  next_year: [0, 365],
};

function dateCondition(
  read: (row: Row) => string | null,
  raw: unknown,
  ctx: QueryContext,
  path: string,
): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  if (op === "is_empty") return (row) => read(row) === null;
  if (op === "is_not_empty") return (row) => read(row) !== null;
  const window = WINDOW_DAYS[op];
  if (window !== undefined || op === "this_week") {
    const startOfWeek = -ctx.now.getUTCDay();
    const [from, to] = window ?? [startOfWeek, startOfWeek + 6];
    const lo = dayOffset(ctx.now, from);
    const hi = dayOffset(ctx.now, to);
    return (row) => {
      const day = read(row)?.slice(0, 10);
      return day !== undefined && day >= lo && day <= hi;
    };
  }
  const target = resolveDate(operand, ctx.now, `${path}.${op}`);
  const test: Record<string, (c: number) => boolean> = {
    equals: (c) => c === 0,
    before: (c) => c < 0,
    after: (c) => c > 0,
    on_or_before: (c) => c <= 0,
    on_or_after: (c) => c >= 0,
  };
  const check = test[op];
  if (check === undefined) throw NotionApiError.unsupported(`the date filter condition "${op}"`);
  return (row) => {
    const stored = read(row);
    return stored !== null && check(compareDates(stored, target));
  };
}

function textCondition(config: PropertyConfig, raw: unknown, path: string): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  const needle = typeof operand === "string" ? operand : "";
  const lower = needle.toLowerCase();
  const read = (row: Row) => textOf(config, row);
  const tests: Record<string, (text: string) => boolean> = {
    equals: (t) => t === needle,
    does_not_equal: (t) => t !== needle,
    contains: (t) => t.toLowerCase().includes(lower),
    does_not_contain: (t) => !t.toLowerCase().includes(lower),
    starts_with: (t) => t.toLowerCase().startsWith(lower),
    ends_with: (t) => t.toLowerCase().endsWith(lower),
    is_empty: (t) => t === "",
    is_not_empty: (t) => t !== "",
  };
  const test = tests[op];
  if (test === undefined) throw NotionApiError.unsupported(`the text filter condition "${op}"`);
  return (row) => test(read(row));
}

function optionCondition(config: PropertyConfig, raw: unknown, path: string): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  const wanted = (Array.isArray(operand) ? operand : [operand]).filter(
    (v): v is string => typeof v === "string",
  );
  const read = (row: Row) => optionNames(config, row);
  switch (op) {
    case "equals":
    case "contains":
      return (row) => read(row).some((name) => wanted.includes(name));
    case "does_not_equal":
    case "does_not_contain":
      return (row) => !read(row).some((name) => wanted.includes(name));
    case "is_empty":
      return (row) => read(row).length === 0;
    case "is_not_empty":
      return (row) => read(row).length > 0;
    default:
      throw NotionApiError.unsupported(`the ${config.type} filter condition "${op}"`);
  }
}

function numberCondition(config: PropertyConfig, raw: unknown, path: string): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  const n = typeof operand === "number" ? operand : Number.NaN;
  const tests: Record<string, (v: number | null) => boolean> = {
    equals: (v) => v === n,
    does_not_equal: (v) => v !== n,
    greater_than: (v) => v !== null && v > n,
    less_than: (v) => v !== null && v < n,
    greater_than_or_equal_to: (v) => v !== null && v >= n,
    less_than_or_equal_to: (v) => v !== null && v <= n,
    is_empty: (v) => v === null,
    is_not_empty: (v) => v !== null,
  };
  const test = tests[op];
  if (test === undefined) throw NotionApiError.unsupported(`the number filter condition "${op}"`);
  return (row) => test(numberOf(config, row));
}

function checkboxCondition(config: PropertyConfig, raw: unknown, path: string): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  if (op === "equals") return (row) => checkboxOf(config, row) === operand;
  if (op === "does_not_equal") return (row) => checkboxOf(config, row) !== operand;
  throw NotionApiError.unsupported(`the checkbox filter condition "${op}"`);
}

function peopleCondition(config: PropertyConfig, raw: unknown, ctx: QueryContext, path: string): Predicate {
  const [op, operand] = conditionOf(asRecord(raw), path);
  const id = operand === "me" ? ctx.meId : asString(operand);
  switch (op) {
    case "contains":
      return (row) => id !== undefined && peopleOf(config, row).includes(id);
    case "does_not_contain":
      return (row) => id === undefined || !peopleOf(config, row).includes(id);
    case "is_empty":
      return (row) => peopleOf(config, row).length === 0;
    case "is_not_empty":
      return (row) => peopleOf(config, row).length > 0;
    default:
      throw NotionApiError.unsupported(`the people filter condition "${op}"`);
  }
}

function propertyFilter(raw: JsonObject, ctx: QueryContext, path: string): Predicate {
  const name = asString(raw.property) ?? "";
  const config = findProperty(ctx.schema, name);
  if (config === undefined)
    throw NotionApiError.validation(`Could not find property with name or id: ${name}`);
  const key = Object.keys(raw).find((k) => k !== "property" && k !== "type");
  if (key === undefined) {
    throw NotionApiError.validation(
      `body failed validation: ${path} should have a ${config.type} condition.`,
    );
  }
  if (UNSUPPORTED_FILTERS.has(key)) throw NotionApiError.unsupported(`${key} filters`);
  if (!FILTER_TARGETS[key]?.has(config.type)) {
    throw NotionApiError.validation(`database property ${config.type} does not match filter ${key}`);
  }
  const condition = raw[key];
  const conditionPath = `${path}.${key}`;
  switch (key) {
    case "title":
    case "rich_text":
    case "url":
    case "email":
    case "phone_number":
      return textCondition(config, condition, conditionPath);
    case "number":
      return numberCondition(config, condition, conditionPath);
    case "checkbox":
      return checkboxCondition(config, condition, conditionPath);
    case "select":
    case "status":
    case "multi_select":
      return optionCondition(config, condition, conditionPath);
    case "people":
    case "created_by":
    case "last_edited_by":
      return peopleCondition(config, condition, ctx, conditionPath);
    default:
      return dateCondition((row) => instantOf(config, row), condition, ctx, conditionPath);
  }
}

/** Turns a query's `filter` into a predicate; bad property names fail here, before any page is read. */
export function compileFilter(raw: unknown, ctx: QueryContext, path = "body.filter"): Predicate {
  if (raw === undefined || raw === null) return () => true;
  const filter = asRecord(raw);
  if (Array.isArray(filter.and)) {
    const parts = filter.and.map((f, i) => compileFilter(f, ctx, `${path}.and[${i}]`));
    return (row) => parts.every((p) => p(row));
  }
  if (Array.isArray(filter.or)) {
    const parts = filter.or.map((f, i) => compileFilter(f, ctx, `${path}.or[${i}]`));
    return (row) => parts.some((p) => p(row));
  }
  const timestamp = asString(filter.timestamp);
  if (timestamp === "created_time" || timestamp === "last_edited_time") {
    const read = (row: Row) =>
      timestamp === "created_time" ? row.stamp.createdTime : row.stamp.lastEditedTime;
    return dateCondition(read, filter[timestamp], ctx, `${path}.${timestamp}`);
  }
  if (typeof filter.property === "string") return propertyFilter(filter, ctx, path);
  throw NotionApiError.validation(
    `body failed validation: ${path}.property should be defined, instead was \`undefined\`.`,
  );
}

// ---- sorts -----------------------------------------------------------------------------------

function sortKey(config: PropertyConfig, row: Row, ctx: QueryContext): string | number | null {
  switch (config.type) {
    case "number":
      return numberOf(config, row);
    case "checkbox":
      return checkboxOf(config, row) ? 1 : 0;
    case "date":
    case "created_time":
    case "last_edited_time": {
      const instant = instantOf(config, row);
      return instant === null ? null : Date.parse(isDay(instant) ? `${instant}T00:00:00Z` : instant);
    }
    case "select":
    case "status":
    case "multi_select": {
      // Notion orders options by their position in the schema, not alphabetically.
      const first = optionNames(config, row)[0];
      return first === undefined ? null : config.options.findIndex((o) => o.name === first);
    }
    case "people":
    case "created_by":
    case "last_edited_by": {
      const first = peopleOf(config, row)[0];
      return first === undefined ? null : ctx.userName(first);
    }
    default: {
      const text = textOf(config, row);
      return text === "" ? null : text;
    }
  }
}

function compareKeys(a: string | number | null, b: string | number | null): number {
  // Empty values go last whatever the direction, as in Notion's views.
  if (a === null || b === null) return a === b ? 0 : Number.NaN;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

export function compileSorts(raw: unknown, ctx: QueryContext): Comparator {
  const sorts = asArray(raw).map((s, i): Comparator => {
    const sort = asRecord(s);
    const sign = sort.direction === "descending" ? -1 : 1;
    const timestamp = asString(sort.timestamp);
    let key: (row: Row) => string | number | null;
    if (timestamp !== undefined) {
      key = (row) =>
        Date.parse(timestamp === "created_time" ? row.stamp.createdTime : row.stamp.lastEditedTime);
    } else {
      const name = asString(sort.property) ?? "";
      const config = findProperty(ctx.schema, name);
      if (config === undefined) {
        throw NotionApiError.validation(`Could not find sort property with name or id: ${name}`);
      }
      if (!isRecord(s))
        throw NotionApiError.validation(`body failed validation: body.sorts[${i}] should be an object.`);
      key = (row) => sortKey(config, row, ctx);
    }
    return (a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = compareKeys(ka, kb);
      if (Number.isNaN(c)) return ka === null ? 1 : -1;
      return sign * c;
    };
  });
  // Without sorts, newest first; creation order settles ties between equal minute-rounded times.
  const fallback: Comparator = (a, b) =>
    Date.parse(b.stamp.createdTime) - Date.parse(a.stamp.createdTime) || b.order - a.order;
  return (a, b) => {
    for (const compare of sorts) {
      const c = compare(a, b);
      if (c !== 0) return c;
    }
    return fallback(a, b);
  };
}
