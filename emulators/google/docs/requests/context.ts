// What every request applier shares: the working document, how locations, ranges and tabs resolve, and how refusals are worded.
import { asArray, asRecord, asString, isRecord, type JsonObject } from "../../../common/json";
import { allTabs, type DocumentModel, findTab, firstTab, type TabModel } from "../model";

/** A request Google would refuse with 400 `Invalid requests[i].kind: <message>`. */
export class RequestError extends Error {}

/** A request kind or option Google supports and the emulator does not. */
export class GapError extends Error {}

export interface ApplyContext {
  doc: DocumentModel;
  /** Display names Google's directory would know, for person chips. */
  nameOf(email: string): string | undefined;
  /** The field names of a discovery schema (TextStyle, ParagraphStyle…), for `fields` masks. */
  fieldsOf(schema: string): readonly string[];
}

/** The reply for `replies[i]`; undefined becomes `{}`. */
export type Applier = (ctx: ApplyContext, body: JsonObject) => JsonObject | undefined;

function checkSegment(segmentId: unknown): void {
  if (typeof segmentId === "string" && segmentId !== "") {
    // Headers, footers and footnotes cannot be created here, so no segment id can be valid.
    throw new RequestError(`The segment with ID ${segmentId} was not found.`);
  }
}

/** Omitted: the first tab. Given: that tab (in a one-tab document it must be that tab's id). */
export function resolveTab(doc: DocumentModel, tabId: unknown): TabModel {
  if (tabId === undefined || tabId === "") return firstTab(doc);
  const tab = typeof tabId === "string" ? findTab(doc, tabId) : undefined;
  if (tab === undefined) throw new RequestError(`The tab with ID ${String(tabId)} was not found.`);
  return tab;
}

/** TabsCriteria: omitted means every tab. */
export function resolveTabs(doc: DocumentModel, criteria: unknown): TabModel[] {
  if (!isRecord(criteria)) return allTabs(doc);
  return asArray(criteria.tabIds).map((id) => resolveTab(doc, id));
}

function integer(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new RequestError(`${what} must be specified.`);
  return value;
}

/** `location` or `endOfSegmentLocation`, exactly one. */
export function resolveInsertion(doc: DocumentModel, body: JsonObject): { tab: TabModel; index: number } {
  const hasLocation = isRecord(body.location);
  const hasEnd = isRecord(body.endOfSegmentLocation);
  if (hasLocation === hasEnd) {
    throw new RequestError("Exactly one of location or endOfSegmentLocation must be specified.");
  }
  if (hasEnd) {
    const end = asRecord(body.endOfSegmentLocation);
    checkSegment(end.segmentId);
    const tab = resolveTab(doc, end.tabId);
    return { tab, index: tab.units.length - 1 };
  }
  const location = asRecord(body.location);
  checkSegment(location.segmentId);
  const tab = resolveTab(doc, location.tabId);
  const index = integer(location.index ?? 0, "location.index");
  if (index < 1) {
    throw new RequestError(
      "The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.",
    );
  }
  if (index >= tab.units.length) {
    throw new RequestError(
      `Index ${index} must be less than the end index of the referenced segment, ${tab.units.length}.`,
    );
  }
  return { tab, index };
}

export interface ResolvedRange {
  tab: TabModel;
  start: number;
  end: number;
}

export function resolveRange(
  doc: DocumentModel,
  raw: unknown,
  options: { allowEmpty?: boolean } = {},
): ResolvedRange {
  if (!isRecord(raw)) throw new RequestError("range must be specified.");
  checkSegment(raw.segmentId);
  const tab = resolveTab(doc, raw.tabId);
  const start = integer(raw.startIndex ?? 0, "range.startIndex");
  const end = integer(raw.endIndex, "range.endIndex");
  if (start < 1) throw new RequestError(`The range startIndex ${start} must be at least 1.`);
  if (end < start) throw new RequestError("The start index of the range must be less than the end index.");
  if (end === start && options.allowEmpty !== true) throw new RequestError("The range should not be empty.");
  if (end > tab.units.length) {
    throw new RequestError(
      `Index ${end - 1} must be less than the end index of the referenced segment, ${tab.units.length}.`,
    );
  }
  return { tab, start, end };
}

/**
 * A `fields` mask over one message: "*" means every field the message has; otherwise the named
 * top-level fields (a nested path such as "link.url" counts as its top-level field).
 */
export function maskFields(fields: unknown, known: readonly string[], what: string): string[] {
  const text = asString(fields)?.trim() ?? "";
  if (text === "") throw new RequestError("At least one field must be listed in 'fields'.");
  if (text === "*") return [...known];
  const names = text.split(",").map((f) => f.trim().split(".")[0] ?? "");
  for (const name of names) {
    if (!known.includes(name)) throw new RequestError(`Invalid field mask path '${name}' for ${what}.`);
  }
  return names;
}

/** Applies a field mask: masked fields take the given value, or go back to inherited when absent. */
export function applyMask(target: JsonObject, patch: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = { ...target };
  for (const field of fields) {
    const value = patch[field];
    if (value === undefined || value === null) delete out[field];
    else out[field] = structuredClone(value);
  }
  return out;
}
