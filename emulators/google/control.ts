// A typed client for the Google emulator's control API, over fetch only, so workerd tests and Node scripts share it.
import { controlTransport, EmulatorControlError } from "../common/control";
import type {
  CallCounts,
  DocumentSpec,
  DropdownTarget,
  FaultInfo,
  FaultSpec,
  FolderInfo,
  FolderSpec,
  QuotaSpec,
  Role,
  SeededDocument,
  ServiceAccountKey,
  ServiceAccountSpec,
  UserInfo,
  UserSpec,
} from "./control-types";
import type { DocsBatchUpdateResponse, DocsDocument, DocsRequest, DriveFile } from "./wire-types";

export type * from "./control-types";
export type * from "./wire-types";

export interface GoogleControl {
  /** The emulator's base URL: Docs, Drive and the token endpoint all live here. */
  readonly url: string;
  /** `${url}/token`, the token_uri of every key the emulator issues. */
  readonly tokenUrl: string;
  /**
   * Forget everything. Test files share one emulator, so tests should not call this; a fresh service
   * account (and user) per test isolates them instead.
   */
  reset(): Promise<void>;
  /** A new service account and its JSON key, in Google's format, with a fresh RSA key pair. */
  createServiceAccount(spec?: ServiceAccountSpec): Promise<ServiceAccountKey>;
  createUser(spec: UserSpec): Promise<UserInfo>;
  users(): Promise<UserInfo[]>;
  /** A folder in someone's My Drive, in another folder, or (sharedDrive: true) a new shared drive. */
  createFolder(spec: FolderSpec): Promise<FolderInfo>;
  /** A Google Doc with seeded content (headings, runs, lists, checkboxes, chips, named ranges, tabs). */
  createDocument(spec: DocumentSpec): Promise<SeededDocument>;
  share(fileId: string, principal: string, role?: Role): Promise<void>;
  unshare(fileId: string, principal: string): Promise<void>;
  trash(fileId: string, trashed?: boolean): Promise<void>;
  /** The document as documents.get returns it with includeTabsContent=true, regardless of sharing. */
  document(documentId: string): Promise<DocsDocument>;
  /** The Drive file as `as` (its owner by default) sees it, with `app`'s private appProperties. */
  file(fileId: string, options?: { as?: string; app?: string }): Promise<DriveFile>;
  /** Person-side edits, as someone makes them in the Docs editor: a new revision, no quota, not counted. */
  batchUpdateAs(
    principal: string,
    documentId: string,
    requests: DocsRequest[],
  ): Promise<DocsBatchUpdateResponse>;
  /** Picks a dropdown chip's option (by display value or option id), e.g. a person marking an item Done. */
  setDropdown(
    documentId: string,
    target: DropdownTarget,
    option: string,
    options?: { principal?: string },
  ): Promise<DocsBatchUpdateResponse>;
  /** Calls per endpoint for one principal (the impersonated user, or the service account), or for everyone. */
  calls(principal?: string): Promise<CallCounts>;
  resetCalls(principal?: string): Promise<void>;
  /** Schema violations and emulator gaps recorded so far (for one principal, or all). */
  violations(principal?: string): Promise<string[]>;
  /** Clears and returns them, for tests that provoke a violation on purpose. */
  clearViolations(principal?: string): Promise<string[]>;
  addFault(fault: FaultSpec): Promise<FaultInfo>;
  faults(): Promise<FaultInfo[]>;
  clearFaults(): Promise<void>;
  /** Per-minute quotas for one principal; null switches one off. */
  setQuota(principal: string, quota: QuotaSpec): Promise<void>;
  /** Makes issued access tokens expire now (all, or one principal's), to test refreshing. */
  expireTokens(principal?: string): Promise<number>;
  /** The human view of a document: plain text with chips shown like `[Open▾] @Name 📅 2026-12-04`. */
  view(documentId: string): Promise<string>;
}

class ControlApiError extends EmulatorControlError {
  constructor(status: number, body: unknown) {
    super("Google emulator", status, body);
  }
}

/** `baseUrl` is the emulator URL, e.g. `inject("googleUrl")`. */
export function googleControl(baseUrl: string, fetchImpl: typeof fetch = fetch): GoogleControl {
  const { root, call, text } = controlTransport(
    baseUrl,
    fetchImpl,
    (status, body) => new ControlApiError(status, body),
  );

  const q = (params: Record<string, string | undefined>) => {
    const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
    return entries.length === 0 ? "" : `?${new URLSearchParams(entries).toString()}`;
  };
  const done = async (promise: Promise<unknown>) => {
    await promise;
  };

  return {
    url: root,
    tokenUrl: `${root}/token`,
    reset: () => done(call("POST", "/reset")),
    createServiceAccount: (spec = {}) => call("POST", "/service-accounts", spec),
    createUser: (spec) => call("POST", "/users", spec),
    users: () => call("GET", "/users"),
    createFolder: (spec) => call("POST", "/folders", spec),
    createDocument: (spec) => call("POST", "/documents", spec),
    share: (fileId, principal, role) => done(call("POST", "/share", { fileId, principal, role })),
    unshare: (fileId, principal) => done(call("POST", "/unshare", { fileId, principal })),
    trash: (fileId, trashed = true) => done(call("POST", "/trash", { fileId, trashed })),
    document: (documentId) => call("GET", `/documents/${encodeURIComponent(documentId)}`),
    file: (fileId, options = {}) => call("GET", `/files/${encodeURIComponent(fileId)}${q(options)}`),
    batchUpdateAs: (principal, documentId, requests) =>
      call("POST", `/documents/${encodeURIComponent(documentId)}/batch-update`, { principal, requests }),
    setDropdown: (documentId, target, option, options = {}) =>
      call("POST", `/documents/${encodeURIComponent(documentId)}/dropdown`, { target, option, ...options }),
    calls: (principal) => call("GET", `/calls${q({ principal })}`),
    resetCalls: (principal) => done(call("DELETE", `/calls${q({ principal })}`)),
    violations: (principal) => call("GET", `/violations${q({ principal })}`),
    clearViolations: (principal) => call("DELETE", `/violations${q({ principal })}`),
    addFault: (fault) => call("POST", "/faults", fault),
    faults: () => call("GET", "/faults"),
    clearFaults: () => done(call("DELETE", "/faults")),
    setQuota: (principal, quota) => done(call("POST", "/quota", { principal, quota })),
    expireTokens: async (principal) =>
      (await call<{ expired: number }>("POST", "/expire-tokens", { principal })).expired,
    view: (documentId) => text(`/view/documents/${encodeURIComponent(documentId)}`),
  };
}
