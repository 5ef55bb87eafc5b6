// List requests: createParagraphBullets (leading tabs become nesting levels and are removed) and deleteParagraphBullets.

import { asString } from "../../../common/json";
import { kixId } from "../../ids";
import { indentFor, isPreset, MAX_NESTING, nestingLevels } from "../lists";
import {
  deleteUnits,
  paragraphAt,
  paragraphsOverlapping,
  propsAt,
  type Span,
  setProps,
  type Unit,
} from "../model";
import { type Applier, RequestError, resolveRange } from "./context";

function isTab(unit: Unit | undefined): boolean {
  return unit?.kind === "char" && unit.ch === "\t";
}

export const createParagraphBullets: Applier = (ctx, body) => {
  const { tab, start, end } = resolveRange(ctx.doc, body.range, { allowEmpty: true });
  const preset = asString(body.bulletPreset) ?? "BULLET_GLYPH_PRESET_UNSPECIFIED";
  if (!isPreset(preset)) throw new RequestError("bulletPreset must be specified.");
  const spans = paragraphsOverlapping(tab, start, end);
  const first = spans[0];
  if (first === undefined) return undefined;

  // "If the paragraph immediately before … is in a list with a matching preset, the paragraphs … are added to that list."
  let listId: string | undefined;
  if (first.start > 1) {
    const before = propsAt(tab, paragraphAt(tab, first.start - 1)).bullet;
    if (before !== undefined && tab.lists[before.listId]?.preset === preset) listId = before.listId;
  }
  if (listId === undefined) {
    listId = kixId();
    tab.lists[listId] = { preset, nestingLevels: nestingLevels(preset) };
  }

  // Last paragraph first: removing one paragraph's tabs then leaves the earlier spans where they were.
  for (const span of [...spans].reverse()) {
    let tabs = 0;
    while (isTab(tab.units[span.start + tabs])) tabs++;
    if (tabs > 0) deleteUnits(tab, span.start, span.start + tabs);
    const now: Span = { start: span.start, end: span.end - tabs };
    const level = Math.min(tabs, MAX_NESTING);
    const props = propsAt(tab, now);
    setProps(tab, now, {
      style: { ...props.style, ...indentFor(level) },
      bullet: { listId, nestingLevel: level, textStyle: {} },
    });
  }
  return undefined;
};

export const deleteParagraphBullets: Applier = (ctx, body) => {
  const { tab, start, end } = resolveRange(ctx.doc, body.range, { allowEmpty: true });
  for (const span of paragraphsOverlapping(tab, start, end)) {
    const props = propsAt(tab, span);
    if (props.bullet === undefined) continue;
    // The nesting stays visible as indentation (the indents set with the bullet are kept).
    setProps(tab, span, { style: props.style });
  }
  return undefined;
};
