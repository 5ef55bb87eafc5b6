// Owns the typed Google calls this destination makes: Docs `documents.get` (every tab) and
// `documents.batchUpdate`, Drive `files.list`/`get`/`copy`/`create`/`update` and
// `changes.getStartPageToken`/`list` (always across shared drives), each answer checked with zod, over
// plain fetch (the googleapis packages are types only, to keep the Worker small). Pacing, retries,
// tokens and call counts are the transport's (transport.ts).
import type { docs_v1 } from "@googleapis/docs";
import type { drive_v3 } from "@googleapis/drive";
import type * as z from "zod";
import {
  batchUpdateSpec,
  type CallTarget,
  copyFileSpec,
  createFileSpec,
  getDocumentSpec,
  getFileSpec,
  listChangesSpec,
  listFilesSpec,
  startPageTokenSpec,
  trashFileSpec,
  trimBase,
} from "./endpoints";
import { parseResponse } from "./errors";
import {
  type BatchUpdateResponse,
  batchUpdateResponseSchema,
  type DocDocument,
  type DriveChangeList,
  type DriveFile,
  type DriveFileList,
  documentSchema,
  driveChangeListSchema,
  driveFileListSchema,
  driveFileSchema,
  driveStartPageTokenSchema,
} from "./schemas";
import { type CallSpec, createTransport, type Transport, type TransportOptions } from "./transport";

export { ENDPOINTS } from "./endpoints";
export { type BaseFetch, DEFAULT_GOOGLE_RETRY } from "./transport";

/** A dropdown option (discovery document `DropdownOption`). */
interface DocsDropdownOption {
  optionId?: string;
  displayValue?: string;
  textStyle?: docs_v1.Schema$TextStyle;
}

/**
 * One Docs update request, as Google's discovery document defines it. The published typings predate the
 * dropdown requests, so those three are spelled out here from the discovery document.
 */
export type DocsRequest = docs_v1.Schema$Request & {
  createDropdownDefinition?: {
    tabId?: string;
    dropdownDefinition: {
      dropdownDefinitionId?: string;
      dropdownDefinitionProperties?: { title?: string; options?: DocsDropdownOption[] };
    };
  };
  insertDropdown?: {
    dropdownDefinitionId: string;
    selectedOptionId?: string;
    location?: docs_v1.Schema$Location;
    endOfSegmentLocation?: docs_v1.Schema$EndOfSegmentLocation;
  };
  updateDropdownProperties?: {
    dropdownId: string;
    tabId?: string;
    dropdownProperties: { dropdownDefinitionId?: string; selectedOptionId?: string };
    fields: string;
  };
};

/** The body of `documents.batchUpdate`. */
interface BatchUpdateBody {
  requests: DocsRequest[];
  writeControl?: { requiredRevisionId?: string };
}

/** Drive file metadata this destination writes. */
type DriveFileMetadata = Pick<drive_v3.Schema$File, "name" | "mimeType" | "parents" | "appProperties">;

/** The calls one acting user can make. */
export interface GoogleApi {
  /** Who the requests act as: the impersonated user, or the service account's email. */
  readonly actor: string;
  /** `documents.get` with every tab's content. */
  getDocument(documentId: string): Promise<DocDocument>;
  /** `documents.batchUpdate`: all requests applied atomically, or none. Never retried after a 5xx. */
  batchUpdate(documentId: string, body: BatchUpdateBody): Promise<BatchUpdateResponse>;
  /** `files.list` across My Drive and shared drives. */
  listFiles(params: {
    q: string;
    fields: string;
    pageSize?: number;
    pageToken?: string;
  }): Promise<DriveFileList>;
  /** `files.get` (metadata only). */
  getFile(fileId: string, fields: string): Promise<DriveFile>;
  /** `files.copy`. Never retried after a 5xx. */
  copyFile(fileId: string, metadata: DriveFileMetadata, fields: string): Promise<DriveFile>;
  /** `files.create` (metadata only: an empty Google Doc when `mimeType` says so). Never retried after a 5xx. */
  createFile(metadata: DriveFileMetadata, fields: string): Promise<DriveFile>;
  /** `files.update` with `trashed: true`: moves a file we made to the trash. */
  trashFile(fileId: string): Promise<void>;
  /** `changes.getStartPageToken`: the page token of the acting user's next change. */
  getStartPageToken(): Promise<string>;
  /** `changes.list` from a page token, across My Drive and shared drives, removals included. */
  listChanges(params: { pageToken: string; fields: string; pageSize?: number }): Promise<DriveChangeList>;
}

