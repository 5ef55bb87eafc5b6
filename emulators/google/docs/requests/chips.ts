// Smart chips: insertPerson, insertDate, createDropdownDefinition, insertDropdown, updateDropdownProperties.

import { asArray, asRecord, asString, isRecord, type JsonObject } from "../../../common/json";
import { dropdownOptionId, kixId } from "../../ids";
import { DateError, zoneFor } from "../dates";
import {
  type DateProps,
  type DropdownOptionRecord,
  inheritedStyle,
  insertUnits,
  type TabModel,
  type Unit,
} from "../model";
import { type Applier, applyMask, maskFields, RequestError, resolveInsertion, resolveTab } from "./context";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFINITION_ID = /^kix\.[a-zA-Z0-9_-]{2,14}$/;
const OPTION_ID = /^dropdownItem\.[a-zA-Z0-9_-]{2,14}$/;
/** "Currently, only the foreground_color and background_color properties are supported." */
const OPTION_STYLE_FIELDS = new Set(["foregroundColor", "backgroundColor"]);

function chipStyle(tab: TabModel, index: number): JsonObject {
  // A chip keeps the surrounding text's look but is never part of a link.
  const { link: _link, ...style } = inheritedStyle(tab, index);
  return style;
}

export const insertPerson: Applier = (ctx, body) => {
  const props = asRecord(body.personProperties);
  const email = asString(props.email)?.trim() ?? "";
  if (!EMAIL.test(email)) throw new RequestError("personProperties.email must be a valid email address.");
  const { tab, index } = resolveInsertion(ctx.doc, body);
  const name = asString(props.name) ?? ctx.nameOf(email);
  insertUnits(tab, index, [
    {
      kind: "person",
      id: kixId(),
      email,
      ...(name !== undefined ? { name } : {}),
      style: chipStyle(tab, index),
    },
  ]);
  return undefined;
};

