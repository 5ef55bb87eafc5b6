// Data source schemas and page property values: request -> stored -> response, checked the way Notion checks them.

import { asArray, asNumber, asRecord, asString, isRecord } from "../../common/json";
import { NotionApiError } from "../errors";
import { newId, normalizeId } from "../ids";
import { type RefResolver, richTextFromRequest } from "./rich-text";
import {
  COMPUTED_TYPES,
  type DateValue,
  PROPERTY_TYPES,
  type PropertyConfig,
  type PropertyType,
  type SelectColor,
  type SelectOption,
  type Stamp,
  type StoredValue,
} from "./types";

const SELECT_COLORS: readonly SelectColor[] = [
  "default",
  "gray",
  "brown",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
  "pink",
  "red",
];

/** Child pages (not in a data source) have exactly one property, the title. */
export const PAGE_SCHEMA: readonly PropertyConfig[] = [
  { id: "title", name: "title", type: "title", options: [], numberFormat: "number" },
];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function isPropertyType(value: unknown): value is PropertyType {
  return typeof value === "string" && (PROPERTY_TYPES as readonly string[]).includes(value);
}

function colorOf(raw: unknown, fallback: SelectColor): SelectColor {
  return SELECT_COLORS.find((c) => c === raw) ?? fallback;
}

/** Notion's property ids are short URL-encoded strings; the title is always "title". */
function propertyId(type: PropertyType, taken: Set<string>): string {
  if (type === "title") return "title";
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:;<=>?@[]^_`{|}~";
  for (;;) {
    let raw = "";
    for (let i = 0; i < 4; i++) raw += alphabet[Math.floor(Math.random() * alphabet.length)] ?? "A";
    const id = encodeURIComponent(raw);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

const DEFAULT_STATUS: readonly { name: string; color: SelectColor }[] = [
  { name: "Not started", color: "default" },
  { name: "In progress", color: "blue" },
  { name: "Done", color: "green" },
];

/**
 * Accepts either the short seed form `{ type: "select", options: [...] }` or Notion's own
 * configuration form `{ select: { options: [...] } }`.
 */
export function propertyConfigFromSpec(name: string, spec: unknown, taken: Set<string>): PropertyConfig {
  const raw = asRecord(spec);
  const declared = raw.type;
  const type = isPropertyType(declared) ? declared : PROPERTY_TYPES.find((t) => t in raw);
  if (type === undefined) {
    throw NotionApiError.unsupported(`the property type of "${name}" (${JSON.stringify(spec)})`);
  }
  const inner = asRecord(raw[type]);
  const optionSpecs = asArray(raw.options ?? inner.options);
  const options: SelectOption[] = optionSpecs.map((o) => {
    const option = typeof o === "string" ? { name: o } : asRecord(o);
    return { id: newId(), name: asString(option.name) ?? "", color: colorOf(option.color, "default") };
  });
  if (type === "status" && options.length === 0) {
    for (const o of DEFAULT_STATUS) options.push({ id: newId(), ...o });
  }
  const id = asString(raw.id) ?? propertyId(type, taken);
  taken.add(id);
  return {
    id,
    name,
    type,
    options,
    numberFormat: asString(raw.format) ?? asString(inner.format) ?? "number",
  };
}

export function findProperty(schema: readonly PropertyConfig[], key: string): PropertyConfig | undefined {
  return (
    schema.find((p) => p.name === key) ??
    schema.find((p) => p.id === key) ??
    schema.find((p) => p.id === encodeURIComponent(key))
  );
}

function tooLong(path: string, max: number, actual: number): NotionApiError {
  return NotionApiError.validation(
    `body failed validation: ${path}.length should be ≤ \`${max}\`, instead was \`${actual}\`.`,
  );
}

function limitedString(raw: unknown, path: string, max: number): string | null {
  if (raw === null || raw === undefined) return null;
  const value = String(raw);
  if (value.length > max) throw tooLong(path, max, value.length);
  return value;
}

