// The batchUpdate request kinds the emulator applies; every other kind in the discovery document is a refused gap.
import { createParagraphBullets, deleteParagraphBullets } from "./bullets";
import {
  createDropdownDefinition,
  insertDate,
  insertDropdown,
  insertPerson,
  updateDropdownProperties,
} from "./chips";
import type { Applier } from "./context";
import { createNamedRange, deleteNamedRange } from "./named-ranges";
import { updateParagraphStyle, updateTextStyle } from "./style";
import { addDocumentTab, deleteTab, updateDocumentTabProperties } from "./tabs";
import { deleteContentRange, insertText, replaceAllText, replaceNamedRangeContent } from "./text";

export const APPLIERS: Readonly<Record<string, Applier>> = {
  insertText,
  deleteContentRange,
  replaceAllText,
  replaceNamedRangeContent,
  updateTextStyle,
  updateParagraphStyle,
  createParagraphBullets,
  deleteParagraphBullets,
  createNamedRange,
  deleteNamedRange,
  insertPerson,
  insertDate,
  createDropdownDefinition,
  insertDropdown,
  updateDropdownProperties,
  addDocumentTab,
  deleteTab,
  updateDocumentTabProperties,
};
