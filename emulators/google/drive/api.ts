/// <reference types="node" />
// Drive v3 routes: files.get, files.list (q, orderBy, corpora, paging, fields), files.copy, files.create and
// files.update (name, description, appProperties, properties, trashed), files.delete.

import { asArray, asRecord, asString, isRecord, type JsonObject } from "../../common/json";
import { type ApiHandler, type ApiRequest, flag } from "../api-context";
import { fileAccess } from "../auth/scopes";
import { checkFields, FieldMaskError, parseFields, project } from "../discovery/fields";
import { allTabs, plainText } from "../docs/model";
import { GoogleApiError } from "../errors";
import { parseOrderBy, parseQuery, QueryError } from "./query";
import { fileJson } from "./render";
import { atLeast, DOCUMENT, type DriveItem, FOLDER } from "./store";

const FILE_FIELDS = "kind,id,name,mimeType";
const LIST_FIELDS = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)";

const STORAGE_MESSAGE =
  "Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.";

function supportsAllDrives(req: ApiRequest): boolean {
  return flag(req.query, "supportsAllDrives") || flag(req.query, "supportsTeamDrives");
}

/** Whether the caller may see the item through this request (sharing, scope, and the shared-drive opt-in). */
export function canSee(req: ApiRequest, item: DriveItem): boolean {
  if (item.root === "myDrive" && item.owner !== req.caller.principal) return false;
  if (item.driveId !== undefined && !supportsAllDrives(req)) return false;
  const access = fileAccess(req.caller.scopes, "drive");
  if (access === "none") return false;
  if (access === "app" && item.createdByApp !== req.caller.app && item.root === undefined) return false;
  return req.state.workspace.drive.roleOf(req.caller.principal, item) !== undefined;
}

/** Drive answers the same 404 for what does not exist and what the caller may not see. */
function visibleItem(req: ApiRequest, id: string, location = "fileId"): DriveItem {
  const { drive } = req.state.workspace;
  const item = id === "root" ? drive.rootOf(req.caller.principal) : drive.items.get(id);
  if (item === undefined || !canSee(req, item)) throw GoogleApiError.fileNotFound(id, location);
  return item;
}

/** New files need a folder the caller may add to, and an owner with storage (shared drives own their files). */
export function ownableParent(req: ApiRequest, parent: DriveItem): DriveItem {
  const { workspace } = req.state;
  if (parent.mimeType !== FOLDER) {
    throw new GoogleApiError(400, "The specified parent is not a folder.", { reason: "badRequest" });
  }
  if (!atLeast(workspace.drive.roleOf(req.caller.principal, parent), "writer")) {
    throw new GoogleApiError(403, "The user does not have sufficient permissions for the specified parent.", {
      reason: "insufficientParentPermissions",
    });
  }
  if (parent.driveId === undefined && !workspace.principals.canOwnFiles(req.caller.principal)) {
    throw new GoogleApiError(403, STORAGE_MESSAGE, { reason: "storageQuotaExceeded", domain: "usageLimits" });
  }
  return parent;
}

/** The request's `fields` (or the method's default), checked against the schema it selects from. */
export function mask(
  req: ApiRequest,
  fallback: string,
  schema: "File" | "FileList" | "ChangeList" | "StartPageToken",
) {
  const raw = req.query.get("fields") ?? fallback;
  try {
    const parsed = parseFields(raw);
    const bad = checkFields(parsed, schema, req.drive.doc.schemas);
    if (bad !== undefined) throw new FieldMaskError(`Invalid field selection ${bad}`);
    return parsed;
  } catch (error) {
    if (error instanceof FieldMaskError) {
      req.violation(`fields names what ${schema} does not have: ${error.message}`);
      throw GoogleApiError.driveInvalid(error.message, "fields", "invalidParameter");
    }
    throw error;
  }
}

function respond(req: ApiRequest, item: DriveItem): JsonObject {
  const json = fileJson(req.state.workspace, item, req.caller.principal, req.caller.app);
  return asRecord(project(json, mask(req, FILE_FIELDS, "File")));
}

/** The one parent a create or copy names ("root" is the caller's My Drive). */
function requestedParent(req: ApiRequest, fallback: () => DriveItem): DriveItem {
  const parents = req.body.parents;
  if (parents === undefined) return fallback();
  const ids = asArray(parents).map((p) => String(p));
  if (ids.length > 1) {
    throw new GoogleApiError(403, "Increasing the number of parents is not allowed.", {
      reason: "cannotAddParent",
    });
  }
  const [id] = ids;
  if (id === undefined) return fallback();
  return visibleItem(req, id, "parents");
}

/** appProperties from a body: this app's map, where null clears a key. */
function mergeAppProperties(
  existing: Record<string, Record<string, string>>,
  app: string,
  patch: unknown,
): Record<string, Record<string, string>> {
  const merged = structuredClone(existing);
  if (!isRecord(patch)) return merged;
  const own = { ...merged[app] };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete own[key];
    else own[key] = String(value);
  }
  merged[app] = own;
  return merged;
}

