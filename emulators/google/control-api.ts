// The control API under /__emulator/: seed accounts, folders and documents; act as a person; inspect calls, faults and violations.
import { ControlError, type ControlResponse, controlFailure, faultsRoute } from "../common/control-api";
import { asArray, asRecord, asString, isRecord, type JsonObject } from "../common/json";
import { ADMIN_EMAIL } from "./auth/principals";
import type {
  DocumentSpec,
  DropdownTarget,
  FolderInfo,
  FolderSpec,
  QuotaSpec,
  Role,
  SeededDocument,
  ServiceAccountSpec,
  ShareSpec,
  UserSpec,
} from "./control-types";
import type { DiscoveryValidator } from "./discovery/validator";
import { applyBatch } from "./docs/batch-update";
import { allTabs, type DocumentModel, paragraphs, plainText, type TabModel } from "./docs/model";
import { renderDocument } from "./docs/render";
import { buildDocument, type SeedResult } from "./docs/seed";
import { fileJson, webViewLink } from "./drive/render";
import { atLeast, type DriveItem, FOLDER } from "./drive/store";
import { GoogleApiError } from "./errors";
import type { EmulatorState } from "./state";

export interface ControlEnv {
  state: EmulatorState;
  docs: DiscoveryValidator;
}

const ROLES: readonly Role[] = ["reader", "commenter", "writer", "fileOrganizer", "organizer", "owner"];

function acl(specs: readonly ShareSpec[] | undefined): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const spec of specs ?? []) {
    const principal = typeof spec === "string" ? spec : spec.principal;
    const role = typeof spec === "string" ? "writer" : (spec.role ?? "writer");
    if (!ROLES.includes(role)) throw new ControlError(400, `unknown role ${role}`);
    out[principal.toLowerCase()] = role;
  }
  return out;
}

function item(state: EmulatorState, id: unknown): DriveItem {
  const found = typeof id === "string" ? state.workspace.drive.items.get(id) : undefined;
  if (found === undefined) throw new ControlError(404, `no Drive item ${String(id)}`);
  return found;
}

function document(state: EmulatorState, id: string): { item: DriveItem; doc: DocumentModel } {
  const doc = state.workspace.documents.get(id);
  if (doc === undefined) throw new ControlError(404, `no document ${id}`);
  return { item: item(state, id), doc };
}

function folderParent(state: EmulatorState, id: string | undefined, owner: string): DriveItem {
  if (id === undefined) return state.workspace.drive.rootOf(owner);
  const parent = item(state, id);
  if (parent.mimeType !== FOLDER) throw new ControlError(400, `${id} is not a folder`);
  return parent;
}

function createFolder(state: EmulatorState, spec: FolderSpec): FolderInfo {
  const { drive } = state.workspace;
  const owner = spec.owner?.toLowerCase() ?? ADMIN_EMAIL;
  if (spec.sharedDrive === true) {
    const root = drive.createSharedDrive(spec.name, { [owner]: "organizer", ...acl(spec.sharedWith) });
    return { id: root.id, name: root.name, driveId: root.id };
  }
  const folder = drive.create({
    name: spec.name,
    mimeType: FOLDER,
    parent: folderParent(state, spec.parent, owner),
    creator: owner,
    acl: acl(spec.sharedWith),
  });
  return {
    id: folder.id,
    name: folder.name,
    ...(folder.driveId !== undefined ? { driveId: folder.driveId } : {}),
  };
}

