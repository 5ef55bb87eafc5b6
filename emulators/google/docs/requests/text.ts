// Text requests: insertText, deleteContentRange, replaceAllText, replaceNamedRangeContent.
import { asBoolean, asRecord, asString, type JsonObject } from "../../../common/json";
import {
  deleteUnits,
  inheritedStyle,
  insertUnits,
  paragraphAt,
  plainText,
  propsAt,
  type TabModel,
  textUnits,
} from "../model";
import {
  type Applier,
  type ApplyContext,
  RequestError,
  resolveInsertion,
  resolveRange,
  resolveTabs,
} from "./context";

/** Docs strips U+0000–U+0008, U+000C–U+001F and the BMP private use area from inserted text. */
function strip(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0x08 || (code >= 0x0c && code <= 0x1f) || (code >= 0xe000 && code <= 0xf8ff)) continue;
    out += ch;
  }
  return out;
}

function isHighSurrogate(unit: TabModel["units"][number] | undefined): boolean {
  return unit?.kind === "char" && /[\uD800-\uDBFF]/.test(unit.ch);
}

/** Inserts text at `index` with the inherited style; new paragraphs copy the paragraph it lands in. */
function insertTextAt(tab: TabModel, index: number, text: string): number {
  const clean = strip(text);
  const para = propsAt(tab, paragraphAt(tab, index));
  insertUnits(tab, index, textUnits(clean, inheritedStyle(tab, index), para));
  return clean.length;
}

export const insertText: Applier = (ctx, body) => {
  const text = asString(body.text);
  if (text === undefined) throw new RequestError("text must be specified.");
  const { tab, index } = resolveInsertion(ctx.doc, body);
  if (isHighSurrogate(tab.units[index - 1])) {
    throw new RequestError("The insertion index cannot split a surrogate pair.");
  }
  insertTextAt(tab, index, text);
  return undefined;
};

function checkDeletable(tab: TabModel, start: number, end: number): void {
  if (end >= tab.units.length) {
    throw new RequestError("The range cannot include the newline character at the end of the segment.");
  }
  if (isHighSurrogate(tab.units[start - 1]) || isHighSurrogate(tab.units[end - 1])) {
    throw new RequestError("The range cannot delete one code unit of a surrogate pair.");
  }
}

export const deleteContentRange: Applier = (ctx, body) => {
  const { tab, start, end } = resolveRange(ctx.doc, body.range);
  checkDeletable(tab, start, end);
  deleteUnits(tab, start, end);
  return undefined;
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export const replaceAllText: Applier = (ctx: ApplyContext, body: JsonObject) => {
  const criteria = asRecord(body.containsText);
  const needle = asString(criteria.text) ?? "";
  if (needle === "") throw new RequestError("containsText.text must not be empty.");
  const replacement = asString(body.replaceText) ?? "";
  const flags = asBoolean(criteria.matchCase) === true ? "g" : "gi";
  let pattern: RegExp;
  try {
    pattern = new RegExp(asBoolean(criteria.searchByRegex) === true ? needle : escapeRegex(needle), flags);
  } catch {
    throw new RequestError(`Invalid regular expression: ${needle}`);
  }
  let occurrences = 0;
  for (const tab of resolveTabs(ctx.doc, body.tabsCriteria)) {
    const text = plainText(tab);
    const matches: Array<{ start: number; end: number }> = [];
    for (const match of text.matchAll(pattern)) {
      const found = match[0];
      // Matches never span paragraphs or chips; empty regex matches replace nothing.
      if (found === "" || found.includes("\n") || found.includes("\uFFFC")) continue;
      matches.push({ start: match.index, end: match.index + found.length });
    }
    for (const { start, end } of matches.reverse()) {
      const first = tab.units[start];
      const style = first?.kind === "char" ? first.style : {};
      deleteUnits(tab, start, end);
      const para = propsAt(tab, paragraphAt(tab, start));
      insertUnits(tab, start, textUnits(strip(replacement), style, para));
      occurrences++;
    }
  }
  return { replaceAllText: occurrences === 0 ? {} : { occurrencesChanged: occurrences } };
};

export const replaceNamedRangeContent: Applier = (ctx, body) => {
  const id = asString(body.namedRangeId);
  const name = asString(body.namedRangeName);
  if ((id === undefined) === (name === undefined)) {
    throw new RequestError("Exactly one of namedRangeId or namedRangeName must be specified.");
  }
  const text = asString(body.text) ?? "";
  let found = false;
  for (const tab of resolveTabs(ctx.doc, body.tabsCriteria)) {
    for (const named of tab.namedRanges.filter((n) => (id !== undefined ? n.id === id : n.name === name))) {
      found = true;
      // Take the range out while its own text is rewritten, so the shifting rules do not shrink it away.
      tab.namedRanges = tab.namedRanges.filter((n) => n !== named);
      const ranges = [...named.ranges].sort((a, b) => a.start - b.start);
      const [first, ...others] = ranges;
      if (first === undefined) continue;
      for (const other of others.reverse()) {
        const end = Math.min(other.end, tab.units.length - 1);
        checkDeletable(tab, other.start, end);
        deleteUnits(tab, other.start, end);
      }
      const end = Math.min(first.end, tab.units.length - 1);
      checkDeletable(tab, first.start, end);
      deleteUnits(tab, first.start, end);
      const length = insertTextAt(tab, first.start, text);
      if (length > 0)
        tab.namedRanges.push({ ...named, ranges: [{ start: first.start, end: first.start + length }] });
    }
  }
  if (!found && id !== undefined) throw new RequestError(`The named range with ID ${id} was not found.`);
  return undefined;
};
