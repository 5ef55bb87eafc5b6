// Style requests: updateTextStyle and updateParagraphStyle, with Google's field-mask semantics.

import { asRecord, type JsonObject } from "../../../common/json";
import { headingId } from "../../ids";
import { HEADING_TYPES, paragraphsOverlapping, propsAt, setProps, type TextStyle } from "../model";
import { type Applier, applyMask, maskFields, RequestError, resolveRange } from "./context";

/** Setting a style to what the paragraph would inherit (false, for the booleans) stores "inherit", i.e. nothing. */
function normalizeTextStyle(style: JsonObject): TextStyle {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(style)) {
    if (value === false || value === undefined || value === null) continue;
    out[key] = value;
  }
  return out;
}

export const updateTextStyle: Applier = (ctx, body) => {
  const { tab, start, end } = resolveRange(ctx.doc, body.range);
  const fields = maskFields(body.fields, ctx.fieldsOf("TextStyle"), "TextStyle");
  const patch = asRecord(body.textStyle);
  const link = asRecord(patch.link);
  if (fields.includes("link") && Object.keys(link).length > 1) {
    throw new RequestError(
      "A link must have exactly one of url, bookmarkId, headingId, bookmark or heading.",
    );
  }
  // "The range may be extended to include adjacent newlines": a range reaching a paragraph's end styles its newline.
  const through = tab.units[end]?.kind === "newline" ? end + 1 : end;
  for (let i = start; i < through; i++) {
    const unit = tab.units[i];
    if (unit === undefined || unit.kind === "sectionBreak") continue;
    tab.units[i] = { ...unit, style: normalizeTextStyle(applyMask(unit.style, patch, fields)) };
  }
  return undefined;
};

export const updateParagraphStyle: Applier = (ctx, body) => {
  const { tab, start, end } = resolveRange(ctx.doc, body.range, { allowEmpty: true });
  const fields = maskFields(body.fields, ctx.fieldsOf("ParagraphStyle"), "ParagraphStyle");
  const patch = asRecord(body.paragraphStyle);
  if (fields.includes("headingId")) throw new RequestError("headingId is read-only.");
  for (const span of paragraphsOverlapping(tab, start, end)) {
    const props = propsAt(tab, span);
    const style = applyMask(props.style, patch, fields);
    const type = typeof style.namedStyleType === "string" ? style.namedStyleType : "NORMAL_TEXT";
    if (type === "NAMED_STYLE_TYPE_UNSPECIFIED") throw new RequestError("namedStyleType must be specified.");
    style.namedStyleType = type;
    // Headings carry an id (for links to them); other paragraphs do not.
    if (HEADING_TYPES.has(type))
      style.headingId = typeof props.style.headingId === "string" ? props.style.headingId : headingId();
    else delete style.headingId;
    style.direction ??= "LEFT_TO_RIGHT";
    setProps(tab, span, { ...props, style });
  }
  return undefined;
};