function createDocument(state: EmulatorState, spec: DocumentSpec): SeededDocument {
  const { workspace } = state;
  const owner = spec.owner?.toLowerCase() ?? ADMIN_EMAIL;
  if (typeof spec.title !== "string") throw new ControlError(400, "title is required");
  if ((spec.parents?.length ?? 0) > 1) throw new ControlError(400, "a file has one parent");
  // Built before the Drive item exists, so a bad spec leaves nothing half-made behind.
  let seed: SeedResult;
  try {
    seed = buildDocument("", spec, (email) => workspace.principals.nameOf(email));
  } catch (error) {
    throw new ControlError(400, error instanceof Error ? error.message : String(error));
  }
  if (spec.createdTime !== undefined && Number.isNaN(Date.parse(spec.createdTime))) {
    throw new ControlError(400, `createdTime ${spec.createdTime} is not an ISO time`);
  }
  const { item: created, doc } = workspace.createDocument({
    name: spec.title,
    parent: folderParent(state, spec.parents?.[0], owner),
    creator: owner,
    acl: acl(spec.sharedWith),
    appProperties: spec.appProperties,
    description: spec.description,
    createdTime: spec.createdTime === undefined ? undefined : new Date(spec.createdTime).toISOString(),
    model: (documentId) => ({ ...seed.doc, documentId }),
  });
  return {
    documentId: created.id,
    title: created.name,
    revisionId: doc.revisionId,
    url: webViewLink(created),
    ...(created.driveId !== undefined ? { driveId: created.driveId } : {}),
    tabs: allTabs(doc).map((tab) => ({ tabId: tab.tabId, title: tab.title })),
    namedRanges: seed.namedRanges,
    dropdownDefinitions: seed.dropdownDefinitions,
  };
}

/** The person making an edit: given, or the document's owner (a shared drive's first organizer). */
function editor(state: EmulatorState, target: DriveItem, principal: unknown): string {
  const { drive } = state.workspace;
  const who =
    asString(principal)?.toLowerCase() ??
    target.owner ??
    Object.entries(drive.drives.get(target.driveId ?? "")?.members ?? {}).find(
      ([, r]) => r === "organizer",
    )?.[0] ??
    ADMIN_EMAIL;
  if (!atLeast(drive.roleOf(who, target), "writer")) {
    throw new ControlError(403, `${who} cannot edit ${target.id} (share it with them first)`);
  }
  return who;
}

function applyAs(env: ControlEnv, documentId: string, principal: unknown, requests: unknown[]): JsonObject {
  const { state } = env;
  const { item: target, doc } = document(state, documentId);
  const who = editor(state, target, principal);
  const problem = env.docs.check("BatchUpdateDocumentRequest")({ requests });
  if (problem !== undefined) throw new ControlError(400, problem.message);
  const applied = applyBatch(doc, requests, {
    nameOf: (email) => state.workspace.principals.nameOf(email),
    fieldsOf: (schema) => Object.keys(env.docs.doc.schemas[schema]?.properties ?? {}),
  });
  const next = state.workspace.commit(target, applied.doc, who);
  return { documentId, replies: applied.replies, writeControl: { requiredRevisionId: next.revisionId } };
}

function findDropdownTarget(doc: DocumentModel, target: DropdownTarget): { tab: TabModel; id: string } {
  const tabs =
    target.tabId === undefined ? allTabs(doc) : allTabs(doc).filter((t) => t.tabId === target.tabId);
  for (const tab of tabs) {
    if ("dropdownId" in target) {
      if (tab.units.some((u) => u.kind === "dropdown" && u.id === target.dropdownId))
        return { tab, id: target.dropdownId };
    } else if ("index" in target) {
      const unit = tab.units[target.index];
      if (unit?.kind === "dropdown") return { tab, id: unit.id };
    } else {
      for (const span of paragraphs(tab)) {
        if (!plainText(tab, span.start, span.end).includes(target.paragraphContaining)) continue;
        const found = tab.units.slice(span.start, span.end).filter((u) => u.kind === "dropdown")[
          target.nth ?? 0
        ];
        if (found?.kind === "dropdown") return { tab, id: found.id };
      }
    }
  }
  throw new ControlError(404, `no dropdown matches ${JSON.stringify(target)}`);
}

