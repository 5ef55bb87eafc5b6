// Owns how each Google call is addressed: its URL (every Drive call across shared drives), its name in the
// call counts, the quota lane it spends, and whether it is safe to send again after a lost answer.
import type { CallSpec } from "./transport";
import { TOKEN_ENDPOINT } from "./transport";

/** Google's endpoints as this client names them in call counts. */
export const ENDPOINTS = {
  getDocument: "GET /v1/documents/:id",
  batchUpdate: "POST /v1/documents/:id:batchUpdate",
  listFiles: "GET /drive/v3/files",
  getFile: "GET /drive/v3/files/:id",
  copyFile: "POST /drive/v3/files/:id/copy",
  createFile: "POST /drive/v3/files",
  updateFile: "PATCH /drive/v3/files/:id",
  startPageToken: "GET /drive/v3/changes/startPageToken",
  listChanges: "GET /drive/v3/changes",
  token: TOKEN_ENDPOINT,
} as const;

/** Where the calls go, and as whom (null: the service account itself). */
export interface CallTarget {
  docsBase: string;
  driveBase: string;
  subject: string | null;
}

export function trimBase(url: string): string {
  return url.replace(/\/+$/, "");
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, String(value));
  }
  return search.toString();
}

const id = encodeURIComponent;
const files = (target: CallTarget) => `${target.driveBase}/drive/v3/files`;

/** `documents.get` with every tab's content. */
export function getDocumentSpec(target: CallTarget, documentId: string): CallSpec {
  return {
    method: "GET",
    url: `${target.docsBase}/v1/documents/${id(documentId)}?includeTabsContent=true`,
    endpoint: ENDPOINTS.getDocument,
    lane: "docsRead",
    repeatable: true,
    subject: target.subject,
  };
}

/** `documents.batchUpdate`: never repeated, since a lost answer may hide an applied batch. */
export function batchUpdateSpec(target: CallTarget, documentId: string, body: unknown): CallSpec {
  return {
    method: "POST",
    url: `${target.docsBase}/v1/documents/${id(documentId)}:batchUpdate`,
    endpoint: ENDPOINTS.batchUpdate,
    lane: "docsWrite",
    repeatable: false,
    body,
    subject: target.subject,
  };
}

export function listFilesSpec(
  target: CallTarget,
  params: { q: string; fields: string; pageSize?: number; pageToken?: string },
): CallSpec {
  const search = query({
    q: params.q,
    fields: params.fields,
    pageSize: params.pageSize,
    pageToken: params.pageToken,
    corpora: "allDrives",
    includeItemsFromAllDrives: true,
    supportsAllDrives: true,
  });
  return drive(target, "GET", `${files(target)}?${search}`, ENDPOINTS.listFiles, true);
}

export function getFileSpec(target: CallTarget, fileId: string, fields: string): CallSpec {
  const url = `${files(target)}/${id(fileId)}?${query({ fields, supportsAllDrives: true })}`;
  return drive(target, "GET", url, ENDPOINTS.getFile, true);
}

/** `files.copy`: never repeated (a second copy would be a second agenda). */
export function copyFileSpec(
  target: CallTarget,
  fileId: string,
  metadata: unknown,
  fields: string,
): CallSpec {
  const url = `${files(target)}/${id(fileId)}/copy?${query({ fields, supportsAllDrives: true })}`;
  return { ...drive(target, "POST", url, ENDPOINTS.copyFile, false), body: metadata };
}

/** `files.create`: never repeated. */
export function createFileSpec(target: CallTarget, metadata: unknown, fields: string): CallSpec {
  const url = `${files(target)}?${query({ fields, supportsAllDrives: true })}`;
  return { ...drive(target, "POST", url, ENDPOINTS.createFile, false), body: metadata };
}

/** `files.update` with `trashed: true`; trashing twice is harmless, so it may be repeated. */
export function trashFileSpec(target: CallTarget, fileId: string): CallSpec {
  const url = `${files(target)}/${id(fileId)}?${query({ fields: "id", supportsAllDrives: true })}`;
  return { ...drive(target, "PATCH", url, ENDPOINTS.updateFile, true), body: { trashed: true } };
}

export function startPageTokenSpec(target: CallTarget): CallSpec {
  const search = query({ fields: "startPageToken", supportsAllDrives: true });
  const url = `${target.driveBase}/drive/v3/changes/startPageToken?${search}`;
  return drive(target, "GET", url, ENDPOINTS.startPageToken, true);
}

export function listChangesSpec(
  target: CallTarget,
  params: { pageToken: string; fields: string; pageSize?: number },
): CallSpec {
  const search = query({
    pageToken: params.pageToken,
    fields: params.fields,
    pageSize: params.pageSize,
    includeItemsFromAllDrives: true,
    supportsAllDrives: true,
  });
  return drive(target, "GET", `${target.driveBase}/drive/v3/changes?${search}`, ENDPOINTS.listChanges, true);
}

function drive(
  target: CallTarget,
  method: CallSpec["method"],
  url: string,
  endpoint: string,
  repeatable: boolean,
): CallSpec {
  return { method, url, endpoint, lane: "drive", repeatable, subject: target.subject };
}