export const getFile: ApiHandler = (req) => {
  const item = visibleItem(req, req.id);
  if (req.query.get("alt") === "media") {
    // Docs, Sheets and folders have no bytes to download; Drive points at files.export instead.
    throw new GoogleApiError(
      403,
      "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
      {
        reason: "fileNotDownloadable",
        location: "alt",
        locationType: "parameter",
      },
    );
  }
  return respond(req, item);
};

export const copyFile: ApiHandler = (req) => {
  const source = visibleItem(req, req.id);
  if (source.mimeType === FOLDER) {
    throw new GoogleApiError(403, "This file cannot be copied by the user.", { reason: "cannotCopyFile" });
  }
  if (source.mimeType !== DOCUMENT) {
    throw GoogleApiError.gap(`copying files of type ${source.mimeType} is not emulated`);
  }
  const { workspace } = req.state;
  // "If not specified as part of a copy request, the file will inherit any discoverable parents of the source file."
  const parent = ownableParent(
    req,
    requestedParent(req, () => {
      const inherited = workspace.drive.parentOf(source);
      return inherited !== undefined && canSee(req, inherited)
        ? inherited
        : workspace.drive.rootOf(req.caller.principal);
    }),
  );
  const { item } = workspace.copyDocument(source, {
    name: asString(req.body.name) ?? `Copy of ${source.name}`,
    parent,
    creator: req.caller.principal,
    createdByApp: req.caller.app,
    appProperties: mergeAppProperties(source.appProperties, req.caller.app, req.body.appProperties),
    description: asString(req.body.description) ?? source.description,
  });
  for (const [key, value] of Object.entries(asRecord(req.body.properties))) {
    if (value === null) delete item.properties[key];
    else item.properties[key] = String(value);
  }
  return respond(req, item);
};

export const createFile: ApiHandler = (req) => {
  const { workspace } = req.state;
  const mimeType = asString(req.body.mimeType) ?? "application/octet-stream";
  if (req.body.id !== undefined)
    throw GoogleApiError.gap("creating a file with a pre-generated id is not emulated");
  if (mimeType !== DOCUMENT && mimeType !== FOLDER) {
    throw GoogleApiError.gap(`creating files of type ${mimeType} (or with content) is not emulated`);
  }
  const parent = ownableParent(
    req,
    requestedParent(req, () => workspace.drive.rootOf(req.caller.principal)),
  );
  const common = {
    name: asString(req.body.name) ?? "Untitled",
    parent,
    creator: req.caller.principal,
    createdByApp: req.caller.app,
    appProperties: mergeAppProperties({}, req.caller.app, req.body.appProperties),
    description: asString(req.body.description),
  };
  const item =
    mimeType === DOCUMENT
      ? workspace.createDocument(common).item
      : workspace.drive.create({ ...common, mimeType: FOLDER });
  for (const [key, value] of Object.entries(asRecord(req.body.properties))) {
    if (value !== null) item.properties[key] = String(value);
  }
  return respond(req, item);
};

/** What files.update changes; every other writable field of File is a refused gap. */
const UPDATABLE = new Set(["name", "description", "appProperties", "properties", "trashed"]);

export const updateFile: ApiHandler = (req) => {
  const item = visibleItem(req, req.id);
  const { drive } = req.state.workspace;
  if (req.query.has("addParents") || req.query.has("removeParents")) {
    throw GoogleApiError.gap("moving a file with files.update (addParents, removeParents) is not emulated");
  }
  for (const field of Object.keys(req.body)) {
    if (!UPDATABLE.has(field)) throw GoogleApiError.gap(`files.update of ${field} is not emulated`);
  }
  const role = drive.roleOf(req.caller.principal, item);
  if (!atLeast(role, "writer")) {
    throw new GoogleApiError(403, "The user does not have sufficient permissions for this file.", {
      reason: "insufficientFilePermissions",
    });
  }
  // "Only the file owner can trash a file"; in a shared drive, a fileOrganizer (content manager) or above.
  const trashed = req.body.trashed;
  if (typeof trashed === "boolean" && trashed !== item.trashed) {
    const may = item.driveId === undefined ? role === "owner" : atLeast(role, "fileOrganizer");
    if (!may) {
      throw new GoogleApiError(403, "The user does not have sufficient permissions for this file.", {
        reason: "insufficientFilePermissions",
      });
    }
    item.trashed = trashed;
  }
  const name = asString(req.body.name);
  if (name !== undefined) item.name = name;
  const description = asString(req.body.description);
  if (description !== undefined) item.description = description;
  if (req.body.appProperties !== undefined) {
    item.appProperties = mergeAppProperties(item.appProperties, req.caller.app, req.body.appProperties);
  }
  for (const [key, value] of Object.entries(asRecord(req.body.properties))) {
    if (value === null) delete item.properties[key];
    else item.properties[key] = String(value);
  }
  drive.touch(item, req.caller.principal);
  return respond(req, item);
};

