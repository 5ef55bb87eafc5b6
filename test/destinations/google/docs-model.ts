// Test helper: a Google Doc held in the Google emulator's document model (emulators/google/docs), in
// process. batchUpdates are checked against the Docs discovery schema and applied by the emulator's own
// appliers; the JSON is what the emulator serves for documents.get. It wires the model; it models nothing.
import { loadDiscovery } from "../../../emulators/google/discovery/load";
import { DiscoveryValidator } from "../../../emulators/google/discovery/validator";
import { applyBatch } from "../../../emulators/google/docs/batch-update";
import { type DocumentModel, emptyTab, type TabModel } from "../../../emulators/google/docs/model";
import { renderDocument } from "../../../emulators/google/docs/render";
import { revisionId } from "../../../emulators/google/ids";
import type { GoogleEmulator } from "../../../emulators/google/server";
import type { DocsRequest } from "../../../src/destinations/google/api/client";

/** A document's tab text with chips spelled out (see chipText), e.g. one the emulator holds. */
export function documentText(doc: DocumentModel | undefined, tabIndex = 0): string {
  return chipText(doc?.tabs[tabIndex]);
}

/** Loaded once per test file: the discovery documents are large. */
let validator: DiscoveryValidator | undefined;
function docsValidator(): DiscoveryValidator {
  validator ??= new DiscoveryValidator("google-docs-v1", loadDiscovery().docs, ["Request"]);
  return validator;
}

/** The text of a tab with chips as `[person:email]`, `[date:YYYY-MM-DD]`, `[status:Option]`: for assertions. */
function chipText(tab: TabModel | undefined): string {
  return (tab?.units ?? [])
    .map((unit) => {
      switch (unit.kind) {
        case "sectionBreak":
          return "";
        case "char":
          return unit.ch;
        case "newline":
          return "\n";
        case "person":
          return `[person:${unit.email}]`;
        case "date":
          return `[date:${unit.date.timestamp.slice(0, 10)}]`;
        default: {
          const option = tab?.dropdowns[unit.definitionId]?.options.find(
            (candidate) => candidate.optionId === unit.selectedOptionId,
          );
          return `[status:${option?.displayValue ?? "?"}]`;
        }
      }
    })
    .join("");
}

/** Where a document's model lives: here in the test, or in a running emulator's workspace. */
interface DocStore {
  get(): DocumentModel;
  /** Keeps a batch's result as the next revision. */
  set(doc: DocumentModel): void;
  nameOf(email: string): string | undefined;
}

function localStore(documentId: string): DocStore {
  let model: DocumentModel = { documentId, revisionId: revisionId(), tabs: [emptyTab("t.0", "Tab 1")] };
  return {
    get: () => model,
    set: (doc) => {
      model = { ...doc, revisionId: revisionId() };
    },
    nameOf: () => undefined,
  };
}

/** A Google Doc in the emulator's model. */
export class ModelDoc {
  readonly #store: DocStore;

  constructor(
    readonly documentId: string,
    readonly title = "Untitled document",
    store: DocStore = localStore(documentId),
  ) {
    this.#store = store;
  }

  get model(): DocumentModel {
    return this.#store.get();
  }

  get tabs(): TabModel[] {
    return this.model.tabs;
  }

  /** Applies a batch as documents.batchUpdate does: checked, all or nothing, a new revision. */
  batchUpdate(requests: readonly DocsRequest[]): object[] {
    const problem = docsValidator().check("BatchUpdateDocumentRequest")({ requests });
    if (problem !== undefined) throw new Error(`the batch breaks the Docs schema: ${problem.detail}`);
    const docs = docsValidator().doc;
    const applied = applyBatch(this.model, requests, {
      nameOf: (email) => this.#store.nameOf(email),
      fieldsOf: (schema) => Object.keys(docs.schemas[schema]?.properties ?? {}),
    });
    this.#store.set(applied.doc);
    return applied.replies;
  }

  /** A person's edit: text typed at `index`, taking the style around it as the editor does. */
  type(index: number, text: string): void {
    this.batchUpdate([{ insertText: { text, location: { index } } }]);
  }

  #tabId(tabIndex: number): string {
    const tab = this.model.tabs[tabIndex];
    if (tab === undefined) throw new Error(`no tab ${tabIndex}`);
    return tab.tabId;
  }

  /** A person's edit: replace the text in [start, end) with `text`. */
  replace(start: number, end: number, text: string, tabIndex = 0): void {
    const tabId = this.#tabId(tabIndex);
    this.batchUpdate([
      { deleteContentRange: { range: { startIndex: start, endIndex: end, tabId } } },
      { insertText: { text, location: { index: start, tabId } } },
    ]);
  }

  /** A person's edit: pick another option of the dropdown chip at `index`, by its label. */
  selectOption(index: number, displayValue: string, tabIndex = 0): void {
    const tab = this.model.tabs[tabIndex];
    const unit = tab?.units[index];
    if (tab === undefined || unit?.kind !== "dropdown") throw new Error(`no dropdown at ${index}`);
    const option = tab.dropdowns[unit.definitionId]?.options.find((o) => o.displayValue === displayValue);
    if (option === undefined) throw new Error(`no option ${displayValue}`);
    this.batchUpdate([
      {
        updateDropdownProperties: {
          tabId: tab.tabId,
          dropdownId: unit.id,
          dropdownProperties: { selectedOptionId: option.optionId },
          fields: "selectedOptionId",
        },
      } as DocsRequest,
    ]);
  }

  /** A person's edit: set one text style field over [start, end). */
  styleText(start: number, end: number, field: string, value: unknown, tabIndex = 0): void {
    this.batchUpdate([
      {
        updateTextStyle: {
          range: { startIndex: start, endIndex: end, tabId: this.#tabId(tabIndex) },
          textStyle: { [field]: value },
          fields: field,
        },
      },
    ]);
  }

  /** The index where `text` first occurs in a tab (a chip is one index, written U+E907 here). */
  indexOf(text: string, tabIndex = 0): number {
    const units = this.model.tabs[tabIndex]?.units ?? [];
    const plain = units
      .map((unit) =>
        unit.kind === "char"
          ? unit.ch
          : unit.kind === "newline"
            ? "\n"
            : unit.kind === "sectionBreak"
              ? "\u0000"
              : "\ue907",
      )
      .join("");
    const at = plain.indexOf(text);
    if (at < 0) throw new Error(`"${text}" is not in the document`);
    return at;
  }

  /** The document as `documents.get?includeTabsContent=true` returns it. */
  toJSON(): object {
    return renderDocument(this.model, this.title, true);
  }

  /** The first tab's text with chips spelled out (see chipText). */
  text(tabIndex = 0): string {
    return chipText(this.model.tabs[tabIndex]);
  }
}

/**
 * A document a running emulator holds, edited in process as its owner edits it in the Docs editor: each
 * edit is a new revision, and no API call is counted.
 */
export function liveDoc(emulator: GoogleEmulator, documentId: string): ModelDoc {
  const item = () => {
    const found = emulator.workspace.drive.items.get(documentId);
    if (found === undefined) throw new Error(`the emulator has no file ${documentId}`);
    return found;
  };
  return new ModelDoc(documentId, item().name, {
    get: () => {
      const doc = emulator.workspace.documents.get(documentId);
      if (doc === undefined) throw new Error(`the emulator has no document ${documentId}`);
      return doc;
    },
    set: (doc) => {
      const file = item();
      emulator.workspace.commit(file, doc, file.owner ?? file.lastModifyingUser ?? "");
    },
    nameOf: (email) => emulator.workspace.principals.nameOf(email),
  });
}