function optionFor(config: PropertyConfig, raw: unknown, path: string, create: boolean): SelectOption {
  const ref = asRecord(raw);
  const id = asString(ref.id);
  const name = asString(ref.name);
  const found =
    (id !== undefined ? config.options.find((o) => o.id === id) : undefined) ??
    (name !== undefined ? config.options.find((o) => o.name === name) : undefined);
  if (found) return found;
  if (id !== undefined && name === undefined) {
    throw NotionApiError.validation(
      `body failed validation: ${path}.id is not a valid option id: \`${id}\`.`,
    );
  }
  if (!create || name === undefined) {
    throw NotionApiError.validation(`Invalid status option. Status option "${name ?? ""}" does not exist.`);
  }
  if (name.includes(",")) {
    throw NotionApiError.validation(`body failed validation: ${path}.name should not contain commas.`);
  }
  // Notion adds unknown select options to the schema on write, as a person typing a new tag would.
  const option: SelectOption = { id: newId(), name, color: colorOf(ref.color, "default") };
  config.options.push(option);
  return option;
}

function dateFrom(raw: unknown, path: string): DateValue | null {
  if (raw === null) return null;
  const d = asRecord(raw);
  const start = asString(d.start);
  if (start === undefined || !ISO_DATE.test(start)) {
    throw NotionApiError.validation(
      `body failed validation: ${path}.start should be a valid ISO 8601 date string, instead was \`${JSON.stringify(d.start)}\`.`,
    );
  }
  const end = asString(d.end) ?? null;
  if (end !== null && !ISO_DATE.test(end)) {
    throw NotionApiError.validation(
      `body failed validation: ${path}.end should be a valid ISO 8601 date string, instead was \`${JSON.stringify(d.end)}\`.`,
    );
  }
  return { start, end, time_zone: asString(d.time_zone) ?? null };
}

function valueFrom(config: PropertyConfig, raw: unknown, refs: RefResolver, path: string): StoredValue {
  const type = config.type;
  switch (type) {
    case "title":
    case "rich_text":
      return { type, value: richTextFromRequest(raw, refs, `${path}.${type}`) };
    case "number":
      return { type, value: asNumber(raw) ?? null };
    case "select":
    case "status":
      return {
        type,
        value: raw === null ? null : optionFor(config, raw, `${path}.${type}`, type === "select").id,
      };
    case "multi_select": {
      const items = asArray(raw);
      if (items.length > 100) throw tooLong(`${path}.multi_select`, 100, items.length);
      return {
        type,
        value: items.map((o, i) => optionFor(config, o, `${path}.multi_select[${i}]`, true).id),
      };
    }
    case "date":
      return { type, value: dateFrom(raw, `${path}.date`) };
    case "people": {
      const items = asArray(raw);
      if (items.length > 100) throw tooLong(`${path}.people`, 100, items.length);
      return {
        type,
        value: items.map((u, i) => {
          const id = normalizeId(asString(asRecord(u).id) ?? "");
          if (id === undefined) {
            throw NotionApiError.validation(
              `body failed validation: ${path}.people[${i}].id should be a valid uuid.`,
            );
          }
          return id;
        }),
      };
    }
    case "checkbox":
      return { type, value: raw === true };
    case "url":
      return { type, value: limitedString(raw, `${path}.url`, 2000) };
    case "email":
      return { type, value: limitedString(raw, `${path}.email`, 200) };
    case "phone_number":
      return { type, value: limitedString(raw, `${path}.phone_number`, 200) };
    default:
      throw NotionApiError.validation(`${config.name} is a computed property and cannot be set.`);
  }
}

/** The type a request names for a property value: its `type`, else its one value key. */
function requestedType(value: Record<string, unknown>): string | undefined {
  const declared = asString(value.type);
  if (declared !== undefined) return declared;
  return Object.keys(value).find((k) => k !== "type" && k !== "id" && k !== "name");
}

