// Everything a Google Workspace holds for the emulator: people and service accounts, Drive items, and the documents behind Docs files.
import { Principals } from "./auth/principals";
import type { Role } from "./control-types";
import { type DocumentModel, emptyTab } from "./docs/model";
import { DOCUMENT, type DriveItem, DriveStore } from "./drive/store";
import { revisionId } from "./ids";

export interface NewDocument {
  name: string;
  parent: DriveItem;
  creator: string;
  createdByApp?: string;
  acl?: Record<string, Role>;
  appProperties?: Record<string, Record<string, string>>;
  description?: string;
  createdTime?: string;
  /** Content for the new document; a blank one-tab document otherwise. */
  model?: (documentId: string) => DocumentModel;
}

export class Workspace {
  readonly principals = new Principals();
  readonly drive = new DriveStore();
  readonly documents = new Map<string, DocumentModel>();

  createDocument(spec: NewDocument): { item: DriveItem; doc: DocumentModel } {
    const item = this.drive.create({
      name: spec.name,
      mimeType: DOCUMENT,
      parent: spec.parent,
      creator: spec.creator,
      acl: spec.acl,
      appProperties: spec.appProperties,
      description: spec.description,
      createdTime: spec.createdTime,
      createdByApp: spec.createdByApp,
    });
    const doc = spec.model?.(item.id) ?? {
      documentId: item.id,
      revisionId: revisionId(),
      tabs: [emptyTab("t.0", "Tab 1")],
    };
    this.documents.set(item.id, doc);
    return { item, doc };
  }

  /** A Drive copy of a Google Doc: a new id and a deep copy of the content (not of its sharing). */
  copyDocument(source: DriveItem, spec: Omit<NewDocument, "model">): { item: DriveItem; doc: DocumentModel } {
    const original = this.documents.get(source.id);
    return this.createDocument({
      ...spec,
      model: (documentId) =>
        original === undefined
          ? { documentId, revisionId: revisionId(), tabs: [emptyTab("t.0", "Tab 1")] }
          : { ...structuredClone(original), documentId, revisionId: revisionId() },
    });
  }

  /** Stores a batch's result: a new revision, and Drive's version and modified time move on. */
  commit(item: DriveItem, doc: DocumentModel, by: string): DocumentModel {
    const next = { ...doc, revisionId: revisionId() };
    this.documents.set(item.id, next);
    this.drive.touch(item, by);
    return next;
  }
}