function setDropdown(env: ControlEnv, documentId: string, body: JsonObject): JsonObject {
  const { doc } = document(env.state, documentId);
  const target = asRecord(body.target) as DropdownTarget;
  const { tab, id } = findDropdownTarget(doc, target);
  const unit = tab.units.find((u) => u.kind === "dropdown" && u.id === id);
  const definition = unit?.kind === "dropdown" ? tab.dropdowns[unit.definitionId] : undefined;
  const wanted = asString(body.option) ?? "";
  const option = definition?.options.find((o) => o.displayValue === wanted || o.optionId === wanted);
  if (option === undefined) throw new ControlError(400, `the dropdown has no option ${wanted}`);
  return applyAs(env, documentId, body.principal, [
    {
      updateDropdownProperties: {
        tabId: tab.tabId,
        dropdownId: id,
        dropdownProperties: { selectedOptionId: option.optionId },
        fields: "selectedOptionId",
      },
    },
  ]);
}

async function route(
  env: ControlEnv,
  method: string,
  path: string,
  query: URLSearchParams,
  body: JsonObject,
) {
  const { state } = env;
  const ws = state.workspace;
  const principal = query.get("principal") ?? undefined;
  const [, first = "", id = "", rest = ""] = path.split("/");
  switch (`${method} ${first}${id ? "/:id" : ""}${rest ? `/${rest}` : ""}`) {
    case "POST reset":
      state.reset();
      return { ok: true };
    case "POST service-accounts": {
      const { key } = await ws.principals.createServiceAccount(body as ServiceAccountSpec, state.tokenUrl);
      return key;
    }
    case "POST users": {
      const spec = body as unknown as UserSpec;
      if (typeof spec.email !== "string") throw new ControlError(400, "email is required");
      return ws.principals.createUser(spec);
    }
    case "GET users":
      return [...ws.principals.users.values()];
    case "POST folders":
      return createFolder(state, body as unknown as FolderSpec);
    case "POST documents":
      return createDocument(state, body as unknown as DocumentSpec);
    case "GET documents/:id": {
      const { item: target, doc } = document(state, id);
      return renderDocument(doc, target.name, true);
    }
    case "POST documents/:id/batch-update":
      return applyAs(env, id, body.principal, asArray(body.requests));
    case "POST documents/:id/dropdown":
      return setDropdown(env, id, body);
    case "GET files/:id": {
      const target = item(state, id);
      const viewer = query.get("as") ?? target.owner ?? ADMIN_EMAIL;
      return fileJson(ws, target, viewer, query.get("app") ?? "");
    }
    case "POST share": {
      const role = (asString(body.role) ?? "writer") as Role;
      if (!ROLES.includes(role)) throw new ControlError(400, `unknown role ${role}`);
      ws.drive.share(item(state, body.fileId), String(body.principal).toLowerCase(), role);
      return { ok: true };
    }
    case "POST unshare":
      ws.drive.unshare(item(state, body.fileId), String(body.principal).toLowerCase());
      return { ok: true };
    case "POST trash": {
      const target = item(state, body.fileId);
      target.trashed = body.trashed !== false;
      ws.drive.changes.record(target.id);
      return { ok: true };
    }
    case "POST quota": {
      const who = asString(body.principal);
      if (who === undefined) throw new ControlError(400, "principal is required");
      ws.principals.setQuota(who, asRecord(body.quota) as QuotaSpec);
      return { ok: true };
    }
    case "POST expire-tokens":
      return { expired: ws.principals.expireTokens(asString(body.principal)) };
    case "GET calls":
      return state.callsFor(principal);
    case "DELETE calls":
      state.resetCalls(principal);
      return { ok: true };
    case "GET violations":
      return state.violationsFor(principal).map((v) => v.message);
    case "DELETE violations":
      return state.clearViolations(principal).map((v) => v.message);
    case "POST faults":
    case "GET faults":
    case "DELETE faults":
      return faultsRoute(state.faults, method, body);
    default:
      throw new ControlError(404, `no control route ${method} /__emulator${path}`);
  }
}

export async function handleControl(
  env: ControlEnv,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): Promise<ControlResponse> {
  try {
    const result = await route(
      env,
      method,
      pathname.replace(/^\/__emulator/, ""),
      query,
      isRecord(body) ? body : {},
    );
    return { status: 200, body: result };
  } catch (error) {
    return controlFailure(error, (e) =>
      e instanceof GoogleApiError ? { status: e.code, body: e.body() } : undefined,
    );
  }
}
