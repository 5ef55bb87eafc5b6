// Drive's files, folders and shared drives, who may see each (permissions inherited down folders), and who owns what.
import type { Role } from "../control-types";
import { fileId, sharedDriveId } from "../ids";
import { ChangeLog } from "./change-log";

export const FOLDER = "application/vnd.google-apps.folder";
export const DOCUMENT = "application/vnd.google-apps.document";

const RANK: Record<Role, number> = {
  reader: 1,
  commenter: 2,
  writer: 3,
  fileOrganizer: 4,
  organizer: 5,
  owner: 6,
};

export interface DriveItem {
  id: string;
  name: string;
  mimeType: string;
  /** One folder id (or shared drive id); empty for roots. */
  parents: string[];
  /** Set for everything in a shared drive, and for the drive's root itself. */
  driveId?: string;
  /** My Drive items have an owner; shared drive items belong to the drive. */
  owner?: string;
  /** Direct permissions: principal -> role. Folders pass theirs down. */
  acl: Record<string, Role>;
  /** Private app properties, per app (the service account whose requests set them). */
  appProperties: Record<string, Record<string, string>>;
  properties: Record<string, string>;
  description?: string;
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  version: number;
  lastModifyingUser?: string;
  /** The app (service account) that created it: what the drive.file scope may touch. */
  createdByApp?: string;
  /** A principal's My Drive root, or a shared drive's root. Never listed. */
  root?: "myDrive" | "sharedDrive";
}

export interface SharedDrive {
  id: string;
  name: string;
  members: Record<string, Role>;
  createdTime: string;
}

export interface NewItem {
  name: string;
  mimeType: string;
  parent: DriveItem;
  /** Who creates it: the owner, unless the parent is in a shared drive. */
  creator: string;
  acl?: Record<string, Role>;
  appProperties?: Record<string, Record<string, string>>;
  properties?: Record<string, string>;
  description?: string;
  createdTime?: string;
  createdByApp?: string;
}

export function atLeast(role: Role | undefined, wanted: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[wanted];
}

function higher(a: Role | undefined, b: Role | undefined): Role | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

export class DriveStore {
  readonly items = new Map<string, DriveItem>();
  readonly drives = new Map<string, SharedDrive>();
  /** Every write to an item, in order: what changes.list answers from. */
  readonly changes = new ChangeLog<DriveItem>();
  private readonly roots = new Map<string, string>();

  /** A principal's My Drive root, made on first use. */
  rootOf(principal: string): DriveItem {
    const existing = this.roots.get(principal);
    const found = existing === undefined ? undefined : this.items.get(existing);
    if (found !== undefined) return found;
    const now = new Date().toISOString();
    const root: DriveItem = {
      id: `0A${fileId().slice(1, 18)}Uk9PVA`,
      name: "My Drive",
      mimeType: FOLDER,
      parents: [],
      owner: principal,
      acl: {},
      appProperties: {},
      properties: {},
      createdTime: now,
      modifiedTime: now,
      trashed: false,
      version: 1,
      root: "myDrive",
    };
    this.items.set(root.id, root);
    this.roots.set(principal, root.id);
    return root;
  }

  createSharedDrive(name: string, members: Record<string, Role>): DriveItem {
    const id = sharedDriveId();
    const now = new Date().toISOString();
    this.drives.set(id, { id, name, members, createdTime: now });
    const root: DriveItem = {
      id,
      name,
      mimeType: FOLDER,
      parents: [],
      driveId: id,
      acl: {},
      appProperties: {},
      properties: {},
      createdTime: now,
      modifiedTime: now,
      trashed: false,
      version: 1,
      root: "sharedDrive",
    };
    this.items.set(id, root);
    return root;
  }

  create(spec: NewItem): DriveItem {
    const now = new Date().toISOString();
    const driveId = spec.parent.driveId;
    const item: DriveItem = {
      id: fileId(),
      name: spec.name,
      mimeType: spec.mimeType,
      parents: [spec.parent.id],
      ...(driveId !== undefined ? { driveId } : { owner: spec.creator }),
      acl: { ...spec.acl },
      appProperties: structuredClone(spec.appProperties ?? {}),
      properties: { ...spec.properties },
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      createdTime: spec.createdTime ?? now,
      modifiedTime: spec.createdTime ?? now,
      trashed: false,
      version: 1,
      lastModifyingUser: spec.creator,
      ...(spec.createdByApp !== undefined ? { createdByApp: spec.createdByApp } : {}),
    };
    this.items.set(item.id, item);
    this.changes.record(item.id);
    return item;
  }

  /** files.delete: the item is gone for everyone who could see it, who learn so from changes.list. */
  delete(item: DriveItem): void {
    this.changes.recordRemoval(structuredClone(item));
    this.items.delete(item.id);
  }

  parentOf(item: DriveItem): DriveItem | undefined {
    const id = item.parents[0];
    return id === undefined ? undefined : this.items.get(id);
  }

  /** The item and its folders up to the root, nearest first. */
  lineage(item: DriveItem): DriveItem[] {
    const out: DriveItem[] = [];
    let current: DriveItem | undefined = item;
    while (current !== undefined && !out.includes(current)) {
      out.push(current);
      current = this.parentOf(current);
    }
    return out;
  }

  /** The strongest role a principal has on an item: ownership, shared drive membership, or a permission on it or a folder above. */
  roleOf(principal: string, item: DriveItem): Role | undefined {
    let role: Role | undefined;
    if (item.driveId !== undefined) role = this.drives.get(item.driveId)?.members[principal];
    for (const node of this.lineage(item)) {
      if (node.owner === principal && node.driveId === undefined) role = higher(role, "owner");
      role = higher(role, node.acl[principal]);
    }
    return role;
  }

  share(item: DriveItem, principal: string, role: Role): void {
    if (item.root === "sharedDrive") {
      const drive = this.drives.get(item.id);
      if (drive !== undefined) drive.members[principal] = role;
      return;
    }
    item.acl[principal] = role;
    this.changes.record(item.id);
  }

  unshare(item: DriveItem, principal: string): void {
    if (item.root === "sharedDrive") {
      const drive = this.drives.get(item.id);
      if (drive !== undefined) delete drive.members[principal];
      return;
    }
    delete item.acl[principal];
    // Drive tells the one who lost access that the file left their view, and everyone else that it changed.
    this.changes.recordLoss(item.id, principal);
    this.changes.record(item.id);
  }

  /** Marks a content change: a new version and modified time, by whom. */
  touch(item: DriveItem, by: string): void {
    item.version += 1;
    item.modifiedTime = new Date().toISOString();
    item.lastModifyingUser = by;
    this.changes.record(item.id);
  }
}
