// The routes the emulator serves at one origin, each tied to its discovery method (scopes, parameters, body and response schemas).
import type { ApiHandler } from "./api-context";
import { batchUpdate, createDocument, getDocument } from "./docs/api";
import { copyFile, createFile, deleteFile, getFile, listFiles, updateFile } from "./drive/api";
import { getStartPageToken, listChanges } from "./drive/changes";
import type { QuotaKind } from "./quota";

export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Also the key of call counts: `${method} ${template}`. */
  template: string;
  pattern: RegExp;
  api: "docs" | "drive";
  /** The discovery method id, e.g. "docs.documents.batchUpdate". */
  discoveryId: string;
  quota: QuotaKind;
  handler: ApiHandler;
}

export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    template: "/v1/documents/:id",
    pattern: /^\/v1\/documents\/([^/:]+)$/,
    api: "docs",
    discoveryId: "docs.documents.get",
    quota: "docsRead",
    handler: getDocument,
  },
  {
    method: "POST",
    template: "/v1/documents/:id:batchUpdate",
    pattern: /^\/v1\/documents\/([^/:]+):batchUpdate$/,
    api: "docs",
    discoveryId: "docs.documents.batchUpdate",
    quota: "docsWrite",
    handler: batchUpdate,
  },
  {
    method: "POST",
    template: "/v1/documents",
    pattern: /^\/v1\/documents$/,
    api: "docs",
    discoveryId: "docs.documents.create",
    quota: "docsWrite",
    handler: createDocument,
  },
  {
    method: "GET",
    template: "/drive/v3/files",
    pattern: /^\/drive\/v3\/files$/,
    api: "drive",
    discoveryId: "drive.files.list",
    quota: "drive",
    handler: listFiles,
  },
  {
    method: "POST",
    template: "/drive/v3/files",
    pattern: /^\/drive\/v3\/files$/,
    api: "drive",
    discoveryId: "drive.files.create",
    quota: "drive",
    handler: createFile,
  },
  {
    method: "GET",
    template: "/drive/v3/files/:id",
    pattern: /^\/drive\/v3\/files\/([^/]+)$/,
    api: "drive",
    discoveryId: "drive.files.get",
    quota: "drive",
    handler: getFile,
  },
  {
    method: "POST",
    template: "/drive/v3/files/:id/copy",
    pattern: /^\/drive\/v3\/files\/([^/]+)\/copy$/,
    api: "drive",
    discoveryId: "drive.files.copy",
    quota: "drive",
    handler: copyFile,
  },
  {
    method: "PATCH",
    template: "/drive/v3/files/:id",
    pattern: /^\/drive\/v3\/files\/([^/]+)$/,
    api: "drive",
    discoveryId: "drive.files.update",
    quota: "drive",
    handler: updateFile,
  },
  {
    method: "DELETE",
    template: "/drive/v3/files/:id",
    pattern: /^\/drive\/v3\/files\/([^/]+)$/,
    api: "drive",
    discoveryId: "drive.files.delete",
    quota: "drive",
    handler: deleteFile,
  },
  {
    method: "GET",
    template: "/drive/v3/changes/startPageToken",
    pattern: /^\/drive\/v3\/changes\/startPageToken$/,
    api: "drive",
    discoveryId: "drive.changes.getStartPageToken",
    quota: "drive",
    handler: getStartPageToken,
  },
  {
    method: "GET",
    template: "/drive/v3/changes",
    pattern: /^\/drive\/v3\/changes$/,
    api: "drive",
    discoveryId: "drive.changes.list",
    quota: "drive",
    handler: listChanges,
  },
];

export const TOKEN_PATH = "/token";

export function matchRoute(method: string, pathname: string): { route: Route; id: string } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (match !== null) return { route, id: decodeURIComponent(match[1] ?? "") };
  }
  return undefined;
}

/** The template a path belongs to whatever its method, for call counts and faults on unknown methods. */
export function templateOf(pathname: string): string | undefined {
  if (pathname === TOKEN_PATH) return TOKEN_PATH;
  return ROUTES.find((route) => route.pattern.test(pathname))?.template;
}