/** files.delete: gone at once, not trashed; the owner (or a shared drive's organizer) only. */
export const deleteFile: ApiHandler = (req) => {
  const item = visibleItem(req, req.id);
  const { drive, documents } = req.state.workspace;
  const role = drive.roleOf(req.caller.principal, item);
  const may = item.driveId === undefined ? role === "owner" : atLeast(role, "organizer");
  if (!may) {
    throw new GoogleApiError(403, "The user does not have sufficient permissions for this file.", {
      reason: "insufficientFilePermissions",
    });
  }
  if (
    item.mimeType === FOLDER &&
    [...drive.items.values()].some((child) => child.parents.includes(item.id))
  ) {
    throw GoogleApiError.gap("deleting a folder that holds files is not emulated");
  }
  drive.delete(item);
  documents.delete(item.id);
  return null;
};

function pageToken(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key })).toString("base64url");
}

function readPageToken(token: string | null, key: string): number {
  if (token === null) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (isRecord(parsed) && parsed.k === key && typeof parsed.o === "number") return parsed.o;
  } catch {
    // fall through to Google's answer for a token it does not recognise
  }
  throw GoogleApiError.driveInvalid("Invalid Value", "pageToken");
}

export const listFiles: ApiHandler = (req) => {
  const { workspace } = req.state;
  const q = req.query;
  const corpora = q.get("corpora") ?? "user";
  const driveId = q.get("driveId") ?? q.get("teamDriveId") ?? undefined;
  const allDrives = supportsAllDrives(req);
  const includeAll = flag(q, "includeItemsFromAllDrives") || flag(q, "includeTeamDriveItems");
  if ((corpora === "drive") !== (driveId !== undefined)) {
    throw GoogleApiError.driveInvalid(
      "The driveId parameter must be specified if and only if corpora is set to drive.",
      "driveId",
    );
  }
  if (includeAll && !allDrives) {
    throw GoogleApiError.driveInvalid(
      "The includeItemsFromAllDrives parameter can only be set to true when supportsAllDrives is also set to true.",
      "includeItemsFromAllDrives",
    );
  }
  if ((corpora === "drive" || corpora === "allDrives") && !includeAll) {
    throw GoogleApiError.driveInvalid(
      "The includeItemsFromAllDrives parameter must be set to true when corpora is set to drive or allDrives.",
      "includeItemsFromAllDrives",
    );
  }
  if (corpora === "domain") throw GoogleApiError.gap("files.list with corpora=domain is not emulated");
  if (!["user", "drive", "allDrives"].includes(corpora))
    throw GoogleApiError.driveInvalid("Invalid Value", "corpora");
  if (driveId !== undefined && !workspace.drive.drives.has(driveId)) {
    throw new GoogleApiError(404, `Shared drive not found: ${driveId}`, {
      reason: "notFound",
      location: "driveId",
      locationType: "parameter",
    });
  }

  let predicate: ReturnType<typeof parseQuery> | undefined;
  let order: ReturnType<typeof parseOrderBy> | undefined;
  try {
    const text = q.get("q");
    predicate = text === null || text.trim() === "" ? undefined : parseQuery(text);
    const orderBy = q.get("orderBy");
    order = orderBy === null ? undefined : parseOrderBy(orderBy);
  } catch (error) {
    if (error instanceof QueryError && error.gap) throw GoogleApiError.gap(error.message);
    if (error instanceof QueryError) throw GoogleApiError.driveInvalid("Invalid Value", "q");
    throw error;
  }

  const queryContext = {
    app: req.caller.app,
    text: (item: DriveItem) => {
      const doc = workspace.documents.get(item.id);
      const body =
        doc === undefined
          ? ""
          : allTabs(doc)
              .map((tab) => plainText(tab))
              .join("\n");
      return `${item.name}\n${body}`.toLowerCase();
    },
  };
  const matches = [...workspace.drive.items.values()].filter((item) => {
    if (item.root !== undefined || !canSee(req, item)) return false;
    if (corpora === "drive" && item.driveId !== driveId) return false;
    if (corpora === "user" && item.driveId !== undefined && !includeAll) return false;
    return predicate === undefined || predicate(item, queryContext);
  });
  if (order !== undefined) matches.sort(order);

  const pageSize = Number(q.get("pageSize") ?? "100");
  const key = [q.get("q"), q.get("orderBy"), corpora, driveId].join("\u0000");
  const offset = readPageToken(q.get("pageToken"), key);
  const page = matches.slice(offset, offset + pageSize);
  const next = offset + pageSize < matches.length ? pageToken(offset + pageSize, key) : undefined;
  const json: JsonObject = {
    kind: "drive#fileList",
    incompleteSearch: false,
    ...(next !== undefined ? { nextPageToken: next } : {}),
    files: page.map((item) => fileJson(workspace, item, req.caller.principal, req.caller.app)),
  };
  return asRecord(project(json, mask(req, LIST_FIELDS, "FileList")));
};