/** The run's Google client: shared by all pairs, so they share tokens and quotas. */
export interface GoogleClient {
  /** The service account's email, or null when the key could not be read. */
  readonly serviceAccountEmail: string | null;
  /** The calls acting as `subject` (a Workspace user, by domain-wide delegation), or as the service account. */
  as(subject?: string): GoogleApi;
  /** HTTP requests sent so far per endpoint (`GET /v1/documents/:id`, `POST /token`), retries included. */
  calls(): Record<string, number>;
}

/** How to build the run's Google client; everything but the key has a production default. */
export interface GoogleClientOptions extends TransportOptions {
  /** Default `https://docs.googleapis.com`. */
  docsBaseUrl?: string;
  /** Default `https://www.googleapis.com`. */
  driveBaseUrl?: string;
}

/** The calls acting as `target.subject`, each answer checked against its schema. */
function apiFor(transport: Transport, target: CallTarget, actor: string): GoogleApi {
  const parsed = async <T extends z.ZodType>(spec: CallSpec, schema: T, what: string): Promise<z.output<T>> =>
    parseResponse(schema, await transport.call(spec), what);
  return {
    actor,
    getDocument: (documentId) => parsed(getDocumentSpec(target, documentId), documentSchema, "document"),
    batchUpdate: (documentId, body) =>
      parsed(batchUpdateSpec(target, documentId, body), batchUpdateResponseSchema, "batchUpdate response"),
    listFiles: (params) => parsed(listFilesSpec(target, params), driveFileListSchema, "file list"),
    getFile: (fileId, fields) => parsed(getFileSpec(target, fileId, fields), driveFileSchema, "file"),
    copyFile: (fileId, metadata, fields) =>
      parsed(copyFileSpec(target, fileId, metadata, fields), driveFileSchema, "copied file"),
    createFile: (metadata, fields) =>
      parsed(createFileSpec(target, metadata, fields), driveFileSchema, "created file"),
    trashFile: async (fileId) => {
      await transport.call(trashFileSpec(target, fileId));
    },
    getStartPageToken: async () =>
      (await parsed(startPageTokenSpec(target), driveStartPageTokenSchema, "start page token"))
        .startPageToken,
    listChanges: (params) => parsed(listChangesSpec(target, params), driveChangeListSchema, "change list"),
  };
}

/**
 * The Google client. Create one for the isolate's life (runtime.ts) and hand it to every Google pair's
 * destination, so that all pairs share its token and pace.
 */
export function createGoogleClient(options: GoogleClientOptions): GoogleClient {
  const transport = createTransport(options);
  const docsBase = trimBase(options.docsBaseUrl ?? "https://docs.googleapis.com");
  const driveBase = trimBase(options.driveBaseUrl ?? "https://www.googleapis.com");
  const serviceAccountEmail = transport.serviceAccountEmail;
  const apis = new Map<string, GoogleApi>();
  const as = (user?: string): GoogleApi => {
    const subject = user ?? null;
    const cached = apis.get(subject ?? "");
    if (cached !== undefined) return cached;
    const actor = subject ?? serviceAccountEmail ?? "the service account";
    const api = apiFor(transport, { docsBase, driveBase, subject }, actor);
    apis.set(subject ?? "", api);
    return api;
  };
  return { serviceAccountEmail, as, calls: () => transport.calls() };
}
