// Named ranges: createNamedRange (replies with its id) and deleteNamedRange (by id or by name, across tabs).

import { asString } from "../../../common/json";
import { kixId } from "../../ids";
import { type Applier, RequestError, resolveRange, resolveTabs } from "./context";

export const createNamedRange: Applier = (ctx, body) => {
  const name = asString(body.name) ?? "";
  if (name.length < 1 || name.length > 256) {
    throw new RequestError("The name must be between 1 and 256 UTF-16 code units long.");
  }
  const { tab, start, end } = resolveRange(ctx.doc, body.range);
  const namedRangeId = kixId();
  tab.namedRanges.push({ id: namedRangeId, name, ranges: [{ start, end }] });
  return { createNamedRange: { namedRangeId } };
};

export const deleteNamedRange: Applier = (ctx, body) => {
  const id = asString(body.namedRangeId);
  const name = asString(body.name);
  if ((id === undefined) === (name === undefined)) {
    throw new RequestError("Exactly one of namedRangeId or name must be specified.");
  }
  let found = false;
  for (const tab of resolveTabs(ctx.doc, body.tabsCriteria)) {
    const keep = tab.namedRanges.filter((n) => (id !== undefined ? n.id !== id : n.name !== name));
    found ||= keep.length !== tab.namedRanges.length;
    tab.namedRanges = keep;
  }
  if (!found && id !== undefined) throw new RequestError(`The named range with ID ${id} was not found.`);
  return undefined;
};