/** google-datetime as Google writes it back: RFC 3339 in UTC, without zero milliseconds. */
function normalizeTimestamp(raw: string | undefined): string {
  const ms = raw === undefined ? Number.NaN : Date.parse(raw);
  if (Number.isNaN(ms)) throw new RequestError("dateElementProperties.timestamp must be specified.");
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

export const insertDate: Applier = (ctx, body) => {
  const props = asRecord(body.dateElementProperties);
  if (props.dateFormat === "DATE_FORMAT_CUSTOM") {
    throw new RequestError("DATE_FORMAT_CUSTOM is output only and cannot be set.");
  }
  const date: DateProps = { timestamp: normalizeTimestamp(asString(props.timestamp)) };
  for (const key of ["dateFormat", "timeFormat", "locale", "timeZoneId"] as const) {
    const value = asString(props[key]);
    if (value !== undefined) date[key] = value;
  }
  try {
    zoneFor(date.timeZoneId);
  } catch (error) {
    if (error instanceof DateError) throw new RequestError(error.message);
    throw error;
  }
  const { tab, index } = resolveInsertion(ctx.doc, body);
  insertUnits(tab, index, [{ kind: "date", id: kixId(), date, style: chipStyle(tab, index) }]);
  return undefined;
};

function options(raw: unknown): DropdownOptionRecord[] {
  const list = asArray(raw);
  if (list.length < 2 || list.length > 50) {
    throw new RequestError("A dropdown definition must have at least 2 options and at most 50 options.");
  }
  const seen = new Set<string>();
  return list.map((entry) => {
    const option = asRecord(entry);
    const displayValue = asString(option.displayValue) ?? "";
    if (displayValue === "") throw new RequestError("Each dropdown option must have a displayValue.");
    const optionId = asString(option.optionId) ?? dropdownOptionId();
    if (!OPTION_ID.test(optionId)) {
      throw new RequestError(`Option ID ${optionId} must match ^dropdownItem\\.[a-zA-Z0-9_-]{2,14}$.`);
    }
    if (seen.has(optionId)) throw new RequestError(`Option ID ${optionId} is not unique.`);
    seen.add(optionId);
    const textStyle = option.textStyle;
    if (isRecord(textStyle) && Object.keys(textStyle).some((k) => !OPTION_STYLE_FIELDS.has(k))) {
      throw new RequestError(
        "Only foregroundColor and backgroundColor are supported in a dropdown option's textStyle.",
      );
    }
    return { optionId, displayValue, ...(isRecord(textStyle) ? { textStyle } : {}) };
  });
}

function definitionJson(tab: TabModel, id: string): JsonObject {
  const definition = tab.dropdowns[id];
  if (definition === undefined) return {};
  return {
    dropdownDefinitionId: definition.id,
    dropdownDefinitionProperties: {
      ...(definition.title !== undefined ? { title: definition.title } : {}),
      options: structuredClone(definition.options),
    },
  };
}

export const createDropdownDefinition: Applier = (ctx, body) => {
  const definition = asRecord(body.dropdownDefinition);
  const props = asRecord(definition.dropdownDefinitionProperties);
  const tab = resolveTab(ctx.doc, body.tabId);
  // A client may name the definition, so one batch can create it and insert dropdowns using it.
  const chosen = asString(definition.dropdownDefinitionId);
  if (chosen !== undefined && !DEFINITION_ID.test(chosen)) {
    throw new RequestError(`Dropdown definition ID ${chosen} must match ^kix\\.[a-zA-Z0-9_-]{2,14}$.`);
  }
  if (chosen !== undefined && tab.dropdowns[chosen] !== undefined) {
    throw new RequestError(`Dropdown definition ID ${chosen} is already used in tab ${tab.tabId}.`);
  }
  const id = chosen ?? kixId();
  const title = asString(props.title);
  tab.dropdowns[id] = { id, ...(title !== undefined ? { title } : {}), options: options(props.options) };
  return { createDropdownDefinition: { dropdownDefinition: definitionJson(tab, id) } };
};

function dropdownJson(tab: TabModel, unit: Extract<Unit, { kind: "dropdown" }>): JsonObject {
  const option = tab.dropdowns[unit.definitionId]?.options.find((o) => o.optionId === unit.selectedOptionId);
  return {
    dropdownId: unit.id,
    dropdownProperties: {
      dropdownDefinitionId: unit.definitionId,
      ...(unit.selectedOptionId !== undefined ? { selectedOptionId: unit.selectedOptionId } : {}),
      ...(option !== undefined ? { displayValue: option.displayValue } : {}),
    },
    textStyle: { ...unit.style },
  };
}

export const insertDropdown: Applier = (ctx, body) => {
  const definitionId = asString(body.dropdownDefinitionId) ?? "";
  const { tab, index } = resolveInsertion(ctx.doc, body);
  const definition = tab.dropdowns[definitionId];
  if (definition === undefined) {
    throw new RequestError(
      `The dropdown definition with ID ${definitionId} was not found in tab ${tab.tabId}.`,
    );
  }
  const selected = asString(body.selectedOptionId) ?? definition.options[0]?.optionId;
  if (selected !== undefined && !definition.options.some((o) => o.optionId === selected)) {
    throw new RequestError(
      `The option ID ${selected} is not defined in dropdown definition ${definitionId}.`,
    );
  }
  const unit: Extract<Unit, { kind: "dropdown" }> = {
    kind: "dropdown",
    id: kixId(),
    definitionId,
    ...(selected !== undefined ? { selectedOptionId: selected } : {}),
    style: chipStyle(tab, index),
  };
  insertUnits(tab, index, [unit]);
  return { insertDropdown: { dropdown: dropdownJson(tab, unit) } };
};

export const updateDropdownProperties: Applier = (ctx, body) => {
  const dropdownId = asString(body.dropdownId) ?? "";
  const tab = resolveTab(ctx.doc, body.tabId);
  const fields = maskFields(body.fields, ctx.fieldsOf("DropdownProperties"), "DropdownProperties");
  if (fields.includes("displayValue"))
    throw new RequestError("displayValue is set by the server and cannot be updated.");
  const index = tab.units.findIndex((u) => u.kind === "dropdown" && u.id === dropdownId);
  const unit = tab.units[index];
  if (unit?.kind !== "dropdown") throw new RequestError(`The dropdown with ID ${dropdownId} was not found.`);
  const current: JsonObject = {
    dropdownDefinitionId: unit.definitionId,
    ...(unit.selectedOptionId !== undefined ? { selectedOptionId: unit.selectedOptionId } : {}),
  };
  const next = applyMask(current, asRecord(body.dropdownProperties), fields);
  const definitionId = asString(next.dropdownDefinitionId) ?? "";
  const definition = tab.dropdowns[definitionId];
  if (definition === undefined)
    throw new RequestError(`The dropdown definition with ID ${definitionId} was not found.`);
  const selected = asString(next.selectedOptionId);
  if (selected !== undefined && !definition.options.some((o) => o.optionId === selected)) {
    throw new RequestError(
      `The option ID ${selected} is not defined in dropdown definition ${definitionId}.`,
    );
  }
  tab.units[index] = {
    kind: "dropdown",
    id: unit.id,
    definitionId,
    ...(selected !== undefined ? { selectedOptionId: selected } : {}),
    style: unit.style,
  };
  return undefined;
};
