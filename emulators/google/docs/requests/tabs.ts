// Tab requests: addDocumentTab (replies with the new tab's properties), deleteTab, updateDocumentTabProperties.

import { asRecord, asString } from "../../../common/json";
import { tabId as newTabId } from "../../ids";
import { allTabs, emptyTab, type TabModel, tabSlot } from "../model";
import { renderTabProperties } from "../render";
import { type Applier, GapError, maskFields, RequestError, resolveTab } from "./context";

function depth(doc: Parameters<Applier>[0]["doc"], tab: TabModel | undefined): number {
  let level = 0;
  let current = tab;
  while (current !== undefined) {
    current = tabSlot(doc, current.tabId)?.parent;
    if (current !== undefined) level++;
  }
  return level;
}

export const addDocumentTab: Applier = (ctx, body) => {
  const props = asRecord(body.tabProperties);
  if (props.tabId !== undefined) throw new RequestError("tabProperties.tabId is assigned by the server.");
  if (props.nestingLevel !== undefined) throw new RequestError("tabProperties.nestingLevel is output only.");
  const parentId = asString(props.parentTabId);
  const parent = parentId === undefined || parentId === "" ? undefined : resolveTab(ctx.doc, parentId);
  const siblings = parent === undefined ? ctx.doc.tabs : parent.childTabs;
  const index = typeof props.index === "number" ? props.index : siblings.length;
  if (!Number.isInteger(index) || index < 0 || index > siblings.length) {
    throw new RequestError(`The tab index ${index} is out of range [0, ${siblings.length}].`);
  }
  const title = asString(props.title) ?? `Tab ${allTabs(ctx.doc).length + 1}`;
  const tab = emptyTab(newTabId(), title);
  const emoji = asString(props.iconEmoji);
  if (emoji !== undefined && emoji !== "") tab.iconEmoji = emoji;
  siblings.splice(index, 0, tab);
  const level = parent === undefined ? 0 : depth(ctx.doc, parent) + 1;
  return { addDocumentTab: { tabProperties: renderTabProperties(tab, index, level, parent) } };
};

export const deleteTab: Applier = (ctx, body) => {
  const tab = resolveTab(ctx.doc, asString(body.tabId) ?? "");
  const slot = tabSlot(ctx.doc, tab.tabId);
  if (slot === undefined) throw new RequestError(`The tab with ID ${tab.tabId} was not found.`);
  if (slot.parent === undefined && ctx.doc.tabs.length === 1) {
    throw new RequestError("A document must have at least one tab.");
  }
  slot.siblings.splice(slot.siblings.indexOf(tab), 1);
  return undefined;
};

export const updateDocumentTabProperties: Applier = (ctx, body) => {
  const props = asRecord(body.tabProperties);
  const tab = resolveTab(ctx.doc, asString(props.tabId) ?? "");
  const fields = maskFields(body.fields, ctx.fieldsOf("TabProperties"), "TabProperties");
  for (const field of fields) {
    if (field === "title") tab.title = asString(props.title) ?? "";
    else if (field === "iconEmoji") {
      const emoji = asString(props.iconEmoji);
      if (emoji === undefined || emoji === "") delete tab.iconEmoji;
      else tab.iconEmoji = emoji;
    } else if (field === "tabId" || field === "nestingLevel")
      throw new RequestError(`${field} cannot be updated.`);
    else throw new GapError(`updateDocumentTabProperties of ${field} (moving tabs) is not emulated`);
  }
  return undefined;
};