/** Checks and converts `properties` from a create/update body; Notion reports the first bad name. */
export function valuesFromRequest(
  properties: unknown,
  schema: readonly PropertyConfig[],
  refs: RefResolver,
): Map<string, StoredValue> {
  const out = new Map<string, StoredValue>();
  const mismatches: string[] = [];
  for (const [key, rawValue] of Object.entries(asRecord(properties))) {
    const config = findProperty(schema, key);
    if (config === undefined) throw NotionApiError.validation(`${key} is not a property that exists.`);
    if (COMPUTED_TYPES.has(config.type)) {
      throw NotionApiError.validation(`${config.name} is a computed property and cannot be set.`);
    }
    const value = asRecord(rawValue);
    if (requestedType(value) !== config.type) {
      mismatches.push(`${config.name} is expected to be ${config.type}.`);
      continue;
    }
    out.set(config.id, valueFrom(config, value[config.type], refs, `body.properties.${key}`));
  }
  if (mismatches.length > 0) throw NotionApiError.validation(mismatches.join(" "));
  return out;
}

function emptyValue(type: PropertyType): StoredValue | undefined {
  switch (type) {
    case "title":
    case "rich_text":
      return { type, value: [] };
    case "multi_select":
    case "people":
      return { type, value: [] };
    case "checkbox":
      return { type, value: false };
    case "number":
    case "select":
    case "status":
    case "date":
    case "url":
    case "email":
    case "phone_number":
      return { type, value: null };
    default:
      return undefined;
  }
}

function optionJson(config: PropertyConfig, id: string | null): Record<string, unknown> | null {
  const option = id === null ? undefined : config.options.find((o) => o.id === id);
  return option ? { id: option.id, name: option.name, color: option.color } : null;
}

/** One page property as Notion returns it: `{ id, type, [type]: value }`. */
export function renderValue(
  config: PropertyConfig,
  stored: StoredValue | undefined,
  stamp: Stamp,
  refs: RefResolver,
): Record<string, unknown> {
  const base = { id: config.id, type: config.type };
  switch (config.type) {
    case "created_time":
      return { ...base, created_time: stamp.createdTime };
    case "last_edited_time":
      return { ...base, last_edited_time: stamp.lastEditedTime };
    case "created_by":
      return { ...base, created_by: refs.userValue(stamp.createdBy) };
    case "last_edited_by":
      return { ...base, last_edited_by: refs.userValue(stamp.lastEditedBy) };
    default:
      break;
  }
  const value = stored ?? emptyValue(config.type);
  if (value === undefined) return { ...base, [config.type]: null };
  switch (value.type) {
    case "select":
    case "status":
      return { ...base, [value.type]: optionJson(config, value.value) };
    case "multi_select":
      return { ...base, multi_select: value.value.map((id) => optionJson(config, id)).filter(isRecord) };
    case "people":
      return { ...base, people: value.value.map((id) => refs.userValue(id)) };
    default:
      return { ...base, [value.type]: value.value };
  }
}

/** A data source property as GET /v1/data_sources returns it. */
export function renderConfig(config: PropertyConfig): Record<string, unknown> {
  const options = config.options.map((o) => ({ id: o.id, name: o.name, color: o.color, description: null }));
  const base = { id: config.id, name: config.name, description: null, type: config.type };
  switch (config.type) {
    case "number":
      return { ...base, number: { format: config.numberFormat } };
    case "select":
    case "multi_select":
      return { ...base, [config.type]: { options } };
    case "status": {
      const groups = [
        {
          id: `${config.id}-todo`,
          name: "To-do",
          color: "gray",
          option_ids: options.slice(0, 1).map((o) => o.id),
        },
        {
          id: `${config.id}-doing`,
          name: "In progress",
          color: "blue",
          option_ids: options.slice(1, -1).map((o) => o.id),
        },
        {
          id: `${config.id}-done`,
          name: "Complete",
          color: "green",
          option_ids: options.slice(-1).map((o) => o.id),
        },
      ];
      return { ...base, status: { options, groups } };
    }
    default:
      return { ...base, [config.type]: {} };
  }
}
