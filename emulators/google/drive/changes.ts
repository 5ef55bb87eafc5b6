// Drive v3 changes.getStartPageToken and changes.list: what changed since a page token, as the caller
// sees it (one change per file, its latest), with Drive's paging and shared-drive opt-ins.
import { asRecord, type JsonObject } from "../../common/json";
import { type ApiHandler, type ApiRequest, flag } from "../api-context";
import { project } from "../discovery/fields";
import { GoogleApiError } from "../errors";
import { canSee, mask } from "./api";
import type { ChangeEntry } from "./change-log";
import { fileJson } from "./render";
import type { DriveItem } from "./store";

const LIST_FIELDS =
  "kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,file(kind,id,name,mimeType))";

function allDrives(req: ApiRequest): boolean {
  return flag(req.query, "supportsAllDrives") || flag(req.query, "supportsTeamDrives");
}

function driveIdOf(req: ApiRequest): string | undefined {
  return req.query.get("driveId") ?? req.query.get("teamDriveId") ?? undefined;
}

/** A shared drive the caller names must exist and be one they belong to. */
function checkDrive(req: ApiRequest, driveId: string | undefined): void {
  if (driveId === undefined) return;
  if (!allDrives(req)) {
    throw GoogleApiError.driveInvalid(
      "The driveId parameter can only be set when supportsAllDrives is also set to true.",
      "driveId",
    );
  }
  const drive = req.state.workspace.drive.drives.get(driveId);
  if (drive === undefined || drive.members[req.caller.principal] === undefined) {
    throw new GoogleApiError(404, `Shared drive not found: ${driveId}`, {
      reason: "notFound",
      location: "driveId",
      locationType: "parameter",
    });
  }
}

export const getStartPageToken: ApiHandler = (req) => {
  checkDrive(req, driveIdOf(req));
  const json = {
    kind: "drive#startPageToken",
    startPageToken: req.state.workspace.drive.changes.startPageToken,
  };
  return asRecord(project(json, mask(req, "kind,startPageToken", "StartPageToken")));
};

interface Seen {
  entry: ChangeEntry<DriveItem>;
  /** The item as the caller may see it; absent when it was removed from their view. */
  item?: DriveItem;
}

export const listChanges: ApiHandler = (req) => {
  const q = req.query;
  const { workspace } = req.state;
  const log = workspace.drive.changes;
  const driveId = driveIdOf(req);
  const includeAll = flag(q, "includeItemsFromAllDrives") || flag(q, "includeTeamDriveItems");
  if (includeAll && !allDrives(req)) {
    throw GoogleApiError.driveInvalid(
      "The includeItemsFromAllDrives parameter can only be set to true when supportsAllDrives is also set to true.",
      "includeItemsFromAllDrives",
    );
  }
  checkDrive(req, driveId);
  for (const space of (q.get("spaces") ?? "drive").split(",")) {
    if (space === "appDataFolder" || space === "photos") {
      throw GoogleApiError.gap(`changes.list in the ${space} space is not emulated`);
    }
    if (space !== "drive") throw GoogleApiError.driveInvalid("Invalid Value", "spaces");
  }
  for (const name of ["includeLabels", "includePermissionsForView"]) {
    if (q.has(name)) throw GoogleApiError.gap(`changes.list with ${name} is not emulated`);
  }
  if (flag(q, "includeCorpusRemovals")) {
    throw GoogleApiError.gap("changes.list with includeCorpusRemovals is not emulated");
  }
  const token = q.get("pageToken") ?? "";
  const start = log.parseToken(token);
  if (start === undefined) throw GoogleApiError.driveInvalid("Invalid Value", "pageToken");

  const includeRemoved = q.get("includeRemoved") !== "false";
  const restrictToMyDrive = flag(q, "restrictToMyDrive");
  const principal = req.caller.principal;
  const inScope = (item: DriveItem): boolean => {
    if (item.root !== undefined) return false;
    if (driveId !== undefined) return item.driveId === driveId;
    if (item.driveId !== undefined && !includeAll) return false;
    return !restrictToMyDrive || (item.driveId === undefined && item.owner === principal);
  };

  // One change per file, its latest: Drive collapses a file's earlier changes in what it lists.
  const latest = new Map<string, Seen>();
  for (const entry of log.since(start)) {
    let seen: Seen | undefined;
    if (entry.deleted !== undefined) {
      if (inScope(entry.deleted) && canSee(req, entry.deleted)) seen = { entry };
    } else {
      const item = workspace.drive.items.get(entry.fileId);
      if (item === undefined || !inScope(item)) continue;
      if (entry.lostBy !== undefined) {
        if (entry.lostBy === principal && !canSee(req, item)) seen = { entry };
      } else if (canSee(req, item)) {
        seen = { entry, item };
      }
    }
    if (seen !== undefined) latest.set(entry.fileId, seen);
  }
  const visible = [...latest.values()]
    .filter((seen) => includeRemoved || seen.item !== undefined)
    .sort((a, b) => a.entry.seq - b.entry.seq);

  const pageSize = Number(q.get("pageSize") ?? "100");
  const page = visible.slice(0, pageSize);
  const rest = visible[pageSize];
  const json: JsonObject = {
    kind: "drive#changeList",
    ...(rest !== undefined
      ? { nextPageToken: String(rest.entry.seq) }
      : { newStartPageToken: log.startPageToken }),
    changes: page.map(({ entry, item }) => ({
      kind: "drive#change",
      changeType: "file",
      time: entry.time,
      removed: item === undefined,
      fileId: entry.fileId,
      ...(item?.driveId !== undefined ? { driveId: item.driveId, teamDriveId: item.driveId } : {}),
      ...(item !== undefined ? { file: fileJson(workspace, item, principal, req.caller.app) } : {}),
      type: "file",
    })),
  };
  return asRecord(project(json, mask(req, LIST_FIELDS, "ChangeList")));
};
