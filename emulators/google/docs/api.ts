// Docs v1 routes: documents.get, documents.batchUpdate (with writeControl) and documents.create.

import { asArray, asRecord, asString, type JsonObject } from "../../common/json";
import { type ApiHandler, type ApiRequest, flag } from "../api-context";
import { fileAccess } from "../auth/scopes";
import { checkFields, FieldMaskError, parseFields, project, selects } from "../discovery/fields";
import { ownableParent } from "../drive/api";
import { atLeast, DOCUMENT, type DriveItem } from "../drive/store";
import { GoogleApiError } from "../errors";
import { applyBatch } from "./batch-update";
import type { DocumentModel } from "./model";
import { renderDocument } from "./render";

function fieldsOf(req: ApiRequest): (schema: string) => readonly string[] {
  return (schema) => Object.keys(req.docs.doc.schemas[schema]?.properties ?? {});
}

/** Docs says 404 for what does not exist and 403 for what the caller may not open (or, here, write). */
function openDocument(req: ApiRequest, write: boolean): { item: DriveItem; doc: DocumentModel } {
  const { workspace } = req.state;
  const item = workspace.drive.items.get(req.id);
  const doc = workspace.documents.get(req.id);
  if (item === undefined) throw GoogleApiError.docsNotFound();
  if (item.mimeType !== DOCUMENT || doc === undefined) {
    throw new GoogleApiError(400, "This operation is not supported for this document", {
      status: "FAILED_PRECONDITION",
      reason: "failedPrecondition",
    });
  }
  const role = workspace.drive.roleOf(req.caller.principal, item);
  const access = fileAccess(req.caller.scopes, "docs");
  const reachable = access === "full" || (access === "app" && item.createdByApp === req.caller.app);
  if (!reachable || !atLeast(role, write ? "writer" : "reader")) throw GoogleApiError.docsPermissionDenied();
  return { item, doc };
}

export const getDocument: ApiHandler = (req) => {
  const { item, doc } = openDocument(req, false);
  const rawFields = req.query.get("fields");
  let includeTabs = flag(req.query, "includeTabsContent");
  if (rawFields === null) return renderDocument(doc, item.name, includeTabs);
  try {
    const mask = parseFields(rawFields);
    const bad = checkFields(mask, "Document", req.docs.doc.schemas);
    if (bad !== undefined) throw new FieldMaskError(`Invalid field selection ${bad}`);
    // "If you use a field mask that references the Document.tabs field … include_tabs_content is implied."
    includeTabs ||= !mask.all && selects(mask, "tabs");
    return asRecord(project(renderDocument(doc, item.name, includeTabs), mask));
  } catch (error) {
    if (error instanceof FieldMaskError) {
      req.violation(`fields names what Document does not have: ${error.message}`);
      throw GoogleApiError.invalidArgument(error.message, "fields");
    }
    throw error;
  }
};

export const batchUpdate: ApiHandler = (req) => {
  const { item, doc } = openDocument(req, true);
  const control = asRecord(req.body.writeControl);
  if (control.targetRevisionId !== undefined) {
    throw GoogleApiError.gap(
      "writeControl.targetRevisionId (merging with collaborator changes) is not emulated",
    );
  }
  if (control.writeMode === "SUGGEST")
    throw GoogleApiError.gap("writeControl.writeMode SUGGEST is not emulated");
  const required = asString(control.requiredRevisionId);
  if (required !== undefined && required !== doc.revisionId) {
    throw new GoogleApiError(
      400,
      `The required revision ID ${required} does not match the latest revision of the document. Fetch the document again and retry with its revisionId.`,
      { status: "FAILED_PRECONDITION", reason: "failedPrecondition" },
    );
  }
  const requests = asArray(req.body.requests);
  if (requests.length === 0) {
    return { documentId: doc.documentId, replies: [], writeControl: { requiredRevisionId: doc.revisionId } };
  }
  const { workspace } = req.state;
  const applied = applyBatch(doc, requests, {
    nameOf: (email) => workspace.principals.nameOf(email),
    fieldsOf: fieldsOf(req),
  });
  const next = workspace.commit(item, applied.doc, req.caller.principal);
  return {
    documentId: next.documentId,
    replies: applied.replies,
    writeControl: { requiredRevisionId: next.revisionId },
  };
};

/** documents.create: a blank document in the caller's My Drive (which a service account does not have). */
export const createDocument: ApiHandler = (req) => {
  const { workspace } = req.state;
  const parent = ownableParent(req, workspace.drive.rootOf(req.caller.principal));
  const title = asString(req.body.title) ?? "Untitled document";
  const { item, doc } = workspace.createDocument({
    name: title,
    parent,
    creator: req.caller.principal,
    createdByApp: req.caller.app,
  });
  return renderDocument(doc, item.name, false) satisfies JsonObject;
};
