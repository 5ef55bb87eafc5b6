/// <reference types="node" />
// Renders a Drive item as a Drive v3 File, as the caller sees it (ownedByMe, capabilities, its app's private properties).
import { createHash } from "node:crypto";
import type { JsonObject } from "../../common/json";
import type { Workspace } from "../workspace";
import { atLeast, DOCUMENT, type DriveItem, FOLDER } from "./store";

function permissionId(email: string): string {
  return BigInt(`0x${createHash("sha1").update(email).digest("hex").slice(0, 16)}`)
    .toString()
    .padStart(20, "0");
}

function user(ws: Workspace, email: string, viewer: string): JsonObject {
  return {
    kind: "drive#user",
    displayName: ws.principals.nameOf(email) ?? email,
    emailAddress: email,
    me: email === viewer,
    permissionId: permissionId(email),
  };
}

export function webViewLink(item: DriveItem): string {
  if (item.mimeType === DOCUMENT) return `https://docs.google.com/document/d/${item.id}/edit?usp=drivesdk`;
  if (item.mimeType === FOLDER) return `https://drive.google.com/drive/folders/${item.id}`;
  return `https://drive.google.com/file/d/${item.id}/view?usp=drivesdk`;
}

export function fileJson(ws: Workspace, item: DriveItem, viewer: string, app: string): JsonObject {
  const role = ws.drive.roleOf(viewer, item);
  const folder = item.mimeType === FOLDER;
  const inSharedDrive = item.driveId !== undefined;
  const canWrite = atLeast(role, "writer");
  const appProperties = item.appProperties[app] ?? {};
  return {
    kind: "drive#file",
    id: item.id,
    name: item.name,
    mimeType: item.mimeType,
    ...(item.parents.length > 0 ? { parents: [...item.parents] } : {}),
    ...(Object.keys(appProperties).length > 0 ? { appProperties: { ...appProperties } } : {}),
    ...(Object.keys(item.properties).length > 0 ? { properties: { ...item.properties } } : {}),
    ...(item.description !== undefined ? { description: item.description } : {}),
    starred: false,
    trashed: item.trashed,
    explicitlyTrashed: item.trashed,
    ...(inSharedDrive ? { driveId: item.driveId, teamDriveId: item.driveId } : {}),
    ...(!inSharedDrive && item.owner !== undefined
      ? { owners: [user(ws, item.owner, viewer)], ownedByMe: item.owner === viewer }
      : {}),
    spaces: ["drive"],
    version: String(item.version),
    webViewLink: webViewLink(item),
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${item.mimeType}`,
    hasThumbnail: false,
    thumbnailVersion: "0",
    viewedByMe: false,
    createdTime: item.createdTime,
    modifiedTime: item.modifiedTime,
    modifiedByMe: item.lastModifyingUser === viewer,
    ...(item.lastModifyingUser !== undefined
      ? { lastModifyingUser: user(ws, item.lastModifyingUser, viewer) }
      : {}),
    shared: Object.keys(item.acl).length > 0,
    viewersCanCopyContent: true,
    copyRequiresWriterPermission: false,
    writersCanShare: true,
    quotaBytesUsed: "0",
    capabilities: {
      canAddChildren: folder && canWrite,
      canListChildren: folder && atLeast(role, "reader"),
      canComment: atLeast(role, "commenter"),
      canCopy: !folder && atLeast(role, "reader"),
      canDownload: atLeast(role, "reader"),
      canEdit: canWrite,
      canModifyContent: canWrite,
      canReadRevisions: canWrite,
      canRename: canWrite,
      canShare: canWrite,
      canTrash: inSharedDrive ? atLeast(role, "fileOrganizer") : role === "owner",
      canDelete: inSharedDrive ? atLeast(role, "organizer") : role === "owner",
      ...(inSharedDrive ? { canReadDrive: atLeast(role, "reader") } : {}),
    },
  };
}
