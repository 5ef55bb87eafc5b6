// Owns the status dropdown chip every action item starts with (Open / Done): its one definition per tab,
// found again by its title on later runs or created (with an id we choose, so the same batchUpdate can
// insert dropdowns that use it: the discovery document lets a client pick `kix.` ids for definitions and
// `dropdownItem.` ids for options), and what a chip's selection means when an agenda is read.
import type { DocsRequest } from "../api/client";
import type { DocDropdownDefinitions } from "../api/schemas";

/** The title people see when they edit the dropdown's options; also how later runs find it. */
const STATUS_TITLE = "1:1 status";
const DEFINITION_ID = "kix.oneOnOneStatus";
const OPEN_OPTION_ID = "dropdownItem.open";
const DONE_OPTION_ID = "dropdownItem.done";

/** Option labels (normalised) that mean the item is finished; anything else leaves it open. */
const DONE_VALUES = new Set(["done", "completed", "complete"]);

/** The dropdown definition the agenda's status chips use, and the request that creates it if it is new. */
export interface StatusDropdown {
  definitionId: string;
  openOptionId: string;
  doneOptionId: string;
  /** `createDropdownDefinition`, to go first in the batch; null when the tab already has one. */
  create: DocsRequest | null;
}

function normalized(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

/**
 * Option labels (normalised) of status dropdowns: ours, and Google's own "Project status" preset that
 * people insert from the @ menu. A dropdown showing one of them is a status chip wherever it sits.
 */
const STATUS_VALUES = new Set([
  ...DONE_VALUES,
  "open",
  "to do",
  "todo",
  "not started",
  "in progress",
  "blocked",
]);

/** Whether a dropdown's shown value is a status (open, done, in progress...). */
export function isStatusValue(displayValue: string | undefined): boolean {
  return STATUS_VALUES.has(normalized(displayValue));
}

/** The definitions that offer a done option: their chips say whether an item is finished. */
export function statusDefinitionIds(definitions: DocDropdownDefinitions): Set<string> {
  const ids = new Set<string>();
  for (const [id, definition] of Object.entries(definitions)) {
    const options = definition.dropdownDefinitionProperties?.options ?? [];
    if (options.some((option) => isDoneValue(option.displayValue)))
      ids.add(definition.dropdownDefinitionId ?? id);
  }
  return ids;
}

/** Whether a dropdown's shown value means done. */
export function isDoneValue(displayValue: string | undefined): boolean {
  return DONE_VALUES.has(normalized(displayValue));
}

/** The option ids that mean done, per definition id: for chips whose shown value Google left out. */
export function doneOptionIds(definitions: DocDropdownDefinitions): Set<string> {
  const ids = new Set<string>();
  for (const definition of Object.values(definitions)) {
    for (const option of definition.dropdownDefinitionProperties?.options ?? []) {
      if (option.optionId !== undefined && isDoneValue(option.displayValue)) ids.add(option.optionId);
    }
  }
  return ids;
}

function usable(
  id: string,
  definition: DocDropdownDefinitions[string],
): Omit<StatusDropdown, "create"> | null {
  const options = definition.dropdownDefinitionProperties?.options ?? [];
  const open = options.find((option) => normalized(option.displayValue) === "open")?.optionId;
  const done = options.find((option) => isDoneValue(option.displayValue))?.optionId;
  if (open === undefined || done === undefined) return null;
  return { definitionId: definition.dropdownDefinitionId ?? id, openOptionId: open, doneOptionId: done };
}

/**
 * The open and done options of the definition a chip uses, when it offers both: what live sync sets to
 * mark a copy done or open again. Null for a definition that is gone or has no such options.
 */
export function statusOptionsOf(
  definitions: DocDropdownDefinitions,
  definitionId: string | undefined,
): Omit<StatusDropdown, "create"> | null {
  if (definitionId === undefined) return null;
  for (const [id, definition] of Object.entries(definitions)) {
    if ((definition.dropdownDefinitionId ?? id) === definitionId) return usable(id, definition);
  }
  return null;
}

/**
 * The tab's status dropdown: ours found by title (or by our id, if someone renamed it) when it still
 * offers Open and Done, else a new one under an id not yet taken in the tab.
 */
export function statusDropdownFor(
  definitions: DocDropdownDefinitions,
  tabId: string | undefined,
): StatusDropdown {
  const entries = Object.entries(definitions);
  const byTitle = entries.filter(
    ([, definition]) =>
      normalized(definition.dropdownDefinitionProperties?.title) === normalized(STATUS_TITLE),
  );
  const byId = entries.filter(
    ([id, definition]) => (definition.dropdownDefinitionId ?? id) === DEFINITION_ID,
  );
  for (const [id, definition] of [...byTitle, ...byId]) {
    const found = usable(id, definition);
    if (found !== null) return { ...found, create: null };
  }
  const taken = new Set(entries.map(([id, definition]) => definition.dropdownDefinitionId ?? id));
  let definitionId = DEFINITION_ID;
  for (let n = 2; taken.has(definitionId); n += 1) definitionId = `${DEFINITION_ID.slice(0, 16)}${n}`;
  return {
    definitionId,
    openOptionId: OPEN_OPTION_ID,
    doneOptionId: DONE_OPTION_ID,
    create: {
      createDropdownDefinition: {
        ...(tabId === undefined ? {} : { tabId }),
        dropdownDefinition: {
          dropdownDefinitionId: definitionId,
          dropdownDefinitionProperties: {
            title: STATUS_TITLE,
            options: [
              {
                optionId: OPEN_OPTION_ID,
                displayValue: "Open",
                textStyle: { backgroundColor: { color: { rgbColor: { red: 1, green: 0.95, blue: 0.8 } } } },
              },
              {
                optionId: DONE_OPTION_ID,
                displayValue: "Done",
                textStyle: {
                  backgroundColor: { color: { rgbColor: { red: 0.85, green: 0.95, blue: 0.85 } } },
                },
              },
            ],
          },
        },
      },
    },
  };
}
